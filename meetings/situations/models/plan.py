"""Concertations attached to the situation, their reports, and the plan they feed: goals and
actions, each action with one owner, a due date and a revision date."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Concertation(models.Model):
    """A meeting of kind clinical concertation held around this situation, under one of the
    concertation templates (meetings/situations/policies.py)."""

    situation = models.ForeignKey(
        "situations.Situation", on_delete=models.CASCADE, related_name="concertations"
    )
    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="situation_link"
    )
    template = models.CharField(_("cadre de la concertation"), max_length=32)
    # A member of the situation's network (planning picks one; a neutral facilitator may have
    # no clinical role).
    facilitator = models.ForeignKey(
        "situations.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("animation"),
    )
    # Why the person concerned is not invited (required when they are not).
    person_not_invited_reason = models.CharField(
        _("pourquoi la personne n'est pas invitée"), max_length=300, blank=True
    )
    # The warnings shown before sending, and accepted by who sent (kept for the file).
    accepted_warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concertation autour de la personne")
        verbose_name_plural = _("concertations")

    def __str__(self):
        return f"Concertation #{self.pk}"


class ConcertationReport(models.Model):
    concertation = models.OneToOneField(Concertation, on_delete=models.CASCADE, related_name="report")
    needs = models.TextField(_("besoins passés en revue"), blank=True)
    next_review = models.DateField(_("prochaine révision"), null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("compte rendu de concertation")
        verbose_name_plural = _("comptes rendus de concertation")

    def __str__(self):
        return f"Compte rendu #{self.pk}"


class ReportParticipant(models.Model):
    """Who took part, in which discipline; their confirmation is recorded in the application
    (no signature image)."""

    report = models.ForeignKey(ConcertationReport, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey("situations.Member", on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="one_row_per_participant")]

    def __str__(self):
        return f"Participant #{self.pk}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("en cours")
    REACHED = "reached", _("atteint")
    DROPPED = "dropped", _("abandonné")


class Goal(models.Model):
    situation = models.ForeignKey("situations.Situation", on_delete=models.CASCADE, related_name="goals")
    report = models.ForeignKey(
        ConcertationReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    text = models.CharField(_("objectif partagé"), max_length=300)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")

    def __str__(self):
        return f"Objectif #{self.pk}"


class ActionStatus(models.TextChoices):
    TODO = "todo", _("à faire")
    IN_PROGRESS = "in_progress", _("en cours")
    DONE = "done", _("faite")
    CANCELLED = "cancelled", _("annulée")


OPEN_ACTION_STATUSES = [ActionStatus.TODO, ActionStatus.IN_PROGRESS]


class PlanAction(models.Model):
    situation = models.ForeignKey("situations.Situation", on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    report = models.ForeignKey(
        ConcertationReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=300)
    # One owner: a member of the network (a professional, a relative or the person).
    owner = models.ForeignKey("situations.Member", on_delete=models.PROTECT, related_name="actions")
    due_date = models.DateField(_("pour le"))
    revision_date = models.DateField(_("à revoir le"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.TODO)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"Action #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES
