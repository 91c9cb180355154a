"""Reads for meetings and groups, built to keep a constant number of queries per page."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from accounts.rules import network_ids_of
from audit.queries import reads_of
from audit.services import subject_key
from meetings import rules
from meetings.kinds import POLICIES, Membership
from meetings.models import (
    CharterAcceptance,
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    PartStat,
    Role,
    StandingGroup,
)
from outbox.models import OutboxMessage, OutboxStatus

OPEN_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.OPEN_TO_NETWORK]
CLOSED_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.CLOSED_GROUP]


@dataclass
class AgendaEntry:
    meeting: Meeting
    show_details: bool
    my_answer: str | None  # a PartStat value, or None when I was not invited personally


def _my_groups(user: User) -> tuple[set[int], set[int]]:
    """(groups I am an active member of, groups whose details I may see as a member)."""
    memberships = list(
        GroupMembership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .annotate(details=rules.sees_group_details(user.pk, OuterRef("group_id")))
        .values_list("group_id", "details")
    )
    member_of = {group_id for group_id, _details in memberships}
    detailed = {group_id for group_id, details in memberships if details}
    return member_of, detailed


def agenda(user: User, start: datetime, end: datetime) -> list[AgendaEntry]:
    """My meetings between START and END: invited, organised, my groups' sessions, and the open
    meetings of my networks. Cancelled ones stay listed (marked) so nobody travels for nothing."""
    member_of, detailed = _my_groups(user)
    networks = network_ids_of(user)
    mine = (
        Q(invitations__user=user)
        | Q(organiser=user)
        | Q(group_id__in=member_of)
        | Q(kind__in=OPEN_KINDS, network_id__in=networks)
    )
    meetings = (
        Meeting.objects.filter(mine, start__lt=end, end__gt=start)
        .exclude(Q(status=MeetingStatus.DRAFT) & ~Q(organiser=user))
        .select_related("group")
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.filter(user=user), to_attr="mine")
        )
        .distinct()
        .order_by("start")
    )
    entries = []
    for meeting in meetings:
        confidential_group = meeting.kind in CLOSED_KINDS and meeting.group_id is not None
        show = meeting.organiser_id == user.pk or not confidential_group or meeting.group_id in detailed
        answer = meeting.mine[0].partstat if meeting.mine else None
        entries.append(AgendaEntry(meeting=meeting, show_details=show, my_answer=answer))
    return entries


def visible_groups(user: User) -> QuerySet[StandingGroup]:
    """Groups of my networks (to ask to join) and groups I belong to, with their size."""
    return (
        StandingGroup.objects.filter(rules.groups_seen_by(user))
        .select_related("network")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.ACTIVE, memberships__role=Role.MEMBER),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(user=user),
                to_attr="my_membership",
            ),
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(
                    status=MembershipStatus.ACTIVE, role=Role.FACILITATOR
                ).select_related("user"),
                to_attr="facilitator_memberships",
            ),
        )
        .order_by("network__name", "name")
    )


def group_members(group: StandingGroup) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("user__professional")
        .annotate(
            accepted_current=Exists(
                CharterAcceptance.objects.filter(
                    group=group, user=OuterRef("user"), version=group.charter_version
                )
            )
        )
        .order_by("role", "user__last_name")
    )


def group_member_people(group: StandingGroup) -> QuerySet[User]:
    """The group's active members (whatever their role), to choose its rapporteur from."""
    return User.objects.filter(
        group_memberships__group=group, group_memberships__status=MembershipStatus.ACTIVE
    ).order_by("last_name", "first_name")


def group_requests(group: StandingGroup) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(status=MembershipStatus.REQUESTED)
        .select_related("user")
        .order_by("requested_at")
    )


def group_sessions(group: StandingGroup, after: datetime, limit: int = 12) -> QuerySet[Meeting]:
    return group.meetings.filter(end__gte=after).exclude(status=MeetingStatus.DRAFT).order_by("start")[:limit]


def meeting_participants(meeting: Meeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related("user").order_by("name", "email")


def answer_counts(meeting: Meeting) -> dict[str, int]:
    counts = dict(meeting.invitations.values_list("partstat").annotate(n=Count("pk")))
    return {
        "accepted": counts.get(PartStat.ACCEPTED, 0),
        "tentative": counts.get(PartStat.TENTATIVE, 0),
        "declined": counts.get(PartStat.DECLINED, 0),
        "waiting": counts.get(PartStat.NEEDS_ACTION, 0),
    }


def failed_messages(meeting: Meeting) -> QuerySet[OutboxMessage]:
    """E-mails about this meeting (or its series) that could not be delivered."""
    about = Q(refs__meeting=meeting.pk) | (
        Q(refs__series=meeting.series_id) if meeting.series_id else Q(pk__in=[])
    )
    return OutboxMessage.objects.filter(about, status=OutboxStatus.FAILED).order_by("-created_at")


def network_people(network_ids) -> QuerySet[User]:
    """The active professionals of the networks NETWORK_IDS (ids or a queryset), to choose from."""
    return (
        User.objects.filter(professional__organisations__networks__in=network_ids, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


READS_SHOWN = 50


def confidential_reads(meeting: Meeting, *, excluding: User) -> list:
    """The latest reads of a meeting's confidential material by others than EXCLUDING (one query)."""
    reads = reads_of(subject_key("meeting", meeting.pk)).exclude(reader=excluding)
    return list(reads[:READS_SHOWN])
