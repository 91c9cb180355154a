"""Busy times from a pasted calendar address, read from a real HTTP server of the test (port 0,
in a thread): only the busy moments of the poll's days are kept, only their start and end; a
calendar that does not answer, is not iCalendar or is too large is refused with a clear message
and the answers stay; an address of the server's own network is refused unless allowed."""

import contextlib
import socket
import threading
from datetime import UTC, date, datetime, time
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.polls import calendar_import, conflicts, tokens
from meetings.polls.calendar_import import MAX_BYTES, import_calendar, normalise
from meetings.polls.models import BusyInterval, PollAnswer, PollParticipant
from meetings.polls.services.answers import record_answers
from tests.polls.test_answer_pages import radios

pytestmark = pytest.mark.django_db

SECRET = "Consultation Mme Dupont"


def event(uid, start, end, *extra, tz=True):
    zone = ";TZID=Europe/Brussels" if tz else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@test",
        "DTSTAMP:20261101T000000Z",
        f"DTSTART{zone}:{start}",
        f"DTEND{zone}:{end}",
        f"SUMMARY:{SECRET} ({uid})",
        "LOCATION:Hôpital Saint-Pierre",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(*events) -> bytes:
    return (
        "\r\n".join(
            ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Agenda//FR", *events, "END:VCALENDAR"]
        )
        + "\r\n"
    ).encode()


# The poll's slots: Tuesday 24 and Thursday 26 November, Tuesday 1 December, 12:30–14:00.
VALID = calendar(
    event("busy", "20261124T120000", "20261124T130000"),
    event("transparent", "20261126T123000", "20261126T133000", "TRANSP:TRANSPARENT"),
    event("cancelled", "20261201T123000", "20261201T133000", "STATUS:CANCELLED"),
    # Every Thursday from 5 November: only the 26th is one of the poll's days.
    event("weekly", "20261105T130000", "20261105T134500", "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10"),
    event("other-day", "20261125T120000", "20261125T140000"),
)
ALL_DAY = calendar(
    "\r\n".join(
        [
            "BEGIN:VEVENT",
            "UID:allday@test",
            "DTSTAMP:20261101T000000Z",
            "DTSTART;VALUE=DATE:20261201",
            "DTEND;VALUE=DATE:20261202",
            f"SUMMARY:{SECRET}",
            "END:VEVENT",
        ]
    )
)
BIG = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (MAX_BYTES + 10) + b"\r\nEND:VCALENDAR\r\n"


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self):
        self.seen.append(self.path)
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, content_type, with_length = route
        if content_type == "redirect":
            self.send_response(302)
            self.send_header("Location", body)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if with_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client hangs up on a body too large: not an error of the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    """A local calendar server; its address is private, so the setting lets it through."""
    settings.POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS = True
    handler = type("Handler", (_Handler,), {"seen": []})
    handler.routes = {
        "/valid.ics": (VALID, "text/calendar", True),
        "/allday.ics": (ALL_DAY, "text/calendar", True),
        "/page.html": (b"<!doctype html><title>Connexion</title><p>Connectez-vous</p>", "text/html", True),
        "/big-declared.ics": (BIG, "text/calendar", True),
        "/big-streamed.ics": (BIG, "text/calendar", False),
        "/moved.ics": ("/valid.ics", "redirect", True),
        "/to-ftp.ics": ("ftp://example.com/agenda.ics", "redirect", True),
        "/loop.ics": ("/loop.ics", "redirect", True),
        "/to-private.ics": ("http://169.254.169.254/latest/meta-data/", "redirect", True),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.seen = handler.seen
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def kept(participant) -> list[tuple[datetime, datetime]]:
    return list(
        BusyInterval.objects.filter(participant=participant).order_by("start").values_list("start", "end")
    )


def test_only_busy_moments_of_the_polls_days_are_kept(server, poll_world):
    guest = poll_world.guest

    count = import_calendar(participant=guest, address=f"{server.url}/valid.ics")

    assert kept(guest) == [
        (utc(date(2026, 11, 24), 11), utc(date(2026, 11, 24), 12)),  # 12:00–13:00 in Brussels
        (utc(date(2026, 11, 26), 12), utc(date(2026, 11, 26), 12, 45)),  # the weekly one, that day only
    ]
    assert count == 2
    guest.refresh_from_db()
    assert guest.calendar_read_at is not None
    first, second, _third = poll_world.poll.slots.all()
    assert conflicts.busy_slots_of(guest, poll_world.poll.slots.all()) == {first.pk, second.pk}


def test_an_all_day_event_is_busy_all_that_day(server, poll_world):
    guest = poll_world.guest
    import_calendar(participant=guest, address=f"{server.url}/allday.ics")
    # Midnight to midnight in Brussels (UTC+1 in December).
    assert kept(guest) == [(utc(date(2026, 11, 30), 23), utc(date(2026, 12, 1), 23))]
    third = poll_world.poll.slots.all()[2]
    assert conflicts.busy_slots_of(guest, poll_world.poll.slots.all()) == {third.pk}


def test_reading_again_replaces_what_was_read_and_keeps_nothing_else(server, poll_world):
    guest = poll_world.guest
    import_calendar(participant=guest, address=f"{server.url}/valid.ics")

    import_calendar(participant=guest, address=f"{server.url}/allday.ics")

    assert kept(guest) == [(utc(date(2026, 11, 30), 23), utc(date(2026, 12, 1), 23))]
    # Neither the address nor anything of the events is stored anywhere on the participant.
    row = PollParticipant.objects.filter(pk=guest.pk).values().get()
    assert not any(server.url in str(value) or "Dupont" in str(value) for value in row.values())


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/page.html", "iCalendar"),
        ("/big-declared.ics", "plus de 2 Mo"),
        ("/big-streamed.ics", "plus de 2 Mo"),
        ("/missing.ics", "ne répond pas"),
    ],
)
def test_a_bad_calendar_is_refused_and_the_answers_and_busy_times_stay(server, poll_world, path, message):
    guest, poll = poll_world.guest, poll_world.poll
    record_answers(participant=guest, choices={slot.pk: "maybe" for slot in poll.slots.all()})
    import_calendar(participant=guest, address=f"{server.url}/valid.ics")
    before = kept(guest)

    with pytest.raises(ValidationError, match=message):
        import_calendar(participant=guest, address=f"{server.url}{path}")

    assert kept(guest) == before
    assert set(PollAnswer.objects.filter(participant=guest).values_list("choice", flat=True)) == {"maybe"}


