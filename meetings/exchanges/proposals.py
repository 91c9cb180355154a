"""The round's proposed matching, as its pages show it: matching.propose() run on the round's
offers and agreed applications, around the visits already confirmed. Never stored.

Interface (written with the matching): proposal_for(round, now=None) -> Proposal. The matching
page also uses round_state() (what is open in the round, with each date's free places) and
proposal_from() so as to read the round once.

A constant number of queries whatever the round's size: the visits whose meeting was cancelled
from the core's meeting page switched to cancelled (one UPDATE), the offers with their services
and dates, the confirmed visits counted per date, the open applications with their services,
visitors and wishes, and the count of those still waiting for their service's agreement.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from meetings.exchanges import matching
from meetings.exchanges.models import (
    Application,
    ExchangeRound,
    Language,
    Offer,
    OfferDate,
    Placement,
    PlacementStatus,
)
from meetings.exchanges.timing import taking_place_q
from meetings.models import MeetingStatus


@dataclass(frozen=True)
class ProposedPair:
    application: Application
    offer_date: OfferDate
    reasons: tuple[str, ...]  # in words, in the active language
    # The other application's id when this pair is half of a reciprocal exchange.
    reciprocal_with: int | None = None
    codes: tuple[str, ...] = ()  # the reasons as matching.py gives them (what a placement stores)


@dataclass(frozen=True)
class Block:
    """What the coordinator confirms in one go: one pair, or both halves of a reciprocal
    exchange. UPTO counts the pairs of this block and of those before it."""

    pairs: tuple[ProposedPair, ...]
    upto: int

    @property
    def reciprocal(self) -> bool:
        return len(self.pairs) == 2


@dataclass(frozen=True)
class Proposal:
    pairs: list[ProposedPair] = field(default_factory=list)
    # Agreed applications the matching could not place (no shared day, no capacity left…).
    unplaced: list[Application] = field(default_factory=list)
    # Applications still waiting for their service's agreement (not matched until then).
    awaiting_agreement: int = 0

    @property
    def blocks(self) -> list[Block]:
        """The pairs grouped as they are confirmed: a reciprocal exchange's two halves together
        (where its first half comes), every other pair alone; in the pairs' order."""
        by_application = {pair.application.pk: pair for pair in self.pairs}
        blocks, seen, upto = [], set(), 0
        for pair in self.pairs:
            if pair.application.pk in seen:
                continue
            other = by_application.get(pair.reciprocal_with) if pair.reciprocal_with else None
            group = (pair, other) if other is not None and other.application.pk not in seen else (pair,)
            seen.update(p.application.pk for p in group)
            upto += len(group)
            blocks.append(Block(pairs=group, upto=upto))
        return blocks


@dataclass
class RoundState:
    """What is still open in a round: its offers' dates to come (each with `free`, the places
    left, and `offer` with its organisation), the agreed applications without a visit (with
    `wished_ids`), and how many applications wait for their service's agreement."""

    dates: list[OfferDate]
    applications: list[Application]
    awaiting_agreement: int


def confirmed(round: ExchangeRound):
    """The round's visits that hold a place: confirmed, their meeting still taking place (one
    cancelled from the core's meeting page holds none, before settle_cancelled_meetings marks
    it, which only confirming does: reading a page writes nothing)."""
    return Placement.objects.filter(taking_place_q(), round=round)


def settle_cancelled_meetings(round: ExchangeRound, *, now: datetime) -> int:
    """Cancel the round's confirmed visits whose meeting was cancelled elsewhere (its organiser
    may call it off from the core's meeting page): they no longer hold a place, and their
    visitor may be placed again. One UPDATE; how many visits it cancelled."""
    return (
        Placement.objects.filter(round=round, status=PlacementStatus.CONFIRMED)
        .filter(meeting__status=MeetingStatus.CANCELLED)
        .update(status=PlacementStatus.CANCELLED, cancelled_at=now)
    )


