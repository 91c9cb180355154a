"""Certificates of attendance (one's own), their public verification, and attendance exports.

A certificate is only ever for the person asking. The verification page needs no login: it
confirms a code and shows what the certificate states, nothing about the meetings themselves.
Exports (CSV) are for facilitators and coordinators, as meetings/rules.py says.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audit.services import record_read, subject_key
from meetings.attendance import rules
from meetings.attendance.forms import ExportPeriodForm, NetworkExportForm, PeriodForm
from meetings.attendance.models import ATTENDED
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services import reports as report_services
from meetings.attendance.services.wrong_codes import WRONG_CODE_WINDOW
from meetings.errors import error_text
from meetings.exports import csv_response
from meetings.lookups import visible_group_or_404, visible_meeting_or_404
from meetings.models import Meeting, StandingGroup
from meetings.recurrence import BRUSSELS


def _my_groups(user):
    """Groups of the meetings I attended: a period certificate may be asked for one of them."""
    return StandingGroup.objects.filter(
        meetings__attendances__user=user, meetings__attendances__status__in=list(ATTENDED)
    ).distinct()


def _errors(form: Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _pdf(certificate) -> HttpResponse:
    response = HttpResponse(
        certificate_services.render_certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="attestation-{certificate.code}.pdf"'
    return response


def _log_export(request: HttpRequest, subject: str) -> None:
    """An attendance list names who came to confidential meetings: each export is a logged read."""
    record_read(reader=request.user, subject=subject, item="attendance_export", path=request.path)


# My certificates


@require_safe
def certificates(request: HttpRequest) -> HttpResponse:
    """Mes attestations: my attended meetings of the last twelve months, a period form, the
    certificates already issued; and, for facilitators and coordinators, the exports."""
    user = request.user
    start, end = certificate_services.last_twelve_months()
    networks = rules.networks_with_exportable_attendance(user).order_by("name")
    sessions = certificate_services.sessions_of(
        certificate_services.attended_meetings(user, start=start, end=end).reverse()
    )
    issued = [
        (certificate, certificate_services.verification_url(certificate))
        for certificate in user.certificates.order_by("-issued_at")
    ]
    context = {
        "sessions": sessions,
        "form": PeriodForm(groups=_my_groups(user), initial={"start": start, "end": end}),
        "issued": issued,
        "export_groups": list(certificate_services.exportable_groups(user)),
        "network_export_form": NetworkExportForm(
            networks=networks, initial={"start": start, "end": end}, auto_id="export_%s"
        )
        if networks.exists()
        else None,
    }
    return render(request, "attendance/certificates.html", context)


@require_safe
def certificate_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """My certificate for one meeting. A meeting I neither see nor attended is not found."""
    meeting = get_object_or_404(Meeting.objects.select_related("group", "network"), pk=pk)
    if not rules.can_ask_certificate(request.user, meeting):
        raise Http404
    try:
        certificate = certificate_services.certificate_for_meeting(request.user, meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("attendance:certificates")
    return _pdf(certificate)


@require_safe
def certificate_period(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET, groups=_my_groups(request.user))
    if not form.is_valid():
        messages.error(request, _("Attestation impossible : %(errors)s") % {"errors": _errors(form)})
        return redirect("attendance:certificates")
    data = form.cleaned_data
    try:
        certificate = certificate_services.certificate_for_period(
            request.user, data["start"], data["end"], data["group"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("attendance:certificates")
    return _pdf(certificate)


def _client_address(request: HttpRequest) -> str:
    """The address the login limiter counts by too (django-allauth's: the connection's, or the one
    a trusted proxy passes on); one shared counter when there is none."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


@login_not_required
@require_safe
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a certificate and what it states, and nothing else. Unknown codes are
    counted by address; past the limit, the page says so and looks at no code (429)."""
    try:
        certificate = certificate_services.verify_code(code=code, address=_client_address(request))
    except ValidationError as error:
        response = render(
            request, "attendance/certificate_rate_limited.html", {"message": error_text(error)}, status=429
        )
        response["Retry-After"] = str(int(WRONG_CODE_WINDOW.total_seconds()))
        return response
    if certificate is None:
        return render(request, "attendance/certificate_unknown.html", status=404)
    context = {
        "certificate": certificate,
        "networks": certificate_services.certificate_networks(certificate),
        "total": certificate_services.format_minutes(certificate.total_minutes),
    }
    return render(request, "attendance/certificate_verify.html", context)


# Attendance exports


@require_safe
def attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    if not rules.can_export_attendance(request.user, meeting):
        raise PermissionDenied
    content = certificate_services.attendance_csv(Meeting.objects.filter(pk=meeting.pk))
    _log_export(request, subject_key("meeting", meeting.pk))
    local_day = meeting.start.astimezone(BRUSSELS).date()
    return csv_response(content, f"presences-reunion-{meeting.pk}-{local_day.isoformat()}.csv")


@require_safe
def group_attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    if not rules.can_export_group_attendance(request.user, group):
        raise PermissionDenied
    form = ExportPeriodForm(request.GET)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        start, end = form.period(certificate_services.default_group_period(group))
        meetings = certificate_services.group_export_meetings(group, start=start, end=end)
    except ValidationError as error:
        messages.error(request, _("Export impossible : %(errors)s") % {"errors": error_text(error)})
        return redirect("attendance:certificates")
    _log_export(request, subject_key("group", group.pk))
    return csv_response(
        certificate_services.attendance_csv(meetings), f"presences-groupe-{group.pk}-{start}-{end}.csv"
    )


@require_safe
def network_attendance_csv(request: HttpRequest) -> HttpResponse:
    """A network's attendance over a period, for its coordinators only."""
    form = NetworkExportForm(request.GET, networks=rules.networks_with_exportable_attendance(request.user))
    if form.has_error("network"):
        raise PermissionDenied  # no network, or one they do not coordinate: refused alike
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        network = form.cleaned_data["network"]
        start, end = form.period(certificate_services.last_twelve_months())
        meetings = certificate_services.network_export_meetings(request.user, network, start=start, end=end)
    except ValidationError as error:
        messages.error(request, _("Export impossible : %(errors)s") % {"errors": error_text(error)})
        return redirect("attendance:certificates")
    _log_export(request, subject_key("network", network.pk))
    return csv_response(
        certificate_services.attendance_csv(meetings), f"presences-reseau-{network.pk}-{start}-{end}.csv"
    )


@require_POST
def report_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The rapporteur records that a session's attendance was handed in for accreditation."""
    meeting = visible_meeting_or_404(request, pk)
    if meeting.group is None or not rules.can_report_attendance(request.user, meeting.group):
        raise PermissionDenied
    try:
        report_services.mark_reported(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Les présences de la séance sont notées comme transmises."))
    return redirect(reverse("meetings:group", args=[meeting.group_id]) + "#accreditation-reports")
