"""Certificates of attendance, their public verification, and attendance exports (CSV).

A certificate covers one person's attended sessions (present or late) of meetings that took place
and are over: one meeting, or every such meeting in a period (optionally one group's). Its
content is a fingerprint of the meetings, of the minutes attended and of their accreditation
(reference and points): asking again for the same thing hands out the same certificate and code,
and a correction of attendance or of points gives a new one (the old one still verifies what it
stated). The period it states is the span of its sessions.

Minutes attended are the meeting's duration minus the minutes of lateness, never below zero.
Titles follow the calendar rule (meetings/ical.py): a confidential kind shows its kind and its
group's name, a clinical concertation its kind only, never its title.

Exports are for accreditation bodies: UTF-8 with a BOM and ";" between fields, as Excel expects
in Belgium. They give each professional's INAMI number as INAMI prints it (1-23456-78-901, which a
spreadsheet keeps as text) and, for accredited sessions, whether their attendance was handed in
or is still to report, and by when (services/reports.py). The person concerned by a
concertation and their relatives are never listed.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings import bounds, ical
from meetings.attendance import rules
from meetings.attendance.models import ATTENDED, Attendance, Certificate
from meetings.attendance.services import reports, wrong_codes
from meetings.attendance.services.roll_call import cycle, years_after
from meetings.exports import spreadsheet_csv
from meetings.models import (
    TAKING_PLACE,
    GroupMembership,
    Invitation,
    Meeting,
    MembershipStatus,
    Role,
    StandingGroup,
)
from meetings.models.invitations import PERSON_ROLES
from meetings.recurrence import BRUSSELS, local_start

MAX_PERIOD_YEARS = 3
CSV_COLUMNS = [
    "date",
    "debut",
    "fin",
    "type",
    "reunion",
    "groupe",
    "reseau",
    "nom",
    "prenom",
    "inami",
    "email",
    "profession",
    "organisation",
    "presence",
    "minutes_retard",
    "minutes_presentes",
    "reference_accreditation",
    "points",
    "transmission_accreditation",
]


# Periods and durations


def starting_between(start: date, end: date) -> Q:
    """Meetings starting from START to END, Brussels dates, both included."""
    return Q(
        start__gte=local_start(start, time.min), start__lt=local_start(end + timedelta(days=1), time.min)
    )


def check_period(start: date, end: date) -> None:
    bounds.check_day(start)
    bounds.check_day(end)
    if start > end:
        raise ValidationError(_("La date de début doit précéder la date de fin."), code="period_order")
    if end > years_after(start, MAX_PERIOD_YEARS):
        raise ValidationError(
            _("La période ne peut pas dépasser %(years)d ans.") % {"years": MAX_PERIOD_YEARS},
            code="period_too_long",
        )


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return years_after(today, -1), today


def default_group_period(group: StandingGroup, today: date | None = None) -> tuple[date, date]:
    """The group's current cycle (a year from its cycle start, or the last twelve months), both
    dates included."""
    start, end = cycle(group, today)
    return start, end - timedelta(days=1)


def format_minutes(minutes: int) -> str:
    """ "1 h 30", "2 h", "45 min" in the active language."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


def format_points(points: Decimal | None) -> str:
    """Points as a Belgian spreadsheet reads them: "1,5", "2"."""
    if points is None:
        return ""
    return format(points.normalize(), "f").replace(".", ",")


