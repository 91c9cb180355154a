"""Feed subscriptions of the scale data (`seed_scale`): many professionals follow their own
agenda from a phone or Outlook, some a group's; the busy ones all do. Each token is drawn fresh
and only its hash is kept, as when a person subscribes: nobody knows these feeds' addresses."""

from datetime import timedelta

from accounts.bulk import Context
from accounts.models import Professional
from meetings.calendar.models import ClientFamily, FeedKind, FeedSubscription, hash_token, new_token
from meetings.models import GroupMembership, MembershipStatus

DEVICES = [
    ("Téléphone", ClientFamily.APPLE),
    ("Agenda Google", ClientFamily.GOOGLE),
    ("Outlook du bureau", ClientFamily.OUTLOOK),
]


def _subscription(ctx: Context, user_id: int, **target) -> None:
    label, family = ctx.rng.choice(DEVICES)
    fetched = ctx.rng.random() < 0.7
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
