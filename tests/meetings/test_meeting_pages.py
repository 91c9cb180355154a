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


def add_past_meetings(world, count: int) -> None:
    """COUNT thematic meetings of the facilitator's, one a day from two days ago back ("Passée 0"
    the latest)."""
    today = timezone.localdate()
    for i in range(count):
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


@pytest.mark.parametrize("extra", [1, 8])
def test_agenda_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    add_thematic_meetings(world, extra)
    member = world.users["member"]
    for meeting in Meeting.objects.filter(title__startswith="Thème"):
        Invitation.objects.create(meeting=meeting, user=member, email=member.email)
    client.force_login(member)

    # session, user, my groups, the ids and times of my own meetings (with my answers) and of the
    # open meetings of my networks, the entries shown. Invited to open meetings of the network:
    # each listed once, as mine.
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:agenda"))

    themes = [e.meeting.pk for e in response.context["entries"] if e.meeting.title.startswith("Thème")]
    assert len(themes) == len(set(themes)) == extra


@pytest.mark.parametrize("extra", [1, 8])
def test_agenda_query_count_does_not_grow_with_the_past_30_days(
    client, world, django_assert_num_queries, extra
):
    add_past_meetings(world, extra)
    client.force_login(world.users["facilitator"])

    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:agenda"))

    assert [e.state for e in response.context["past"]] == ["to_close"] * extra


def invite(user, meetings) -> None:
    Invitation.objects.bulk_create(Invitation(meeting=m, user=user, email=user.email) for m in meetings)


def listed(body: str, list_id: str) -> list[str]:
    return list(agenda_items(body, list_id)) if f'id="{list_id}"' in body else []


@pytest.mark.parametrize("extra", [1, 30])
def test_agenda_shows_the_next_open_meetings_of_my_networks_and_links_to_all(
    client, world, django_assert_num_queries, extra
):
    """The open meetings of my networks I am not invited to grow with the networks: the agenda
    shows the next five, and a link to all of them, twenty a page."""
    add_thematic_meetings(world, extra)
    client.force_login(world.users["outsider"])  # in the network, in no group, invited to nothing
    url = reverse("meetings:agenda")

    # session, user, my groups, the ids and times of my own meetings and of the open meetings of
    # my networks, the entries shown; the same for all of them a page at a time
    with django_assert_num_queries(5):
        body = unescape(client.get(url).content.decode())
    with django_assert_num_queries(5):
        first = client.get(url, {"view": "open"})

    open_titles = [THEMATIC_TITLE] + [f"Thème {i}" for i in range(extra)]  # by date
    assert listed(body, "agenda-list") == []
    assert "Aucune invitation ni séance de vos groupes dans les 60 prochains jours." in body
    assert listed(body, "agenda-open") == open_titles[:5]
    assert ("Voir les 31 réunions ouvertes de vos réseaux" in body) is (extra == 30)
    assert ('href="?view=open"' in body) is (extra == 30)
    pages = [first, client.get(url, {"view": "open", "page": 2})] if extra == 30 else [first]
    shown = [title for page in pages for title in listed(unescape(page.content.decode()), "agenda-open")]
    assert shown == open_titles
    if extra == 30:
        assert len(first.context["page"]) == 20
        assert "Réunions 1 à 20 sur 31" in unescape(first.content.decode())
        assert 'href="?view=open&amp;page=2"' in first.content.decode()


def test_the_week_view_still_shows_every_open_meeting_of_the_week(client, world):
    add_thematic_meetings(world, 7)  # one a day from today + 10
    client.force_login(world.users["outsider"])
    week = (timezone.localdate() + timedelta(days=16)).strftime("%G-W%V")

    response = client.get(reverse("meetings:agenda"), {"view": "week", "week": week})

    shown = [e.meeting.title for _day, entries in response.context["days"] for e in entries]
    in_week = [
        f"Thème {i}"
        for i in range(7)
        if (timezone.localdate() + timedelta(days=10 + i)).strftime("%G-W%V") == week
    ]
    assert shown == in_week and len(in_week) >= 5


@pytest.mark.parametrize("extra", [1, 30])
def test_my_own_meetings_come_twenty_at_a_time(client, world, django_assert_num_queries, extra):
    add_thematic_meetings(world, extra)
    member = world.users["member"]  # the concertation, two Balint sessions in the next 60 days
    invite(member, Meeting.objects.filter(title__startswith="Thème"))
    client.force_login(member)
    url = reverse("meetings:agenda")

    with django_assert_num_queries(5):
        first = client.get(url)
    second = client.get(url, {"page": 2})  # past the last page: the last one

    pages = (first, second) if extra == 30 else (first,)
    mine = [e.meeting for page in pages for e in page.context["entries"]]
    assert len(mine) == len(set(mine)) == extra + 3
    assert mine == sorted(mine, key=lambda m: m.start)
    body = unescape(first.content.decode())
    assert THEMATIC_TITLE in listed(body, "agenda-open")  # the world's, to which she is not invited
    if extra == 30:
        assert len(first.context["entries"]) == 20
        assert "Réunions 1 à 20 sur 33" in body
        assert 'href="?page=2"' in body
        later = unescape(second.content.decode())
        assert 'href="?page=1"' in later
        # The next page continues her own meetings only.
        assert 'id="agenda-open"' not in later and 'id="agenda-past"' not in later
    else:
        assert 'id="agenda-pages"' not in body


