"""Each health flag on crafted data, and its absence on healthy data (issue 17, item 5)."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.kinds import Kind
from meetings.load import health
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.load import health_world as hw

pytestmark = pytest.mark.django_db


def flags_of(world, code=None):
    found = health.network_flags(world.network, now=timezone.now())
    return [f for f in found if code is None or f.code == code]


def healthy(world, *, title="Intervision des CPAS", people=None):
    """A series that works: most people come, something is decided, it is closed and found useful."""
    people = people or world.people[:8]
    sessions = hw.weekly(world, sessions=5, title=title)
    hw.invite(sessions, people)
    for session in sessions:
        hw.roll_call(session, present=people[:6], absent=people[6:])
        hw.act(session, people[0], due=session.start.date() + timedelta(days=3), done_on=session.start.date())
        hw.rate(session, [4, 4])
        hw.close(session)
    return sessions


@pytest.fixture
def world(db):
    return hw.build()


def test_a_healthy_network_has_no_flag(world):
    healthy(world)

    assert flags_of(world) == []


# (a) purpose or agenda still empty 48 hours before


def thematic_tomorrow(world, **fields):
    start = local_start(timezone.localdate() + timedelta(days=1), time(14, 0))
    return meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Rencontre logement",
        start=start,
        end=start + timedelta(hours=2),
        organiser=world.coordinator,
        **fields,
    )


def test_a_meeting_tomorrow_without_purpose_nor_agenda_is_flagged(world):
    meeting = thematic_tomorrow(world)

    [flag] = flags_of(world, "unprepared")

    assert flag.subject_key == f"meeting:{meeting.pk}"
    assert "l'objet ni l'ordre du jour" in flag.message
    assert flag.url == reverse("meetings:meeting", args=[meeting.pk])


def test_a_prepared_meeting_or_one_next_week_is_not(world):
    thematic_tomorrow(world, purpose="Le logement d'abord.", agenda=[{"title": "Tour de table"}])
    start = local_start(timezone.localdate() + timedelta(days=7), time(14, 0))
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Plus tard",
        start=start,
        end=start + timedelta(hours=2),
        organiser=world.coordinator,
    )

    assert flags_of(world, "unprepared") == []


def test_a_kind_that_requires_nothing_is_not_flagged(world):
    start = local_start(timezone.localdate() + timedelta(days=1), time(14, 0))
    meeting_create(
        network=world.network,
        kind=Kind.SUPERVISION,
        title="Supervision",
        start=start,
        end=start + timedelta(hours=2),
        organiser=world.coordinator,
    )

    assert flags_of(world, "unprepared") == []


# (b) past meetings not closed


def test_a_meeting_left_open_after_the_reminder_delay_is_flagged(world):
    sessions = hw.weekly(world, sessions=1)

    [flag] = flags_of(world, "unclosed")

    assert flag.subject_key == f"meeting:{sessions[0].pk}"
    assert "n'est pas clôturée" in flag.message


def test_a_closed_meeting_or_one_just_ended_is_not(world):
    [closed] = hw.weekly(world, sessions=1)
    hw.close(closed)
    start = timezone.now() - timedelta(days=1)
    meeting_create(
        network=world.network,
        kind=Kind.SUPERVISION,
        title="Hier",
        start=start,
        end=start + timedelta(hours=1),
        organiser=world.coordinator,
    )

    assert flags_of(world, "unclosed") == []


# (c) attendance under 50 % for the last 3 held sessions


def test_a_series_nobody_attends_any_more_is_flagged_with_its_figures(world):
    people = world.people[:8]
    sessions = hw.weekly(world, sessions=4, title="Intervision qui s'étiole")
    hw.invite(sessions, people)
    hw.roll_call(sessions[0], present=people[:7], absent=people[7:])
    for session in sessions[1:]:
        hw.roll_call(session, present=people[:3], absent=people[3:])

    [flag] = flags_of(world, "low_attendance")

    assert flag.subject_key == f"series:{sessions[0].series_id}"
    assert "moins de 50 %" in flag.message
    assert ("séance 1", "3/8") in flag.figures


def test_a_series_whose_last_session_was_well_attended_is_not(world):
    people = world.people[:8]
    sessions = hw.weekly(world, sessions=3)
    hw.invite(sessions, people)
    for session in sessions[:2]:
        hw.roll_call(session, present=people[:2], absent=people[2:])
    hw.roll_call(sessions[2], present=people[:4], absent=people[4:])  # 50 %: not under

    assert flags_of(world, "low_attendance") == []


def test_a_small_series_is_flagged_without_figures(world):
    people = world.people[:4]
    sessions = hw.weekly(world, sessions=3)
    hw.invite(sessions, people)
    for session in sessions:
        hw.roll_call(session, present=people[:1], absent=people[1:])

    [flag] = flags_of(world, "low_attendance")

    assert flag.figures == ()


# (d) no decision and no action in the last 4 sessions


def test_a_series_that_never_decides_is_flagged(world):
    sessions = hw.weekly(world, sessions=4, title="Réunion sans suite")
    hw.invite(sessions, world.people[:6])
    for session in sessions:
        hw.roll_call(session, present=world.people[:6])
        hw.decide(session, decisions=[])  # an outcome, but nothing decided

    [flag] = flags_of(world, "no_results")

    assert flag.subject_key == f"series:{sessions[0].series_id}"
    assert "ni décision ni action" in flag.message


def test_one_decision_or_one_action_is_enough(world):
    decided = hw.weekly(world, sessions=4, title="Décide")
    acted = hw.weekly(world, sessions=4, title="Agit")
    for session in decided + acted:
        hw.roll_call(session, present=world.people[:6])
    hw.decide(decided[1])
    hw.act(acted[0], world.people[0], due=timezone.localdate())

    assert flags_of(world, "no_results") == []


def test_a_balint_group_decides_nothing_by_design(world):
    group = hw.group_of(world, world.people[1:7], kind=Kind.BALINT, name="Balint")
    for session in hw.weekly(world, sessions=4, kind=Kind.BALINT, group=group):
        hw.roll_call(session, present=world.people[:6])

    assert flags_of(world, "no_results") == []


# (e) two series with the same people, of compatible kinds


def test_two_series_of_the_same_people_are_suggested_to_merge(world):
    first = hw.weekly(world, sessions=2, title="Intervision du lundi")
    second = hw.weekly(world, sessions=2, title="Intervision du jeudi")
    hw.invite(first, world.people[:8])
    hw.invite(second, world.people[1:9])  # 7 in common out of 9: 78 %

    [flag] = flags_of(world, "overlap")

    assert flag.subject_key == f"series:{first[0].series_id}+{second[0].series_id}"
    names = f"Intervision (série n° {first[0].series_id}) et Intervision (série n° {second[0].series_id})"
    assert names in flag.message
    assert "Intervision du lundi" not in flag.message  # a closed group's title is not the network's
    assert ("part commune", "78 %") in flag.figures


def test_different_people_or_kinds_that_never_merge_are_not(world):
    first = hw.weekly(world, sessions=2, title="Intervision A")
    other = hw.weekly(world, sessions=2, title="Intervision B")
    thematic = hw.weekly(world, sessions=2, kind=Kind.THEMATIC, title="Thématique")
    hw.invite(first, world.people[:6])
    hw.invite(other, world.people[3:10])  # 3 in common out of 10
    hw.invite(thematic, world.people[:6])  # the same as A, but an open meeting is not a closed group

    assert flags_of(world, "overlap") == []


def test_the_merge_table_says_why():
    assert health.policies.merge_reason(Kind.INTERVISION, Kind.SUPERVISION)
    assert health.policies.merge_reason(Kind.CONCERTATION, Kind.CONCERTATION) is None
    assert health.policies.merge_reason(Kind.BALINT, Kind.INTERVISION) is None


# (f) usefulness under 2.5 / 5, with 5 answers at least


def test_a_series_found_useless_is_flagged(world):
    sessions = hw.weekly(world, sessions=3, title="Peu utile")
    for session in sessions:
        hw.roll_call(session, present=world.people[:6])
        hw.rate(session, [2, 1])

    [flag] = flags_of(world, "low_usefulness")

    assert ("moyenne sur 5", "1.5") in flag.figures
    assert ("avis", "6") in flag.figures


def test_fewer_than_five_answers_say_nothing(world):
    sessions = hw.weekly(world, sessions=2, title="Peu d'avis")
    for session in sessions:
        hw.roll_call(session, present=world.people[:6])
        hw.rate(session, [1, 1])

    assert flags_of(world, "low_usefulness") == []


# (g) a member absent five sessions in a row


def absent_member_group(world):
    members = world.people[1:8]
    group = hw.group_of(world, members)
    sessions = hw.weekly(world, sessions=5, group=group)
    for session in sessions:
        hw.roll_call(session, present=[world.people[0], *members[1:]], absent=members[:1])
    return group, members[0]


def test_the_dashboard_counts_absent_members_without_naming_them(world):
    group, absent = absent_member_group(world)

    [flag] = flags_of(world, "absences")

    assert flag.subject_key == f"group:{group.pk}/absences"
    assert "1 membre absent·e des 5 dernières séances" in flag.message
    assert absent.last_name not in flag.message


def test_the_group_page_names_them_to_its_facilitators_only(world, client):
    group, absent = absent_member_group(world)
    url = reverse("meetings:group", args=[group.pk])

    client.force_login(world.people[0])  # the facilitator
    facilitator_page = client.get(url).content.decode()
    client.force_login(world.people[2])  # another member
    member_page = client.get(url).content.decode()

    assert "Absences répétées" in facilitator_page and absent.last_name in facilitator_page
    assert "Absences répétées" not in member_page


def test_a_member_who_came_once_in_five_is_not_absent(world):
    members = world.people[1:8]
    group = hw.group_of(world, members)
    sessions = hw.weekly(world, sessions=5, group=group)
    for session in sessions[:-1]:
        hw.roll_call(session, present=[world.people[0], *members[1:]], absent=members[:1])
    hw.roll_call(sessions[-1], present=[world.people[0], *members])

    assert flags_of(world, "absences") == []


# (h) accreditation groups at risk


def accredited_group(world, members):
    group = hw.group_of(world, members, name="GLEM Anderlecht")
    group.accreditation_reference, group.accreditation_points = "GLEM-1070", Decimal("2.00")
    group.save()
    return group


def test_an_accredited_group_with_too_few_sessions_is_at_risk(world):
    group = accredited_group(world, world.people[1:10])
    for session in hw.weekly(world, sessions=2, group=group):
        hw.roll_call(session, present=world.people[:2])  # and two under 3 participants

    [flag] = flags_of(world, "accreditation")

    assert flag.subject_key.startswith(f"group:{group.pk}/accreditation:")
    assert "0 séance(s) valable(s)" in flag.message and "pour 4 demandées" in flag.message
    assert "2 séance(s) à moins de 3 participants" in flag.message
    assert ("source", health.policies.GLEM.source) in flag.figures


def test_an_accredited_group_that_meets_the_rules_is_not(world):
    group = accredited_group(world, world.people[1:10])
    for session in hw.weekly(world, sessions=4, group=group):
        hw.roll_call(session, present=world.people[:5])
        hw.close(session)

    assert flags_of(world, "accreditation") == []
