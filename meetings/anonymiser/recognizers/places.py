"""Belgian communes and their sections, with or without their postcode (the districts of Brussels
are words that stay: data/keep/districts.txt)."""

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from meetings.anonymiser.entities import PLACE
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE
from meetings.anonymiser.replacements import CITY_OF_BRUSSELS, PLACE_NAMES, fold


class PlaceRecognizer(EntityRecognizer):
    """Belgian communes and their sections, and "1030 Schaerbeek"."""

    def __init__(self):
        names = "|".join(regex.escape(name) for name in sorted(PLACE_NAMES, key=len, reverse=True))
        self.pattern = regex.compile(
            # The lookahead lets the engine skip to capitals and digits: seven times faster. An
            # elided article may precede: "le CPAS d'Anderlecht".
            rf"(?=[\p{{Lu}}1-9])(?:(?<=(?<!\p{{L}})[dDlL]['’])|(?<![\p{{L}}\p{{N}}'’-]))"
            rf"(?:(?P<postcode>(?<!\d)[1-9]\d{{3}})\s+)?(?P<name>{names}|Bruxelles|Brussel)"
            rf"(?:-(?:Sud|Nord|Ouest|Est|Ville|Centre))?(?![\p{{L}}\p{{N}}-])"
        )
        super().__init__(supported_entities=[PLACE], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for match in self.pattern.finditer(text):
            if fold(match["name"]) in CITY_OF_BRUSSELS and not match["postcode"]:
                continue  # "Bruxelles" alone is the city or the region: too wide to tell who
            # The engine adds which recogniser found it: find() trusts this list's communes most.
            results.append(RecognizerResult(PLACE, match.start(), match.end(), SCORE))
        return results
