"""A feed's version (its ETag), computed without building the calendar.

It is a digest of aggregates read in the same query as the token (counts and latest changes of
the meetings, invitations, series invitations, group memberships and charter acceptances behind
it) plus the window's day, the language, the group's or network's name and FORMAT. Every change a
feed can show touches one of those (meetings are saved with `updated_at`, answers set
`answered_at`, removals lower a count, series edits raise their SEQUENCE and re-create their
occurrences); what none covers (the name of one of a person's groups changed in the admin)
reaches clients the next day at the latest, as the window's day changes.

The version is read from the rows themselves, not kept aside: a change made by any path (a
service, the admin, a bulk UPDATE) is seen by the next request, and never answered 304.

Adding those numbers up is most of a 304's cost, so a subscription keeps the version it was last
served with and what it was computed from (`served_basis`: FORMAT, the clock of FeedChange, the
day, the language). The database's triggers move the clock at every write to those tables; while the basis
holds, the same query skips the numbers and the kept version is the feed's version. A clock is
kept only once it has settled (SETTLE_SECONDS after its last move): on PostgreSQL, a transaction
that wrote before the latest committed change but commits after it would not move the clock
again, and waiting lets any such transaction end before a version is trusted without its numbers.
This assumes no transaction stays open five minutes after writing to those tables (a shell left
inside a transaction, a long data migration): such a change would reach the feeds at the next
write or the next day. Transaction-ordered ticks (one locked row, or a commit-time trigger) would
remove the assumption at the cost of serialising writers.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import Network
from meetings.calendar.feeds.candidates import (
    active_memberships,
    group_meetings,
    is_active_member,
    network_meetings,
    personal_meetings,
)
from meetings.calendar.feeds.prepared import Prepared
from meetings.calendar.models import FeedChange, FeedKind, FeedSubscription, hash_token
from meetings.models import CharterAcceptance, Invitation, Meeting, SeriesInvitation
from meetings.rules import sees_group_details

# Raise when the same rows give a different calendar (a new property, a fix), so that every
# subscribed client takes the new version at its next refresh.
FORMAT = 2

# How long the clock must have stood still before a version computed at it is kept: far longer
# than any transaction of this application lasts.
SETTLE_SECONDS = 300


class EpochNow(Func):
    """The database's time in seconds since the epoch: the clock the triggers write FeedChange.at
    with."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "((julianday('now') - 2440587.5) * 86400.0)", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return "EXTRACT(EPOCH FROM CLOCK_TIMESTAMP())::double precision", []


def _clock() -> dict:
    """The clock (the latest FeedChange, 0 before any) and its age in seconds."""
    latest = FeedChange.objects.order_by("-pk")
    return {
        "feed_clock": Coalesce(Subquery(latest.values("pk")[:1]), Value(0)),
        "feed_clock_age": EpochNow() - Coalesce(Subquery(latest.values("at")[:1]), Value(0.0)),
    }


class _Text(Func):
    """EXPRESSION as text, NULL as ''. (The empty string written in the SQL, not passed as a
    parameter: the version's query has dozens of them.)"""

    template = "COALESCE(CAST(%(expressions)s AS text), '')"
    output_field = TextField()


class _Joined(Func):
    """TEXTS as text one after the other, separated by '|', each NULL as '': one flat `||` chain
    (nested CONCATs of this many parts overflow SQLite's parser)."""

    arg_joiner = " || '|' || "
    template = "(%(expressions)s)"
    output_field = TextField()


def _joined(*texts) -> _Joined:
    return _Joined(*(_Text(text) for text in texts))


def _aggregates(queryset: QuerySet, *parts: tuple[str, str]) -> Subquery:
    """(SELECT F1(a) || '|' || F2(b) … FROM … WHERE …): several aggregates of QUERYSET, one scan."""
    text = _joined(*(_Text(Func(F(name), function=function)) for function, name in parts))
    return Subquery(
        queryset.order_by().annotate(numbers=text).values("numbers")[:1], output_field=TextField()
    )


def _meeting_numbers(meetings: QuerySet) -> Subquery:
    return _aggregates(meetings, ("COUNT", "pk"), ("MAX", "updated_at"), ("SUM", "series__sequence"))


def _answer_numbers(answers: QuerySet) -> Subquery:
    return _aggregates(answers, ("COUNT", "pk"), ("MAX", "created_at"), ("MAX", "answered_at"))


# The numbers cover all of a feed's meetings, not only those in the window: the window's day is
# part of the version anyway, and without it the database follows the indexes straight.


def personal_numbers(user) -> _Joined:
    """What a personal feed is made of, as one text. USER: an id, or an expression giving it."""
    return _joined(
        _meeting_numbers(Meeting.objects.filter(personal_meetings(user))),
        _answer_numbers(Invitation.objects.filter(user_id=user)),
        _answer_numbers(SeriesInvitation.objects.filter(user_id=user)),
        _aggregates(
            active_memberships(user),
            ("COUNT", "pk"),
            ("SUM", "group_id"),
            ("MAX", "decided_at"),
            ("SUM", "group__charter_version"),
        ),
        _aggregates(CharterAcceptance.objects.filter(user_id=user), ("COUNT", "pk"), ("MAX", "accepted_at")),
    )