@pytest.mark.parametrize("extra", [1, 12])
def test_the_past_list_shows_my_latest_ten_and_links_to_all(client, world, django_assert_num_queries, extra):
    add_past_meetings(world, extra)
    client.force_login(world.users["outsider"])  # open meetings of her network: not hers
    assert listed(unescape(client.get(reverse("meetings:agenda")).content.decode()), "agenda-past") == []
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:agenda")

    body = unescape(client.get(url).content.decode())
    # session, user, my groups, the ids and times of my meetings, the entries shown
    with django_assert_num_queries(5):
        everything = client.get(url, {"view": "past"})

    latest_first = [f"Passée {i}" for i in range(extra)]
    assert listed(body, "agenda-past") == latest_first[:10]
    assert ("Voir mes 12 réunions des 30 derniers jours" in body) is (extra == 12)
    assert listed(unescape(everything.content.decode()), "agenda-past") == latest_first
    assert [e.state for e in everything.context["page"]] == ["to_close"] * extra


def agenda_items(body: str, list_id: str) -> dict[str, str]:
    """The entries of the agenda's list LIST_ID: {title: the entry's HTML}."""
    start = body.index(f'id="{list_id}"')
    listing = body[start : body.index("</ul>", start)]
    entries = listing.split('<li class="agenda-entry')[1:]
    return {unescape(re.search(r"<strong>([^<]+)</strong></a>", entry).group(1)): entry for entry in entries}


def test_agenda_lists_the_last_30_days_with_each_meetings_state(client, world):
    """Two days after the Balint session: it is to close for its facilitator, not yet closed for
    its members; the concertation is closed; the thematic meeting she was invited to is not hers
    to close; a meeting 31 days back is no longer listed, nor an open meeting of the network she
    was not invited to (the past list holds her own meetings only)."""
    Meeting.objects.filter(pk=world.concertation.pk).update(status=MeetingStatus.CLOSED)
    facilitator = world.users["facilitator"]
    Invitation.objects.create(meeting=world.thematic, user=facilitator, email=facilitator.email)
    now = world.session.end + timedelta(days=2)
    old_day = timezone.localdate(now) - timedelta(days=31)
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Il y a un mois",
        start=local_start(old_day, time(9, 0)),
        end=local_start(old_day, time(10, 0)),
        organiser=facilitator,
        place="CPAS",
    )
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Ouverte, sans elle",
        start=world.thematic.start - timedelta(hours=3),
        end=world.thematic.start - timedelta(hours=2),
        organiser=world.users["coordinator"],
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
    assert "Ouverte, sans elle" not in facilitators
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

    # session, user, my groups, the ids and times of the week's meetings (the open meetings of my
    # networks too: a week of them), their entries
    with django_assert_num_queries(5):
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

    # session, user, group with its active members counted and whether anyone asks to join,
    # my membership with my acceptance of the charter (read once for the page and its
    # permissions), sessions, my coordinations, a page of members with their acceptance,
    # requests, sessions whose attendance is still to hand in for accreditation; nobody of the
    # network is listed to add (the picker searches them); meeting load's absences (the
    # group's last sessions with a roll call, for who runs it)
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    assert len(response.context["members"]) == extra + 3


def add_group_rows(world, count: int) -> None:
    """COUNT more of what a facilitator's group page lists besides members: requests to join,
    sessions to come, accredited sessions held whose attendance is still to hand in."""
    from decimal import Decimal

    from meetings.services.groups import group_request_join
    from tests.factories import professional_in

    group, facilitator = world.group, world.users["facilitator"]
    group.accreditation_reference, group.accreditation_points = "GLEM-1", Decimal("2.00")
    group.save()
    organisation = world.network.organisations.get()
    today = timezone.localdate()
    for i in range(count):
        group_request_join(group=group, user=professional_in(organisation), message=f"Demande {i}")
        for day in (today + timedelta(days=4 + i), today - timedelta(days=7 + i)):
            meeting_create(
                network=world.network,
                kind=Kind.BALINT,
                group=group,
                title=SESSION_TITLE,
                start=local_start(day, time(12, 0)),
                end=local_start(day, time(13, 30)),
                organiser=facilitator,
            )
    group.meetings.filter(end__lt=timezone.now()).update(status=MeetingStatus.HELD)


