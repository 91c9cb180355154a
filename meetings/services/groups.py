"""Standing groups: creation, membership requests and the confidentiality charter."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings.kinds import policy_for
from meetings.models import CharterAcceptance, GroupMembership, MembershipStatus, Role, StandingGroup
from meetings.rules import member_sees_details


def check_size(group: StandingGroup, *, adding: int = 1) -> None:
    """Refuse to grow a group past its limit. Facilitators and substitutes are not counted."""
    limit = group.size_limit
    if limit is None:
        return
    members = group.memberships.filter(status=MembershipStatus.ACTIVE, role=Role.MEMBER).count()
    if members + adding > limit:
        raise ValidationError(
            _("Ce groupe est complet : %(limit)s membres au maximum.") % {"limit": limit}, code="group_full"
        )


@transaction.atomic
def group_create(
    *,
    network: Network,
    kind: str,
    name: str,
    facilitators: list[User],
    by: User,
    description: str = "",
    substitute: User | None = None,
    max_size: int | None = None,
    charter: str = "",
    members: list[User] = (),
) -> StandingGroup:
    """Create a group with one or two facilitators (plus an optional substitute).

    Facilitators wrote or endorse the charter, so their acceptance of version 1 is recorded.
    """
    if not policy_for(kind).runs_as_group:
        raise ValidationError(_("Ce type de réunion ne fonctionne pas en groupe."), code="not_a_group_kind")
    if not 1 <= len(set(facilitators)) <= 2:
        raise ValidationError(_("Un groupe a un ou deux animateurs."), code="facilitators")
    group = StandingGroup(
        network=network, kind=kind, name=name, description=description, max_size=max_size, charter=charter
    )
    group.full_clean()
    group.save()
    for user in set(facilitators):
        _activate(group, user, Role.FACILITATOR, by=by)
        charter_accept(group=group, user=user)
    if substitute and substitute not in facilitators:
        _activate(group, substitute, Role.SUBSTITUTE, by=by)
    for user in members:
        group_add_member(group=group, user=user, by=by)
    return group


def _activate(group: StandingGroup, user: User, role: str, *, by: User) -> GroupMembership:
    membership, _created = GroupMembership.objects.update_or_create(
        group=group,
        user=user,
        defaults={
            "role": role,
            "status": MembershipStatus.ACTIVE,
            "decided_at": timezone.now(),
            "decided_by": by,
        },
    )
    return membership


@transaction.atomic
def group_add_member(*, group: StandingGroup, user: User, by: User) -> GroupMembership:
    existing = GroupMembership.objects.filter(group=group, user=user, status=MembershipStatus.ACTIVE).first()
    if existing:
        return existing
    StandingGroup.objects.select_for_update().filter(pk=group.pk).first()  # one admission at a time
    check_size(group)
    return _activate(group, user, Role.MEMBER, by=by)


@transaction.atomic
def group_add_members(*, group: StandingGroup, users: list[User], by: User) -> list[GroupMembership]:
    """Admit several people at once, all or none (a group that would overflow admits nobody).
    Each sees the group's charter to accept when they next open the group or one of its sessions."""
    return [group_add_member(group=group, user=user, by=by) for user in users]


def group_request_join(*, group: StandingGroup, user: User, message: str = "") -> GroupMembership:
    membership = GroupMembership.objects.filter(group=group, user=user).first()
    if membership and membership.status == MembershipStatus.ACTIVE:
        raise ValidationError(_("Vous faites déjà partie de ce groupe."), code="already_member")
    if membership and membership.status == MembershipStatus.REQUESTED:
        raise ValidationError(_("Votre demande est déjà en attente."), code="already_requested")
    if membership is None:
        membership = GroupMembership(group=group, user=user)
    membership.status = MembershipStatus.REQUESTED
    membership.role = Role.MEMBER
    membership.message = message
    membership.decided_at = None
    membership.decided_by = None
    membership.save()
    return membership


@transaction.atomic
def group_decide_request(*, membership: GroupMembership, accept: bool, by: User) -> GroupMembership:
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("Cette demande a déjà été traitée."), code="already_decided")
    if accept:
        StandingGroup.objects.select_for_update().filter(pk=membership.group_id).first()
        check_size(membership.group)
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    return membership


def charter_accept(*, group: StandingGroup, user: User) -> CharterAcceptance:
    """Record that USER accepted the current version (accepting twice keeps the first record)."""
    acceptance, _created = CharterAcceptance.objects.get_or_create(
        group=group, user=user, version=group.charter_version
    )
    return acceptance


@transaction.atomic
def charter_update(*, group: StandingGroup, text: str, by: User) -> StandingGroup:
    """A new version of the charter: every member is asked to accept it again."""
    if text.strip() == group.charter.strip():
        return group
    group.charter = text
    group.charter_version += 1
    group.save(update_fields=["charter", "charter_version"])
    charter_accept(group=group, user=by)
    return group


def group_set_rapporteur(*, group: StandingGroup, rapporteur: User | None, by: User) -> StandingGroup:
    """Name the member who reports the group's sessions for accreditation (None: nobody). They
    receive the reminders to hand in each session's attendance list."""
    if rapporteur is not None and not member_sees_details(rapporteur, group):
        raise ValidationError(
            _("Le ou la rapporteur·e est choisi·e parmi les membres du groupe qui ont accepté sa charte."),
            code="not_a_member",
        )
    group.rapporteur = rapporteur
    group.save(update_fields=["rapporteur"])
    return group
