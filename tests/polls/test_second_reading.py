"""What a second reading of the polls found, each kept right by a test: the organiser told again
once people added later have answered (and when the last one not to answer is removed); no
reminder on the heels of an invitation; "your calendar was read" forgotten with the busy times;
a slot both generated and typed counted once; other people's conflicts shown only to who
manages the poll."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.polls.models import BusyInterval, Poll, PollSlot
from meetings.polls.notices import PollKind
from meetings.polls.services import answers, closing
from meetings.polls.services.polls import participant_remove, participants_add
from meetings.polls.slots import Candidate, at
from outbox.models import OutboxMessage
from tests.polls.closing_world import answer
from tests.polls.conftest import make_poll

pytestmark = pytest.mark.django_db


def all_yes(participant):
    answers.record_answers(
        participant=participant, choices={s.pk: "yes" for s in participant.poll.slots.all()}
    )


def told_complete(poll) -> int:
    return OutboxMessage.objects.filter(kind=PollKind.COMPLETE).about(poll=poll.pk).count()


def test_everyone_answered_is_said_again_once_people_added_later_have_answered(poll_world):
    w = poll_world
    for participant in (w.member, w.pending, w.guest):
        all_yes(participant)
    assert told_complete(w.poll) == 1

    [late] = participants_add(poll=w.poll, people=[{"email": "tard@partenaire.test"}])
    assert told_complete(w.poll) == 1
    all_yes(late)
    assert told_complete(w.poll) == 2
    all_yes(late)  # the same answers again: nothing new to say
    assert told_complete(w.poll) == 2


def test_removing_the_last_one_not_to_have_answered_tells_the_organiser(poll_world):
    w = poll_world
    all_yes(w.member)
    all_yes(w.pending)
    assert told_complete(w.poll) == 0

    participant_remove(participant=w.guest)

    assert told_complete(w.poll) == 1


def test_no_reminder_follows_a_fresh_invitation(poll_world):
    w = poll_world
    with time_machine.travel(w.poll.deadline - timedelta(days=1, hours=12), tick=False):
        [late] = participants_add(poll=w.poll, people=[{"email": "tard@partenaire.test"}])
        closing.send_reminders()
    reminded = set(
        OutboxMessage.objects.filter(kind=PollKind.REMINDER).values_list("recipient_email", flat=True)
    )
    assert reminded == {w.member.email, w.pending.email, w.guest.email}
    with time_machine.travel(w.poll.deadline - timedelta(hours=6), tick=False):
        closing.send_reminders()
    assert OutboxMessage.objects.filter(kind=PollKind.REMINDER, recipient_email=late.email).count() == 1


def test_stopping_forgets_the_busy_times_and_that_a_calendar_was_read(poll_world):
    w = poll_world
    slot = w.poll.slots.first()
    BusyInterval.objects.create(participant=w.member, start=slot.start, end=slot.end)
    w.member.calendar_read_at = timezone.now()
    w.member.save(update_fields=["calendar_read_at"])

    closing.poll_stop(poll=w.poll, by=w.world.users["facilitator"])

    w.member.refresh_from_db()
    assert not BusyInterval.objects.exists() and w.member.calendar_read_at is None


def test_a_slot_given_twice_is_one_slot_and_two_ends_for_one_start_are_refused(world):
    day = date(2026, 11, 24)
    twice = [Candidate(start=at(day, time(12, 30)), end=at(day, time(14, 0)))] * 2
    poll = make_poll(world, candidates=[*twice, Candidate(start=at(day, time(9)), end=at(day, time(10)))])
    assert PollSlot.objects.filter(poll=poll).count() == 2

    polls_before = Poll.objects.count()
    other_end = Candidate(start=at(day, time(12, 30)), end=at(day, time(13, 0)))
    with pytest.raises(ValidationError, match="commencent au même moment"):
        make_poll(world, candidates=[twice[0], other_end])
    assert Poll.objects.count() == polls_before


def test_other_peoples_conflicts_are_shown_to_who_manages_the_poll_only(client, poll_world):
    w = poll_world
    slot = w.poll.slots.order_by("start").first()
    for participant in (w.member, w.pending):
        answer(participant, dict.fromkeys(w.poll.slots.all(), "yes"))
    BusyInterval.objects.create(participant=w.pending, start=slot.start, end=slot.end)

    client.force_login(w.world.users["member"])
    seen_by_member = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()
    client.force_login(w.world.users["facilitator"])
    seen_by_organiser = client.get(reverse("polls:detail", args=[w.poll.pk])).content.decode()

    assert w.pending.display_name in seen_by_member  # not private: the answers are shown
    assert "déjà pris" not in seen_by_member
    assert "déjà pris" in seen_by_organiser
