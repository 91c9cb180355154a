"""Candidate slots: generated from weekdays and times, or series patterns with their next dates.

Plain functions of dates, no database: "mardis et jeudis 12:30–14:00 pendant 3 semaines" is
`generate(weekdays=[1, 3], start=12:30, end=14:00, first_day=…, weeks=3)`; "le 1er mardi" of a
series is `pattern_rule(nth=1, weekday=1, count=10)`. Times are wall-clock times in Brussels,
where the poll is proposed; each person then sees them in their own time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from meetings.recurrence import BRUSSELS, Frequency, RuleSpec, build_rrule, first_occurrence, next_dates

# How many of a pattern's dates are shown beside it, and checked for conflicts.
PATTERN_DATES_SHOWN = 4


@dataclass(frozen=True)
class Candidate:
    start: datetime
    end: datetime
    rrule: str = ""


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=BRUSSELS)


def generate(*, weekdays: list[int], start: time, end: time, first_day: date, weeks: int) -> list[Candidate]:
    """Each of WEEKDAYS (0 = Monday) from FIRST_DAY on, for WEEKS weeks, from START to END."""
    found = []
    for offset in range(weeks * 7):
        day = first_day + timedelta(days=offset)
        if day.weekday() in weekdays:
            found.append(Candidate(start=at(day, start), end=at(day, end)))
    return found


def pattern_rule(*, nth: int | None, weekday: int, count: int, interval: int = 1) -> str:
    """A series' rule: the NTH WEEKDAY of each month (1..4, -1 for the last), or with NTH None
    every WEEKDAY (every INTERVAL weeks); COUNT sessions."""
    if nth is None:
        spec = RuleSpec(frequency=Frequency.WEEKLY, interval=interval, weekdays=(weekday,), count=count)
    else:
        spec = RuleSpec(
            frequency=Frequency.MONTHLY_NTH_WEEKDAY, interval=interval, nth=nth, weekday=weekday, count=count
        )
    return build_rrule(spec)


def pattern(*, rule: str, start: time, duration: timedelta, after: datetime) -> Candidate:
    """The candidate of a series' RULE: its first date from the day after AFTER, at START in
    Brussels (the series' first session, DTSTART, is one of the rule's dates)."""
    first = first_occurrence(rule, at(after.astimezone(BRUSSELS).date() + timedelta(days=1), start))
    return Candidate(start=first, end=first + duration, rrule=rule)


def dates_of(candidate, count: int = PATTERN_DATES_SHOWN) -> list[tuple[datetime, datetime]]:
    """The sessions a candidate stands for: itself, or a pattern's first COUNT dates."""
    length = candidate.end - candidate.start
    if not candidate.rrule:
        return [(candidate.start, candidate.end)]
    return [(start, start + length) for start in next_dates(candidate.rrule, candidate.start, count=count)]
