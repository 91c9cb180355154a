"""The words that must stay: what a vignette names on purpose and that looks like a name or a place.

- the package's lists, data/keep/*.txt (care words, services, hospitals, medicines, diseases
  named after a person, Brussels districts), one term per line, read once, when the engine is
  built (package_terms);
- the terms a coordinator added for a network, passed to find(keep=...) for one call (keeping);
- a street named without a house number ("boulevard Lemonnier", "de Ninoofsesteenweg"): it says
  where something is, not who lives there. With a number it is an address, found as one.

Inside these spans nothing is a person or a place. A term in capitals ("CPAS", "ONE") is matched
as written, so that "one" or "Dis" are not it; any other in any case and with or without accents
("Methadone", "l'institut Bordet", "d'Alzheimer"), as whole words.
"""

import contextlib
import functools
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path

import regex

from meetings.anonymiser.recognizers.addresses import (
    _CAPITALISED,
    _DUTCH_STREET_ENDINGS,
    _DUTCH_STREET_PREFIXES,
    _NOT_A_TITLE,
    _STREET_LINK,
)
from meetings.anonymiser.recognizers.tokenizer import Token, tokens_of
from meetings.anonymiser.replacements import CIVILITIES, fold, is_first_name

DATA = Path(__file__).resolve().parent.parent / "data" / "keep"

# "l'Institut Bordet" at the start of a sentence: the tokens keep an elision before a capital
# (for "N'Diaye"), the terms are looked for after it too.
_ELIDED = regex.compile(r"(?i)^(?:[dl]|qu)['’](?=\p{L})")


def read_lists(directory: Path = DATA) -> dict[str, tuple[str, ...]]:
    """Each file's terms by its name ("medicines"): one a line, "#" lines are comments."""
    lists = {}
    for path in sorted(directory.glob("*.txt")):
        terms = []
        for line in path.read_text(encoding="utf-8").splitlines():
            term = " ".join(line.split())
            if term and not term.startswith("#"):
                terms.append(term)
        lists[path.stem] = tuple(terms)
    return lists


