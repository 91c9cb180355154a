"""/exchanges/rounds/: a new round (the network's coordinators), and a round's page.

The round's page is for the network's members: its presentation, its offers and one's own
application; its coordinators also see every application with its agreement, and the way to the
matching and the report. Its queries do not grow with the number of offers or applications.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings.exchanges import rules
from meetings.exchanges.forms import RoundForm, network_choices
from meetings.exchanges.models import Application, ExchangeRound, Language, Offer, OfferDate, Wish
from meetings.exchanges.services.applications import days_of, visitor_organisations
from meetings.exchanges.services.offers import day_label
from meetings.exchanges.services.rounds import round_create


@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    networks = list(network_choices(request.user))
    if not networks:
        return render(request, "exchanges/round_form.html", {"refused": True}, status=403)
    form = RoundForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            round = round_create(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("La session est ouverte. Les services peuvent proposer des accueils.")
            )
            return redirect(reverse("exchanges:round", args=[round.pk]))
    return render(request, "exchanges/round_form.html", {"form": form}, status=400 if form.errors else 200)


def _round_url(name: str, round_pk: int) -> str:
    return reverse(name, args=[round_pk])


def offers_of(round: ExchangeRound) -> list[Offer]:
    return list(
        round.offers.filter(withdrawn_at__isnull=True)
        .select_related("organisation", "contact")
        .prefetch_related(Prefetch("dates", queryset=OfferDate.objects.order_by("day", "part")))
    )


def applications_of(round: ExchangeRound) -> list[Application]:
    return list(
        round.applications.filter(withdrawn_at__isnull=True)
        .select_related("visitor", "organisation")
        .prefetch_related(Prefetch("wishes", queryset=Wish.objects.select_related("offer__organisation")))
        .order_by("created_at", "pk")
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_object_or_404(ExchangeRound.objects.select_related("network"), pk=pk)
    if not rules.can_see_round(request.user, round):
        raise Http404
    coordinator = rules.is_round_coordinator(request.user, round)
    offers = offers_of(round)
    for offer in offers:
        offer.language_labels = [Language(code).label for code in offer.languages if code in Language.values]
    mine = (
        round.applications.filter(visitor=request.user, withdrawn_at__isnull=True)
        .prefetch_related("wishes")
        .first()
    )
    wished = {wish.offer_id for wish in mine.wishes.all()} if mine else set()
    open_ = timezone.localdate() <= round.applications_until
    may_apply = open_ and rules.can_apply(request.user, round)
    own = set(visitor_organisations(request.user, round).values_list("pk", flat=True)) if may_apply else set()
    applications = applications_of(round) if coordinator else []
    for application in applications:
        application.day_labels = [day_label(day) for day in days_of(application)]
    context = {
        "round": round,
        "offers": offers,
        "wished": wished,
        "own": own,
        "mine": mine,
        "open": open_,
        "may_offer": rules.can_offer(request.user, round),
        "may_apply": may_apply,
        "coordinator": coordinator,
        "applications": applications,
        "matching_url": _round_url("exchanges:matching", round.pk) if coordinator else "",
        "report_url": _round_url("exchanges:report", round.pk),
    }
    return render(request, "exchanges/round.html", context)


urlpatterns = [
    path("exchanges/rounds/new/", create, name="round_create"),
    path("exchanges/rounds/<int:pk>/", detail, name="round"),
]