def test_a_closed_port_does_not_answer(settings, poll_world):
    settings.POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS = True
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ValidationError, match="ne répond pas"):
        import_calendar(participant=poll_world.guest, address=f"http://127.0.0.1:{port}/agenda.ics")
    assert not BusyInterval.objects.exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]"])
def test_an_address_of_the_servers_own_network_is_refused_when_not_allowed(
    server, settings, poll_world, host
):
    settings.POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS = False
    port = server.server_address[1]

    with pytest.raises(ValidationError, match="ne mène pas à un agenda en ligne"):
        import_calendar(participant=poll_world.guest, address=f"http://{host}:{port}/valid.ics")

    assert server.seen == []
    assert not BusyInterval.objects.exists()


@pytest.mark.parametrize(
    "address",
    ["ftp://example.com/agenda.ics", "file:///etc/passwd", "javascript:alert(1)", "agenda", "", "https://"],
)
def test_what_is_not_an_http_address_is_refused(poll_world, address):
    with pytest.raises(ValidationError, match="pas une adresse d'agenda"):
        import_calendar(participant=poll_world.guest, address=address)


def test_webcal_addresses_are_read_as_https():
    assert (
        normalise(" webcal://p42-caldav.icloud.com/published/2/abc ")
        == "https://p42-caldav.icloud.com/published/2/abc"
    )
    assert normalise("HTTPS://calendar.google.com/calendar/ical/x/basic.ics").startswith("https://")


def test_the_page_reads_the_calendar_and_shows_the_conflicts(server, client, poll_world):
    guest = poll_world.guest
    path = tokens.link_path(guest)
    calendar_path = reverse(
        "polls:calendar_link", kwargs={"pk": guest.poll_id, "token": tokens.token_for(guest)}
    )

    sent = client.post(calendar_path, {"address": f"{server.url}/valid.ics"})
    page = unescape(client.get(sent.url).content.decode())

    assert sent.status_code == 302 and sent.url == path
    assert "Votre agenda est lu : 2 moment(s) occupé(s)" in page
    assert "Votre agenda a été lu le" in page
    assert page.count("Déjà pris dans votre agenda") == 2
    assert SECRET not in page and "Saint-Pierre" not in page


