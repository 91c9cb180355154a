"""The roll calls of the scale data (`seed_scale`): who came to each meeting that took place,
as its organiser recorded it, from what people had answered; and now and then, after a meeting
was closed, a coordinator's correction (an absence excused afterwards), with its reason.

The accredited groups (the GLEMs, meetings.scale) handed their sessions in to INAMI: their
rapporteur records most within the month (services/reports.py), a few never; the reminder the
daily task sends a week after a session still to report went out to the rapporteur (its outbox
row sent, under the task's dedupe key), so that a worker started on this data sends none again.
Their members asked for the certificate of each past year of the group (its cycle), the one the
service would hand out again for the same sessions (same fingerprint), and the facilitator
exported the year's attendance list (a line in the access log).
"""

import hashlib
from datetime import date, datetime, time, timedelta

from django.urls import reverse

from accounts.bulk import Context
from accounts.models import Network
from meetings.attendance.models import (
    ATTENDED,
    AccreditationReport,
    Attendance,
    AttendanceCorrection,
    AttendanceStatus,
    Certificate,
)
from meetings.attendance.services import reports
from meetings.attendance.services.certificates import format_points
from meetings.attendance.services.roll_call import years_after
from meetings.models import (
    TAKING_PLACE,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    PartStat,
    Role,
    StandingGroup,
)
from meetings.recurrence import BRUSSELS, local_start

TOOK_PLACE = [MeetingStatus.HELD, MeetingStatus.CLOSED]
CORRECTED = 0.05  # of the absences at a closed meeting: excused afterwards
CORRECTION_REASONS = [
    "Excusée par téléphone le matin même ; message transmis après la clôture.",
    "Absence prévenue auprès du secrétariat, pas encodée à temps.",
    "Était en visite à domicile urgente : excusé·e par son service.",
]
NEVER_REPORTED = 0.08  # of an accredited group's sessions: the month ran out
ASKS_FOR_CERTIFICATE = 0.6  # of a GLEM's members who came during a year, once the year is over
REMINDER_AT = time(8, 15)  # the daily task's hour (worker/celery.py)


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


