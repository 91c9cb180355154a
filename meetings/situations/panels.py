"""The situations panel of the meeting page: for a concertation held around a situation, a link
to it — for those the situation's rules let see it, and for nobody else (the meeting page of a
participant outside the gate does not say which situation it is about)."""

from accounts.models import User
from meetings.models import Meeting
from meetings.panels import Panel, meeting_panel
from meetings.situations.policies import policy_for
from meetings.situations.rules import access_for


@meeting_panel(order=5)
def situation_panel(user: User, meeting: Meeting, *, show_details: bool) -> Panel | None:
    if not show_details or not meeting.policy.invites_person_and_relatives:
        return None
    concertation = getattr(meeting, "situation_link", None)
    if concertation is None:
        return None
    situation = concertation.situation
    access = access_for(user, situation)
    if not access.sees_shared_items:
        return None
    data = {
        "situation": situation,
        "template": policy_for(concertation.template),
        "held": concertation,
        "reads_reports": access.reads_reports,
    }
    return Panel("situations/_meeting_panel.html", data)
