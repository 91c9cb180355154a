"""Recording a participant's answers: all slots at once or nothing, only while the poll is open,
and the organiser told once when everyone has answered."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings.polls.models import Poll, PollAnswer, PollStatus
from meetings.polls.notices import PollKind
from meetings.polls.services.answers import record_answers
from meetings.polls.slots import at
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def all_yes(poll, choice="yes") -> dict[int, str]:
    return {slot.pk: choice for slot in poll.slots.all()}


def stored(participant) -> dict[int, str]:
    return dict(PollAnswer.objects.filter(participant=participant).values_list("slot_id", "choice"))


def complete_mails(poll):
    return OutboxMessage.objects.filter(kind=PollKind.COMPLETE, refs__poll=poll.pk)


def test_answers_are_stored_for_each_slot_with_the_time_zone(poll_world):
    poll, guest = poll_world.poll, poll_world.guest
    first, second, third = poll.slots.all()

    record_answers(
        participant=guest,
        choices={first.pk: "yes", second.pk: "maybe", third.pk: "no"},
        time_zone="Europe/London",
    )

    guest.refresh_from_db()
    assert stored(guest) == {first.pk: "yes", second.pk: "maybe", third.pk: "no"}
    assert guest.answered_at is not None
    assert guest.time_zone == "Europe/London"
    # The slot itself is stored as proposed.
    assert first.start == at(date(2026, 11, 24), time(12, 30))


def test_answering_again_replaces_the_answers_without_duplicates(poll_world):
    poll, guest = poll_world.poll, poll_world.guest
    record_answers(participant=guest, choices=all_yes(poll))

    record_answers(participant=guest, choices=all_yes(poll, "no"))

    assert set(stored(guest).values()) == {"no"}
    assert PollAnswer.objects.filter(participant=guest).count() == 3


def test_a_slot_left_without_an_answer_is_named_and_nothing_is_stored(poll_world):
    poll, guest = poll_world.poll, poll_world.guest
    first, second, _third = poll.slots.all()

    with pytest.raises(ValidationError) as refused:
        record_answers(participant=guest, choices={first.pk: "yes", second.pk: "no"})

    message = " ".join(refused.value.messages)
    assert "Répondez pour chaque créneau" in message
    assert "mardi 1 décembre 2026, 12:30–14:00" in message
    assert "24 novembre" not in message
    assert stored(guest) == {}
    guest.refresh_from_db()
    assert guest.answered_at is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("other_poll_slot", "n'est pas de ce sondage"),
        ("not_a_slot_id", "n'est pas de ce sondage"),
        ("bad_choice", "oui, si nécessaire ou non"),
        ("bad_zone", "Fuseau horaire inconnu"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(poll_world, change, expected):
    from tests.polls.conftest import make_poll

    poll, guest = poll_world.poll, poll_world.guest
    record_answers(participant=guest, choices=all_yes(poll, "maybe"))
    choices, zone = all_yes(poll), None
    if change == "other_poll_slot":
        other = make_poll(poll_world.world, days=[date(2026, 12, 3)])
        choices[other.slots.get().pk] = "yes"
    elif change == "not_a_slot_id":
        choices["premier"] = "yes"
    elif change == "bad_choice":
        choices[next(iter(choices))] = "perhaps"
    else:
        zone = "Europe/Atlantis"

    with pytest.raises(ValidationError, match=expected):
        record_answers(participant=guest, choices=choices, time_zone=zone)

    guest.refresh_from_db()
    assert set(stored(guest).values()) == {"maybe"}
    assert guest.time_zone == "Europe/Brussels"


def test_answering_after_the_deadline_is_refused(poll_world):
    poll, guest = poll_world.poll, poll_world.guest
    with (
        time_machine.travel(at(date(2026, 11, 23), time(18, 0)), tick=False),
        pytest.raises(ValidationError, match="clos"),
    ):
        record_answers(participant=guest, choices=all_yes(poll))
    assert stored(guest) == {}


def test_answering_a_closed_poll_is_refused(poll_world):
    poll, guest = poll_world.poll, poll_world.guest
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)
    with pytest.raises(ValidationError, match="clos"):
        record_answers(participant=guest, choices=all_yes(poll))
    assert stored(guest) == {}


def test_the_organiser_is_told_once_when_everyone_has_answered(poll_world):
    poll = poll_world.poll
    record_answers(participant=poll_world.member, choices=all_yes(poll))
    record_answers(participant=poll_world.pending, choices=all_yes(poll))
    assert not complete_mails(poll).exists()

    record_answers(participant=poll_world.guest, choices=all_yes(poll))
    # Someone changing their answers afterwards tells nobody again.
    record_answers(participant=poll_world.member, choices=all_yes(poll, "no"))

    [mail] = complete_mails(poll)
    assert mail.recipient_email == poll_world.world.users["facilitator"].email
    assert mail.refs["poll"] == poll.pk
    poll.refresh_from_db()
    assert poll.complete_notified_at is not None


def test_an_organiser_already_told_is_not_told_twice_even_if_the_mark_is_raced(poll_world):
    """Two last answers at once: the conditional UPDATE lets one through; the second finds the
    mark already set and queues nothing."""
    poll = poll_world.poll
    for participant in (poll_world.member, poll_world.pending, poll_world.guest):
        record_answers(participant=participant, choices=all_yes(poll))
    told = Poll.objects.get(pk=poll.pk).complete_notified_at

    record_answers(participant=poll_world.guest, choices=all_yes(poll, "maybe"))

    assert Poll.objects.get(pk=poll.pk).complete_notified_at == told
    assert complete_mails(poll).count() == 1


def test_answers_are_the_participants_own(poll_world):
    """Recording one person's answers leaves everyone else's as they were."""
    poll = poll_world.poll
    record_answers(participant=poll_world.member, choices=all_yes(poll, "no"))

    record_answers(participant=poll_world.guest, choices=all_yes(poll))

    assert set(stored(poll_world.member).values()) == {"no"}
    assert stored(poll_world.pending) == {}
