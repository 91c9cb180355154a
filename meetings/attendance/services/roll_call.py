"""Who came: the facilitator's roll call, self check-in with a code, corrections after closing,
and the attendance rule of standing groups.

Windows (Europe/Brussels does not matter here: they are durations around the meeting):
- roll call from 15 minutes before the start until 7 days after the end;
- self check-in from 15 minutes before the start until the end.
"""

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from meetings import rules as meeting_rules
from meetings.attendance import rules
from meetings.attendance.models import ATTENDED, Attendance, AttendanceCorrection, AttendanceStatus
from meetings.attendance.services.wrong_codes import count_wrong_code, too_many_wrong_codes
from meetings.bounds import shifted
from meetings.models import (
    TAKING_PLACE,
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    StandingGroup,
)
from meetings.services.meetings import mark_held

OPENS_BEFORE_START = timedelta(minutes=15)
ROLL_CALL_AFTER_END = timedelta(days=7)
# Unambiguous characters only: no 0/O, 1/I/L, read aloud or off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


# Windows


def roll_call_window(meeting: Meeting) -> tuple[datetime, datetime]:
    return shifted(meeting.start, -OPENS_BEFORE_START), shifted(meeting.end, ROLL_CALL_AFTER_END)


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    return shifted(meeting.start, -OPENS_BEFORE_START), meeting.end


