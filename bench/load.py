"""Load test: gunicorn (2 sync workers) on PostgreSQL, 16 concurrent clients per page.

    make bench-load                                  (a fresh BENCH_DB, seed_scale's data)
    make bench-load BENCH_LOAD_ARGS="--data demo --seconds 5"
    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/load.py --data none

--data scale (the default) runs `seed_scale [--scale F]` on the database, which must hold no
professionals yet, and takes the busiest professional it names on its last line
(`busiest: <email>`); --data demo runs `seed_demo`; --data none uses the database as it is.
Whatever the data, the pages' subjects are read from it: the busy user (the one seed_scale
names, else the one with the most invitations), a light user (the fewest invitations, at least
one), the meeting whose invitee count is nearest 80 (as its organiser), the group with the most
active members (as its facilitator), the directory searched for its most common commune, the
people pickers' searches (htmx fragments) for the two letters that begin the most names — that
meeting's invitations and action-owner pickers as its organiser, that group's add-member picker
as its facilitator —, the busy user's meeting load (`/load/`), the network dashboard of the
network with the most meetings (`/load/network/`, as its first coordinator), and the busy user's
personal feed in full and answered 304.

Each page is loaded by --clients threads (each with its own httpx.Client and its own session)
for --seconds, between two runs of the floor: the base layout alone for a logged-in person
(bench/urls.py), served by the same processes. Each page's throughput is compared with the mean
of the floors around it. Prints one Markdown table (bench/loadstats.py). Any answer other than
the one expected (2xx, or 304 for the conditional feed), or a failed request, makes the run
fail; a missed target fails it only with --strict.

The web processes run as in production (DJANGO_ENV=production, DEBUG off, a random SECRET_KEY,
static files collected for WhiteNoise, Redis as the shared cache); the clients send
`X-Forwarded-Proto: https` as the TLS proxy in front of them would. Second factors are not
required of coordinators (REQUIRE_MFA_FOR_COORDINATORS=false): a session is what is measured.
"""

import argparse
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.loadstats import Run, render, rows  # noqa: E402

# The personal feed allows 60 requests per token in 10 minutes (meetings/calendar/views.py): the
# bench polls it through many subscriptions of the same person, each used at most this often.
REQUESTS_PER_TOKEN = 50
# Enough tokens for this many feed requests per second.
FEED_RATE_CEILING = 500
TARGET_INVITEES = 80
# What htmx sends with a picker's search (django_htmx reads it).
HTMX = {"HX-Request": "true"}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=("scale", "demo", "none"), default="scale")
    parser.add_argument("--scale", type=float, help="passed to seed_scale (1 is the full federation)")
    parser.add_argument("--busy", help="the busy user's e-mail (default: seed_scale's, or the most invited)")
    parser.add_argument("--seconds", type=float, default=20.0, help="per page and per floor run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--strict", action="store_true", help="fail when a target is missed")
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORD",
        help="measure only the pages whose name holds WORD (repeatable; both feed pages go together)",
    )
    args = parser.parse_args(argv)
    if args.scale is not None and args.data != "scale":
        parser.error("--scale goes with --data scale")
    return args


