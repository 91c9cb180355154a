"""What the subscription page offers: the feeds' addresses, and the groups and networks one may
subscribe to."""

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Network
from accounts.rules import coordinated_network_ids, network_ids_of
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


def public_feed_url(token: str) -> str:
    """The address of a network's public feed, whose token `services.public_feeds` makes."""
    return feed_base_url() + reverse("calendar:network_feed", args=[token])


def webcal_url(url: str) -> str:
    """The same address for calendar applications to subscribe to (rather than download) it."""
    return "webcal://" + url.partition("://")[2]


def subscribable_groups(user) -> QuerySet[StandingGroup]:
    """The groups whose feed USER may subscribe to (rules.can_subscribe_to_group)."""
    return StandingGroup.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


def subscribable_networks(user) -> QuerySet[Network]:
    """The networks whose feed of open meetings USER may subscribe to (rules.can_subscribe_to_network)."""
    return Network.objects.filter(pk__in=network_ids_of(user)).order_by("name")


def publishable_networks(user) -> QuerySet[Network]:
    """The networks whose public feed USER may publish (rules.can_publish_network_feed), with it."""
    return (
        Network.objects.filter(pk__in=coordinated_network_ids(user))
        .select_related("public_feed")
        .order_by("name")
    )
