"""The plan: shared goals and actions, one owner each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.errors import error_text
from meetings.situations import queries
from meetings.situations.forms import ActionForm, ActionStatusForm
from meetings.situations.lookups import log_read, situation_for, situation_or_404
from meetings.situations.models import ActionStatus
from meetings.situations.services import plan as plan_services
from meetings.situations.services.consent import SHARING_WITHDRAWN


@never_cache
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    situation, access = situation_for(request, pk, "reads_plan")
    form = ActionForm(request.POST or None, situation=situation)
    if request.method == "POST":
        if not access.manages:
            raise PermissionDenied
        if not access.sharing_allowed:
            messages.error(request, SHARING_WITHDRAWN)
            return redirect("situations:plan", pk=pk)
        if form.is_valid():
            try:
                plan_services.action_add(
                    situation=situation, by=request.user, action=plan_services.NewAction(**form.cleaned_data)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Action ajoutée au plan."))
                return redirect("situations:plan", pk=pk)
    log_read(request, situation, "plan")
    goals = list(situation.goals.prefetch_related("actions__owner__user"))
    actions = queries.actions_of(situation)
    context = {
        "situation": situation,
        "access": access,
        "goals": goals,
        "actions": actions,
        "loose_actions": [a for a in actions if a.goal_id is None],
        "form": form if access.manages and access.sharing_allowed else None,
        "statuses": ActionStatus.choices,
        "next_review": situation.concertations.filter(report__next_review__isnull=False)
        .order_by("-report__next_review")
        .values_list("report__next_review", flat=True)
        .first(),
    }
    return render(request, "situations/plan.html", context)


@require_POST
def action_update(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    situation, access = situation_or_404(request, pk)
    action = get_object_or_404(situation.actions.select_related("situation"), pk=action_id)
    if not plan_services.can_update_action(request.user, action):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ce statut n'existe pas."))
    else:
        try:
            plan_services.action_set_status(
                action=action, by=request.user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Action mise à jour."))
    return redirect("situations:plan" if access.reads_plan else "situations:situation", pk=pk)
