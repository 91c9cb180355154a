""" "Ma charge de réunions": my last twelve months against my budget, this month's meetings and
those that overlapped, the same table as CSV, and the settings the figures depend on (FTE,
budget, travel per place). Anyone logged in sees and sets their own, nobody else's (rules.py).

The organisation view keeps its own module (views/organisation.py); its patterns join these.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Organisation, Professional
from meetings.errors import error_text
from meetings.exports import csv_response, spreadsheet_csv
from meetings.load import personal
from meetings.load.budget_forms import LoadSettingsForm
from meetings.load.charts import number
from meetings.load.services import budgets as budget_services
from meetings.load.views import organisation
from meetings.recurrence import BRUSSELS


def today():
    """Today in Brussels, whatever the time zone a page is shown in: months are Brussels months."""
    return timezone.localdate(timezone=BRUSSELS)


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    report = personal.year_report(request.user, today())
    context = {
        "report": report,
        "chart": report.chart(),
        "organisations": Organisation.objects.filter(professionals__user=request.user).order_by("name"),
    }
    return render(request, "load/mine.html", context)


@require_safe
def mine_csv(request: HttpRequest) -> HttpResponse:
    month = today()
    content = spreadsheet_csv(personal.year_report(request.user, month).csv_rows())
    return csv_response(content, f"ma-charge-de-reunions-{month:%Y-%m}.csv")


def _settings_form(request: HttpRequest, data=None) -> LoadSettingsForm:
    user = request.user
    profile = Professional.objects.filter(user=user).first()
    initial = {}
    default = ""
    if profile is not None:
        initial = {"fte": profile.fte, "monthly_budget": profile.monthly_meeting_budget}
        default = number(personal.default_budget(profile))
    return LoadSettingsForm(
        data,
        initial=initial,
        places=personal.travel_places(user, today()),
        has_profile=profile is not None,
        default_budget=default,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def load_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "load/settings.html", {"form": _settings_form(request)})
    form = _settings_form(request, request.POST)
    if form.is_valid():
        try:
            budget_services.load_settings_save(
                user=request.user,
                fte=form.cleaned_data.get("fte"),
                monthly_budget=form.cleaned_data.get("monthly_budget"),
                travel=form.travel,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Vos réglages sont enregistrés."))
            return redirect("load:mine")
    return render(request, "load/settings.html", {"form": form}, status=400)


urlpatterns = [
    path("load/", mine, name="mine"),
    path("load/mine.csv", mine_csv, name="mine_csv"),
    path("load/settings/", load_settings, name="settings"),
    *organisation.urlpatterns,
]
