"""The e-mail reminding a group's rapporteur to hand in a session's attendance for accreditation
(services/reports.py), the outbox's renderer of its kind (registered in AttendanceConfig.ready()).
Like every e-mail it carries no case material: the session's safe heading, its date, the
deadline, and a link to the group's page (login required). A row's references: "user" (the
rapporteur), "meeting" and "group"."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from meetings import ical
from meetings.attendance.models import AccreditationReport
from meetings.attendance.services import reports
from meetings.models import TAKING_PLACE, Meeting
from meetings.recurrence import format_date
from outbox.models import OutboxMessage
from outbox.rendering import template_email

LABEL = _("présences à transmettre (accréditation)")


def render(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    """None once the session was reported or cancelled: nothing to remind any more."""
    meeting = (
        Meeting.objects.select_related("group")
        .filter(pk=message.refs.get("meeting"), group__isnull=False)
        .first()
    )
    if meeting is None or meeting.status not in TAKING_PLACE:
        return None
    if AccreditationReport.objects.filter(meeting=meeting).exists():
        return None
    context = {
        "recipient_name": message.recipient_name,
        "heading": ical.public_heading(meeting),
        "when": format_date(meeting.start),
        "deadline": formats.date_format(reports.deadline(meeting), "j F Y"),
        "url": settings.SITE_URL
        + reverse("meetings:group", args=[meeting.group_id])
        + "#accreditation-reports",
    }
    return template_email("attendance-report-reminder", context)
