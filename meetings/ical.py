"""The one iCalendar builder: every VEVENT, for calendar feeds and e-mail invitations alike.

Because feeds and invitations are made here, UID and SEQUENCE agree between them; only someone
removed and then invited again gets e-mails a little above the event's own SEQUENCE (above the
CANCEL they had, see InviteeFields.sequence_offset), while the feeds show the event's. That is
harmless: every client keeps a subscribed feed as a calendar of its own (Google's "other
calendars", Outlook's internet calendars, Apple's and Thunderbird's subscriptions), reloaded from
the feed as it stands, never weighed by SEQUENCE against the invitation in the person's calendar.

What an event shows follows its kind's feed policy (DESIGN.md, privacy rule 1): closed groups show
only the kind and the group's name, clinical concertations only their kind; purpose and agenda
appear for open meetings only. Every event links back to its page, which requires a login. Where the
place may be shown, so may the video link: in LOCATION when there is no place, else as RFC 7986
CONFERENCE and a line of DESCRIPTION. Confidential kinds are CLASS:CONFIDENTIAL; a cancelled
meeting keeps its place in feeds with STATUS:CANCELLED and a SUMMARY that says so.

Each event's properties are decided once (`_meeting_properties`, `_series_properties`) and made
into icalendar Events, which icalendar serialises. E-mails add ORGANIZER and, for each recipient,
ATTENDEE (`with_attendees`); feeds carry neither.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDDDLists,
    vDDDTypes,
    vDuration,
    vInt,
    vRecur,
    vText,
    vUri,
)

from meetings.kinds import FeedDetail, policy_for
from meetings.models import OVERRIDE_FIELDS, Meeting, MeetingStatus, Series
from meetings.recurrence import BRUSSELS, describe

PRODID = "-//Concertation//Concertation 1.0//FR"
# Control characters other than tab and newline have no place in a calendar (RFC 5545 §3.3.11).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "").strip()


def one_line(text: str) -> str:
    """A calendar's name is one line: a newline typed into a group's name must not break it."""
    return " ".join(clean(text).split())


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    partstat: str
    role: str = "REQ-PARTICIPANT"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# Reversing a URL takes longer than writing the rest of an event: each URL name is reversed once
# per URLconf and script prefix, with a number that is then replaced by each object's.
_SLOT = 987_654_321
_PATHS: dict[tuple, tuple[str, str] | None] = {}


def _path(name: str, pk: int) -> str:
    """reverse(NAME, args=[PK]) for a URL whose one argument is an <int:…>."""
    key = (name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    if key not in _PATHS:
        parts = reverse(name, args=[_SLOT]).split(str(_SLOT))
        _PATHS[key] = (parts[0], parts[1]) if len(parts) == 2 else None
    parts = _PATHS[key]
    if parts is None:
        return reverse(name, args=[pk])
    return f"{parts[0]}{int(pk)}{parts[1]}"


def summary(*, kind: str, title: str, group_name: str | None) -> str:
    detail = policy_for(kind).feed_detail
    label = str(policy_for(kind).label)
    if detail == FeedDetail.FULL:
        return clean(title)
    if detail == FeedDetail.KIND_AND_GROUP and group_name:
        return f"{label} — {clean(group_name)}"
    return label


def public_summary(subject) -> str:
    """summary() of a meeting or a series: what may be shown of it outside the application
    (calendars, e-mails, certificates, logs)."""
    group_name = subject.group.name if subject.group_id else None
    return summary(kind=subject.kind, title=subject.title, group_name=group_name)


def heading(kind_label, summary_text: str) -> str:
    """ "Intervision — Groupe du jeudi" or "Réunion thématique de réseau — Logement": the kind once."""
    label = str(kind_label)
    return summary_text if summary_text.startswith(label) else f"{label} — {summary_text}"


def public_heading(subject) -> str:
    """The kind, then what may be shown of a meeting or series: the heading of e-mails."""
    return heading(subject.policy.label, public_summary(subject))


def description(
    *, kind: str, purpose: str, agenda: Iterable[str], url: str, video: str = "", rule: str = ""
) -> str:
    """The series' RULE in words, purpose and agenda (for the kinds whose feed shows them), the
    video link VIDEO (every client shows a description, not all of them CONFERENCE), and the
    meeting's page. The rule tells two series of one group apart where the kind's privacy rule
    gives both the same SUMMARY ("Intervision — Groupe du jeudi")."""
    lines = [rule] if rule else []
    if policy_for(kind).feed_detail == FeedDetail.FULL:
        if purpose:
            lines.append(clean(purpose))
        items = [clean(item) for item in agenda if clean(item)]
        if items:
            lines.append(_("Ordre du jour :"))
            lines.extend(f"- {item}" for item in items)
    if clean(video):
        lines.append(_("Visioconférence : %(link)s") % {"link": clean(video)})
    lines.append(_("Détails (connexion requise) : %(url)s") % {"url": url})
    return "\n".join(lines)


def _location(place: str, link: str) -> str:
    return clean(place) or clean(link)


def cancelled_summary(text: str) -> str:
    """The SUMMARY of a cancelled event: subscribed Google and Outlook calendars ignore STATUS, so
    the title says it, in the reader's language (the active one)."""
    return _("Annulé : %(summary)s") % {"summary": text}


