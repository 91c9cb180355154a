"""/exchanges/…/offers/: proposing a host service's days, reading, editing and withdrawing an offer.

Who may not see the round gets a 404; who sees it but may not offer or edit, a 403 page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from meetings.errors import error_text
from meetings.exchanges import rules
from meetings.exchanges.forms import OfferForm
from meetings.exchanges.models import ExchangeRound, Language, Offer
from meetings.exchanges.services import offers as services
from meetings.exchanges.services.applications import visitor_organisations


def _contacts(round, organisations):
    return (
        User.objects.filter(
            Q(professional__organisations__in=organisations) | Q(coordinated_networks=round.network_id)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _form(request, round, *, instance=None):
    organisations = list(rules.own_organisations(request.user, round).order_by("name"))
    if instance is not None and instance.organisation_id not in {o.pk for o in organisations}:
        organisations.append(instance.organisation)
    initial = {} if instance else {"contact": request.user.pk, "languages": ["fr"]}
    return OfferForm(
        request.POST or None,
        instance=instance,
        initial=initial,
        organisations=organisations,
        contacts=_contacts(round, organisations),
    )


def _round_visible(request, pk) -> ExchangeRound:
    round = get_object_or_404(ExchangeRound.objects.select_related("network"), pk=pk)
    if not rules.can_see_round(request.user, round):
        raise Http404
    return round


def _offer_visible(request, pk) -> Offer:
    offer = get_object_or_404(
        Offer.objects.select_related("round__network", "organisation", "contact"), pk=pk
    )
    if not rules.can_see_round(request.user, offer.round):
        raise Http404
    return offer


def _refused(request, round, text) -> HttpResponse:
    return render(request, "exchanges/offer_form.html", {"round": round, "refused": text}, status=403)


@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_visible(request, pk)
    if not rules.can_offer(request.user, round):
        return _refused(request, round, _("Seul·e un·e membre d'un service du réseau propose un accueil."))
    form = _form(request, round)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(round=round, **form.service_arguments(), by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Votre offre d'accueil est enregistrée. Merci !"))
            return redirect(reverse("exchanges:offer", args=[offer.pk]))
    context = {"round": round, "form": form, "editing": False}
    return render(request, "exchanges/offer_form.html", context, status=400 if form.errors else 200)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_visible(request, pk)
    round = offer.round
    mine = round.applications.filter(visitor=request.user, withdrawn_at__isnull=True).first()
    wish = mine.wishes.filter(offer=offer).first() if mine else None
    languages = [Language(code).label for code in offer.languages if code in Language.values]
    context = {
        "offer": offer,
        "round": round,
        "dates": list(offer.dates.all()),
        "languages": languages,
        "may_edit": rules.can_edit_offer(request.user, offer) and not offer.withdrawn_at,
        "may_apply": not offer.withdrawn_at
        and wish is None
        and timezone.localdate() <= round.applications_until
        and rules.can_apply(request.user, round)
        and not visitor_organisations(request.user, round).filter(pk=offer.organisation_id).exists(),
        "mine": mine,
        "wish": wish,
    }
    return render(request, "exchanges/offer.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_visible(request, pk)
    if not rules.can_edit_offer(request.user, offer) or offer.withdrawn_at:
        return _refused(request, offer.round, _("Vous ne pouvez pas modifier cette offre."))
    form = _form(request, offer.round, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(offer=offer, **form.service_arguments(), by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'offre est modifiée."))
            return redirect(reverse("exchanges:offer", args=[offer.pk]))
    context = {"round": offer.round, "offer": offer, "form": form, "editing": True}
    return render(request, "exchanges/offer_form.html", context, status=400 if form.errors else 200)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_visible(request, pk)
    if not rules.can_edit_offer(request.user, offer):
        return _refused(request, offer.round, _("Vous ne pouvez pas retirer cette offre."))
    try:
        services.offer_withdraw(offer=offer, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(reverse("exchanges:offer", args=[offer.pk]))
    messages.success(request, _("L'offre est retirée."))
    return redirect(reverse("exchanges:round", args=[offer.round_id]))


urlpatterns = [
    path("exchanges/rounds/<int:pk>/offers/new/", create, name="offer_create"),
    path("exchanges/offers/<int:pk>/", detail, name="offer"),
    path("exchanges/offers/<int:pk>/edit/", edit, name="offer_edit"),
    path("exchanges/offers/<int:pk>/withdraw/", withdraw, name="offer_withdraw"),
]
