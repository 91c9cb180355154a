"""A feed's calendar, in its subscriber's language.

Every VEVENT comes from meetings/ical.py, the one builder of events, so UIDs and SEQUENCE are those
of the e-mail invitations and what an event shows follows its kind's feed policy (DESIGN.md,
privacy rule 1); feeds carry no ORGANIZER or ATTENDEE.
A series is one VEVENT with its RRULE; cancelled occurrences are EXDATEs and changed ones are
VEVENTs with a RECURRENCE-ID; a cancelled single meeting stays, with STATUS:CANCELLED. Place and
link are left out where they are details the reader may not see (selection.Selection.hide_location).
A network's public feed shows title, time and place only: never the video link (ical's PUBLIC).
"""

import copy
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import Network
from meetings import ical
from meetings.calendar.feeds.selection import Selection, select_group, select_network, select_personal
from meetings.calendar.feeds.versioning import subscription_language
from meetings.calendar.models import FeedKind, FeedSubscription
from meetings.models import Series
from meetings.recurrence import occurrences_between, parse

REFRESH = timedelta(hours=1)


def from_window(series: Series, since: datetime) -> Series | None:
    """SERIES restarted at its first occurrence from SINCE on: same UID, SEQUENCE and slots (so the
    same RECURRENCE-IDs), a COUNT lowered by the occurrences before. None when no occurrence is left.
    The copy is never saved."""
    if series.dtstart >= since:
        # A series cancelled from its first session ends before it starts (UNTIL before DTSTART):
        # nothing of it is left to show, so it leaves the feed, as clients expect of an event gone.
        if "UNTIL=" in series.rrule and parse(series.rrule, series.dtstart).after(since, inc=True) is None:
            return None
        return series
    first = parse(series.rrule, series.dtstart).after(since, inc=True)
    if first is None:
        return None
    parts = series.rrule.split(";")
    count = next((int(p.removeprefix("COUNT=")) for p in parts if p.startswith("COUNT=")), None)
    rebased = copy.copy(series)
    rebased.dtstart = first
    if count is not None:
        before = len(occurrences_between(series.rrule, series.dtstart, series.dtstart, first))
        rebased.rrule = ";".join(f"COUNT={count - before}" if p.startswith("COUNT=") else p for p in parts)
    return rebased


def events(selection: Selection, since: datetime, *, public: bool = False) -> list[Event]:
    """The VEVENTs of SELECTION, in a stable order. DTSTAMP is when each was last changed, so the
    same rows always give the same calendar. PUBLIC: for a network's public feed."""
    built: list[tuple[datetime, str, list[Event]]] = []
    # An occurrence shown without its series is an override: it keeps its RECURRENCE-ID.
    alone = [(m, False) for m in selection.singles] + [(m, True) for m in selection.lone_occurrences]
    for meeting, as_override in alone:
        event = ical.event_for_meeting(
            meeting,
            agenda=selection.agenda.get(meeting.pk, ()),
            stamp=meeting.updated_at,
            as_override=as_override,
            show_location=meeting.pk not in selection.hide_location,
            public=public,
        )
        built.append((meeting.start, meeting.uid, [event]))
    for part in selection.series.values():
        rebased = from_window(part.series, since)
        if rebased is None:
            continue
        series_events = ical.events_for_series(
            rebased,
            part.shown,
            first_pk=part.series.first_id,
            stamp=part.series.stamp,
            excluded=[occurrence.recurrence_id for occurrence in part.left_out],
            show_location=not part.hide_location,
            public=public,
        )
        built.append((rebased.dtstart, rebased.uid, series_events))
    built.sort(key=lambda entry: (entry[0], entry[1]))
    return [event for _start, _uid, group in built for event in group]


def calendar(selection: Selection, *, name: str, since: datetime, public: bool = False) -> Calendar:
    return ical.published_calendar(events(selection, since, public=public), name=name, refresh=REFRESH)


def subscription_calendar(subscription: FeedSubscription, *, since: datetime) -> bytes:
    """The serialised calendar of a subscription found by `subscription_for_token`, in its
    subscriber's language."""
    with translation.override(subscription_language(subscription)):
        if subscription.kind == FeedKind.GROUP:
            details = bool(subscription.feed_details)
            selection = select_group(subscription.group_id, since, details=details)
            name = group_name(kind=subscription.group_kind, name=subscription.group_name)
        elif subscription.kind == FeedKind.NETWORK:
            selection = select_network(subscription.network_id, since)
            name = network_name(subscription.network_name)
        else:
            selection = select_personal(subscription.user_id, since)
            name = personal_name()
        return calendar(selection, name=name, since=since).to_ical()


def public_calendar(network: Network, *, since: datetime) -> bytes:
    """The serialised public feed of NETWORK (as read by `public_network_for_token`), in the site's
    language: its open meetings' titles, times and places."""
    with translation.override(settings.LANGUAGE_CODE):
        selection = select_network(network.pk, since)
        return calendar(selection, name=network_name(network.name), since=since, public=True).to_ical()


def personal_name() -> str:
    return _("Concertation — mes réunions")


def group_name(*, kind: str, name: str) -> str:
    return ical.summary(kind=kind, title=name, group_name=name)


def network_name(name: str) -> str:
    return _("Concertation — réunions ouvertes de %(network)s") % {"network": name}
