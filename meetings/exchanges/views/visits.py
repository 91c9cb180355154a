"""A confirmed visit's page (for its visitor, its host contact and the round's coordinators; 404
for anyone else): the day, the place, what the visitor will see and do, the host's undertaking
(accepted, or the form to accept it for the visitor), the meeting; and, POST only, accepting the
undertaking (the visitor) and cancelling the visit (the coordinators)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.errors import error_text
from meetings.exchanges import rules, timing
from meetings.exchanges.models import Placement
from meetings.exchanges.services import placements


class UndertakingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def placement_or_404(request: HttpRequest, pk: int) -> Placement:
    """The visit PK with what its pages show, or a 404 for who may not see it (rules)."""
    placement = get_object_or_404(
        Placement.objects.select_related(
            "round__network",
            "application__visitor",
            "application__organisation",
            "offer_date__offer__organisation",
            "host",
            "meeting",
        ),
        pk=pk,
    )
    if not rules.can_see_placement(request.user, placement):
        raise Http404
    return placement


def _feedback_url(placement: Placement) -> str:
    return reverse("exchanges:feedback", args=[placement.pk])


def _page(request, placement, *, error="", status=200) -> HttpResponse:
    user = request.user
    now = timezone.now()
    # Its meeting's times (timing.py): the core's meeting may have been moved or cancelled.
    start, end = timing.visit_start(placement), timing.visit_end(placement)
    over = end <= now
    confirmed = not timing.is_cancelled(placement)
    day_come = placement.offer_date.day <= timezone.localdate(now)
    is_visitor = rules.is_visitor(user, placement)
    gives_feedback = placement.undertaking_given and (is_visitor or rules.is_host(user, placement))
    can_accept = is_visitor and confirmed and not placement.undertaking_accepted and not day_come
    context = {
        "placement": placement,
        "offer": placement.offer_date.offer,
        "host": placement.offer_date.offer.organisation,
        "address": placements.address_of(placement.offer_date.offer.organisation),
        "day": placements.day_label(placement.offer_date),
        "start": start,
        "end": end,
        "is_visitor": is_visitor,
        "coordinates": rules.is_round_coordinator(user, placement.round),
        "confirmed": confirmed,
        "can_accept": can_accept,
        # Before the day, as the host words it now; once the day has come, given before it.
        "undertaking_ok": placement.undertaking_given if day_come else placement.undertaking_accepted,
        "undertaking_form": UndertakingForm(
            initial={"version": placement.offer_date.offer.undertaking_version}
        ),
        "can_cancel": confirmed and start > now and rules.can_match(user, placement.round),
        "feedback_url": _feedback_url(placement) if over and confirmed and gives_feedback else "",
        "error": error,
    }
    return render(request, "exchanges/visit.html", context, status=status)


@require_GET
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, placement_or_404(request, pk))


@require_POST
def undertaking(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_or_404(request, pk)
    if not rules.is_visitor(request.user, placement):
        return HttpResponse(status=403)
    form = UndertakingForm(request.POST)
    if not form.is_valid():
        return _page(request, placement, error=_("Relisez l'engagement puis acceptez-le."), status=400)
    try:
        placements.undertaking_accept(
            placement=placement, by=request.user, version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        placement.refresh_from_db()
        return _page(request, placement, error=error_text(error), status=400)
    messages.success(request, _("Merci : l'engagement de confidentialité est accepté."))
    return redirect("exchanges:visit", pk=placement.pk)


@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_or_404(request, pk)
    if not rules.can_match(request.user, placement.round):
        return HttpResponse(status=403)
    try:
        placements.placement_cancel(placement=placement, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("exchanges:visit", pk=placement.pk)
    messages.success(request, _("La visite est annulée ; les personnes invitées sont prévenues."))
    return redirect("exchanges:matching", pk=placement.round_id)


urlpatterns = [
    path("exchanges/visits/<int:pk>/", visit, name="visit"),
    path("exchanges/visits/<int:pk>/undertaking/", undertaking, name="undertaking"),
    path("exchanges/visits/<int:pk>/cancel/", visit_cancel, name="visit_cancel"),
]
