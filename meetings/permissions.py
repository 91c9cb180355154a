"""Who may see, edit or facilitate a group or a meeting. Every view asks this module.

The levels, from least to most:
- see a group's card (its name, kind, facilitators) to ask to join: members of its network;
- see a meeting (date, place, kind): depends on the kind's membership policy;
- see a meeting's details (purpose, agenda, participants): for closed groups, only members who
  accepted the current charter, facilitators and the organiser; otherwise whoever sees it;
- edit or facilitate: organisers, the group's facilitators, and the network's coordinators for
  kinds not reserved to invitees. A coordinator's powers stop at their network's borders.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Network, User
from accounts.permissions import coordinated_network_ids, network_ids_of
from meetings.kinds import POLICIES, Membership
from meetings.models import (
    ATTENDED,
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    PartStat,
    Role,
    StandingGroup,
    Vignette,
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


def _member_sees_details(user: User, group: StandingGroup) -> bool:
    """An active member who may see the group's details: a facilitator or substitute, or a
    member who accepted the current charter (candidates.sees_group_details says it in SQL)."""
    membership = _membership(user, group)
    return membership is not None and (membership.role in MANAGING_ROLES or has_accepted_charter(user, group))


# Groups


def can_see_group(user: User, group: StandingGroup) -> bool:
    return is_network_member(user, group.network_id) or _membership(user, group) is not None


def can_manage_group(user: User, group: StandingGroup) -> bool:
    """Facilitate: accept members, change the charter, schedule sessions."""
    membership = _membership(user, group)
    if membership and membership.role in MANAGING_ROLES:
        return True
    return is_coordinator(user, group.network_id)


def _in_coordinated_network(user: User) -> Exists:
    """The row (a group or a meeting) belongs to a network USER coordinates, read in SQL."""
    return Exists(
        Network.coordinators.through.objects.filter(network_id=OuterRef("network_id"), user_id=user.pk)
    )


def groups_managed_by(user: User) -> Q:
    """can_manage_group read in SQL, as a filter on groups: a list asks once, not group by group."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    managing = GroupMembership.objects.filter(
        group=OuterRef("pk"), user_id=user.pk, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    )
    return Q(Exists(managing)) | Q(_in_coordinated_network(user))


def is_group_member(user: User, group: StandingGroup) -> bool:
    return _membership(user, group) is not None


def can_see_group_details(user: User, group: StandingGroup) -> bool:
    """Members and sessions' details: members who accepted the charter, facilitators, coordinators."""
    return _member_sees_details(user, group) or is_coordinator(user, group.network_id)


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
        return _member_sees_details(user, meeting.group)
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
    return Meeting.objects.filter(meetings_facilitated_by(user), pk=meeting.pk).exists()


def meetings_facilitated_by(user: User) -> Q:
    """The one rule of who facilitates, as a filter on meetings (is_facilitator asks it for one
    meeting, "Réunions à clôturer" for a list): the meetings USER organises, the sessions of the
    groups they facilitate or stand in for, and the meetings they are invited to facilitate.
    Superusers, who may act on any meeting, facilitate none of them here."""
    managed = GroupMembership.objects.filter(
        user_id=user.pk, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    )
    invited = Invitation.objects.filter(user_id=user.pk, role=InvitationRole.FACILITATOR)
    return (
        Q(organiser_id=user.pk)
        | Q(group_id__in=managed.values("group_id"))
        | Q(pk__in=invited.values("meeting_id"))
    )


def facilitators_by_meeting(meetings: QuerySet[Meeting]) -> dict[int, list[User]]:
    """meetings_facilitated_by the other way round: who facilitates each of MEETINGS (a queryset),
    in two queries whatever their number."""
    meetings = meetings.order_by()
    organisers = meetings.values_list("pk", "organiser_id")
    managers = GroupMembership.objects.filter(
        group__meetings__in=meetings, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).values_list("group__meetings", "user_id")
    invited = Invitation.objects.filter(
        meeting__in=meetings, role=InvitationRole.FACILITATOR, user__isnull=False
    ).values_list("meeting_id", "user_id")
    pairs = set(organisers.union(managers.order_by(), invited.order_by()))
    users = User.objects.in_bulk({user_id for _meeting_id, user_id in pairs})
    people: dict[int, list[User]] = {}
    for meeting_id, user_id in sorted(pairs):
        people.setdefault(meeting_id, []).append(users[user_id])
    return people


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


