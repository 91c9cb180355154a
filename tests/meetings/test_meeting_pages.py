"""Agenda, group and meeting pages: content and constant query counts."""

import re
from datetime import date, time, timedelta
from html import unescape

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.factories import UserFactory
from tests.world import CONCERTATION_TITLE, SESSION_TITLE, THEMATIC_TITLE

pytestmark = pytest.mark.django_db


def add_thematic_meetings(world, count: int) -> None:
    today = timezone.localdate()
    for i in range(count):
        day = today + timedelta(days=10 + i)
        meeting_create(
            network=world.network,
            kind=Kind.THEMATIC,
            title=f"Thème {i}",
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(10, 0)),
            organiser=world.users["coordinator"],
            place="CPAS",
        )


@pytest.mark.parametrize("extra", [1, 8])
def test_agenda_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    add_thematic_meetings(world, extra)
    member = world.users["member"]
    for meeting in Meeting.objects.filter(title__startswith="Thème"):
        Invitation.objects.create(meeting=meeting, user=member, email=member.email)
    client.force_login(member)

    # session, user, my groups, my networks (organisations, coordinator), candidate ids, meetings,
    # my invitations. Invited to open meetings of the network: each listed once.
    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:agenda"))

    themes = [e.meeting.pk for e in response.context["entries"] if e.meeting.title.startswith("Thème")]
    assert len(themes) == len(set(themes)) == extra


@pytest.mark.parametrize("extra", [1, 8])
def test_agenda_query_count_does_not_grow_with_the_past_30_days(
    client, world, django_assert_num_queries, extra
):
    today = timezone.localdate()
    for i in range(extra):
        day = today - timedelta(days=2 + i)
        meeting_create(
            network=world.network,
            kind=Kind.THEMATIC,
            title=f"Passée {i}",
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(10, 0)),
            organiser=world.users["facilitator"],
            place="CPAS",
        )
    client.force_login(world.users["facilitator"])

    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:agenda"))

    assert [e.state for e in response.context["past"]] == ["to_close"] * extra


def agenda_items(body: str, list_id: str) -> dict[str, str]:
    """The entries of the agenda's list LIST_ID: {title: the entry's HTML}."""
    start = body.index(f'id="{list_id}"')
    listing = body[start : body.index("</ul>", start)]
    entries = listing.split('<li class="agenda-entry')[1:]
    return {unescape(re.search(r"<strong>([^<]+)</strong></a>", entry).group(1)): entry for entry in entries}


def test_agenda_lists_the_last_30_days_with_each_meetings_state(client, world):
    """Two days after the Balint session: it is to close for its facilitator, not yet closed for
    its members; the concertation is closed; a meeting 31 days back is no longer listed."""
    Meeting.objects.filter(pk=world.concertation.pk).update(status=MeetingStatus.CLOSED)
    now = world.session.end + timedelta(days=2)
    old_day = timezone.localdate(now) - timedelta(days=31)
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Il y a un mois",
        start=local_start(old_day, time(9, 0)),
        end=local_start(old_day, time(10, 0)),
        organiser=world.users["facilitator"],
        place="CPAS",
    )

    with time_machine.travel(now, tick=False):
        client.force_login(world.users["facilitator"])
        facilitators = client.get(reverse("meetings:agenda")).content.decode()
        client.force_login(world.users["member"])
        members = client.get(reverse("meetings:agenda")).content.decode()

    past = agenda_items(facilitators, "agenda-past")
    assert list(past) == [SESSION_TITLE, CONCERTATION_TITLE, THEMATIC_TITLE]  # the latest first
    assert "à clôturer" in past[SESSION_TITLE]
    assert "clôturée" in past[CONCERTATION_TITLE] and "à clôturer" not in past[CONCERTATION_TITLE]
    assert "pas encore clôturée" in past[THEMATIC_TITLE]  # the coordinator's meeting, not hers
    assert "Il y a un mois" not in facilitators
    members_past = agenda_items(members, "agenda-past")
    assert (
        "pas encore clôturée" in members_past[SESSION_TITLE]
        and "à clôturer" not in members_past[SESSION_TITLE]
    )
    assert "clôturée" in members_past[CONCERTATION_TITLE]
    session_link = f'href="{reverse("meetings:meeting", args=[world.session.pk])}"'
    assert session_link in past[SESSION_TITLE]
    upcoming = facilitators[facilitators.index('id="agenda-list"') : facilitators.index('id="agenda-past"')]
    assert session_link not in upcoming


