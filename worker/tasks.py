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
