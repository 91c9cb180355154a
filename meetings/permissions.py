"""Who may see, edit or facilitate a group or a meeting. Every view asks this module.

The levels, from least to most:
- see a group's card (its name, kind, facilitators) to ask to join: members of its network;
- see a meeting (date, place, kind): depends on the kind's membership policy;
- see a meeting's details (purpose, agenda, participants): for closed groups, only members who
  accepted the current charter, facilitators and the organiser; otherwise whoever sees it;
- edit or facilitate: organisers, the group's facilitators, and the network's coordinators for
  kinds not reserved to invitees. A coordinator's powers stop at their network's borders.
"""

from accounts.models import Network, User
from accounts.permissions import coordinated_network_ids, network_ids_of
from meetings.kinds import Membership
from meetings.models import (
    GroupMembership,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    PartStat,
    Role,
    StandingGroup,
)
from meetings.models.invitations import PERSON_ROLES

MANAGING_ROLES = {Role.FACILITATOR, Role.SUBSTITUTE}


def is_network_member(user: User, network_id: int) -> bool:
    return user.is_authenticated and (user.is_superuser or network_id in network_ids_of(user))


def is_coordinator(user: User, network_id: int) -> bool:
    return user.is_authenticated and (user.is_superuser or network_id in coordinated_network_ids(user))


def _membership(user: User, group: StandingGroup) -> GroupMembership | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if group.pk not in cache:
        cache[group.pk] = GroupMembership.objects.filter(
            group=group, user=user, status=MembershipStatus.ACTIVE
        ).first()
    return cache[group.pk]


def has_accepted_charter(user: User, group: StandingGroup) -> bool:
    return group.charter_acceptances.filter(user=user, version=group.charter_version).exists()


# Groups


def can_see_group(user: User, group: StandingGroup) -> bool:
    return is_network_member(user, group.network_id) or _membership(user, group) is not None


def can_manage_group(user: User, group: StandingGroup) -> bool:
    """Facilitate: accept members, change the charter, schedule sessions."""
    membership = _membership(user, group)
    if membership and membership.role in MANAGING_ROLES:
        return True
    return is_coordinator(user, group.network_id)


def is_group_member(user: User, group: StandingGroup) -> bool:
    return _membership(user, group) is not None


def can_see_group_details(user: User, group: StandingGroup) -> bool:
    """Members and sessions' details: members who accepted the charter, facilitators, coordinators."""
    membership = _membership(user, group)
    if membership and (membership.role in MANAGING_ROLES or has_accepted_charter(user, group)):
        return True
    return is_coordinator(user, group.network_id)


def can_create_group(user: User, network: Network) -> bool:
    return is_coordinator(user, network.pk)


# Meetings


