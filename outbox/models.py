"""One row per e-mail, written in the same transaction as the change that causes it.

The row knows nothing of the domains: a kind (registered by the app that renders it), a
recipient, a language, references as primitive ids (e.g. {"meeting": 12, "invitation": 40}),
a dedupe key and its delivery state. Most kinds are rendered when the row leaves, so several
edits made before it goes out as one up-to-date message; kinds rendered by a library at queue
time (django-allauth's) keep their subject and bodies in the row until it is final.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    SENDING = "sending", _("en cours d'envoi")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    SUPERSEDED = "superseded", _("remplacé avant l'envoi")


def new_message_id() -> str:
    """The Message-ID header of one e-mail: stable across retries, unique per row."""
    return f"<{uuid.uuid4()}@concertation>"


class OutboxQuerySet(models.QuerySet):
    def about(self, **refs: int) -> "OutboxQuerySet":
        """Rows whose references include these, e.g. about(meeting=12, invitation=40)."""
        return self.filter(**{f"refs__{key}": value for key, value in refs.items()})


class OutboxMessage(models.Model):
    # A kind registered with outbox.registry.register(); queue() refuses any other.
    kind = models.CharField(max_length=40)
    # Messages about one thing at one time (an action's reminder, a week's digest) carry a key:
    # the unique constraint is what makes them go out once, whatever runs twice.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, default="fr")
    # Primitive ids of what the message is about, named by the app that queued it.
    refs = models.JSONField(default=dict, blank=True)
    # Only for kinds rendered when queued; the bodies are emptied once the row is final, so that
    # rows kept for history keep no links (a password reset's, for one).
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, unique=True, editable=False, default=new_message_id)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail (boîte d'envoi)")
        verbose_name_plural = _("boîte d'envoi")
        indexes = [
            models.Index(fields=["status", "send_after"]),
            # What was sent to one address (supersede and dedupe look-ups start from it).
            models.Index(fields=["recipient_email"]),
        ]

    def __str__(self):
        return f"{self.kind_label} → {self.recipient_email} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        from outbox import registry

        return registry.label(self.kind)
