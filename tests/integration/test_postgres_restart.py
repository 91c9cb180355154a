"""PostgreSQL stopped and started again under a burst of requests, the web process left running.

A PostgreSQL cluster of the test's own (private_postgres) holds a copy of the test database; a
gunicorn of two sync workers, with production settings and the tests' clock, serves it, with a
Redis of the test's own as its cache and broker. Six clients keep asking at once: logged-in
pages, a personal feed, answers to invitations (POST) and an organiser inviting guests (POST,
each an outbox row). PostgreSQL stops (`pg_ctl stop -m fast`, which ends the sessions under way)
while they ask, and starts again once every client has been answered meanwhile; later it is
restarted once more while nobody asks, which leaves each web process holding a dead connection.

While it is down every request is answered at once with 503, a Retry-After header and a calm page
in French (concertation/unavailable.py), never a 500 or a hang. Once it is back every request is
answered as before, by the same processes. Every write is either committed (and shown after) or
answered with an error and absent, whole: no invitation without its e-mail, no e-mail twice,
however often the clients sent again what was refused.
"""

import itertools
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import time as clock
from datetime import timedelta
from functools import partial

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import rsvp
from meetings.calendar.models import FeedKind, FeedSubscription, hash_token, new_token
from meetings.kinds import Kind
from meetings.models import PartStat
from meetings.recurrence import local_start
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_create
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in
from tests.integration.waiting import wait_until
from tests.integration.web_process import ORIGIN, PROXY_HEADERS, SECRET_KEY, WebProcess, web_environment

MEETING_TITLE = "Rencontre thématique sur le logement"
UNAVAILABLE = "Concertation est momentanément indisponible"
ANSWERERS, INVITATIONS_EACH = 2, 15
KINDS = ("home", "agenda", "meeting", "feed", "answer", "invite")
# The personal feed allows 60 requests per token in 10 minutes: the feed's client takes turns.
FEED_TOKENS = 20


# As a browser on a phone asks, through the TLS proxy.
HEADERS = {**PROXY_HEADERS, "Accept-Language": "fr", "User-Agent": "concertation-fault-test"}


@pytest.fixture
def web(private_postgres, private_redis, collected_static, tmp_path):
    """gunicorn, two sync workers, production settings, at the tests' clock, on the cluster of the
    test's own and on its Redis (REDIS_URL: private_redis's, which the test's settings name)."""
    process = WebProcess(web_environment(tmp_path, database_url=private_postgres.url), tmp_path / "web.log")
    yield process
    process.stop()


def session_of(user) -> str:
    """A session of USER written straight into the session store, as a login leaves it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@dataclass
class World:
    meeting_id: int
    coordinator: str  # session keys
    member: str
    feed_tokens: list
    answer_links: list  # [(invitation id, path)] per answering client


def build_world() -> World:
    """What the web process will serve, written in the test database (then copied). Sessions and
    answer links are signed with the web process's secret key."""
    with override_settings(SECRET_KEY=SECRET_KEY):
        coordinator = UserFactory(email="coord@example.test", first_name="Nadia", last_name="Coordination")
        organisation = OrganisationFactory(name="SSM Les Marolles")
        network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
        member = professional_in(organisation, email="member@example.test", first_name="Marc")
        day = timezone.localdate() + timedelta(days=5)
        meeting = meeting_create(
            network=network,
            kind=Kind.THEMATIC,
            title=MEETING_TITLE,
            start=local_start(day, clock(9, 30)),
            end=local_start(day, clock(11, 30)),
            organiser=coordinator,
            place="CPAS",
        )
        guests = [inv.guest(f"answer{i:02d}@example.be") for i in range(ANSWERERS * INVITATIONS_EACH)]
        invitations = inv.invite_to_meeting(meeting=meeting, invitees=[inv.invitee_for(member), *guests])
        links = [(i.pk, rsvp.link_path(i, "accept")) for i in invitations[1:]]
        tokens = [new_token() for _ in range(FEED_TOKENS)]
        FeedSubscription.objects.bulk_create(
            FeedSubscription(
                user=member, kind=FeedKind.PERSONAL, label=f"Téléphone {i}", token_hash=hash_token(t)
            )
            for i, t in enumerate(tokens)
        )
        return World(
            meeting_id=meeting.pk,
            coordinator=session_of(coordinator),
            member=session_of(member),
            feed_tokens=tokens,
            answer_links=[links[i::ANSWERERS] for i in range(ANSWERERS)],
        )


class Phase:
    """Where the test stands: before, stopping, down, starting, up, restarted."""

    def __init__(self):
        self.name = "before"


@dataclass
class Answer:
    client: str
    kind: str
    target: object  # what a write was about: (invitation id, answer) or an address
    began: str
    ended: str
    status: int | None
    expected: int
    retry_after: str | None
    fits: bool  # the page asked for, or the calm 503 page
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status == self.expected and self.fits

    @property
    def calm_503(self) -> bool:
        return self.status == 503 and self.retry_after == "30" and self.fits


def calm(response: httpx.Response) -> bool:
    body = response.text
    return (
        '<html lang="fr">' in body
        and f"<h1>{UNAVAILABLE}</h1>" in body
        and "Traceback" not in body
        and "Server Error" not in body
        and response.headers.get("Content-Type") == "text/html; charset=utf-8"
    )


def browser(web: WebProcess, session: str | None = None) -> httpx.Client:
    """A browser of its own: its session, and a CSRF cookie it sends back as the header."""
    csrf = secrets.token_hex(16)
    cookies = {
        settings.CSRF_COOKIE_NAME: csrf,
        **({settings.SESSION_COOKIE_NAME: session} if session else {}),
    }
    headers = {**HEADERS, "Origin": ORIGIN, "X-CSRFToken": csrf}
    # A request that hangs fails the test: the 503 must come at once.
    return httpx.Client(base_url=web.url, headers=headers, cookies=cookies, timeout=10)


class Burst:
    """Six clients asking at once, each recording every answer and when it began and ended."""

    def __init__(self, web: WebProcess, world: World, phase: Phase):
        self.web, self.world, self.phase = web, world, phase
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.feed_tokens = itertools.cycle(world.feed_tokens)
        self.invited = itertools.count()
        clients = [
            ("viewer-1", self.viewer, ()),
            ("viewer-2", self.viewer, ()),
            ("feed", self.feed_reader, ()),
            *((f"answerer-{i + 1}", self.answerer, (links,)) for i, links in enumerate(world.answer_links)),
            ("inviter", self.inviter, ()),
        ]
        self.names = [name for name, _run, _args in clients]
        self.threads = [threading.Thread(target=run, args=(name, *args)) for name, run, args in clients]

    def ask(self, name, kind, send, *, expected=200, marker=None, location=None, target=None) -> Answer:
        """Send (a request made ready), and record the answer: FITS when it is the EXPECTED
        status with MARKER in its body or a redirection to LOCATION, or the calm 503 page."""
        began = self.phase.name
        status, retry_after, fits, excerpt = None, None, False, ""
        try:
            response = send()
        except httpx.HTTPError as error:
            excerpt = repr(error)
        else:
            status, retry_after = response.status_code, response.headers.get("Retry-After")
            excerpt = response.text[:300]
            if status == 503:
                fits = calm(response)
            elif status == expected:
                fits = (marker is None or marker in response.text) and (
                    location is None or response.headers.get("Location") == location
                )
        answer = Answer(
            name, kind, target, began, self.phase.name, status, expected, retry_after, fits, excerpt
        )
        with self.lock:
            self.answers.append(answer)
        time.sleep(0.02)
        return answer

    def viewer(self, name: str) -> None:
        with (
            browser(self.web, self.world.member) as member,
            browser(self.web, self.world.coordinator) as organiser,
        ):
            self.view(name, member, organiser)

    def view(self, name: str, member: httpx.Client, coordinator: httpx.Client) -> None:
        pages = itertools.cycle(
            [
                ("home", member, reverse("home"), "Bonjour Marc"),
                ("agenda", member, reverse("meetings:agenda"), MEETING_TITLE),
                (
                    "meeting",
                    coordinator,
                    reverse("meetings:meeting", args=[self.world.meeting_id]),
                    MEETING_TITLE,
                ),
            ]
        )
        while not self.stopping.is_set():
            kind, client, path, marker = next(pages)
            self.ask(name, kind, partial(client.get, path), marker=marker)

    def feed_reader(self, name: str) -> None:
        with browser(self.web) as client:
            while not self.stopping.is_set():
                path = reverse("calendar:feed", args=[next(self.feed_tokens)])
                self.ask(name, "feed", partial(client.get, path), marker="BEGIN:VEVENT")

    def answerer(self, name: str, links: list) -> None:
        """Answers each of its invitations in turn, accepting then declining on the next round;
        sends again what was refused, as a person would tap again."""
        with browser(self.web) as client:
            self.answer_all(name, client, links)

    def answer_all(self, name: str, client: httpx.Client, links: list) -> None:
        for round_ in itertools.count():
            partstat = (PartStat.ACCEPTED, PartStat.DECLINED)[round_ % 2]
            for invitation_id, path in links:
                while not self.stopping.is_set():
                    answer = self.ask(
                        name,
                        "answer",
                        partial(client.post, path, data={"partstat": partstat}),
                        expected=302,
                        location=f"{path}?enregistre",
                        target=(invitation_id, str(partstat)),
                    )
                    if answer.status == 302:
                        break
                if self.stopping.is_set():
                    return

    def inviter(self, name: str) -> None:
        """The organiser invites one guest after another; sends again what was refused."""
        with browser(self.web, self.world.coordinator) as client:
            self.invite_all(name, client)

    def invite_all(self, name: str, client: httpx.Client) -> None:
        path = reverse("meetings:invitations", args=[self.world.meeting_id])
        address = f"guest{next(self.invited):03d}@example.be"
        while not self.stopping.is_set():
            answer = self.ask(
                name,
                "invite",
                partial(client.post, path, data={"people_text": address, "role": "participant"}),
                expected=302,
                location=path,
                target=address,
            )
            if answer.status == 302:
                address = f"guest{next(self.invited):03d}@example.be"

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def covered(self, count: int, *, within: str, ok: bool = False) -> bool:
        """Each client, and each kind of request, has COUNT answers begun and ended WITHIN
        (answered as asked, with OK)."""
        with self.lock:
            chosen = [a for a in self.answers if a.began == a.ended == within and (a.ok or not ok)]
        return all(sum(a.client == name for a in chosen) >= count for name in self.names) and all(
            sum(a.kind == kind for a in chosen) >= count for kind in KINDS
        )