def test_the_page_says_what_went_wrong_and_keeps_the_answers(server, client, poll_world):
    guest, poll = poll_world.guest, poll_world.poll
    record_answers(participant=guest, choices={slot.pk: "yes" for slot in poll.slots.all()})
    calendar_path = reverse(
        "polls:calendar_link", kwargs={"pk": guest.poll_id, "token": tokens.token_for(guest)}
    )

    refused = client.post(calendar_path, {"address": f"{server.url}/page.html"})

    page = unescape(refused.content.decode())
    assert refused.status_code == 400
    assert "ne donne pas un agenda au format iCalendar" in page
    # The answer form still shows the answers recorded.
    assert set(radios(refused).checked.values()) == {"yes"} and len(radios(refused).checked) == 3
    assert set(PollAnswer.objects.filter(participant=guest).values_list("choice", flat=True)) == {"yes"}
    guest.refresh_from_db()
    assert guest.calendar_read_at is None


def test_the_calendar_is_not_read_for_a_closed_poll(server, poll_world):
    from meetings.polls.models import Poll, PollStatus

    Poll.objects.filter(pk=poll_world.poll.pk).update(status=PollStatus.CLOSED)
    poll_world.guest.poll.refresh_from_db()
    with pytest.raises(ValidationError, match="clos"):
        import_calendar(participant=poll_world.guest, address=f"{server.url}/valid.ics")
    assert server.seen == []


def test_a_logged_in_participant_reads_their_calendar_and_nobody_else_can(server, client, poll_world):
    world, poll = poll_world.world, poll_world.poll
    path = reverse("polls:calendar", kwargs={"pk": poll.pk})
    client.force_login(world.users["outsider"])
    assert client.post(path, {"address": f"{server.url}/valid.ics"}).status_code == 404
    assert server.seen == []

    client.force_login(world.users["member"])
    sent = client.post(path, {"address": f"{server.url}/valid.ics"})

    assert sent.status_code == 302 and sent.url == reverse("polls:answer", kwargs={"pk": poll.pk})
    assert len(kept(poll_world.member)) == 2
    assert kept(poll_world.guest) == []


def test_a_closed_polls_page_refuses_the_calendar_with_a_message(server, client, poll_world):
    from meetings.polls.models import Poll, PollStatus

    guest = poll_world.guest
    Poll.objects.filter(pk=guest.poll_id).update(status=PollStatus.CLOSED)
    path = reverse("polls:calendar_link", kwargs={"pk": guest.poll_id, "token": tokens.token_for(guest)})

    refused = client.post(path, {"address": f"{server.url}/valid.ics"})

    assert refused.status_code == 400
    assert "Ce sondage est clos : les réponses ne sont plus possibles." in unescape(refused.content.decode())
    assert server.seen == []
    assert not BusyInterval.objects.exists()


def test_redirects_are_followed_and_each_target_is_checked(server, poll_world):
    guest = poll_world.guest
    assert import_calendar(participant=guest, address=f"{server.url}/moved.ics") == 2

    with pytest.raises(ValidationError, match="pas une adresse d'agenda"):
        import_calendar(participant=guest, address=f"{server.url}/to-ftp.ics")
    with pytest.raises(ValidationError, match="ne répond pas"):
        import_calendar(participant=guest, address=f"{server.url}/loop.ics")
    assert server.seen.count("/loop.ics") == calendar_import.MAX_REDIRECTS + 1


def test_a_redirect_to_the_servers_own_network_is_refused(server, settings, monkeypatch, poll_world):
    """The first address passes as a public one would (the test's server is local); the
    redirect's target is checked with the setting off, as in production."""
    settings.POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS = False
    real_check = calendar_import._check_host
    first = f"{server.url}/to-private.ics"
    monkeypatch.setattr(calendar_import, "_check_host", lambda url: None if url == first else real_check(url))

    with pytest.raises(ValidationError, match="ne mène pas à un agenda en ligne"):
        import_calendar(participant=poll_world.guest, address=first)

    assert server.seen == ["/to-private.ics"]
    assert not BusyInterval.objects.exists()
