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
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    F,
    Func,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.models import Network
from meetings.feeds.candidates import group_meetings, network_meetings, personal_meetings, sees_group_details
from meetings.feeds.prepared import Prepared
from meetings.models import (
    CharterAcceptance,
    FeedKind,
    FeedSubscription,
    GroupMembership,
    Invitation,
    Meeting,
    MembershipStatus,
    SeriesInvitation,
)
from meetings.models.feeds import hash_token

# Raise when the same rows give a different calendar (a new property, a fix), so that every
# subscribed client takes the new version at its next refresh.
FORMAT = 1


def _aggregates(queryset: QuerySet, *parts: tuple[str, str]) -> Subquery:
    """(SELECT F1(a) || '|' || F2(b) … FROM … WHERE …): several aggregates of QUERYSET, one scan."""
    pieces = []
    for function, name in parts:
        value = Func(F(name), function=function)
        text = Coalesce(
            Cast(value, TextField()), Value("", output_field=TextField()), output_field=TextField()
        )
        pieces += [text, Value("|", output_field=TextField())]
    text = Concat(*pieces[:-1], output_field=TextField())
    return Subquery(
        queryset.order_by().annotate(numbers=text).values("numbers")[:1], output_field=TextField()
    )


def _meeting_numbers(meetings: QuerySet) -> Subquery:
    return _aggregates(meetings, ("COUNT", "pk"), ("MAX", "updated_at"), ("SUM", "series__sequence"))


def _answer_numbers(answers: QuerySet) -> Subquery:
    return _aggregates(answers, ("COUNT", "pk"), ("MAX", "created_at"), ("MAX", "answered_at"))


# The numbers cover all of a feed's meetings, not only those in the window: the window's day is
# part of the version anyway, and without it the database follows the indexes straight.


def personal_numbers(user) -> dict:
    """What a personal feed is made of. USER: an id, or an expression giving it."""
    memberships = GroupMembership.objects.filter(user_id=user, status=MembershipStatus.ACTIVE)
    return {
        "meetings": _meeting_numbers(Meeting.objects.filter(personal_meetings(user))),
        "invitations": _answer_numbers(Invitation.objects.filter(user_id=user)),
        "series_invitations": _answer_numbers(SeriesInvitation.objects.filter(user_id=user)),
        "groups": _aggregates(
            memberships,
            ("COUNT", "pk"),
            ("SUM", "group_id"),
            ("MAX", "decided_at"),
            ("SUM", "group__charter_version"),
        ),
        "charters": _aggregates(
            CharterAcceptance.objects.filter(user_id=user), ("COUNT", "pk"), ("MAX", "accepted_at")
        ),
    }


def group_numbers(group, user) -> dict:
    """What a group feed is made of, and whether its subscriber may still have it."""
    return {
        "meetings": _meeting_numbers(Meeting.objects.filter(group_meetings(group))),
        "is_member": Exists(
            GroupMembership.objects.filter(user_id=user, group_id=group, status=MembershipStatus.ACTIVE)
        ),
        "details": sees_group_details(user, group),
    }


NUMBERS_PREFIX = "feed_numbers_"
NUMBERS = {
    "meetings": TextField(),
    "invitations": TextField(),
    "series_invitations": TextField(),
    "groups": TextField(),
    "charters": TextField(),
    "is_member": BooleanField(),
    "details": BooleanField(),
}


def number(obj, name: str):
    """One of the numbers of the version read with OBJ (None when its feed has no such number)."""
    return getattr(obj, NUMBERS_PREFIX + name, None)


def _subscription_query(*, token_hash: str) -> QuerySet[FeedSubscription]:
    """The active subscription of TOKEN_HASH, what is needed to serve it (its user's language, its
    group's name and kind) and the numbers its feed's version is made of.

    The numbers' subqueries find the user and group by the token's hash again rather than by
    reference to the outer row, so that the database computes each once, not once per row scanned.
    """
    this = FeedSubscription.objects.filter(token_hash=token_hash)
    user = Subquery(this.values("user_id")[:1])
    group = Subquery(this.values("group_id")[:1])
    by_kind = {
        FeedKind.PERSONAL: personal_numbers(user),
        FeedKind.GROUP: group_numbers(group, user),
    }
    numbers = {
        NUMBERS_PREFIX + name: Case(
            *(When(kind=kind, then=values[name]) for kind, values in by_kind.items() if name in values),
            default=Value(None),
            output_field=output,
        )
        for name, output in NUMBERS.items()
    }
    active = FeedSubscription.objects.filter(
        token_hash=token_hash, revoked_at__isnull=True, user__is_active=True
    )
    return active.annotate(
        user_language=F("user__language"), group_name=F("group__name"), group_kind=F("group__kind"), **numbers
    )


SUBSCRIPTION_QUERY = Prepared(_subscription_query)


def subscription_for_token(token: str) -> FeedSubscription | None:
    """The active subscription whose token is TOKEN, with the numbers of its feed's version, in one
    query. None for unknown and revoked tokens alike, for a deactivated account, and for a group
    feed whose subscriber is no longer an active member of the group."""
    found = list(SUBSCRIPTION_QUERY.objects(FeedSubscription, token_hash=hash_token(token)))
    subscription = found[0] if found else None
    if subscription is None or (
        subscription.kind == FeedKind.GROUP and not number(subscription, "is_member")
    ):
        return None
    return subscription


def network_with_numbers(network_id: int) -> Network | None:
    """The network with the numbers of its feed's version, in one query. Its meetings' latest
    change is read once, as `latest_change`: the feed's Last-Modified, and part of its version
    (network_version) rather than of its numbers."""
    meetings = Meeting.objects.filter(network_meetings(network_id))
    numbers = _aggregates(meetings, ("COUNT", "pk"), ("SUM", "series__sequence"))
    return (
        Network.objects.filter(pk=network_id)
        .annotate(
            **{NUMBERS_PREFIX + "meetings": numbers},
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
    numbers = [str(number(obj, name)) for name in NUMBERS]
    text = "|".join([str(FORMAT), feed, since.date().isoformat(), language, *numbers])
    return hashlib.sha256(text.encode()).hexdigest()


def subscription_language(subscription: FeedSubscription) -> str:
    return subscription.user_language or settings.LANGUAGE_CODE


def subscription_version(subscription: FeedSubscription, since: datetime) -> str:
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
