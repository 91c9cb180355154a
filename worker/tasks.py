"""Celery tasks: thin wrappers with stable names. Primitive ids in, fetch, call a service."""

import smtplib

from celery import shared_task

# Network trouble and 4xx answers are worth another try; anything else is not.
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


@shared_task(
    name="accounts.send_account_invitation",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    max_retries=5,
)
def send_account_invitation(user_id: int, inviter_id: int) -> None:
    from accounts import emails
    from accounts.models import User

    user = User.objects.get(pk=user_id)
    inviter = User.objects.filter(pk=inviter_id).first()
    emails.send_account_invitation(user=user, inviter=inviter)


@shared_task(name="meetings.extend_series_horizons")
def extend_series_horizons() -> int:
    from meetings.services.series import series_extend_horizons

    return series_extend_horizons()


@shared_task(name="meetings.send_email", acks_late=True)
def send_email(message_id: int) -> str:
    """Send one outbox row (and a batch of other due rows). Retries come from the sweeper."""
    from meetings.services import outbox

    return outbox.deliver(message_id)


@shared_task(name="meetings.sweep_outbox")
def sweep_outbox() -> int:
    from meetings.services import outbox

    return outbox.sweep()


@shared_task(name="meetings.send_reminders")
def send_reminders() -> int:
    from meetings.services import reminders

    return reminders.send_due_reminders()


@shared_task(name="meetings.read_itip_mailbox")
def read_itip_mailbox() -> int:
    from meetings.services import itip

    return itip.read_mailbox()


@shared_task(name="meetings.send_followups")
def send_followups() -> int:
    """Action reminders 2 days before they are due, and meetings left unclosed for 72 hours."""
    from meetings.services import followup

    return followup.send_action_reminders() + followup.send_close_reminders()


@shared_task(name="meetings.send_action_digests")
def send_action_digests() -> int:
    from meetings.services import followup

    return followup.send_overdue_digests()


@shared_task(name="meetings.purge_vignettes")
def purge_vignettes() -> int:
    """Vignettes past their retention lose their text; a tombstone remains."""
    from meetings.services import vignettes

    return vignettes.purge_expired()
