"""Planning a concertation (refusals first, then the template's warnings to confirm), and its
report: written by a référent, confirmed by each participant, printed as a PDF for the file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.situations.forms import ActionForm, ConcertationForm, ReportForm
from meetings.situations.lookups import log_read, situation_for, situation_or_404
from meetings.situations.models import ConcertationReport
from meetings.situations.policies import POLICIES, policy_for
from meetings.situations.rules import current_consent
from meetings.situations.services import concertations as concertation_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services.report_pdf import render_report_pdf

ACTION_ROWS = 3


def _plan_from(situation, data) -> concertation_services.Plan:
    return concertation_services.Plan(
        situation=situation,
        template=data["template"],
        start=data["start"],
        end=data["end"],
        invited=list(data["invited"]),
        invite_person=data["invite_person"],
        person_not_invited_reason=data["person_not_invited_reason"],
        facilitator=data["facilitator"],
        place=data["place"],
        online_link=data["online_link"],
        purpose=data["purpose"],
    )


@never_cache
def concertation_create(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    if current_consent(situation) is None:
        context = {"situation": situation, "reason": concertation_services.NO_CONSENT}
        return render(request, "situations/concertation_refused.html", context, status=200)
    form = ConcertationForm(request.POST or None, situation=situation)
    found_warnings = []
    if request.method == "POST" and form.is_valid():
        plan = _plan_from(situation, form.cleaned_data)
        try:
            concertation = concertation_services.concertation_schedule(
                plan=plan, by=request.user, confirmed=form.cleaned_data["confirmed"]
            )
        except concertation_services.NeedsConfirmation as pending:
            found_warnings = pending.warnings
            data = form.data.copy()
            data["confirmed"] = "True"
            form = ConcertationForm(data, situation=situation)
            form.is_valid()
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Concertation planifiée : les invitations partent."))
            return redirect("meetings:meeting", pk=concertation.meeting_id)
    context = {
        "situation": situation,
        "form": form,
        "warnings": found_warnings,
        "policies": POLICIES.values(),
    }
    return render(request, "situations/concertation_form.html", context)


def _concertation(situation, concertation_id):
    return get_object_or_404(
        situation.concertations.select_related("meeting", "facilitator__user"), pk=concertation_id
    )


@never_cache
def report(request: HttpRequest, pk: int, concertation_id: int) -> HttpResponse:
    situation, access = situation_for(request, pk, "reads_reports")
    concertation = _concertation(situation, concertation_id)
    existing = ConcertationReport.objects.filter(concertation=concertation).first()
    editable = access.manages and access.sharing_allowed and concertation.meeting.start <= timezone.now()
    # Read once, with their members: the form's initial choices and the page's list alike.
    participants = list(existing.participants.select_related("member__user")) if existing else []
    initial = {}
    if existing is not None:
        initial = {
            "participants": [p.member for p in participants],
            "needs": existing.needs,
            "next_review": existing.next_review,
        }
    form = ReportForm(request.POST or None, situation=situation, initial=initial) if editable else None
    action_forms = (
        [
            ActionForm(
                request.POST or None, situation=situation, prefix=f"action{i}", use_required_attribute=False
            )
            for i in range(ACTION_ROWS)
        ]
        if editable
        else []
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        filled = [
            f for f in action_forms if any(f.data.get(f.add_prefix(n)) for n in ("description", "owner"))
        ]
        if form.is_valid() and all(f.is_valid() for f in filled):
            data = form.cleaned_data
            try:
                plan_services.report_save(
                    concertation=concertation,
                    by=request.user,
                    participants=list(data["participants"]),
                    needs=data["needs"],
                    next_review=data["next_review"],
                    goals=data["goals"],
                    actions=[plan_services.NewAction(**f.cleaned_data) for f in filled],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Compte rendu enregistré ; le plan est à jour."))
                return redirect("situations:report", pk=pk, concertation_id=concertation.pk)
    if existing is not None:
        log_read(request, situation, "report", item_id=existing.pk)
    context = {
        "situation": situation,
        "access": access,
        "held": concertation,
        "policy": policy_for(concertation.template),
        "report": existing,
        "participants": participants,
        "goals": list(existing.goals.all()) if existing else [],
        "actions": list(existing.actions.select_related("owner__user")) if existing else [],
        "form": form,
        "action_forms": action_forms,
        "mine": next((p for p in participants if p.member.user_id == request.user.pk), None),
    }
    return render(request, "situations/report.html", context)


@never_cache
def report_pdf(request: HttpRequest, pk: int, concertation_id: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "reads_reports")
    concertation = _concertation(situation, concertation_id)
    existing = get_object_or_404(ConcertationReport, concertation=concertation)
    log_read(request, situation, "report_pdf", item_id=existing.pk)
    response = HttpResponse(
        render_report_pdf(existing, language=request.LANGUAGE_CODE), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="concertation-{concertation.meeting.start:%Y-%m-%d}.pdf"'
    )
    return response


@require_POST
def report_confirm(request: HttpRequest, pk: int, concertation_id: int) -> HttpResponse:
    """A participant confirms the report; who may not read reports confirms from the situation page."""
    situation, access = situation_or_404(request, pk)
    concertation = _concertation(situation, concertation_id)
    existing = get_object_or_404(ConcertationReport, concertation=concertation)
    plan_services.confirm_participation(report=existing, user=request.user)
    messages.success(request, _("Votre participation est confirmée."))
    if access.reads_reports:
        return redirect("situations:report", pk=pk, concertation_id=concertation.pk)
    return redirect("situations:situation", pk=pk)