@pytest.mark.parametrize("extra", [1, 8])
def test_group_page_query_count_does_not_grow_with_requests_and_sessions(
    client, world, django_assert_num_queries, extra
):
    add_group_rows(world, extra)
    client.force_login(world.users["facilitator"])

    # as above: requests, sessions to come and sessions to report are one query each
    with django_assert_num_queries(10):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    body = response.content.decode()
    assert len(response.context["requests"]) == extra + 1
    assert f"Demande {extra - 1}" in body
    assert len(response.context["panels"]["main"][0].data["to_report"]) == extra
    assert len(response.context["sessions"]) == min(12, len(response.context["sessions"])) > extra


@pytest.mark.parametrize("extra", [1, 8])
def test_group_page_query_count_does_not_grow_for_the_coordinator(
    client, world, django_assert_num_queries, extra
):
    from meetings.services.groups import charter_accept, group_add_member, group_set_rapporteur

    for _ in range(extra):
        user = UserFactory()
        group_add_member(group=world.group, user=user, by=world.users["facilitator"])
        charter_accept(group=world.group, user=user)
    group_set_rapporteur(group=world.group, rapporteur=world.users["member"], by=world.users["coordinator"])
    client.force_login(world.users["coordinator"])

    # session, user, group with its counts, my membership (none), my networks ×2 (through
    # work, as coordinator), a page of members, sessions, the rapporteur, sessions to report,
    # requests; the rapporteur is chosen with a search, not from a list of the members; meeting
    # load's absences (coordinators run the group too)
    with django_assert_num_queries(12):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    assert len(response.context["members"]) == extra + 3
    rapporteur = response.content.decode().split('id="rapporteur-form"')[1].split("</form>")[0]
    assert "<option" not in rapporteur


@pytest.mark.parametrize("extra", [1, 8])
@pytest.mark.parametrize(
    ("viewer", "queries", "members_listed"),
    [
        # session, user, group with its counts, my membership with my acceptance of the
        # charter, sessions, a page of members, my coordinations (the rapporteur's form)
        ("member", 7, True),
        # session, user, group, my membership (none), my networks ×2 (I may see it, and ask to
        # join); neither sessions nor members are read for whom the page does not show them
        ("outsider", 6, False),
    ],
)
def test_group_page_query_count_does_not_grow_for_members_and_others(
    client, world, django_assert_num_queries, extra, viewer, queries, members_listed
):
    from meetings.services.groups import group_add_member

    for _ in range(extra):
        group_add_member(group=world.group, user=UserFactory(), by=world.users["facilitator"])
    add_group_rows(world, extra)
    client.force_login(world.users[viewer])

    with django_assert_num_queries(queries):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    assert (response.context["members"] is not None) == members_listed
    assert (response.context["sessions"] is not None) == members_listed


def test_group_page_reads_no_requests_when_nobody_asks(client, world, django_assert_num_queries):
    world.join_request.delete()
    client.force_login(world.users["facilitator"])

    # as above, less the requests
    with django_assert_num_queries(9):
        response = client.get(reverse("meetings:group", args=[world.group.pk]))

    assert response.context["requests"] is None
    assert 'id="request-list"' not in response.content.decode()
    assert "Membres" in response.content.decode()


def test_group_page_marks_the_members_who_have_not_accepted_the_charter_for_its_facilitators(client, world):
    url = reverse("meetings:group", args=[world.group.pk])
    client.force_login(world.users["facilitator"])
    for_facilitator = client.get(url).content.decode()
    client.force_login(world.users["member"])
    for_member = client.get(url).content.decode()

    pending = world.users["pending"].get_full_name()
    assert f'{pending} <span class="meta">— membre · charte pas encore acceptée</span>' in for_facilitator
    assert f'{pending} <span class="meta">— membre</span>' in for_member
    assert "charte pas encore acceptée" not in for_member


def test_group_pages_of_namesakes_neither_repeat_nor_skip_anyone(client, world):
    from meetings.models import GroupMembership, MembershipStatus

    GroupMembership.objects.bulk_create(
        GroupMembership(
            group=world.group,
            user=UserFactory(first_name="Jean", last_name="Dupont"),
            status=MembershipStatus.ACTIVE,
        )
        for _ in range(60)
    )
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:group", args=[world.group.pk])

    pages = [client.get(url, {"page": n}).context["members"] for n in (1, 2)]

    listed = [m["user_id"] for page in pages for m in page]
    assert len(listed) == len(set(listed)) == 63


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

    listed = [m["user_id"] for page in (first, second) for m in page.context["members"]]
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
    # my coordinations, vignettes, whether I facilitate, participants; meeting load's cost (the
    # invitees, their travel) and my month beside my answer (my profile; budget: profile,
    # organisations, organisations' budgets; my month's meetings and roll calls, my travel)
    with django_assert_num_queries(18):
        response = client.get(reverse("meetings:meeting", args=[meeting.pk]))

    assert len(response.context["participants"]) == extra + 1