def meeting_minutes(meeting: Meeting) -> int:
    return int(meeting.duration.total_seconds() // 60)


def attended_minutes(meeting: Meeting, late_minutes: int | None) -> int:
    return max(meeting_minutes(meeting) - (late_minutes or 0), 0)


def accreditation(meeting: Meeting) -> tuple[str, Decimal | None]:
    """The meeting's own reference and points win, else its group's."""
    group = meeting.group if meeting.group_id else None
    reference = meeting.accreditation_reference or (group.accreditation_reference if group else "")
    points = meeting.accreditation_points
    if points is None and group is not None:
        points = group.accreditation_points
    return reference, points


# What a person attended


@dataclass(frozen=True)
class AttendedSession:
    meeting: Meeting
    start: datetime  # Brussels time
    end: datetime
    minutes: int
    facilitators: list[str]
    accreditation_reference: str
    accreditation_points: Decimal | None

    @property
    def duration(self) -> str:
        return format_minutes(self.minutes)

    @property
    def heading(self) -> str:
        return ical.public_heading(self.meeting)

    @property
    def points(self) -> str:
        return format_points(self.accreditation_points)


def _with_details(meetings: QuerySet, user: User) -> QuerySet:
    """MEETINGS with USER's lateness, their group, network, organiser and group facilitators."""
    late = Attendance.objects.filter(meeting=OuterRef("pk"), user=user).values("late_minutes")[:1]
    facilitators = GroupMembership.objects.filter(
        role=Role.FACILITATOR, status=MembershipStatus.ACTIVE
    ).select_related("user")
    return (
        meetings.annotate(my_late_minutes=Subquery(late))
        .select_related("group", "network", "organiser")
        .prefetch_related(
            Prefetch("group__memberships", queryset=facilitators, to_attr="facilitator_memberships")
        )
        .order_by("start", "pk")
    )


def _attended(user: User) -> QuerySet:
    return Meeting.objects.filter(
        attendances__user=user, attendances__status__in=list(ATTENDED), end__lte=timezone.now()
    ).filter(status__in=TAKING_PLACE)


def attended_meetings(user: User, *, start: date, end: date, group: StandingGroup | None = None) -> QuerySet:
    """Meetings USER attended (present or late) that took place and are over, starting between
    START and END (Brussels dates, both included), oldest first."""
    meetings = _attended(user).filter(starting_between(start, end))
    if group is not None:
        meetings = meetings.filter(group=group)
    return _with_details(meetings, user)


def _facilitator_names(meeting: Meeting) -> list[str]:
    people = [meeting.organiser]
    if meeting.group_id:
        people += [m.user for m in meeting.group.facilitator_memberships]
    names: list[str] = []
    for person in people:
        name = str(person)
        if name not in names:
            names.append(name)
    return names


def sessions_of(meetings: Iterable[Meeting]) -> list[AttendedSession]:
    """Lines of a certificate, for meetings from attended_meetings() (or annotated alike)."""
    sessions = []
    for meeting in meetings:
        reference, points = accreditation(meeting)
        sessions.append(
            AttendedSession(
                meeting=meeting,
                start=meeting.start.astimezone(BRUSSELS),
                end=meeting.end.astimezone(BRUSSELS),
                minutes=attended_minutes(meeting, meeting.my_late_minutes),
                facilitators=_facilitator_names(meeting),
                accreditation_reference=reference,
                accreditation_points=points,
            )
        )
    return sessions


# Issuing


def fingerprint(sessions: Iterable[AttendedSession]) -> str:
    """What the certificate states for each session: the meeting, the minutes attended, and the
    accreditation reference and points printed next to them (read again when the PDF is made, so
    changed points must make a new certificate)."""
    content = ";".join(
        sorted(f"{s.meeting.pk}:{s.minutes}:{s.accreditation_reference}:{s.points}" for s in sessions)
    )
    return hashlib.sha256(content.encode()).hexdigest()


@transaction.atomic
def _issue(user: User, sessions: list[AttendedSession]) -> Certificate:
    certificate, created = Certificate.objects.get_or_create(
        user=user,
        fingerprint=fingerprint(sessions),
        defaults={
            "holder_name": str(user),
            "period_start": sessions[0].start.date(),
            "period_end": sessions[-1].start.date(),
            "session_count": len(sessions),
            "total_minutes": sum(s.minutes for s in sessions),
        },
    )
    if created:
        certificate.meetings.set([s.meeting.pk for s in sessions])
    return certificate


def certificate_for_meeting(user: User, meeting: Meeting) -> Certificate:
    """USER's certificate for one meeting they attended. Refused (ValidationError) otherwise."""
    if meeting.end > timezone.now() and meeting.status in TAKING_PLACE:
        raise ValidationError(
            _("Cette réunion n'est pas encore terminée : l'attestation sera disponible ensuite."),
            code="not_over",
        )
    sessions = sessions_of(_with_details(_attended(user).filter(pk=meeting.pk), user))
    if not sessions:
        raise ValidationError(
            _("Vous n'avez pas de présence enregistrée à cette réunion : pas d'attestation possible."),
            code="not_attended",
        )
    return _issue(user, sessions)


def certificate_for_period(
    user: User, start: date, end: date, group: StandingGroup | None = None
) -> Certificate:
    """USER's certificate for every meeting attended from START to END (optionally in GROUP)."""
    check_period(start, end)
    sessions = sessions_of(attended_meetings(user, start=start, end=end, group=group))
    if not sessions:
        raise ValidationError(
            _("Vous n'avez pas de présence enregistrée sur cette période : pas d'attestation possible."),
            code="not_attended",
        )
    return _issue(user, sessions)


# Showing and verifying


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("attendance:certificate_verify", args=[certificate.code])


def normalise_code(raw: str) -> str:
    """ "abcd efgh-jklm npqr" → "ABCD-EFGH-JKLM-NPQR"; "" when it cannot be a code."""
    letters = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    if len(letters) != 16:
        return ""
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def certificate_by_code(raw: str) -> Certificate | None:
    code = normalise_code(raw)
    if not code:
        return None
    return Certificate.objects.filter(code=code).first()


def verify_code(*, code: str, address: str) -> Certificate | None:
    """The certificate whose printed CODE someone at ADDRESS checks, or None for an unknown code.

    The codes hold 80 bits, short enough to be read aloud, so guessing is slowed down instead
    (DESIGN.md, privacy rule 5): after a few unknown codes from one address, that address gets
    a ValidationError (code "rate_limited") for a quarter of an hour, whatever it types — a
    genuine code included, so that the refusal says nothing about the code."""
    key = f"certificate-wrong-codes:{address}"
    if wrong_codes.too_many_wrong_codes(key):
        raise ValidationError(
            _(
                "Trop de codes inconnus ont été vérifiés depuis votre connexion. "
                "Réessayez dans un quart d'heure, en recopiant le code avec soin."
            ),
            code="rate_limited",
        )
    certificate = certificate_by_code(code)
    if certificate is None:
        wrong_codes.count_wrong_code(key)
    return certificate


def certificate_networks(certificate: Certificate) -> list[str]:
    return list(
        Network.objects.filter(meetings__certificates=certificate)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )


def profession_of(user: User) -> str:
    professional = getattr(user, "professional", None)
    return professional.get_profession_display() if professional else ""


def inami_of(user: User) -> str:
    """The holder's INAMI number as printed ("1-23456-78-901"), read when the PDF is made: a
    number corrected on the profile reaches the next download of the same certificate."""
    professional = getattr(user, "professional", None)
    return professional.inami_display if professional else ""


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 PDF in its holder's language. Nothing is fetched from outside."""
    # Imported here: WeasyPrint parses its stylesheets on import, which every process would pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    user = certificate.user
    with translation.override(user.language):
        sessions = sessions_of(_with_details(certificate.meetings.all(), user))
        points = [s.accreditation_points for s in sessions if s.accreditation_points is not None]
        context = {
            "certificate": certificate,
            "profession": profession_of(user),
            "inami": inami_of(user),
            "sessions": sessions,
            "single": len(sessions) == 1,
            "networks": sorted({s.meeting.network.name for s in sessions}),
            "total": format_minutes(certificate.total_minutes),
            "total_points": format_points(sum(points, Decimal(0))) if points else "",
            "verification_url": verification_url(certificate),
            "issued_on": formats.date_format(timezone.localtime(certificate.issued_at), "j F Y"),
            "language": user.language,
        }
        html = render_to_string("attendance/certificate.html", context)
    # Only data: URLs (inline images) may be read; anything else is refused, not fetched.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


# Attendance exports (CSV)


def exportable_groups(user: User) -> QuerySet:
    """Groups whose attendance USER may export: those they facilitate, their networks' groups."""
    return (
        StandingGroup.objects.filter(rules.groups_with_exportable_attendance(user))
        .select_related("network")
        .order_by("name")
    )


def group_export_meetings(group: StandingGroup, *, start: date, end: date) -> QuerySet:
    check_period(start, end)
    return (
        group.meetings.filter(starting_between(start, end)).filter(status__in=TAKING_PLACE).order_by("start")
    )


def network_export_meetings(user: User, network: Network, *, start: date, end: date) -> QuerySet:
    """The network's meetings in the period whose attendance USER may export (as
    rules.can_export_attendance): meetings reserved to invitees (concertations, exchanges)
    only when they facilitate them."""
    check_period(start, end)
    return network.meetings.filter(
        starting_between(start, end),
        rules.meetings_with_exportable_attendance(user),
        status__in=TAKING_PLACE,
    ).order_by("start")


def attendance_rows(meetings: QuerySet) -> list[list]:
    """One row per attendance recorded at MEETINGS (people with an account and external guests),
    in CSV_COLUMNS order. Three queries, whatever the number of rows."""
    around_the_person = Invitation.objects.filter(
        meeting=OuterRef("meeting"), user=OuterRef("user"), role__in=list(PERSON_ROLES)
    )
    attendances = (
        Attendance.objects.filter(meeting__in=meetings.values("pk"))
        .exclude(invitation__role__in=list(PERSON_ROLES))
        .exclude(Exists(around_the_person))
        .select_related(
            "meeting__group",
            "meeting__network",
            "meeting__accreditation_report",
            "user__professional",
            "invitation",
        )
        .prefetch_related("user__professional__organisations")
        .order_by("meeting__start", "meeting_id", "user__last_name", "user__first_name", "invitation__name")
    )
    rows = []
    today = timezone.localdate()
    for attendance in attendances:
        meeting = attendance.meeting
        start, end = meeting.start.astimezone(BRUSSELS), meeting.end.astimezone(BRUSSELS)
        reference, points = accreditation(meeting)
        if attendance.user_id:
            user = attendance.user
            last_name, first_name, email = user.last_name, user.first_name, user.email
            professional = getattr(user, "professional", None)
        else:
            invitation = attendance.invitation
            last_name, first_name, email = invitation.name, "", invitation.email
            professional = None
        attended = attendance.attended
        rows.append(
            [
                start.date().isoformat(),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                meeting.policy.label,
                ical.public_summary(meeting),
                meeting.group.name if meeting.group_id else "",
                meeting.network.name,
                last_name,
                first_name,
                professional.inami_display if professional else "",
                email,
                professional.get_profession_display() if professional else "",
                ", ".join(o.name for o in professional.organisations.all()) if professional else "",
                attendance.get_status_display(),
                attendance.late_minutes if attendance.late_minutes is not None else "",
                attended_minutes(meeting, attendance.late_minutes) if attended else 0,
                reference,
                format_points(points) if attended else "",
                reports.report_state(meeting, getattr(meeting, "accreditation_report", None), today=today),
            ]
        )
    return rows


def attendance_csv(meetings: QuerySet) -> bytes:
    """The export file: a header row, then a row per attendance (meetings.exports)."""
    return spreadsheet_csv([CSV_COLUMNS, *attendance_rows(meetings)])
