"""/polls/: the polls one is asked to answer, those one organises (or whose group one manages),
the recent closed ones; as many queries for ten polls as for one."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.polls.models import PollParticipant, PollStatus
from meetings.polls.slots import at
from tests.factories import UserFactory
from tests.polls.conftest import ask, make_poll

pytestmark = pytest.mark.django_db

LIST = "/polls/"
TITLE = "Balint : quelle date pour la séance extraordinaire ?"
# What a participant is shown of it: what their e-mail said (ical.public_heading).
HEADING = "Groupe Balint — Balint des Marolles"


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, id_: str) -> str:
    start = body.index(f'id="{id_}"')
    return body[start : body.index("</section>", start)]


def test_the_list_is_in_the_main_navigation(client, world):
    body = page(client, world.users["member"])

    nav = body[body.index('class="main-nav"') : body.index("</nav>")]
    assert f'<a href="{reverse("polls:list")}" aria-current="page">Sondages</a>' in nav


def test_a_participant_sees_the_poll_to_answer_until_they_answer_and_after(client, world, poll_world):
    member = world.users["member"]

    before = section(page(client, member), "to-answer")
    PollParticipant.objects.filter(pk=poll_world.member.pk).update(
        answered_at=at(date(2026, 11, 19), time(9))
    )
    after = section(page(client, member), "to-answer")

    assert HEADING in before and "Pas encore répondu" in before and TITLE not in before
    assert "jusqu'au lundi 23 novembre, 18:00" in before
    assert HEADING in after and "Vous avez répondu" in after and "Pas encore répondu" not in after
    assert HEADING not in section(page(client, member), "mine")


def test_the_organiser_and_who_manages_the_group_see_status_and_counts(client, world, poll_world):
    PollParticipant.objects.filter(pk=poll_world.guest.pk).update(answered_at=at(date(2026, 11, 19), time(9)))

    for role in ("facilitator", "coordinator"):
        body = page(client, world.users[role])
        mine = section(body, "mine")
        assert TITLE in mine and "ouvert" in mine and "1 réponse(s) sur 3" in mine, role
        assert "Aucun sondage n'attend votre réponse." in section(body, "to-answer")
        assert f'href="{reverse("polls:create")}"' in body


def test_someone_not_asked_sees_nothing_of_it(client, world, poll_world):
    body = page(client, world.users["outsider"])

    assert TITLE not in body and HEADING not in body
    # A member of the network may propose a meeting on invitation.
    assert f'href="{reverse("polls:create")}"' in body


def test_someone_in_no_network_is_offered_no_new_poll(client):
    body = page(client, UserFactory())

    assert "Nouveau sondage" not in body


def test_closed_and_decided_polls(client, world, poll_world):
    closed = poll_world.poll
    closed.status = PollStatus.CLOSED
    closed.save()
    decided = make_poll(world, title="Balint : date décidée")
    ask(decided, world)
    decided.status = PollStatus.DECIDED
    decided.save()

    organiser = page(client, world.users["facilitator"])
    member = page(client, world.users["member"])

    assert TITLE in section(organiser, "mine") and "à décider" in section(organiser, "mine")
    assert "Balint : date décidée" in section(organiser, "recent")
    assert "Balint : date décidée" not in section(organiser, "mine")
    assert HEADING not in section(member, "to-answer")
    recent = section(member, "recent")
    assert recent.count(HEADING) == 2 and TITLE not in recent


def _queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get(LIST)  # the session and the caches of a first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("role", ["facilitator", "member"])
def test_as_many_queries_for_ten_polls_as_for_one(client, world, poll_world, role):
    one, _body = _queries(client, world.users[role])
    for n in range(9):
        poll = make_poll(world, title=f"Sondage {n}")
        ask(poll, world)

    ten, body = _queries(client, world.users[role])

    assert ten == one
    if role == "facilitator":
        assert all(f"Sondage {n}" in body for n in range(9))
    else:
        assert section(body, "to-answer").count(HEADING) == 10


def test_the_lists_filters_agree_with_the_rules(world, poll_world):
    from meetings.polls import rules
    from meetings.polls.views.listing import polls_of

    other = make_poll(
        world, organiser=world.users["member"], group=None, kind="concertation", title="Concertation"
    )
    polls = [poll_world.poll, other]
    for role, user in world.users.items():
        listed = {p.pk: p for p in polls_of(user)}
        for poll in polls:
            assert (poll.pk in listed) == rules.can_see_poll(user, poll), (role, poll.title)
            if poll.pk in listed:
                assert listed[poll.pk].manages == rules.can_manage_poll(user, poll), (role, poll.title)


def test_a_participant_is_shown_what_their_email_said_not_a_concertations_title(client, world):
    poll = make_poll(world, group=None, kind="concertation", title="Concertation autour de Monsieur Z.")
    ask(poll, world)

    member = page(client, world.users["member"])
    organiser = page(client, world.users["facilitator"])

    assert "Concertation autour de Monsieur Z." not in member
    assert "Concertation clinique" in section(member, "to-answer")
    assert "Concertation autour de Monsieur Z." in section(organiser, "mine")
