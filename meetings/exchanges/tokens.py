"""The agreement link of an application: signed, bound to one application and its nonce.

The link carries the application's id and its `manager_nonce`, signed with the secret key and a
timestamp; nothing secret is stored. A new manager address gives a new nonce, which revokes the
link sent before; an unknown, tampered or revoked link reads as None, which the view answers with
a 404. Opening the link records nothing: only sending its page's form does.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from meetings.exchanges.models import Application

SALT = "meetings.exchanges.agreement"
# Longer than a round takes applications.
MAX_AGE = timedelta(days=400)


def link_token(application: Application) -> str:
    return signing.dumps({"a": application.pk, "n": application.manager_nonce}, salt=SALT)


def link_path(application: Application) -> str:
    return reverse(
        "exchanges:agreement_link", kwargs={"pk": application.pk, "token": link_token(application)}
    )


def link_url(application: Application) -> str:
    return settings.SITE_URL + link_path(application)


def application_for_token(*, pk: int, token: str) -> Application | None:
    """The application a link stands for, or None (unknown, tampered, revoked, another's)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != pk or not data.get("n"):
        return None
    return (
        Application.objects.select_related("round", "visitor", "organisation")
        .filter(pk=pk, manager_nonce=data.get("n"), withdrawn_at__isnull=True)
        .first()
    )
