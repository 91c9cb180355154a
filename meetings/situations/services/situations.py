"""Opening a situation, moving it through its statuses, and passing the référent role on."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings import anonymiser
from meetings.anonymiser import entities
from meetings.situations import notices
from meetings.situations.models import (
    Member,
    MemberKind,
    Origin,
    Referent,
    Situation,
    SituationStatus,
    StatusChange,
)
from meetings.situations.models.situations import NEXT_STATUSES
from meetings.situations.rules import is_excluded_person

MAX_REFERENTS = 2  # a référent, or a binôme
# What a pseudonym must not look like (seeds 003, "people are not cases": a code, never an identity).
IDENTIFYING = {entities.PERSON, entities.LISTED_NAME, entities.NISS, entities.DATE_OF_BIRTH}


def check_code(code: str) -> str:
    """The pseudonym, refused when the anonymiser's recognisers see a full name, a date of birth or
    a national number in it."""
    code = " ".join((code or "").split())
    if not code:
        raise ValidationError(_("Choisissez un pseudonyme, par exemple « M.B. 2026-07 »."), code="code_empty")
    findings = anonymiser.find(code)
    found = [f for f in findings if f.kind in IDENTIFYING]
    if found:
        raise ValidationError(
            _(
                "Ce pseudonyme ressemble à une identité réelle (%(what)s) : choisissez des initiales "
                "et un mois, par exemple « M.B. 2026-07 »."
            )
            % {"what": ", ".join(sorted({str(f.label).lower() for f in found}))},
            code="code_identifies",
        )
    return code


def professional_defaults(user: User) -> dict:
    """A directory professional's discipline, service and secrecy, as a member of a network."""
    professional = getattr(user, "professional", None)
    if professional is None:
        return {"profession": "", "bound_by_secrecy": False, "organisation": None}
    return {
        "profession": professional.profession,
        "bound_by_secrecy": professional.bound_by_secrecy,
        "organisation": professional.organisations.first(),
    }


@transaction.atomic
def situation_create(
    *,
    network: Network,
    code: str,
    origin: str,
    by: User,
    requested_by: User | None = None,
    requester_description: str = "",
    trigger: str = "",
    role: str = "",
) -> Situation:
    """Open a situation: its author becomes its first référent and a member of its network."""
    code = check_code(code)
    if Situation.objects.filter(network=network, code__iexact=code).exists():
        raise ValidationError(_("Ce pseudonyme est déjà utilisé dans ce réseau."), code="code_taken")
    if origin not in Origin.values:
        raise ValidationError(_("Choisissez comment la demande est arrivée."), code="origin")
    situation = Situation.objects.create(
        network=network,
        code=code,
        origin=origin,
        requested_by=requested_by,
        requester_description=requester_description,
        trigger=trigger,
        created_by=by,
    )
    StatusChange.objects.create(situation=situation, status=SituationStatus.REQUESTED, by=by)
    Member.objects.create(
        situation=situation,
        kind=MemberKind.PROFESSIONAL,
        user=by,
        role=role or _("Référent·e"),
        added_by=by,
        **professional_defaults(by),
    )
    Referent.objects.create(situation=situation, user=by, started_by=by)
    return situation


@transaction.atomic
def status_change(*, situation: Situation, status: str, by: User, note: str = "") -> StatusChange:
    situation = Situation.objects.select_for_update().get(pk=situation.pk)
    if status not in NEXT_STATUSES.get(situation.status, []):
        raise ValidationError(
            _("Une situation %(current)s ne peut pas passer à ce statut.")
            % {"current": situation.get_status_display()},
            code="status",
        )
    change = StatusChange.objects.create(
        situation=situation, status=status, previous=situation.status, by=by, note=note
    )
    situation.status = status
    situation.closed_at = timezone.now() if status == SituationStatus.CLOSED else None
    situation.save(update_fields=["status", "closed_at"])
    notices.queue_retour(situation=situation, about=f"status-{change.pk}")
    return change


def current_referents(situation: Situation) -> list[Referent]:
    return list(situation.referents.filter(ended_at__isnull=True).select_related("user"))


@transaction.atomic
def handover(
    *, situation: Situation, by: User, to: Member, note: str, keep_own_role: bool = False
) -> Referent:
    """Pass the référent role (by's term ends, unless KEEP_OWN_ROLE makes a binôme) to another
    member with an account: a professional, a relative or the person. The history stays."""
    if to.situation_id != situation.pk or to.user_id is None:
        raise ValidationError(
            _("Le relais se passe à un membre du réseau qui a un compte."), code="handover_target"
        )
    if not to.is_current(timezone.localdate()) or is_excluded_person(situation, user=to.user):
        raise ValidationError(
            _("Ce membre ne fait plus partie du réseau de la personne."), code="handover_target"
        )
    Situation.objects.select_for_update().filter(pk=situation.pk).first()  # one handover at a time
    current = {r.user_id: r for r in current_referents(situation)}
    if to.user_id in current:
        raise ValidationError(_("Cette personne est déjà référente."), code="handover_target")
    if not note.strip():
        raise ValidationError(_("Une note de passage de relais est nécessaire."), code="handover_note")
    if not keep_own_role and by.pk in current:
        current[by.pk].ended_at = timezone.now()
        current[by.pk].save(update_fields=["ended_at"])
        del current[by.pk]
    if len(current) >= MAX_REFERENTS:
        raise ValidationError(_("Une situation a au plus deux référent·es."), code="handover_full")
    return Referent.objects.create(
        situation=situation, user=to.user, started_by=by, handover_note=note.strip()
    )
