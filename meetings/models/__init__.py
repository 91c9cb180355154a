from meetings.models.groups import CharterAcceptance, GroupMembership, MembershipStatus, Role, StandingGroup
from meetings.models.meetings import AgendaItem, Invitation, Meeting, MeetingStatus, PartStat
from meetings.models.series import Series

__all__ = [
    "AgendaItem",
    "CharterAcceptance",
    "GroupMembership",
    "Invitation",
    "Meeting",
    "MeetingStatus",
    "MembershipStatus",
    "PartStat",
    "Role",
    "Series",
    "StandingGroup",
]
