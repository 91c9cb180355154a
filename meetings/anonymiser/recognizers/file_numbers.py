"""File and record numbers: of a hospital, a service, a court, the police (dossier n° 2023/4517,
réf. interne PSY-2024-0431, numéro de rôle de la JP : 24A1187, notitienummer BR.12.L3.045678/2024).

Most are found after a word that announces them (CUE_WORDS[FILE_NUMBER]), right before or a few
words before ("Référence dossier CPAS : …", FILE_NUMBER_FILLER). A few have a form that is no word,
date or phone anywhere: a service's letters, a year and a number (SSM-2023-118, VAPH-2024-338120),
or a year, letters and a number (2024/NAM/5521); those need no cue.
"""

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from meetings.anonymiser.entities import FILE_NUMBER
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE
from meetings.anonymiser.recognizers.dates import ISO_DATE, NUMERIC_DATE
from meetings.anonymiser.recognizers.registrations import (
    COURT_PREFIX,
    CUE_END,
    CUE_WORDS,
    FILE_NUMBER_FILLER,
    NUMBER_WORDS,
    SEPARATOR,
    WORD_START,
)

# The whole token, and not an amount or a share: "n° 1.234,56 €", "nr. 45 %".
_VALUE_END = r"(?![/.-]?[\p{L}\p{N}]|,\d|\s*(?:%|‰|€|EUR(?!\p{L})|euros?(?!\p{L})))"
FILE_NUMBER_PATTERN = regex.compile(
    rf"(?i){WORD_START}(?P<cue>{CUE_WORDS[FILE_NUMBER]}){CUE_END}(?P<filler>{FILE_NUMBER_FILLER})"
    # A court's prefix is part of the number: "porte le numéro RG 23/118/B".
    rf"{SEPARATOR}(?P<value>(?:{COURT_PREFIX}\s*)?[\p{{L}}\p{{N}}](?:[\p{{L}}\p{{N}}/.-]*[\p{{L}}\p{{N}}])?)"
    rf"{_VALUE_END}"
)
# Without a cue: letters, a year and a number; or a year, letters and a number. Capitals only, and
# a four-digit year of this century or the last: "COVID-19", "B-1000", "A4" are not. And a court's
# prefix before digits with a separator: "(A.R. 21/3312)", "RG 22/457/A".
_YEAR = r"(?:19|20)\d{2}"
_COURT_CODE = r"(?-i:RG|RN|AR|RK|A\.R\.|R\.G\.)\s?\d{2,}[/.]\d{2,}(?:[/.][\p{Lu}\d]+)*"
CODE_FORM = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}]|[\p{{N}}/.-])(?:\p{{Lu}}{{2,6}}(?P<s>[-/]){_YEAR}(?P=s)\d{{2,7}}"
    rf"|{_YEAR}/\p{{Lu}}{{2,6}}/\d{{2,7}}|{_COURT_CODE}){_VALUE_END}"
)
PLAIN_YEAR = regex.compile(_YEAR)
MONTH_AND_YEAR = regex.compile(rf"(?:0?[1-9]|1[0-2])[/.-]{_YEAR}")  # "le dossier 03/2024"
# After a bare "n°" or "numéro", three or four digits are more often a helpline (112, 1712), a
# room or a bus line than a file: those need a word that says what they number.
BARE_NUMBER_WORD = regex.compile(rf"(?i)(?:{NUMBER_WORDS})")
SHORT_NUMBER = regex.compile(r"\d{3,4}")


class FileNumberRecognizer(EntityRecognizer):
    """File and record numbers after a word that announces them (dossier, n°, nr., réf., RX, PV,
    patiëntnummer…), and codes that are file numbers by their form. At least three digits, and
    neither a date nor a plain year; phones, addresses and the other identifiers win over them in
    the finder."""

    def __init__(self):
        super().__init__(supported_entities=[FILE_NUMBER], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        spans = {m.span("value") for m in FILE_NUMBER_PATTERN.finditer(text) if _is_file_number(m)}
        spans |= {m.span() for m in CODE_FORM.finditer(text)}
        return [RecognizerResult(FILE_NUMBER, start, end, SCORE) for start, end in sorted(spans)]


def _is_file_number(match: regex.Match) -> bool:
    value = match["value"]
    if sum(c.isdigit() for c in value) < 3 or PLAIN_YEAR.fullmatch(value):
        return False
    if MONTH_AND_YEAR.fullmatch(value) or NUMERIC_DATE.fullmatch(value) or ISO_DATE.fullmatch(value):
        return False
    bare = BARE_NUMBER_WORD.fullmatch(match["cue"]) and not match["filler"]
    return not (bare and SHORT_NUMBER.fullmatch(value))
