"""The network dashboard /load/network/: who sees it, what it shows, the five-person floor, the
CSV of each table, dismissing a flag, and a constant number of queries."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.kinds import Kind
from meetings.load import health
from meetings.load.models import FlagDismissal
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.load import health_world as hw
from tests.load.test_health import healthy

pytestmark = pytest.mark.django_db

URL = reverse("load:network")


@pytest.fixture
def world(db):
    return hw.build()


def page(client, user, url=URL, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def declining(world, people=None):
    """A series attended by a quarter of its people: flagged."""
    people = people or world.people[:8]
    sessions = hw.weekly(world, sessions=3, title="Intervision qui s'étiole")
    hw.invite(sessions, people)
    for session in sessions:
        hw.roll_call(session, present=people[:2], absent=people[2:])
        hw.close(session)
    return sessions


# Who sees it


def test_only_coordinators_see_the_dashboard(world, client):
    response, text = page(client, world.people[0])

    assert response.status_code == 403
    assert "Réunions du réseau" not in text


def test_a_coordinator_of_two_networks_picks_one(world, client):
    other = hw.build(name="Réseau second")
    other.network.coordinators.add(world.coordinator)

    _response, first = page(client, world.coordinator)
    _response, second = page(client, world.coordinator, network=other.network.pk)
    refused, _text = page(client, world.coordinator, network=hw.build(name="Réseau tiers").network.pk)

    assert "Réunions du réseau Réseau santé" in first and 'name="network"' in first
    assert "Réunions du réseau Réseau second" in second
    assert refused.status_code == 403


# What it shows


def test_the_dashboard_shows_the_flags_and_the_tables(world, client):
    healthy(world, people=world.people[:8])
    sessions = declining(world)

    _response, text = page(client, world.coordinator)

    assert "Série désertée" in text and "moins de 50 %" in text
    assert reverse("meetings:meeting", args=[sessions[-1].pk]) in text
    assert 'id="hours-table"' in text and "Intervision" in text
    assert 'id="attendance-table"' in text and 'id="actions-table"' in text
    assert reverse("load:network_csv", args=["hours"]) in text


def test_a_healthy_network_says_so(world, client):
    healthy(world)

    _response, text = page(client, world.coordinator)

    assert 'id="no-flags"' in text


# The five-person floor


def test_no_figure_about_fewer_than_five_people(world, client):
    few = world.people[:4]
    sessions = hw.weekly(world, sessions=2, title="Petit groupe")
    hw.invite(sessions, few)
    for session in sessions:
        hw.roll_call(session, present=few)
        hw.act(session, few[0], due=session.start.date(), done_on=session.start.date())
        hw.close(session)
    month = sessions[-1].start.date().isoformat()[:7]

    hours = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["hours"]))[0])
    attendance = csv_rows(
        page(client, world.coordinator, reverse("load:network_csv", args=["attendance"]))[0]
    )
    actions = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["actions"]))[0])

    assert [row for row in hours if row[0] == month] == [[month, "", "0.0"]]
    assert [row for row in attendance if row[0] == month] == [[month, "", "", ""]]
    assert [row for row in actions if row[0] == month] == [[month, "", "", ""]]


def test_five_people_or_more_show_their_figures(world, client):
    people = world.people[:6]
    sessions = hw.weekly(world, sessions=1, title="Groupe de six")
    hw.invite(sessions, people)
    hw.roll_call(sessions[0], present=people[:5], absent=people[5:])
    hw.close(sessions[0])
    month = sessions[0].start.date().isoformat()[:7]

    hours = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["hours"]))[0])
    attendance = csv_rows(
        page(client, world.coordinator, reverse("load:network_csv", args=["attendance"]))[0]
    )

    assert [month, "7.5", "7.5"] in hours  # five present × 1 h 30
    assert [month, "6", "5", "83"] in attendance


# CSV


def test_each_table_has_its_csv_columns(world, client):
    healthy(world)
    declining(world)
    expected = {
        "hours": ["mois", "Intervision", "total (cases affichées)"],
        "attendance": ["mois", "attendus", "présents", "taux (%)"],
        "actions": ["mois", "actions dues", "faites à temps", "taux (%)"],
        "flags": ["signal", "sujet", "message", "lien", "chiffres"],
    }
    for table, header in expected.items():
        rows = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=[table]))[0])
        assert rows[0] == header
        assert len(rows) > 1
    flags = csv_rows(page(client, world.coordinator, URL, format="csv", table="flags")[0])
    assert flags[1][0] == "Série désertée"


def test_actions_done_by_their_due_date(world, client):
    people = world.people[:6]
    [session] = hw.weekly(world, sessions=1, weeks_ago=6)
    due = session.start.date() + timedelta(days=7)
    for index, person in enumerate(people):
        hw.act(
            session,
            person,
            due=due,
            done_on=due if index < 3 else (due + timedelta(days=1) if index == 3 else None),
        )

    rows = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["actions"]))[0])

    assert [due.isoformat()[:7], "6", "3", "50"] in rows


# Dismissing a flag


def dismiss(client, user, world, flag, reason):
    client.force_login(user)
    return client.post(
        reverse("load:network_flag_dismiss"),
        {"network": world.network.pk, "flag": flag.code, "subject_key": flag.subject_key, "reason": reason},
        follow=True,
    )


def the_flag(world):
    from meetings.load.health import network_flags

    [flag] = network_flags(world.network, now=timezone.now())
    return flag


def test_a_dismissed_flag_no_longer_shows(world, client):
    declining(world)
    flag = the_flag(world)

    response = dismiss(client, world.coordinator, world, flag, "Le groupe s'arrête en décembre.")
    text = response.content.decode()

    assert "Signal écarté" in text and 'id="no-flags"' in text
    dismissal = FlagDismissal.objects.get()
    assert (dismissal.flag, dismissal.subject_key, dismissal.reason) == (
        "low_attendance",
        flag.subject_key,
        "Le groupe s'arrête en décembre.",
    )


def test_a_reason_is_required(world, client):
    declining(world)
    flag = the_flag(world)

    text = dismiss(client, world.coordinator, world, flag, "   ").content.decode()

    assert "Dites pourquoi vous écartez ce signal." in text
    assert "Série désertée" in text
    assert not FlagDismissal.objects.exists()


def test_only_coordinators_dismiss(world, client):
    declining(world)
    flag = the_flag(world)
    other = hw.build(name="Réseau voisin")

    member = dismiss(client, world.people[0], world, flag, "Pas mon affaire")
    neighbour = dismiss(client, other.coordinator, world, flag, "Pas mon réseau")

    assert member.status_code == neighbour.status_code == 403
    assert not FlagDismissal.objects.exists()


def test_dismissing_is_done_on_post_only(world, client):
    client.force_login(world.coordinator)

    assert client.get(reverse("load:network_flag_dismiss")).status_code == 405
    assert not FlagDismissal.objects.exists()


# Queries


def busy(world, sessions: int, *, title: str):
    """SESSIONS past sessions of one series with roll calls, outcomes, actions and feedback, and
    a second series of the same people: every flag's query has rows to read."""
    meetings = hw.weekly(world, sessions=sessions, title=title)
    hw.invite(meetings, world.people[:8])
    for index, session in enumerate(meetings):
        hw.roll_call(session, present=world.people[:2], absent=world.people[2:8])
        hw.rate(session, [1, 2])
        if index % 2:
            hw.close(session)
    return meetings


