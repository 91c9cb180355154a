"""Recording the person's agreement (or another legal basis), and its withdrawal."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from meetings.situations import notices
from meetings.situations.models import Consent, ConsentExclusion, ConsentForm, LegalBasis, Member, Situation
from meetings.situations.rules import current_consent, matches_exclusion

# Said wherever something new would be shared after the person withdrew their agreement.
SHARING_WITHDRAWN = gettext_lazy(
    "La personne a retiré son accord : plus rien de nouveau ne peut être partagé."
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What a scanned or photographed form may be, told by its first bytes (never by its name).
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


@dataclass(frozen=True)
class Exclusion:
    name: str
    user: User | None = None


def document_type(upload: UploadedFile) -> tuple[str, str]:
    """The form's content type and extension; refused when it is not a PDF or an image, or over 10 MB."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("Le fichier dépasse 10 Mo : scannez-le en plus basse résolution."), code="too_big"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, found in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return found
    raise ValidationError(
        _("Le formulaire doit être un PDF ou une photo (JPEG, PNG)."), code="not_a_document"
    )


def forget_cached_access(situation: Situation) -> None:
    for key in ("_current_consent", "_exclusions", "_access"):
        situation.__dict__.pop(key, None)


@transaction.atomic
def consent_record(
    *,
    situation: Situation,
    by: User,
    given_on: date,
    shared_content: str,
    covered_members: list[Member],
    basis: str = LegalBasis.CONSENT,
    basis_reference: str = "",
    form: str = ConsentForm.ORAL,
    document: UploadedFile | None = None,
    relatives_limits: str = "",
    exclusions: list[Exclusion] = (),
) -> Consent:
    """A new agreement, which replaces the one before it (kept, dated). A member it names as
    excluded cannot be covered by it."""
    if basis not in LegalBasis.values:
        raise ValidationError(_("Choisissez la base du partage."), code="basis")
    if basis != LegalBasis.CONSENT and not basis_reference.strip():
        raise ValidationError(
            _("Un cadre légal ou une autorisation du procureur se note avec sa référence."),
            code="basis_reference",
        )
    if given_on > timezone.localdate():
        raise ValidationError(_("La date de l'accord ne peut pas être dans le futur."), code="given_on")
    if not shared_content.strip():
        raise ValidationError(_("Notez ce qui peut être partagé."), code="shared_content")
    if any(member.situation_id != situation.pk for member in covered_members):
        raise ValidationError(_("Ce membre n'appartient pas à ce réseau."), code="member")
    kind = extension = ""
    if document is not None:
        kind, extension = document_type(document)
    exclusions = [e for e in exclusions if e.name.strip() or e.user is not None]
    resolved = _resolved_exclusions(situation, exclusions)
    excluded_users = {e.user.pk for e in resolved if e.user is not None}
    for member in covered_members:
        if (member.user_id and member.user_id in excluded_users) or any(
            matches_exclusion(member.display_name, e.name) for e in resolved
        ):
            raise ValidationError(
                _("%(name)s est exclu·e par la personne : ce membre ne peut pas être couvert par l'accord.")
                % {"name": member.display_name},
                code="excluded_member",
            )
    now = timezone.now()
    Situation.objects.select_for_update().filter(pk=situation.pk).first()  # one current agreement
    Consent.objects.filter(situation=situation, replaced_at__isnull=True).update(replaced_at=now)
    consent = Consent(
        situation=situation,
        basis=basis,
        basis_reference=basis_reference.strip(),
        given_on=given_on,
        form=form,
        shared_content=shared_content.strip(),
        relatives_limits=relatives_limits.strip(),
        recorded_by=by,
        document_type=kind,
    )
    consent.save()
    if document is not None:
        consent.document.save(f"form.{extension}", document, save=False)
        consent.save(update_fields=["document"])
    consent.covered_members.set(covered_members)
    ConsentExclusion.objects.bulk_create(
        ConsentExclusion(consent=consent, name=e.name.strip() or e.user.get_full_name(), user=e.user)
        for e in resolved
    )
    forget_cached_access(situation)
    return consent


def _resolved_exclusions(situation: Situation, exclusions: list[Exclusion]) -> list[Exclusion]:
    """A name that matches a member with an account becomes that account, so that the rules and
    the lists' SQL exclude the same people."""
    accounts = [m.user for m in situation.members.filter(user__isnull=False).select_related("user")]
    if situation.requested_by is not None:
        accounts.append(situation.requested_by)  # who asked may be someone the person refuses
    resolved = []
    for exclusion in exclusions:
        user = exclusion.user
        if user is None:
            user = next((a for a in accounts if matches_exclusion(a.get_full_name(), exclusion.name)), None)
        resolved.append(Exclusion(name=exclusion.name, user=user))
    return resolved


@transaction.atomic
def consent_withdraw(*, situation: Situation, by: User, note: str = "") -> Consent:
    """The person withdraws their agreement: nothing new is shared, no concertation is scheduled,
    notes freeze, and the members are told (without anything about the person)."""
    consent = current_consent(situation)
    if consent is None:
        raise ValidationError(_("Il n'y a pas d'accord en cours à retirer."), code="no_consent")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.withdrawal_note = note.strip()[:300]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    forget_cached_access(situation)
    notices.queue_consent_withdrawn(situation=situation, consent=consent)
    return consent
