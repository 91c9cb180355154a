"""The calendar's section of a person's data (accounts.personal_data): their subscriptions, by
label and dates — never a token, which is not stored, nor its hash. Erasure revokes them; the
retention task deletes revoked ones later (REVOKED_SUBSCRIPTION_RETENTION_DAYS)."""

from datetime import datetime

from accounts.models import User
from meetings.calendar.models import FeedSubscription


def export(user: User, *, confidential: bool) -> list:
    subscriptions = FeedSubscription.objects.filter(user=user).select_related("group").order_by("created_at")
    return [
        {
            "kind": s.kind,
            "group": {"id": s.group_id, "name": s.group.name} if s.group_id else None,
            "label": s.label,
            "created_at": s.created_at,
            "last_fetched_at": s.last_fetched_at,
            "client": s.client_family,
            "revoked_at": s.revoked_at,
        }
        for s in subscriptions
    ]


def erase(user: User, *, now: datetime) -> None:
    """Every feed of theirs stops; a device's name may name them, so it goes too."""
    FeedSubscription.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    FeedSubscription.objects.filter(user=user).exclude(label="").update(label="")
