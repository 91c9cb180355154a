"""With the mail server down, account e-mails wait in the outbox and each leaves exactly once
when it is back: a coordinator's invitation to create an account, and a password reset asked on
django-allauth's own page. Real PostgreSQL, Redis, Celery worker and SMTP server."""

import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory
from tests.smtp import SMTPServer

RESET_LINK = r"http://\S+/accounts/password/reset/key/\S+"


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def tried_once_and_waiting(count: int) -> bool:
    rows = list(OutboxMessage.objects.all())
    return len(rows) == count and all(r.status == OutboxStatus.QUEUED and r.attempts == 1 for r in rows)


def choose_password(client, message, password: str) -> None:
    """Follow the e-mail's link to allauth's password form and post a new password."""
    text = message.get_body(("plain",)).get_content()
    path = urlsplit(re.search(RESET_LINK, text).group(0)).path
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": password, "password2": password})


def test_account_invitation_and_password_reset_leave_once_when_smtp_is_back(worker_without_smtp, client):
    port = worker_without_smtp
    coordinator = UserFactory(email="coord@example.test")
    organisation = OrganisationFactory()
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    UserFactory(email="joris@example.test", first_name="Joris", language="nl")

    services.professional_invite(
        email="anna@example.test",
        first_name="Anna",
        last_name="Kowalska",
        organisation=organisation,
        profession="nurse",
        network=network,
        language="en",
        by=coordinator,
    )
    response = client.post(reverse("account_reset_password"), {"email": "joris@example.test"})

    # The worker tried each once: the connection was refused, so both wait for their backoff.
    assert response.status_code == 302
    assert wait_until(lambda: tried_once_and_waiting(2)), list(OutboxMessage.objects.values())
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [r.kind for r in rows] == ["account_invitation", "allauth"]
    assert all("ConnectionRefusedError" in r.last_error for r in rows)

    with SMTPServer(port=port) as server:
        # The sweeper (every minute on beat) dispatches them again once their backoff is over.
        while timezone.now() <= max(r.send_after for r in rows):
            time.sleep(0.5)
        outbox.sweep(now=timezone.now() + timedelta(minutes=1))  # without its minute of grace
        received = server.inbox.wait_for(2)
        # Later sweeps and a duplicate dispatch send nothing again.
        outbox.sweep(now=timezone.now() + timedelta(minutes=1))
        outbox.dispatch(rows[0].pk)
        time.sleep(3)
        delivered = list(server.inbox.messages)

    assert len(received) == len(delivered) == 2
    by_recipient = {str(m["To"]): m for m in delivered}
    assert sorted(by_recipient) == ["anna@example.test", "joris@example.test"]
    invitation, reset = by_recipient["anna@example.test"], by_recipient["joris@example.test"]
    assert str(invitation["Subject"]) == "Your access to Concertation"
    assert "Choose your password here:" in invitation.get_body(("plain",)).get_content()
    assert str(reset["Subject"]) == "[Concertation] Nieuw wachtwoord"
    assert {str(m["Message-ID"]) for m in delivered} == {r.message_id for r in rows}
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [(r.status, r.attempts) for r in rows] == [(OutboxStatus.SENT, 2), (OutboxStatus.SENT, 2)]
    assert (rows[1].body_text, rows[1].body_html) == ("", "")  # the reset link is kept nowhere

    # Both links work, however late they left.
    choose_password(client, reset, "nieuw-wachtwoord-42")
    assert client.login(email="joris@example.test", password="nieuw-wachtwoord-42") is True
    client.logout()
    choose_password(client, invitation, "new-password-for-anna-42")
    assert client.login(email="anna@example.test", password="new-password-for-anna-42") is True
    assert User.objects.get(email="anna@example.test").has_usable_password()
    assert EmailAddress.objects.get(email="anna@example.test").verified is True
