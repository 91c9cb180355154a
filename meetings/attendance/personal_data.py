"""Attendance's section of a person's data (accounts.personal_data): where they were marked
present, late, excused or absent, corrections made to it, their certificates, and the sessions
they reported for accreditation. Erasure keeps every row — the figures of meetings, groups and
networks, and others' certificates, rely on them — and renames their certificates after the
account's tombstone."""

from datetime import datetime

from django.db.models import Q

from accounts.models import User
from accounts.services import erased_name
from meetings.attendance.models import AccreditationReport, Attendance, AttendanceCorrection, Certificate


def export(user: User, *, confidential: bool) -> dict:
    theirs = Q(user=user) | Q(invitation__user=user)
    attendances = Attendance.objects.filter(theirs).select_related("meeting").order_by("meeting__start")
    corrections = AttendanceCorrection.objects.filter(
        Q(attendance__user=user) | Q(attendance__invitation__user=user)
    ).order_by("corrected_at")
    certificates = Certificate.objects.filter(user=user).prefetch_related("meetings").order_by("issued_at")
    return {
        "attendance": [
            {
                "meeting": {
                    "id": a.meeting_id,
                    "kind": a.meeting.kind,
                    "start": a.meeting.start,
                    **({"title": a.meeting.title} if confidential else {}),
                },
                "status": a.status,
                "late_minutes": a.late_minutes,
                "checked_in_at": a.checked_in_at,
                "recorded_at": a.recorded_at,
            }
            for a in attendances
        ],
        "corrections": [
            {
                "meeting": c.attendance.meeting_id,
                "previous_status": c.previous_status,
                "new_status": c.new_status,
                "corrected_at": c.corrected_at,
                **({"reason": c.reason} if confidential else {}),
            }
            for c in corrections.select_related("attendance")
        ],
        "certificates": [
            {
                "code": c.code,
                "holder_name": c.holder_name,
                "period_start": c.period_start,
                "period_end": c.period_end,
                "session_count": c.session_count,
                "total_minutes": c.total_minutes,
                "meetings": sorted(m.pk for m in c.meetings.all()),
                "issued_at": c.issued_at,
            }
            for c in certificates
        ],
        # Sessions whose attendance they recorded as handed in, as a group's rapporteur.
        "accreditation_reports": [
            {"meeting": r.meeting_id, "reported_at": r.reported_at}
            for r in AccreditationReport.objects.filter(reported_by=user).order_by("reported_at", "pk")
        ],
    }


def erase(user: User, *, now: datetime) -> None:
    name = erased_name(user)
    Certificate.objects.filter(user=user).exclude(holder_name=name).update(holder_name=name)
