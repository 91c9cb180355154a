"""A feed's version (its ETag), computed without building the calendar.

The version is a digest of what the feed is made of, read in the same query as the token: for
each table behind the feed, the number of its rows and the sum of a hash of each row's fields (the
meetings of the window with their groups and agenda items, the series the feed may show, the
person's invitations, series invitations, group memberships and charter acceptances), plus the
window's day, the language, the group's or network's name and FORMAT.

It is read from the rows' contents, not from their timestamps: a change made by any path (a
service, the admin, a bulk UPDATE that moves no `updated_at`, a script) is in the next request's
version, which is then never answered 304. Nothing is kept aside between requests, and the
database needs no trigger. A write elsewhere leaves the version as it was.

The hash of a row is the database's (`FeedHash`): PostgreSQL's hash_record_extended() (PostgreSQL 14
and later), and on SQLite a function registered on each connection (`register_feed_hash`).
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)

from accounts.models import Network
from meetings.calendar.feeds.candidates import (
    belongs_to_network,
    group_meetings,
    is_active_member,
    network_meetings,
    personal_meetings,
)
from meetings.calendar.feeds.prepared import Prepared
from meetings.calendar.feeds.queries import DETAILED_KINDS, MEETING_FIELDS, SERIES_FIELDS
from meetings.calendar.feeds.window import in_window
from meetings.calendar.models import FeedKind, FeedSubscription, PublicNetworkFeed, hash_token
from meetings.candidates import OPEN_KINDS
from meetings.models import (
    AgendaItem,
    CharterAcceptance,
    GroupMembership,
    Invitation,
    Meeting,
    Series,
    SeriesInvitation,
)
from meetings.rules import sees_group_details

# Raise when the same rows give a different calendar (a new property, a fix), so that every
# subscribed client takes the new version at its next refresh.
FORMAT = 4

# What a feed reads of a meeting with its group, and of a series: every field a calendar can show
# or that decides what it shows (queries.MEETING_FIELDS and SERIES_FIELDS, the group's name and
# charter), so that no change to one of them leaves the version as it was.
MEETING_DIGEST = ["pk", *MEETING_FIELDS, "group__name", "group__charter_version"]
SERIES_DIGEST = ["pk", *SERIES_FIELDS]
AGENDA_DIGEST = ["pk", "position", "title"]
ANSWER_DIGEST = ["pk", "partstat"]
MEMBERSHIP_DIGEST = ["pk", "group_id", "status", "role"]
ACCEPTANCE_DIGEST = ["pk", "group_id", "version"]


class _Joined(Func):
    """TEXTS as text one after the other, separated by '|', each NULL as '': format() on
    PostgreSQL, printf() on SQLite, which write the whole text at once (a chain of `||` copies it
    again at each part)."""

    output_field = TextField()

    def _format(self, compiler, connection, function: str):
        # "%%%%s": "%%s" once the template is filled, "%s" once the parameters are.
        pattern = "|".join(["%%%%s"] * len(self.source_expressions))
        return self.as_sql(compiler, connection, template=f"{function}('{pattern}', %(expressions)s)")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._format(compiler, connection, "format")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._format(compiler, connection, "printf")


def _joined(*texts) -> _Joined:
    return _Joined(*(F(text) if isinstance(text, str) else text for text in texts))


def feed_hash(text: str | None) -> int:
    """The hash of a row's text on SQLite: 40 bits, so that sums of millions of rows stay within
    SQLite's 64-bit integers."""
    digest = hashlib.blake2b((text or "").encode(), digest_size=5).digest()
    return int.from_bytes(digest, "big")


