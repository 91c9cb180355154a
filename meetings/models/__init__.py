from meetings.models.groups import CharterAcceptance, GroupMembership, MembershipStatus, Role, StandingGroup
from meetings.models.invitations import Invitation, InvitationRole, PartStat, SeriesInvitation
from meetings.models.meetings import TAKING_PLACE, AgendaItem, Meeting, MeetingStatus
from meetings.models.messages import MessageKind
from meetings.models.series import Series
from meetings.models.shared import DETAIL_FIELDS, FIXED_FIELDS, OVERRIDE_FIELDS, SHARED_FIELDS, MeetingFields

__all__ = [
    "DETAIL_FIELDS",
    "FIXED_FIELDS",
    "OVERRIDE_FIELDS",
    "SHARED_FIELDS",
    "TAKING_PLACE",
    "AgendaItem",
    "CharterAcceptance",
    "GroupMembership",
    "Invitation",
    "InvitationRole",
    "Meeting",
    "MeetingFields",
    "MeetingStatus",
    "MembershipStatus",
    "MessageKind",
    "PartStat",
    "Role",
    "Series",
    "SeriesInvitation",
    "StandingGroup",
]
