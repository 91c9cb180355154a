"""Series as rows: horizon, exceptions, overrides, splits, refusals."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.kinds import Kind
from meetings.models import (
    DETAIL_FIELDS,
    FIXED_FIELDS,
    OVERRIDE_FIELDS,
    SHARED_FIELDS,
    Meeting,
    MeetingStatus,
    Series,
)
from meetings.recurrence import BRUSSELS, local_start
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.series import rule_from, series_create, series_extend_horizons, series_split
from worker.tasks import extend_series_horizons

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)


@pytest.fixture
def weekly(world):
    with time_machine.travel(NOW, tick=False):
        return series_create(
            network=world.network,
            kind=Kind.BALINT,
            group=world.group,
            title="Balint du mardi",
            dtstart=local_start(date(2026, 12, 1), time(19, 0)),
            duration=timedelta(minutes=90),
            rrule="FREQ=WEEKLY;BYDAY=TU",
            organiser=world.users["facilitator"],
            place="Rue Haute 100",
        )


def local_starts(series: Series) -> list[str]:
    return [
        m.start.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M") for m in series.occurrences.order_by("start")
    ]


def test_occurrences_exist_as_rows_for_at_least_a_year(weekly):
    occurrences = weekly.occurrences.order_by("start")

    assert occurrences.count() >= 52
    assert occurrences.last().start - occurrences.first().start >= timedelta(days=357)
    assert {m.uid for m in occurrences} == {weekly.uid}
    assert {m.start.astimezone(BRUSSELS).strftime("%H:%M") for m in occurrences} == {"19:00"}


def test_shared_fields_are_fields_of_both_models():
    for model in (Meeting, Series):
        assert set(SHARED_FIELDS) <= {f.attname for f in model._meta.concrete_fields}
    assert set(OVERRIDE_FIELDS) <= set(DETAIL_FIELDS)


def test_occurrences_take_every_shared_field_of_their_series(weekly):
    expected = {field: getattr(weekly, field) for field in SHARED_FIELDS}

    for occurrence in weekly.occurrences.all():
        assert {field: getattr(occurrence, field) for field in SHARED_FIELDS} == expected
        assert (occurrence.uid, occurrence.sequence) == (weekly.uid, weekly.sequence)


def test_a_split_passes_fixed_fields_on_and_details_with_their_changes(weekly):
    cut = weekly.occurrences.get(start__date=date(2027, 2, 2))

    with time_machine.travel(NOW, tick=False):
        new = series_split(
            occurrence=cut,
            dtstart=cut.start,
            duration=timedelta(minutes=90),
            rrule=rule_from(weekly, cut),
            changes={"title": "Balint", "capacity": 8},
        )

    assert {f: getattr(new, f) for f in FIXED_FIELDS} == {f: getattr(weekly, f) for f in FIXED_FIELDS}
    assert {f: getattr(new, f) for f in DETAIL_FIELDS} == {
        "title": "Balint",
        "purpose": weekly.purpose,
        "place": "Rue Haute 100",
        "online_link": weekly.online_link,
        "capacity": 8,
    }


def test_periodic_task_extends_the_horizon_once(weekly):
    before = weekly.occurrences.count()
    old_horizon = weekly.materialised_until

    with time_machine.travel(NOW + timedelta(days=60), tick=False):
        extend_series_horizons.delay()
        extend_series_horizons.delay()

    weekly.refresh_from_db()
    new_horizon = old_horizon + timedelta(days=60)
    first_day = old_horizon.astimezone(BRUSSELS).date()
    evenings = [local_start(first_day + timedelta(days=d), time(19, 0)) for d in range(62)]
    tuesdays_added = sum(1 for e in evenings if e.weekday() == 1 and old_horizon <= e < new_horizon)
    assert weekly.materialised_until == old_horizon + timedelta(days=60)
    assert weekly.occurrences.count() == before + tuesdays_added
    assert weekly.occurrences.values("recurrence_id").distinct().count() == weekly.occurrences.count()


def test_bounded_series_is_not_extended_past_its_end(world):
    with time_machine.travel(NOW, tick=False):
        series = series_create(
            network=world.network,
            kind=Kind.BALINT,
            group=world.group,
            title="Cycle court",
            dtstart=local_start(date(2026, 12, 1), time(19, 0)),
            duration=timedelta(minutes=90),
            rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3",
            organiser=world.users["facilitator"],
        )
    with time_machine.travel(NOW + timedelta(days=500), tick=False):
        series_extend_horizons()

    assert series.occurrences.count() == 3


def test_a_first_session_off_the_rule_is_refused_not_moved(world):
    before = (Series.objects.count(), Meeting.objects.count())

    with pytest.raises(ValidationError) as error:
        series_create(
            network=world.network,
            kind=Kind.BALINT,
            group=world.group,
            title="Premier mardi",
            dtstart=local_start(date(2026, 12, 3), time(19, 0)),  # a Thursday
            duration=timedelta(minutes=90),
            rrule="FREQ=MONTHLY;BYDAY=+1TU;COUNT=2",
            organiser=world.users["facilitator"],
        )

    assert error.value.code == "first_session_off_rule"
    assert error.value.messages == [
        "Le jeudi 3 décembre 2026 ne suit pas la règle « Le 1er mardi de chaque mois, à 19:00, 2 séances » : "
        "la première séance serait le mardi 5 janvier 2027 à 19:00."
    ]
    assert (Series.objects.count(), Meeting.objects.count()) == before


def test_cancelling_one_occurrence_is_an_exception(weekly):
    christmas_week = weekly.occurrences.get(start__date=date(2026, 12, 22))

    cancelled = meeting_cancel(meeting=christmas_week)

    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.sequence == 1
    assert weekly.occurrences.filter(status=MeetingStatus.CANCELLED).count() == 1
    assert (
        weekly.occurrences.exclude(pk=cancelled.pk).filter(sequence=0).count()
        == weekly.occurrences.count() - 1
    )


def test_moving_one_occurrence_is_an_override(weekly):
    occurrence = weekly.occurrences.get(start__date=date(2026, 12, 29))
    new_start = local_start(date(2026, 12, 30), time(19, 0))

    moved = meeting_update(
        meeting=occurrence, changes={"start": new_start, "end": new_start + timedelta(minutes=90)}
    )

    assert moved.is_moved
    assert moved.recurrence_id == occurrence.recurrence_id
    assert moved.sequence == 1
    assert weekly.occurrences.filter(start__date=date(2027, 1, 5)).get().sequence == 0


def test_title_change_does_not_raise_sequence_but_place_does(weekly):
    occurrence = weekly.occurrences.first()

    renamed = meeting_update(meeting=occurrence, changes={"title": "Balint — séance spéciale"})
    relocated = meeting_update(meeting=renamed, changes={"place": "Rue Blaes 20"})

    assert renamed.sequence == 0
    assert relocated.sequence == 1


def test_this_and_following_splits_the_series(weekly):
    cut = weekly.occurrences.get(start__date=date(2027, 2, 2))
    new_start = local_start(date(2027, 2, 2), time(20, 0))

    with time_machine.travel(NOW, tick=False):
        new = series_split(
            occurrence=cut,
            dtstart=new_start,
            duration=timedelta(hours=1),
            rrule=rule_from(weekly, cut),
            changes={"place": "Rue Blaes 20"},
        )

    weekly.refresh_from_db()
    assert "UNTIL=20270202T175959Z" in weekly.rrule
    assert local_starts(weekly) == [
        "2026-12-01 19:00",
        "2026-12-08 19:00",
        "2026-12-15 19:00",
        "2026-12-22 19:00",
        "2026-12-29 19:00",
        "2027-01-05 19:00",
        "2027-01-12 19:00",
        "2027-01-19 19:00",
        "2027-01-26 19:00",
    ]
    assert new.split_from == weekly
    assert new.uid != weekly.uid
    assert local_starts(new)[:2] == ["2027-02-02 20:00", "2027-02-09 20:00"]
    assert set(new.occurrences.values_list("place", flat=True)) == {"Rue Blaes 20"}


def test_split_keeps_the_remaining_count(world):
    series = series_create(
        network=world.network,
        kind=Kind.BALINT,
        group=world.group,
        title="Cycle de dix",
        dtstart=local_start(date(2026, 12, 1), time(19, 0)),
        duration=timedelta(minutes=90),
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=10",
        organiser=world.users["facilitator"],
    )
    cut = series.occurrences.order_by("start")[4]

    new = series_split(
        occurrence=cut,
        dtstart=cut.start,
        duration=timedelta(hours=2),
        rrule=rule_from(series, cut),
        changes={},
    )

    assert series.occurrences.count() == 4
    assert new.occurrences.count() == 6
    assert "COUNT=6" in new.rrule


def test_split_from_the_first_occurrence_edits_the_whole_series(weekly):
    first = weekly.occurrences.order_by("start").first()

    edited = series_split(
        occurrence=first,
        dtstart=first.start + timedelta(hours=1),
        duration=timedelta(minutes=90),
        rrule=weekly.rrule,
        changes={},
    )

    assert edited.pk == weekly.pk
    assert edited.sequence == 1
    assert {m.start.astimezone(BRUSSELS).strftime("%H:%M") for m in edited.occurrences.all()} == {"20:00"}
    assert set(edited.occurrences.values_list("sequence", flat=True)) == {1}


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.CLOSED])
def test_cancelled_or_closed_meetings_cannot_be_edited(weekly, status):
    occurrence = weekly.occurrences.first()
    Meeting.objects.filter(pk=occurrence.pk).update(status=status)
    occurrence.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=occurrence, changes={"place": "Ailleurs"})

    assert "ne peut plus être modifiée" in error.value.messages[0]
    occurrence.refresh_from_db()
    assert occurrence.place == "Rue Haute 100"


def test_meeting_longer_than_twelve_hours_is_refused(weekly):
    occurrence = weekly.occurrences.first()

    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=occurrence, changes={"end": occurrence.start + timedelta(hours=13)})

    assert error.value.messages == ["Une réunion ne peut pas durer plus de 12 heures."]
    occurrence.refresh_from_db()
    assert occurrence.duration == timedelta(minutes=90)


# Through the recurrence builder (the form): refusals in French, nothing saved.

BUILDER = {
    "title": "Intervision",
    "first_day": "2026-12-17",
    "start_time": "12:30",
    "duration": "90",
    "frequency": "monthly_nth",
    "interval": "1",
    "nth": "3",
    "weekday": "3",
    "ends": "never",
    "place": "Maison médicale",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends": "after", "count": "600"}, "Une série ne peut pas dépasser 500 séances."),
        ({"ends": "on", "until": "2026-11-01"}, "La date de fin est antérieure à la première séance."),
        ({"duration": "0"}, "Assurez-vous que cette valeur est supérieure ou égale à 5."),
        ({"duration": "780"}, "Une réunion ne peut pas durer plus de 12 heures."),
        ({"frequency": "hourly"}, "Sélectionnez un choix valide."),
        ({"place": ""}, "Indiquez un lieu, un lien de visioconférence, ou les deux."),
    ],
)
def test_builder_refuses_bad_rules_and_saves_nothing(client, world, changes, message):
    client.force_login(world.users["facilitator"])
    before = (Series.objects.count(), Meeting.objects.count())

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]), {**BUILDER, **changes}
    )

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert (Series.objects.count(), Meeting.objects.count()) == before


def test_builder_creates_the_series(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(reverse("meetings:group_series_create", args=[world.group.pk]), BUILDER)

    assert response.status_code == 302
    series = Series.objects.get(title="Intervision")
    assert series.rrule == "FREQ=MONTHLY;BYDAY=+3TH"
    assert series.organiser == world.users["facilitator"]
    assert series.occurrences.count() >= 12


def test_preview_shows_the_next_five_dates_in_french(client, world):
    client.force_login(world.users["facilitator"])

    response = client.get(reverse("meetings:series_preview"), BUILDER)

    body = response.content.decode()
    assert "Le 3e jeudi de chaque mois, à 12:30" in body
    assert body.count("<li>") == 5
    assert "jeudi 17 décembre 2026 à 12:30" in body


def test_editing_the_following_ones_keeps_cancelled_days_cancelled(weekly):
    cancelled = weekly.occurrences.get(start__date=date(2027, 2, 16))
    meeting_cancel(meeting=cancelled)
    cut = weekly.occurrences.get(start__date=date(2027, 2, 2))

    new = series_split(
        occurrence=cut,
        dtstart=local_start(date(2027, 2, 2), time(20, 0)),
        duration=timedelta(hours=1),
        rrule=rule_from(weekly, cut),
        changes={},
    )

    statuses = {m.start.astimezone(BRUSSELS).date(): m.status for m in new.occurrences.all()}
    assert statuses[date(2027, 2, 16)] == MeetingStatus.CANCELLED
    assert statuses[date(2027, 2, 9)] == MeetingStatus.SCHEDULED
    weekly.refresh_from_db()
    assert set(weekly.occurrences.values_list("sequence", flat=True)) == {weekly.sequence}
