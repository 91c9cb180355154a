"""The person's agreement (or another legal basis) for sharing: its scope, its named
exclusions and its withdrawal. A new agreement replaces the previous one; none is deleted."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible(path="meetings.situations.models.consent.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Outside the web root (PRIVATE_MEDIA_ROOT, read when used, so that tests may move it):
    files are served only by the situation's gate, never by a URL of their own."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()


class LegalBasis(models.TextChoices):
    """FIELD.md, shared secrecy: consent is the default; article 458ter of the penal code allows a
    concertation on the basis of a law, decree or ordinance, or of the procureur du Roi's reasoned
    authorisation — a different basis, recorded as such with its reference."""

    CONSENT = "consent", _("l'accord de la personne")
    LEGAL_FRAMEWORK = "legal_framework", _("un cadre légal (loi, décret, ordonnance)")
    PROSECUTOR = "prosecutor", _("une autorisation motivée du procureur du Roi")


class ConsentForm(models.TextChoices):
    ORAL = "oral", _("orale")
    WRITTEN = "written", _("écrite")


def document_path(consent, filename: str) -> str:
    # Never the original name (it may hold the person's name): the row's ids and the extension.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consents/{consent.situation_id}/{consent.given_on:%Y%m%d}-{consent.situation_id}.{extension}"


class Consent(models.Model):
    situation = models.ForeignKey("situations.Situation", on_delete=models.CASCADE, related_name="consents")
    basis = models.CharField(
        _("base du partage"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    basis_reference = models.CharField(
        _("référence"),
        max_length=200,
        blank=True,
        help_text=_("Le texte légal ou la référence de l'autorisation."),
    )
    given_on = models.DateField(_("date de l'accord"))
    form = models.CharField(_("forme"), max_length=10, choices=ConsentForm.choices, default=ConsentForm.ORAL)
    document = models.FileField(
        _("formulaire signé"), storage=private_storage, upload_to=document_path, blank=True
    )
    document_type = models.CharField(max_length=40, blank=True, editable=False)
    # Which members of the network may be involved; a member added later is not, until a new
    # agreement includes them.
    covered_members = models.ManyToManyField(
        "situations.Member", related_name="consents", blank=True, verbose_name=_("qui peut être associé")
    )
    shared_content = models.TextField(
        _("ce qui peut être partagé"),
        help_text=_("Par exemple : le suivi social et le traitement, pas l'histoire familiale."),
    )
    relatives_limits = models.TextField(_("limites pour les proches"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Replaced by a newer agreement (history), or withdrawn by the person.
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("accord de la personne")
        verbose_name_plural = _("accords de la personne")

    def __str__(self):
        return f"Accord #{self.pk}"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None and self.withdrawn_at is None


class ConsentExclusion(models.Model):
    """Someone the person does not want involved ("pas le Dr X"): by account when known, by name
    otherwise (a member whose name matches is refused too)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")

    def __str__(self):
        return f"Exclusion #{self.pk}"
