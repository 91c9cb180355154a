"""Busy times from a person's own calendar: the secret ICS address Outlook, Google or Apple give.

The person pastes the address so that the slots they are already busy on show as conflicts. What
is kept is as little as that needs: only the start and end of busy moments, only on the poll's
days (cut at midnight in Brussels), never the address, a title, a place or who else attends.
They are forgotten when the poll closes (BusyInterval rows are deleted with it).

The address is fetched by the server, so it is checked first: only http(s) (webcal:// read as
https://), never a host of the server's own network (loopback, private or link-local addresses,
which would let a pasted address probe the inside; the tests' local server is let through by
settings.POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS), each redirect checked the same way, 5 seconds per
read, at most 2 MB. Every failure is one French sentence; the answers are never touched.
"""

import contextlib
import ipaddress
import socket
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

import recurring_ical_events
import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

from meetings.polls.models import BusyInterval, Poll, PollParticipant, PollSlot
from meetings.polls.services.polls import check_open
from meetings.polls.slots import dates_of
from meetings.recurrence import BRUSSELS

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 5
# The whole download, however slowly a server drips it.
TOTAL_SECONDS = 15
MAX_REDIRECTS = 3


def _not_an_address() -> ValidationError:
    return ValidationError(
        _(
            "Ce n'est pas une adresse d'agenda : collez l'adresse secrète au format iCal, qui "
            "commence par https:// ou webcal://."
        ),
        code="not_an_address",
    )


def _unreachable() -> ValidationError:
    return ValidationError(
        _(
            "Cette adresse d'agenda ne répond pas. Vérifiez-la dans votre agenda ; vos réponses "
            "au sondage ne changent pas."
        ),
        code="unreachable",
    )


def _too_large() -> ValidationError:
    return ValidationError(
        _("Cet agenda pèse plus de 2 Mo : il ne peut pas être lu. Vos réponses ne changent pas."),
        code="too_large",
    )


def _not_icalendar() -> ValidationError:
    return ValidationError(
        _(
            "Cette adresse ne donne pas un agenda au format iCalendar (.ics). Copiez l'adresse "
            "secrète au format iCal de votre agenda."
        ),
        code="not_icalendar",
    )


def _private_host() -> ValidationError:
    return ValidationError(
        _("Cette adresse ne mène pas à un agenda en ligne : elle ne peut pas être lue."),
        code="private_host",
    )


def normalise(address: str) -> str:
    """ADDRESS as the URL to fetch: webcal:// read as https://; anything else than http(s)
    with a host refused."""
    address = (address or "").strip()
    if address.lower().startswith("webcal://"):
        address = "https://" + address[len("webcal://") :]
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 -- a port that is not a number raises ValueError
    except ValueError:
        raise _not_an_address() from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username:
        raise _not_an_address()
    return urlunsplit(parts)


def _check_host(url: str) -> None:
    """Refuse a URL whose host is, or resolves to, an address of the server's own networks."""
    if getattr(settings, "POLLS_CALENDAR_ALLOW_PRIVATE_HOSTS", False):
        return
    parts = urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise _unreachable() from None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise _private_host()


def _session() -> requests.Session:
    """A client that ignores the environment's proxies and .netrc: the address is the person's,
    and nothing of the server's own configuration goes with it."""
    session = requests.Session()
    session.trust_env = False
    return session


def fetch(address: str) -> bytes:
    """The body at ADDRESS, at most MAX_BYTES, following at most MAX_REDIRECTS redirects, each
    to a host checked like the first."""
    url = normalise(address)
    for _hop in range(MAX_REDIRECTS + 1):
        _check_host(url)
        try:
            response = _session().get(
                url,
                timeout=TIMEOUT_SECONDS,
                stream=True,
                allow_redirects=False,
                headers={"Accept": "text/calendar, */*;q=0.5", "User-Agent": "Concertation"},
            )
        except requests.RequestException:
            raise _unreachable() from None
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                url = normalise(urljoin(url, location))
                continue
            if response.status_code != 200:
                raise _unreachable()
            return _read_body(response)
    raise _unreachable()


