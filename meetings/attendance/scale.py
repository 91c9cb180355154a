"""The roll calls of the scale data (`seed_scale`): who came to each meeting that took place,
as its organiser recorded it, from what people had answered."""

from datetime import timedelta

from accounts.bulk import Context
from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.models import Invitation, InvitationRole, MeetingStatus, PartStat

TOOK_PLACE = [MeetingStatus.HELD, MeetingStatus.CLOSED]


def _status(rng, partstat: str) -> str:
    r = rng.random()
    if partstat == PartStat.ACCEPTED:
        return (
            AttendanceStatus.PRESENT
            if r < 0.88
            else AttendanceStatus.LATE
            if r < 0.95
            else AttendanceStatus.ABSENT
        )
    if partstat == PartStat.DECLINED:
        return AttendanceStatus.EXCUSED if r < 0.85 else AttendanceStatus.ABSENT
    return AttendanceStatus.PRESENT if r < 0.5 else AttendanceStatus.ABSENT


def seed(ctx: Context) -> None:
    rng = ctx.rng
    rows = (
        Invitation.objects.filter(meeting__status__in=TOOK_PLACE, meeting__end__lt=ctx.now)
        .exclude(role=InvitationRole.MINUTES_ONLY)
        .order_by("pk")
        .values_list(
            "pk",
            "meeting_id",
            "user_id",
            "partstat",
            "meeting__start",
            "meeting__end",
            "meeting__organiser_id",
        )
    )
    bar = ctx.bar(rows.count(), "attendance")
    for pk, meeting_id, user_id, partstat, start, end, organiser_id in rows.iterator(chunk_size=20_000):
        status = _status(rng, partstat)
        late = rng.randint(5, 25) if status == AttendanceStatus.LATE else None
        row = {
            "meeting_id": meeting_id,
            "status": status,
            "late_minutes": late,
            "recorded_by_id": organiser_id,
            "recorded_at": end + timedelta(minutes=rng.randint(0, 600)),
        }
        if user_id is not None:
            row["user_id"] = user_id
        else:  # a guest without an account: through their invitation, as the roll call does
            row["invitation_id"] = pk
        if status in {AttendanceStatus.PRESENT, AttendanceStatus.LATE} and rng.random() < 0.3:
            row["checked_in_at"] = start + timedelta(minutes=late or rng.randint(-10, 2))
        ctx.add(Attendance, row)
        bar.update()
    bar.close()