def register_feed_hash(sender, connection, **kwargs) -> None:
    """Give each new SQLite connection the feed_hash() function (connected to connection_created
    in CalendarConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("feed_hash", 1, feed_hash, deterministic=True)


class FeedHash(Func):
    """A number made from the values of FIELDS: equal values give equal numbers; different values,
    different numbers but for chance (one in 2^40 at least). PostgreSQL hashes the row of values
    itself (hash_record_extended(), PostgreSQL 14 and later); SQLite, the values written as one
    text."""

    output_field = IntegerField()

    def __init__(self, *fields: str):
        super().__init__(*(F(name) for name in fields))

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "hash_record_extended(ROW(%(expressions)s), 0)"
        return self.as_sql(compiler, connection, template=template)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = _Joined(*self.get_source_expressions()).as_sqlite(compiler, connection)
        return f"feed_hash({sql})", params


def _numbers(fields: list[str]) -> _Joined:
    """COUNT(*) and SUM(hash of each row's FIELDS), as text: it changes when a row comes, goes or
    has any of FIELDS changed."""
    return _joined(Func(F("pk"), function="COUNT"), Func(FeedHash(*fields), function="SUM"))


def _digest(queryset: QuerySet, fields: list[str]) -> Subquery:
    """(SELECT _numbers(…) FROM …): QUERYSET's rows in one text."""
    return Subquery(
        queryset.order_by().annotate(digest=_numbers(fields)).values("digest")[:1],
        output_field=TextField(),
    )


def _agenda(meeting) -> Case:
    """The agenda items of MEETING (an expression) where its kind shows them."""
    items = AgendaItem.objects.filter(meeting_id=meeting)
    return Case(
        When(kind__in=DETAILED_KINDS, then=_digest(items, AGENDA_DIGEST)),
        default=Value(""),
        output_field=TextField(),
    )


def _meetings_digest(meetings: QuerySet[Meeting], since) -> Subquery:
    """The meetings of the window with their groups, and the agenda items of those whose kind
    shows them."""
    shown = meetings.filter(in_window(since)).annotate(agenda=_agenda(OuterRef("pk")))
    return _digest(shown, [*MEETING_DIGEST, "agenda"])


def personal_digest(user, since) -> _Joined:
    """What a personal feed is made of, as one text. USER: an id, or an expression giving it. The
    series are those the feed may show whole (queries._personal_terms); the answers, all of the
    person's."""
    series = Series.objects.filter(
        Q(organiser_id=user)
        | Q(pk__in=SeriesInvitation.objects.filter(user_id=user).values("series_id"))
        | Q(group_id__in=GroupMembership.objects.filter(user_id=user).values("group_id"))
    )
    return _joined(
        _meetings_digest(Meeting.objects.filter(personal_meetings(user)), since),
        _digest(series, SERIES_DIGEST),
        # All the person's answers, the window's and the others: leaving the others out meant
        # reading each one's meeting (a busy person's 774 for their 268 of the window), which cost
        # four times as much as hashing them all. An answer changed out of the window changes
        # the version for nothing; none changes it unseen.
        _digest(Invitation.objects.filter(user_id=user), ["meeting_id", *ANSWER_DIGEST]),
        _digest(SeriesInvitation.objects.filter(user_id=user), ["series_id", *ANSWER_DIGEST]),
        _digest(GroupMembership.objects.filter(user_id=user), MEMBERSHIP_DIGEST),
        _digest(CharterAcceptance.objects.filter(user_id=user), ACCEPTANCE_DIGEST),
    )


def group_digest(group, since) -> _Joined:
    """What a group feed is made of, as one text: its sessions and series (whether its subscriber
    sees their details is part of the version apart)."""
    return _joined(
        _meetings_digest(Meeting.objects.filter(group_meetings(group)), since),
        _digest(Series.objects.filter(group_id=group), SERIES_DIGEST),
    )


def network_digest(network, since) -> _Joined:
    """What a network feed (a member's or the public one) is made of, as one text: its meetings and
    series of the kinds open to the whole network."""
    series = Series.objects.filter(network_id=network, kind__in=OPEN_KINDS)
    return _joined(
        _meetings_digest(Meeting.objects.filter(network_meetings(network)), since),
        _digest(series, SERIES_DIGEST),
    )


def _subscription_query(*, token_hash: str, since: datetime) -> QuerySet[FeedSubscription]:
    """The active subscription of TOKEN_HASH, what is needed to serve it (its user's language, its
    group's name and kind, its network's name, whether a group or network feed's subscriber is
    still a member, whether a group's sees the details of its sessions) and what its feed is made
    of for the window starting at SINCE (`feed_digest`).

    The subqueries find the user and group by the token's hash again rather than by reference to
    the outer row, so that the database computes each once, not once per row scanned.
    """
    this = FeedSubscription.objects.filter(token_hash=token_hash).order_by()
    user = Subquery(this.values("user_id")[:1])
    group = Subquery(this.values("group_id")[:1])
    network = Subquery(this.values("network_id")[:1])
    return (
        FeedSubscription.objects.filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by()
        .annotate(
            user_language=F("user__language"),
            group_name=F("group__name"),
            group_kind=F("group__kind"),
            network_name=F("network__name"),
            feed_member=Case(
                When(kind=FeedKind.GROUP, then=is_active_member(user, group)),
                When(Q(kind=FeedKind.NETWORK) & belongs_to_network(user, network), then=Value(True)),
                When(kind=FeedKind.NETWORK, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            feed_details=Case(
                When(kind=FeedKind.GROUP, then=sees_group_details(user, group)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            feed_digest=Case(
                When(kind=FeedKind.PERSONAL, then=personal_digest(user, since)),
                When(kind=FeedKind.GROUP, then=group_digest(group, since)),
                When(kind=FeedKind.NETWORK, then=network_digest(network, since)),
                default=Value(None),
                output_field=TextField(),
            ),
        )
    )


SUBSCRIPTION_QUERY = Prepared(_subscription_query)


def subscription_for_token(token: str, since: datetime) -> FeedSubscription | None:
    """The active subscription whose token is TOKEN, with what its feed for the window starting at
    SINCE is made of, in one query. None for unknown and revoked tokens alike, for a deactivated
    account, for a group feed whose subscriber is no longer an active member of the group, and for
    a network feed whose subscriber no longer belongs to the network."""
    found = SUBSCRIPTION_QUERY.objects(FeedSubscription, token_hash=hash_token(token), since=since)
    subscription = found[0] if found else None
    if subscription is None or not subscription.feed_member:
        return None
    return subscription


def _public_query(*, token_hash: str, since: datetime) -> QuerySet[Network]:
    """The network whose public feed has the address of TOKEN_HASH, with what that feed is made of
    (`feed_digest`); the subquery finds the network by the hash again, as for subscriptions."""
    network = Subquery(
        PublicNetworkFeed.objects.filter(token_hash=token_hash).order_by().values("network_id")[:1]
    )
    return (
        Network.objects.filter(public_feed__token_hash=token_hash)
        .order_by()
        .only("pk", "name")
        .annotate(feed_digest=network_digest(network, since))
    )


PUBLIC_QUERY = Prepared(_public_query)


def public_network_for_token(token: str, since: datetime) -> Network | None:
    """The network whose public feed's address carries TOKEN, with what that feed for the window
    starting at SINCE is made of, in one query. None for an unknown token, an address that was
    changed and a feed no longer published alike."""
    found = PUBLIC_QUERY.objects(Network, token_hash=hash_token(token), since=since)
    return found[0] if found else None


def version(obj, *, feed: str, since: datetime, language: str) -> str:
    """The feed's ETag value: a digest of what the feed is made of, computed without building it.
    FEED names the feed and holds what else its calendar depends on (a group's or network's
    name, whether the subscriber sees a group's details)."""
    text = "|".join([str(FORMAT), feed, since.date().isoformat(), language, str(obj.feed_digest)])
    return hashlib.sha256(text.encode()).hexdigest()


def subscription_language(subscription: FeedSubscription) -> str:
    return subscription.user_language or settings.LANGUAGE_CODE


def subscription_version(subscription: FeedSubscription, since: datetime) -> str:
    """SUBSCRIPTION as read by subscription_for_token: its feed's version."""
    if subscription.kind == FeedKind.GROUP:
        details = bool(subscription.feed_details)
        feed = f"group:{subscription.group_id}:{subscription.group_kind}:{subscription.group_name}:{details}"
    elif subscription.kind == FeedKind.NETWORK:
        feed = f"network:{subscription.network_id}:{subscription.network_name}"
    else:
        feed = f"personal:{subscription.user_id}"
    return version(subscription, feed=feed, since=since, language=subscription_language(subscription))


def public_version(network: Network, since: datetime) -> str:
    """NETWORK as read by public_network_for_token: its public feed's version (which shows less
    than its members' feed, hence its own name)."""
    feed = f"public:{network.pk}:{network.name}"
    return version(network, feed=feed, since=since, language=settings.LANGUAGE_CODE)
