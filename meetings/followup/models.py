"""What a meeting produced: its outcome, follow-up actions, and participants' feedback."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.Model):
    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="outcome")
    summary = models.TextField(_("synthèse"), blank=True)
    decisions = models.JSONField(_("décisions"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")

    def __str__(self):
        return str(self.meeting)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("à faire")
    DONE = "done", _("faite")
    DROPPED = "dropped", _("abandonnée")


class Action(models.Model):
    """A follow-up action decided at a meeting: one owner, one due date."""

    origin = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions", verbose_name=_("qui")
    )
    due_date = models.DateField(_("pour quand"))
    status = models.CharField(
        _("statut"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    drop_reason = models.CharField(_("raison de l'abandon"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self):
        return f"Action #{self.pk}"  # its description may name a situation


class Feedback(models.Model):
    """ "Was this meeting useful?". The respondent is kept only as a keyed hash: one answer per
    person, and nobody (organiser, admin, database reader) can tell who gave which score."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="feedback")
    respondent = models.CharField(max_length=64, editable=False)
    score = models.PositiveSmallIntegerField(
        _("utilité"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "respondent"], name="one_feedback_per_person"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="feedback_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.meeting} — {self.score}/5"
