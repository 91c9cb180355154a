"""Who is around the person: professionals (from the directory or not) and relatives, friends
and other non-professionals, each for a period."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Profession


class MemberKind(models.TextChoices):
    PERSON = "person", _("la personne accompagnée")
    PROFESSIONAL = "professional", _("professionnel·le")
    RELATIVE = "relative", _("proche (famille)")
    FRIEND = "friend", _("ami·e, voisin·e")
    OTHER = "other", _("autre non-professionnel·le")


# Kinds that are not care providers: never bound by professional secrecy, see only what is
# marked for them.
NON_PROFESSIONAL_KINDS = {MemberKind.RELATIVE, MemberKind.FRIEND, MemberKind.OTHER}


class Member(models.Model):
    situation = models.ForeignKey("situations.Situation", on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("qui"), max_length=16, choices=MemberKind.choices)
    # From the directory, or known by a name and an address only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="situation_memberships",
        verbose_name=_("compte"),
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    profession = models.CharField(_("discipline"), max_length=32, choices=Profession.choices, blank=True)
    role = models.CharField(_("rôle ou mandat"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    organisation_name = models.CharField(_("service (hors répertoire)"), max_length=200, blank=True)
    relation = models.CharField(_("lien avec la personne"), max_length=200, blank=True)
    bound_by_secrecy = models.BooleanField(_("tenu·e au secret professionnel"), default=False)
    # Whether they accompany the person themselves (care, aid); a neutral facilitator does not.
    clinical_role = models.BooleanField(_("intervient auprès de la personne"), default=True)
    privileged_contact = models.BooleanField(_("contact privilégié"), default=False)
    since = models.DateField(_("depuis"), default=timezone.localdate)
    until = models.DateField(_("jusqu'au"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("membre du réseau")
        verbose_name_plural = _("réseau autour de la personne")
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_member_row_per_account",
            ),
            models.UniqueConstraint(
                fields=["situation"],
                condition=models.Q(kind="person"),
                name="one_person_per_situation",
            ),
        ]

    def __str__(self):
        return f"Membre #{self.pk}"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.name or self.email

    @property
    def service(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def is_professional(self) -> bool:
        return self.kind == MemberKind.PROFESSIONAL

    @property
    def is_person(self) -> bool:
        return self.kind == MemberKind.PERSON

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    def is_current(self, today: date) -> bool:
        return self.since <= today and (self.until is None or today <= self.until)
