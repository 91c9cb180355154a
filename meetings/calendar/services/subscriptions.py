"""Calendar feed subscriptions: create one per device, revoke one, record each fetch.

A subscription's token is made here and returned once; only its SHA-256 is stored (DESIGN.md,
privacy rule 5). To see a feed's address again, one creates a new subscription.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings import ical
from meetings.calendar import rules
from meetings.calendar.models import ClientFamily, FeedKind, FeedSubscription, hash_token, new_token
from meetings.models import StandingGroup

MAX_ACTIVE_SUBSCRIPTIONS = 20
FETCH_RECORD_INTERVAL = timedelta(minutes=5)
LABEL_LENGTH = FeedSubscription._meta.get_field("label").max_length

# Markers in the User-Agent of each family's calendar fetcher, tried in this order (Thunderbird and
# Outlook before Apple and Google: their User-Agents may also name the operating system).
CLIENT_MARKERS = [
    (ClientFamily.THUNDERBIRD, ("thunderbird", "lightning")),
    (ClientFamily.OUTLOOK, ("outlook", "microsoft", "exchange/")),
    (ClientFamily.GOOGLE, ("google",)),
    (ClientFamily.APPLE, ("dataaccessd", "calendaragent", "ios/", "macos/", "iphone", "ipad", "mac os x")),
]


def default_label(now: datetime | None = None) -> str:
    """The name of a subscription created without one: when it was, which tells devices apart."""
    moment = timezone.localtime(now or timezone.now())
    return _("Ajouté le %(date)s") % {"date": formats.date_format(moment, "j F Y, H:i")}


def client_family(user_agent: str) -> str:
    agent = (user_agent or "").lower()
    for family, markers in CLIENT_MARKERS:
        if any(marker in agent for marker in markers):
            return family
    return ClientFamily.OTHER


@transaction.atomic
def subscription_create(
    *, user: User, label: str = "", group: StandingGroup | None = None, network: Network | None = None
) -> tuple[FeedSubscription, str]:
    """A new subscription for one device, to USER's own feed, to GROUP's or to NETWORK's open
    meetings, named LABEL (or after its creation time). Returns it with its token: the token is not
    stored and cannot be shown again."""
    label = ical.one_line(label)[:LABEL_LENGTH] or default_label()
    if group is not None and network is not None:
        raise ValueError("A subscription is to a group's feed or to a network's, not both.")
    if group is not None and not rules.can_subscribe_to_group(user, group):
        raise ValidationError(
            _("Seuls les membres d'un groupe peuvent s'abonner à son agenda."), code="group"
        )
    if network is not None and not rules.can_subscribe_to_network(user, network):
        raise ValidationError(
            _("Seuls les membres d'un réseau peuvent s'abonner à ses réunions ouvertes."), code="network"
        )
    # Lock the person's row so that two simultaneous requests cannot pass the limit together.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.feed_subscriptions.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_SUBSCRIPTIONS:
        raise ValidationError(
            _("Vous avez déjà %(max)s abonnements actifs : révoquez ceux que vous n'utilisez plus.")
            % {"max": MAX_ACTIVE_SUBSCRIPTIONS},
            code="too_many",
        )
    token = new_token()
    kind = (
        FeedKind.GROUP
        if group is not None
        else FeedKind.NETWORK
        if network is not None
        else FeedKind.PERSONAL
    )
    subscription = FeedSubscription(
        user=user,
        kind=kind,
        group=group,
        network=network,
        label=label,
        token_hash=hash_token(token),
    )
    subscription.full_clean()
    subscription.save()
    return subscription, token


def subscription_revoke(*, subscription: FeedSubscription, now: datetime | None = None) -> bool:
    """Stop this subscription's feed (its token then answers 404). Whether it was active."""
    revoked = FeedSubscription.objects.filter(pk=subscription.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    return revoked == 1


def purge_revoked(*, now: datetime | None = None) -> int:
    """Delete subscriptions revoked more than REVOKED_SUBSCRIPTION_RETENTION_DAYS ago: their list
    shows them for a while (which device stopped, when), then nothing of them is kept. Idempotent.
    """
    limit = (now or timezone.now()) - timedelta(days=settings.REVOKED_SUBSCRIPTION_RETENTION_DAYS)
    deleted, _rows = FeedSubscription.objects.filter(revoked_at__lt=limit).delete()
    return deleted


def served_since(subscription: FeedSubscription, etag: str, now: datetime) -> datetime:
    """Since when the feed has had version ETAG: its Last-Modified."""
    if subscription.served_etag == etag and subscription.served_since is not None:
        return subscription.served_since
    return now


def subscription_fetched(
    *, subscription: FeedSubscription, etag: str, user_agent: str, now: datetime
) -> bool:
    """Record a fetch (full or 304) of SUBSCRIPTION, as read by `feeds.subscription_for_token`,
    in one UPDATE: when, by which client, which version (ETAG) and since when it has been served
    (`served_since()`).

    Within FETCH_RECORD_INTERVAL of the last record, with the same client and version, nothing is
    written: the list shows the last fetch to five minutes, and applications polling every few
    minutes (or retrying in a loop) do not turn into a stream of writes. Whether anything was
    written."""
    family = client_family(user_agent)
    last = subscription.last_fetched_at
    if (
        last is not None
        and now - last < FETCH_RECORD_INTERVAL
        and (family, etag) == (subscription.client_family, subscription.served_etag)
    ):
        return False
    FeedSubscription.objects.filter(pk=subscription.pk).update(
        last_fetched_at=now,
        client_family=family,
        served_etag=etag,
        served_since=served_since(subscription, etag, now),
    )
    return True
