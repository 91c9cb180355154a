"""The network's dashboard for its coordinators: hours by kind, attendance, action completion
and the health flags, with a CSV of each table; and the form that sets a flag aside."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import rules as account_rules
from meetings.errors import error_text
from meetings.exports import csv_response, spreadsheet_csv
from meetings.load import health, network_charts, network_tables
from meetings.load.flag_forms import DismissFlagForm
from meetings.load.services.flags import dismiss_flag


def chosen_network(request: HttpRequest, value: str | None):
    """The network asked for (?network=<id>) among those the user coordinates, else the first;
    403 for whoever coordinates none, or asks for one they do not coordinate."""
    networks = list(account_rules.coordinated_networks(request.user).order_by("name", "pk"))
    if not networks:
        raise PermissionDenied
    if not value:
        return networks[0], networks
    if not (str(value).isascii() and str(value).isdigit()):
        raise Http404
    for network in networks:
        if network.pk == int(value):
            return network, networks
    raise PermissionDenied


def _tables(names, network, now) -> dict:
    """The dashboard's tables among NAMES (the flags' own too), as the page and the CSV show them."""
    today = timezone.localdate(now)
    tables = {}
    if {"hours", "attendance"} & set(names):
        tables.update(network_tables.network_figures(network, today=today))
    if "actions" in names:
        tables["actions"] = network_tables.action_completion(network, today=today)
    if "flags" in names:
        tables["flags"] = network_tables.flags_table(health.network_flags(network, now=now))
    return {name: tables[name] for name in names}


def dashboard(request: HttpRequest) -> HttpResponse:
    network, networks = chosen_network(request, request.GET.get("network"))
    now = timezone.now()
    if request.GET.get("format") == "csv":
        return table_csv(request, request.GET.get("table", "flags"))
    flags = health.network_flags(network, now=now)
    tables = _tables(["hours", "attendance", "actions"], network, now)
    context = {
        "network": network,
        "networks": networks,
        "flags": flags,
        "flag_groups": flag_groups(flags),
        "tables": tables,
        "charts": network_charts.network_charts(tables),
    }
    return render(request, "load/network.html", context)


# Flags of one kind shown at once; the others behind "Voir les N autres" (a network with thirty
# meetings left open should still see at a glance that its series are deserted).
SHOWN_PER_KIND = 3


def flag_groups(flags) -> list[dict]:
    """FLAGS by kind, in their order: each kind's label, its first SHOWN_PER_KIND and the rest."""
    groups: dict[str, list] = {}
    for flag in flags:
        groups.setdefault(flag.code, []).append(flag)
    return [
        {
            "code": code,
            "label": found[0].label,
            "count": len(found),
            "shown": found[:SHOWN_PER_KIND],
            "more": found[SHOWN_PER_KIND:],
        }
        for code, found in groups.items()
    ]


def table_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in network_tables.TABLES:
        raise Http404
    network, _networks = chosen_network(request, request.GET.get("network"))
    return _csv(network, _tables([table], network, timezone.now())[table])


def _csv(network, table: network_tables.Table) -> HttpResponse:
    """A header row, then the table's rows (meetings.exports); a figure under the five-person
    floor is an empty cell."""
    content = spreadsheet_csv([table.header, *table.rows])
    return csv_response(content, f"reseau-{network.pk}-{table.name}.csv")


@require_POST
def flag_dismiss(request: HttpRequest) -> HttpResponse:
    network, _networks = chosen_network(request, request.POST.get("network"))
    back = reverse("load:network") + f"?network={network.pk}"
    form = DismissFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        dismiss_flag(network=network, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Signal écarté : il n'apparaît plus."))
    return redirect(back)


urlpatterns = [
    path("load/network/", dashboard, name="network"),
    path("load/network/flags/dismiss/", flag_dismiss, name="network_flag_dismiss"),
    path("load/network/<str:table>.csv", table_csv, name="network_csv"),
]
