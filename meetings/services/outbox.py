"""Sending e-mails through the outbox, exactly once.

Lifecycle of a row: `queue()` writes it (status queued) inside the caller's transaction and
dispatches `meetings.send_email` after commit; `claim_batch()` moves it to sending with a conditional
UPDATE, so only one worker holds it; `deliver()` renders and sends it (with a batch of other due
rows, over one SMTP connection), then marks it sent. A transient SMTP error puts it back to queued
with an exponential delay (at most MAX_ATTEMPTS tries); a permanent one (5xx) marks it failed for
the organiser to see. `sweep()`, run every minute, re-queues rows stuck in sending and dispatches
due rows again: retries after a backoff, and rows whose dispatch was lost (Redis down).
"""

import logging
import smtplib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from meetings.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Rows one worker sends over one SMTP connection, for at most MAX_BATCH_TIME (well below
# STUCK_AFTER, after which the sweeper would hand them to another worker).
BATCH_SIZE = 50
MAX_BATCH_TIME = timedelta(minutes=5)
STUCK_AFTER = timedelta(minutes=15)


def update_delay() -> timedelta:
    """Edits made within this delay after a change go out as one update."""
    return timedelta(seconds=settings.OUTBOX_UPDATE_DELAY_SECONDS)


def queue(*, send_after: datetime | None = None, **fields) -> OutboxMessage:
    """Write one message to the outbox; it is dispatched once the transaction commits."""
    message = OutboxMessage(send_after=send_after or timezone.now(), **fields)
    message.save()
    transaction.on_commit(lambda: dispatch(message.pk, message.send_after))
    return message


def queue_once(*, dedupe_key: str, **fields) -> bool:
    """Queue a message unless one with this key exists: the unique constraint decides, so two
    runs at the same time still send it once. Returns whether it was queued."""
    try:
        with transaction.atomic():
            queue(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        return False
    return True


def addressed_to(user) -> dict:
    """The fields of a message to a user of the application, in their language."""
    return {
        "recipient_email": user.email,
        "recipient_name": user.get_full_name(),
        "language": user.language,
        "user": user,
    }


def queue_once_to(user, *, dedupe_key: str, kind: str, **fields) -> bool:
    """queue_once() to a user of the application, in their language."""
    return queue_once(dedupe_key=dedupe_key, kind=kind, **addressed_to(user), **fields)


def queue_many(rows: list[dict]) -> list[OutboxMessage]:
    """Write many messages at once (a whole group invited). Rows with a dedupe key already used
    make the whole batch fail: for messages the caller already knows to be new."""
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(send_after=now, message_id=new_message_id(), **row) for row in rows
    )
    # Each task sends a batch of due rows, so one task per batch is enough; the sweeper picks up
    # anything a lost dispatch left behind.
    first_of_each_batch = [m.pk for m in messages[::BATCH_SIZE]]
    transaction.on_commit(lambda: [dispatch(pk) for pk in first_of_each_batch])
    return messages


def new_message_id() -> str:
    return f"<{uuid.uuid4()}@concertation>"


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


# Trouble with the connection itself: the server may be back later, and the batch stops here.
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def connection_lost(exc: Exception) -> bool:
    """The connection is unusable (not merely one message refused). smtplib's exceptions are
    OSErrors too, so only non-SMTP OSErrors (refused, reset, timeout) count besides these."""
    return isinstance(exc, CONNECTION_ERRORS) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )


