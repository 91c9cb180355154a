"""Polls' section of a person's data: the polls they were asked, their answers and the busy
times read from their calendar, in their copy only; erased with them, the polls they organised
staying with their tombstone, nobody else's answers touched."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import erase_person
from meetings import ical
from meetings.polls.models import BusyInterval, Choice, Poll, PollAnswer, PollParticipant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def answer(participant, choices):
    slots = list(participant.poll.slots.all())
    for slot, choice in zip(slots, choices, strict=True):
        PollAnswer.objects.create(participant=participant, slot=slot, choice=choice)
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answered_at"])


def section_of(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.get(reverse("personal_data")).content)["sections"]["polls"]


def test_the_copy_holds_the_persons_participations_answers_and_busy_times(client, poll_world):
    poll, member, pending = poll_world.poll, poll_world.member, poll_world.pending
    answer(member, [Choice.YES, Choice.MAYBE, Choice.NO])
    answer(pending, [Choice.NO, Choice.NO, Choice.YES])
    slot = poll.slots.first()
    BusyInterval.objects.create(participant=member, start=slot.start, end=slot.start + timedelta(hours=1))

    section = section_of(client, member.user)

    (participation,) = section["participations"]
    assert participation["poll"] == ical.public_heading(poll) and participation["email"] == member.email
    assert participation["answered_at"] is not None
    assert [(a["slot_start"], a["choice"]) for a in participation["answers"]] == [
        (s.start.isoformat(), c) for s, c in zip(poll.slots.all(), ["yes", "maybe", "no"], strict=True)
    ]
    assert participation["busy_times"] == [
        {"start": slot.start.isoformat(), "end": (slot.start + timedelta(hours=1)).isoformat()}
    ]
    # The organiser was not asked: nothing of the participants' answers is in their copy.
    assert section_of(client, poll_world.world.users["facilitator"]) == {"participations": []}


def test_an_address_asked_before_its_account_existed_is_the_persons_too(client, poll_world):
    guest = poll_world.guest
    account = UserFactory(email=guest.email)

    section = section_of(client, account)

    assert [p["email"] for p in section["participations"]] == [guest.email]


def test_erasure_removes_the_participations_and_answers_and_keeps_the_polls(poll_world):
    poll, member, pending = poll_world.poll, poll_world.member, poll_world.pending
    users = poll_world.world.users
    answer(member, [Choice.YES, Choice.YES, Choice.NO])
    answer(pending, [Choice.NO, Choice.YES, Choice.YES])
    BusyInterval.objects.create(
        participant=member, start=poll.slots.first().start, end=poll.slots.first().end
    )

    erase_person(user=member.user, by=users["coordinator"], now=timezone.now())

    assert not PollParticipant.objects.filter(pk=member.pk).exists()
    assert not PollAnswer.objects.filter(participant_id=member.pk).exists()
    assert not BusyInterval.objects.exists()
    assert PollAnswer.objects.filter(participant=pending).count() == 3

    erase_person(user=users["facilitator"], by=users["coordinator"], now=timezone.now())

    kept = Poll.objects.get(pk=poll.pk)
    assert kept.organiser_id == users["facilitator"].pk and kept.participants.count() == 2
