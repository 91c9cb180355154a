"""Who may write, read and manage a vignette (privacy rule 2)."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from meetings.models import InvitationRole, Meeting, PartStat
from meetings.rules import member_sees_details, my_invitations
from meetings.vignettes.models import Vignette


def is_vignette_participant(user: User, meeting: Meeting) -> bool:
    """Who may write and read a meeting's vignettes: its organiser, the invitees who have not
    declined, and, for a group's session, the active members who accepted the current charter
    (unless they declined this session). Not a coordinator who does not take part."""
    if not user.is_authenticated:
        return False
    if meeting.organiser_id == user.pk:
        return True
    answers = {i.partstat for i in my_invitations(user, meeting) if i.role != InvitationRole.MINUTES_ONLY}
    if PartStat.DECLINED in answers:
        return False
    if answers:
        return True
    return meeting.group is not None and member_sees_details(user, meeting.group)


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


def is_readable_now(vignette: Vignette, now: datetime | None = None) -> bool:
    """Whether a vignette is shared and still within its (effective) time of reading."""
    return vignette.is_shared and vignette.is_readable_at(now or timezone.now())
