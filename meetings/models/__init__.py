from meetings.models.attendance import (
    ATTENDED,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    Certificate,
)
from meetings.models.feeds import ClientFamily, FeedKind, FeedSubscription
from meetings.models.groups import CharterAcceptance, GroupMembership, MembershipStatus, Role, StandingGroup
from meetings.models.invitations import Invitation, InvitationRole, PartStat, SeriesInvitation
from meetings.models.meetings import TAKING_PLACE, AgendaItem, Meeting, MeetingStatus
from meetings.models.outbox import MessageKind, OutboxMessage, OutboxStatus
from meetings.models.outcomes import Action, ActionStatus, Feedback, Outcome
from meetings.models.series import Series
from meetings.models.vignettes import Vignette, VignetteRead, VignetteStatus

__all__ = [
    "ATTENDED",
    "TAKING_PLACE",
    "Action",
    "ActionStatus",
    "AgendaItem",
    "Attendance",
    "AttendanceCorrection",
    "AttendanceStatus",
    "Certificate",
    "CharterAcceptance",
    "ClientFamily",
    "FeedKind",
    "FeedSubscription",
    "Feedback",
    "GroupMembership",
    "Invitation",
    "InvitationRole",
    "Meeting",
    "MeetingStatus",
    "MembershipStatus",
    "MessageKind",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "PartStat",
    "Role",
    "Series",
    "SeriesInvitation",
    "StandingGroup",
    "Vignette",
    "VignetteRead",
    "VignetteStatus",
]
