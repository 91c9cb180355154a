"""A network's public feed: published, given a new address, or withdrawn by a coordinator.

The address is signed from a random key (models.public_token), so that the coordinators can see it
again on their page while the database alone does not give it (DESIGN.md, privacy rule 5). A new
address draws a new key: the old one then answers 404, as an unknown one does.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Network, User
from meetings.calendar.models import PublicNetworkFeed, hash_token, new_token, public_token


def _new_address() -> dict:
    key = new_token()
    return {"key": key, "token_hash": hash_token(public_token(key))}


@transaction.atomic
def public_feed_publish(*, network: Network, by: User, now: datetime | None = None) -> PublicNetworkFeed:
    """Publish NETWORK's open meetings at a new public address. Publishing a feed that is
    published already changes nothing."""
    now = now or timezone.now()
    feed, _created = PublicNetworkFeed.objects.select_for_update().get_or_create(
        network=network,
        defaults={"published_by": by, "published_at": now, "address_changed_at": now, **_new_address()},
    )
    return feed


@transaction.atomic
def public_feed_change_address(*, network: Network, now: datetime | None = None) -> PublicNetworkFeed | None:
    """Give NETWORK's public feed a new address; the former one stops answering. None when the
    network publishes no feed."""
    feed = PublicNetworkFeed.objects.select_for_update().filter(network=network).first()
    if feed is None:
        return None
    for name, value in _new_address().items():
        setattr(feed, name, value)
    feed.address_changed_at = now or timezone.now()
    feed.save(update_fields=["key", "token_hash", "address_changed_at"])
    return feed


def public_feed_withdraw(*, network: Network) -> bool:
    """Stop publishing NETWORK's open meetings: the address answers 404, and publishing again gives
    a new one. Whether a feed was published."""
    deleted, _counts = PublicNetworkFeed.objects.filter(network=network).delete()
    return deleted > 0


def public_feed_token(feed: PublicNetworkFeed) -> str | None:
    """The token of FEED's address, signed with the site's secret key or, after that key was
    replaced, with a former one still in SECRET_KEY_FALLBACKS. None when none of them signs it:
    the address still answers (feeds are found by its hash), but cannot be shown; changing it
    gives one that can."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        token = public_token(feed.key, secret)
        if hash_token(token) == feed.token_hash:
            return token
    return None
