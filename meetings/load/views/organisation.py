"""An organisation's meeting load, for its members: aggregates only, none below five members
(rules.shows_figures); and its budget per FTE, set by those who edit its directory entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation
from meetings.errors import error_text
from meetings.load import rules
from meetings.load.budget_forms import OrganisationBudgetForm
from meetings.load.organisation import organisation_report
from meetings.load.services import budgets as budget_services
from meetings.recurrence import BRUSSELS


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_load(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_see_organisation_load(request.user, organisation):
        raise PermissionDenied
    may_set = rules.can_set_organisation_budget(request.user, organisation)
    report = organisation_report(organisation, timezone.localdate(timezone=BRUSSELS))
    form = None
    status = 200
    if may_set:
        form = OrganisationBudgetForm(
            request.POST if request.method == "POST" else None,
            initial={"hours_per_fte": report.hours_per_fte_budget},
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    budget_services.organisation_budget_save(
                        organisation=organisation,
                        hours_per_fte=form.cleaned_data["hours_per_fte"],
                        by=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error_text(error))
                else:
                    messages.success(request, _("Le budget de l'organisation est enregistré."))
                    return redirect("load:organisation", pk=organisation.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "organisation": organisation,
        "report": report,
        "chart": report.chart() if report.shows_figures else None,
        "form": form,
        "smallest_group": rules.SMALLEST_GROUP,
    }
    return render(request, "load/organisation.html", context, status=status)


urlpatterns = [
    path("load/organisation/<int:pk>/", organisation_load, name="organisation"),
]
