"""With the mail server down, e-mails wait in the outbox and each leaves exactly once when it is
back: a coordinator's invitation to create an account and a password reset asked on
django-allauth's own page; and meeting invitations through ten minutes of outage, retried all
along and given up by none. Real PostgreSQL, Redis, Celery worker and SMTP server."""

import re
import time
from datetime import time as clock
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_create
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory
from tests.integration.waiting import wait_until
from tests.smtp import SMTPServer

RESET_LINK = r"http://\S+/accounts/password/reset/key/\S+"


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


GUESTS = [f"invite{i:02d}@example.be" for i in range(12)]
OUTAGE = timedelta(minutes=10)


def tried_by_the_worker(now) -> bool:
    """The worker has taken every row the sweeper at NOW found due: none is due as of then any
    more (a failed try puts it back with a later send_after), none is being sent."""
    waiting = OutboxMessage.objects.filter(
        status=OutboxStatus.QUEUED, send_after__lte=now - timedelta(minutes=1)
    )
    return not waiting.exists() and not OutboxMessage.objects.filter(status=OutboxStatus.SENDING).exists()


def test_smtp_down_for_ten_minutes_every_invitation_is_retried_and_leaves_once(
    clocked_worker_without_smtp, movable_clock, client
):
    port = clocked_worker_without_smtp
    coordinator = UserFactory(email="coord@example.test")
    network = NetworkFactory(coordinators=[coordinator])
    day = timezone.localdate() + timedelta(days=5)
    meeting = meeting_create(
        network=network,
        kind=Kind.THEMATIC,
        title="Rencontre thématique : sortir de l'hôpital",
        start=local_start(day, clock(9, 30)),
        end=local_start(day, clock(11, 30)),
        organiser=coordinator,
        place="CPAS",
    )
    client.force_login(coordinator)

    inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(address) for address in GUESTS])
    # The worker tried each at once: the connection was refused, so each waits for its backoff.
    assert wait_until(lambda: tried_once_and_waiting(len(GUESTS))), list(OutboxMessage.objects.values())

    def minute_of_beat() -> None:
        """A minute passes, for the test and its worker, and beat's sweeper runs."""
        movable_clock.move(timedelta(minutes=1))
        now = timezone.now()
        outbox.sweep(now=now)
        assert wait_until(lambda: tried_by_the_worker(now)), list(OutboxMessage.objects.values())

    failed_meanwhile = []
    for _minute in range(OUTAGE // timedelta(minutes=1)):
        minute_of_beat()
        failed_meanwhile.append(OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count())
    during = list(OutboxMessage.objects.order_by("pk"))
    # Meanwhile the organiser's page answers, and tells of no failure: the e-mails are waiting.
    page = client.get(reverse("meetings:invitations", args=[meeting.pk])).content.decode()

    with SMTPServer(port=port) as server:
        back_at = timezone.now()
        for _minute in range(30):
            minute_of_beat()
            if not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists():
                break
        # Later sweeps and a duplicate dispatch send nothing again.
        minute_of_beat()
        outbox.dispatch(during[0].pk)
        time.sleep(2)
        delivered = list(server.inbox.messages)

    assert failed_meanwhile == [0] * 10
    assert all(r.status == OutboxStatus.QUEUED and "ConnectionRefusedError" in r.last_error for r in during)
    # Tried again and again (at 0, 2, 4 and 7 minutes: each wait longer than the one before).
    assert min(r.attempts for r in during) >= 3
    assert all(address in page for address in GUESTS)
    assert "E-mails non distribués" not in page
    assert sorted(str(m["To"]) for m in delivered) == GUESTS
    assert {str(m["Message-ID"]) for m in delivered} == {r.message_id for r in during}
    rows = list(OutboxMessage.objects.order_by("pk"))
    # Each sent once: a retry already due when the server came back may have failed just before.
    assert all(r.status == OutboxStatus.SENT for r in rows)
    assert all(
        before.attempts < after.attempts <= before.attempts + 2
        for before, after in zip(during, rows, strict=True)
    )
    assert all(r.sent_at >= back_at for r in rows)
