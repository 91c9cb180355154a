"""What the subscription page offers: the feeds' addresses, and the groups one may subscribe to."""

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from meetings.models import MembershipStatus, StandingGroup


def feed_base_url() -> str:
    """SITE_URL in https, which calendar applications expect; a loopback development address
    keeps its scheme, as the development server speaks plain http."""
    rest = settings.SITE_URL.partition("://")[2]
    host = rest.split("/")[0].rsplit(":", 1)[0].strip("[]")
    if host in {"localhost", "127.0.0.1", "::1"}:
        return settings.SITE_URL
    return f"https://{rest}"


def feed_url(token: str) -> str:
    return feed_base_url() + reverse("calendar:feed", args=[token])


def webcal_url(url: str) -> str:
    """The same address for calendar applications to subscribe to (rather than download) it."""
    return "webcal://" + url.partition("://")[2]


def subscribable_groups(user) -> QuerySet[StandingGroup]:
    """The groups whose feed USER may subscribe to (rules.can_subscribe_to_group)."""
    return StandingGroup.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")