def environment(port: int, var_dir: str) -> dict[str, str]:
    """The web processes' environment: production settings on the bench's database and Redis."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/load.py needs DATABASE_URL (postgres://…): `make bench-load` provides it")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench/load.py needs REDIS_URL (the shared cache of the two web processes)")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "REQUIRE_MFA_FOR_COORDINATORS": "false",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": var_dir,
        "PRIVATE_MEDIA_ROOT": str(Path(var_dir) / "private"),
    }


def manage(env: dict[str, str], *arguments: str, capture: bool = False) -> str:
    """A management command in a child process. Seeding runs without REDIS_URL, Celery eager,
    so that the e-mails it makes are written in the temporary folder rather than queued in the
    bench's Redis for a worker that never comes."""
    child = {k: v for k, v in env.items() if k != "REDIS_URL"}
    command = [sys.executable, "manage.py", *arguments]
    if not capture:
        subprocess.run(command, cwd=ROOT, env=child, check=True)
        return ""
    # Streamed as it comes (seed_scale shows its progress), and kept for its last line.
    process = subprocess.Popen(command, cwd=ROOT, env=child, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        lines.append(line)
    if process.wait():
        sys.exit(f"{' '.join(arguments)} failed ({process.returncode})")
    return "".join(lines)


def load_data(args: argparse.Namespace, env: dict[str, str]) -> str | None:
    """Migrate and seed; the busy user's e-mail when the seed names one."""
    manage(env, "migrate", "--noinput", "-v", "0")
    if args.data == "demo":
        manage(env, "seed_demo")
    elif args.data == "scale":
        arguments = ["seed_scale"] + (["--scale", str(args.scale)] if args.scale is not None else [])
        output = manage(env, *arguments, capture=True)
        last = output.strip().splitlines()[-1] if output.strip() else ""
        if not last.startswith("busiest: "):
            sys.exit(f"seed_scale's last line should be `busiest: <email>`, not {last!r}")
        return last.removeprefix("busiest: ").strip()
    return None


@dataclass
class Page:
    name: str
    path: str
    user: object
    expected: frozenset = frozenset({200})
    headers: dict = field(default_factory=dict)
    tokens: "TokenPool | None" = None  # the feeds: a token per request


class TokenPool:
    """Feed tokens handed out round robin, each at most REQUESTS_PER_TOKEN times."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.used = 0
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            if self.used >= len(self.tokens) * REQUESTS_PER_TOKEN:
                raise RuntimeError("feed tokens used up: raise FEED_RATE_CEILING in bench/load.py")
            token = self.tokens[self.used % len(self.tokens)]
            self.used += 1
            return token


def pick_subjects(busy_email: str | None) -> dict:
    """Who and what each page shows, read from the data whatever made it."""
    from django.db.models import Count, F, OuterRef, Q, Subquery
    from django.db.models.functions import Abs, Coalesce

    from accounts.models import Network, Organisation, User
    from meetings.models import GroupMembership, Invitation, Meeting, StandingGroup
    from meetings.models.groups import MembershipStatus, Role

    # A person's load: their invitations and their groups (a group's sessions reach its members
    # without an invitation row each).
    def count(queryset):
        return Coalesce(
            Subquery(queryset.filter(user=OuterRef("pk")).values("user").annotate(n=Count("pk")).values("n")),
            0,
        )

    people = (
        User.objects.filter(is_active=True, professional__isnull=False)
        .annotate(
            invited_to=count(Invitation.objects.all()),
            groups_in=count(GroupMembership.objects.filter(status=MembershipStatus.ACTIVE)),
        )
        .annotate(load=F("invited_to") + F("groups_in"))
        .filter(load__gt=0)
    )
    if busy_email:
        busy = people.get(email=busy_email.lower())
    else:
        busy = people.order_by("-load", "pk").first()
        if busy is None:
            sys.exit("no professional is invited to anything: load data first (--data demo|scale)")
    light = people.exclude(pk=busy.pk).order_by("load", "pk").first() or busy
    meeting_row = (
        Invitation.objects.values("meeting")
        .annotate(n=Count("id"))
        .annotate(gap=Abs(F("n") - TARGET_INVITEES))
        .order_by("gap", "-meeting")
        .first()
    )
    if meeting_row is None:
        sys.exit("no meeting has invitees: load data first (--data demo|scale)")
    meeting = Meeting.objects.select_related("organiser").get(pk=meeting_row["meeting"])
    group = (
        StandingGroup.objects.annotate(
            members=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
        )
        .order_by("-members", "pk")
        .first()
    )
    if group is None:
        sys.exit("no standing group: load data first (--data demo|scale)")
    facilitator = (
        GroupMembership.objects.filter(group=group, role=Role.FACILITATOR, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if facilitator is None:
        sys.exit(f"the largest group ({group.name}) has no active facilitator")
    # The largest network (by meetings) and its first coordinator: the network's meeting load.
    network = (
        Network.objects.filter(coordinators__isnull=False)
        .annotate(meetings_count=Count("meetings", distinct=True))
        .order_by("-meetings_count", "pk")
        .first()
    )
    if network is None:
        sys.exit("no network has a coordinator: load data first (--data demo|scale)")
    coordinator = network.coordinators.order_by("pk").first()
    commune = (
        Organisation.objects.exclude(commune="")
        .values("commune")
        .annotate(n=Count("id"))
        .order_by("-n", "commune")
        .first()
    )
    # The open poll that asks the most people: its results as its organiser, its answer page as
    # one of them (meetings.polls).
    from meetings.polls.models import Poll, PollStatus

    poll = (
        Poll.objects.filter(status=PollStatus.OPEN)
        .annotate(asked=Count("participants"))
        .order_by("-asked", "pk")
        .select_related("organiser")
        .first()
    )
    if poll is None:
        sys.exit("no open poll: load data first (--data demo|scale)")
    poll_participant = (
        poll.participants.filter(user__isnull=False).select_related("user").order_by("pk").first()
    )
    # The open « Vis ma vie » round with the most applications: its matching page (the proposal
    # computed for 300 applications and 150 offers at scale) as one of its coordinators, and
    # the round with the most visits that took place: its report (meetings.exchanges).
    from meetings.exchanges.models import ExchangeRound

    exchange_round = (
        ExchangeRound.objects.annotate(n=Count("applications", distinct=True))
        .order_by("-n", "pk")
        .select_related("network")
        .first()
    )
    if exchange_round is None:
        sys.exit("no exchange round: load data first (--data demo|scale)")
    reported_round = (
        ExchangeRound.objects.annotate(n=Count("placements", distinct=True))
        .order_by("-n", "pk")
        .select_related("network")
        .first()
    )
    return {
        "exchange_round": exchange_round,
        "exchange_coordinator": exchange_round.network.coordinators.order_by("pk").first(),
        "reported_round": reported_round,
        "report_reader": reported_round.network.coordinators.order_by("pk").first(),
        "poll": poll,
        "poll_participant": poll_participant.user,
        "prefix": common_prefix(people.values_list("search_name", flat=True)),
        "busy": busy,
        "light": light,
        "meeting": meeting,
        "invitees": meeting_row["n"],
        "group": group,
        "facilitator": facilitator.user,
        "search": commune["commune"] if commune else "santé",
        "network": network,
        "coordinator": coordinator,
    }


def common_prefix(search_names) -> str:
    """The two letters that begin a word of the most people's names (search_name holds each
    person's folded first and last names): what a picker's search typed at its second key
    matches most, the longest list it has to cut to its limit."""
    from collections import Counter

    starts = Counter()
    for name in search_names:
        starts.update({word[:2] for word in name.split() if len(word) >= 2})
    return min(starts, key=lambda start: (-starts[start], start)) if starts else "ma"


def session_keys(user, count: int) -> list[str]:
    """COUNT sessions of USER written straight into the session store, as a login would leave
    them (user, backend, password hash): the login form allows 30 attempts a minute per address
    and goes through allauth's e-mail and second-factor stages, none of which a page pays once
    logged in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def feed_tokens(user, count: int) -> list[str]:
    """COUNT personal subscriptions of USER, written directly: the service stops at 20 active
    ones per person, a limit for one person's devices, not for a benchmark standing for many
    polls of one feed."""
    from meetings.calendar.models import FeedKind, FeedSubscription, hash_token, new_token

    tokens = [new_token() for _ in range(count)]
    FeedSubscription.objects.bulk_create(
        FeedSubscription(user=user, kind=FeedKind.PERSONAL, label=f"bench {i}", token_hash=hash_token(t))
        for i, t in enumerate(tokens)
    )
    return tokens


def load(user) -> str:
    return f"{user.invited_to} invitations, {user.groups_in} groups"


def pages(subjects: dict, args: argparse.Namespace) -> list[Page]:
    from django.urls import reverse
    from django.utils.http import urlencode

    pool_size = math.ceil(FEED_RATE_CEILING * args.seconds / REQUESTS_PER_TOKEN) + args.clients
    busy, light = subjects["busy"], subjects["light"]
    agenda = reverse("meetings:agenda")
    prefix = subjects["prefix"]

    def picker(path: str) -> str:
        return path + "?" + urlencode({"q": prefix})

    return [
        Page(f"`/agenda/`, busy user ({load(busy)})", agenda, busy),
        Page(f"`/agenda/`, light user ({load(light)})", agenda, light),
        Page(
            f"meeting page, {subjects['invitees']} invitees (organiser)",
            reverse("meetings:meeting", args=[subjects["meeting"].pk]),
            subjects["meeting"].organiser,
        ),
        Page("`/actions/`, busy user", reverse("followup:actions"), busy),
        Page(
            f"directory, search « {subjects['search']} »",
            reverse("accounts:directory") + "?" + urlencode({"q": subjects["search"]}),
            busy,
        ),
        Page(
            f"group page, {subjects['group'].members} members (facilitator)",
            reverse("meetings:group", args=[subjects["group"].pk]),
            subjects["facilitator"],
        ),
        # The people pickers' searches (htmx fragments, accounts/picker.py), typed to two letters
        # that begin many names: each cuts a long list to its first results.
        Page(
            f"invitations picker « {prefix} », meeting of {subjects['invitees']} invitees (organiser)",
            picker(reverse("meetings:invite_search", args=[subjects["meeting"].pk])),
            subjects["meeting"].organiser,
            headers=HTMX,
        ),
        Page(
            f"action owner picker « {prefix} », meeting of {subjects['invitees']} invitees (organiser)",
            picker(reverse("followup:owner_search", args=[subjects["meeting"].pk])),
            subjects["meeting"].organiser,
            headers=HTMX,
        ),
        Page(
            f"add-member picker « {prefix} », group of {subjects['group'].members} members (facilitator)",
            picker(reverse("meetings:group_member_search", args=[subjects["group"].pk])),
            subjects["facilitator"],
            headers=HTMX,
        ),
        Page("`/load/`, busy user (12 months)", reverse("load:mine"), busy),
        Page("`/polls/`, busy user", reverse("polls:list"), busy),
        Page(
            f"poll page, {subjects['poll'].asked} asked, {subjects['poll'].slots.count()} slots (organiser)",
            reverse("polls:detail", args=[subjects["poll"].pk]),
            subjects["poll"].organiser,
        ),
        Page(
            "poll answer page, with conflicts (participant)",
            reverse("polls:answer", args=[subjects["poll"].pk]),
            subjects["poll_participant"],
        ),
        Page(
            f"exchange matching page, {subjects['exchange_round'].n} applications (coordinator)",
            reverse("exchanges:matching", args=[subjects["exchange_round"].pk]),
            subjects["exchange_coordinator"],
        ),
        Page(
            "`/exchanges/`, coordinator of the largest round",
            reverse("exchanges:index"),
            subjects["exchange_coordinator"],
        ),
        Page(
            f"exchange report, {subjects['reported_round'].n} visits (coordinator)",
            reverse("exchanges:report", args=[subjects["reported_round"].pk]),
            subjects["report_reader"],
        ),
        Page(
            f"`/load/network/`, largest network ({subjects['network'].meetings_count} meetings, coordinator)",
            reverse("load:network") + "?" + urlencode({"network": subjects["network"].pk}),
            subjects["coordinator"],
        ),
        Page("personal feed, busy user, full", "", busy, tokens=TokenPool(feed_tokens(busy, pool_size))),
        Page(
            "personal feed, busy user, 304",
            "",
            busy,
            expected=frozenset({304}),
            tokens=TokenPool(feed_tokens(busy, pool_size)),
        ),
    ]


def chosen(measured: list[Page], words: list[str] | None) -> list[Page]:
    """The pages named by --only; the 304 feed page needs the full one's validators, so the two
    feed pages are kept or dropped together."""
    if not words:
        return measured

    def wanted(page: Page) -> bool:
        return any(word.lower() in page.name.lower() for word in words)

    feeds = [page for page in measured if page.tokens is not None]
    keep_feeds = any(wanted(page) for page in feeds)
    kept = [page for page in measured if (keep_feeds if page.tokens is not None else wanted(page))]
    if not kept:
        sys.exit(f"--only {' '.join(words)}: no page by that name")
    return kept


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "concertation.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        "--graceful-timeout=5",
        f"--error-logfile={log}",
    ]
    # Its own process group, so that its workers go with it.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "concertation-bench/1"}


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped ({process.returncode})")
        try:
            if httpx.get(base + "/healthz", headers=HEADERS, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz within 60 s")


class Clients:
    """One httpx.Client per thread and per person, each with its own session cookie."""

    def __init__(self, base: str, count: int):
        from django.conf import settings

        self.base, self.count = base, count
        self.cookie = settings.SESSION_COOKIE_NAME
        self.sessions: dict[int, list[str]] = {}

    def for_user(self, user) -> list[str]:
        if user.pk not in self.sessions:
            self.sessions[user.pk] = session_keys(user, self.count)
        return self.sessions[user.pk]

    def request(self, client, page: Page):
        from django.urls import reverse

        path = page.path
        if page.tokens is not None:
            path = reverse("calendar:feed", args=[page.tokens.next()])
        return client.get(path, headers=page.headers)

    def run(self, page: Page, seconds: float) -> tuple[Run, list[str]]:
        import httpx

        keys = self.for_user(page.user)
        barrier = threading.Barrier(self.count + 1)
        results = [([], 0, []) for _ in range(self.count)]

        def work(index: int) -> None:
            latencies, errors, samples = [], 0, []
            with httpx.Client(
                base_url=self.base, headers=HEADERS, cookies={self.cookie: keys[index]}, timeout=60
            ) as client:
                barrier.wait()
                deadline = time.perf_counter() + seconds
                while time.perf_counter() < deadline:
                    start = time.perf_counter()
                    try:
                        response = self.request(client, page)
                        status = response.status_code
                    except RuntimeError as error:  # tokens used up: the harness's fault
                        samples.append(str(error))
                        errors += 1
                        break
                    except httpx.HTTPError as error:
                        status, samples = None, [*samples, repr(error)][:3]
                    elapsed = time.perf_counter() - start
                    if status in page.expected:
                        latencies.append(elapsed)
                    else:
                        errors += 1
                        if status is not None and len(samples) < 3:
                            samples.append(f"{status} {response.headers.get('location', '')}".strip())
            results[index] = (latencies, errors, samples)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(self.count)]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        run = Run(
            page=page.name,
            latencies=[latency for latencies, _, _ in results for latency in latencies],
            seconds=wall,
            errors=sum(errors for _, errors, _ in results),
        )
        return run, [sample for _, _, samples in results for sample in samples][:5]


