"""The questions the name rules ask about the words of a text (NameWords)."""

import bisect
import functools

from meetings.anonymiser.recognizers import kept
from meetings.anonymiser.recognizers.tokenizer import Token, tokens_of
from meetings.anonymiser.recognizers.words import COUNTRIES_AND_REGIONS, FUNCTION_WORDS, ROLE_WORDS
from meetings.anonymiser.replacements import (
    CIVILITIES,
    PARTICLES,
    PROFESSIONAL_TITLES,
    area_of_place,
    fold,
    is_first_name,
)


def _gap(text: str, left: Token, right: Token) -> str:
    return text[left.end : right.start]


def _adjacent(text: str, left: Token, right: Token) -> bool:
    gap = _gap(text, left, right)
    return 0 < len(gap) <= 3 and gap.strip(" \u00a0") == ""


def is_title(token: Token) -> bool:
    key = fold(token.text)
    if key in ("mevr", "dhr", "dr"):
        return True  # Dutch writes them in lower case too: "dhr. Peeters", "dr. Claes"
    if key in ("m", "mr", "mme", "mlle", "pr"):
        # Abbreviations only as written ("M. Peeters", "Dr Mukendi"), never the pronoun "me".
        return token.capitalised
    if key == "me":
        return token.text == "Me"
    return key in CIVILITIES or key in PROFESSIONAL_TITLES


def _after_title(text: str, title: Token, nxt: Token) -> bool:
    gap = _gap(text, title, nxt)
    if "." in gap and len(title.text) > 4:
        # "… bij Mevrouw. Ondertussen …": after a title written whole, a full stop ends the sentence.
        return False
    return 0 < len(gap) <= 3 and gap.lstrip(".").strip(" \u00a0") == ""


class NameWords:
    """Questions about the words of one text, for the name rules."""

    @staticmethod
    def of(text: str, lexicon) -> "NameWords":
        # The terms kept for this call to find() are part of what is read of the text.
        return NameWords._of(text, lexicon, kept.terms_of_the_call())

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def _of(text: str, lexicon, _terms_of_the_call) -> "NameWords":
        return NameWords(text, lexicon)

    def __init__(self, text: str, lexicon):
        # lexicon: recognizers.lexicon.Lexicon, which also knows each paragraph's language
        self.text = text
        self.lexicon = lexicon
        self.tokens = tokens_of(text)
        self.starts = [t.start for t in self.tokens]
        self.protected = kept.protected_spans(text, self.tokens)
        self._protected_starts = {
            t.start for start, end in self.protected for t in self._touching(start, end)
        }
        self.paragraphs = lexicon.paragraphs(text)

    def language_at(self, offset: int) -> str | None:
        return self.paragraphs.language_at(offset)

    def within(self, start: int, end: int) -> range:
        """The indices of the tokens inside start..end."""
        first = bisect.bisect_left(self.starts, start)
        last = first
        while last < len(self.tokens) and self.tokens[last].end <= end:
            last += 1
        return range(first, last)

    def _touching(self, start: int, end: int) -> list[Token]:
        """The tokens that overlap start..end ("L'Institut" for the span of "Institut")."""
        index = max(bisect.bisect_right(self.starts, start) - 1, 0)
        touching = []
        while index < len(self.tokens) and self.tokens[index].start < end:
            if self.tokens[index].end > start:
                touching.append(self.tokens[index])
            index += 1
        return touching

    def is_protected(self, token: Token) -> bool:
        return token.start in self._protected_starts

    def is_particle(self, token: Token) -> bool:
        return fold(token.text) in PARTICLES and fold(token.text) not in ("le", "la")

    def is_ordinary_word(self, token: Token) -> bool:
        """A word of the language of its paragraph (French where none was recognised)."""
        return self.lexicon.knows(
            token.text, self.language_at(token.start), sentence_start=token.sentence_start
        )

    def could_be_name(self, token: Token) -> bool:
        """Capitalised, and not a function word, a title, a role, an institution or a place."""
        folded = fold(token.text)
        return (
            len(token.text) > 1
            and (token.capitalised or token.all_capitals)
            and folded not in FUNCTION_WORDS
            and folded not in ROLE_WORDS
            and not is_title(token)
            and not self.is_protected(token)
            and area_of_place(token.text) is None
            and folded not in COUNTRIES_AND_REGIONS
        )

    def is_dictionary_word(self, token: Token) -> bool:
        """A word of its paragraph's language wherever it stands (in Dutch, a capitalised word in
        the middle of a sentence is a name even when the dictionary has it: see DutchLexicon)."""
        return self.lexicon.knows(token.text, self.language_at(token.start))

    def is_unknown_name(self, token: Token) -> bool:
        """A capitalised word that the paragraph's language does not know: most likely a name."""
        return self.could_be_name(token) and not self.is_ordinary_word(token)

    def is_first_name(self, token: Token) -> bool:
        return token.capitalised and is_first_name(token.text) and not self.is_protected(token)

    def is_first_name_in_lower_case(self, token: Token) -> bool:
        """A first name typed in lower case, when it is not also an ordinary word ("pierre", "rose")."""
        return (
            token.text.islower()
            and len(token.text) >= 4
            and is_first_name(token.text)
            and not self.is_ordinary_word(token)
        )


def forget_texts() -> None:
    """Empty the caches that hold what was read of a text (its tokens, its words, its words
    folded): called once a text's findings are out, so that no vignette, nor the names in it,
    outlives its purge in a worker's memory. Refilling them costs next to nothing."""
    from meetings.anonymiser.recognizers.lexicon import DutchLexicon, forget_paragraphs

    tokens_of.cache_clear()
    NameWords._of.cache_clear()
    fold.cache_clear()
    forget_paragraphs()
    DutchLexicon._compound.cache_clear()