def group_numbers(group, user) -> _Joined:
    """What a group feed is made of, as one text: its sessions, and whether USER sees their
    details."""
    return _joined(
        _meeting_numbers(Meeting.objects.filter(group_meetings(group))),
        _Text(sees_group_details(user, group)),
    )


def _subscription_query(*, token_hash: str, day: str) -> QuerySet[FeedSubscription]:
    """The active subscription of TOKEN_HASH, what is needed to serve it (its user's language, its
    group's name and kind, whether a group feed's subscriber is still a member and sees the
    details of its sessions), the basis of its
    version for DAY, and, unless its kept version still holds (`feed_fresh`), the numbers its
    feed's version is made of (`feed_numbers`).

    The subqueries find the user and group by the token's hash again rather than by reference to
    the outer row, so that the database computes each once, not once per row scanned; and the
    numbers only when the CASE needs them, so that a fresh subscription costs a few index lookups.
    """
    this = FeedSubscription.objects.filter(token_hash=token_hash).order_by()
    user = Subquery(this.values("user_id")[:1])
    group = Subquery(this.values("group_id")[:1])
    active = (
        FeedSubscription.objects.filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by()
        .annotate(
            user_language=F("user__language"),
            group_name=F("group__name"),
            group_kind=F("group__kind"),
            feed_member=Case(
                When(kind=FeedKind.GROUP, then=is_active_member(user, group)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            feed_details=Case(
                When(kind=FeedKind.GROUP, then=sees_group_details(user, group)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            **_clock(),
        )
    )
    with_basis = active.annotate(
        feed_basis=_joined(Value(str(FORMAT)), "feed_clock", Value(day), "user_language")
    )
    fresh = Q(served_basis=F("feed_basis")) & ~Q(served_etag="")
    return with_basis.annotate(
        feed_fresh=Case(When(fresh, then=Value(True)), default=Value(False), output_field=BooleanField()),
        feed_numbers=Case(
            When(fresh, then=Value(None)),
            When(kind=FeedKind.PERSONAL, then=personal_numbers(user)),
            When(kind=FeedKind.GROUP, then=group_numbers(group, user)),
            default=Value(None),
            output_field=TextField(),
        ),
    )


SUBSCRIPTION_QUERY = Prepared(_subscription_query)


def subscription_for_token(token: str, since: datetime) -> FeedSubscription | None:
    """The active subscription whose token is TOKEN, with what its feed's version for the window
    starting at SINCE is made of, in one query. None for unknown and revoked tokens alike, for a
    deactivated account, and for a group feed whose subscriber is no longer an active member of
    the group."""
    found = list(
        SUBSCRIPTION_QUERY.objects(
            FeedSubscription, token_hash=hash_token(token), day=since.date().isoformat()
        )
    )
    subscription = found[0] if found else None
    if subscription is None or not subscription.feed_member:
        return None
    return subscription


def network_with_numbers(network_id: int) -> Network | None:
    """The network with the numbers of its feed's version, in one query. Its meetings' latest
    change is read once, as `latest_change`: the feed's Last-Modified, and part of its version
    (network_version) rather than of its numbers."""
    meetings = Meeting.objects.filter(network_meetings(network_id))
    return (
        Network.objects.filter(pk=network_id)
        .annotate(
            feed_numbers=_aggregates(meetings, ("COUNT", "pk"), ("SUM", "series__sequence")),
            latest_change=Subquery(
                meetings.order_by()
                .annotate(latest=Func(F("updated_at"), function="MAX", output_field=DateTimeField()))
                .values("latest")[:1],
                output_field=DateTimeField(),
            ),
        )
        .first()
    )


def version(obj, *, feed: str, since: datetime, language: str) -> str:
    """The feed's ETag value: a digest of what the feed is made of, computed without building it.
    FEED names the feed and holds what else its calendar depends on (a group's or network's name,
    a network's latest change)."""
    text = "|".join([str(FORMAT), feed, since.date().isoformat(), language, str(obj.feed_numbers)])
    return hashlib.sha256(text.encode()).hexdigest()


def subscription_language(subscription: FeedSubscription) -> str:
    return subscription.user_language or settings.LANGUAGE_CODE


def subscription_version(subscription: FeedSubscription, since: datetime) -> str:
    """SUBSCRIPTION as read by subscription_for_token: the version it keeps while that holds."""
    if subscription.feed_fresh:
        return subscription.served_etag
    if subscription.kind == FeedKind.GROUP:
        feed = f"group:{subscription.group_id}:{subscription.group_name}"
    else:
        feed = f"personal:{subscription.user_id}"
    return version(subscription, feed=feed, since=since, language=subscription_language(subscription))


def network_version(network: Network, since: datetime) -> str:
    """NETWORK as read by network_with_numbers."""
    latest = network.latest_change.isoformat() if network.latest_change else ""
    feed = f"network:{network.pk}:{network.name}:{latest}"
    return version(network, feed=feed, since=since, language=settings.LANGUAGE_CODE)


def basis_to_keep(subscription: FeedSubscription) -> str:
    """What the version just computed for SUBSCRIPTION may be kept with: its basis once the clock
    has settled, else nothing (the next request adds the numbers up again)."""
    if subscription.feed_fresh or subscription.feed_clock_age >= SETTLE_SECONDS:
        return subscription.feed_basis
    return ""
