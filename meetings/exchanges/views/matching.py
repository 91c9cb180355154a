"""The round's matching page (the proposal, what is left, the confirmed visits, pairing by hand)
and confirming pairs, for the coordinators of the round's network only (404 for anyone else).
Changes are POST only; a refusal is shown as an error and changes nothing.

The confirmations post the pairs as repeated `application` / `offer_date` fields (the i-th
application with the i-th date): `confirm` one pair or both halves of a reciprocal exchange
(with `by_hand` from the form pairing by hand: one pair, stored without reasons), `confirm_all`
the pairs the page showed, exactly those (placements.confirm_pairs). Nothing posted: an error
message and back to the page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from meetings.errors import error_text
from meetings.exchanges import rules
from meetings.exchanges.models import Application, ExchangeRound, OfferDate, Placement, PlacementStatus
from meetings.exchanges.proposals import proposal_from, round_state, visit_reasons
from meetings.exchanges.services import placements

# At most this many pairs in one confirmation (a round of 300 applications has fewer).
MAX_PAIRS = 1000


class PlainSelect(forms.Select):
    """A select of a few hundred options in one pass: Django's renders a template per option,
    which was a third of the matching page's time for a round of 300 applications."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), options
        )


class PairForm(forms.Form):
    application = forms.TypedChoiceField(
        label=gettext_lazy("Visiteur ou visiteuse"), coerce=int, widget=PlainSelect
    )
    offer_date = forms.TypedChoiceField(label=gettext_lazy("Date d'accueil"), coerce=int, widget=PlainSelect)

    def __init__(self, *args, state=None, **kwargs):
        super().__init__(*args, **kwargs)
        if state is None:  # a confirmation posted from elsewhere: any id, checked by the service
            self.fields["application"] = forms.IntegerField()
            self.fields["offer_date"] = forms.IntegerField()
            return
        self.fields["application"].choices = [
            (a.pk, f"{a.visitor} — {a.organisation.name}") for a in state.applications
        ]
        self.fields["offer_date"].choices = [
            (d.pk, f"{d.offer.organisation.name} — {placements.day_label(d)} ({d.free})")
            for d in state.dates
            if d.free > 0
        ]


def _round_or_404(request: HttpRequest, pk: int) -> ExchangeRound:
    round = get_object_or_404(ExchangeRound.objects.select_related("network"), pk=pk)
    if not rules.can_match(request.user, round):
        raise Http404
    return round


def _page(request, round, *, form=None, status=200) -> HttpResponse:
    state = round_state(round)
    visits = list(
        Placement.objects.filter(round=round, status=PlacementStatus.CONFIRMED)
        .select_related(
            "application__visitor",
            "application__organisation",
            "offer_date__offer__organisation",
        )
        .order_by("offer_date__day", "pk")
    )
    visit_reasons(visits)
    return render(
        request,
        "exchanges/matching.html",
        {
            "round": round,
            "proposal": proposal_from(state),
            "visits": visits,
            "pair_form": form or PairForm(state=state),
            "next": request.get_full_path(),
        },
        status=status,
    )


@require_GET
def matching(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _round_or_404(request, pk))


def _next(request: HttpRequest, round: ExchangeRound) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("exchanges:matching", pk=round.pk)


def _posted_pairs(request: HttpRequest, round: ExchangeRound):
    """The (application, offer_date) pairs posted, all of ROUND; or None when the post is not
    a list of such pairs."""
    applications, dates = request.POST.getlist("application"), request.POST.getlist("offer_date")
    if len(applications) != len(dates) or len(applications) > MAX_PAIRS:
        return None
    if not all(value.isascii() and value.isdigit() for value in applications + dates):
        return None
    ids = [(int(a), int(d)) for a, d in zip(applications, dates, strict=True)]
    found_applications = (
        Application.objects.filter(round=round).select_related("visitor").in_bulk({a for a, _d in ids})
    )
    found_dates = (
        OfferDate.objects.filter(offer__round=round)
        .select_related("offer__organisation")
        .in_bulk({d for _a, d in ids})
    )
    if any(a not in found_applications or d not in found_dates for a, d in ids):
        return None
    return [(found_applications[a], found_dates[d]) for a, d in ids]


def _confirmed_message(request: HttpRequest, confirmed, *, counted=False) -> None:
    """The success message: who goes where for one visit, else (or when COUNTED) how many."""
    if len(confirmed) == 1 and not counted:
        placement = confirmed[0]
        messages.success(
            request,
            _("Visite confirmée : %(visitor)s chez %(host)s. Les invitations partent.")
            % {"visitor": placement.application.visitor, "host": placement.offer_date.offer.organisation},
        )
        return
    messages.success(
        request,
        ngettext(
            "%(count)d visite confirmée. Les invitations partent.",
            "%(count)d visites confirmées. Les invitations partent.",
            len(confirmed),
        )
        % {"count": len(confirmed)},
    )


def _by_hand(request: HttpRequest, round: ExchangeRound) -> HttpResponse:
    form = PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une candidature et une date."))
        return _next(request, round)
    application = Application.objects.filter(pk=form.cleaned_data["application"], round=round).first()
    offer_date = OfferDate.objects.filter(pk=form.cleaned_data["offer_date"], offer__round=round).first()
    if application is None or offer_date is None:
        messages.error(request, _("Cette candidature ou cette date n'est pas de cette session."))
        return _next(request, round)
    try:
        placement = placements.placement_confirm(
            round=round, application=application, offer_date=offer_date, by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _next(request, round)
    _confirmed_message(request, [placement])
    return _next(request, round)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(request, pk)
    if request.POST.get("by_hand"):
        return _by_hand(request, round)
    pairs = _posted_pairs(request, round)
    if not pairs or len(pairs) > 2:
        messages.error(request, _("Choisissez une candidature et une date."))
        return _next(request, round)
    return _confirm_pairs(request, round, pairs)


def _confirm_pairs(request: HttpRequest, round: ExchangeRound, pairs, *, counted=False) -> HttpResponse:
    try:
        confirmed = placements.confirm_pairs(round=round, pairs=pairs, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _next(request, round)
    _confirmed_message(request, confirmed, counted=counted)
    return _next(request, round)


@require_POST
def confirm_all(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(request, pk)
    pairs = _posted_pairs(request, round)
    if pairs is None:
        messages.error(
            request, _("La proposition a changé depuis l'affichage de la page : vérifiez-la à nouveau.")
        )
        return _next(request, round)
    if not pairs:
        messages.error(request, _("Il n'y a rien à confirmer : aucune paire choisie."))
        return _next(request, round)
    return _confirm_pairs(request, round, pairs, counted=True)


urlpatterns = [
    path("exchanges/rounds/<int:pk>/matching/", matching, name="matching"),
    path("exchanges/rounds/<int:pk>/matching/confirm/", confirm, name="confirm"),
    path("exchanges/rounds/<int:pk>/matching/confirm-all/", confirm_all, name="confirm_all"),
]
