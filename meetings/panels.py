"""What the meeting page shows around the meeting itself, for one viewer: attendance, check-in,
the outcome, follow-up actions, feedback, certificate and export links. A fixed handful of
queries, whatever the size of the meeting."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from meetings import permissions
from meetings.forms_outcomes import FeedbackForm
from meetings.models import ATTENDED, TAKING_PLACE, Meeting, MeetingStatus, Outcome
from meetings.services import attendance as attendance_services
from meetings.services import followup
from meetings.services import outcomes as outcome_services
from meetings.services import vignettes as vignette_services


def _allowed(check, *args) -> bool:
    """Whether a service's check (which raises to refuse) lets this through."""
    try:
        check(*args)
    except (ValidationError, PermissionDenied):
        return False
    return True


def followup_panel(user: User, meeting: Meeting, *, show_details: bool) -> dict:
    if not show_details or meeting.status not in TAKING_PLACE:
        return {"panel": None}
    now = timezone.now()
    facilitator = permissions.is_facilitator(user, meeting)
    started = now >= meeting.start - attendance_services.OPENS_BEFORE_START
    ended = now >= meeting.end
    closed = meeting.status == MeetingStatus.CLOSED
    attendances = list(meeting.attendances.all()) if started else []
    mine = next((a for a in attendances if a.user_id == user.pk), None)
    checkin_open = attendance_services.is_open(attendance_services.checkin_window(meeting), now)
    sees_outcome = permissions.can_see_outcome(user, meeting)
    # The attendance list and the participants' feedback are for the same people (one rule).
    exports = ended and permissions.can_export_attendance(user, meeting)
    outcome = Outcome.objects.filter(meeting=meeting).first() if sees_outcome and started else None
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
        and permissions.is_expected_participant(user, meeting),
        "outcome": outcome,
        # is_facilitator says who may, asked once; the services' own checks say whether it is time.
        "can_record_outcome": facilitator and _allowed(outcome_services.check_outcome_open, meeting, now),
        "can_close": facilitator and _allowed(outcome_services.check_closable, meeting, now),
        "sees_outcome": sees_outcome and started,
        "actions": list(meeting.actions.select_related("owner")) if sees_outcome and started else [],
        "carried_actions": list(followup.open_actions_for(meeting, user))
        if sees_outcome and not closed
        else [],
        "can_export": exports,
        "can_correct": closed and permissions.can_correct_attendance(user, meeting),
        "certificate": bool(mine and mine.status in ATTENDED and ended),
    }
    if ended:
        if exports:
            panel["feedback_summary"] = outcome_services.feedback_summary(meeting)
        if outcome_services.can_give_feedback(user, meeting):
            given = outcome_services.my_feedback(meeting, user)
            panel["my_feedback"] = given
            panel["feedback_form"] = FeedbackForm(
                initial={"score": given.score, "comment": given.comment} if given else None
            )
    return {"panel": panel}


def vignette_panel(user: User, meeting: Meeting, *, show_details: bool) -> dict:
    """The meeting's vignettes this person may open (titles only here), and whether they may write one."""
    if not show_details:
        return {"vignettes": None}
    policy = meeting.policy
    if not policy.written_case_material:
        return {"vignettes": {"refusal": policy.no_vignette_reason}}
    if not permissions.is_vignette_participant(user, meeting):
        return {"vignettes": None}
    now = timezone.now()
    # Readable as the detail page decides: not once the meeting moved earlier or was cancelled.
    visible = [
        v
        for v in meeting.vignettes.select_related("meeting__group", "author").order_by("created_at")
        if permissions.is_vignette_author(user, v) or vignette_services.is_readable_now(v, now)
    ]
    can_write = _allowed(vignette_services.check_can_write, user, meeting, now)
    return {"vignettes": {"items": visible, "can_write": can_write}}
