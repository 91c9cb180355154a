"""The round's proposed matching, as its pages show it: matching.propose() run on the round's
offers and agreed applications, around the visits already confirmed. Never stored.

Interface (written with the matching): proposal_for(round, now=None) -> Proposal.
"""

from dataclasses import dataclass, field

from meetings.exchanges.models import Application, ExchangeRound, OfferDate


@dataclass(frozen=True)
class ProposedPair:
    application: Application
    offer_date: OfferDate
    reasons: tuple[str, ...]  # in words, in the active language
    # The other application's id when this pair is half of a reciprocal exchange.
    reciprocal_with: int | None = None


@dataclass(frozen=True)
class Proposal:
    pairs: list[ProposedPair] = field(default_factory=list)
    # Agreed applications the matching could not place (no shared day, no capacity left…).
    unplaced: list[Application] = field(default_factory=list)
    # Applications still waiting for their service's agreement (not matched until then).
    awaiting_agreement: int = 0


def proposal_for(round: ExchangeRound, *, now=None) -> Proposal:
    return Proposal()
