"""Candidate ids: which meetings a person's lists are drawn from, as one IN over a UNION of
indexed lookups (each part follows its own index: invitations by person, meetings by organiser,
by group, by network and kind), rather than ORs across a join that scan every meeting of the
window whoever asks. The agenda, "Réunions à clôturer" and the calendar feeds build on these.

WITHIN, where given, is a filter on meetings (a window) applied inside each part, so that each
reads only the person's own rows of that window.
"""

from django.db.models import Q, QuerySet

from meetings.kinds import POLICIES, Membership
from meetings.models import GroupMembership, Invitation, InvitationRole, Meeting, MembershipStatus
from meetings.rules import MANAGING_ROLES

OPEN_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.OPEN_TO_NETWORK]
ANYTIME = Q()


def union_of(*parts: QuerySet) -> QuerySet:
    """PARTS (querysets of one id column) as one UNION (which removes the duplicates)."""
    first, *rest = (part.order_by() for part in parts)
    return first.union(*rest)


def active_memberships(user) -> QuerySet[GroupMembership]:
    """USER's active group memberships. USER is an id or an expression."""
    return GroupMembership.objects.filter(user_id=user, status=MembershipStatus.ACTIVE)


def invited_to(user, within: Q | None = None) -> QuerySet:
    """Ids of the meetings USER (an id or an expression) is invited to, within WITHIN."""
    if within is None:
        return Invitation.objects.filter(user_id=user).values("meeting_id")
    return Meeting.objects.filter(within, invitations__user_id=user).values("pk")


def organised_by(user, within: Q = ANYTIME) -> QuerySet:
    return Meeting.objects.filter(within, organiser_id=user).values("pk")


def sessions_of(group_ids, within: Q = ANYTIME) -> QuerySet:
    """Ids of the sessions of GROUP_IDS (ids, or a queryset of them)."""
    return Meeting.objects.filter(within, group_id__in=group_ids).values("pk")


def open_meetings_of(network_ids, within: Q = ANYTIME) -> QuerySet:
    """Ids of the meetings of NETWORK_IDS whose kind is open to the whole network."""
    return Meeting.objects.filter(within, kind__in=OPEN_KINDS, network_id__in=network_ids).values("pk")


def facilitated_by(user, within: Q = ANYTIME) -> QuerySet:
    """Ids of the meetings USER facilitates within WITHIN (rules.meetings_facilitated_by): those
    they organise, the sessions of the groups they facilitate or stand in for, those they are
    invited to facilitate."""
    managed = GroupMembership.objects.filter(
        user_id=user.pk, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).values("group_id")
    invited = Meeting.objects.filter(
        within, invitations__user_id=user.pk, invitations__role=InvitationRole.FACILITATOR
    ).values("pk")
    return union_of(organised_by(user.pk, within), sessions_of(managed, within), invited)