def _roll_calls(ctx: Context, accredited: set[int]) -> dict[tuple[int, int], list[tuple[int, datetime, int]]]:
    """Every roll call; returns, for the accredited groups, each member's attended sessions
    ((group, user) → [(meeting, start, minutes attended)])."""
    rng = ctx.rng
    coordinators = {}
    for network_id, user_id in Network.coordinators.through.objects.order_by("pk").values_list(
        "network_id", "user_id"
    ):
        coordinators.setdefault(network_id, user_id)
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
            "meeting__status",
            "meeting__closed_at",
            "meeting__network_id",
            "meeting__group_id",
        )
    )
    attended: dict[tuple[int, int], list[tuple[int, datetime, int]]] = {}
    bar = ctx.bar(rows.count(), "attendance")
    for (
        pk,
        meeting_id,
        user_id,
        partstat,
        start,
        end,
        organiser_id,
        status,
        closed_at,
        network_id,
        group_id,
    ) in rows.iterator(chunk_size=20_000):
        status_now = _status(rng, partstat)
        late = rng.randint(5, 25) if status_now == AttendanceStatus.LATE else None
        recorded_by, recorded_at = organiser_id, end + timedelta(minutes=rng.randint(0, 600))
        correction = None
        if (
            status == MeetingStatus.CLOSED
            and status_now == AttendanceStatus.ABSENT
            and rng.random() < CORRECTED
        ):
            # correct_attendance: the row takes the new mark, by the coordinator who corrected it.
            corrected_at = min(closed_at + timedelta(days=rng.randint(1, 20)), ctx.now)
            recorded_by, recorded_at = coordinators.get(network_id, organiser_id), corrected_at
            status_now = AttendanceStatus.EXCUSED
            correction = {
                "corrected_by_id": recorded_by,
                "reason": rng.choice(CORRECTION_REASONS),
                "previous_status": AttendanceStatus.ABSENT,
                "new_status": AttendanceStatus.EXCUSED,
                "corrected_at": corrected_at,
            }
        row = {
            "meeting_id": meeting_id,
            "status": status_now,
            "late_minutes": late,
            "recorded_by_id": recorded_by,
            "recorded_at": recorded_at,
        }
        if user_id is not None:
            row["user_id"] = user_id
        else:  # a guest without an account: through their invitation, as the roll call does
            row["invitation_id"] = pk
        if status_now in ATTENDED and rng.random() < 0.3:
            row["checked_in_at"] = start + timedelta(minutes=late or rng.randint(-10, 2))
        attendance_id = ctx.add(Attendance, row)
        if correction:
            ctx.add(AttendanceCorrection, {"attendance_id": attendance_id, **correction})
        if group_id in accredited and user_id is not None and status_now in ATTENDED:
            minutes = max(int((end - start).total_seconds() // 60) - (late or 0), 0)
            attended.setdefault((group_id, user_id), []).append((meeting_id, start, minutes))
        bar.update()
    bar.close()
    return attended


def _next_run(moment: datetime) -> datetime:
    """The daily task's first run at or after MOMENT (Brussels time)."""
    day = moment.astimezone(BRUSSELS).date()
    run = local_start(day, REMINDER_AT)
    return run if run >= moment else local_start(day + timedelta(days=1), REMINDER_AT)


def _reports(ctx: Context, groups: dict[int, dict]) -> None:
    """Each accredited session that took place: handed in by its rapporteur within the month (a
    few never), and reminded once if it was still to report a week after."""
    rng, now = ctx.rng, ctx.now
    sessions = (
        Meeting.objects.filter(
            reports.accredited(), group_id__in=list(groups), status__in=TAKING_PLACE, end__lte=now
        )
        .order_by("pk")
        .values_list("pk", "group_id", "end")
    )
    for pk, group_id, end in sessions.iterator(chunk_size=20_000):
        rapporteur = groups[group_id]["rapporteur_id"]
        reported_at = None
        if rng.random() >= NEVER_REPORTED:
            reported_at = end + timedelta(days=rng.randint(1, 27), hours=rng.randint(0, 10))
            if reported_at > now:
                reported_at = None  # not yet: still to report, within its month
        if reported_at is not None:
            ctx.add(
                AccreditationReport,
                {"meeting_id": pk, "reported_by_id": rapporteur, "reported_at": reported_at},
            )
        reminded = _next_run(end + reports.REMINDER_AFTER)
        if (
            rapporteur
            and reminded <= now
            and reminded < end + reports.REPORT_WITHIN
            and (reported_at is None or reported_at > reminded)
        ):
            ctx.sent(
                kind=reports.REPORT_REMINDER,
                user_id=rapporteur,
                at=reminded,
                dedupe_key=reports.reminder_key(pk),
                meeting=pk,
                group=group_id,
            )


def _fingerprint(sessions: list[tuple[int, datetime, int]], reference: str, points) -> str:
    """certificates.fingerprint of these sessions, from their ids and minutes."""
    content = ";".join(
        sorted(f"{pk}:{minutes}:{reference}:{format_points(points)}" for pk, _s, minutes in sessions)
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _years(cycle_start: date, today: date) -> list[tuple[date, date]]:
    """The group's past cycles (a year each from its cycle start), both dates included."""
    years, start = [], cycle_start
    while start > today:
        start = years_after(start, -1)
    for _n in range(3):
        end, start = start, years_after(start, -1)
        years.append((start, end - timedelta(days=1)))
    return years


def _certificates(ctx: Context, groups: dict[int, dict], attended) -> None:
    rng, today = ctx.rng, ctx.now.astimezone(BRUSSELS).date()
    export_path = reverse("attendance:group_attendance_csv", args=[999_999_999]).replace("999999999", "{}")
    by_group: dict[int, list[tuple[int, list]]] = {}
    for (group_id, user_id), sessions in sorted(attended.items()):
        by_group.setdefault(group_id, []).append((user_id, sessions))
    for group_id, group in sorted(groups.items()):
        for first, last in _years(group["cycle_start"], today):
            issued_from = local_start(last + timedelta(days=1), time(9, 0))
            if issued_from > ctx.now:
                continue
            came = False
            for user_id, sessions in by_group.get(group_id, []):
                year = sorted(s for s in sessions if first <= s[1].astimezone(BRUSSELS).date() <= last)
                if not year:
                    continue
                came = True
                if rng.random() >= ASKS_FOR_CERTIFICATE:
                    continue
                certificate_id = ctx.add(
                    Certificate,
                    {
                        "user_id": user_id,
                        "holder_name": ctx.recipient(user_id)[1],
                        "period_start": year[0][1].astimezone(BRUSSELS).date(),
                        "period_end": year[-1][1].astimezone(BRUSSELS).date(),
                        "session_count": len(year),
                        "total_minutes": sum(minutes for _pk, _s, minutes in year),
                        "fingerprint": _fingerprint(
                            year, group["accreditation_reference"], group["accreditation_points"]
                        ),
                        "issued_at": min(issued_from + timedelta(days=rng.randint(0, 60)), ctx.now),
                    },
                )
                for meeting_id, _s, _m in year:
                    ctx.add(
                        Certificate.meetings.through,
                        {"certificate_id": certificate_id, "meeting_id": meeting_id},
                    )
            if came:
                ctx.read(
                    reader_id=group["facilitator_id"],
                    subject=f"group:{group_id}",
                    item="attendance_export",
                    path=export_path.format(group_id),
                    at=issued_from + timedelta(days=rng.randint(0, 20)),
                )


def seed(ctx: Context) -> None:
    groups = {
        g["pk"]: g
        for g in StandingGroup.objects.exclude(accreditation_reference="", accreditation_points__isnull=True)
        .filter(cycle_start__isnull=False)
        .order_by("pk")
        .values("pk", "rapporteur_id", "cycle_start", "accreditation_reference", "accreditation_points")
    }
    for group_id, user_id in (
        StandingGroup.objects.filter(pk__in=list(groups), memberships__role=Role.FACILITATOR)
        .order_by("pk", "memberships__pk")
        .values_list("pk", "memberships__user_id")
    ):
        groups[group_id].setdefault("facilitator_id", user_id)
    attended = _roll_calls(ctx, set(groups))
    _reports(ctx, groups)
    _certificates(ctx, groups, attended)
