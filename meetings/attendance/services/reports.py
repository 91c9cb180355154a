"""Handing in attendance for accreditation (GLEM and other accredited groups, FIELD.md).

A group's session is accredited when it, or its group, has an accreditation reference or points.
Once it has taken place, its rapporteur (StandingGroup.rapporteur, an active member named by the
coordinator) hands its attendance list in to INAMI within a month of the session, then records
it here (`mark_reported`). Until then the session is "to report": the group page lists it, the
attendance exports say so, and `send_report_reminders` (a periodic task) reminds the rapporteur
once per session, REMINDER_AFTER the session and while its month has not run out — a reminder
that arrives after the deadline helps nobody, and the exports keep showing it as late.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.attendance.models import AccreditationReport
from meetings.models import TAKING_PLACE, Meeting, StandingGroup
from meetings.recurrence import BRUSSELS
from meetings.rules import sees_group_details
from outbox import services as outbox
from outbox.models import OutboxMessage

# The outbox kind of the reminder (rendered by meetings.attendance.notices).
REPORT_REMINDER = "attendance_report_reminder"
REPORT_WITHIN = relativedelta(months=1)
# Time to finish the roll call and its corrections (a meeting left open is chased after 72 h).
REMINDER_AFTER = timedelta(days=7)


def accredited(group: StandingGroup | None = None) -> Q:
    """Meetings with accreditation of their own or from their group (as certificates.accreditation).
    GROUP: the meetings filtered are that group's, whose accreditation is known already."""
    own = ~Q(accreditation_reference="") | Q(accreditation_points__isnull=False)
    if group is not None:
        return Q() if bool(group.accreditation_reference) or group.accreditation_points is not None else own
    return own | Q(group__isnull=False) & (
        ~Q(group__accreditation_reference="") | Q(group__accreditation_points__isnull=False)
    )


def is_accredited(meeting: Meeting) -> bool:
    group = meeting.group if meeting.group_id else None
    own = bool(meeting.accreditation_reference) or meeting.accreditation_points is not None
    inherited = group is not None and (
        bool(group.accreditation_reference) or group.accreditation_points is not None
    )
    return own or inherited


def deadline(meeting: Meeting) -> date:
    """The last day to hand in the session's attendance: a month after it, Brussels date."""
    return meeting.end.astimezone(BRUSSELS).date() + REPORT_WITHIN


def _over(now: datetime) -> Q:
    return Q(status__in=TAKING_PLACE, end__lte=now)


def to_report(
    meetings: QuerySet, *, now: datetime | None = None, group: StandingGroup | None = None
) -> QuerySet:
    """MEETINGS that took place, are accredited and whose attendance was not handed in yet
    (GROUP: they are all of that group, see accredited)."""
    now = now or timezone.now()
    return meetings.filter(_over(now), accredited(group), accreditation_report__isnull=True)


def group_sessions_to_report(group: StandingGroup, *, now: datetime | None = None) -> list["SessionToReport"]:
    """The group's sessions still to report, oldest first, with their deadline."""
    now = now or timezone.now()
    # group.meetings gives each its group (GROUP itself): no need to read it again.
    meetings = to_report(group.meetings.all(), now=now, group=group).order_by("start")
    today = now.astimezone(BRUSSELS).date()
    return [SessionToReport(meeting=m, deadline=deadline(m), late=deadline(m) < today) for m in meetings]


@dataclass(frozen=True)
class SessionToReport:
    meeting: Meeting
    deadline: date
    late: bool


def report_state(meeting: Meeting, report: AccreditationReport | None, *, today: date) -> str:
    """What the attendance exports say of a session: "" for a session without accreditation."""
    if not is_accredited(meeting):
        return ""
    if report is not None:
        day = report.reported_at.astimezone(BRUSSELS).date()
        return _("transmise le %(date)s") % {"date": day.isoformat()}
    limit = deadline(meeting)
    if limit < today:
        return _("à transmettre, délai dépassé le %(date)s") % {"date": limit.isoformat()}
    return _("à transmettre avant le %(date)s") % {"date": limit.isoformat()}


@transaction.atomic
def mark_reported(*, meeting: Meeting, by: User, now: datetime | None = None) -> AccreditationReport:
    """Record that MEETING's attendance was handed in. Refused for a session that has not taken
    place or has no accreditation; recording it twice keeps the first date."""
    now = now or timezone.now()
    if not Meeting.objects.filter(_over(now), pk=meeting.pk).exists():
        raise ValidationError(
            _("Cette séance n'a pas encore eu lieu : ses présences seront à transmettre ensuite."),
            code="not_over",
        )
    if not is_accredited(meeting):
        raise ValidationError(
            _("Cette séance n'est pas accréditée : il n'y a pas de présences à transmettre."),
            code="not_accredited",
        )
    report, _created = AccreditationReport.objects.get_or_create(
        meeting=meeting, defaults={"reported_by": by, "reported_at": now}
    )
    return report


def reminder_key(meeting_id: int) -> str:
    return f"attendance-report-reminder:{meeting_id}"


def send_report_reminders(*, now: datetime | None = None) -> int:
    """Remind each accredited session's rapporteur, once per session, to hand in its attendance:
    from REMINDER_AFTER the session until its month runs out, unless it was reported. The outbox's
    dedupe key makes it once, whatever runs twice or whoever is rapporteur by then."""
    now = now or timezone.now()
    due = (
        to_report(Meeting.objects.all(), now=now - REMINDER_AFTER)
        .filter(end__gt=now - REPORT_WITHIN, group__rapporteur__isnull=False)
        .filter(sees_group_details(OuterRef("group__rapporteur"), OuterRef("group")))
        .select_related("group__rapporteur")
    )
    due = list(due)
    already = set(
        OutboxMessage.objects.filter(dedupe_key__in=[reminder_key(m.pk) for m in due]).values_list(
            "dedupe_key", flat=True
        )
    )
    return sum(
        outbox.queue_once(
            dedupe_key=reminder_key(meeting.pk),
            kind=REPORT_REMINDER,
            **outbox.addressed_to(meeting.group.rapporteur, meeting=meeting.pk, group=meeting.group_id),
        )
        for meeting in due
        if reminder_key(meeting.pk) not in already
    )
