"""Scale out: two web processes and two workers on one PostgreSQL and one Redis.

Two gunicorn servers (A and B, two sync workers each, production settings, as a load balancer
would have them behind one host name) and two Celery workers, on the test database and REDIS_URL
(the broker and the shared cache), all with the same production environment
(web_process.web_environment). A coordinator logs in on A through the login form, invites
people on A, moves the meeting on B with the session A opened; each e-mail reaches the SMTP
server once, and a personal feed reads the same from A and from B, the change included at once.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as clock
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.calendar.services.subscriptions import subscription_create
from meetings.kinds import Kind
from meetings.models import Invitation
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD, NetworkFactory, OrganisationFactory, UserFactory, professional_in
from tests.integration.conftest import Worker
from tests.integration.waiting import wait_until
from tests.integration.web_process import ORIGIN, PROXY_HEADERS, SITE_HOST, WebProcess, web_environment
from tests.mail import calendar_part, text_body
from tests.pages import main_form

TITLE = "Rencontre du réseau : logement d'abord"
FIRST_PLACE = "CPAS d'Anderlecht, salle du conseil"
NEW_PLACE = "Maison de quartier Bizet"
PROFESSIONALS = 4
# A network meeting of the federation's size (20 to 80 invitees): more than one outbox batch
# (outbox.services.BATCH_SIZE, 50), so that both workers have rows to send.
GUESTS = 60
DEADLINE = 180  # seconds, for anything awaited: a slow shared machine, never a measure


class Browser:
    """One person's browser in front of the site. Its requests reach a web process as the TLS
    proxy hands them on (the site's host name, X-Forwarded-Proto: https), whichever process the
    test names; its cookies (Secure ones: session, CSRF, messages) go with each, as a browser
    sends them to https://concertation.test."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, web: WebProcess, method: str, path: str, data=None) -> httpx.Response:
        headers = {**PROXY_HEADERS, "User-Agent": "Firefox/140.0"}
        if method == "POST":
            headers["Origin"] = ORIGIN
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = httpx.request(method, web.url + path, data=data, headers=headers, timeout=120)
        for header in response.headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return response

    def get(self, web: WebProcess, path: str) -> httpx.Response:
        return self.request(web, "GET", path)

    def follow(self, web: WebProcess, response: httpx.Response) -> httpx.Response:
        assert response.status_code == 302, (response.status_code, response.text[-3000:])
        location = urlsplit(response.headers["Location"])
        assert location.netloc in ("", SITE_HOST), location
        return self.get(web, location.path + (f"?{location.query}" if location.query else ""))

    def submit(self, web: WebProcess, page: httpx.Response, path: str, **changes) -> httpx.Response:
        """The page's form as it stands (tests.pages.main_form), with CHANGES, posted to WEB."""
        form = main_form(page)
        data: dict[str, list[str]] = {}
        for name, value in form["fields"]:
            data.setdefault(name, []).append(value)
        data |= {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
        return self.request(web, "POST", urljoin(path, form["action"]) if form["action"] else path, data)


@pytest.fixture
def people(transactional_db):
    coordinator = UserFactory(email="nadia@reseau.example.be", first_name="Nadia", last_name="Coordination")
    # Hashed as the project hashes (the web processes do not know the tests' fast hasher).
    hasher = PBKDF2PasswordHasher()
    coordinator.password = hasher.encode(PASSWORD, hasher.salt())
    coordinator.save(update_fields=["password"])
    organisation = OrganisationFactory(name="SSM Les Marolles")
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    professionals = [
        professional_in(organisation, email=f"pro{i}@marolles.example.be", first_name=f"Pro{i}")
        for i in range(PROFESSIONALS)
    ]
    day = timezone.localdate() + timedelta(days=5)
    meeting = meeting_create(
        network=network,
        kind=Kind.THEMATIC,
        title=TITLE,
        start=local_start(day, clock(9, 30)),
        end=local_start(day, clock(11, 30)),
        organiser=coordinator,
        place=FIRST_PLACE,
    )
    _subscription, token = subscription_create(user=professionals[0], label="Téléphone")
    return {
        "coordinator": coordinator,
        "professionals": professionals,
        "guests": [f"invite{i:02d}@example.be" for i in range(GUESTS)],
        "meeting": meeting,
        "start": meeting.start,
        "moved": local_start(day, clock(14)),
        "feed": reverse("calendar:feed", args=[token]),
    }


@pytest.fixture
def scale_out(transactional_db, smtp_inbox, collected_static, tmp_path):
    """Web processes A and B and workers one and two, started together, stopped after the test."""
    from worker.celery import app

    app.control.purge()
    env = web_environment(tmp_path, smtp_port=smtp_inbox.port)
    web = [WebProcess(env, tmp_path / f"gunicorn-{name}.log") for name in "ab"]
    workers = [Worker(smtp_inbox.port, name, env) for name in ("one", "two")]
    try:
        for process in [*web, *workers]:
            process.spawn()
        for worker in workers:
            worker.wait_until_ready()
        for process in web:
            process.wait_until_up()
        yield web, workers, env
    finally:
        with ThreadPoolExecutor() as pool:  # all at once: each takes a moment to shut down
            list(pool.map(lambda process: process.stop(), [*web, *workers]))
    logs = "\n".join(process.log_text() for process in web)
    assert "Traceback" not in logs, logs


def recipient(message) -> str:
    return message["To"].addresses[0].addr_spec


def events(messages) -> dict[str, list[tuple[str, int, str]]]:
    """Per recipient, what their calendar was told: (METHOD, SEQUENCE, LOCATION), in order."""
    told: dict[str, list] = {}
    for message in messages:
        method, calendar = calendar_part(message)
        event = calendar.walk("VEVENT")[0]
        told.setdefault(recipient(message), []).append(
            (method, int(event["SEQUENCE"]), str(event.get("LOCATION", "")))
        )
    return told


def feed_event(response) -> tuple[str, str, int, datetime]:
    """The one meeting of a feed: (SUMMARY, LOCATION, SEQUENCE, DTSTART)."""
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    return str(event["SUMMARY"]), str(event["LOCATION"]), int(event["SEQUENCE"]), event["DTSTART"].dt


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def idle(workers) -> bool:
    """Nothing in the broker's queue, nothing in any worker's hands (running, prefetched or
    waiting for its ETA): after that, nobody can send anything more."""
    from worker.celery import app

    with app.connection_for_write() as connection:
        if connection.default_channel.client.llen(app.conf.task_default_queue):
            return False
    inspect = app.control.inspect([w.nodename for w in workers], timeout=2)
    for answer in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if answer is None or len(answer) != len(workers) or any(answer.values()):
            return False
    return True


def test_two_web_processes_and_two_workers_send_each_email_once_and_serve_the_same_feed(
    scale_out, people, smtp_inbox
):
    (a, b), workers, env = scale_out
    meeting, coordinator = people["meeting"], people["coordinator"]
    invitees = sorted([p.email for p in people["professionals"]] + people["guests"])
    browser = Browser()

    # The coordinator logs in on A, through the login form.
    login_path = reverse("account_login")
    login_page = browser.get(a, login_path)
    logged_in = browser.submit(a, login_page, login_path, login=coordinator.email, password=PASSWORD)
    home_on_a = browser.follow(a, logged_in)

    assert logged_in.headers["Location"] == reverse("home")
    assert home_on_a.status_code == 200
    assert "Nadia Coordination" in home_on_a.text
    # The session is a row of the one database, signed with the one SECRET_KEY: B knows it.
    session = Session.objects.get(session_key=browser.cookies[settings.SESSION_COOKIE_NAME])
    with override_settings(SECRET_KEY=env["SECRET_KEY"]):
        assert session.get_decoded()[SESSION_KEY] == str(coordinator.pk)
    home_on_b = browser.get(b, reverse("home"))
    assert home_on_b.status_code == 200
    assert "Nadia Coordination" in home_on_b.text

    # The invitations, sent from A. The SMTP server holds the first e-mail of each connection
    # until both workers have claimed their batch: the two send at the same time.
    smtp_inbox.hold_after = 0
    invitations_path = reverse("meetings:invitations", args=[meeting.pk])
    page = browser.get(a, invitations_path)
    sent = browser.submit(
        a,
        page,
        invitations_path,
        people=[f"u{p.pk}" for p in people["professionals"]],
        people_text="\n".join(people["guests"]),
        role="participant",
    )
    shown = browser.follow(a, sent)

    assert f"{len(invitees)} invitation(s) envoyée(s)." in unescape(shown.text)
    assert sorted(Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)) == invitees
    try:
        # Within a time below the SMTP client's timeout (EMAIL_TIMEOUT, 20 s).
        claimed = wait_until(
            lambda: not OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).exists(), timeout=15
        )
        assert claimed, "both workers claiming the invitations"
    finally:
        smtp_inbox.release.set()
    batches = set(OutboxMessage.objects.values_list("claimed_at", flat=True))
    assert wait_until(lambda: len(smtp_inbox.messages) >= len(invitees) and all_sent(), DEADLINE), (
        "the invitations"
    )

    assert len(batches) == 2  # one batch per worker, claimed while the other was sending

    # The personal feed of an invitee reads the same from A and from B.
    feed_a = Browser().get(a, people["feed"])
    feed_b = Browser().get(b, people["feed"])

    assert feed_a.status_code == feed_b.status_code == 200
    assert feed_a.content == feed_b.content
    assert feed_a.headers["ETag"] == feed_b.headers["ETag"]
    assert feed_event(feed_a) == (TITLE, FIRST_PLACE, 0, people["start"])

    # The meeting moves to the afternoon and to another place, through B, with A's session.
    edit_path = reverse("meetings:meeting_edit", args=[meeting.pk])
    edit_page = browser.get(b, edit_path)
    assert edit_page.status_code == 200
    moved = browser.submit(b, edit_page, edit_path, start_time="14:00", end_time="16:00", place=NEW_PLACE)
    meeting_page = browser.follow(b, moved)

    assert "Modifications enregistrées." in unescape(meeting_page.text)
    meeting.refresh_from_db()
    assert (meeting.start, meeting.place, meeting.sequence) == (people["moved"], NEW_PLACE, 1)

    # A's feed has the change at once, and still reads as B's.
    changed_a = Browser().get(a, people["feed"])
    changed_b = Browser().get(b, people["feed"])

    assert changed_a.status_code == changed_b.status_code == 200
    assert feed_event(changed_a) == (TITLE, NEW_PLACE, 1, people["moved"])
    assert changed_a.headers["ETag"] != feed_a.headers["ETag"]
    assert changed_a.content == changed_b.content
    assert changed_a.headers["ETag"] == changed_b.headers["ETag"]

    # Each invitee is told twice, once each: the invitation, then the update.
    assert wait_until(lambda: len(smtp_inbox.messages) >= 2 * len(invitees) and all_sent(), DEADLINE), (
        "the updates"
    )
    assert wait_until(lambda: idle(workers), DEADLINE), "both workers idle"
    messages = list(smtp_inbox.messages)

    assert len(messages) == 2 * len(invitees)
    assert sorted(events(messages)) == invitees
    for address, told in events(messages).items():
        assert told == [("REQUEST", 0, FIRST_PLACE), ("REQUEST", 1, NEW_PLACE)], address
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 2 * len(invitees)

    # The answer link a worker signed opens on B (one SECRET_KEY everywhere).
    update = next(m for m in reversed(messages) if recipient(m) == people["guests"][0])
    link = next(
        word for word in text_body(update).split() if word.startswith(f"https://{SITE_HOST}/rsvp/meeting/")
    )
    answer_page = Browser().get(b, urlsplit(link).path)

    assert answer_page.status_code == 200
    assert TITLE in unescape(answer_page.text)