@pytest.mark.parametrize("extra", [1, 8])
def test_week_view_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    add_thematic_meetings(world, extra)
    client.force_login(world.users["member"])
    # The week of the last one added: it holds 1 of 1, or 7 of 8 (from FIXED_NOW, a Thursday).
    days = [timezone.localdate() + timedelta(days=10 + i) for i in range(extra)]
    week = days[-1].strftime("%G-W%V")
    in_week = [day for day in days if day.strftime("%G-W%V") == week]

    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:agenda"), {"view": "week", "week": week})

    shown = [e for _day, entries in response.context["days"] for e in entries]
    assert len([e for e in shown if e.meeting.title.startswith("Thème")]) == len(in_week)


@pytest.mark.parametrize("extra", [1, 8])
def test_group_list_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    from meetings.services.groups import group_create

    for i in range(extra):
        group_create(
            network=world.network,
            kind=Kind.INTERVISION,
            name=f"Intervision {i}",
            facilitators=[world.users["facilitator"]],
            members=[UserFactory()],
            by=world.users["coordinator"],
        )
    client.force_login(world.users["outsider"])

    # session, user, my networks (through work, as coordinator), groups, my memberships, facilitators
    with django_assert_num_queries(7):
        response = client.get(reverse("meetings:groups"))

    assert len(response.context["groups"]) == extra + 1


@pytest.mark.parametrize("extra", [1, 8])
def test_group_page_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    from meetings.services.groups import group_add_member

    for _ in range(extra):
        group_add_member(group=world.group, user=UserFactory(), by=world.users["facilitator"])
    client.force_login(world.users["facilitator"])

    # session, user, group, my networks ×2, my membership (read once for the page and its
    # permissions), charter acceptance, sessions, members counted, a page of members with
    # acceptance, requests, sessions whose attendance is still to hand in for accreditation;
    # nobody of the network is listed to add (the picker searches them)
    with django_assert_num_queries(12):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    assert len(response.context["members"]) == extra + 3


def test_group_page_lists_its_members_fifty_at_a_time(client, world):
    from meetings.models import GroupMembership, MembershipStatus

    GroupMembership.objects.bulk_create(
        GroupMembership(
            group=world.group, user=UserFactory(last_name=f"Zz{i:02}"), status=MembershipStatus.ACTIVE
        )
        for i in range(50)
    )
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:group", args=[world.group.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    listed = [m.user for page in (first, second) for m in page.context["members"]]
    assert len(first.context["members"]) == 50
    assert len(listed) == len(set(listed)) == 53
    assert "Membres 1 à 50 sur 53" in first.content.decode()
    assert 'href="?page=2#members-heading"' in first.content.decode()
    assert "Zz49" in second.content.decode()
    assert 'href="?page=1#members-heading"' in second.content.decode()
    # A page out of range shows the last one rather than an error.
    assert client.get(url, {"page": 9}).context["members"].number == 2


def test_agenda_shows_kind_time_place_and_my_answer(client, world):
    member = world.users["member"]
    Invitation.objects.filter(meeting=world.concertation, user=member).update(partstat="ACCEPTED")
    client.force_login(member)

    body = client.get(reverse("meetings:agenda")).content.decode()

    assert "Concertation clinique" in body
    assert "je viens" in body
    assert "Rue Haute 100" in body
    assert "Groupe Balint" in body


def test_week_view_lists_the_meetings_of_the_week(client, world):
    monday = world.thematic.start.date() - timedelta(days=world.thematic.start.weekday())
    client.force_login(world.users["outsider"])

    response = client.get(reverse("meetings:agenda"), {"view": "week", "week": monday.strftime("%G-W%V")})

    titles = [e.meeting.title for _day, entries in response.context["days"] for e in entries]
    assert world.thematic.title in titles


