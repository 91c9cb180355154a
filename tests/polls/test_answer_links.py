"""Signed answer links: the link is the proof (no account), opening it records nothing (mail
scanners open every link, GET and HEAD), and an unknown, tampered, revoked or other poll's link
is the same 404, for the page and for what it posts."""

from datetime import date
from html import unescape

import pytest
from django.core import signing
from django.urls import reverse

from meetings.polls import tokens
from meetings.polls.models import BusyInterval, PollAnswer
from meetings.polls.services.polls import participant_new_link
from tests.polls.conftest import ask, make_poll

pytestmark = pytest.mark.django_db


def answers_for(participant) -> dict:
    return {f"slot_{slot.pk}": "yes" for slot in participant.poll.slots.all()} | {
        "time_zone": "Europe/Brussels"
    }


def calendar_path(participant, token=None) -> str:
    token = token or tokens.token_for(participant)
    return reverse("polls:calendar_link", kwargs={"pk": participant.poll_id, "token": token})


def test_opening_the_link_records_nothing_and_sending_records_without_login(client, poll_world):
    guest = poll_world.guest
    path = tokens.link_path(guest)

    opened = client.get(path)
    headed = client.head(path)
    recorded_on_open = PollAnswer.objects.filter(participant=guest).count()
    sent = client.post(path, answers_for(guest))
    shown = client.get(sent.url)

    guest.refresh_from_db()
    assert opened.status_code == 200 and headed.status_code == 200
    assert "Vos disponibilités" in unescape(opened.content.decode())
    assert recorded_on_open == 0
    assert sent.status_code == 302 and sent.url == path
    assert set(PollAnswer.objects.filter(participant=guest).values_list("choice", flat=True)) == {"yes"}
    assert guest.answered_at is not None
    assert "Merci, vos réponses sont enregistrées." in unescape(shown.content.decode())


def test_a_logged_in_person_opening_someone_elses_link_answers_for_that_link_only(client, poll_world):
    """The link stands for its participant: who is logged in does not change whose answers
    these are, and the member's own answers stay untouched."""
    client.force_login(poll_world.world.users["member"])
    client.post(tokens.link_path(poll_world.guest), answers_for(poll_world.guest))
    assert PollAnswer.objects.filter(participant=poll_world.guest).count() == 3
    assert not PollAnswer.objects.filter(participant=poll_world.member).exists()


def tampered(token: str) -> str:
    head, _sep, signature = token.rpartition(":")
    return f"{head}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize("case", ["tampered", "revoked", "other_poll", "unknown", "forged_payload"])
def test_a_bad_link_is_404_for_the_page_the_answers_and_the_calendar(client, poll_world, case):
    guest = poll_world.guest
    poll_id = guest.poll_id
    token = tokens.token_for(guest)
    if case == "tampered":
        token = tampered(token)
    elif case == "revoked":
        participant_new_link(participant=guest)
    elif case == "other_poll":
        other = make_poll(poll_world.world, days=[date(2026, 12, 3)])
        _member, _pending, other_guest = ask(other, poll_world.world)
        token = tokens.token_for(other_guest)  # valid, but for another poll's participant
    elif case == "unknown":
        token = "nothing-signed-here"
    else:
        token = signing.dumps({"p": guest.pk, "n": "guessed"}, salt=tokens.SALT)
    path = reverse("polls:answer_link", kwargs={"pk": poll_id, "token": token})

    responses = [
        client.get(path),
        client.head(path),
        client.post(path, answers_for(guest)),
        client.post(calendar_path(guest, token), {"address": "https://calendar.example/secret.ics"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert not PollAnswer.objects.exists()
    assert not BusyInterval.objects.exists()
    guest.refresh_from_db()
    assert guest.answered_at is None and guest.calendar_read_at is None


def test_the_new_link_works_where_the_revoked_one_does_not(client, poll_world):
    guest = poll_world.guest
    old = tokens.link_path(guest)
    participant_new_link(participant=guest)
    guest.refresh_from_db()

    assert client.get(old).status_code == 404
    assert client.get(tokens.link_path(guest)).status_code == 200


def test_the_link_page_names_nobody_else_in_a_private_poll(client, private_poll_world):
    world = private_poll_world.world
    page = unescape(client.get(tokens.link_path(private_poll_world.guest)).content.decode())
    for user in (world.users["member"], world.users["pending"]):
        assert user.email not in page
        assert user.get_full_name() not in page


def test_the_calendar_link_only_takes_posts(client, poll_world):
    assert client.get(calendar_path(poll_world.guest)).status_code == 405
    assert not BusyInterval.objects.exists()
