"""The attendance panel of the group page: the group's attendance rule, who is under it this
cycle, accreditation, and links to the rules and the cycle's export. For those who facilitate."""

from accounts.models import User
from meetings import rules as meeting_rules
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services import roll_call as attendance_services
from meetings.models import StandingGroup
from meetings.panels import Panel, group_panel


@group_panel(order=10)
def group_attendance_panel(user: User, group: StandingGroup, *, show_details: bool) -> Panel | None:
    if not meeting_rules.can_manage_group(user, group):
        return None
    return Panel(
        "attendance/_group_panel.html",
        {
            "below_minimum": attendance_services.below_minimum(group),
            "cycle": certificate_services.default_group_period(group),
        },
    )
