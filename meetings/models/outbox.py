"""The outbox: one row per e-mail, written in the same transaction as the change that causes it.

A worker claims a row with a conditional UPDATE (queued → sending) before sending it, so two
workers never send the same row; a periodic sweeper re-queues rows stuck in "sending" and rows
whose dispatch was lost (Redis down). Content is rendered when the row is sent, so several edits
made before it leaves go out as one up-to-date message.
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


class MessageKind(models.TextChoices):
    REQUEST = "request", _("invitation")
    UPDATE = "update", _("mise à jour")
    CANCEL = "cancel", _("annulation")
    REMINDER = "reminder", _("rappel")
    PREPARATION = "preparation", _("rappel de préparation")
    ACTION_REMINDER = "action_reminder", _("rappel d'action")
    ACTION_DIGEST = "action_digest", _("actions en retard")
    CLOSE_REMINDER = "close_reminder", _("réunion à clôturer")
    FEEDBACK = "feedback", _("demande d'avis")


class OutboxMessage(models.Model):
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    # Messages about one thing at one time (an action's reminder, a week's digest) carry a key:
    # the unique constraint is what makes them go out once, whatever runs twice.
    dedupe_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, default="fr")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    series = models.ForeignKey(
        "meetings.Series", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    invitation = models.ForeignKey(
        "meetings.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox"
    )
    series_invitation = models.ForeignKey(
        "meetings.SeriesInvitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "followup.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail (boîte d'envoi)")
        verbose_name_plural = _("boîte d'envoi")
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_email} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self.message_id:
            self.message_id = f"<{uuid.uuid4()}@concertation>"
        super().save(*args, **kwargs)
