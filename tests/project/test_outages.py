"""Redis unreachable, seen from one process: the cache is skipped (concertation/cache.py) and an
e-mail the broker refuses waits in the outbox for the sweeper. The same with real services, Redis
stopped and started again: tests/integration/test_outages.py."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from meetings.calendar.services.subscriptions import subscription_create
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD, UserFactory
from tests.smtp import free_port
from worker.celery import app

WRONG_PASSWORD = "L’adresse e-mail ou le mot de passe sont incorrects."


@pytest.fixture
def unreachable_cache():
    """The cache on a Redis address where nothing listens."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(
        CACHES={"default": {"BACKEND": "concertation.cache.TolerantRedisCache", "LOCATION": location}}
    ):
        yield cache


def test_an_unreachable_cache_answers_as_an_empty_one_and_warns_once(unreachable_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="concertation.cache"):
        answers = {
            "set": unreachable_cache.set("a", 1),
            "get": unreachable_cache.get("a", "default"),
            "add": unreachable_cache.add("lock", True),
            "incr": unreachable_cache.incr("counter", 3),
            "get_or_set": unreachable_cache.get_or_set("since", "now"),
            "get_many": unreachable_cache.get_many(["a", "b"]),
            "has_key": unreachable_cache.has_key("a"),
            "touch": unreachable_cache.touch("a"),
            "delete": unreachable_cache.delete("a"),
            "set_many": unreachable_cache.set_many({"a": 1, "b": 2}),
            "delete_many": unreachable_cache.delete_many(["a", "b"]),
            "clear": unreachable_cache.clear(),
        }

    assert answers == {
        "set": None,
        "get": "default",
        "add": True,  # nothing holds the key: allauth's limiter takes its lock and goes on
        "incr": 3,  # a counter starting from nothing
        "get_or_set": "now",
        "get_many": {},
        "has_key": False,
        "touch": False,
        "delete": False,
        "set_many": [],
        "delete_many": None,
        "clear": False,
    }
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("cache unavailable (set: Error 111 connecting to 127.0.0.1:")


def test_login_and_a_feed_answer_with_the_cache_unreachable(unreachable_cache, client, db):
    member = UserFactory(email="member@example.test")
    _subscription, token = subscription_create(user=member, label="Téléphone")

    page = client.get(reverse("account_login"))
    refused = client.post(reverse("account_login"), {"login": "member@example.test", "password": "wrong"})
    logged_in = client.post(reverse("account_login"), {"login": "member@example.test", "password": PASSWORD})
    feed = client.get(reverse("calendar:feed", args=[token]))

    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert WRONG_PASSWORD in refused.content.decode()
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert feed.status_code == 200
    assert feed.content.startswith(b"BEGIN:VCALENDAR")


def test_an_invitation_the_broker_refuses_waits_and_leaves_once_with_the_sweeper(
    client, coordinator, network, member_organisation, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    task = app.tasks[outbox.SEND_TASK]

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task, "apply_async", broker_down)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("accounts:invite"),
            {
                "email": "els@example.test",
                "first_name": "Els",
                "last_name": "Peeters",
                "profession": "psychologist",
                "network": network.pk,
                "organisation": member_organisation.pk,
                "language": "nl",
            },
        )

    # The account and its e-mail were written together; the failed dispatch took nothing back.
    assert response.status_code == 302
    invited = User.objects.get(email="els@example.test")
    (row,) = OutboxMessage.objects.all()
    assert (row.kind, row.recipient_email, row.status, row.attempts) == (
        "account_invitation",
        "els@example.test",
        OutboxStatus.QUEUED,
        0,
    )
    assert row.refs == {"user": invited.pk, "inviter": coordinator.pk}
    assert f"outbox {row.pk} not dispatched" in caplog.text
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.sweep(now=later) == 1
    assert outbox.sweep(now=later) == 0

    assert [m.to for m in mail.outbox] == [["els@example.test"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