def round_state(round: ExchangeRound, *, now: datetime | None = None) -> RoundState:
    now = now or timezone.now()
    today = timezone.localdate(now)
    offers = list(
        Offer.objects.filter(round=round, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    )
    taken = dict(
        confirmed(round).values("offer_date_id").annotate(n=Count("pk")).values_list("offer_date_id", "n")
    )
    by_offer = {offer.pk: offer for offer in offers}
    dates = []
    for offer_date in OfferDate.objects.filter(offer__in=by_offer, day__gt=today).order_by(
        "day", "part", "pk"
    ):
        offer_date.offer = by_offer[offer_date.offer_id]
        offer_date.free = max(offer_date.offer.capacity - taken.get(offer_date.pk, 0), 0)
        dates.append(offer_date)
    open_ = Application.objects.filter(round=round, withdrawn_at__isnull=True)
    applications = list(
        open_.filter(agreed_at__isnull=False)
        .exclude(Exists(confirmed(round).filter(application=OuterRef("pk"))))
        .select_related("visitor", "organisation")
        .prefetch_related("wishes")
        .order_by("pk")
    )
    for application in applications:
        application.wished_ids = frozenset(wish.offer_id for wish in application.wishes.all())
    awaiting = open_.filter(agreed_at__isnull=True).count()
    return RoundState(dates=dates, applications=applications, awaiting_agreement=awaiting)


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def plain_data(state: RoundState) -> tuple[list[matching.OfferDay], list[matching.Candidate]]:
    days = [
        matching.OfferDay(
            date_id=d.pk,
            offer_id=d.offer_id,
            organisation_id=d.offer.organisation_id,
            kind=d.offer.organisation.kind,
            day=d.day,
            languages=frozenset(d.offer.languages or ()),
            free=d.free,
            contact_id=d.offer.contact_id,
        )
        for d in state.dates
    ]
    candidates = []
    for a in state.applications:
        candidates.append(
            matching.Candidate(
                application_id=a.pk,
                visitor_id=a.visitor_id,
                organisation_id=a.organisation_id,
                kind=a.organisation.kind,
                days=frozenset(_day(value) for value in a.available_days or ()),
                languages=frozenset(a.languages or ()),
                wanted_kinds=frozenset(a.wanted_kinds or ()),
                offers_return=a.offers_return,
                wished_offer_ids=a.wished_ids,
            )
        )
    return days, candidates


def _kind(value: str) -> str:
    return str(OrganisationKind(value).label) if value in OrganisationKind.values else value


def _language(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code


def reasons_in_words(codes, *, application, offer_date, other=None) -> tuple[str, ...]:
    """The reason codes of matching.py as the coordinator reads them."""
    words, languages = [], []
    for code in codes:
        if code == matching.RECIPROCAL:
            words.append(
                _("échange réciproque avec %(name)s")
                % {"name": other.visitor if other else _("un·e collègue")}
            )
        elif code == matching.DIFFERENT_KIND:
            words.append(
                _("services de types différents : %(visitor)s → %(host)s")
                % {
                    "visitor": _kind(application.organisation.kind),
                    "host": _kind(offer_date.offer.organisation.kind),
                }
            )
        elif code == matching.SAME_KIND:
            words.append(
                _("services du même type : %(kind)s") % {"kind": _kind(application.organisation.kind)}
            )
        elif code.startswith(matching.SHARED_LANGUAGE + ":"):
            languages.append(_language(code.split(":", 1)[1]))
        elif code == matching.NO_SHARED_LANGUAGE:
            words.append(_("pas de langue commune annoncée"))
        elif code == matching.WISHED:
            words.append(_("offre choisie par le visiteur"))
        elif code == matching.WANTED_KIND:
            words.append(_("type de service que le visiteur souhaite découvrir"))
    if languages:
        position = 1 if codes and codes[0] == matching.RECIPROCAL else 0
        position += int(any(c in (matching.DIFFERENT_KIND, matching.SAME_KIND) for c in codes))
        words.insert(position, _("langue commune : %(languages)s") % {"languages": ", ".join(languages)})
    return tuple(words)


def visit_reasons(visits) -> None:
    """Set `reason_words` on each of VISITS (confirmed placements with their application's
    service and visitor and their offer's service): its stored reason codes in words, empty
    for a visit paired by hand. The other half of a reciprocal exchange is looked for among
    VISITS (no query)."""
    visits = list(visits)
    reciprocal = {}  # (visitor's service, host service) -> a reciprocal visit's application
    for visit in visits:
        if matching.RECIPROCAL in (visit.reasons or ()):
            key = (visit.application.organisation_id, visit.offer_date.offer.organisation_id)
            reciprocal.setdefault(key, visit.application)
    for visit in visits:
        other = None
        if matching.RECIPROCAL in (visit.reasons or ()):
            other = reciprocal.get(
                (visit.offer_date.offer.organisation_id, visit.application.organisation_id)
            )
        visit.reason_words = reasons_in_words(
            tuple(visit.reasons or ()),
            application=visit.application,
            offer_date=visit.offer_date,
            other=other,
        )


def proposal_from(state: RoundState) -> Proposal:
    days, candidates = plain_data(state)
    pairs = matching.propose(days, candidates)
    applications = {a.pk: a for a in state.applications}
    dates = {d.pk: d for d in state.dates}
    proposed = []
    for pair in pairs:
        application, offer_date = applications[pair.application_id], dates[pair.date_id]
        other = applications.get(pair.reciprocal_with) if pair.reciprocal_with else None
        proposed.append(
            ProposedPair(
                application=application,
                offer_date=offer_date,
                reasons=reasons_in_words(
                    pair.reasons, application=application, offer_date=offer_date, other=other
                ),
                reciprocal_with=pair.reciprocal_with,
                codes=pair.reasons,
            )
        )
    placed = {pair.application_id for pair in pairs}
    return Proposal(
        pairs=proposed,
        unplaced=[a for a in state.applications if a.pk not in placed],
        awaiting_agreement=state.awaiting_agreement,
    )


def proposal_for(round: ExchangeRound, *, now=None) -> Proposal:
    return proposal_from(round_state(round, now=now))
