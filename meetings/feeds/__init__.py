"""Calendar feeds: which events each feed holds, its version, and its calendar.

Three feeds:
- personal (by token): the meetings a person is invited to and has not declined, organises, or
  that are sessions of a group they actively belong to;
- group (by token, members only): a group's sessions;
- network (public, no token): a network's meetings of the kinds open to the whole network.

A request goes through these modules in this order:
- window: the past a feed keeps (90 days, moving once a day);
- candidates: which meetings each feed is drawn from, and who sees a closed group's details;
- versioning: the feed's version (its ETag), read with the token in one query, without building;
- selection and queries: what the feed holds, read in three queries (compiled once per process
  by prepared.Prepared);
- building: its VEVENTs and calendar, written by meetings/ical.py, the one builder of events;
- subscribing: the feeds' addresses and the groups one may subscribe to (the subscription page).
"""

from meetings.feeds.building import (
    REFRESH,
    calendar,
    from_window,
    group_name,
    network_calendar,
    network_name,
    personal_name,
    subscription_calendar,
    vevents,
)
from meetings.feeds.candidates import CLOSED_KINDS, OPEN_KINDS
from meetings.feeds.queries import DETAILED_KINDS, TAKING_PLACE, _plain, _with_length
from meetings.feeds.selection import Selection, SeriesPart, select_group, select_network, select_personal
from meetings.feeds.subscribing import feed_base_url, feed_url, subscribable_groups, webcal_url
from meetings.feeds.versioning import (
    FORMAT,
    network_version,
    network_with_numbers,
    number,
    subscription_for_token,
    subscription_language,
    subscription_version,
    version,
)
from meetings.feeds.window import PAST_DAYS, in_window, window_start

__all__ = [
    "CLOSED_KINDS",
    "DETAILED_KINDS",
    "FORMAT",
    "OPEN_KINDS",
    "PAST_DAYS",
    "REFRESH",
    "TAKING_PLACE",
    "Selection",
    "SeriesPart",
    "_plain",
    "_with_length",
    "calendar",
    "feed_base_url",
    "feed_url",
    "from_window",
    "group_name",
    "in_window",
    "network_calendar",
    "network_name",
    "network_version",
    "network_with_numbers",
    "number",
    "personal_name",
    "select_group",
    "select_network",
    "select_personal",
    "subscribable_groups",
    "subscription_calendar",
    "subscription_for_token",
    "subscription_language",
    "subscription_version",
    "version",
    "vevents",
    "webcal_url",
    "window_start",
]
