"""The one iCalendar builder: every VEVENT, for calendar feeds and e-mail invitations alike.

Because feeds and invitations are made here, UID and SEQUENCE always agree between them. What an
event shows follows its kind's feed policy (DESIGN.md, privacy rule 1): closed groups show only
the kind and the group's name, clinical concertations only their kind; purpose and agenda appear
for open meetings only. Every event links back to its page, which requires a login.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vRecur,
    vText,
)

from meetings.kinds import FeedDetail, policy_for
from meetings.models import Meeting, MeetingStatus, Series
from meetings.recurrence import BRUSSELS

PRODID = "-//Concertation//Concertation 1.0//FR"
# Control characters other than tab and newline have no place in a calendar (RFC 5545 §3.3.11).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "").strip()


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    partstat: str
    role: str = "REQ-PARTICIPANT"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def summary(*, kind: str, title: str, group_name: str | None) -> str:
    detail = policy_for(kind).feed_detail
    label = str(policy_for(kind).label)
    if detail == FeedDetail.FULL:
        return clean(title)
    if detail == FeedDetail.KIND_AND_GROUP and group_name:
        return f"{label} — {clean(group_name)}"
    return label


def description(*, kind: str, purpose: str, agenda: Iterable[str], url: str) -> str:
    lines = []
    if policy_for(kind).feed_detail == FeedDetail.FULL:
        if purpose:
            lines.append(clean(purpose))
        items = [clean(item) for item in agenda if clean(item)]
        if items:
            lines.append(_("Ordre du jour :"))
            lines.extend(f"- {item}" for item in items)
    lines.append(_("Détails (connexion requise) : %(url)s") % {"url": url})
    return "\n".join(lines)


def _location(place: str, link: str) -> str:
    return clean(place) or clean(link)


def _base_event(*, uid: str, sequence: int, stamp: datetime, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("url", url)
    return event


def _add_people(event: Event, organizer: Attendee | None, attendees: Iterable[Attendee]) -> None:
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["CN"] = vText(organizer.name)
        event.add("organizer", address)
    for person in attendees:
        address = vCalAddress(f"mailto:{person.email}")
        if person.name:
            address.params["CN"] = vText(person.name)
        address.params["ROLE"] = vText(person.role)
        address.params["PARTSTAT"] = vText(person.partstat)
        address.params["RSVP"] = vText("TRUE")
        event.add("attendee", address, encode=0)


def meeting_url(meeting: Meeting) -> str:
    return absolute(reverse("meetings:meeting", args=[meeting.pk]))


def event_for_meeting(
    meeting: Meeting,
    *,
    agenda: Iterable[str] = (),
    organizer: Attendee | None = None,
    attendees: Iterable[Attendee] = (),
    stamp: datetime | None = None,
    as_override: bool = False,
) -> Event:
    """A single meeting, or one occurrence of a series that differs from its rule (an override)."""
    url = meeting_url(meeting)
    event = _base_event(uid=meeting.uid, sequence=meeting.sequence, stamp=stamp or timezone.now(), url=url)
    if as_override:
        event.add("recurrence-id", meeting.recurrence_id.astimezone(BRUSSELS))
    event.add("summary", summary(kind=meeting.kind, title=meeting.title, group_name=_group_name(meeting)))
    event.add("dtstart", meeting.start.astimezone(BRUSSELS))
    event.add("dtend", meeting.end.astimezone(BRUSSELS))
    location = _location(meeting.place, meeting.online_link)
    if location:
        event.add("location", location)
    event.add("description", description(kind=meeting.kind, purpose=meeting.purpose, agenda=agenda, url=url))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    _add_people(event, organizer, attendees)
    return event


def _group_name(obj) -> str | None:
    return obj.group.name if obj.group_id else None


def differs_from_rule(occurrence: Meeting, series: Series) -> bool:
    return (
        occurrence.start != occurrence.recurrence_id
        or occurrence.end - occurrence.start != series.duration
        or occurrence.place != series.place
        or occurrence.online_link != series.online_link
        or occurrence.title != series.title
        or occurrence.sequence != series.sequence
    )


def series_url(series: Series, first: Meeting | None) -> str:
    if series.group_id:
        return absolute(reverse("meetings:group", args=[series.group_id]))
    return meeting_url(first) if first else settings.SITE_URL


def events_for_series(
    series: Series,
    occurrences: Iterable[Meeting],
    *,
    organizer: Attendee | None = None,
    attendees: Iterable[Attendee] = (),
    stamp: datetime | None = None,
) -> list[Event]:
    """The series as one VEVENT with its RRULE and EXDATEs, plus one VEVENT per moved or changed
    occurrence (with RECURRENCE-ID)."""
    occurrences = list(occurrences)
    stamp = stamp or timezone.now()
    url = series_url(series, occurrences[0] if occurrences else None)
    master = _base_event(uid=series.uid, sequence=series.sequence, stamp=stamp, url=url)
    master.add("summary", summary(kind=series.kind, title=series.title, group_name=_group_name(series)))
    start = series.dtstart.astimezone(BRUSSELS)
    master.add("dtstart", start)
    master.add("dtend", start + series.duration)
    master.add("rrule", vRecur.from_ical(series.rrule))
    location = _location(series.place, series.online_link)
    if location:
        master.add("location", location)
    master.add("description", description(kind=series.kind, purpose=series.purpose, agenda=(), url=url))
    master.add("status", "CONFIRMED")
    cancelled = [
        o.recurrence_id.astimezone(BRUSSELS) for o in occurrences if o.status == MeetingStatus.CANCELLED
    ]
    for moment in cancelled:
        master.add("exdate", moment)
    _add_people(master, organizer, attendees)
    overrides = [
        event_for_meeting(o, organizer=organizer, attendees=attendees, stamp=stamp, as_override=True)
        for o in occurrences
        if o.status != MeetingStatus.CANCELLED and differs_from_rule(o, series)
    ]
    return [master, *overrides]


def calendar(events: Iterable[Event], *, method: str | None = None, name: str | None = None) -> Calendar:
    """A VCALENDAR with one VTIMEZONE for Europe/Brussels covering the events' span."""
    events = list(events)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", clean(name))
        cal.add("x-wr-timezone", "Europe/Brussels")
    if events:
        cal.add_component(brussels_timezone())
    for event in events:
        cal.add_component(event)
    return cal


