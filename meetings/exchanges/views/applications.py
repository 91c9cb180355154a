"""/exchanges/…: applying to an offer, one's application, and the service's agreement.

The agreement link of the manager's e-mail needs no account: the signed link is the proof, for
the POST too; opening it records nothing (mail scanners open every link). An unknown, tampered
or revoked link is a 404, like an application one may not see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.errors import error_text
from meetings.exchanges import rules, tokens
from meetings.exchanges.forms import ApplyForm
from meetings.exchanges.models import Application, Language, Offer, OfferDate
from meetings.exchanges.services import applications as services
from meetings.exchanges.services.offers import day_label


def round_days(round) -> list:
    """Every day of the round's offers still open, sorted, once each."""
    days = OfferDate.objects.filter(offer__round=round, offer__withdrawn_at__isnull=True).values_list(
        "day", flat=True
    )
    return sorted(set(days))


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.select_related("round__network", "organisation", "contact"), pk=pk
    )
    round = offer.round
    if not rules.can_see_round(request.user, round):
        raise Http404
    context = {"offer": offer, "round": round, "dates": list(offer.dates.all())}
    if not rules.can_apply(request.user, round):
        context["refused"] = _("Seul·e un·e membre d'un service du réseau postule.")
        return render(request, "exchanges/apply.html", context, status=403)
    application = round.applications.filter(visitor=request.user).first()
    form = ApplyForm(
        request.POST or None,
        organisations=list(services.visitor_organisations(request.user, round).order_by("name")),
        days=round_days(round),
        ticked=sorted({d.day.isoformat() for d in context["dates"]}),
        application=application if application and not application.withdrawn_at else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(offer=offer, visitor=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if application.agreed:
                messages.success(request, _("Votre candidature est enregistrée."))
            else:
                messages.success(
                    request,
                    _("Votre candidature est enregistrée. Un e-mail demande l'accord de votre service."),
                )
            return redirect(reverse("exchanges:application", args=[application.pk]))
    context["form"] = form
    context["languages"] = [Language(code).label for code in offer.languages if code in Language.values]
    return render(request, "exchanges/apply.html", context, status=400 if form.errors else 200)


def _application_context(application) -> dict:
    return {
        "application": application,
        "round": application.round,
        "day_labels": [day_label(day) for day in services.days_of(application)],
        "languages": [Language(code).label for code in application.languages if code in Language.values],
        "wishes": list(application.wishes.select_related("offer__organisation")),
    }


def _visible(request, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("round__network", "visitor", "organisation"), pk=pk
    )
    if not rules.can_see_application(request.user, application):
        raise Http404
    return application


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    context = _application_context(application)
    context["is_visitor"] = application.visitor_id == request.user.pk
    context["coordinator"] = rules.can_record_agreement(request.user, application)
    return render(request, "exchanges/application.html", context)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(reverse("exchanges:application", args=[application.pk]))
    messages.success(request, _("Votre candidature est retirée."))
    return redirect(reverse("exchanges:round", args=[application.round_id]))


@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    if not rules.can_record_agreement(request.user, application):
        raise PermissionDenied  # the visitor sees their application; the coordination records
    try:
        services.agreement_record(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("L'accord du service de %(name)s est enregistré.")
            % {"name": application.visitor.get_full_name()},
        )
    return redirect(reverse("exchanges:round", args=[application.round_id]))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The manager's page: who asks, for which round, why and when; a POST button agrees."""
    application = tokens.application_for_token(pk=pk, token=token)
    if application is None:
        raise Http404
    if request.method == "POST":
        try:
            services.agreement_confirm(application=application)
        except ValidationError as error:
            messages.info(request, error_text(error))
        else:
            messages.success(request, _("Merci : l'accord de votre service est enregistré."))
        return redirect(request.path)
    context = _application_context(application)
    if not application.agreed:
        context["wishes"] = list(
            application.wishes.select_related("offer__organisation").prefetch_related(
                Prefetch("offer__dates", queryset=OfferDate.objects.order_by("day", "part"))
            )
        )
    return render(request, "exchanges/agreement.html", context)


urlpatterns = [
    path("exchanges/offers/<int:pk>/apply/", apply, name="apply"),
    path("exchanges/applications/<int:pk>/", detail, name="application"),
    path("exchanges/applications/<int:pk>/withdraw/", withdraw, name="application_withdraw"),
    path("exchanges/applications/<int:pk>/agreement/", record, name="agreement_record"),
    path("exchanges/applications/<int:pk>/agree/<str:token>/", agreement_link, name="agreement_link"),
]
