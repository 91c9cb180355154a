"""Who may take the roll call, correct it, ask for a certificate and export attendance."""

from django.db.models import OuterRef, Q, QuerySet

from accounts.models import Network, User
from accounts.rules import coordinated_networks
from meetings.attendance.models import ATTENDED
from meetings.kinds import POLICIES, Membership
from meetings.models import (
    InvitationRole,
    Meeting,
    MeetingStatus,
    StandingGroup,
)
from meetings.rules import (
    can_manage_group,
    can_see_meeting,
    coordinates_meeting,
    groups_managed_by,
    in_coordinated_network,
    is_facilitator,
    is_group_member,
    is_rapporteur,
    meetings_facilitated_by,
    my_invitations,
    sees_group_details,
)


def is_expected_participant(user: User, meeting: Meeting) -> bool:
    """Invited to come (whatever the answer: people change their minds) or an active member of
    the group. Someone who only receives the minutes is not expected."""
    if not user.is_authenticated:
        return False
    if any(i.role != InvitationRole.MINUTES_ONLY for i in my_invitations(user, meeting)):
        return True
    return meeting.group is not None and is_group_member(user, meeting.group)


def can_correct_attendance(user: User, meeting: Meeting) -> bool:
    return coordinates_meeting(user, meeting)


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
    return is_facilitator(user, meeting) or coordinates_meeting(user, meeting)


INVITED_ONLY_KINDS = [
    kind for kind, policy in POLICIES.items() if policy.membership == Membership.INVITED_ONLY
]


def meetings_with_exportable_attendance(user: User) -> Q:
    """can_export_attendance read in SQL, as a filter on meetings: their facilitators (organiser,
    the group's facilitators, invited facilitators) and, for kinds not reserved to invitees, the
    network's coordinators."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    facilitator = meetings_facilitated_by(user)
    coordinator = ~Q(kind__in=INVITED_ONLY_KINDS) & Q(in_coordinated_network(user))
    return facilitator | coordinator


def can_export_group_attendance(user: User, group: StandingGroup) -> bool:
    """Who facilitates the group, and its rapporteur, who hands the list in for accreditation."""
    return can_manage_group(user, group) or is_rapporteur(user, group)


def groups_with_exportable_attendance(user: User) -> Q:
    """can_export_group_attendance read in SQL, as a filter on groups."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return groups_managed_by(user) | Q(sees_group_details(user.pk, OuterRef("pk")), rapporteur_id=user.pk)


def can_report_attendance(user: User, group: StandingGroup) -> bool:
    """Record that a session's attendance was handed in for accreditation: the group's rapporteur,
    and who facilitates the group (when the rapporteur is away)."""
    return can_export_group_attendance(user, group)


def networks_with_exportable_attendance(user: User) -> QuerySet[Network]:
    """The networks whose whole attendance USER may export: those they coordinate (each
    meeting in it still passes meetings_with_exportable_attendance)."""
    return coordinated_networks(user)
