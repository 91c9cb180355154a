"""Meeting load: what a person spends in meetings is computed (accounting.py), never stored;
stored here are only what people tell the application — how long they travel to a place, their
organisation's meeting budget, the yearly review of each series — and the health flags a
coordinator dismissed."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, Organisation

# Bounds of what people enter (the issue's "bad input"): checked by the models' validators, so
# that forms, services and the admin refuse the same values with the same message.
MAX_BUDGET_HOURS = Decimal(160)
MAX_TRAVEL_MINUTES = 8 * 60
# Travel to an in-person meeting when the person has said nothing about its place; none online.
DEFAULT_TRAVEL_MINUTES = 30


class TravelEstimate(models.Model):
    """How long one person travels to one place (there and back), in minutes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="travel_estimates"
    )
    # The place as meetings write it, folded (accents, case, spaces) so that "Rue Haute 12" and
    # "rue haute 12 " are one place: see accounting.place_key.
    place_key = models.CharField(max_length=300)
    place = models.CharField(_("lieu"), max_length=300)
    minutes = models.PositiveSmallIntegerField(
        _("trajet (minutes, aller et retour)"), validators=[MaxValueValidator(MAX_TRAVEL_MINUTES)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("temps de trajet")
        verbose_name_plural = _("temps de trajet")
        constraints = [
            models.UniqueConstraint(fields=["user", "place_key"], name="one_travel_estimate_per_place")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.place} ({self.minutes} min)"


class OrganisationBudget(models.Model):
    """An organisation's own monthly meeting budget for a full-time member (default 8 hours);
    a member's own budget, when they set one, comes first."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="meeting_budget")
    hours_per_fte = models.DecimalField(
        _("heures de réunion par mois pour un temps plein"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_BUDGET_HOURS)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget de réunions d'une organisation")
        verbose_name_plural = _("budgets de réunions des organisations")

    def __str__(self):
        return f"{self.organisation} : {self.hours_per_fte} h"


class ReviewAnswer(models.TextChoices):
    KEEP = "keep", _("garder")
    SHORTEN = "shorten", _("raccourcir")
    MERGE = "merge", _("fusionner avec une autre série")
    STOP = "stop", _("arrêter")


class SeriesReview(models.Model):
    """The yearly question to a series' facilitators: keep, shorten, merge or stop it.

    One row per series and year: due twelve months after the series' first session (and every
    year after), answered within 30 days, or the series stops making new sessions."""

    series = models.ForeignKey("meetings.Series", on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(_("à revoir le"))
    answer_by = models.DateField(_("réponse attendue avant le"))
    asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    answer = models.CharField(_("décision"), max_length=10, choices=ReviewAnswer.choices, blank=True)
    reason = models.TextField(_("pourquoi"), blank=True)
    merge_with = models.ForeignKey(
        "meetings.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fusionner avec"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when nobody answered in time and the series stopped making sessions; the rule it had
    # is kept so that a late "keep" gives the series back its sessions.
    stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    rule_before_stop = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("revue annuelle d'une série")
        verbose_name_plural = _("revues annuelles des séries")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "due_on"], name="one_review_per_series_year")
        ]

    def __str__(self):
        return f"Revue #{self.pk} ({self.due_on})"


class FlagDismissal(models.Model):
    """A health flag a coordinator set aside, with why: it no longer shows for that subject."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    flag = models.CharField(max_length=40)
    # What the flag is about, as health.Flag.subject_key writes it ("series:12", "series:12+15",
    # "meeting:3", "series:12/user:5"): flags are computed, not stored, so this is their identity.
    subject_key = models.CharField(max_length=80)
    reason = models.CharField(_("raison"), max_length=300)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signal écarté")
        verbose_name_plural = _("signaux écartés")
        constraints = [
            models.UniqueConstraint(fields=["network", "flag", "subject_key"], name="one_dismissal_per_flag")
        ]

    def __str__(self):
        return f"{self.flag} {self.subject_key}"