def classify(exc: Exception) -> str:
    """'transient' for what may pass (4xx, connection trouble), 'permanent' otherwise."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return "transient" if 400 <= exc.smtp_code < 500 else "permanent"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return "transient" if codes and all(400 <= c < 500 for c in codes) else "permanent"
    if connection_lost(exc):
        return "transient"
    return "permanent"


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=30 * 2 ** max(0, attempts - 1))


@transaction.atomic
def claim_batch(message_id: int | None = None) -> tuple[list[int], datetime]:
    """Claim up to BATCH_SIZE due rows (MESSAGE_ID first if it is still waiting): queued → sending.

    Rows are locked with SKIP LOCKED, so concurrent workers take disjoint batches, and the
    UPDATE only touches rows still queued. On SQLite (development, a single process) the lock is
    a no-op and the conditional UPDATE is enough.
    """
    now = timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, send_after__lte=now)
    first = list(due.select_for_update(skip_locked=True).filter(pk=message_id).values_list("pk", flat=True))
    others = due.select_for_update(skip_locked=True).exclude(pk=message_id).order_by("pk")
    ids = first + list(others.values_list("pk", flat=True)[: BATCH_SIZE - len(first)])
    OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    # Only what this UPDATE changed is ours: claimed_at is the batch's token.
    ours = set(OutboxMessage.objects.filter(pk__in=ids, claimed_at=now).values_list("pk", flat=True))
    return [pk for pk in ids if pk in ours], now


def deliver(message_id: int) -> str:
    """Send MESSAGE_ID (and a batch of other due rows) over one SMTP connection.

    Returns the status of MESSAGE_ID itself ("skipped" when another batch had it). A batch stops
    well before the sweeper would consider its rows stuck; what it did not try goes back to the
    queue without losing an attempt.
    """
    from meetings.emails import render

    claimed, token = claim_batch(message_id)
    if not claimed:
        return "skipped"
    messages = OutboxMessage.objects.select_related(
        "meeting", "series", "invitation__user", "series_invitation__user"
    ).in_bulk(claimed)
    statuses, cache, lost = {}, {}, False
    started = timezone.now()
    connection = get_connection()
    try:
        try:
            connection.open()  # one connection for the batch (send_messages would open one per call)
        except Exception as exc:
            for pk in claimed:
                statuses[pk] = fail(messages[pk], exc, token)
            return statuses.get(message_id, "skipped")
        for pk in claimed:
            message = messages[pk]
            if lost or timezone.now() - started > MAX_BATCH_TIME:
                untried(messages[pk], token, "not tried in this batch")
                statuses[pk] = OutboxStatus.QUEUED
                continue
            try:
                email = render(message, cache)
                if email is None:  # nothing to say any more (e.g. the meeting is gone)
                    mark(message, OutboxStatus.SUPERSEDED, token)
                    statuses[pk] = OutboxStatus.SUPERSEDED
                    continue
                connection.send_messages([email])
            except Exception as exc:
                statuses[pk] = fail(message, exc, token)
                lost = connection_lost(exc)
                continue
            mark(message, OutboxStatus.SENT, token)
            statuses[pk] = OutboxStatus.SENT
    finally:
        connection.close()
    return statuses.get(message_id, "skipped")


def fail(message: OutboxMessage, exc: Exception, token: datetime) -> str:
    """Transient errors come back later with exponential backoff (at most MAX_ATTEMPTS tries);
    permanent ones are marked failed for the organiser to see."""
    error = f"{type(exc).__name__}: {exc}"[:1000]
    if classify(exc) == "transient" and message.attempts < MAX_ATTEMPTS:
        mine(message, token).update(
            status=OutboxStatus.QUEUED,
            last_error=error,
            send_after=timezone.now() + backoff(message.attempts),
        )
        return OutboxStatus.QUEUED
    log.warning("outbox %s failed: %s", message.pk, error)
    mark(message, OutboxStatus.FAILED, token, error=error)
    return OutboxStatus.FAILED


def untried(message: OutboxMessage, token: datetime, reason: str) -> None:
    """Back to the queue at once, giving back the attempt its claim counted."""
    mine(message, token).update(status=OutboxStatus.QUEUED, last_error=reason, attempts=F("attempts") - 1)


def mine(message: OutboxMessage, token: datetime):
    """The row, if this batch still holds it (the sweeper may have re-queued it meanwhile)."""
    return OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, claimed_at=token)


def mark(message: OutboxMessage, status: str, token: datetime, *, error: str = "") -> None:
    mine(message, token).update(
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
