""" "Mes actions": what I have to do, what I handed to others, meetings I still have to close."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.errors import error_text
from meetings.followup import queries, rules
from meetings.followup.models import Action
from meetings.followup.services import outcomes as outcome_services


def actions(request: HttpRequest) -> HttpResponse:
    mine, given = queries.open_actions_of(request.user)
    context = {
        "mine": mine,
        "given": given,
        "to_close": queries.meetings_i_should_close(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "followup/actions.html", context)


@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk)
    if not rules.can_edit_action(request.user, action):
        raise Http404  # someone else's action: as if it did not exist
    change = request.POST.get("change")
    try:
        if change == "done":
            outcome_services.action_done(action=action, by=request.user)
            messages.success(request, _("Action marquée comme faite."))
        elif change == "drop":
            outcome_services.action_drop(
                action=action, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Action abandonnée."))
        elif change == "reopen":
            outcome_services.action_reopen(action=action, by=request.user)
            messages.success(request, _("Action rouverte."))
        else:
            messages.error(request, _("Modification inconnue."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("followup:actions")