@pytest.mark.parametrize("extra", [1, 8])
def test_meeting_page_query_count_does_not_grow_for_its_organiser(
    client, world, django_assert_num_queries, extra
):
    from meetings.models import AgendaItem
    from meetings.vignettes.models import Vignette, VignetteStatus

    meeting = world.thematic
    for i in range(extra):
        guest = UserFactory()
        Invitation.objects.create(meeting=meeting, user=guest, email=guest.email, partstat="ACCEPTED")
        Invitation.objects.create(meeting=meeting, email=f"invite{i}@example.test", name=f"Invité {i}")
        AgendaItem.objects.create(meeting=meeting, position=i, title=f"Point {i}", presenter=guest)
        Vignette.objects.create(
            meeting=meeting,
            author=guest,
            title=f"Vignette {i}",
            text="Une situation.",
            status=VignetteStatus.SHARED,
            shared_at=timezone.now(),
        )
    client.force_login(world.users["coordinator"])

    # session, user, meeting, agenda with presenters, vignettes with authors, participants, their
    # own invitation (the answer section); nothing of its outcome is asked before it ends, nor
    # actions carried over from a series; meeting load's cost (the invitees, their travel)
    with django_assert_num_queries(9):
        response = client.get(reverse("meetings:meeting", args=[meeting.pk]))

    body = response.content.decode()
    assert len(response.context["participants"]) == 2 * extra
    assert f'Invité {extra - 1} <span class="meta">— <span class="answer">pas encore répondu</span>' in body
    assert f'{guest.get_full_name()} <span class="meta">— <span class="answer yes">je viens</span>' in body
    assert f"Point {extra - 1}" in body
    assert f"Vignette {extra - 1}" in body


@pytest.mark.parametrize("extra", [1, 8])
def test_ended_meeting_page_query_count_does_not_grow_for_its_facilitator(
    client, world, django_assert_num_queries, extra
):
    from meetings.attendance.models import Attendance, AttendanceStatus
    from meetings.followup.services import outcomes

    meeting = world.concertation
    people = [UserFactory() for _ in range(extra)]
    for person in people:
        Invitation.objects.create(meeting=meeting, user=person, email=person.email)
    with time_machine.travel(meeting.end + timedelta(hours=1), tick=False):
        outcomes.outcome_record(
            meeting=meeting,
            by=world.users["facilitator"],
            summary="La sortie est préparée.",
            actions=[
                outcomes.NewAction(f"Action {i}", world.users["member"], meeting.start.date() + timedelta(10))
                for i in range(extra)
            ],
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=person, status=AttendanceStatus.PRESENT) for person in people
        )
        client.force_login(world.users["facilitator"])

        # session, user, meeting, agenda, participants, the situation it is about (none),
        # attendance (read once for the counts and for who gives feedback), the outcome (once,
        # whether it may be closed too), actions, feedback, the read of its outcome logged,
        # who else read it; meeting load's cost (the invitees, their travel)
        with django_assert_num_queries(14):
            response = client.get(reverse("meetings:meeting", args=[meeting.pk]))

    body = response.content.decode()
    assert len(response.context["participants"]) == extra + 1
    assert f"Action {extra - 1}" in body
    [followup] = [
        p.data for p in response.context["panels"]["main"] if p.template == "followup/_followup.html"
    ]
    assert followup["counts"] == {"attended": extra, "marked": extra}


def test_the_agenda_escapes_what_people_wrote(client, world):
    day = timezone.localdate() + timedelta(days=2)
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="<script>alert('x')</script> & co",
        start=local_start(day, time(9, 0)),
        end=local_start(day, time(10, 0)),
        organiser=world.users["outsider"],
        place='Salle "<b>A</b>"',
    )
    client.force_login(world.users["outsider"])

    body = client.get(reverse("meetings:agenda")).content.decode()

    assert "<script>alert" not in body and "<b>A</b>" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in body
    assert "Salle &quot;&lt;b&gt;A&lt;/b&gt;&quot;" in body


def test_the_agenda_speaks_each_persons_language(client, world):
    member = world.users["member"]
    Invitation.objects.filter(meeting=world.concertation, user=member).update(partstat="ACCEPTED")
    client.force_login(member)

    french = unescape(client.get(reverse("meetings:agenda")).content.decode())
    dutch = unescape(client.get(reverse("meetings:agenda"), HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    french_again = unescape(client.get(reverse("meetings:agenda")).content.decode())

    assert "je viens" in french and "je viens" not in dutch
    assert "ik kom" in dutch and "ik kom" not in french_again
    assert "je viens" in french_again
