"""Candidate slots without a database: generated ones, series patterns and their next dates,
wall-clock times kept across the change of time in late March."""

from datetime import date, datetime, time, timedelta

from meetings.polls.slots import Candidate, at, dates_of, generate, pattern, pattern_rule
from meetings.recurrence import BRUSSELS

TUESDAY, THURSDAY = 1, 3


def test_tuesdays_and_thursdays_for_three_weeks_give_six_slots():
    found = generate(
        weekdays=[TUESDAY, THURSDAY],
        start=time(12, 30),
        end=time(14, 0),
        first_day=date(2026, 11, 23),
        weeks=3,
    )

    assert [c.start.date() for c in found] == [
        date(2026, 11, 24),
        date(2026, 11, 26),
        date(2026, 12, 1),
        date(2026, 12, 3),
        date(2026, 12, 8),
        date(2026, 12, 10),
    ]
    assert all((c.start.time(), c.end.time(), c.rrule) == (time(12, 30), time(14, 0), "") for c in found)
    assert all(c.start.tzinfo == BRUSSELS for c in found)


def test_generation_starts_on_the_first_day_and_counts_whole_weeks():
    # From a Thursday for one week: that Thursday, then the Tuesday after it.
    found = generate(
        weekdays=[TUESDAY, THURSDAY], start=time(9), end=time(10), first_day=date(2026, 11, 26), weeks=1
    )

    assert [c.start.date() for c in found] == [date(2026, 11, 26), date(2026, 12, 1)]


def test_generated_slots_keep_their_wall_clock_time_across_the_change_of_time():
    # Summer time begins on Sunday 28 March 2027.
    found = generate(
        weekdays=[TUESDAY], start=time(12, 30), end=time(14, 0), first_day=date(2027, 3, 22), weeks=2
    )

    assert [c.start.astimezone(BRUSSELS).time() for c in found] == [time(12, 30), time(12, 30)]
    assert [c.start.utcoffset() for c in found] == [timedelta(hours=1), timedelta(hours=2)]
    assert [(c.end - c.start) for c in found] == [timedelta(minutes=90)] * 2


def test_a_monthly_pattern_starts_on_its_first_date_after_the_given_moment():
    rule = pattern_rule(nth=1, weekday=TUESDAY, count=10)
    candidate = pattern(
        rule=rule, start=time(12, 30), duration=timedelta(minutes=90), after=at(date(2026, 11, 23), time(18))
    )

    assert rule == "FREQ=MONTHLY;BYDAY=+1TU;COUNT=10"
    assert candidate.start == at(date(2026, 12, 1), time(12, 30))
    assert candidate.end == at(date(2026, 12, 1), time(14, 0))
    assert candidate.rrule == rule


def test_the_last_weekday_of_the_month_and_every_other_week():
    assert pattern_rule(nth=-1, weekday=THURSDAY, count=4) == "FREQ=MONTHLY;BYDAY=-1TH;COUNT=4"
    assert pattern_rule(nth=None, weekday=THURSDAY, count=6) == "FREQ=WEEKLY;BYDAY=TH;COUNT=6"
    assert (
        pattern_rule(nth=None, weekday=THURSDAY, count=6, interval=2)
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6"
    )

    last = pattern(
        rule=pattern_rule(nth=-1, weekday=THURSDAY, count=4),
        start=time(20),
        duration=timedelta(hours=2),
        after=at(date(2026, 11, 19), time(10)),
    )
    assert [start.date() for start, _end in dates_of(last)] == [
        date(2026, 11, 26),
        date(2026, 12, 31),
        date(2027, 1, 28),
        date(2027, 2, 25),
    ]


def test_a_patterns_next_dates_keep_their_time_across_the_change_of_time():
    # The 3rd Thursday, from February 2027: 18 February (winter), 18 March (winter), 15 April (summer).
    candidate = pattern(
        rule=pattern_rule(nth=3, weekday=THURSDAY, count=10),
        start=time(12, 30),
        duration=timedelta(minutes=90),
        after=at(date(2027, 2, 1), time(10)),
    )

    dates = dates_of(candidate, count=3)

    assert [start.date() for start, _end in dates] == [
        date(2027, 2, 18),
        date(2027, 3, 18),
        date(2027, 4, 15),
    ]
    assert {start.astimezone(BRUSSELS).time() for start, _end in dates} == {time(12, 30)}
    assert {end - start for start, end in dates} == {timedelta(minutes=90)}
    assert [start.utcoffset() for start, _end in dates] == [timedelta(hours=1)] * 2 + [timedelta(hours=2)]


def test_a_weekly_pattern_shows_four_dates_and_never_more_than_its_sessions():
    weekly = pattern(
        rule=pattern_rule(nth=None, weekday=TUESDAY, count=2),
        start=time(9),
        duration=timedelta(hours=1),
        after=at(date(2027, 3, 20), time(10)),
    )

    assert [start for start, _end in dates_of(weekly)] == [
        at(date(2027, 3, 23), time(9)),
        at(date(2027, 3, 30), time(9)),
    ]


def test_a_single_slot_stands_for_itself():
    slot = Candidate(start=at(date(2026, 11, 24), time(12, 30)), end=at(date(2026, 11, 24), time(14)))

    assert dates_of(slot) == [(slot.start, slot.end)]
    assert isinstance(slot.start, datetime)
