"""Roll call, self check-in (code, QR code, link) and corrections after closing."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from meetings import rules as meeting_rules
from meetings.attendance import rules
from meetings.attendance.forms import CorrectionForm, RollCallFormSet
from meetings.attendance.models import AttendanceStatus
from meetings.attendance.services import roll_call as attendance_services
from meetings.errors import error_text
from meetings.lookups import visible_meeting_or_404
from meetings.models import MeetingStatus
from meetings.qr import qr_svg


def roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    if not rules.can_open_roll_call(request.user, meeting):
        raise PermissionDenied
    rows = attendance_services.roll_call(meeting)
    # Refused, the roll call is shown again as it was typed (a bound formset), to be put right.
    formset = RollCallFormSet(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST":
        if not formset.is_valid():
            messages.error(request, formset.error_text())
        elif "everyone" in request.POST:
            # "Tous présents": the page comes back, everyone marked, for the exceptions.
            try:
                added = attendance_services.mark_everyone_present(
                    meeting=meeting, by=request.user, marks=formset.marks()
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s personne notée présente. Changez ci-dessous les exceptions.",
                        "%(count)s personnes notées présentes. Changez ci-dessous les exceptions.",
                        added,
                    )
                    % {"count": added},
                )
                return redirect("attendance:roll_call", pk=meeting.pk)
        else:
            try:
                count = attendance_services.record_roll_call(
                    meeting=meeting, by=request.user, marks=formset.marks()
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(
                    request, _("Présences enregistrées (%(count)s personnes).") % {"count": count}
                )
                return redirect("meetings:meeting", pk=meeting.pk)
    closed = meeting.status == MeetingStatus.CLOSED
    context = {
        "meeting": meeting,
        "rows": rows,
        "formset": formset,
        "statuses": AttendanceStatus.choices,
        "window_open": attendance_services.is_open(attendance_services.roll_call_window(meeting)),
        "unmarked": sum(1 for row in rows if row.attendance is None),
        "closed": closed,
    }
    if closed:
        can_correct = rules.can_correct_attendance(request.user, meeting)
        context["closed_rows"] = [(row, _correction_form(row) if can_correct else None) for row in rows]
    return render(request, "attendance/roll_call.html", context)


def _correction_form(row: attendance_services.RollCallRow) -> CorrectionForm:
    # One form per person on the page: ids must not repeat.
    return CorrectionForm(initial={"key": row.key, "status": row.status}, auto_id=f"correct-{row.key}-%s")


@require_POST
def attendance_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    if not rules.can_correct_attendance(request.user, meeting):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la présence et indiquez le motif de la correction."))
        return redirect("attendance:roll_call", pk=meeting.pk)
    data = form.cleaned_data
    try:
        attendance_services.correct_attendance(
            meeting=meeting,
            by=request.user,
            key=data["key"],
            mark=attendance_services.Mark(data["status"], data["late_minutes"]),
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Présence corrigée ; le motif est gardé."))
    return redirect("attendance:roll_call", pk=meeting.pk)


def checkin_display(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator's screen: the code in large, a QR code, and the link for online meetings."""
    meeting = visible_meeting_or_404(request, pk)
    if not meeting_rules.is_facilitator(request.user, meeting):
        raise PermissionDenied
    if request.method == "POST":
        renew = (
            attendance_services.renew_checkin if "renew" in request.POST else attendance_services.open_checkin
        )
        try:
            renew(meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:meeting", pk=meeting.pk)
        return redirect("attendance:checkin_display", pk=meeting.pk)
    context = {"meeting": meeting, "opened": bool(meeting.checkin_nonce)}
    if meeting.checkin_nonce:
        link = settings.SITE_URL + reverse(
            "attendance:checkin_link", args=[meeting.pk, attendance_services.checkin_token(meeting)]
        )
        start, end = attendance_services.checkin_window(meeting)
        context |= {
            "code": attendance_services.checkin_code(meeting),
            "link": link,
            "qr": qr_svg(link),
            "window_start": start,
            "window_end": end,
            "window_open": attendance_services.is_open((start, end)),
        }
    return render(request, "attendance/checkin_display.html", context)


@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant types the code shown in the room."""
    meeting = visible_meeting_or_404(request, pk)
    try:
        attendance_services.check_in(meeting=meeting, user=request.user, code=request.POST.get("code", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Votre présence est notée. Bonne réunion !"))
    return redirect("meetings:meeting", pk=meeting.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def checkin_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The link behind the QR code (and for online meetings): confirm with one button. Opening
    it changes nothing (DESIGN.md, privacy rule 7): chat and mail scanners open links too."""
    meeting = visible_meeting_or_404(request, pk)
    if not attendance_services.checkin_token_valid(meeting, token):
        raise Http404  # unknown and revoked links look the same
    if request.method == "POST":
        try:
            attendance_services.check_in(meeting=meeting, user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Votre présence est notée. Bonne réunion !"))
        return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "attendance/checkin_confirm.html", {"meeting": meeting, "token": token})
