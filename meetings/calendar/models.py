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
    # What served_etag was computed from, "clock|day|language" (feeds.versioning): while the
    # clock of FeedChange, the day and the language are the same, served_etag is the version, and
    # a request need not add up the person's meetings again. Empty when it may not be reused.
    served_basis = models.CharField(max_length=80, blank=True, editable=False)

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


class FeedChange(models.Model):
    """One write to a table the feeds are made of, recorded by the database itself.

    Triggers (migration 0007) add a row for every statement (PostgreSQL) or row (SQLite) that
    inserts, updates or deletes meetings, invitations, series, groups, memberships or charter
    acceptances, whatever wrote it: a service, the admin, a bulk UPDATE. The latest id is a clock:
    while it stands still, no feed can have changed (feeds.versioning). AT is the database's own
    time, in seconds since the epoch, so that the clock's age is read with one clock.
    """

    at = models.FloatField()

    def __str__(self):
        return f"{self.pk} @ {self.at}"
