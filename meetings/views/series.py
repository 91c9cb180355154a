from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import queries, rules
from meetings.forms import RecurrenceForm
from meetings.kinds import Kind, network_kinds
from meetings.lookups import managed_group_or_403
from meetings.panels import page_panels
from meetings.recurrence import describe, format_date
from meetings.services import series as series_services
from meetings.views.duplicates import ask_to_confirm, unseen

PREVIEW_COUNT = 5


def series_create(request: HttpRequest, group_pk: int | None = None) -> HttpResponse:
    """A group's sessions (facilitators, coordinators) or a network's open meetings (coordinators).
    Saved, it leads straight to inviting people to every session."""
    group = managed_group_or_403(request, group_pk) if group_pk else None
    if group:
        network, kind = group.network, group.kind
    else:
        networks = rules.networks_for_new_series(request.user)
        network = networks.filter(pk=request.GET.get("network") or request.POST.get("network")).first()
        network = network or queries.usual_network(request.user, networks) or networks.first()
        kind = network_kinds()[0].kind
    if network is None or not rules.can_schedule_series(request.user, network, group):
        raise PermissionDenied
    taken = queries.running_series_titles(group, timezone.now()) if group else []
    title = group.name if group and group.name not in taken else ""
    kwargs = {"kind": kind, "taken_titles": taken, "initial": {"title": title}}
    form = RecurrenceForm(request.POST or None, **kwargs)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        windows = [(moment, moment + data["duration"]) for moment in data["dates"]]
        found = queries.possible_duplicates(windows=windows, organiser=request.user, group=group)
        duplicates = unseen(found, data["seen_duplicates"])
        if duplicates:
            form = ask_to_confirm(form, duplicates, lambda bound: RecurrenceForm(bound, **kwargs))
        else:
            try:
                series = series_services.series_create(
                    network=network,
                    kind=kind,
                    group=group,
                    title=data["title"],
                    dtstart=data["dtstart"],
                    duration=data["duration"],
                    rrule=data["rrule"],
                    organiser=request.user,
                    purpose=data["purpose"],
                    place=data["place"],
                    online_link=data["online_link"],
                    capacity=data["capacity"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Série enregistrée : %(rule)s. Choisissez maintenant qui inviter à toutes ses séances.")
                    % {"rule": describe(series.rrule, series.dtstart)},
                )
                first = series.occurrences.order_by("start").first()
                if first is not None:
                    return redirect("meetings:invitations", pk=first.pk)
                # Sessions are created a horizon ahead: one beyond it has no page to invite from yet.
                return redirect("meetings:group", pk=group.pk) if group else redirect("meetings:agenda")
    context = {
        "form": form,
        "group": group,
        "network": network,
        "kind_label": Kind(kind).label,
        "duplicates": duplicates,
        **preview(form),
    }
    # What other apps add to the form (meeting load: what the series costs, live); the group
    # whose sessions it schedules goes with it, which the form itself does not hold.
    form.scheduling_group = group
    context["panels"] = page_panels("series_form", request.user, form)
    return render(request, "meetings/series_form.html", context)


def preview(form: RecurrenceForm) -> dict:
    """The rule in words and its next dates, once the form gives them: even when something else
    is missing or wrong (the title, the place), or the first session is off the rule."""
    if not form.is_bound or form.errors is None or "dates" not in form.cleaned_data:
        return {}
    data = form.cleaned_data
    return {
        "rule": describe(data["rrule"], data["dtstart"]),
        "dates": [format_date(d) for d in data["dates"][:PREVIEW_COUNT]],
        # The first session off the rule: said above the dates the rule would give instead.
        "off_rule": form.errors.get("first_day") if form.rule_dates else None,
    }


def series_preview(request: HttpRequest) -> HttpResponse:
    """The next dates of the rule being typed, in plain French (htmx, as the form changes)."""
    form = RecurrenceForm(request.GET or None, require_place=False)
    context = {"form": form, "preview": True, **preview(form)}
    return render(request, "meetings/_series_preview.html", context)
