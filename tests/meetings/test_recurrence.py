"""Recurrence rules: shapes, daylight saving time, refusals and plain French."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from meetings.recurrence import (
    BRUSSELS,
    Frequency,
    RuleSpec,
    build_rrule,
    check_rule,
    describe,
    local_start,
    next_dates,
)

NINETY = timedelta(minutes=90)


def test_weekly_evening_meeting_keeps_its_local_time_across_both_dst_changes():
    # 2027: summer time starts on 28 March, ends on 31 October.
    rule = build_rrule(RuleSpec(frequency=Frequency.WEEKLY, weekdays=(1,), until=date(2027, 11, 30)))
    first = local_start(date(2027, 3, 16), time(19, 0))

    dates = check_rule(rule, first, NINETY)

    local_times = {d.astimezone(BRUSSELS).strftime("%H:%M") for d in dates}
    offsets = {d.astimezone(BRUSSELS).utcoffset() for d in dates}
    assert local_times == {"19:00"}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    # 23 March (winter, 18:00 UTC) and 30 March (summer, 17:00 UTC); 26 Oct and 2 Nov likewise.
    utc = {d.date(): d.astimezone(UTC).strftime("%H:%M") for d in dates}
    assert (utc[date(2027, 3, 23)], utc[date(2027, 3, 30)]) == ("18:00", "17:00")
    assert (utc[date(2027, 10, 26)], utc[date(2027, 11, 2)]) == ("17:00", "18:00")


def test_third_thursday_of_each_month():
    rule = build_rrule(RuleSpec(frequency=Frequency.MONTHLY_NTH_WEEKDAY, nth=3, weekday=3, count=4))

    dates = check_rule(rule, local_start(date(2026, 11, 1), time(12, 30)), NINETY)

    assert rule == "FREQ=MONTHLY;BYDAY=+3TH;COUNT=4"
    assert [d.date() for d in dates] == [
        date(2026, 11, 19),
        date(2026, 12, 17),
        date(2027, 1, 21),
        date(2027, 2, 18),
    ]


def test_last_friday_and_day_of_month_rules():
    last_friday = build_rrule(RuleSpec(frequency=Frequency.MONTHLY_NTH_WEEKDAY, nth=-1, weekday=4, count=2))
    fifteenth = build_rrule(RuleSpec(frequency=Frequency.MONTHLY_DAY, month_day=15, interval=2, count=3))
    start = local_start(date(2026, 11, 1), time(9, 0))

    assert [d.date() for d in check_rule(last_friday, start, NINETY)] == [
        date(2026, 11, 27),
        date(2026, 12, 25),
    ]
    assert [d.date() for d in check_rule(fifteenth, start, NINETY)] == [
        date(2026, 11, 15),
        date(2027, 1, 15),
        date(2027, 3, 15),
    ]


def test_until_is_written_in_utc_at_the_end_of_the_local_day():
    rule = build_rrule(RuleSpec(frequency=Frequency.WEEKLY, weekdays=(3,), until=date(2027, 6, 30)))

    assert rule == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270630T215959Z"


def test_open_ended_rule_gives_one_year_ahead():
    rule = build_rrule(RuleSpec(frequency=Frequency.WEEKLY, weekdays=(1,), interval=2))

    dates = check_rule(rule, local_start(date(2026, 11, 24), time(20, 0)), NINETY)

    assert len(dates) == 27
    assert dates[-1] - dates[0] <= timedelta(days=366)


@pytest.mark.parametrize(
    ("rule", "duration", "message"),
    [
        ("FREQ=HOURLY", NINETY, "Une réunion ne peut pas se répéter plus d'une fois par jour."),
        ("FREQ=MINUTELY;INTERVAL=30", NINETY, "Une réunion ne peut pas se répéter plus d'une fois par jour."),
        ("FREQ=DAILY;COUNT=501", NINETY, "Une série ne peut pas dépasser 500 séances."),
        ("FREQ=DAILY;UNTIL=20300101T000000Z", NINETY, "Une série ne peut pas dépasser 500 séances."),
        ("FREQ=WEEKLY;UNTIL=20261001T000000Z", NINETY, "La date de fin est antérieure à la première séance."),
        ("FREQ=WEEKLY;COUNT=3", timedelta(hours=13), "Une réunion ne peut pas durer plus de 12 heures."),
        ("FREQ=WEEKLY;COUNT=3", timedelta(minutes=-30), "La fin doit être après le début."),
        ("FREQ=SOMETIMES", NINETY, "Cette règle de récurrence est illisible."),
    ],
)
def test_refusals_are_explained_in_french(rule, duration, message):
    with pytest.raises(ValidationError) as error:
        check_rule(rule, local_start(date(2026, 11, 24), time(20, 0)), duration)

    assert error.value.messages == [message]


def test_until_between_start_and_first_matching_day_is_refused():
    # Starts on a Monday, meets on Thursdays, but ends on the Tuesday.
    rule = build_rrule(RuleSpec(frequency=Frequency.WEEKLY, weekdays=(3,), until=date(2026, 11, 24)))

    with pytest.raises(ValidationError) as error:
        check_rule(rule, local_start(date(2026, 11, 23), time(12, 0)), NINETY)

    assert error.value.messages == ["La date de fin est antérieure à la première séance."]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            RuleSpec(frequency=Frequency.MONTHLY_NTH_WEEKDAY, nth=3, weekday=3),
            "Le 3e jeudi de chaque mois, à 12:30",
        ),
        (
            RuleSpec(frequency=Frequency.WEEKLY, weekdays=(1,), interval=2),
            "Toutes les 2 semaines le mardi, à 12:30",
        ),
        (
            RuleSpec(frequency=Frequency.WEEKLY, weekdays=(0, 3), count=10),
            "Chaque semaine le lundi, jeudi, à 12:30, 10 séances",
        ),
        (
            RuleSpec(frequency=Frequency.MONTHLY_DAY, month_day=5, until=date(2027, 6, 30)),
            "Le 5 de chaque mois, à 12:30, jusqu'au 30 juin 2027",
        ),
    ],
)
def test_rules_are_described_in_plain_french(spec, expected):
    assert describe(build_rrule(spec), local_start(date(2026, 11, 2), time(12, 30))) == expected


def test_next_dates_in_order():
    rule = build_rrule(RuleSpec(frequency=Frequency.MONTHLY_NTH_WEEKDAY, nth=3, weekday=3))

    dates = next_dates(rule, local_start(date(2026, 11, 19), time(12, 30)), count=5)

    assert [d.date().isoformat() for d in dates] == [
        "2026-11-19",
        "2026-12-17",
        "2027-01-21",
        "2027-02-18",
        "2027-03-18",
    ]
