"""Redis (cache and broker) or the mail server down, nothing else down: pages, logins and feeds
answer, every e-mail waits in the outbox and leaves exactly once when the service is back.

Real PostgreSQL, a Redis server of the test's own that it stops and starts (private_redis), a
Celery worker on it and an SMTP server (aiosmtpd).
"""

import logging
import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.calendar.services.subscriptions import subscription_create
from meetings.kinds import Kind
from meetings.models import Meeting
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD, NetworkFactory, OrganisationFactory, UserFactory, professional_in
from tests.integration.waiting import wait_until
from tests.mail import calendar_part
from tests.smtp import SMTPServer

MEETING_TITLE = "Rencontre thématique : logement d'abord"
WRONG_PASSWORD = "L’adresse e-mail ou le mot de passe sont incorrects."
TOO_MANY_FAILURES = "Trop de tentatives de connexion échouées."


@pytest.fixture
def people(transactional_db):
    coordinator = UserFactory(email="coord@example.test", first_name="Nadia", last_name="Coordination")
    organisation = OrganisationFactory(name="SSM Les Marolles")
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    member = professional_in(organisation, email="member@example.test", first_name="Marc")
    meeting = meeting_create(
        network=network,
        kind=Kind.THEMATIC,
        title=MEETING_TITLE,
        start=local_start(timezone.localdate() + timedelta(days=5), clock(9, 30)),
        end=local_start(timezone.localdate() + timedelta(days=5), clock(11, 30)),
        organiser=coordinator,
        place="CPAS",
    )
    return {
        "coordinator": coordinator,
        "member": member,
        "organisation": organisation,
        "network": network,
        "meeting": meeting,
    }


@pytest.fixture
def worker_on_private_redis(private_redis, start_worker):
    return start_worker()


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def invite_colleague(client, people):
    return client.post(
        reverse("accounts:invite"),
        {
            "email": "anna@example.test",
            "first_name": "Anna",
            "last_name": "Kowalska",
            "profession": "nurse",
            "network": people["network"].pk,
            "organisation": people["organisation"].pk,
            "language": "en",
        },
        follow=True,
    )


def invite_member_to_meeting(client, people):
    return client.post(
        reverse("meetings:invitations", args=[people["meeting"].pk]),
        {"people": [people["member"].pk], "role": "participant", "guests": ""},
        follow=True,
    )


def rows() -> list[tuple[str, str, str, int]]:
    return list(
        OutboxMessage.objects.order_by("pk").values_list("kind", "recipient_email", "status", "attempts")
    )


def sweep_after_grace() -> int:
    """What the sweeper on beat does each minute, without waiting for its minute of grace."""
    return outbox.sweep(now=timezone.now() + timedelta(minutes=2))


def test_with_redis_down_login_feeds_and_invitations_answer_then_each_email_leaves_once(
    private_redis, worker_on_private_redis, smtp_inbox, people, client
):
    member = people["member"]
    _subscription, token = subscription_create(user=member, label="Téléphone")
    private_redis.stop()

    # The login page and a login, with the rate limiter's cache gone.
    page = client.get(reverse("account_login"))
    refused = log_in(client, "coord@example.test", "not-the-password")
    logged_in = log_in(client, "coord@example.test")
    home = client.get(reverse("home"))

    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert refused.status_code == 200
    assert WRONG_PASSWORD in refused.content.decode()
    assert logged_in.status_code == 302
    assert home.status_code == 200
    assert home.wsgi_request.user == people["coordinator"]

    # A personal feed (its rate limit is a counter in the cache).
    feed = client.get(reverse("calendar:feed", args=[token]))

    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VCALENDAR" in feed.content

    # Inviting a colleague to create an account, and a member to a meeting: both e-mails wait.
    invited = invite_colleague(client, people)
    meeting_page = invite_member_to_meeting(client, people)

    assert invited.status_code == meeting_page.status_code == 200
    assert "Invitation envoyée à anna@example.test." in invited.content.decode()
    assert "1 invitation(s) envoyée(s)." in meeting_page.content.decode()
    assert User.objects.get(email="anna@example.test").has_usable_password() is False
    assert rows() == [
        ("account_invitation", "anna@example.test", OutboxStatus.QUEUED, 0),
        ("request", "member@example.test", OutboxStatus.QUEUED, 0),
    ]
    # Asking again finds the account, and still one e-mail waits for it.
    again = invite_colleague(client, people)
    assert "Cette personne a déjà un compte." in again.content.decode()
    assert len(rows()) == 2

    # Redis is back (empty: the dispatches made meanwhile are lost); the sweeper sends them again.
    private_redis.start()
    assert sweep_after_grace() == 2
    received = smtp_inbox.wait_for(2)
    # Later sweeps and a duplicate dispatch find nothing to send.
    sweep_after_grace()
    outbox.dispatch(OutboxMessage.objects.order_by("pk").first().pk)
    time.sleep(3)

    assert len(received) == len(smtp_inbox.messages) == 2
    by_recipient = {str(m["To"]): m for m in smtp_inbox.messages}
    assert sorted(by_recipient) == ["anna@example.test", "member@example.test"]
    invitation = by_recipient["anna@example.test"]
    assert str(invitation["Subject"]) == "Your access to Concertation"
    assert "/accounts/password/reset/key/" in invitation.get_body(("plain",)).get_content()
    method, calendar = calendar_part(by_recipient["member@example.test"])
    assert method == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == MEETING_TITLE
    assert [(kind, status, attempts) for kind, _to, status, attempts in rows()] == [
        ("account_invitation", OutboxStatus.SENT, 1),
        ("request", OutboxStatus.SENT, 1),
    ]


