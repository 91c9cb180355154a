"""The cost region of the meeting and series forms, refreshed by htmx as the form changes
(GET, changes nothing): person-hours = participants × (duration + travel), and a series'
yearly total (meetings/load/cost.py says how each is counted)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings import rules as core_rules
from meetings.load import cost as costs
from meetings.models import StandingGroup

GROUP = "cost_group"
SERIES = "cost_series"


def _group(request: HttpRequest) -> tuple[StandingGroup | None, str]:
    """The group whose sessions the form schedules, if the person may schedule them."""
    raw = request.GET.get(GROUP, "")
    if not raw:
        return None, ""
    # "²" is a digit to str.isdigit(), not to the database.
    found = (
        StandingGroup.objects.select_related("network").filter(pk=raw)
        if raw.isascii() and raw.isdigit()
        else None
    )
    group = found.first() if found is not None else None
    if group is None or not core_rules.can_manage_group(request.user, group):
        return None, _("Ce groupe n'est pas l'un de ceux dont vous programmez les séances.")
    return group, ""


@require_GET
def cost(request: HttpRequest) -> HttpResponse:
    """The region's content for the values of the form it stands in. Bad values get a calm
    message in the region (status 200: htmx swaps it in) and no figure."""
    group, refusal = _group(request)
    series = request.GET.get(SERIES) == "1"
    members = costs.group_members(group) if group is not None else None
    found = costs.estimate(request.GET, group_members=members, series_data=request.GET if series else None)
    context = {
        "panel": {
            "cost": found,
            "series": series,
            "group": group,
            "refusal": refusal,
            "typed": request.GET.get(costs.TYPED, ""),
            "url": request.path,
        }
    }
    return render(request, "load/_cost.html", context)


urlpatterns = [path("load/cost/", cost, name="cost")]