def brussels_timezone() -> Timezone:
    """Europe/Brussels as yearly rules (EU summer time since 1996), so that it covers every
    occurrence of an open-ended series, not only the years a list of transitions would."""
    zone = Timezone()
    zone.add("tzid", "Europe/Brussels")
    zone.add("x-lic-location", "Europe/Brussels")
    for component, name, start, offsets, month in (
        (TimezoneDaylight(), "CEST", datetime(1970, 3, 29, 2), (1, 2), 3),
        (TimezoneStandard(), "CET", datetime(1970, 10, 25, 3), (2, 1), 10),
    ):
        component.add("tzname", name)
        component.add("dtstart", start)
        component.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        component.add("tzoffsetto", timedelta(hours=offsets[1]))
        component.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(component)
    return zone


def published_calendar(events: Iterable[Event], *, name: str, refresh: timedelta) -> Calendar:
    """A calendar to subscribe to (a feed): `calendar()` plus how often clients should refresh it,
    said both the standard way (REFRESH-INTERVAL, RFC 7986) and Outlook's (X-PUBLISHED-TTL)."""
    cal = calendar(events, name=name)
    cal.add("name", clean(name))
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    return cal


def attendee_lines(attendees: Iterable[Attendee]) -> str:
    """The ATTENDEE content lines for ATTENDEES, folded, as _add_people writes them."""
    event = Event()
    _add_people(event, None, attendees)
    lines = event.to_ical().decode().split("\r\n")
    return "".join(line + "\r\n" for line in lines[1:-2])  # drop BEGIN:VEVENT, END:VEVENT, ""


def with_attendees(ics: str, attendees: Iterable[Attendee]) -> str:
    """Serialised calendar ICS with the same ATTENDEE lines added to each of its events.

    E-mails of one batch share everything but their recipient: the calendar is serialised once
    and each message only adds its own attendee.
    """
    return ics.replace("END:VEVENT\r\n", attendee_lines(attendees) + "END:VEVENT\r\n")
