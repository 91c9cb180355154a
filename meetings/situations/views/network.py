"""The map of the network around the person, and its members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetings.situations import network_map as maps
from meetings.situations import queries
from meetings.situations.forms import MemberEditForm, MemberForm
from meetings.situations.lookups import log_read, situation_for
from meetings.situations.rules import current_consent, latest_exclusions
from meetings.situations.services import members as member_services


@never_cache
def network_map(request: HttpRequest, pk: int) -> HttpResponse:
    situation, access = situation_for(request, pk, "reads_plan")
    log_read(request, situation, "map")
    today = timezone.localdate()
    members = queries.members_of(situation)
    consent = current_consent(situation)
    covered = consent.covered_ids if consent else set()
    current = [m for m in members if m.is_current(today)]
    context = {
        "situation": situation,
        "access": access,
        "members": current,
        "past_members": [m for m in members if not m.is_current(today)],
        "covered": covered,
        "exclusions": latest_exclusions(situation),
        "shared_roles": member_services.shared_roles(members, today),
        "svg": maps.network_svg(situation, current, covered=covered),
    }
    return render(request, "situations/network.html", context)


@never_cache
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    form = MemberForm(request.POST or None, network=situation.network)
    if request.method == "POST" and form.is_valid():
        try:
            member_services.member_add(situation=situation, by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Membre ajouté·e au réseau. Pensez à mettre l'accord à jour s'il doit être associé."),
            )
            return redirect("situations:network", pk=pk)
    return render(request, "situations/member_form.html", {"situation": situation, "form": form})


@never_cache
def member_edit(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    member = get_object_or_404(situation.members.select_related("user"), pk=member_id)
    form = MemberEditForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        changes = {
            field: value
            for field, value in form.service_fields().items()
            if field in member_services.MEMBER_FIELDS and field not in {"kind", "email"}
        }
        if changes.get("since") is None:
            changes.pop("since", None)  # left empty: the start stays as it was
        try:
            member_services.member_update(member=member, changes=changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Membre mis·e à jour."))
            return redirect("situations:network", pk=pk)
    return render(
        request, "situations/member_form.html", {"situation": situation, "form": form, "member": member}
    )
