"""The poll page asks as many queries for 30 participants as for 3, for its organiser and for a
participant."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.polls.models import PollAnswer, PollParticipant
from meetings.polls.slots import at
from tests.factories import UserFactory
from tests.polls.closing_world import answer
from tests.polls.conftest import SLOT_DAYS


def count(client, url) -> tuple[int, str]:
    client.get(url)  # the session and the like settle on a first answer
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def grow(poll, slots):
    """27 more participants (some with accounts, and a meeting each on a slot), all answered."""
    from meetings.services.invitations import invite_to_meeting, invitee_for
    from meetings.services.meetings import meeting_create

    people = [
        PollParticipant(poll=poll, email=f"extra{n}@partenaire.test", name=f"Extra {n}") for n in range(20)
    ]
    users = [UserFactory(email=f"user{n}@example.test") for n in range(7)]
    people += [PollParticipant(poll=poll, user=u, email=u.email, name=u.get_full_name()) for u in users]
    created = PollParticipant.objects.bulk_create(people)
    PollAnswer.objects.bulk_create(
        PollAnswer(participant=p, slot=s, choice="yes" if i % 2 else "maybe")
        for i, p in enumerate(created)
        for s in slots
    )
    busy = meeting_create(
        network=poll.network,
        kind="thematic",
        title="Autre réunion",
        start=at(SLOT_DAYS[0], time(12, 0)),
        end=at(SLOT_DAYS[0], time(13, 0)),
        organiser=poll.organiser,
    )
    invite_to_meeting(meeting=busy, invitees=[invitee_for(u) for u in users])
    return created


@pytest.mark.parametrize("viewer", ["facilitator", "member"])
def test_the_poll_page_reads_as_many_queries_for_30_participants_as_for_3(client, poll_world, viewer):
    w = poll_world
    slots = list(w.poll.slots.all())
    answer(w.member, {slots[0]: "yes"})
    client.force_login(w.world.users[viewer])
    url = reverse("polls:detail", args=[w.poll.pk])
    few, _page = count(client, url)

    created = grow(w.poll, slots)
    many, page = count(client, url)

    assert many == few
    assert created[-1].display_name in page  # the open poll shows everyone to both
    assert w.poll.participants.count() == 30
