"""The list of my situations, opening one, its page, its status and the référent's handover.
Every page about a situation is no-store: browsers and proxies keep no copy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.errors import error_text
from meetings.rules import networks_for_new_meetings
from meetings.situations import queries
from meetings.situations.forms import HandoverForm, SituationForm, StatusForm
from meetings.situations.lookups import log_read, situation_for, situation_or_404
from meetings.situations.models import SituationStatus
from meetings.situations.rules import current_consent
from meetings.situations.services import situations as situation_services


@never_cache
def situation_list(request: HttpRequest) -> HttpResponse:
    situations = list(queries.my_situations(request.user))
    context = {
        "situations": situations,
        "may_create": networks_for_new_meetings(request.user).exists(),
    }
    return render(request, "situations/situation_list.html", context)


@never_cache
def situation_create(request: HttpRequest) -> HttpResponse:
    networks = networks_for_new_meetings(request.user)
    form = SituationForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            situation = situation_services.situation_create(
                network=data["network"],
                code=data["code"],
                origin=data["origin"],
                by=request.user,
                requested_by=data["requester_email"],
                requester_description=data["requester_description"],
                trigger=data["trigger"],
                role=data["role"],
            )
        except ValidationError as error:
            form.add_error("code" if error.code and error.code.startswith("code") else None, error)
        else:
            messages.success(request, _("Situation ouverte. Notez maintenant l'accord de la personne."))
            return redirect("situations:consent", pk=situation.pk)
    return render(request, "situations/situation_form.html", {"form": form, "networks": networks.exists()})


@never_cache
def situation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    situation, access = situation_or_404(request, pk)
    log_read(request, situation, "situation")
    consent = current_consent(situation)
    concertations = []
    if access.sees_shared_items:
        # Who is not through the gate sees the dates of the concertations they are invited to.
        invited = None if access.reads_plan else request.user
        concertations = queries.concertations_of(situation, invited=invited)
    context = {
        "situation": situation,
        "access": access,
        "consent": consent,
        "referents": situation_services.current_referents(situation),
        "concertations": concertations,
        "my_actions": queries.actions_owned_by(situation, access.member if access.is_member else None),
        "open_actions": [a for a in queries.actions_of(situation) if a.is_open] if access.reads_plan else [],
        "history": list(situation.status_changes.select_related("by")) if access.sees_shared_items else [],
        "status_form": StatusForm(situation=situation) if access.manages else None,
        "today": timezone.localdate(),
        "withdrawn": consent is None and situation.consents.exists(),
        "only_retour": not access.sees_shared_items,
        # Reports to confirm, for participants who may not open them (a relative, the person…).
        "to_confirm": queries.reports_to_confirm(situation, request.user) if access.is_member else [],
    }
    return render(request, "situations/situation_detail.html", context)


@require_POST
def situation_status(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    form = StatusForm(request.POST, situation=situation)
    if not form.is_valid():
        messages.error(request, _("Choisissez un statut possible pour cette situation."))
        return redirect("situations:situation", pk=pk)
    try:
        situation_services.status_change(
            situation=situation,
            status=form.cleaned_data["status"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Situation clôturée.")
            if form.cleaned_data["status"] == SituationStatus.CLOSED
            else _("Statut changé."),
        )
    return redirect("situations:situation", pk=pk)


@never_cache
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    form = HandoverForm(request.POST or None, situation=situation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            situation_services.handover(
                situation=situation,
                by=request.user,
                to=data["to"],
                note=data["note"],
                keep_own_role=data["keep_own_role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Relais passé."))
            return redirect("situations:situation", pk=pk)
    history = list(situation.referents.select_related("user", "started_by").order_by("started_at"))
    return render(
        request, "situations/handover.html", {"situation": situation, "form": form, "history": history}
    )
