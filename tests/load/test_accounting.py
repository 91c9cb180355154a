"""The accounting of meeting hours (meetings/load/accounting.py): what counts for a person, the
travel added, the FTE, overlaps and budgets — on meetings made through the meetings services."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from meetings.attendance.models import AttendanceStatus
from meetings.kinds import Kind
from meetings.load.accounting import month_loads, place_key
from meetings.load.models import OrganisationBudget, TravelEstimate
from meetings.load.services.budgets import load_settings_save
from meetings.models import InvitationRole, MeetingStatus, PartStat
from meetings.services.groups import group_create
from tests.load.people import LAST_MONTH, PLACE, THIS_MONTH, People

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 6)


@pytest.fixture
def people():
    return People()


def october(user):
    (load,) = month_loads(user, [LAST_MONTH])
    return load


def test_accepted_counts_declined_tentative_and_unanswered_do_not(people):
    worker = people.member()
    meetings = {}
    for partstat, hour in [
        (PartStat.ACCEPTED, 9),
        (PartStat.DECLINED, 11),
        (PartStat.TENTATIVE, 13),
        (PartStat.NEEDS_ACTION, 15),
    ]:
        meetings[partstat] = people.meeting(DAY, at=time(hour, 0), place="")
        people.invite(meetings[partstat], worker, partstat)

    load = october(worker)

    assert [s.meeting_id for s in load.sittings] == [meetings[PartStat.ACCEPTED].pk]
    assert (load.meeting_minutes, load.total_hours) == (60, Decimal("1.0"))


def test_the_roll_call_decides_over_the_answer(people):
    worker = people.member()
    cases = [
        (PartStat.DECLINED, AttendanceStatus.PRESENT, True),  # came after all
        (PartStat.TENTATIVE, AttendanceStatus.LATE, True),
        (PartStat.ACCEPTED, AttendanceStatus.ABSENT, False),  # accepted, did not come
        (PartStat.ACCEPTED, AttendanceStatus.EXCUSED, False),
    ]
    meetings = {}
    for index, (partstat, status, _counted) in enumerate(cases):
        meeting = people.meeting(DAY + timedelta(days=index), place="")
        people.invite(meeting, worker, partstat)
        people.roll_call(meeting, worker, status)
        meetings[meeting.pk] = _counted

    counted = {s.meeting_id for s in october(worker).sittings}

    assert counted == {pk for pk, expected in meetings.items() if expected}


def test_a_groups_session_counts_for_the_members_the_roll_call_says_came(people):
    came, absent, unmarked = people.member(), people.member(), people.member()
    group = group_create(
        network=people.network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[people.member()],
        members=[came, absent, unmarked],
        charter="Ce qui se dit ici reste ici.",
        by=people.coordinator,
    )
    session = people.meeting(DAY, kind=Kind.INTERVISION, group=group, minutes=90)
    people.roll_call(session, came, AttendanceStatus.LATE)
    people.roll_call(session, absent, AttendanceStatus.ABSENT)

    assert [s.meeting_id for s in october(came).sittings] == [session.pk]
    assert october(came).minutes_by_kind == {Kind.INTERVISION: 120}
    assert october(absent).sittings == [] and october(unmarked).sittings == []


def test_minutes_only_and_cancelled_meetings_do_not_count(people):
    worker = people.member()
    minutes_only = people.meeting(DAY, place="")
    people.invite(minutes_only, worker, PartStat.ACCEPTED, role=InvitationRole.MINUTES_ONLY)
    people.went(worker, DAY + timedelta(days=1), place="", status=MeetingStatus.CANCELLED)
    people.went(worker, DAY + timedelta(days=2), place="", status=MeetingStatus.DRAFT)
    kept = people.went(worker, DAY + timedelta(days=3), place="", status=MeetingStatus.CLOSED)

    assert [s.meeting_id for s in october(worker).sittings] == [kept.pk]


def test_travel_default_online_own_estimate_and_folded_place(people):
    worker = people.member()
    people.went(worker, DAY, at=time(9, 0), place=PLACE)  # an address, no estimate: 30 min
    people.went(
        worker, DAY, at=time(14, 0), place="", online_link="https://visio.example.test/a"
    )  # online: 0
    people.went(worker, DAY + timedelta(days=1), place="  Maison Médicale du Midi ")
    load_settings_save(
        user=worker, fte=Decimal("1.00"), monthly_budget=None, travel={"maison medicale du midi": 75}
    )

    load = october(worker)

    assert [s.travel_minutes for s in load.sittings] == [30, 0, 75]
    assert place_key("  Maison Médicale du Midi ") == place_key("maison  medicale DU midi")
    assert TravelEstimate.objects.get(user=worker).place_key == place_key("Maison médicale du Midi")
    assert (load.meeting_minutes, load.travel_minutes, load.total_hours) == (180, 105, Decimal("4.8"))
    # Travel is counted with the kind of the meeting it leads to.
    assert load.minutes_by_kind == {Kind.THEMATIC: 285}


def test_hours_per_fte_normalise_a_part_time_load(people):
    half = people.member(fte="0.50")
    for day in range(6, 12):
        people.went(half, date(2026, 10, day), minutes=110, place=PLACE)  # 6 × (110 + 30) = 14 h

    load = october(half)

    assert (load.total_hours, load.fte, load.hours_per_fte) == (
        Decimal("14.0"),
        Decimal("0.50"),
        Decimal("28.0"),
    )
    assert load.budget_hours == Decimal("4.0") and load.over_budget


def test_overlaps_are_pairs_with_their_shared_minutes(people):
    worker = people.member()
    first = people.went(worker, DAY, at=time(9, 0), minutes=120, place="")  # 9:00–11:00
    second = people.went(worker, DAY, at=time(10, 30), minutes=60, place="")  # 10:30–11:30
    third = people.went(worker, DAY, at=time(10, 45), minutes=30, place="")  # 10:45–11:15
    people.went(worker, DAY, at=time(11, 30), minutes=60, place="")  # starts as the second ends

    load = october(worker)

    pairs = {(o.first.meeting_id, o.second.meeting_id): o.minutes for o in load.overlaps}
    assert pairs == {(first.pk, second.pk): 30, (first.pk, third.pk): 15, (second.pk, third.pk): 30}
    assert load.overlap_minutes == 75


def test_budget_own_then_organisation_per_fte_then_default(people):
    own = people.member(fte="0.50", budget="6.5")
    from_organisation = people.member(fte="0.50")
    default = people.member(fte="0.80")
    OrganisationBudget.objects.create(organisation=people.organisation, hours_per_fte=Decimal("12"))
    alone = People("Autre service").member(fte="0.80")

    budgets = {user: october(user).budget_hours for user in (own, from_organisation, default, alone)}

    assert budgets[own] == Decimal("6.5")
    assert budgets[from_organisation] == Decimal("6.0")  # 12 h per FTE × 0.5
    assert budgets[default] == Decimal("9.6")  # the organisation's 12 h also applies to him
    assert budgets[alone] == Decimal("6.4")  # 8 h × 0.8


def test_a_meeting_belongs_to_the_brussels_month_it_starts_in(people):
    worker = people.member()
    late = people.went(worker, date(2026, 10, 31), at=time(23, 30), minutes=60, place="")
    people.went(worker, date(2026, 11, 1), at=time(0, 30), minutes=60, place="")

    october_load, november_load = month_loads(worker, [LAST_MONTH, THIS_MONTH])

    assert [s.meeting_id for s in october_load.sittings] == [late.pk]
    assert len(november_load.sittings) == 1


def test_month_loads_ask_as_many_queries_for_one_meeting_as_for_many(people, django_assert_num_queries):
    worker = people.member()
    people.went(worker, DAY)
    with django_assert_num_queries(6) as few:
        month_loads(worker, [LAST_MONTH, THIS_MONTH])
    for day in range(7, 28):
        meeting = people.went(worker, date(2026, 10, day), place=f"Lieu {day}")
        people.roll_call(meeting, worker, AttendanceStatus.PRESENT)
    TravelEstimate.objects.create(user=worker, place_key=place_key("Lieu 9"), place="Lieu 9", minutes=10)

    with django_assert_num_queries(len(few.captured_queries)):
        loads = month_loads(worker, [LAST_MONTH, THIS_MONTH])

    assert len(loads[0].sittings) == 22