def _as_written(term: str) -> bool:
    """An abbreviation in capitals: matched in capitals only."""
    letters = [c for c in term if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


# The care nouns Dutch glues to a name: "Balintgroep", "Sint-Pietersziekenhuis".
COMPOUND_TAILS = (
    "groepen", "groep", "ziekenhuis", "kliniek", "team", "werking", "centrum", "project", "huis",
    "dienst", "afdeling", "consult", "consultatie", "therapie", "syndroom", "ziekte", "patient",
    "patiente", "patiënt", "patiënte", "instituut", "netwerk", "overleg",
)  # fmt: skip
COMPOUND_TAIL = regex.compile("(?:" + "|".join(sorted(COMPOUND_TAILS, key=len, reverse=True)) + ")$")


class KeptTerms:
    """Terms to keep, looked up token by token: a term is its tokens, the same words in the
    text with nothing but spaces between them (or the term's own punctuation)."""

    def __init__(self, terms: Iterable[str]):
        # First word (folded) → [(number of tokens, the term from its first to its last word,
        # as written or folded, whether it is matched as written)], longest first.
        self.by_first_word: dict[str, list[tuple[int, str, bool]]] = {}
        self.terms = []
        for term in terms:
            term = " ".join(str(term).split())
            words = tokens_of.__wrapped__(term)  # not cached: the cache is for texts
            if not words:
                continue
            self.terms.append(term)
            exact = _as_written(term)
            start = words[0].start + _elision_length(words[0].text)
            body = term[start : words[-1].end]
            first = fold(words[0].text[_elision_length(words[0].text) :])
            entry = (len(words), body if exact else fold(body), exact)
            self.by_first_word.setdefault(first, []).append(entry)
        for entries in self.by_first_word.values():
            entries.sort(key=lambda entry: -entry[0])
        # The first words in lower case too, accents kept: most words of a text are looked up
        # with str.lower() alone, and only those that could start a term are folded.
        self._first_words_lowered = {key.lower() for key in self.by_first_word} | {
            words[0].text.lower() for words in map(tokens_of.__wrapped__, self.terms) if words
        }

        # Terms of one word, for the Dutch compounds built on them ("Balintgroep").
        self.single_words = {
            body for entries in self.by_first_word.values() for count, body, exact in entries if count == 1
        }

    def __len__(self) -> int:
        return len(self.terms)

    def _compound(self, word: str) -> bool:
        """ "Balintgroep", "Sint-Pietersziekenhuis", "Alzheimerpatiënt": a kept term glued to a care
        noun, as Dutch writes it, is kept too."""
        folded = fold(word)
        tail = COMPOUND_TAIL.search(folded)
        if tail is None or tail.start() < 4:
            return False
        head = folded[: tail.start()].rstrip("-")
        return (
            head in self.single_words
            or head.removesuffix("s") in self.single_words
            or word[: len(head)] in self.single_words  # a term kept as written ("ONE")
        )

    def spans(self, text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
        found = []
        for i, token in enumerate(tokens):
            elided = _elision_length(token.text)
            word = token.text[elided:]
            lowered = word.lower()
            if not lowered.isascii():
                lowered = lowered.translate(_WITHOUT_ACCENTS)
            known = lowered in self._first_words_lowered
            candidates = self.by_first_word.get(fold(word)) if known else None
            if candidates is None:
                if len(word) >= 8 and lowered.endswith(COMPOUND_TAILS) and self._compound(token.text):
                    found.append((token.start, token.end))
                continue
            start = token.start + elided
            for count, body, exact in candidates:
                if i + count > len(tokens):
                    continue
                end = tokens[i + count - 1].end
                written = " ".join(text[start:end].split())
                if (written if exact else fold(written)) == body:
                    found.append((start, end))
                    break
        return found


# Lower-case letters without their accents, as fold() gives them, at the cost of str.translate:
# a word's first letters are compared with the terms' before fold() reads it whole.
_WITHOUT_ACCENTS = str.maketrans(
    {
        **dict.fromkeys("àáâãäå", "a"), "ç": "c", **dict.fromkeys("èéêë", "e"), **dict.fromkeys("ìíîï", "i"),
        "ñ": "n", **dict.fromkeys("òóôõö", "o"), **dict.fromkeys("ùúûü", "u"), "ý": "y", "ÿ": "y", "’": "'",
    }
)  # fmt: skip


def _elision_length(word: str) -> int:
    if "'" not in word[1:4] and "’" not in word[1:4]:
        return 0  # most words: no need for the expression
    elided = _ELIDED.match(word)
    return elided.end() if elided else 0


@functools.cache
def package_terms() -> KeptTerms:
    """The package's lists, read once per process (when the engine builds its recognisers)."""
    return KeptTerms(term for terms in read_lists().values() for term in terms)


# The terms of one call to find(), for the recognisers it runs (they cannot be passed through
# Presidio's analyzer): a context variable, so that threads do not share them.
_terms_of_the_call: ContextVar[KeptTerms | None] = ContextVar("kept_terms_of_the_call", default=None)


@contextlib.contextmanager
def keeping(terms: Iterable[str]) -> Iterator[None]:
    """Within this block, the terms are kept too."""
    extra = KeptTerms(t for t in terms if t and str(t).strip())
    token = _terms_of_the_call.set(extra if len(extra) else None)
    try:
        yield
    finally:
        _terms_of_the_call.reset(token)


def terms_of_the_call() -> KeptTerms | None:
    return _terms_of_the_call.get()


# Streets named alone.

# The kinds of street whose word means nothing else: after them, a capitalised word is a street.
_STREET_ONLY_KINDS = (
    r"rue|avenue|av\.|chaussée|chée|boulevard|bd|bld|boul\.|quai|square|drève|impasse|parvis|esplanade"
    r"|rond-point"
)
# Words that are streets as well as other things ("la place de Sylvie", "le passage de Karim"):
# streets only when no first name follows.
_OTHER_STREET_KINDS = (
    r"place|pl\.|passage|chemin|cité|allée|clos|sentier|galerie|route|ruelle|venelle|voie|promenade"
    r"|résidence"
)
# Not "à", "en", "sur" first: "il cède sa place à Karim" names no street.
_FIRST_LINK = r"(?:(?:de la|de l['’]|de|du|des|d['’]|aux|au)\s*)"
_WORD = rf"{_NOT_A_TITLE}{_CAPITALISED}"
STREET_ALONE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?P<kind>(?i:{_STREET_ONLY_KINDS}|{_OTHER_STREET_KINDS}))\s+"
    rf"(?P<name>(?>{_FIRST_LINK}?{_WORD}(?:\s+{_STREET_LINK}?(?:{_WORD}|[IVX]+(?!\p{{L}})))*))"
    r"(?!\s*,?\s*\d)"
)
# Dutch street names are one word; four letters at least before the ending, so that a surname
# such as "Verlaan" is not one.
_DUTCH_ENDINGS = _DUTCH_STREET_ENDINGS  # the address recogniser's: a street alone is the same street
DUTCH_STREET_ALONE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:(?:{_DUTCH_STREET_PREFIXES})\s+)?\p{{Lu}}[\p{{L}}'’-]{{3,}}(?:{_DUTCH_ENDINGS})"
    r"(?![\p{L}\p{N}-])(?!\s*,?\s*\d)"
)
_OTHER_KIND = regex.compile(rf"(?i:{_OTHER_STREET_KINDS})")
# The expressions run only where a token may start a street: scanning the whole text for any of
# thirty kinds of street costs more than the rest of this module.
_KIND_TOKENS = {fold(kind.rstrip("\\.")) for kind in f"{_STREET_ONLY_KINDS}|{_OTHER_STREET_KINDS}".split("|")}
_DUTCH_ENDING_TOKENS = tuple(_DUTCH_ENDINGS.split("|"))


def streets_named_alone(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    spans = []
    for token in tokens:
        if token.text.lower().translate(_WITHOUT_ACCENTS) in _KIND_TOKENS:
            match = STREET_ALONE.match(text, token.start)
            if match is None:
                continue
            if _OTHER_KIND.fullmatch(match["kind"]):
                words = regex.findall(r"\p{L}[\p{L}'’-]*", match["name"])
                if any(is_first_name(w) or fold(w) in CIVILITIES for w in words if w[0].isupper()):
                    continue
            spans.append(match.span())
        elif token.text.endswith(_DUTCH_ENDING_TOKENS) and token.text[0].isupper():
            match = DUTCH_STREET_ALONE.match(text, token.start)
            if match is not None:
                spans.append(match.span())
    return spans


def term_spans(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Where the package's terms and the call's are."""
    spans = package_terms().spans(text, tokens)
    extra = terms_of_the_call()
    if extra is not None:
        spans += extra.spans(text, tokens)
    return spans


def protected_spans(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Where nothing is a person or a place: the package's terms, the call's, streets alone."""
    return sorted(term_spans(text, tokens) + streets_named_alone(text, tokens))
