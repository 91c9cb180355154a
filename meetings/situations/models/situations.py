"""The situation itself, its status history and its référents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network


class SituationStatus(models.TextChoices):
    REQUESTED = "requested", _("demandée")
    ACTIVE = "active", _("active")
    HANDED_OVER = "handed_over", _("passée à un autre relais")
    CLOSED = "closed", _("clôturée")


# Which status may follow which (each change is dated and signed: StatusChange).
NEXT_STATUSES = {
    SituationStatus.REQUESTED: [SituationStatus.ACTIVE, SituationStatus.CLOSED],
    SituationStatus.ACTIVE: [SituationStatus.HANDED_OVER, SituationStatus.CLOSED],
    SituationStatus.HANDED_OVER: [SituationStatus.ACTIVE, SituationStatus.CLOSED],
    SituationStatus.CLOSED: [],
}


class Origin(models.TextChoices):
    """How the coordination started (seeds 003: anyone may ask)."""

    PERSON = "person", _("à la demande de la personne")
    RELATIVE = "relative", _("à la demande d'un proche")
    PROFESSIONAL = "professional", _("à la demande d'un·e professionnel·le")
    NOTICED = "noticed", _("repérée par un·e intervenant·e")


class Situation(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="situations")
    code = models.CharField(
        _("pseudonyme"),
        max_length=40,
        help_text=_(
            "Des initiales et un mois, par exemple « M.B. 2026-07 » : jamais un nom ni une date de naissance."
        ),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=SituationStatus.choices, default=SituationStatus.REQUESTED
    )
    origin = models.CharField(_("à l'origine"), max_length=16, choices=Origin.choices)
    # The professional who asked: hears back ("retour") when the status or the plan changes.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandée par"),
    )
    requester_description = models.CharField(
        _("qui a demandé"), max_length=200, blank=True, help_text=_("Sans nom de la personne accompagnée.")
    )
    trigger = models.TextField(_("ce qui a déclenché la demande"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    plan_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When retention emptied its notes and reports (dates and counts remain).
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="one_code_per_network"),
        ]

    def __str__(self):
        # Generic tools (the admin, its log, error reports) never show the pseudonym.
        return f"Situation #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == SituationStatus.CLOSED

    @property
    def audit_subject(self) -> str:
        return f"situation:{self.pk}"


class StatusChange(models.Model):
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=SituationStatus.choices)
    previous = models.CharField(max_length=12, choices=SituationStatus.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")

    def __str__(self):
        return f"{self.situation} → {self.status}"


class Referent(models.Model):
    """One term as référent of a situation: one or two at a time (a binôme); a handover ends a term
    and starts another, so the history stays."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="referents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    handover_note = models.TextField(_("note de passage de relais"), blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("référent·e")
        verbose_name_plural = _("référent·es")
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_term_per_referent",
            ),
        ]

    def __str__(self):
        return f"{self.situation} — {self.user_id}"