def possible_answers(posts: list[Answer]) -> set[str]:
    """What an invitation may hold after POSTS (in the order sent): the last answer recorded
    (302), or any sent after it that was refused, whose commit the client cannot know."""
    recorded = [i for i, post in enumerate(posts) if post.status == 302]
    last = recorded[-1] if recorded else -1
    possible = {posts[last].target[1]} if recorded else {str(PartStat.NEEDS_ACTION)}
    return possible | {post.target[1] for post in posts[last + 1 :]}


def test_postgres_restarted_during_a_burst_answers_503_then_200_and_loses_no_write(
    transactional_db, private_postgres, web, caplog
):
    caplog.set_level(logging.WARNING, logger="httpx")  # a line per request otherwise
    world = build_world()
    private_postgres.load_copy_of(connection.settings_dict)
    web.start()
    phase = Phase()
    burst = Burst(web, world, phase)

    burst.start()
    try:
        assert wait_until(lambda: burst.covered(5, within="before", ok=True)), burst.answers[-6:]
        phase.name = "stopping"
        private_postgres.stop("fast")  # ends the sessions under way, then stops
        phase.name = "down"
        assert wait_until(lambda: burst.covered(5, within="down")), burst.answers[-6:]
        phase.name = "starting"
        private_postgres.start()  # returns once it accepts connections
        phase.name = "up"
        assert wait_until(lambda: burst.covered(5, within="up", ok=True)), burst.answers[-6:]
    finally:
        burst.stop()

    # Restarted again while nobody asks: each web process holds a connection that is now dead.
    private_postgres.restart("fast")
    phase.name = "restarted"
    quiet = Burst(web, world, phase)
    quiet.invited = burst.invited  # the organiser goes on with new guests
    quiet.start()
    try:
        assert wait_until(lambda: quiet.covered(3, within="restarted")), quiet.answers[-6:]
    finally:
        quiet.stop()
    answers = burst.answers + quiet.answers

    # Every answer is the page asked for or the calm 503: no 500, no hang, no refused connection.
    assert [a for a in answers if not (a.ok or a.calm_503)] == []
    down = [a for a in answers if a.began == a.ended == "down"]
    assert {a.client for a in down} == set(burst.names)
    assert {a.kind for a in down} == set(KINDS)
    assert [a for a in down if not a.calm_503] == []
    # Once it is back, and after the quiet restart, every request is answered as before.
    assert [a for a in answers if a.began in ("up", "restarted") and not a.ok] == []
    assert web.process.poll() is None
    assert web.booted_workers() == 2  # the same two workers throughout, none replaced

    # Answers: each invitation holds what was last recorded, or what was refused after it.
    invitations = dict(
        private_postgres.query(
            "SELECT id, partstat FROM meetings_invitation WHERE meeting_id = %s", (world.meeting_id,)
        )
    )
    posts: dict[int, list[Answer]] = {}
    for answer in (a for a in answers if a.kind == "answer"):
        posts.setdefault(answer.target[0], []).append(answer)
    assert posts, "no answer was sent"
    unexpected = {
        pk: (invitations[pk], possible_answers(sent))
        for pk, sent in posts.items()
        if invitations[pk] not in possible_answers(sent)
    }
    assert unexpected == {}
    # Invitations: each guest the organiser was told of is invited once, with one e-mail; one
    # refused and not sent again is there whole, or not at all.
    guests = [
        email
        for (email,) in private_postgres.query(
            "SELECT email FROM meetings_invitation WHERE meeting_id = %s AND email LIKE 'guest%%'",
            (world.meeting_id,),
        )
    ]
    assert len(guests) == len(set(guests))
    told = {a.target for a in answers if a.kind == "invite" and a.status == 302}
    refused = {a.target for a in answers if a.kind == "invite"} - told
    assert told and told <= set(guests)
    assert set(guests) <= told | refused
    emails = private_postgres.query(
        "SELECT (refs->>'invitation')::bigint, count(*) FROM outbox_outboxmessage WHERE kind = 'request' "
        "GROUP BY 1 ORDER BY 1"
    )
    assert emails == sorted((pk, 1) for pk in invitations)
    # What was recorded is shown: the organiser's page lists every guest invited.
    with browser(web, world.coordinator) as organiser:
        page = organiser.get(reverse("meetings:invitations", args=[world.meeting_id]))
    assert page.status_code == 200
    assert [address for address in sorted(guests) if address not in page.text] == []