def _is_invited(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    # A person who declined still sees the meeting: they may change their mind.
    return meeting.invitations.filter(user=user).exists()


def can_see_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or meeting.organiser_id == user.pk or _is_invited(user, meeting):
        return True
    if meeting.status == MeetingStatus.DRAFT:
        return meeting.group is not None and can_manage_group(user, meeting.group)
    membership = meeting.policy.membership
    if membership == Membership.OPEN_TO_NETWORK:
        return is_network_member(user, meeting.network_id)
    if membership == Membership.CLOSED_GROUP:
        if meeting.group is None:
            return is_coordinator(user, meeting.network_id)
        return is_group_member(user, meeting.group) or is_coordinator(user, meeting.network_id)
    return False  # invited only: the organiser and the invitees


def can_see_meeting_details(user: User, meeting: Meeting) -> bool:
    """Purpose, agenda, participants and link. Closed groups: only after accepting the charter."""
    if not can_see_meeting(user, meeting):
        return False
    if user.is_superuser or meeting.organiser_id == user.pk:
        return True
    if meeting.policy.membership == Membership.CLOSED_GROUP and meeting.group is not None:
        membership = _membership(user, meeting.group)
        return membership is not None and (
            membership.role in MANAGING_ROLES or has_accepted_charter(user, meeting.group)
        )
    return True


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    if not can_see_meeting(user, meeting):
        return False
    if user.is_superuser or meeting.organiser_id == user.pk:
        return True
    if meeting.group is not None and can_manage_group(user, meeting.group):
        return True
    reserved_to_invitees = meeting.policy.membership == Membership.INVITED_ONLY
    return not reserved_to_invitees and is_coordinator(user, meeting.network_id)


def can_create_meeting(user: User, network: Network, membership: Membership) -> bool:
    """Coordinators schedule network meetings; any member may call a meeting on invitation."""
    if membership == Membership.INVITED_ONLY:
        return is_network_member(user, network.pk)
    return is_coordinator(user, network.pk)


# Calendar feeds


def can_subscribe_to_group(user: User, group: StandingGroup) -> bool:
    """A group's calendar feed is for its active members (a member who has not accepted the
    charter gets it without places and links, as on the group's pages)."""
    return is_group_member(user, group)


# Attendance, outcomes and follow-up


def is_facilitator(user: User, meeting: Meeting) -> bool:
    """Who runs the meeting: its organiser, the group's facilitators, or an invited facilitator.
    Coordinators are not facilitators of every meeting; they correct attendance after closing."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or meeting.organiser_id == user.pk:
        return True
    if meeting.group is not None:
        membership = _membership(user, meeting.group)
        if membership and membership.role in MANAGING_ROLES:
            return True
    return meeting.invitations.filter(user=user, role=InvitationRole.FACILITATOR).exists()


def is_expected_participant(user: User, meeting: Meeting) -> bool:
    """Invited to come (whatever the answer: people change their minds) or an active member of
    the group. Someone who only receives the minutes is not expected."""
    if not user.is_authenticated:
        return False
    if meeting.invitations.filter(user=user).exclude(role=InvitationRole.MINUTES_ONLY).exists():
        return True
    return meeting.group is not None and is_group_member(user, meeting.group)


def _coordinates_it(user: User, meeting: Meeting) -> bool:
    """A coordinator's powers over a meeting, which stop at kinds reserved to their invitees."""
    return meeting.policy.membership != Membership.INVITED_ONLY and is_coordinator(user, meeting.network_id)


def can_correct_attendance(user: User, meeting: Meeting) -> bool:
    return _coordinates_it(user, meeting)


def can_export_attendance(user: User, meeting: Meeting) -> bool:
    return is_facilitator(user, meeting) or _coordinates_it(user, meeting)


def can_export_group_attendance(user: User, group: StandingGroup) -> bool:
    return can_manage_group(user, group)


def can_edit_action(user: User, action) -> bool:
    """Mark done, drop, reopen: the person in charge of it, or who handed it out."""
    return user.is_authenticated and (user.is_superuser or user.pk in {action.owner_id, action.created_by_id})


def can_see_feedback(user: User, meeting: Meeting) -> bool:
    return is_facilitator(user, meeting) or _coordinates_it(user, meeting)


def can_see_outcome(user: User, meeting: Meeting) -> bool:
    """Outcome and actions: whoever sees the details, except for kinds whose minutes may hold
    clinical content, kept to the professionals who take part (not those who declined, nor the
    person concerned and relatives, who hear it from them)."""
    if not can_see_meeting_details(user, meeting):
        return False
    if not meeting.policy.clinical_minutes or user.is_superuser or meeting.organiser_id == user.pk:
        return True
    return (
        meeting.invitations.filter(user=user)
        .exclude(partstat=PartStat.DECLINED)
        .exclude(role__in=PERSON_ROLES)
        .exists()
    )


# Vignettes


def is_vignette_participant(user: User, meeting: Meeting) -> bool:
    """Who may write and read a meeting's vignettes: its organiser, the invitees who have not
    declined, and, for a group's session, the active members who accepted the current charter
    (unless they declined this session). Not a coordinator who does not take part."""
    if not user.is_authenticated:
        return False
    if meeting.organiser_id == user.pk:
        return True
    invitations = meeting.invitations.filter(user=user).exclude(role=InvitationRole.MINUTES_ONLY)
    answers = set(invitations.values_list("partstat", flat=True))
    if PartStat.DECLINED in answers:
        return False
    if answers:
        return True
    if meeting.group is None:
        return False
    membership = _membership(user, meeting.group)
    return membership is not None and (
        membership.role in MANAGING_ROLES or has_accepted_charter(user, meeting.group)
    )


# Calendar feeds: what a feed read in SQL may show


def can_see_place_in_feed(subject, *, organiser: bool, invited: bool, sees_group_details: bool) -> bool:
    """Whether a calendar feed shows the place and link of SUBJECT (a meeting or a series) to its
    reader, from what the feed's queries read: whether the reader organises it, was invited to it,
    and may see the details of its group (candidates.sees_group_details).

    As can_see_meeting_details: the organiser sees them, and a closed group's session shows them
    only to the members who may see its details (facilitators, members who accepted the current
    charter). A feed also shows them to whoever was invited to the session or its series: the
    invitation e-mail gave place and link already.
    """
    if organiser:
        return True
    if subject.policy.membership == Membership.CLOSED_GROUP and subject.group_id is not None:
        return sees_group_details or invited
    return True
