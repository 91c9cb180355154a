"""spaCy's persons and places, without the capitalised French words, institutions and countries
the small model takes for one, and with the first names it takes for places."""

from collections.abc import Container

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from meetings.anonymiser.entities import PERSON, PLACE
from meetings.anonymiser.recognizers.constants import LANGUAGE
from meetings.anonymiser.recognizers.tokens import NameWords, is_title
from meetings.anonymiser.recognizers.words import COUNTRIES_AND_REGIONS, LOCATIVE_WORDS
from meetings.anonymiser.replacements import area_of_place, fold


class FilteredSpacyRecognizer(SpacyRecognizer):
    """spaCy's persons and places, without what the small model takes for one: a capitalised
    French word ("Madame", "Lors"), an institution ("CHU Saint-Pierre"), a country."""

    def __init__(self, lexicon: Container[str]):
        self.lexicon = lexicon
        super().__init__(supported_language=LANGUAGE, supported_entities=[PERSON, PLACE])

    def analyze(self, text, entities, nlp_artifacts=None):
        words = NameWords.of(text, self.lexicon)
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            # The model sometimes runs an entity over a line break ("Tournai\n\nDylan"): each line
            # is judged on its own.
            start = result.start
            for line in text[result.start : result.end].split("\n"):
                if line.strip():
                    offset = start + len(line) - len(line.lstrip())
                    line_result = RecognizerResult(
                        result.entity_type, offset, offset + len(line.strip()), result.score
                    )
                    for part in self._pieces(words, line_result):
                        part.recognition_metadata = result.recognition_metadata
                        if self._plausible(words, part):
                            if self._person_taken_for_a_place(words, part):
                                part.entity_type = PERSON
                            results.append(part)
                start += len(line) + 1
        return results

    @staticmethod
    def _pieces(words: NameWords, result: RecognizerResult) -> list[RecognizerResult]:
        """The entity cut at its words in lower case: on a Dutch sentence the French model runs a
        name over the verb and prepositions around it ("woont zijn vriendin Katrien in
        Schaarbeek"). Particles between capitalised words stay ("Van den Bossche")."""
        runs, run = [], []
        for index in words.within(result.start, result.end):
            token = words.tokens[index]
            if token.capitalised or (run and words.is_particle(token)):
                run.append(token)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        pieces = []
        for run in runs:
            while run and not run[-1].capitalised:
                run.pop()  # a particle at the end belongs to no name
            # "Haar Afghaans paspoort", "Depuis Sylvie": the ordinary word that starts it goes.
            while (
                len(run) > 1
                and words.is_dictionary_word(run[0])
                and not (is_title(run[0]) or words.is_first_name(run[0]))
            ):
                run.pop(0)
            if run:
                start, end = max(result.start, run[0].start), min(result.end, run[-1].end)
                pieces.append(RecognizerResult(result.entity_type, start, end, result.score))
        return pieces

    @staticmethod
    def _plausible(words: NameWords, result: RecognizerResult) -> bool:
        span = words.text[result.start : result.end]
        if any(s < result.end and result.start < e for s, e in words.protected):
            return False
        tokens = [words.tokens[i] for i in words.within(result.start, result.end)]
        if result.entity_type == PLACE:
            if fold(span) in COUNTRIES_AND_REGIONS:
                return False
            return area_of_place(span) is not None or any(words.is_unknown_name(t) for t in tokens)
        return any(words.is_unknown_name(t) or words.is_first_name(t) for t in tokens)

    @staticmethod
    def _person_taken_for_a_place(words: NameWords, result: RecognizerResult) -> bool:
        """The small model calls many unfamiliar first names places ("Tiffany", "Sevara"). A word it
        calls a place, that is no commune we know, and that no preposition of place precedes
        ("à", "de", "vers") is taken for a name."""
        if result.entity_type != PLACE or area_of_place(words.text[result.start : result.end]) is not None:
            return False
        inside = words.within(result.start, result.end)
        if not inside or not all(words.could_be_name(words.tokens[i]) for i in inside):
            return False
        if inside[0] == 0:
            return True
        previous = words.tokens[inside[0] - 1]
        gap = words.text[previous.end : result.start]
        return previous.text.lower() not in LOCATIVE_WORDS or gap.strip(" '’") != ""
