"""The home page's "À faire": the open polls the person is asked and has not answered, until
their deadline, leading to the answer page; nothing for the organiser, someone not asked, a
poll answered, closed or past its deadline; one query whatever the number of polls."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings import ical
from meetings.polls import todo
from meetings.polls.models import Poll, PollStatus
from meetings.polls.slots import at
from tests.polls.conftest import ask, make_poll

pytestmark = pytest.mark.django_db


def home_todos(client, user) -> list[tuple[str, str, str]]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    items = response.context["todos"]
    return [(item.kind, item.text, item.url) for item in items if item.kind == "poll_answer"]


def test_a_participant_who_has_not_answered_finds_the_poll_on_the_home_page(client, poll_world):
    poll, member = poll_world.poll, poll_world.member.user
    answer = reverse("polls:answer", args=[poll.pk])

    items = home_todos(client, member)
    body = client.get(reverse("home")).content.decode()

    assert items == [("poll_answer", ical.public_heading(poll), answer)]
    assert f'href="{answer}"' in body and "Choisir une date" in body
    assert f'<time datetime="{timezone.localtime(poll.deadline).isoformat()}">' in body


def test_nothing_for_the_organiser_someone_not_asked_or_once_answered(client, poll_world):
    users = poll_world.world.users
    assert home_todos(client, users["facilitator"]) == []
    assert home_todos(client, users["outsider"]) == []

    poll_world.member.answered_at = timezone.now()
    poll_world.member.save(update_fields=["answered_at"])

    assert home_todos(client, users["member"]) == []
    assert len(home_todos(client, users["pending"])) == 1  # the other one still has to


def test_nothing_once_the_poll_is_closed_or_past_its_deadline(client, poll_world):
    member = poll_world.member.user
    with time_machine.travel(at(date(2026, 11, 23), time(18, 1)), tick=False):
        assert home_todos(client, member) == []

    Poll.objects.filter(pk=poll_world.poll.pk).update(status=PollStatus.CLOSED)
    assert home_todos(client, member) == []


def test_the_polls_come_nearest_deadline_first_in_one_query(poll_world, django_assert_num_queries):
    world, member = poll_world.world, poll_world.member.user
    later = make_poll(world, title="Balint : en janvier", deadline=at(date(2026, 11, 30), time(12, 0)))
    sooner = make_poll(world, title="Balint : à la rentrée", deadline=at(date(2026, 11, 21), time(12, 0)))
    for poll in (later, sooner):
        ask(poll, world)
    now = datetime(2026, 11, 19, 10, 0, tzinfo=timezone.get_current_timezone())

    with django_assert_num_queries(1):
        items = todo.to_answer(member, now=now)

    expected = [sooner, poll_world.poll, later]
    assert [item.url for item in items] == [reverse("polls:answer", args=[p.pk]) for p in expected]
    assert [item.when for item in items] == sorted(item.when for item in items)
