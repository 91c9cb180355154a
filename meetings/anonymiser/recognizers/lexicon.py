"""The ordinary words of French and Dutch, to tell a surname ("Verstraeten", "Wouters") from a
capitalised word ("Depuis", "Gisteren"), each paragraph by its own language.

French: the lemmas and inflected forms of the French model's lemmatiser tables (engine.py).
Dutch: no Dutch spaCy model is published on PyPI, so the words come from wordfreq's Dutch
frequency list (read straight from its data file: importing wordfreq costs a third of a second),
the words frequent enough to be ordinary, without the first names and frequent surnames that such
a list counts as often as words, plus spaCy's Dutch stop words; a compound ("Wijkgezondheidscentrum")
is known when its parts are.
"""

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import msgpack

from meetings.anonymiser.languages import DUTCH, Paragraphs
from meetings.anonymiser.recognizers.words import FUNCTION_WORDS, FrenchLexicon, _words
from meetings.anonymiser.replacements import FIRST_NAMES, frequent_surnames

# wordfreq's lists hold one bucket of words per centibel of frequency: bucket i holds the words
# seen 10^(-i/100) of the time. Zipf 3 (once per million words) is bucket 600, zipf 4 bucket 500.
_ORDINARY_BUCKETS = 600
_COMMON_BUCKETS = 500
DUTCH_FUNCTION_WORDS = _words(
    """
    januari februari maart april mei juni juli augustus september oktober november december
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag gisteren vandaag morgen eergisteren
    overmorgen nadien daarna daarop ondertussen intussen bovendien volgens tijdens sinds vanaf
    """
)


# Dutch writes nationalities and languages with a capital: "een Roemeense identiteitskaart".
DUTCH_NATIONALITIES = _words(
    """
    belg belgische belgisch marokkaan marokkaanse marokkaans turk turkse turks congolees congolese
    roemeen roemeense roemeens pool poolse pools bulgaar bulgaarse bulgaars syriër syrische syrisch
    afghaan afghaanse afghaans eritreeër eritrese somaliër somalische somalisch guinees guinese
    kameroener kameroense albanees albanese kosovaar kosovaarse oekraïner oekraïense oekraïens rus
    russische russisch spanjaard spaanse spaans portugees portugese italiaan italiaanse italiaans
    fransman franse frans nederlander nederlandse nederlands vlaming vlaamse vlaams waal waalse
    brusselaar brusselse arabier arabische arabisch engelse engels duitse duits berbers lingala
    dari pasjtoe tigrinya iraaks iraakse iraniër iraanse algerijn algerijnse tunesiër tunesische
    senegalees senegalese rwandees rwandese burundees burundese europees europese afrikaans
    afrikaanse
    """
)


def _wordfreq_dutch_words() -> tuple[set[str], set[str]]:
    """The Dutch words of zipf 3 and more, and those of zipf 4 and more."""
    spec = importlib.util.find_spec("wordfreq")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_nl.msgpack.gz"
    with gzip.open(data, "rb") as handle:
        buckets = msgpack.load(handle, raw=False)[1:]  # the first item is the format's header
    words = {word for bucket in buckets[: _ORDINARY_BUCKETS + 1] for word in bucket}
    return words, {word for bucket in buckets[: _COMMON_BUCKETS + 1] for word in bucket}


class DutchLexicon:
    """Dutch ordinary words; see the module's docstring.

    Dutch writes its nouns in lower case: in the middle of a sentence a capitalised word is a name
    or a proper noun, unless it is one of the most common words (zipf 4, once in 10,000 words:
    "Huis", "Kind"). Frequency lists count names as words ("bertrand" is as frequent as
    "agentschap"), so only a sentence's first word is looked up in the whole list."""

    def __init__(self):
        from spacy.lang.nl.stop_words import STOP_WORDS

        self.names = FIRST_NAMES | frequent_surnames()
        words, common = _wordfreq_dutch_words()
        always = set(STOP_WORDS) | DUTCH_FUNCTION_WORDS | DUTCH_NATIONALITIES
        self.words = (words - self.names) | always
        self.common = (common - self.names) | always

    def knows(self, word: str, *, sentence_start: bool = True) -> bool:
        if sentence_start:
            return word in self
        return word.lower().replace("’", "'") in self.common

    def __contains__(self, word: str) -> bool:
        word = word.lower().replace("’", "'")
        if word in self.words:
            return True
        parts = [part for part in word.split("-") if part]
        if len(parts) > 1:
            return all(part in self for part in parts)
        return self._compound(word)

    @lru_cache(maxsize=4096)  # noqa: B019 - one lexicon per process, built once
    def _compound(self, word: str) -> bool:
        """ "wijkgezondheidscentrum" = "wijk" + "gezondheid" + "s" + "centrum": every part known.

        Parts of four letters at least: many Flemish surnames are a short word and another
        ("Ver" + "bruggen", "Van" + "damme"), and the frequent ones are never compounds."""
        if len(word) < 8 or word in self.names:
            return False
        for split in range(4, len(word) - 3):
            head, tail = word[:split], word[split:]
            if head in self.words:
                if tail in self.words and len(tail) >= 4:
                    return True
                for link in ("s", "en", "e"):  # the linking sounds of Dutch compounds
                    rest = tail.removeprefix(link)
                    if rest != tail and ((rest in self.words and len(rest) >= 4) or self._compound(rest)):
                        return True
                if self._compound(tail):
                    return True
        return False


class Lexicon:
    """French and Dutch ordinary words, asked about a word in the language of its paragraph."""

    def __init__(self, french: FrenchLexicon, dutch: DutchLexicon, reader):
        self.french = french
        self.dutch = dutch
        self.reader = reader  # languages.LanguageReader

    def paragraphs(self, text: str) -> Paragraphs:
        return _paragraphs(self.reader, text)

    def knows(self, word: str, language: str | None, *, sentence_start: bool = True) -> bool:
        if language == DUTCH:
            return word.lower() in FUNCTION_WORDS or self.dutch.knows(word, sentence_start=sentence_start)
        return word in self.french

    def __contains__(self, word: str) -> bool:
        """Known to French: for the callers that have no paragraph to ask about."""
        return word in self.french


@lru_cache(maxsize=8)
def _paragraphs(reader, text: str) -> Paragraphs:
    return reader.paragraphs(text)


def forget_paragraphs() -> None:
    _paragraphs.cache_clear()
