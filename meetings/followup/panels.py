"""The follow-up panel of the meeting page: attendance, check-in, the outcome, follow-up
actions, feedback, certificate and export links. A fixed handful of queries, whatever the size of
the meeting."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import record_read, subject_key
from meetings import rules as meeting_rules
from meetings.attendance import rules as attendance_rules
from meetings.attendance.models import ATTENDED
from meetings.attendance.services import roll_call as attendance_services
from meetings.followup import rules
from meetings.followup.forms import FeedbackForm
from meetings.followup.models import Outcome
from meetings.followup.services import outcomes as outcome_services
from meetings.followup.services import reminders as followup
from meetings.models import TAKING_PLACE, Meeting, MeetingStatus
from meetings.panels import Panel, allowed, meeting_panel


@meeting_panel(order=20)
def followup_panel(user: User, meeting: Meeting, *, show_details: bool) -> list[Panel] | None:
    if not show_details or meeting.status not in TAKING_PLACE:
        return None
    now = timezone.now()
    facilitator = meeting_rules.is_facilitator(user, meeting)
    started = now >= meeting.start - attendance_services.OPENS_BEFORE_START
    ended = now >= meeting.end
    closed = meeting.status == MeetingStatus.CLOSED
    attendances = list(meeting.attendances.all()) if started else []
    mine = next((a for a in attendances if a.user_id == user.pk), None)
    checkin_open = attendance_services.is_open(attendance_services.checkin_window(meeting), now)
    sees_outcome = rules.can_see_outcome(user, meeting)
    # The attendance list and the participants' feedback are for the same people (one rule).
    exports = ended and attendance_rules.can_export_attendance(user, meeting)
    read_outcome = sees_outcome and started
    outcome = Outcome.objects.filter(meeting=meeting).first() if read_outcome else None
    has_outcome = (outcome is not None) if read_outcome else None  # None: the service asks
    panel = {
        "facilitator": facilitator,
        "started": started,
        "ended": ended,
        "closed": closed,
        "counts": {
            "attended": sum(1 for a in attendances if a.status in ATTENDED),
            "marked": len(attendances),
        },
        "my_attendance": mine,
        "roll_call_open": facilitator
        and not closed
        and attendance_services.is_open(attendance_services.roll_call_window(meeting), now),
        "checkin_open": checkin_open and not closed,
        "can_check_in": checkin_open
        and not closed
        and bool(meeting.checkin_nonce)
        and not (mine and mine.status in ATTENDED)
        and attendance_rules.is_expected_participant(user, meeting),
        "outcome": outcome,
        # is_facilitator says who may, asked once; the services' own checks say whether it is time.
        "can_record_outcome": facilitator and allowed(outcome_services.check_outcome_open, meeting, now),
        "can_close": facilitator
        and ended  # not before (the service would say so, after asking for the outcome)
        and allowed(lambda: outcome_services.check_closable(meeting, now, has_outcome=has_outcome)),
        "sees_outcome": sees_outcome and started,
        "actions": list(meeting.actions.select_related("owner")) if sees_outcome and started else [],
        "can_export": exports,
        "can_correct": closed and attendance_rules.can_correct_attendance(user, meeting),
        "certificate": bool(mine and mine.status in ATTENDED and ended),
    }
    if ended:
        if exports:
            panel["feedback_summary"] = outcome_services.feedback_summary(meeting)
        # Its attendance is read above (it has started): not asked again.
        if rules.can_give_feedback(user, meeting, attendances=attendances):
            given = outcome_services.my_feedback(meeting, user)
            panel["my_feedback"] = given
            panel["feedback_form"] = FeedbackForm(
                initial={"score": given.score, "comment": given.comment} if given else None
            )
    if meeting.policy.is_confidential and (outcome is not None or panel["actions"]):
        # A confidential meeting's outcome and actions are confidential material (privacy rule 6).
        record_read(
            reader=user,
            subject=subject_key("meeting", meeting.pk),
            item="outcome",
            item_id=meeting.pk,
            path=reverse("meetings:meeting", args=[meeting.pk]),  # panels show on the meeting page only
        )
    carried = list(followup.open_actions_for(meeting, user)) if sees_outcome and not closed else []
    shown = [Panel("followup/_followup.html", panel)]
    if carried:
        shown.append(Panel("followup/_carried_actions.html", {"actions": carried}, slot="agenda"))
    return shown