def is_open(window: tuple[datetime, datetime], now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return window[0] <= now <= window[1]


def _check_taking_place(meeting: Meeting) -> None:
    if meeting.status not in TAKING_PLACE:
        raise ValidationError(_("Cette réunion n'a pas lieu : pas de présences à noter."), code="not_held")
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(
            _("Cette réunion est clôturée : les présences ne peuvent plus être modifiées."), code="closed"
        )


# Who is expected


@dataclass(frozen=True)
class Mark:
    status: str
    late_minutes: int | None = None


@dataclass
class RollCallRow:
    key: str  # "u<user id>" or "g<invitation id>" (external guest): the form field suffix
    name: str
    user: User | None
    invitation: Invitation | None
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def late_minutes(self) -> int | None:
        return self.attendance.late_minutes if self.attendance else None


def roll_call(meeting: Meeting) -> list[RollCallRow]:
    """Everyone expected: the organiser, the group's active members and the invitees (not
    minutes-only), once each, with what has been recorded so far. A constant number of queries."""
    organiser = meeting.organiser
    rows: dict[str, RollCallRow] = {
        f"u{organiser.pk}": RollCallRow(f"u{organiser.pk}", str(organiser), organiser, None, None)
    }
    if meeting.group_id:
        members = GroupMembership.objects.filter(
            group_id=meeting.group_id, status=MembershipStatus.ACTIVE
        ).select_related("user")
        for membership in members:
            user = membership.user
            rows[f"u{user.pk}"] = RollCallRow(f"u{user.pk}", str(user), user, None, None)
    invitations = meeting.invitations.exclude(role=InvitationRole.MINUTES_ONLY).select_related("user")
    for invitation in invitations:
        key = f"u{invitation.user_id}" if invitation.user_id else f"g{invitation.pk}"
        if key not in rows:
            rows[key] = RollCallRow(key, invitation.display_name, invitation.user, invitation, None)
    for attendance in meeting.attendances.select_related("user", "invitation"):
        key = f"u{attendance.user_id}" if attendance.user_id else f"g{attendance.invitation_id}"
        if key not in rows:  # recorded, then removed from the group: still shown
            name = str(attendance.user) if attendance.user else attendance.invitation.display_name
            rows[key] = RollCallRow(key, name, attendance.user, attendance.invitation, None)
        rows[key].attendance = attendance
    return sorted(rows.values(), key=lambda row: row.name.casefold())


# Roll call


def _check_mark(mark: Mark, duration: timedelta) -> None:
    if mark.status not in AttendanceStatus.values:
        raise ValidationError(_("Présence inconnue."), code="bad_status")
    if mark.status == AttendanceStatus.LATE:
        if mark.late_minutes is None or mark.late_minutes <= 0:
            raise ValidationError(_("Indiquez les minutes de retard."), code="late_minutes")
        if mark.late_minutes >= duration.total_seconds() / 60:
            raise ValidationError(_("Le retard dépasse la durée de la réunion."), code="late_minutes")


@transaction.atomic
def record_roll_call(
    *, meeting: Meeting, by: User, marks: dict[str, Mark], now: datetime | None = None
) -> int:
    """Record the facilitator's marks (keys as in roll_call()). All or nothing. Returns how many
    people are marked."""
    if not meeting_rules.is_facilitator(by, meeting):
        raise PermissionDenied(_("Seul l'animateur ou l'animatrice de la réunion fait l'appel."))
    _check_taking_place(meeting)
    if not is_open(roll_call_window(meeting), now):
        raise ValidationError(
            _(
                "L'appel se fait à partir d'un quart d'heure avant le début "
                "et jusqu'à 7 jours après la réunion."
            ),
            code="window",
        )
    expected = {row.key: row for row in roll_call(meeting)}
    unknown = set(marks) - set(expected)
    if unknown:
        raise ValidationError(_("Cette personne n'est pas attendue à la réunion."), code="unknown")
    for mark in marks.values():
        _check_mark(mark, meeting.duration)
    for key, mark in marks.items():
        row = expected[key]
        late = mark.late_minutes if mark.status == AttendanceStatus.LATE else None
        _save(meeting, row.user, row.invitation, status=mark.status, late_minutes=late, recorded_by=by)
    return len(marks)


@transaction.atomic
def mark_everyone_present(
    *, meeting: Meeting, by: User, marks: dict[str, Mark] | None = None, now: datetime | None = None
) -> int:
    """ "Tous présents": record MARKS (the exceptions already tapped, or nothing) and mark present
    everyone expected who is neither in MARKS nor marked yet (a self check-in, an earlier roll
    call stand). The same checks as record_roll_call, all or nothing. Returns how many people
    were added as present."""
    marks = dict(marks or {})
    added = {
        row.key: Mark(AttendanceStatus.PRESENT)
        for row in roll_call(meeting)
        if row.key not in marks and row.attendance is None
    }
    record_roll_call(meeting=meeting, by=by, marks=marks | added, now=now)
    return len(added)


def _save(meeting, user, invitation, **fields) -> Attendance:
    # Someone was there: the meeting took place (and a series edit will never replace it).
    mark_held(meeting)
    lookup = {"meeting": meeting, "user": user} if user else {"meeting": meeting, "invitation": invitation}
    attendance, _created = Attendance.objects.update_or_create(**lookup, defaults=fields)
    return attendance


# Self check-in


def _derive(meeting: Meeting, purpose: str) -> bytes:
    # Derived from the secret key and the meeting's nonce: nothing to store, and a new nonce
    # revokes both the code and the link.
    return salted_hmac(
        f"meetings.checkin.{purpose}", f"{meeting.pk}:{meeting.checkin_nonce}", algorithm="sha256"
    ).digest()


def open_checkin(meeting: Meeting, *, by: User) -> Meeting:
    """Give the meeting a check-in secret (once): the facilitator then shows its code."""
    if not meeting_rules.is_facilitator(by, meeting):
        raise PermissionDenied(_("Seul l'animateur ou l'animatrice de la réunion affiche le code."))
    _check_taking_place(meeting)
    if not meeting.checkin_nonce:
        Meeting.objects.filter(pk=meeting.pk, checkin_nonce="").update(checkin_nonce=get_random_string(32))
        meeting.refresh_from_db(fields=["checkin_nonce"])
    return meeting


def renew_checkin(meeting: Meeting, *, by: User) -> Meeting:
    """A new code and link: those shown before stop working (a photo of the screen went round)."""
    if not meeting_rules.is_facilitator(by, meeting):
        raise PermissionDenied(_("Seul l'animateur ou l'animatrice de la réunion affiche le code."))
    _check_taking_place(meeting)
    meeting.checkin_nonce = get_random_string(32)
    meeting.save(update_fields=["checkin_nonce"])
    return meeting


def checkin_code(meeting: Meeting) -> str:
    digest = _derive(meeting, "code")
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])


def checkin_token(meeting: Meeting) -> str:
    """The link's secret (for the QR code and online meetings): 128 bits, never stored."""
    return _derive(meeting, "link")[:16].hex()


def checkin_token_valid(meeting: Meeting, token: str) -> bool:
    """Whether TOKEN is the meeting's current check-in link (none before a code was shown)."""
    return bool(meeting.checkin_nonce and token) and constant_time_compare(token, checkin_token(meeting))


def _failures_key(meeting: Meeting, user: User) -> str:
    return f"checkin-failures:{meeting.pk}:{user.pk}"


def _normalise_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


