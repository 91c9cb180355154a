"""The periodic work of polls (task "polls.tick"): closing at the deadline, the organiser told
once; reminders 2 days before it, once, only to who has not answered."""

from datetime import date, time, timedelta

import time_machine

from meetings.polls.models import BusyInterval, PollStatus
from meetings.polls.notices import PollKind
from meetings.polls.services import closing
from meetings.polls.slots import at
from outbox.models import OutboxMessage
from outbox.rendering import render
from tests.mail import text_body
from tests.polls.closing_world import answer
from worker import tasks
from worker.celery import app

DEADLINE = at(date(2026, 11, 23), time(18, 0))


def tick(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.polls_tick()


def rows(kind):
    return OutboxMessage.objects.filter(kind=kind)


def test_the_task_runs_every_quarter_of_an_hour():
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "polls.tick"]
    assert [e["schedule"] for e in entries] == [15 * 60]


def test_the_poll_closes_at_its_deadline_and_its_organiser_is_told_once(poll_world):
    w = poll_world
    BusyInterval.objects.create(participant=w.member, start=DEADLINE, end=DEADLINE + timedelta(hours=1))
    tick(DEADLINE - timedelta(minutes=1))
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.OPEN
    assert not rows(PollKind.CLOSED).exists()

    tick(DEADLINE)
    tick(DEADLINE + timedelta(minutes=15))

    w.poll.refresh_from_db()
    assert (w.poll.status, w.poll.closed_at) == (PollStatus.CLOSED, DEADLINE)
    assert not BusyInterval.objects.exists()
    facilitator = w.world.users["facilitator"]
    assert list(rows(PollKind.CLOSED).values_list("recipient_email", "refs")) == [
        (facilitator.email, {"user": facilitator.pk, "poll": w.poll.pk})
    ]
    assert closing.close_expired(now=DEADLINE + timedelta(hours=1)) == 0


def test_reminders_go_2_days_before_the_deadline_once_and_not_to_who_answered(poll_world):
    w = poll_world
    answer(w.member, {w.poll.slots.first(): "yes"})
    tick(DEADLINE - timedelta(days=2, minutes=1))
    assert not rows(PollKind.REMINDER).exists()

    tick(DEADLINE - timedelta(days=2))
    tick(DEADLINE - timedelta(days=2) + timedelta(minutes=15))
    closing.send_reminders(now=DEADLINE - timedelta(days=1))

    reminded = sorted(rows(PollKind.REMINDER).values_list("recipient_email", flat=True))
    assert reminded == sorted([w.pending.email, w.guest.email])
    message = rows(PollKind.REMINDER).get(recipient_email=w.guest.email)
    assert message.refs == {"poll": w.poll.pk, "participant": w.guest.pk}
    with time_machine.travel(DEADLINE - timedelta(days=2), tick=False):
        assert "23 novembre 2026" in text_body(render(message))


def test_a_reopened_poll_may_remind_again_and_closes_at_its_new_deadline(poll_world):
    w = poll_world
    facilitator = w.world.users["facilitator"]
    tick(DEADLINE - timedelta(days=1))
    tick(DEADLINE)
    assert rows(PollKind.REMINDER).count() == 3
    new_deadline = DEADLINE + timedelta(days=4)
    with time_machine.travel(DEADLINE + timedelta(hours=1), tick=False):
        closing.poll_reopen(poll=w.poll, deadline=new_deadline, by=facilitator)

    tick(new_deadline - timedelta(days=1))
    tick(new_deadline)

    assert rows(PollKind.REMINDER).count() == 6
    assert rows(PollKind.CLOSED).count() == 2
    w.poll.refresh_from_db()
    assert w.poll.status == PollStatus.CLOSED


def test_a_closed_or_decided_poll_reminds_nobody(poll_world):
    w = poll_world
    closing.poll_stop(poll=w.poll, by=w.world.users["facilitator"])
    tick(DEADLINE - timedelta(days=1))
    assert not rows(PollKind.REMINDER).exists()
    assert not rows(PollKind.CLOSED).exists()  # stopped by its organiser, who knows
