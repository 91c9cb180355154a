"""Sending e-mails through the outbox, exactly once.

Lifecycle of a row: `queue()` writes it (status queued) inside the caller's transaction and
dispatches `meetings.send_email` after commit; `claim()` moves it to sending with a conditional
UPDATE, so only one worker holds it; `deliver()` renders and sends it, then marks it sent. A
transient SMTP error puts it back to queued with an exponential delay (at most MAX_ATTEMPTS); a
permanent one (5xx) marks it failed for the organiser to see. `sweep()` re-queues rows stuck in
sending and re-dispatches due rows whose dispatch was lost (Redis down).
"""

import logging
import smtplib
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from meetings.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=15)


def update_delay() -> timedelta:
    """Edits made within this delay after a change go out as one update."""
    return timedelta(seconds=settings.OUTBOX_UPDATE_DELAY_SECONDS)


class TransientError(Exception):
    """The message could not be sent now but may be later."""


def queue(*, send_after: datetime | None = None, **fields) -> OutboxMessage:
    """Write one message to the outbox; it is dispatched once the transaction commits."""
    message = OutboxMessage(send_after=send_after or timezone.now(), **fields)
    message.save()
    transaction.on_commit(lambda: dispatch(message.pk, message.send_after))
    return message


def dispatch(message_id: int, send_after: datetime | None = None) -> None:
    """Hand a message to the worker. If the broker is down, the sweeper will do it later."""
    from worker.tasks import send_email

    try:
        if send_after and send_after > timezone.now():
            send_email.apply_async((message_id,), eta=send_after, retry=False)
        else:
            send_email.apply_async((message_id,), retry=False)
    except Exception as exc:
        log.warning("outbox %s not dispatched (%s); the sweeper will retry", message_id, exc)


def claim(message_id: int) -> bool:
    """queued → sending, for one worker only."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.QUEUED, send_after__lte=timezone.now()
    ).update(status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    return claimed == 1


def classify(exc: Exception) -> str:
    """'transient' for what may pass (4xx, connection trouble), 'permanent' otherwise."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return "transient" if 400 <= exc.smtp_code < 500 else "permanent"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return "transient" if codes and all(400 <= c < 500 for c in codes) else "permanent"
    if isinstance(
        exc,
        (
            smtplib.SMTPServerDisconnected,
            smtplib.SMTPConnectError,
            ConnectionError,
            socket.timeout,
            TimeoutError,
            OSError,
        ),
    ):
        return "transient"
    return "permanent"


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=30 * 2 ** max(0, attempts - 1))


def deliver(message_id: int) -> str:
    """Send one claimed message. Returns its new status."""
    from meetings.emails import render

    if not claim(message_id):
        return "skipped"
    message = OutboxMessage.objects.select_related(
        "meeting", "series", "invitation", "series_invitation"
    ).get(pk=message_id)
    try:
        email = render(message)
        if email is None:  # nothing to say any more (e.g. the person was removed since)
            mark(message, OutboxStatus.SENT, error="not sent: no longer relevant")
            return OutboxStatus.SENT
        with get_connection() as connection:
            connection.send_messages([email])
    except Exception as exc:
        kind = classify(exc)
        error = f"{type(exc).__name__}: {exc}"[:1000]
        if kind == "transient" and message.attempts < MAX_ATTEMPTS:
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxStatus.QUEUED,
                last_error=error,
                send_after=timezone.now() + backoff(message.attempts),
            )
            raise TransientError(error) from exc
        mark(message, OutboxStatus.FAILED, error=error)
        return OutboxStatus.FAILED
    mark(message, OutboxStatus.SENT)
    return OutboxStatus.SENT


def mark(message: OutboxMessage, status: str, *, error: str = "") -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, last_error=error, sent_at=timezone.now() if status == OutboxStatus.SENT else None
    )


def sweep(*, now: datetime | None = None, stuck_after: timedelta = STUCK_AFTER) -> int:
    """Re-queue rows stuck in sending and dispatch every due queued row again.

    Dispatching a row twice is harmless: only one worker can claim it.
    """
    now = now or timezone.now()
    OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - stuck_after).update(
        status=OutboxStatus.QUEUED
    )
    # A minute's grace: rows queued just now are normally on their way through the broker.
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, send_after__lte=now - timedelta(minutes=1))
        .order_by("send_after")
        .values_list("pk", flat=True)[:5000]
    )
    for message_id in due:
        dispatch(message_id)
    return len(due)
