"""The attendance panel of the group page: the group's attendance rule, who is under it this
cycle, accreditation and the sessions whose attendance is still to hand in, and links to the
rules and the cycle's export. For those who facilitate, and for the group's rapporteur."""

from accounts.models import User
from meetings import rules as meeting_rules
from meetings.attendance import rules
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services import reports
from meetings.attendance.services import roll_call as attendance_services
from meetings.models import StandingGroup
from meetings.panels import Panel, group_panel


@group_panel(order=10)
def group_attendance_panel(user: User, group: StandingGroup, *, show_details: bool) -> Panel | None:
    if not rules.can_export_group_attendance(user, group):
        return None
    manages = meeting_rules.can_manage_group(user, group)
    return Panel(
        "attendance/_group_panel.html",
        {
            "manages": manages,
            "below_minimum": attendance_services.below_minimum(group) if manages else [],
            "cycle": certificate_services.default_group_period(group),
            "to_report": reports.group_sessions_to_report(group),
            "can_report": rules.can_report_attendance(user, group),
        },
    )
