"""/exchanges/: a person's « Vis ma vie » on one phone screen: their visits (as visitor or host,
upcoming first, flagged when their feedback is awaited), their applications, the rounds of their
networks (open ones with their number of offers, past ones with a link to their report), and for
a coordinator the proposed matching of each round they coordinate that is not over.

Queries: a constant number for whoever coordinates nothing (networks, visits, applications,
rounds, each one query whatever their number); a coordinator's page adds the proposal of each
round they coordinate that is not over (proposals.proposal_for), so it grows with those rounds."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.rules import coordinated_network_ids, network_ids_of
from meetings.exchanges.models import (
    Application,
    ExchangeRound,
    Feedback,
    Offer,
    Placement,
    Side,
)
from meetings.exchanges.proposals import proposal_for
from meetings.exchanges.timing import taking_place_q, took_place, visit_end

# Proposed blocks (one pair, or both halves of a reciprocal exchange) shown per round on this
# page, and confirmed by its "confirm these pairs" button; the matching page shows them all.
PROPOSAL_LIMIT = 5


def visits_of(user, *, now) -> list[Placement]:
    """USER's confirmed visits as visitor or host, upcoming first then the most recent, each
    with its side, its end and whether USER's feedback is awaited; in one query."""
    placements = list(
        # As their meetings stand: one cancelled on its own page is no visit any more.
        Placement.objects.filter(taking_place_q())
        .filter(Q(application__visitor_id=user.pk) | Q(host_id=user.pk))
        .select_related(
            "meeting",
            "application__visitor",
            "application__organisation",
            "offer_date__offer__organisation",
        )
        .annotate(wrote=Exists(Feedback.objects.filter(placement_id=OuterRef("pk"), author_id=user.pk)))
    )
    for placement in placements:
        placement.side = Side.VISITOR if placement.application.visitor_id == user.pk else Side.HOST
        placement.ends = visit_end(placement)
        placement.upcoming = placement.ends > now
        placement.awaiting_feedback = not placement.wrote and took_place(placement, now=now)
    upcoming = sorted((p for p in placements if p.upcoming), key=lambda p: (p.ends, p.pk))
    past = sorted((p for p in placements if not p.upcoming), key=lambda p: (p.ends, p.pk), reverse=True)
    return upcoming + past


def _offer_count():
    counted = (
        Offer.objects.filter(round_id=OuterRef("pk"), withdrawn_at__isnull=True)
        .values("round_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    user = request.user
    coordinated = coordinated_network_ids(user)
    rounds = list(
        ExchangeRound.objects.filter(network_id__in=network_ids_of(user))
        .select_related("network")
        .annotate(offer_count=_offer_count())
        .order_by("visits_from", "pk")
    )
    current = [r for r in rounds if r.visits_until >= today]
    past = sorted(
        (r for r in rounds if r.visits_until < today), key=lambda r: (r.visits_until, r.pk), reverse=True
    )
    proposals = [
        {"round": r, "proposal": proposal_for(r, now=now)} for r in current if r.network_id in coordinated
    ]
    applications = list(
        Application.objects.filter(visitor_id=user.pk, withdrawn_at__isnull=True)
        .select_related("round", "organisation")
        .order_by("-round__visits_from", "pk")
    )
    context = {
        "visits": visits_of(user, now=now),
        "applications": applications,
        "current_rounds": current,
        "past_rounds": past,
        "proposals": proposals,
        "proposal_limit": PROPOSAL_LIMIT,
        "may_create": bool(coordinated),
    }
    return render(request, "exchanges/index.html", context)


urlpatterns = [
    path("exchanges/", index, name="index"),
]