def _read_body(response) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise _too_large()
    started = clock.monotonic()
    body = bytearray()
    try:
        # As it arrives (chunk_size None): a server dripping a byte at a time is cut at
        # TOTAL_SECONDS, not after a whole chunk has trickled in.
        for chunk in response.iter_content(chunk_size=None):
            body += chunk
            if len(body) > MAX_BYTES:
                raise _too_large()
            if clock.monotonic() - started > TOTAL_SECONDS:
                raise _unreachable()
    except requests.RequestException:
        raise _unreachable() from None
    return bytes(body)


def parse(body: bytes) -> Calendar:
    try:
        calendar = Calendar.from_ical(body)
    except Exception:  # icalendar raises ValueError, and others on odd input
        raise _not_icalendar() from None
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise _not_icalendar()
    return calendar


def poll_days(slots) -> list[date]:
    """The days (in Brussels) the poll's slots fall on, a pattern's shown dates included."""
    days = set()
    for slot in slots:
        for start, end in dates_of(slot):
            day = start.astimezone(BRUSSELS).date()
            last = (end - timedelta(microseconds=1)).astimezone(BRUSSELS).date()
            while day <= last:
                days.add(day)
                day += timedelta(days=1)
    return sorted(days)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, time(0), tzinfo=BRUSSELS),
        datetime.combine(day + timedelta(days=1), time(0), tzinfo=BRUSSELS),
    )


def _moment(value) -> datetime:
    """An event's DTSTART or DTEND as an aware moment: a date is its midnight in Brussels, a
    floating time is Brussels time."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=BRUSSELS)
    if value.tzinfo is None:
        return value.replace(tzinfo=BRUSSELS)
    return value


def _is_busy(event) -> bool:
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    return transparency != "TRANSPARENT" and status != "CANCELLED"


def busy_intervals(calendar: Calendar, days: list[date]) -> list[tuple[datetime, datetime]]:
    """The busy moments of CALENDAR on DAYS, cut at each day's bounds, merged, in UTC."""
    if not days:
        return []
    # A calendar without X-WR-TIMEZONE, or one it cannot read that way, stays as it is.
    with contextlib.suppress(Exception):
        from x_wr_timezone import to_standard

        calendar = to_standard(calendar)
    window_start, _unused = _day_bounds(days[0])
    _unused, window_end = _day_bounds(days[-1])
    try:
        events = recurring_ical_events.of(calendar).between(window_start, window_end)
    except Exception:  # a broken rule or date: not a calendar we can read
        raise _not_icalendar() from None
    day_bounds = [_day_bounds(day) for day in days]
    found = []
    for event in events:
        if not _is_busy(event) or event.get("DTSTART") is None:
            continue
        raw_start = event["DTSTART"].dt
        start = _moment(raw_start)
        if event.get("DTEND") is not None:
            end = _moment(event["DTEND"].dt)
        elif event.get("DURATION") is not None:
            end = start + event["DURATION"].dt
        else:
            end = start + timedelta(days=1) if not isinstance(raw_start, datetime) else start
        if end <= start:
            continue
        for day_start, day_end in day_bounds:
            if start < day_end and day_start < end:
                found.append((max(start, day_start), min(end, day_end)))
    return _merged(found)


def _merged(intervals):
    merged = []
    for start, end in sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def import_calendar(*, participant: PollParticipant, address: str, now: datetime | None = None) -> int:
    """Read PARTICIPANT's busy times on the poll's days from their calendar at ADDRESS, replacing
    those read before. Returns how many busy moments were kept. The address is not kept."""
    now = now or timezone.now()
    check_open(participant.poll, now=now)
    calendar = parse(fetch(address))
    days = poll_days(PollSlot.objects.filter(poll_id=participant.poll_id))
    intervals = busy_intervals(calendar, days)
    with transaction.atomic():
        # The poll may have closed while its calendar was read (its busy times then forgotten):
        # checked again under the poll's lock, which closing takes too.
        check_open(
            Poll.objects.select_for_update(of=("self",)).get(pk=participant.poll_id), now=timezone.now()
        )
        BusyInterval.objects.filter(participant=participant).delete()
        BusyInterval.objects.bulk_create(
            BusyInterval(participant=participant, start=start, end=end) for start, end in intervals
        )
        participant.calendar_read_at = now
        participant.save(update_fields=["calendar_read_at"])
    return len(intervals)
