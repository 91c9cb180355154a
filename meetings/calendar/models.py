"""Calendar feed subscriptions: one secret token per device that subscribes to a feed.

The token itself is never stored, only its SHA-256 (DESIGN.md, privacy rule 5): it is shown once,
when the subscription is created. Revoking a subscription stops that device's feed and no other.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
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


class ClientFamily(models.TextChoices):
    GOOGLE = "google", "Google Agenda"
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
                condition=(models.Q(kind=FeedKind.GROUP) & models.Q(group__isnull=False))
                | (models.Q(kind=FeedKind.PERSONAL) & models.Q(group__isnull=True)),
                name="feed_group_iff_group_kind",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.label}"
