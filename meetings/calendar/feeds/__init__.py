"""Calendar feeds: which events each feed holds, its version, and its calendar.

Three feeds:
- personal (by token): the meetings a person is invited to and has not declined, organises, or
  that are sessions of a group they actively belong to;
- group (by token, members only): a group's sessions;
- network (by token, members only): a network's meetings of the kinds open to the whole network;
- public (by the signed address a coordinator published, no account): the same meetings, with
  title, time and place only.

A request goes through these modules in this order:
- window: the past a feed keeps (90 days, moving once a day);
- candidates: which meetings each feed is drawn from;
- versioning: the feed's version (its ETag), a digest of the rows the feed is made of, read with
  the token in one query, without building;
- selection and queries: what the feed holds, read in two or three queries;
- prepared: those queries and the version's, built by the ORM once per process (building them
  takes the ORM longer than running them);
- building: its VEVENTs and calendar, made by meetings/ical.py, the one builder of events;
- bodies: the calendar kept in the shared cache under its version, for the next full request;
- subscribing: the feeds' addresses and the groups and networks one may subscribe to (the
  subscription page).
"""

from meetings.calendar.feeds.bodies import kept_body
from meetings.calendar.feeds.building import (
    REFRESH,
    calendar,
    personal_name,
    public_calendar,
    subscription_calendar,
)
from meetings.calendar.feeds.selection import select_personal
from meetings.calendar.feeds.subscribing import (
    feed_base_url,
    feed_url,
    public_feed_url,
    publishable_networks,
    subscribable_groups,
    subscribable_networks,
    webcal_url,
)
from meetings.calendar.feeds.versioning import (
    public_network_for_token,
    public_version,
    subscription_for_token,
    subscription_version,
)
from meetings.calendar.feeds.window import PAST_DAYS, window_start

__all__ = [
    "PAST_DAYS",
    "REFRESH",
    "calendar",
    "feed_base_url",
    "feed_url",
    "kept_body",
    "personal_name",
    "public_calendar",
    "public_feed_url",
    "public_network_for_token",
    "public_version",
    "publishable_networks",
    "select_personal",
    "subscribable_groups",
    "subscribable_networks",
    "subscription_calendar",
    "subscription_for_token",
    "subscription_version",
    "webcal_url",
    "window_start",
]
