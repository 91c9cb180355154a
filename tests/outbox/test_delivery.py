"""The outbox against a real SMTP server: retries, failures, stuck rows, nothing sent twice."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from meetings.models import MessageKind
from meetings.services import invitations as inv
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_goes_through_smtp_once(world, smtp):
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    message = OutboxMessage.objects.get()

    assert outbox.deliver(message.pk) == "skipped"  # already sent when the transaction committed
    assert smtp.recipients() == ["a@example.be"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert smtp.messages[0]["Message-ID"] == message.message_id


def test_451_then_success_delivers_once(world, smtp):
    smtp.answers = ["451 4.3.0 try again later"]

    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.QUEUED
    assert "451" in message.last_error
    assert smtp.recipients() == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox.sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert smtp.recipients() == ["a@example.be"]


def test_550_marks_the_row_failed(world, smtp):
    smtp.answers = ["550 5.1.1 no such user"]

    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("nobody@example.be")])

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert "550" in message.last_error
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        outbox.sweep()
    assert smtp.recipients() == []


def test_transient_failures_stop_after_the_last_attempt(world, smtp):
    smtp.answers = ["421 busy"] * 10

    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    for minutes in range(1, 60, 5):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes * 10)):
            outbox.sweep()

    message = OutboxMessage.objects.get()
    assert message.attempts == outbox.MAX_ATTEMPTS
    assert message.status == OutboxStatus.FAILED
    assert smtp.recipients() == []


def test_a_mail_server_down_for_an_hour_loses_nothing(world, smtp):
    """Beat's sweeper runs every minute; the server refuses every message for an hour, then
    accepts them: the invitation is still waiting after the hour, and then leaves once."""
    smtp.answers = ["421 4.3.2 down for maintenance"] * 100
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    start = timezone.now()

    def sweep_each_minute(minutes: range) -> None:
        for minute in minutes:
            with time_machine.travel(start + timedelta(minutes=minute)):
                outbox.sweep()

    sweep_each_minute(range(1, 61))
    during = OutboxMessage.objects.get()
    smtp.answers = []  # the server is back
    sweep_each_minute(range(61, 181))

    message = OutboxMessage.objects.get()
    assert during.status == OutboxStatus.QUEUED  # tried again and again, not given up
    assert during.attempts >= 5
    assert "421" in during.last_error
    assert (message.status, message.attempts) == (OutboxStatus.SENT, during.attempts + 1)
    assert smtp.recipients() == ["a@example.be"]


def test_rows_stuck_in_sending_are_requeued_and_sent(world, smtp, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = OutboxMessage.objects.create(
        kind=MessageKind.REQUEST,
        recipient_email="a@example.be",
        refs={"meeting": world.thematic.pk},
        status=OutboxStatus.SENDING,
        claimed_at=timezone.now(),
        send_after=timezone.now(),
    )

    outbox.sweep()
    assert smtp.recipients() == []  # not yet stuck for 15 minutes
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        outbox.sweep()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert smtp.recipients() == ["a@example.be"]


def test_a_row_is_claimed_by_one_worker_only(world):
    message = OutboxMessage.objects.create(
        kind=MessageKind.REQUEST,
        recipient_email="a@example.be",
        refs={"meeting": world.thematic.pk},
        send_after=timezone.now(),
    )

    assert outbox.claim_batch(message.pk)[0] == [message.pk]
    assert outbox.claim_batch(message.pk)[0] == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)


def test_refused_connection_requeues_the_batch_with_its_error(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there

    inv.invite_to_meeting(
        meeting=world.thematic, invitees=[inv.guest("a@example.be"), inv.guest("b@example.be")]
    )

    rows = list(OutboxMessage.objects.values_list("status", "attempts", "last_error"))
    assert [(status, attempts) for status, attempts, _error in rows] == [("queued", 1), ("queued", 1)]
    assert all("ConnectionRefusedError" in error for _s, _a, error in rows)


def test_one_refused_recipient_does_not_stop_the_batch(world, smtp):
    smtp.answers = ["452 mailbox full"]
    OutboxMessage.objects.all().delete()

    with transaction.atomic():  # one commit: the three rows leave in one batch
        inv.invite_to_meeting(
            meeting=world.thematic,
            invitees=[inv.guest("full@example.be"), inv.guest("b@example.be"), inv.guest("c@example.be")],
        )

    statuses = dict(OutboxMessage.objects.values_list("recipient_email", "status"))
    assert statuses == {"full@example.be": "queued", "b@example.be": "sent", "c@example.be": "sent"}
    assert smtp.recipients() == ["b@example.be", "c@example.be"]