def conference(link: str) -> vUri:
    """The video link as RFC 7986 CONFERENCE, beside LOCATION (which keeps the place)."""
    value = vUri(clean(link))
    value.params["VALUE"] = "URI"
    value.params["FEATURE"] = "VIDEO"
    value.params["LABEL"] = _("Rejoindre la visioconférence")
    return value


def _classification(subject) -> "Properties":
    """CLASS:CONFIDENTIAL for the kinds whose details are reserved to the people taking part, so
    that a shared or delegated calendar shows them as private."""
    return [("class", "CONFIDENTIAL")] if subject.policy.is_confidential else []


# An event as (property, value) pairs, in the order icalendar's Event.add() is given them.
Properties = list[tuple[str, Any]]


def _base_properties(*, uid: str, sequence: int, stamp: datetime, url: str | None) -> Properties:
    properties = [("uid", uid), ("dtstamp", stamp.astimezone(UTC)), ("sequence", sequence)]
    return properties if url is None else [*properties, ("url", url)]


def _location_and_description(
    subject, *, agenda: Iterable[str], url: str, show_location: bool, public: bool, rule: str = ""
):
    """The LOCATION, CONFERENCE and DESCRIPTION of SUBJECT (a meeting or series): LOCATION is the
    place (the link when there is none), the video link is CONFERENCE and a line of DESCRIPTION,
    so that a meeting with a place keeps its link. Without SHOW_LOCATION, neither. PUBLIC: a feed published
    outside the application shows the place only, never the video link, and no description (its
    purpose and agenda, which may carry a link too)."""
    if public:
        place = clean(subject.place)
        return [("location", place)] if place and show_location else []
    properties = []
    location = _location(subject.place, subject.online_link)
    video = clean(subject.online_link) if show_location else ""
    if location and show_location:
        properties.append(("location", location))
    if video:
        properties.append(("conference", video))
    properties.append(
        (
            "description",
            description(
                kind=subject.kind, purpose=subject.purpose, agenda=agenda, url=url, video=video, rule=rule
            ),
        )
    )
    return properties


# The icalendar type of each property, the one Event.add() would infer for its value: given
# here, the events are built without inferring it again for every property of every event.
_TYPES = {
    "UID": vText,
    "SUMMARY": vText,
    "LOCATION": vText,
    "DESCRIPTION": vText,
    "STATUS": vText,
    "CLASS": vText,
    "CONFERENCE": conference,
    "URL": vUri,
    "SEQUENCE": vInt,
    "DTSTAMP": vDDDTypes,
    "DTSTART": vDDDTypes,
    "DTEND": vDDDTypes,
    "RECURRENCE-ID": vDDDTypes,
    "RRULE": vRecur.from_ical,
    "EXDATE": lambda moment: vDDDLists([moment]),
}