def test_the_cache_keeps_and_counts_while_redis_answers_and_again_after_a_restart(private_redis, caplog):
    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    assert cache.add("kept", "other") is False
    with pytest.raises(ValueError):
        cache.incr("missing")  # Django's contract, when Redis answers

    with caplog.at_level(logging.WARNING, logger="concertation.cache"):
        private_redis.stop()
        during = (cache.get("kept"), cache.add("kept", "other"), cache.incr("missing"))
        private_redis.start()
        after = (cache.get("kept"), cache.add("kept", "again"), cache.get("kept"))

    assert during == (None, True, 1)
    assert after == (None, True, "again")  # a Redis restarted without persistence: empty
    messages = [r.getMessage() for r in caplog.records]
    assert [m.split(" (")[0] for m in messages] == ["cache unavailable", "cache reachable again"]


def test_a_feed_kept_in_redis_is_built_while_redis_is_down_and_kept_again_once_it_is_back(
    private_redis, people, client
):
    """A feed's body is kept in Redis under its version: served from there while nothing changes,
    built while Redis is down (with a change made meanwhile), kept again once Redis is back."""
    _subscription, token = subscription_create(user=people["coordinator"], label="Téléphone")
    path = reverse("calendar:feed", args=[token])

    def fetch():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return response.content, len(queries)

    first, _queries = fetch()
    kept, kept_queries = fetch()
    private_redis.stop()
    Meeting.objects.filter(pk=people["meeting"].pk).update(place="Salle du conseil")
    down, down_queries = fetch()
    private_redis.start()
    back, _queries = fetch()
    again, again_queries = fetch()

    assert kept == first
    assert kept_queries == 1  # the subscription with its feed's version
    assert "LOCATION:CPAS" in first.decode()
    assert "LOCATION:Salle du conseil" in down.decode()
    assert down_queries > 1  # built
    assert back == again == down
    assert again_queries == 1


def test_rate_limits_hold_while_redis_is_up_again(private_redis, people, client):
    """The limiter lets logins through while its cache is down, and counts again once it is back."""
    private_redis.stop()
    during = [log_in(client, "coord@example.test", "wrong-password") for _ in range(8)]
    private_redis.start()
    failures = [log_in(client, "coord@example.test", "wrong-password") for _ in range(5)]
    sixth = log_in(client, "coord@example.test")  # the right password, too late

    assert [r.status_code for r in during] == [200] * 8  # never a 500, nor a 429
    assert all(WRONG_PASSWORD in r.content.decode() for r in during)
    assert all(TOO_MANY_FAILURES not in r.content.decode() for r in failures)
    assert sixth.status_code == 200
    assert TOO_MANY_FAILURES in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_smtp_down_pages_answer_and_each_email_leaves_once_when_it_is_back(
    worker_without_smtp, people, client
):
    port = worker_without_smtp
    client.force_login(people["coordinator"])

    invited = invite_colleague(client, people)
    meeting_page = invite_member_to_meeting(client, people)

    assert "Invitation envoyée à anna@example.test." in invited.content.decode()
    assert "1 invitation(s) envoyée(s)." in meeting_page.content.decode()
    # The worker tried each once: the connection was refused, so both wait for their backoff.
    assert wait_until(
        lambda: [(status, attempts) for *_rest, status, attempts in rows()] == [(OutboxStatus.QUEUED, 1)] * 2
    ), rows()
    assert all(
        "ConnectionRefusedError" in e for e in OutboxMessage.objects.values_list("last_error", flat=True)
    )
    # Meanwhile the pages that show them answer.
    invitations_page = client.get(reverse("meetings:invitations", args=[people["meeting"].pk]))
    assert invitations_page.status_code == 200
    assert "member@example.test" in invitations_page.content.decode()

    with SMTPServer(port=port) as server:
        backoff_over = max(OutboxMessage.objects.values_list("send_after", flat=True))
        while timezone.now() <= backoff_over:
            time.sleep(0.5)
        sweep_after_grace()
        received = server.inbox.wait_for(2)
        sweep_after_grace()
        time.sleep(3)
        delivered = list(server.inbox.messages)

    assert len(received) == len(delivered) == 2
    assert sorted(str(m["To"]) for m in delivered) == ["anna@example.test", "member@example.test"]
    assert [(status, attempts) for *_rest, status, attempts in rows()] == [(OutboxStatus.SENT, 2)] * 2