def can_open_roll_call(user: User, meeting: Meeting) -> bool:
    """The roll call page: its facilitators, who mark it; once the meeting is closed, also the
    coordinators who correct it."""
    if is_facilitator(user, meeting):
        return True
    return meeting.status == MeetingStatus.CLOSED and can_correct_attendance(user, meeting)


def can_ask_certificate(user: User, meeting: Meeting) -> bool:
    """Ask for one's certificate of a meeting: whoever sees it, and whoever attended it though
    they no longer see it (they left the group). Whether there is anything to certify is for the
    certificate service to say."""
    if not user.is_authenticated:
        return False
    attended = meeting.attendances.filter(user_id=user.pk, status__in=list(ATTENDED)).exists()
    return attended or can_see_meeting(user, meeting)


def can_export_attendance(user: User, meeting: Meeting) -> bool:
    return is_facilitator(user, meeting) or _coordinates_it(user, meeting)


INVITED_ONLY_KINDS = [
    kind for kind, policy in POLICIES.items() if policy.membership == Membership.INVITED_ONLY
]


def meetings_with_exportable_attendance(user: User) -> Q:
    """can_export_attendance read in SQL, as a filter on meetings: their facilitators (organiser,
    the group's facilitators, invited facilitators) and, for kinds not reserved to invitees, the
    network's coordinators."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    facilitator = meetings_facilitated_by(user)
    coordinator = ~Q(kind__in=INVITED_ONLY_KINDS) & Q(_in_coordinated_network(user))
    return facilitator | coordinator


def can_export_group_attendance(user: User, group: StandingGroup) -> bool:
    return can_manage_group(user, group)


def groups_with_exportable_attendance(user: User) -> Q:
    """can_export_group_attendance read in SQL, as a filter on groups."""
    return groups_managed_by(user)


def can_edit_action(user: User, action) -> bool:
    """Mark done, drop, reopen: the person in charge of it, or who handed it out."""
    return user.is_authenticated and (user.is_superuser or user.pk in {action.owner_id, action.created_by_id})


# Participants' feedback is for the same people as the attendance list: one rule, two questions.
can_see_feedback = can_export_attendance


def can_see_outcome(user: User, meeting: Meeting) -> bool:
    """Outcome and actions: whoever sees the details, except for kinds whose minutes may hold
    clinical content, kept to the professionals who take part (not those who declined, nor the
    person concerned and relatives, who hear it from them)."""
    if not can_see_meeting_details(user, meeting):
        return False
    if not meeting.policy.clinical_minutes or user.is_superuser or meeting.organiser_id == user.pk:
        return True
    return Meeting.objects.filter(clinical_minutes_readable_by(user), pk=meeting.pk).exists()


def clinical_minutes_readable_by(user: User) -> Q:
    """can_see_outcome's own test for kinds whose minutes may hold clinical content, as a filter
    on meetings: their organiser and the professionals invited who did not decline. Invitations
    go meeting by meeting: taking part in one session opens none of the others' minutes."""
    if user.is_superuser:
        return Q()
    taking_part = (
        Invitation.objects.filter(user_id=user.pk)
        .exclude(partstat=PartStat.DECLINED)
        .exclude(role__in=PERSON_ROLES)
    )
    return Q(organiser_id=user.pk) | Q(pk__in=taking_part.values("meeting_id"))


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
    return meeting.group is not None and _member_sees_details(user, meeting.group)


def is_vignette_author(user: User, vignette: Vignette) -> bool:
    """Who edits, checks, shares and withdraws a vignette, and sees its read log."""
    return user.is_authenticated and vignette.author_id == user.pk


def can_read_vignette(user: User, vignette: Vignette, now: datetime | None = None) -> bool:
    """A vignette's text, and only until its time of reading ends (privacy rule 2): its author
    while it is a draft or shared, the meeting's participants once it is shared. After that
    nobody reads it, whether the purge has emptied it yet or not."""
    if not vignette.is_readable_at(now or timezone.now()):
        return False
    if is_vignette_author(user, vignette):
        return True
    return vignette.is_shared and is_vignette_participant(user, vignette.meeting)


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