def test_meeting_page_warns_when_agenda_exceeds_length(client, world):
    client.force_login(world.users["coordinator"])
    start = local_start(date(2027, 1, 12), time(9, 0))

    meeting = meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Trop chargée",
        start=start,
        end=start + timedelta(hours=1),
        organiser=world.users["coordinator"],
        place="CPAS",
        agenda=[
            {"title": "Tour de table", "planned_minutes": 40},
            {"title": "Présentation", "planned_minutes": 35},
        ],
    )
    body = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    assert "Les points prévus dépassent la durée de la réunion de 15 minutes." in body


def test_creating_a_meeting_through_the_form(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "kind": "thematic",
            "network": world.network.pk,
            "title": "Logement et assuétudes",
            "day": "2027-02-09",
            "start_time": "09:30",
            "duration": "120",
            "place": "CPAS d'Anderlecht",
            "purpose": "Présenter le dispositif Housing First.",
            "agenda-TOTAL_FORMS": "2",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "Présentation",
            "agenda-0-planned_minutes": "45",
            "agenda-1-title": "",
        },
    )

    meeting = Meeting.objects.get(title="Logement et assuétudes")
    assert response.status_code == 302
    assert meeting.start.isoformat() == "2027-02-09T08:30:00+00:00"
    assert [(i.title, i.planned_minutes) for i in meeting.agenda_items.all()] == [("Présentation", 45)]


def test_meeting_over_twelve_hours_is_refused_in_the_form(client, world):
    client.force_login(world.users["coordinator"])
    before = Meeting.objects.count()

    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "kind": "thematic",
            "network": world.network.pk,
            "title": "Marathon",
            "day": "2027-02-09",
            "start_time": "07:00",
            "duration": "780",
            "place": "CPAS",
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        },
    )

    assert "Une réunion ne peut pas durer plus de 12 heures." in response.content.decode()
    assert Meeting.objects.count() == before


def test_editing_a_cancelled_meeting_is_refused(client, world):
    Meeting.objects.filter(pk=world.thematic.pk).update(status="cancelled")
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:meeting_edit", args=[world.thematic.pk]),
        {
            "title": "Nouveau titre",
            "day": "2027-02-09",
            "start_time": "09:30",
            "end_time": "11:30",
            "place": "X",
        },
        follow=True,
    )

    assert "ne peut plus être modifiée" in response.content.decode()
    assert Meeting.objects.get(pk=world.thematic.pk).title == world.thematic.title


def test_moving_one_occurrence_from_the_page(client, world):
    session = world.session
    client.force_login(world.users["facilitator"])
    day = session.start.date() + timedelta(days=1)

    client.post(
        reverse("meetings:meeting_edit", args=[session.pk]),
        {
            "scope": "this",
            "title": session.title,
            "day": day.isoformat(),
            "start_time": "20:00",
            "end_time": "21:30",
            "place": session.place,
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        },
    )

    session.refresh_from_db()
    assert session.is_moved
    assert session.sequence == 1
    assert session.series.occurrences.filter(sequence=0).count() == session.series.occurrences.count() - 1


def test_demo_agenda_of_the_facilitator_and_of_the_outsider(client, db):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="animateur@demo.concertation.test"))

    facilitator_agenda = client.get(reverse("meetings:agenda")).content.decode()
    client.force_login(User.objects.get(email="externe@demo.concertation.test"))
    outsider_agenda = client.get(reverse("meetings:agenda")).content.decode()

    assert "Intervision du jeudi" in facilitator_agenda
    assert "Groupe Balint du mardi soir" in facilitator_agenda
    assert "Intervision du jeudi" not in outsider_agenda
    assert "Groupe Balint" not in outsider_agenda
    assert "Réunion mensuelle de la coordination" in outsider_agenda


@pytest.mark.parametrize("extra", [1, 8])
def test_meeting_page_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    add_thematic_meetings(world, 1)
    meeting = Meeting.objects.get(title="Thème 0")
    member = world.users["member"]
    for user in [member, *(UserFactory() for _ in range(extra))]:
        Invitation.objects.create(meeting=meeting, user=user, email=user.email)
    client.force_login(member)

    # session, user, meeting, my invitation (read once for every rule of the page), agenda,
    # my coordinations, vignettes, whether I facilitate, participants
    with django_assert_num_queries(9):
        response = client.get(reverse("meetings:meeting", args=[meeting.pk]))

    assert len(response.context["participants"]) == extra + 1
