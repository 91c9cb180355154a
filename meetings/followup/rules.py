"""Who may read an outcome and its actions, edit an action, give and see feedback."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from meetings.attendance.models import ATTENDED
from meetings.attendance.rules import can_export_attendance
from meetings.models import TAKING_PLACE, Invitation, InvitationRole, Meeting, MeetingStatus, PartStat
from meetings.models.invitations import AROUND_A_PERSON_ROLES
from meetings.rules import can_see_meeting_details, my_invitations


def can_edit_action(user: User, action) -> bool:
    """Mark done, drop, reopen: the person in charge of it, or who handed it out."""
    return user.is_authenticated and user.pk in {action.owner_id, action.created_by_id}


# Participants' feedback is for the same people as the attendance list: one rule, two questions.
can_see_feedback = can_export_attendance


def can_see_outcome(user: User, meeting: Meeting) -> bool:
    """Outcome and actions: whoever sees the details, except for kinds whose minutes may hold
    clinical content, kept to the professionals who take part (not those who declined, nor the
    person concerned and relatives, who hear it from them)."""
    if not can_see_meeting_details(user, meeting):
        return False
    if not meeting.policy.clinical_minutes or meeting.organiser_id == user.pk:
        return True
    return Meeting.objects.filter(clinical_minutes_readable_by(user), pk=meeting.pk).exists()


def clinical_minutes_readable_by(user: User) -> Q:
    """can_see_outcome's own test for kinds whose minutes may hold clinical content, as a filter
    on meetings: their organiser and the professionals invited who did not decline, or who
    answered "envoyez-moi le compte rendu" (minutes-only: they decline the meeting, not its
    minutes). Invitations go meeting by meeting: taking part in one session opens none of the
    others' minutes."""
    taking_part = (
        Invitation.objects.filter(user_id=user.pk)
        .exclude(Q(partstat=PartStat.DECLINED) & ~Q(role=InvitationRole.MINUTES_ONLY))
        .exclude(role__in=AROUND_A_PERSON_ROLES)
    )
    return Q(organiser_id=user.pk) | Q(pk__in=taking_part.values("meeting_id"))


def can_give_feedback(user: User, meeting: Meeting, *, attendances: list | None = None) -> bool:
    """Who came says whether it was useful: those marked present or late once the roll call is
    taken, else those who said they would come. ATTENDANCES: the meeting's attendance rows, when
    the caller has read them already (the meeting page's panel)."""
    if meeting.status not in {MeetingStatus.HELD, MeetingStatus.CLOSED} and meeting.end > timezone.now():
        return False
    if meeting.status not in TAKING_PLACE:
        return False
    if attendances is not None:
        if attendances:
            return any(a.user_id == user.pk and a.status in ATTENDED for a in attendances)
    elif meeting.attendances.exists():
        return meeting.attendances.filter(user=user, status__in=list(ATTENDED)).exists()
    return any(i.partstat == PartStat.ACCEPTED for i in my_invitations(user, meeting))
