from meetings.models.groups import CharterAcceptance, GroupMembership, MembershipStatus, Role, StandingGroup
from meetings.models.invitations import Invitation, InvitationRole, PartStat, SeriesInvitation
from meetings.models.meetings import TAKING_PLACE, AgendaItem, Meeting, MeetingStatus
from meetings.models.messages import MessageKind
from meetings.models.series import Series

__all__ = [
    "TAKING_PLACE",
    "AgendaItem",
    "CharterAcceptance",
    "GroupMembership",
    "Invitation",
    "InvitationRole",
    "Meeting",
    "MeetingStatus",
    "MembershipStatus",
    "MessageKind",
    "PartStat",
    "Role",
    "Series",
    "SeriesInvitation",
    "StandingGroup",
]
