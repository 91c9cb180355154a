"""Benchmark: a personal calendar feed for a professional invited to 500 meetings in 20 series.

    .venv/bin/python bench/feeds.py          (SQLite, in a temporary folder)
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/feeds.py

The 20 series run monthly for two years (25 sessions each) and started two months ago; in each,
one session moved and one cancelled. Prints the median time of:

- a full feed request through the project's WSGI application (concertation.wsgi: token lookup
  and version, queries, building, serialising, recording the fetch), and the same work without
  HTTP;
- a full request for a version already built, answered with the body kept in the cache;
- the floor: icalendar alone building and serialising an equivalent calendar in memory (the same
  VEVENTs with the same properties and values, and the same VTIMEZONE; no database, no Django);
- a conditional request answered 304, as a client polling again within five minutes (nothing
  written) and as one polling less often (the fetch is recorded: one UPDATE);

the ratios feed / floor (target ≤ 1.5) and full / 304 (target ≥ 5), and the queries each makes.
The measures are taken in turns (round robin) so that a busy machine slows them alike; the ratios
are the figures to read, the times depend on the machine.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production: DEBUG off (no SQL logging wrapper around every query).
os.environ.setdefault("DEBUG", "false")
os.environ.pop("REDIS_URL", None)  # local-memory cache: the rate limit counter is cleared between runs
TEMPORARY = None  # the temporary folder of the SQLite database, removed at the end
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
    os.environ["VAR_DIR"] = TEMPORARY = tempfile.mkdtemp(prefix="concertation-bench-")

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SERIES = 20
SESSIONS = 25


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    token, member = build_fixture()
    from django.db import connection

    if connection.vendor == "postgresql":
        # Statistics of the tables just filled, as autovacuum keeps them: plans as in production,
        # and the same in every run.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from django.core.cache import cache
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory
    from django.urls import reverse
    from icalendar import Calendar

    from concertation.wsgi import application as handler

    # Requests go through the project's WSGI application, as behind a server. The database
    # connection is kept between requests (as CONN_MAX_AGE does in production).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    factory = RequestFactory(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Google-Calendar-Importer")
    path = reverse("calendar:feed", args=[token])

    from meetings.calendar import views as feed_views

    # One token polled far more often than calendar applications do: no rate limit here.
    feed_views.RATE_LIMIT = 10**9

    def get(*, kept: bool = True, **headers) -> tuple[int, bytes, dict]:
        if not kept:
            cache.clear()  # the kept bodies: the feed is built; not timed
        environ = factory.get(path, **headers).environ
        status = []
        start = time.perf_counter()
        response = handler(environ, lambda code, headers: status.append((code, dict(headers))))
        body = b"".join(response)
        elapsed = time.perf_counter() - start
        response.close()
        return elapsed, int(status[0][0].split()[0]), body, status[0][1]

    _elapsed, code, body, headers = get()
    assert code == 200, code
    etag = headers["ETag"]
    events = Calendar.from_ical(body).walk("VEVENT")
    data = plain_events(events)
    assert floor_calendar(data).to_ical().count(b"BEGIN:VEVENT") == body.count(b"BEGIN:VEVENT")

    def full():
        elapsed, code, _body, _headers = get(kept=False)
        assert code == 200
        return elapsed

    def full_kept():
        elapsed, code, kept_body, _headers = get()
        assert code == 200 and kept_body == body
        return elapsed

    def not_modified():
        elapsed, code, _body, _headers = get(HTTP_IF_NONE_MATCH=etag)
        assert code == 304
        return elapsed

    def floor():
        start = time.perf_counter()
        floor_calendar(data).to_ical()
        return time.perf_counter() - start

    from meetings.calendar.models import FeedSubscription

    def not_modified_recorded():
        # A client polling every few minutes: the fetch is written down (one UPDATE) each time.
        FeedSubscription.objects.update(last_fetched_at=None)
        return not_modified()

    from django.test.utils import CaptureQueriesContext

    def queries_of(measure) -> int:
        with CaptureQueriesContext(connection) as captured:
            measure()
        return len(captured)

    builder = builder_only(member)
    measures = {
        "full": full,
        "kept": full_kept,
        "floor": floor,
        "builder": builder,
        "304": not_modified,
        "304+": not_modified_recorded,
    }
    for measure in measures.values():  # warm up
        measure()
    FeedSubscription.objects.update(last_fetched_at=None)
    counts = {"full": queries_of(full)}  # recording the fetch, as most full requests do
    counts["kept"] = queries_of(full_kept)
    counts["304"] = queries_of(not_modified)
    FeedSubscription.objects.update(last_fetched_at=None)
    counts["304+"] = queries_of(not_modified)
    # Round robin, so that a busy machine slows every measure alike.
    times = {name: [] for name in measures}
    for _run in range(RUNS):
        for name, measure in measures.items():
            for _repeat in range(5 if name.startswith("304") or name == "kept" else 1):
                times[name].append(measure())
    median = {name: statistics.median(values) for name, values in times.items()}

    from meetings.models import Invitation, Meeting

    meetings = Meeting.objects.filter(invitations__user=member).count()
    print(f"the professional is invited to {meetings} meetings in {SERIES} series")
    print(f"feed: {len(events)} VEVENTs ({SERIES} series with RRULE, the others moved sessions),")
    print(f"      {len(body)} bytes; medians of {RUNS} runs (304s and kept: {RUNS * 5}), interleaved")
    print()
    rows = [
        ("full", "full feed request (WSGI application)"),
        ("builder", "  its select + build + serialise alone"),
        ("kept", "full request, body kept (nothing changed)"),
        ("floor", "floor: icalendar alone, same calendar in memory"),
        ("304", "304 Not Modified (If-None-Match)"),
        ("304+", "304 Not Modified, recording the fetch (UPDATE)"),
    ]
    print(f"{'measure':<52} {'median':>10} {'queries':>8}")
    for name, label in rows:
        print(f"{label:<52} {ms(median[name]):>10} {counts.get(name, ''):>8}")
    print()
    print(f"feed / floor: {median['full'] / median['floor']:.2f}x (target ≤ 1.5)")
    plain, recording = median["full"] / median["304"], median["full"] / median["304+"]
    print(f"full / 304:   {plain:.1f}x ({recording:.1f}x recording the fetch) (target ≥ 5)")
    print(f"kept / 304:   {median['kept'] / median['304']:.2f}x (a body kept costs about a 304)")
    assert Invitation.objects.filter(user=member).count() == meetings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def build_fixture():
    """A network, groups and 20 series of 25 monthly sessions; the professional is invited to all."""
    from datetime import time as clock
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Network, Organisation, OrganisationKind, Profession, Professional, User
    from meetings.calendar.services.subscriptions import subscription_create
    from meetings.kinds import POLICIES, Membership
    from meetings.models import PartStat
    from meetings.recurrence import local_start
    from meetings.services import invitations as inv
    from meetings.services.groups import charter_accept, group_create
    from meetings.services.meetings import meeting_cancel, meeting_update
    from meetings.services.series import series_create, series_materialise

    organisation = Organisation.objects.create(
        name="Maison médicale du Peterbos", kind=OrganisationKind.OTHER
    )
    coordinator = User.objects.create_user(email="coordination@bench.test", password="x" * 20)
    network = Network.objects.create(name="Réseau du banc d'essai")
    network.organisations.add(organisation)
    network.coordinators.add(coordinator)
    member = User.objects.create_user(
        email="medecin@bench.test", password="x" * 20, first_name="Anne", last_name="Médecin"
    )
    Professional.objects.create(user=member, profession=Profession.GP, fte=1).organisations.add(organisation)
    group_kinds = [k for k, p in POLICIES.items() if p.runs_as_group]
    open_kinds = [k for k, p in POLICIES.items() if p.membership == Membership.OPEN_TO_NETWORK]
    first_day = timezone.localdate() - timedelta(days=60)
    for i in range(SERIES):
        group = None
        if i % 2:
            kind = group_kinds[i % len(group_kinds)]
            group = group_create(
                network=network,
                kind=kind,
                name=f"Groupe {i}",
                facilitators=[coordinator],
                members=[member],
                charter="Ce qui se dit ici reste ici.",
                by=coordinator,
            )
            charter_accept(group=group, user=member)
        else:
            kind = open_kinds[0]
        series = series_create(
            network=network,
            kind=kind,
            group=group,
            title=f"Série {i}",
            purpose="Faire le point ensemble." if group is None else "",
            dtstart=local_start(first_day + timedelta(days=i), clock(12, 30)),
            duration=timedelta(minutes=90),
            rrule=f"FREQ=MONTHLY;COUNT={SESSIONS}",
            organiser=coordinator,
            place=f"Rue du Chapelain {i}, 1070 Anderlecht",
        )
        # Sessions exist up to a rolling horizon (400 days); here the whole two years do.
        series_materialise(series=series, until=series.dtstart + timedelta(days=SESSIONS * 62))
        inv.invite_to_series(
            series=series, invitees=[inv.invitee_for(member)], now=series.dtstart - timedelta(days=1)
        )
        sessions = list(series.occurrences.order_by("start"))
        moved = sessions[5]
        meeting_update(
            meeting=moved,
            changes={"start": moved.start + timedelta(days=1), "end": moved.end + timedelta(days=1)},
        )
        meeting_cancel(meeting=sessions[8])
        if i % 5 == 0:
            inv.answer(target=sessions[10].invitations.get(user=member), partstat=PartStat.DECLINED)
    _subscription, token = subscription_create(user=member, label="Banc d'essai")
    return token, member


def builder_only(member):
    from meetings.calendar import feeds

    def measure():
        start = time.perf_counter()
        since = feeds.window_start()
        feeds.calendar(
            feeds.select_personal(member.pk, since), name=feeds.personal_name(), since=since
        ).to_ical()
        return time.perf_counter() - start

    return measure


PROPERTIES = [
    "UID",
    "DTSTAMP",
    "SEQUENCE",
    "URL",
    "RECURRENCE-ID",
    "SUMMARY",
    "DTSTART",
    "DTEND",
    "RRULE",
    "LOCATION",
    "DESCRIPTION",
    "STATUS",
    "EXDATE",
]


def plain_events(events) -> list[list[tuple[str, object]]]:
    """The feed's VEVENTs as plain Python values (datetimes, strings, ints, rule dicts), as the
    builder passes them to icalendar."""
    result = []
    for event in events:
        values = []
        for name in PROPERTIES:
            if name not in event:
                continue
            value = event[name]
            if name == "EXDATE":
                for exdate in value if isinstance(value, list) else [value]:
                    values.extend((name, moment.dt) for moment in exdate.dts)
            elif name == "RRULE":
                values.append((name, dict(value)))
            elif name == "SEQUENCE":
                values.append((name, int(value)))
            elif hasattr(value, "dt"):
                values.append((name, value.dt))
            else:
                values.append((name, str(value)))
        result.append(values)
    return result


def floor_calendar(data):
    """The same calendar built by icalendar alone from in-memory values."""
    from datetime import timedelta

    from icalendar import Calendar, Event, vDuration

    from meetings.ical import brussels_timezone

    cal = Calendar()
    cal.add("prodid", "-//Concertation//Concertation 1.0//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", "Concertation — mes réunions")
    cal.add("x-wr-calname", "Concertation — mes réunions")
    cal.add("x-wr-timezone", "Europe/Brussels")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    cal.add_component(brussels_timezone())  # pure icalendar components, the same VTIMEZONE
    for values in data:
        event = Event()
        for name, value in values:
            event.add(name, value)
        cal.add_component(event)
    return cal


if __name__ == "__main__":
    try:
        main()
    finally:
        if TEMPORARY:
            shutil.rmtree(TEMPORARY, ignore_errors=True)
