"""Feed subscriptions of the scale data (`seed_scale`): many professionals follow their own
agenda from a phone or Outlook, some a group's, a few their network's open meetings; the busy
ones all follow their own. A few personal ones were revoked within the month (older revoked ones
the daily purge has forgotten). Each token is drawn fresh and only its hash is kept, as when a
person subscribes: nobody knows these feeds' addresses. Half the networks publish their open
meetings as a public feed (its address signed with the site's secret key of the day: a server
started with another key shows "change the address" to the coordinators, as after a key change).
"""

from datetime import timedelta

from django.conf import settings

from accounts.bulk import Context
from accounts.models import Network, Professional
from meetings.calendar.models import (
    ClientFamily,
    FeedKind,
    FeedSubscription,
    PublicNetworkFeed,
    hash_token,
    new_token,
    public_token,
)
from meetings.models import GroupMembership, MembershipStatus

REVOKED = 0.05  # of the personal subscriptions: revoked within the month
NETWORK_FEEDS = 0.05  # of the professionals: their network's open meetings
DEVICES = [
    ("Téléphone", ClientFamily.APPLE),
    ("Agenda Google", ClientFamily.GOOGLE),
    ("Outlook du bureau", ClientFamily.OUTLOOK),
]


def _subscription(ctx: Context, user_id: int, **target) -> None:
    label, family = ctx.rng.choice(DEVICES)
    fetched = ctx.rng.random() < 0.7
    if target["kind"] == FeedKind.PERSONAL and ctx.rng.random() < REVOKED:
        target["revoked_at"] = ctx.now - timedelta(
            days=ctx.rng.randint(0, settings.REVOKED_SUBSCRIPTION_RETENTION_DAYS - 1),
            hours=ctx.rng.randint(1, 20),
        )
    ctx.add(
        FeedSubscription,
        {
            "user_id": user_id,
            "label": label,
            "token_hash": hash_token(new_token()),
            "created_at": ctx.now - timedelta(days=ctx.rng.randint(30, 700)),
            "last_fetched_at": ctx.now - timedelta(minutes=ctx.rng.randint(5, 600)) if fetched else None,
            "client_family": family if fetched else "",
            **target,
        },
    )


def seed(ctx: Context) -> None:
    rng = ctx.rng
    busy = getattr(ctx, "busy", set())
    for user_id in Professional.objects.order_by("user_id").values_list("user_id", flat=True):
        if user_id in busy or rng.random() < 0.4:
            _subscription(ctx, user_id, kind=FeedKind.PERSONAL)
    memberships = GroupMembership.objects.filter(status=MembershipStatus.ACTIVE).order_by("pk")
    for user_id, group_id in memberships.values_list("user_id", "group_id").iterator(chunk_size=20_000):
        if rng.random() < 0.08:
            _subscription(ctx, user_id, kind=FeedKind.GROUP, group_id=group_id)
    home: dict[int, int] = {}
    for user_id, network_id in (
        Professional.objects.filter(organisations__networks__isnull=False)
        .order_by("user_id", "organisations__networks")
        .values_list("user_id", "organisations__networks")
    ):
        home.setdefault(user_id, network_id)
    for user_id, network_id in home.items():
        if rng.random() < NETWORK_FEEDS:
            _subscription(ctx, user_id, kind=FeedKind.NETWORK, network_id=network_id)
    networks = Network.objects.order_by("pk").values_list("pk", flat=True)
    coordinators = dict(
        Network.coordinators.through.objects.order_by("-pk").values_list("network_id", "user_id")
    )
    for index, network_id in enumerate(networks):
        if index % 2 == 0:
            published = ctx.now - timedelta(days=rng.randint(30, 600))
            key = new_token()
            ctx.add(
                PublicNetworkFeed,
                {
                    "network_id": network_id,
                    "key": key,
                    "token_hash": hash_token(public_token(key)),
                    "published_by_id": coordinators.get(network_id),
                    "published_at": published,
                    "address_changed_at": published,
                },
            )
