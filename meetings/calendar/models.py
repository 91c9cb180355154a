"""Calendar feed subscriptions: one secret token per device that subscribes to a feed; and the
public feeds coordinators choose to publish for their networks.

A subscription's token is never stored, only its SHA-256 (DESIGN.md, privacy rule 5): it is shown
once, when the subscription is created. Revoking a subscription stops that device's feed and no
other. A public feed's address is signed: it is made from a random key and the site's secret key,
so that it can be shown again to the network's coordinators, while the database alone does not
give it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# 24 random bytes: 192 bits, written as 32 URL-safe characters.
TOKEN_BYTES = 24


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedKind(models.TextChoices):
    PERSONAL = "personal", _("mon agenda")
    GROUP = "group", _("un groupe")
    NETWORK = "network", _("un réseau")


class ClientFamily(models.TextChoices):
    GOOGLE = "google", _("Google Agenda")
    OUTLOOK = "outlook", "Outlook"
    APPLE = "apple", _("Calendrier Apple")
    THUNDERBIRD = "thunderbird", "Thunderbird"
    OTHER = "other", _("autre")


class FeedSubscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_subscriptions"
    )
    kind = models.CharField(_("agenda"), max_length=10, choices=FeedKind.choices, default=FeedKind.PERSONAL)
    group = models.ForeignKey(
        "meetings.StandingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_subscriptions",
        verbose_name=_("groupe"),
    )
    # A network feed: the meetings open to the whole network, with their places and links, for as
    # long as the subscriber belongs to it.
    network = models.ForeignKey(
        "accounts.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_subscriptions",
        verbose_name=_("réseau"),
    )
    label = models.CharField(_("nom de l'appareil"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("dernière mise à jour"), null=True, blank=True, editable=False)
    client_family = models.CharField(
        _("application"), max_length=12, choices=ClientFamily.choices, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The feed's version when it was last served, and since when it has had that version: the
    # Last-Modified of the feed, which removals (an invitation withdrawn) would not move otherwise.
    served_etag = models.CharField(max_length=64, blank=True, editable=False)
    served_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("abonnement à un agenda")
        verbose_name_plural = _("abonnements aux agendas")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=FeedKind.GROUP, group__isnull=False, network__isnull=True)
                | models.Q(kind=FeedKind.NETWORK, group__isnull=True, network__isnull=False)
                | models.Q(kind=FeedKind.PERSONAL, group__isnull=True, network__isnull=True),
                name="feed_target_matches_kind",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.label}"


PUBLIC_FEED_SALT = "meetings.calendar.public-network-feed"


def public_token(key: str, secret: str | None = None) -> str:
    """The token of a public feed's address, signed from its KEY with SECRET (the site's secret
    key by default): 192 bits, as 48 hexadecimal digits."""
    return salted_hmac(PUBLIC_FEED_SALT, key, secret=secret, algorithm="sha256").hexdigest()[:48]


class PublicNetworkFeed(models.Model):
    """A network's public feed of its open meetings, published by one of its coordinators. Without
    this row (the default), the network has no public feed.

    KEY is random and the address is signed from it (`public_token`): changing the address draws
    a new key, and the old address then answers 404 like any unknown one. TOKEN_HASH finds the feed
    from its address."""

    network = models.OneToOneField(
        "accounts.Network", on_delete=models.CASCADE, related_name="public_feed", verbose_name=_("réseau")
    )
    key = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publié par"),
    )
    published_at = models.DateTimeField(_("publié le"))
    address_changed_at = models.DateTimeField(_("adresse changée le"))

    class Meta:
        verbose_name = _("agenda public d'un réseau")
        verbose_name_plural = _("agendas publics des réseaux")

    def __str__(self):
        return str(self.network)
