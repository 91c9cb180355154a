"""Sending e-mails through the outbox, exactly once.

Lifecycle of a row: `queue()` writes it (status queued) inside the caller's transaction and
dispatches the send task after commit; `claim_batch()` moves it to sending with a conditional
UPDATE, so only one worker holds it; `deliver()` renders it through its kind's registered
renderer and sends it (with a batch of other due rows, over one SMTP connection), then marks it
sent. A transient SMTP error puts it back to queued with an exponential delay (at most
MAX_ATTEMPTS tries); a permanent one (5xx) marks it failed for the organiser to see. `sweep()`,
run every minute, re-queues rows stuck in sending and dispatches due rows again: retries after a
backoff, and rows whose dispatch was lost (Redis down). Once a row is final (sent, failed,
superseded) its stored bodies are emptied.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from celery import current_app
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from outbox import registry
from outbox.models import OutboxMessage, OutboxStatus
from outbox.rendering import render

log = logging.getLogger(__name__)

# The Celery tasks that run deliver() and sweep() live in worker/tasks.py; the outbox dispatches
# them by their stable name, so that it imports no app of the project.
SEND_TASK = "meetings.send_email"

# A transient failure is tried again 30 s later, then 1, 2, 4, 8, 16 and 32 minutes later (each
# once the sweeper's minute of grace is over): over more than an hour in all, so that a mail
# server restarted or down for maintenance loses nothing. Longer than that, the row is marked
# failed, for the organiser to see and resend.
MAX_ATTEMPTS = 8
# Rows one worker sends over one SMTP connection, for at most MAX_BATCH_TIME (well below
# STUCK_AFTER, after which the sweeper would hand them to another worker).
BATCH_SIZE = 50
MAX_BATCH_TIME = timedelta(minutes=5)
STUCK_AFTER = timedelta(minutes=15)


def undeliverable(address: str) -> bool:
    """An address under the reserved top-level domain .invalid (RFC 6761) can never be delivered:
    the tombstone of an erased account has one, and a message to it is superseded at once."""
    domain = address.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    return domain == "invalid" or domain.endswith(".invalid")


def _checked(kind: str, refs: dict | None) -> dict:
    """Refuse a kind nobody registered, and references that are not primitive ids."""
    registry.kind(kind)
    refs = dict(refs or {})
    for key, value in refs.items():
        if not isinstance(key, str) or type(value) is not int:
            raise TypeError(f"outbox references are names and integer ids, not {key!r}: {value!r}")
    return refs


def queue(
    *,
    kind: str,
    recipient_email: str,
    recipient_name: str = "",
    language: str = "fr",
    refs: dict[str, int] | None = None,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
    subject: str = "",
    body_text: str = "",
    body_html: str = "",
) -> OutboxMessage:
    """Write one message to the outbox; it is dispatched once the transaction commits.

    KIND must be registered (UnknownKind otherwise); REFS name what the message is about, as
    primitive ids ({"meeting": 12, "invitation": 40}). The content fields are for kinds rendered
    when queued (see queue_rendered); the others render when they leave.
    """
    message = OutboxMessage(
        kind=kind,
        recipient_email=recipient_email,
        recipient_name=recipient_name,
        language=language,
        refs=_checked(kind, refs),
        dedupe_key=dedupe_key,
        send_after=send_after or timezone.now(),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    if undeliverable(recipient_email):
        message.status, message.body_text, message.body_html = OutboxStatus.SUPERSEDED, "", ""
        message.save()
        return message
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


def addressed_to(user, **refs: int) -> dict:
    """The fields of a message to a user of the application, in their language; the user's id
    is among its references (as "user"), with REFS."""
    return {
        "recipient_email": user.email,
        "recipient_name": user.get_full_name(),
        "language": user.language,
        "refs": {"user": user.pk, **refs},
    }


def record_sent(*, kind: str, email: str, name: str, language: str, refs: dict, at: datetime) -> None:
    """An e-mail that left at AT, as the outbox leaves it once sent (its bodies emptied): what
    the demo data writes for the e-mails its past would have sent."""
    OutboxMessage.objects.create(
        kind=kind,
        status=OutboxStatus.SENT,
        recipient_email=email,
        recipient_name=name,
        language=language,
        refs=_checked(kind, refs),
        send_after=at,
        attempts=1,
        claimed_at=at,
        sent_at=at,
    )


def queue_many(rows: list[dict]) -> list[OutboxMessage]:
    """Write many messages at once (a whole group invited). Rows with a dedupe key already used
    make the whole batch fail: for messages the caller already knows to be new."""
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            send_after=now,
            **{**row, "refs": _checked(row["kind"], row.get("refs"))},
            **(
                {"status": OutboxStatus.SUPERSEDED, "body_text": "", "body_html": ""}
                if undeliverable(row["recipient_email"])
                else {}
            ),
        )
        for row in rows
    )
    # Each task sends a batch of due rows, so one task per batch is enough; the sweeper picks up
    # anything a lost dispatch left behind.
    first_of_each_batch = [m.pk for m in messages[::BATCH_SIZE]]
    transaction.on_commit(lambda: [dispatch(pk) for pk in first_of_each_batch])
    return messages


def queue_rendered(
    *, kind: str, email: EmailMessage, language: str, recipient_name: str = "", refs: dict | None = None
) -> OutboxMessage:
    """Queue EMAIL as it is, already rendered (django-allauth's messages, whose context holds
    objects and one-time secrets that primitive ids could not rebuild later). Its subject and
    bodies wait in the row and are emptied once the row is final."""
    if len(email.to) != 1:
        raise ValueError("an outbox message has one recipient")
    html = next(
        (content for content, mimetype in getattr(email, "alternatives", []) if mimetype == "text/html"), ""
    )
    text = email.body
    if email.content_subtype == "html":
        text, html = "", email.body
    return queue(
        kind=kind,
        recipient_email=email.to[0],
        recipient_name=recipient_name,
        language=language,
        refs=refs,
        subject=email.subject,
        body_text=text,
        body_html=html,
    )


def dispatch(message_id: int, send_after: datetime | None = None) -> None:
    """Hand a message to the worker. If the broker is down, the sweeper will do it later."""
    task = current_app.tasks.get(SEND_TASK)
    if task is None:
        raise ImproperlyConfigured(f"no Celery task named {SEND_TASK!r} (worker/tasks.py) is loaded")
    try:
        if send_after and send_after > timezone.now():
            task.apply_async((message_id,), eta=send_after, retry=False)
        else:
            task.apply_async((message_id,), retry=False)
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


def prepare(messages: list[OutboxMessage], cache: dict) -> None:
    """Let each kind's `prepare` read in bulk what the batch's renderers need. A failure here
    only costs speed: the renderers read what they miss one row at a time."""
    groups: dict = {}
    for message in messages:
        try:
            entry = registry.kind(message.kind)
        except registry.UnknownKind:
            continue
        if entry.prepare is not None:
            groups.setdefault(entry.prepare, []).append(message)
    for prepare_kinds, rows in groups.items():
        try:
            prepare_kinds(rows, cache)
        except Exception:
            log.exception("outbox: preparing %d rows failed; rendering them one by one", len(rows))


def deliver(message_id: int) -> str:
    """Send MESSAGE_ID (and a batch of other due rows) over one SMTP connection.

    Returns the status of MESSAGE_ID itself ("skipped" when another batch had it). A batch stops
    well before the sweeper would consider its rows stuck; what it did not try goes back to the
    queue without losing an attempt.
    """
    claimed, token = claim_batch(message_id)
    if not claimed:
        return "skipped"
    messages = OutboxMessage.objects.in_bulk(claimed)
    statuses, cache, lost = {}, {}, False
    prepare([messages[pk] for pk in claimed], cache)
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
    permanent ones (a 5xx, an unknown kind, a renderer's error) are marked failed for the
    organiser to see."""
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
    """Settle the row for good (sent, failed or superseded). Its stored bodies go: a row kept
    for history keeps no links."""
    mine(message, token).update(
        status=status,
        last_error=error,
        sent_at=timezone.now() if status == OutboxStatus.SENT else None,
        body_text="",
        body_html="",
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


def supersede(rows) -> int:
    """Rows (a queryset) still waiting will not be sent: what they said is out of date."""
    return rows.filter(status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.SUPERSEDED, body_text="", body_html=""
    )


# Final states: nothing will be sent any more, so nothing stored for sending is kept.
FINAL = [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SUPERSEDED]


def empty_final_bodies() -> int:
    """Empty the stored bodies of rows that are final (sent, failed, superseded). `mark()` and
    `supersede()` already do it as they settle a row; this periodic pass makes the retention
    rule hold for any row settled another way (a script, a shell, an UPDATE of a later change).
    Idempotent."""
    rows = OutboxMessage.objects.filter(status__in=FINAL).exclude(body_text="", body_html="")
    return rows.update(body_text="", body_html="")


def forget_recipient(rows, *, email: str, name: str) -> int:
    """A person's data is erased: the ROWS addressed to them (a queryset) that still wait are
    superseded, and every one of them, history included, is readdressed to the tombstone EMAIL
    and NAME with its bodies emptied. Idempotent. Returns how many rows changed."""
    supersede(rows)
    stale = rows.exclude(recipient_email=email, recipient_name=name, body_text="", body_html="")
    return stale.update(recipient_email=email, recipient_name=name, body_text="", body_html="")