def check(clients: Clients, page: Page):
    """One request as the page's first client: its status must be the expected one. Returns the
    response (the feed's validators come from it)."""
    import httpx

    key = clients.for_user(page.user)[0]
    with httpx.Client(base_url=clients.base, headers=HEADERS, cookies={clients.cookie: key}) as client:
        response = clients.request(client, page)
    if response.status_code not in page.expected:
        sys.exit(f"{page.name}: {response.status_code} {response.headers.get('location', '')}")
    return response


def main(argv=None) -> int:
    args = parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="concertation-load-") as var_dir:
        env = environment(port, var_dir)
        seeded = load_data(args, env)
        busy_email = args.busy or seeded
        manage(env, "collectstatic", "--noinput", "-v", "0")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as after autovacuum
        subjects = pick_subjects(busy_email)
        print(
            f"busy: {subjects['busy'].email}; light: {subjects['light'].email}; "
            f"meeting {subjects['meeting'].pk}; group {subjects['group'].pk}",
            flush=True,
        )
        base = f"http://127.0.0.1:{port}"
        clients = Clients(base, args.clients)
        floor = Page("floor", "/bench/floor/", subjects["busy"])
        measured = chosen(pages(subjects, args), args.only)
        # A SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C, through the finally.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped (SIGTERM)"))
        server = start_gunicorn(env, port, args.workers, Path(var_dir) / "gunicorn.log")
        try:
            wait_until_up(base, server)
            return measure(clients, floor, measured, args)
        finally:
            stop(server)
            log = (Path(var_dir) / "gunicorn.log").read_text(errors="replace").strip()
            if "Traceback" in log or "ERROR" in log:
                print("gunicorn's log:\n" + log[-4000:], file=sys.stderr)


