"""The language of each paragraph of a vignette: French, Dutch, or neither.

Brussels is bilingual: a vignette may be written in Dutch, or quote a Dutch report inside a French
text. The rules that depend on the language (which capitalised words are ordinary words, how a
replacement reads) follow the paragraph they apply to; the author's interface language is no
guide. Identifiers that do not depend on a language (numbers, e-mail addresses, dates) are found
whatever the paragraph's language, and a paragraph in neither language is read with the French
rules.

The detector is lingua's, in its low-accuracy mode (trigram models shipped inside the package,
loaded in a fraction of a second; nothing is downloaded), among the languages heard in Brussels
services, so that an English, Turkish or Arabic paragraph is not taken for French or Dutch.
"""

import bisect
import functools
import re
from dataclasses import dataclass

FRENCH = "fr"
DUTCH = "nl"
LANGUAGES = (FRENCH, DUTCH)

# The languages a paragraph may be told apart from: those of the people Brussels services meet.
_CANDIDATES = (
    "FRENCH",
    "DUTCH",
    "ENGLISH",
    "GERMAN",
    "TURKISH",
    "ARABIC",
    "SPANISH",
    "PORTUGUESE",
    "ITALIAN",
    "POLISH",
    "ROMANIAN",
    "ALBANIAN",
    "RUSSIAN",
)
# Below this many letters a paragraph ("Objet :", "Naam: …") says too little: it takes the
# language of the text around it. Below _UNSURE, it does too when the detector is not sure.
_SHORT = 12
_UNSURE = 60
_TOO_FEW = 20
# The detector's confidence under which a paragraph is not said to be in any language.
_CONFIDENT = 0.5
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_WORD = re.compile(r"[^\W\d_]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words found in one language and never in the other ("de", "en" are in both): on a short
# paragraph, where trigrams say little, they decide.
_MARKERS = {
    FRENCH: _word_set(
        """
        le la les des du un une et est à au aux dans pour avec sur pas que qui il elle ils elles
        ce cette son sa ses nous vous a été chez mais ou très
        """
    ),
    DUTCH: _word_set(
        """
        het een is van op met voor niet dat die er zijn haar hij zij ze we naar ook aan bij om te
        tot uit heeft werd wordt maar of zeer kwam
        """
    ),
}


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    language: str | None  # FRENCH, DUTCH, or None: another language, or not recognised


class Paragraphs:
    """A text's paragraphs with their language, and the language at any offset."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paragraphs = paragraphs
        self._starts = [p.start for p in paragraphs]

    def language_at(self, offset: int) -> str | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.paragraphs[index].language if index >= 0 else self.main

    def rules_at(self, offset: int) -> str:
        """The language whose rules apply at offset: French where none was recognised."""
        return self.language_at(offset) or FRENCH

    @functools.cached_property
    def main(self) -> str | None:
        """The language of most of the text's letters, or None when neither French nor Dutch."""
        letters = {FRENCH: 0, DUTCH: 0, None: 0}
        for paragraph in self.paragraphs:
            letters[paragraph.language] += paragraph.end - paragraph.start
        best = max(LANGUAGES, key=letters.get)
        return best if letters[best] and letters[best] >= letters[None] else None


class LanguageReader:
    """lingua's detector among the languages of _CANDIDATES, built once per process."""

    def __init__(self):
        from lingua import Language, LanguageDetectorBuilder

        candidates = [getattr(Language, name) for name in _CANDIDATES]
        self._detector = (
            LanguageDetectorBuilder.from_languages(*candidates)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        )
        self._codes = {language: language.iso_code_639_1.name.lower() for language in candidates}

    def paragraphs(self, text: str) -> Paragraphs:
        found = []
        for match in _PARAGRAPH.finditer(text):
            piece = match.group()
            words = [word.lower() for word in _WORD.findall(piece)]
            letters = sum(map(len, words))
            decisive = _decisive_vote(words)
            if decisive:
                language = decisive  # most paragraphs: lingua's trigrams would only confirm it
            elif letters < _UNSURE:
                language = _vote(words) or (None if letters < _SHORT else self._language_of(piece, 0.9))
                language = language or "short"
            else:
                language = self._language_of(piece)
            found.append([match.start(), match.end(), language])
        known = [p[2] for p in found if p[2] != "short"]
        # Short paragraphs take the language of the paragraph before them (a title, a field
        # name), or of the first that has one; a text made only of short lines is read whole.
        if not known:
            words = [word.lower() for word in _WORD.findall(text)]
            language = (_vote(words) or self._language_of(text, 0.9)) if text.strip() else None
            if language is None and sum(map(len, words)) < _TOO_FEW:
                language = FRENCH  # "Dossier n° 2023/4567": too few letters to be in another language
            return Paragraphs([Paragraph(p[0], p[1], language) for p in found])
        previous = known[0]
        for paragraph in found:
            if paragraph[2] == "short":
                paragraph[2] = previous
            previous = paragraph[2]
        # The gaps between paragraphs belong to the paragraph before them.
        return Paragraphs([Paragraph(start, end, language) for start, end, language in found])

    def _language_of(self, text: str, confident: float = _CONFIDENT) -> str | None:
        values = self._detector.compute_language_confidence_values(text)
        if not values or values[0].value < confident:
            return None
        code = self._codes[values[0].language]
        return code if code in LANGUAGES else None


def _vote(words: list[str]) -> str | None:
    """French or Dutch by the words (in lower case) only one of them has; None on a tie."""
    french = sum(word in _MARKERS[FRENCH] for word in words)
    dutch = sum(word in _MARKERS[DUTCH] for word in words)
    if french == dutch:
        return None
    return FRENCH if french > dutch else DUTCH


def _decisive_vote(words: list[str]) -> str | None:
    """French or Dutch when the words only one of them has leave no doubt: at least five of them,
    one word in ten, four times as many as the other language's. English, Turkish or a mix of
    French and Dutch never get there, and go to the detector."""
    french = sum(word in _MARKERS[FRENCH] for word in words)
    dutch = sum(word in _MARKERS[DUTCH] for word in words)
    for language, count, other in ((FRENCH, french, dutch), (DUTCH, dutch, french)):
        if count >= 5 and count * 10 >= len(words) and count >= 4 * other:
            return language
    return None
