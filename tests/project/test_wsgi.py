"""The WSGI application serves the feeds as calendar applications fetch them: through the same
middleware as every page, with no session and no login."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse

from concertation.wsgi import application
from meetings.calendar.services.subscriptions import subscription_create
from tests.feeds_world import public_feed_path


@pytest.fixture
def wsgi():
    """Calls the application as a server does, keeping the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(path: str, **headers) -> tuple[int, dict, bytes]:
        answer = []
        environ = RequestFactory(**headers).get(path).environ
        body = application(environ, lambda status, pairs: answer.append((status, pairs)))
        content = b"".join(body)
        body.close()
        status, pairs = answer[0]
        return int(status.split()[0]), pairs, content

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def names(pairs) -> dict:
    headers = {}
    for name, value in pairs:
        headers.setdefault(name.lower(), []).append(value)
    return headers


def test_a_feed_is_served_with_security_headers_and_no_session(wsgi, feed_world):
    _subscription, token = subscription_create(user=feed_world.member, label="Téléphone")

    status, pairs, content = wsgi(reverse("calendar:feed", args=[token]))

    headers = names(pairs)
    assert status == 200
    assert content.startswith(b"BEGIN:VCALENDAR")
    assert headers["content-type"] == ["text/calendar; charset=utf-8"]
    assert headers["x-content-type-options"] == ["nosniff"]
    assert "set-cookie" not in headers


def test_a_feed_still_checks_the_host(wsgi, feed_world):
    _subscription, token = subscription_create(user=feed_world.member, label="Téléphone")

    status, _pairs, _content = wsgi(reverse("calendar:feed", args=[token]), HTTP_HOST="evil.example")

    assert status == 400


def test_other_pages_go_through_login_and_every_middleware(wsgi, db):
    status, pairs, _content = wsgi(reverse("meetings:agenda"))

    headers = names(pairs)
    assert status == 302
    assert headers["location"][0].startswith(reverse("account_login"))
    assert headers["x-frame-options"] == ["DENY"]


def test_the_public_network_feed_needs_no_login(wsgi, feed_world):
    path = public_feed_path(feed_world.world.network, by=feed_world.world.users["coordinator"])

    status, pairs, content = wsgi(path)

    assert status == 200
    assert content.startswith(b"BEGIN:VCALENDAR")
    assert "set-cookie" not in names(pairs)