def measure(clients: Clients, floor: Page, measured: list[Page], args: argparse.Namespace) -> int:
    for page in [floor, *measured]:
        if page.expected == {304}:
            continue
        response = check(clients, page)
        if page.tokens is not None:
            events = response.content.count(b"BEGIN:VEVENT")
            page.name += f" ({events} events)"
            # Every token of the busy user's personal feed has the same version: the 304 page
            # asks with the validators of this answer.
            conditional = next(p for p in measured if p.expected == {304})
            conditional.headers = {
                "If-None-Match": response.headers["ETag"],
                "If-Modified-Since": response.headers["Last-Modified"],
            }
            conditional.name += f" ({events} events)"
    conditional = next((p for p in measured if p.expected == {304}), None)
    if conditional is not None:  # --only without the feeds
        check(clients, conditional)
    # A second of load on each page first: the workers' caches and compiled queries, warm.
    for page in [floor, *measured]:
        clients.run(page, 1.0)
    floors, runs, failures = [], [], []

    def one(page: Page) -> Run:
        run, samples = clients.run(page, args.seconds)
        print(
            f"  {page.name}: {run.rate:.1f}/s, median {run.median_ms:.0f} ms, p95 {run.p95_ms:.0f} ms"
            + (f", {run.errors} errors {samples}" if run.errors else ""),
            flush=True,
        )
        if run.errors:
            failures.append(page.name)
        return run

    floors.append(one(floor))
    for page in measured:
        runs.append(one(page))
        floors.append(one(floor))
    table = rows(floors, runs)
    print()
    print(
        f"{args.clients} clients, {args.seconds:g} s per page, gunicorn {args.workers} sync workers, "
        f"data: {args.data}" + (f" --scale {args.scale:g}" if args.scale is not None else "")
    )
    print(render(table))
    if failures:
        print(f"errors on: {', '.join(failures)}", file=sys.stderr)
        return 1
    if args.strict and not all(row.met for row in table):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
