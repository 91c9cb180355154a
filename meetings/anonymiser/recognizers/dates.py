"""Dates in French and Dutch forms, the cues that make one a date of birth, and reading the date
a finding holds."""

from datetime import date

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from meetings.anonymiser.entities import DATE, DATE_OF_BIRTH
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE

# Dates.

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fév": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12,
    "decembre": 12, "déc": 12, "dec": 12, "januari": 1, "februari": 2, "maart": 3, "april": 4,
    "mei": 5, "juni": 6, "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11,
    "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)
NUMERIC_DATE = regex.compile(
    r"(?<![\d/.-])(?P<day>0?[1-9]|[12]\d|3[01])(?P<separator>[/.-])(?P<month>0?[1-9]|1[0-2])"
    r"(?P=separator)(?P<year>\d{4}|\d{2})(?![\d/-]|[.,]\d)"
)
ISO_DATE = regex.compile(
    r"(?<![\d/.-])(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])"
)
WRITTEN_DATE = regex.compile(
    rf"(?i)(?<![\p{{L}}\p{{N}}])(?P<day>1er|0?[1-9]|[12]\d|3[01])\s+"
    rf"(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>(?:1[89]|20)\d{{2}})(?!\d)"
)
WEEKDAY_BEFORE = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{_WEEKDAYS})\s+$")
# "né en 1987": the year alone is a date of birth.
BIRTH_YEAR = regex.compile(
    r"(?i)(?<![\p{L}])(?:née?s?|nee|geboren)\s+(?:en|in)\s+(?P<year>(?:19|20)\d{2})(?!\d)"
)
# Words that make a date a date of birth: "née le", "date de naissance", "DDN", "° 3.3.1987".
BIRTH_CUE = regex.compile(
    r"(?i)(?<![\p{L}])(?:née?s?|nee|naissance|d\.?d\.?n|geboren|geb|geboortedatum|geboortedag|anniversaire"
    r"|verjaardag|\d{1,3}\s+ans\s+(?:depuis\s+)?le)(?![\p{L}])|(?<![nN])°"
    # "34 ans (9 septembre 1991)", "38 ans, 17/07/1984", "41 jaar (3/2/1985)": an age, then the date
    r"|(?<![\p{N}])\d{1,3}\s+(?:ans|jaar)\s*[,(]\s*$"
)
SENTENCE_END = regex.compile(r"[.!?;\n](?=\s)|\n")
BIRTH_CUE_REACH = 45  # characters: "née à Liège le 3 mars 1987" but not a cue two lines up


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date written in text (a finding), or None when it is not a valid calendar date."""
    for pattern in (NUMERIC_DATE, ISO_DATE, WRITTEN_DATE, BIRTH_YEAR):
        match = pattern.search(text)
        if match:
            return _date_of(match, today)
    return None


def _date_of(match: regex.Match, today: date | None = None) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        # A year written in two digits is in the past: "03-03-87" is 1987, "05/10/01" 2001.
        this_year = (today or date.today()).year
        year += 2000 if 2000 + year <= this_year else 1900
    if groups.get("month") is None:
        return date(year, 7, 1)  # only the year is known: mid-year is the fairest guess for an age
    month = groups["month"]
    month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    day = groups["day"].lower()
    day = 1 if day == "1er" else int(day)
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateRecognizer(EntityRecognizer):
    """Full dates (day, month and year) in French and Dutch forms; a date near a birth cue is a
    date of birth."""

    def __init__(self):
        super().__init__(supported_entities=[DATE_OF_BIRTH, DATE], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        matches = []
        for pattern in (NUMERIC_DATE, ISO_DATE, WRITTEN_DATE):
            matches += [m for m in pattern.finditer(text) if _date_of(m) is not None]
        matches.sort(key=lambda m: m.start())
        results, previous_end = [], 0
        for match in matches:
            start = match.start()
            weekday = WEEKDAY_BEFORE.search(text[max(0, start - 12) : start])
            if weekday:  # "lundi 5 février 2024"
                start -= len(weekday.group())
            kind = DATE_OF_BIRTH if self._after_birth_cue(text, start, previous_end) else DATE
            results.append(self._result(kind, start, match.end()))
            previous_end = match.end()
        for match in BIRTH_YEAR.finditer(text):
            results.append(self._result(DATE_OF_BIRTH, match.start("year"), match.end("year")))
        return [r for r in results if r.entity_type in entities]

    @staticmethod
    def _after_birth_cue(text: str, start: int, previous_end: int) -> bool:
        reach = max(previous_end, start - BIRTH_CUE_REACH)
        window = text[reach:start]
        ends = list(SENTENCE_END.finditer(window))
        if ends:
            window = window[ends[-1].end() :]
        return BIRTH_CUE.search(window) is not None

    @staticmethod
    def _result(kind: str, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(kind, start, end, SCORE)  # the engine adds which recogniser found it