def queries_of(client, url) -> tuple[int, str]:
    """The queries of the page computed afresh: what the cache keeps (settled months, flags of
    the last minutes) is forgotten first, after a first visit has warmed the rest."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_same_queries_for_ten_and_for_a_hundred_meetings(world, client):
    group = hw.group_of(world, world.people[1:9], name="GLEM")
    group.accreditation_reference = "GLEM-1"
    group.save()
    for session in hw.weekly(world, sessions=5, group=group, weeks_ago=30):
        hw.roll_call(session, present=world.people[:1])  # and its members absent
    busy(world, 10, title="Peu")
    client.force_login(world.coordinator)
    few, _text = queries_of(client, URL)

    for number in range(6):
        busy(world, 20, title=f"Beaucoup {number}")
    more = hw.weekly(world, sessions=8, group=group)
    for session in more:
        hw.roll_call(session, present=world.people[:1])
    many, text = queries_of(client, URL)

    assert many == few
    assert text.count('data-flag="low_attendance"') >= 7 and "Série désertée (" in text
    # Three of a kind at once, the others behind a disclosure.
    assert "autres signaux</summary>" in text
    assert "Séries à fusionner" in text and "Accréditation en danger" in text


def test_group_members_present_without_an_invitation_count_in_the_hours(world, client):
    group = hw.group_of(world, world.people[1:6])
    [session] = hw.weekly(world, sessions=1, group=group)
    hw.roll_call(session, present=world.people[:6])  # nobody invited: the group's members
    month = session.start.date().isoformat()[:7]

    hours = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["hours"]))[0])

    assert [month, "9.0", "9.0"] in hours  # six present × 1 h 30


def test_a_title_read_as_a_formula_is_defused_in_the_csv(world, client):
    start = local_start(timezone.localdate() + timedelta(days=1), time(14, 0))
    meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title='=HYPERLINK("http://x.test")',
        start=start,
        end=start + timedelta(hours=2),
        organiser=world.coordinator,
    )

    rows = csv_rows(page(client, world.coordinator, reverse("load:network_csv", args=["flags"]))[0])

    assert rows[1][2].startswith("'=HYPERLINK")


@pytest.mark.parametrize("network", ["²", "x", "-1"])
def test_a_network_that_is_not_a_number_is_not_found(client, world, network):
    client.force_login(world.coordinator)

    assert client.get(reverse("load:network"), {"network": network}).status_code == 404
    assert client.get(reverse("load:network_csv", args=["hours"]), {"network": network}).status_code == 404


def test_flags_are_computed_again_after_a_few_minutes_and_a_dismissal_shows_at_once(world):
    [session] = hw.weekly(world, sessions=1)  # left open after the reminder delay
    now = timezone.now()

    def unclosed(at):
        return [f for f in health.network_flags(world.network, now=at) if f.code == "unclosed"]

    [flag] = unclosed(now)
    hw.close(session)
    still = unclosed(now)
    later = unclosed(now + timedelta(seconds=health.FRESH_SECONDS))
    FlagDismissal.objects.create(
        network=world.network,
        flag=flag.code,
        subject_key=flag.subject_key,
        reason="Vu.",
        dismissed_by=world.coordinator,
    )

    assert still == [flag] and later == []
    assert unclosed(now) == []  # the cached flag, set aside since: gone at once