def check_in(
    *,
    meeting: Meeting,
    user: User,
    code: str = "",
    token: str = "",
    now: datetime | None = None,
) -> Attendance:
    """A participant says they are here, with the code shown in the room or the link."""
    now = now or timezone.now()
    if not rules.is_expected_participant(user, meeting):
        raise PermissionDenied(_("Vous n'êtes pas invité·e à cette réunion."))
    _check_taking_place(meeting)
    if not meeting.checkin_nonce or not is_open(checkin_window(meeting), now):
        raise ValidationError(
            _(
                "Le signalement de présence est ouvert d'un quart d'heure avant le début "
                "jusqu'à la fin de la réunion."
            ),
            code="window",
        )
    failures_key = _failures_key(meeting, user)
    if too_many_wrong_codes(failures_key):
        raise ValidationError(
            _(
                "Trop de codes erronés. Réessayez dans un quart d'heure "
                "ou demandez à l'animateur de vous noter."
            ),
            code="rate_limited",
        )
    valid = (code and constant_time_compare(_normalise_code(code), checkin_code(meeting))) or (
        checkin_token_valid(meeting, token)
    )
    if not valid:
        count_wrong_code(failures_key)
        raise ValidationError(_("Ce code ne correspond pas à la réunion."), code="wrong_code")
    late_minutes = int((now - meeting.start).total_seconds() // 60)
    status, late = (
        (AttendanceStatus.LATE, late_minutes) if late_minutes >= 5 else (AttendanceStatus.PRESENT, None)
    )
    with transaction.atomic():
        existing = meeting.attendances.filter(user=user).select_for_update().first()
        if existing and existing.status in ATTENDED:
            return existing  # checking in twice changes nothing
        return _save(
            meeting, user, None, status=status, late_minutes=late, checked_in_at=now, recorded_by=None
        )


# Corrections after closing


@transaction.atomic
def correct_attendance(
    *, meeting: Meeting, by: User, key: str, mark: Mark, reason: str
) -> AttendanceCorrection:
    """A coordinator corrects a closed meeting's attendance; the reason is kept."""
    if not rules.can_correct_attendance(by, meeting):
        raise PermissionDenied(_("Seule la coordination du réseau corrige les présences."))
    if meeting.status != MeetingStatus.CLOSED:
        raise ValidationError(
            _("Tant que la réunion n'est pas clôturée, l'animateur ou l'animatrice modifie l'appel."),
            code="not_closed",
        )
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de la correction."), code="reason")
    _check_mark(mark, meeting.duration)
    row = {r.key: r for r in roll_call(meeting)}.get(key)
    if row is None:
        raise ValidationError(_("Cette personne n'est pas attendue à la réunion."), code="unknown")
    previous = row.attendance.status if row.attendance else ""
    late = mark.late_minutes if mark.status == AttendanceStatus.LATE else None
    attendance = _save(
        meeting, row.user, row.invitation, status=mark.status, late_minutes=late, recorded_by=by
    )
    return AttendanceCorrection.objects.create(
        attendance=attendance,
        corrected_by=by,
        reason=reason.strip(),
        previous_status=previous,
        new_status=mark.status,
    )


# The attendance rule of standing groups


@dataclass
class MemberAttendance:
    user: User
    attended: int
    sessions: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.sessions) if self.sessions else 100


def cycle(group: StandingGroup, today: date | None = None) -> tuple[date, date]:
    """The current cycle, end excluded: a year from the group's cycle start (rolled forward), or
    the last twelve months up to today included."""
    today = today or timezone.localdate()
    if group.cycle_start is None:
        return years_after(today, -1), today + timedelta(days=1)
    start = group.cycle_start
    while years_after(start, 1) <= today:
        start = years_after(start, 1)
    return start, years_after(start, 1)


def years_after(day: date, years: int) -> date:
    if not MINYEAR <= day.year + years <= MAXYEAR:  # a day stored before meetings.bounds
        return date.max if years > 0 else date.min
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def below_minimum(group: StandingGroup, *, now: datetime | None = None) -> list[MemberAttendance]:
    """Active members whose attendance over the current cycle is under the group's minimum,
    counting the sessions held so far (cancelled sessions do not count)."""
    if not group.attendance_minimum:
        return []
    now = now or timezone.now()
    start, end = cycle(group, timezone.localdate(now))
    held = list(
        group.meetings.filter(start__date__gte=start, start__date__lt=end, end__lte=now)
        .filter(status__in=TAKING_PLACE)
        .values_list("pk", "start")
    )
    if not held:
        return []
    attended: dict[int, int] = {}
    for user_id in Attendance.objects.filter(
        meeting_id__in=[pk for pk, _start in held], status__in=list(ATTENDED), user__isnull=False
    ).values_list("user_id", flat=True):
        attended[user_id] = attended.get(user_id, 0) + 1
    rows = []
    members = GroupMembership.objects.filter(group=group, status=MembershipStatus.ACTIVE).select_related(
        "user"
    )
    for membership in members:
        # Sessions held before someone joined do not count against them.
        joined = membership.decided_at or membership.requested_at
        sessions = sum(1 for _pk, session_start in held if session_start >= joined)
        rows.append(MemberAttendance(membership.user, attended.get(membership.user_id, 0), sessions))
    return sorted(
        (r for r in rows if r.sessions and r.percent < group.attendance_minimum),
        key=lambda r: (r.percent, r.user.get_full_name()),
    )