def _event(properties: Properties) -> Event:
    event = Event()
    exdates = []
    for name, value in properties:
        name = name.upper()
        if name == "EXDATE":
            exdates.append(_TYPES[name](value))
        else:
            event[name] = _TYPES[name](value)
    if exdates:
        event["EXDATE"] = exdates if len(exdates) > 1 else exdates[0]
    return event


def _add_organizer(event: Event, organizer: Attendee | None) -> None:
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["CN"] = vText(organizer.name)
        event.add("organizer", address)


def _address(person: Attendee) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    address.params["ROLE"] = vText(person.role)
    address.params["PARTSTAT"] = vText(person.partstat)
    address.params["RSVP"] = vText("TRUE")
    return address


def meeting_url(meeting: Meeting) -> str:
    return _meeting_page(meeting.pk)


def _meeting_page(pk: int) -> str:
    return absolute(_path("meetings:meeting", pk))


def _meeting_properties(
    meeting: Meeting,
    *,
    agenda: Iterable[str],
    stamp: datetime | None,
    as_override: bool,
    show_location: bool,
    public: bool = False,
) -> Properties:
    url = meeting_url(meeting)
    properties = _base_properties(
        uid=meeting.uid, sequence=meeting.sequence, stamp=stamp or timezone.now(), url=None if public else url
    )
    if as_override:
        properties.append(("recurrence-id", meeting.recurrence_id.astimezone(BRUSSELS)))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    title = public_summary(meeting)
    properties += [
        ("summary", cancelled_summary(title) if cancelled else title),
        *_classification(meeting),
        ("dtstart", meeting.start.astimezone(BRUSSELS)),
        ("dtend", meeting.end.astimezone(BRUSSELS)),
    ]
    properties += _location_and_description(
        meeting, agenda=agenda, url=url, show_location=show_location, public=public
    )
    properties.append(("status", "CANCELLED" if cancelled else "CONFIRMED"))
    return properties


def event_for_meeting(
    meeting: Meeting,
    *,
    agenda: Iterable[str] = (),
    organizer: Attendee | None = None,
    as_override: bool = False,
    stamp: datetime | None = None,
    show_location: bool = True,
    public: bool = False,
) -> Event:
    """A single meeting, or one occurrence of a series that differs from its rule (an override).
    DTSTAMP is STAMP (by default now); without SHOW_LOCATION, no place or link (details the reader
    of a feed may not see); PUBLIC, for a feed published outside the application: title, time and
    place only, without video link, description or link to the meeting's page. Attendees are added
    per recipient (`with_attendees`)."""
    event = _event(
        _meeting_properties(
            meeting,
            agenda=agenda,
            stamp=stamp,
            as_override=as_override,
            show_location=show_location,
            public=public,
        )
    )
    _add_organizer(event, organizer)
    return event


def differs_from_rule(occurrence: Meeting, series: Series) -> bool:
    return (
        occurrence.start != occurrence.recurrence_id
        or occurrence.end - occurrence.start != series.duration
        or occurrence.sequence != series.sequence
        or any(getattr(occurrence, field) != getattr(series, field) for field in OVERRIDE_FIELDS)
    )


def series_url(series: Series, first: Meeting | None) -> str:
    """The page a series links to: its group's, or else that of FIRST, one of its occurrences."""
    return _series_page(series, first.pk if first else None)


def _series_page(series: Series, first_pk: int | None) -> str:
    if series.group_id:
        return absolute(_path("meetings:group", series.group_id))
    return _meeting_page(first_pk) if first_pk else settings.SITE_URL


