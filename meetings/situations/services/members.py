"""Who is around the person: adding, changing and ending members of the network."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.text import fold
from meetings.situations.models import Member, MemberKind, Situation
from meetings.situations.models.network import NON_PROFESSIONAL_KINDS
from meetings.situations.rules import is_excluded_person
from meetings.situations.services.situations import professional_defaults

MEMBER_FIELDS = (
    "kind",
    "name",
    "email",
    "profession",
    "role",
    "organisation",
    "organisation_name",
    "relation",
    "bound_by_secrecy",
    "clinical_role",
    "privileged_contact",
    "since",
    "until",
)


def _check(situation: Situation, member: Member) -> None:
    if member.user_id is None and not member.name.strip():
        raise ValidationError(_("Donnez un nom, ou choisissez la personne dans le répertoire."), code="name")
    if is_excluded_person(situation, user=member.user, name=member.display_name):
        raise ValidationError(
            _("La personne a demandé que %(name)s ne soit pas associé·e : ce membre ne peut pas être ajouté.")
            % {"name": member.display_name},
            code="excluded",
        )
    if member.until is not None and member.until < member.since:
        raise ValidationError(_("La fin ne peut pas précéder le début."), code="period")
    duplicates = situation.members.exclude(pk=member.pk)
    if member.user_id and duplicates.filter(user_id=member.user_id).exists():
        raise ValidationError(_("Cette personne fait déjà partie du réseau."), code="duplicate")
    if member.kind == MemberKind.PERSON and duplicates.filter(kind=MemberKind.PERSON).exists():
        raise ValidationError(_("La personne accompagnée figure déjà sur la carte."), code="duplicate_person")


def _normalised(member: Member) -> Member:
    # Relatives, friends and the person are never "bound by professional secrecy", whatever the form said.
    if member.kind in NON_PROFESSIONAL_KINDS or member.kind == MemberKind.PERSON:
        member.bound_by_secrecy = False
        member.profession = ""
        member.clinical_role = False
    member.name = member.name.strip()
    member.email = member.email.strip().lower()
    return member


@transaction.atomic
def member_add(
    *,
    situation: Situation,
    by: User,
    kind: str,
    user: User | None = None,
    name: str = "",
    email: str = "",
    profession: str = "",
    role: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    relation: str = "",
    bound_by_secrecy: bool | None = None,
    clinical_role: bool = True,
    privileged_contact: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> Member:
    defaults = professional_defaults(user) if user is not None and kind == MemberKind.PROFESSIONAL else {}
    member = Member(
        situation=situation,
        kind=kind,
        user=user,
        name=name,
        email=email,
        profession=profession or defaults.get("profession", ""),
        role=role,
        organisation=organisation or defaults.get("organisation"),
        organisation_name=organisation_name,
        relation=relation,
        # A directory professional's secrecy is their profile's; the form decides for the others.
        bound_by_secrecy=defaults["bound_by_secrecy"] if defaults else bool(bound_by_secrecy),
        clinical_role=clinical_role,
        privileged_contact=privileged_contact,
        since=since or timezone.localdate(),
        until=until,
        added_by=by,
    )
    _normalised(member)
    _check(situation, member)
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, changes: dict) -> Member:
    for field, value in changes.items():
        if field not in MEMBER_FIELDS:
            raise ValueError(field)
        setattr(member, field, value)
    if member.user_id and member.kind == MemberKind.PROFESSIONAL and hasattr(member.user, "professional"):
        # A directory professional's secrecy is their profile's, on edit as on add.
        member.bound_by_secrecy = professional_defaults(member.user)["bound_by_secrecy"]
    _normalised(member)
    _check(member.situation, member)
    member.save()
    member.situation.__dict__.pop("_access", None)
    return member


def shared_roles(members: list[Member], today: date) -> list[str]:
    """Roles held by two current members or more (a warning on the map: who does what?)."""
    seen: dict[str, list[Member]] = {}
    for member in members:
        if member.role.strip() and member.is_current(today):
            seen.setdefault(fold(member.role.strip()), []).append(member)
    return sorted(group[0].role.strip() for group in seen.values() if len(group) > 1)
