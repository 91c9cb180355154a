"""The words of a text as tokens, and the questions the name rules ask about them (NameWords)."""

import bisect
import functools
from collections.abc import Container
from dataclasses import dataclass

import regex

from meetings.anonymiser.recognizers.words import COUNTRIES_AND_REGIONS, FUNCTION_WORDS, PROTECTED, ROLE_WORDS
from meetings.anonymiser.replacements import (
    CIVILITIES,
    PARTICLES,
    PROFESSIONAL_TITLES,
    area_of_place,
    fold,
    is_first_name,
)

# Tokens, for the name rules.

# Words: letters, with inner hyphens and apostrophes; not the letters of "BE29" or "2e".
WORD = regex.compile(r"(?<!\p{N})\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*(?!\p{N})")
# Elided words before a word: "d'Ahmed", "L'éducatrice"; not the N' of "N'Diaye".
ELISION = regex.compile(
    r"(?:[dljmnstc]|qu|lorsqu|puisqu|jusqu|quoiqu|presqu)['’](?=\p{L})|(?:[DLJMNSTC]|Qu)['’](?=\p{Ll})"
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool  # capitalised because it starts a sentence, a line or a list item

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def all_capitals(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()


# Cached: the recognisers and the anonymiser read the tokens of one text several times.
@functools.lru_cache(maxsize=8)
def tokens_of(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = ELISION.match(word)
        if elided:  # "d'Ahmed": the name is Ahmed
            start, word = start + elided.end(), word[elided.end() :]
        before = text[max(0, start - 12) : start].rstrip(' \t\u00a0«"“(')
        tokens.append(Token(word, start, start + len(word), not before or before[-1] in ".!?:;\n•–-—*/"))
    return tuple(tokens)


def _gap(text: str, left: Token, right: Token) -> str:
    return text[left.end : right.start]


def _adjacent(text: str, left: Token, right: Token) -> bool:
    gap = _gap(text, left, right)
    return 0 < len(gap) <= 3 and gap.strip(" \u00a0") == ""


def is_title(token: Token) -> bool:
    key = fold(token.text)
    if key in ("m", "mr", "mme", "mlle", "dr", "pr", "mevr", "dhr"):
        # Abbreviations only as written ("M. Peeters", "Dr Mukendi"), never the pronoun "me".
        return token.capitalised
    if key == "me":
        return token.text == "Me"
    return key in CIVILITIES or key in PROFESSIONAL_TITLES


def _after_title(text: str, title: Token, nxt: Token) -> bool:
    gap = _gap(text, title, nxt)
    return 0 < len(gap) <= 3 and gap.lstrip(".").strip(" \u00a0") == ""


class NameWords:
    """Questions about the words of one text, for the name rules."""

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def of(text: str, lexicon: Container[str]) -> "NameWords":
        return NameWords(text, lexicon)

    def __init__(self, text: str, lexicon: Container[str]):
        self.text = text
        self.lexicon = lexicon
        self.tokens = tokens_of(text)
        self.starts = [t.start for t in self.tokens]
        self.protected = [m.span() for m in PROTECTED.finditer(text)]

    def within(self, start: int, end: int) -> range:
        """The indices of the tokens inside start..end."""
        first = bisect.bisect_left(self.starts, start)
        last = first
        while last < len(self.tokens) and self.tokens[last].end <= end:
            last += 1
        return range(first, last)

    def is_protected(self, token: Token) -> bool:
        return any(s <= token.start < e for s, e in self.protected)

    def is_particle(self, token: Token) -> bool:
        return fold(token.text) in PARTICLES and fold(token.text) not in ("le", "la")

    def is_french(self, token: Token) -> bool:
        return token.text in self.lexicon

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

    def is_unknown_name(self, token: Token) -> bool:
        """A capitalised word that French does not know: most likely a name."""
        return self.could_be_name(token) and not self.is_french(token)

    def is_first_name(self, token: Token) -> bool:
        return token.capitalised and is_first_name(token.text) and not self.is_protected(token)

    def is_first_name_in_lower_case(self, token: Token) -> bool:
        """A first name typed in lower case, when it is not also a French word ("pierre", "rose")."""
        return (
            token.text.islower()
            and len(token.text) >= 4
            and is_first_name(token.text)
            and not self.is_french(token)
        )


def forget_texts() -> None:
    """Empty the caches that hold what was read of a text (its tokens, its words, its words
    folded): called once a text's findings are out, so that no vignette, nor the names in it,
    outlives its purge in a worker's memory. Refilling them costs next to nothing."""
    tokens_of.cache_clear()
    NameWords.of.cache_clear()
    fold.cache_clear()
