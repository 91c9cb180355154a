"""Names found by patterns: after a civility title, a known first name and what follows, after a
relation or before a role or an age, the value of a name field."""

from collections.abc import Container

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from meetings.anonymiser.entities import PERSON
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE
from meetings.anonymiser.recognizers.tokens import NameWords, _adjacent, _after_title, _gap, is_title
from meetings.anonymiser.recognizers.words import RELATION_WORDS, ROLE_WORDS_NEAR_NAMES

# Names.

# Form fields whose value is a name: "Nom : EL KHATTABI", "Patiente : HENDRICKX Marie-Louise".
NAME_FIELD = regex.compile(
    r"(?i)(?<![\p{L}])(?:nom(?: et prénom| de famille)?|prénom|patiente?|demandeu(?:r|se)|bénéficiaire"
    r"|identité(?: déclarée)?|usag(?:er|ère)|résidente?|enfant(?: concernée?)?|conjointe?|naam|voornaam"
    r"|personne concernée|cliënte?|patiënte?|betrokkene|aanvrager|bewoner|bewoonster|kind)\s*:\s*"
)

ROLE_OR_AGE_AFTER_NAME = regex.compile(
    r"\s*[,(]\s*(?:(?P<age>\d{1,3}\s*(?:ans|jaar))\b"
    r"|(?:(?:l['’]|la |le |notre |son |sa |leur |de |het |onze |ons |zijn |haar |hun )?(?P<role>[\p{L}-]+)))"
)


class PersonNameRecognizer(EntityRecognizer):
    """Names found by patterns: after a civility title, a known first name with what follows, the
    value of a name field. The small French model misses many of them."""

    MAX_NAME_WORDS = 4

    def __init__(self, lexicon: Container[str]):
        self.lexicon = lexicon
        super().__init__(supported_entities=[PERSON], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if PERSON not in entities:
            return []
        words = NameWords.of(text, self.lexicon)
        spans = (
            self._after_titles(words)
            + self._first_names(words)
            + self._after_relation_words(words)
            + self._before_roles_and_ages(words)
            + self._name_fields(words)
        )
        # The engine adds which recogniser found each one.
        return [RecognizerResult(PERSON, start, end, SCORE) for start, end in spans]

    def _name_after(self, words: NameWords, index: int, *, allow_lowercase: bool = False) -> int:
        """How many tokens from index make a name (particles included); 0 if none."""
        tokens, text = words.tokens, words.text
        taken = names = 0
        while index + taken < len(tokens) and names < self.MAX_NAME_WORDS:
            token = tokens[index + taken]
            if taken and not _adjacent(text, tokens[index + taken - 1], token):
                break
            following = tokens[index + taken + 1] if index + taken + 1 < len(tokens) else None
            if (
                words.is_particle(token)
                and following is not None
                and _adjacent(text, token, following)
                and following.capitalised
                and not is_title(following)
                and not words.is_protected(following)
            ):
                # After a particle, a capitalised word is a surname even if it is French: "De Vos".
                taken, names = taken + 2, names + 1
                continue
            if words.could_be_name(token):
                taken, names = taken + 1, names + 1
                continue
            # "madame öztürk": after a title, a word that is not French is a name even in lower case.
            if allow_lowercase and not names and len(token.text) > 2 and not words.is_ordinary_word(token):
                taken, names = taken + 1, names + 1
                continue
            break
        while taken and names and words.is_particle(tokens[index + taken - 1]):
            taken -= 1
        return taken if names else 0

    def _after_titles(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens[:-1]):
            if not is_title(token) or not _after_title(words.text, token, tokens[i + 1]):
                continue
            count = self._name_after(words, i + 1, allow_lowercase=True)
            if count:
                spans.append((token.start, tokens[i + count].end))
        return spans

    def _first_names(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens):
            if words.is_first_name_in_lower_case(token):
                spans.append((token.start, token.end))  # "youssef", typed quickly
                continue
            if not words.is_first_name(token):
                continue
            end = token.end
            if i + 1 < len(tokens) and _adjacent(words.text, token, tokens[i + 1]):
                count = self._name_after(words, i + 1)
                if count:
                    end = tokens[i + count].end
            spans.append((token.start, end))
        return spans

    def _after_relation_words(self, words: NameWords) -> list[tuple[int, int]]:
        """ "son frère Rachid", "l'inspecteur Devos", "notre infirmière, Bérénice": the name only."""
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens[:-1]):
            word = token.text.lower()
            following = tokens[i + 1]
            gap = _gap(words.text, token, following)
            if word in RELATION_WORDS and gap.strip(" \u00a0") == "" and len(gap) <= 3:
                plausible = words.is_unknown_name(following) or words.is_first_name(following)
            elif (word in RELATION_WORDS or word in ROLE_WORDS_NEAR_NAMES) and gap.strip(" \u00a0") == ",":
                # After "son frère," a capitalised word is a name even when French knows it ("Alpha").
                plausible = words.could_be_name(following) and not following.sentence_start
            else:
                continue
            if plausible:
                count = self._name_after(words, i + 1)
                if count:
                    spans.append((following.start, tokens[i + count].end))
        return spans

    def _before_roles_and_ages(self, words: NameWords) -> list[tuple[int, int]]:
        """ "Gwenaëlle, infirmière", "Nadia (coordinatrice)", "Tiffany, 19 ans": a name."""
        spans = []
        for token in words.tokens:
            if not words.could_be_name(token):
                continue
            if token.sentence_start and not (words.is_unknown_name(token) or words.is_first_name(token)):
                continue  # "Hier, 3 ans après": a French word starting a sentence is that word
            after = words.text[token.end : token.end + 40]
            role = ROLE_OR_AGE_AFTER_NAME.match(after)
            if role and (role["age"] or role["role"].lower() in ROLE_WORDS_NEAR_NAMES):
                spans.append((token.start, token.end))
        return spans

    def _name_fields(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        starts = {token.start: i for i, token in enumerate(words.tokens)}
        for field_match in NAME_FIELD.finditer(words.text):
            i = starts.get(field_match.end())
            if i is None:
                continue
            while i < len(words.tokens) - 1 and is_title(words.tokens[i]):
                i += 1
            count = self._name_after(words, i)
            if count:
                span_tokens = words.tokens[i : i + count]
                if any(
                    words.is_unknown_name(t) or words.is_first_name(t) or t.all_capitals for t in span_tokens
                ):
                    spans.append((span_tokens[0].start, span_tokens[-1].end))
        return spans
