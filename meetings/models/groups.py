"""Standing groups: intervision, Balint and supervision groups with members and a charter."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.kinds import Kind, policy_for


class StandingGroup(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="groups", verbose_name=_("réseau")
    )
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    max_size = models.PositiveSmallIntegerField(
        _("nombre maximum de membres"), null=True, blank=True, help_text=_("Vide : pas de limite.")
    )
    charter = models.TextField(_("charte de confidentialité"), blank=True)
    charter_version = models.PositiveIntegerField(_("version de la charte"), default=1)
    attendance_minimum = models.PositiveSmallIntegerField(
        _("présence minimale (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Par exemple 70 pour une année de groupe Balint. Vide : pas de règle."),
    )
    cycle_start = models.DateField(
        _("début du cycle"), null=True, blank=True, help_text=_("Le cycle dure un an à partir de cette date.")
    )
    vignette_retention_days = models.PositiveSmallIntegerField(
        _("durée de lecture des vignettes (jours après la séance)"),
        default=7,
        validators=[MaxValueValidator(30)],
        help_text=_("De 0 à 30 jours ; ensuite le texte des vignettes est effacé."),
    )
    accreditation_reference = models.CharField(_("référence d'accréditation"), max_length=100, blank=True)
    accreditation_points = models.DecimalField(
        _("points d'accréditation par séance"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # GLEM and other accreditation groups: the member who hands in each session's attendance list
    # to INAMI within a month (FIELD.md). Chosen by the network's coordinator among the members.
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_groups",
        verbose_name=_("rapporteur·e"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="group_name_unique_in_network")
        ]

    def __str__(self):
        return self.name

    @property
    def policy(self):
        return policy_for(self.kind)

    @property
    def size_limit(self) -> int | None:
        """The stricter of the group's own limit and its kind's (a Balint group holds 12)."""
        limits = [n for n in (self.max_size, self.policy.max_group_size) if n]
        return min(limits) if limits else None


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("animateur·rice")
    SUBSTITUTE = "substitute", _("suppléant·e")
    MEMBER = "member", _("membre")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("demande en attente")
    ACTIVE = "active", _("membre")
    DECLINED = "declined", _("demande refusée")
    LEFT = "left", _("a quitté le groupe")


class GroupMembership(models.Model):
    group = models.ForeignKey(StandingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("statut"), max_length=16, choices=MembershipStatus.choices)
    message = models.TextField(_("message"), blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("membre d'un groupe")
        verbose_name_plural = _("membres des groupes")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person")]

    def __str__(self):
        return f"{self.user} — {self.group} ({self.get_role_display()})"


class CharterAcceptance(models.Model):
    """A member accepted a given version of a group's confidentiality charter."""

    group = models.ForeignKey(StandingGroup, on_delete=models.CASCADE, related_name="charter_acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acceptation de charte")
        verbose_name_plural = _("acceptations de charte")
        constraints = [
            models.UniqueConstraint(fields=["group", "user", "version"], name="one_acceptance_per_version")
        ]

    def __str__(self):
        return f"{self.user} — {self.group} (v{self.version})"