def _series_properties(
    series: Series,
    occurrences: Iterable[Meeting],
    *,
    first_pk: int | None,
    stamp: datetime | None,
    excluded: Iterable[datetime],
    show_location: bool,
    public: bool = False,
) -> list[Properties]:
    """The master's properties, then each override's. A series without a group links to the page
    of its occurrence FIRST_PK, by default the first of OCCURRENCES."""
    occurrences = list(occurrences)
    stamp = stamp or timezone.now()
    if first_pk is None and occurrences:
        first_pk = occurrences[0].pk
    url = _series_page(series, first_pk)
    master = _base_properties(
        uid=series.uid, sequence=series.sequence, stamp=stamp, url=None if public else url
    )
    start = series.dtstart.astimezone(BRUSSELS)
    master += [
        ("summary", public_summary(series)),
        *_classification(series),
        ("dtstart", start),
        ("dtend", start + series.duration),
        ("rrule", series.rrule),
    ]
    master += _location_and_description(
        series,
        agenda=(),
        url=url,
        show_location=show_location,
        public=public,
        rule=describe(series.rrule, series.dtstart),
    )
    master.append(("status", "CONFIRMED"))
    cancelled = [o.recurrence_id for o in occurrences if o.status == MeetingStatus.CANCELLED]
    master += [("exdate", moment.astimezone(BRUSSELS)) for moment in [*cancelled, *excluded]]
    overrides = [
        _meeting_properties(
            o, agenda=(), stamp=stamp, as_override=True, show_location=show_location, public=public
        )
        for o in occurrences
        if o.status != MeetingStatus.CANCELLED and differs_from_rule(o, series)
    ]
    return [master, *overrides]


def events_for_series(
    series: Series,
    occurrences: Iterable[Meeting],
    *,
    organizer: Attendee | None = None,
    first_pk: int | None = None,
    stamp: datetime | None = None,
    excluded: Iterable[datetime] = (),
    show_location: bool = True,
    public: bool = False,
) -> list[Event]:
    """The series as one VEVENT with its RRULE and EXDATEs, plus one VEVENT per moved or changed
    occurrence (with RECURRENCE-ID). Cancelled occurrences are EXDATEs.

    OCCURRENCES need hold only those that are cancelled or differ from the rule; FIRST_PK is the
    occurrence whose page a series without a group links to (by default the first of
    OCCURRENCES); the slots in EXCLUDED are EXDATEs too (occurrences left out of a feed: drafts,
    declined). STAMP, SHOW_LOCATION and PUBLIC as for `event_for_meeting`. Attendees are added per
    recipient (`with_attendees`)."""
    events = [
        _event(properties)
        for properties in _series_properties(
            series,
            occurrences,
            first_pk=first_pk,
            stamp=stamp,
            excluded=excluded,
            show_location=show_location,
            public=public,
        )
    ]
    for event in events:
        _add_organizer(event, organizer)
    return events


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
        cal.add("x-wr-calname", one_line(name))
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
    cal.add("name", one_line(name))
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    return cal


def with_attendees(cal: Calendar, attendees: Iterable[Attendee], *, sequence_offset: int = 0) -> str:
    """CAL, a calendar made by `calendar()`, serialised with ATTENDEES on each of its events,
    their SEQUENCE raised by SEQUENCE_OFFSET (the recipient's, see InviteeFields.sequence_offset).

    E-mails of one batch share everything but their recipient: CAL is built once and left as it
    is; each message serialises a copy of it whose events name their own attendees."""
    addresses = [_address(person) for person in attendees]
    copy = Calendar(cal)
    for component in cal.subcomponents:
        if component.name == "VEVENT" and (addresses or sequence_offset):
            event = Event(component)
            event.subcomponents = component.subcomponents
            if addresses:
                event["ATTENDEE"] = list(addresses)
            if sequence_offset:
                event["SEQUENCE"] = vInt(int(component["SEQUENCE"]) + sequence_offset)
            component = event
        copy.add_component(component)
    return copy.to_ical().decode()
