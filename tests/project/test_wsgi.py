"""The WSGI application: feeds on the lighter path, everything else through all the middleware."""

import re

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse

from concertation.wsgi import FEED_PATHS, application
from meetings.calendar.services.subscriptions import subscription_create


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
    # None of the site's middleware ran: no session, language, clickjacking or Vary headers.
    assert "set-cookie" not in headers
    assert "vary" not in headers
    assert "content-language" not in headers
    assert "x-frame-options" not in headers


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


def test_the_public_network_feed_takes_the_lighter_path_too(wsgi, feed_world):
    status, pairs, content = wsgi(reverse("calendar:network_feed", args=[feed_world.world.network.pk]))

    assert status == 200
    assert content.startswith(b"BEGIN:VCALENDAR")
    assert "x-frame-options" not in names(pairs)  # no clickjacking middleware: not a page


# What the lighter path may serve: it skips login and CSRF, so only views that need neither and
# that only read.


def routes(patterns, prefix: str = ""):
    """(route, pattern) of every URL pattern, the prefixes of the includes it is under joined in
    front (regular expressions without their "^")."""
    for entry in patterns:
        route = prefix + str(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        else:
            yield route, entry


def sample_path(route: str) -> str:
    """A path ROUTE matches: 1 for an <int:…>, a token-like string for anything else."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda part: "1" if part.group(1) == "int" else "x" * 32, route)


FEED_ROUTES = tuple(path.removeprefix("/") for path in FEED_PATHS)


def feed_patterns() -> list:
    return [
        (route, pattern)
        for route, pattern in routes(get_resolver().url_patterns)
        if route.startswith(FEED_ROUTES)
    ]


def test_every_view_on_the_lighter_path_needs_no_login_and_only_reads(client, db):
    patterns = feed_patterns()

    assert {pattern.name for _route, pattern in patterns} >= {"feed", "network_feed"}
    for route, pattern in patterns:
        path = sample_path(route)
        response = client.post(path)
        assert resolve(path).func is pattern.callback, route
        assert pattern.callback.login_required is False, route
        assert response.status_code == 405, route
        assert response["Allow"] == "GET, HEAD", route


@pytest.mark.parametrize(
    "path",
    ["/calendar/feed/", "/calendar/feed/x/y.ics", "/calendar/network/", "/calendar/network/x.ics"],
)
def test_other_paths_on_the_lighter_path_are_unknown_or_feeds(path):
    """A path the lighter handler takes that no feed pattern was written for."""
    feeds = {pattern.callback for _route, pattern in feed_patterns()}
    try:
        match = resolve(path)
    except Resolver404:
        return
    assert match.func in feeds
