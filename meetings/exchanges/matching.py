"""The matching of a round: which visitor spends which offer's date where, as a small function of
plain data (no database: proposals.py builds the data and turns the reasons into words).

What is always respected (hard constraints):
- each candidate is placed at most once (one visit per visitor and round);
- never at an offer of their own service, nor at one whose contact they are themselves (someone
  working in two services does not host their own visit);
- only on one of their available days;
- never beyond an offer date's free places (its capacity minus the visits already confirmed).

Choice made for the offers a visitor named: a candidate may be placed at ANY offer of another
service on one of their days; an offer they named (wished) only scores higher. A visitor who named
one offer full on their days is then still proposed somewhere else, which the coordinator may
undo; nobody is left out because of a name.

What is preferred, in this order (lexicographic: an earlier preference always beats all the later
ones together):
1. reciprocal pairs: two candidates A (of service X) and B (of service Y), both offering a visit
   in return, A placed at an offer of Y and B at an offer of X (any days);
2. services of different kinds (the visitor's service and the host's);
3. a shared language (one of the visitor's languages spoken on site);
4. an offer the visitor named;
5. a kind of service the visitor would like to discover.
Ties are broken by the earliest day, then by ids, so that the same input gives the same output
whatever its order.

How (greedy, honestly):
- Reciprocal phase: every possible reciprocal pair of candidates is scored by the sum of both
  halves' best places (preferences 2 to 5); pairs are taken best first (then the pair whose
  candidates have the fewest possible places, then ids), each half at its best place still free.
  Candidates are indexed by (their service, host service), so only candidates who could actually
  form a pair are compared. This maximises neither the number of reciprocal pairs nor their total
  score: a better pair taken first may leave two others without a partner.
- Single phase: every (candidate, place) left is sorted by its preferences, then the candidates
  with the fewest possible places first (so that an easy candidate does not take the only place
  of a hard one), then day and ids; each is taken if its candidate is still unplaced and the place
  still free. Each placement is locally best, not globally: the total of the preferences is not
  maximised.
- Completion: for each candidate still unplaced, an augmenting path is looked for (moving already
  placed candidates, except the halves of reciprocal pairs, to another of their possible places
  to free one). Given the reciprocal pairs chosen, this gives the maximum number of placements,
  at the price of sometimes a less preferred place for a candidate who was moved. Failed searches
  share what they explored, so this stays about linear in the number of possible places.
"""

from dataclasses import dataclass
from datetime import date

# Reason codes, turned into words by proposals.py.
RECIPROCAL = "reciprocal"
DIFFERENT_KIND = "different_kind"
SAME_KIND = "same_kind"
SHARED_LANGUAGE = "shared_language"  # "shared_language:fr"
NO_SHARED_LANGUAGE = "no_shared_language"
WISHED = "wished"
WANTED_KIND = "wanted_kind"


@dataclass(frozen=True)
class OfferDay:
    """One date of an offer, with its free places."""

    date_id: int
    offer_id: int
    organisation_id: int
    kind: str
    day: date
    languages: frozenset[str]
    free: int
    contact_id: int | None = None  # the offer's contact, who hosts the visit


@dataclass(frozen=True)
class Candidate:
    """An agreed application not yet placed."""

    application_id: int
    visitor_id: int
    organisation_id: int
    kind: str
    days: frozenset[date]
    languages: frozenset[str]
    wanted_kinds: frozenset[str]
    offers_return: bool
    wished_offer_ids: frozenset[int]


@dataclass(frozen=True)
class Pair:
    application_id: int
    offer_id: int
    date_id: int
    reasons: tuple[str, ...]
    reciprocal_with: int | None = None  # the other half's application_id


def _score(candidate: Candidate, offer_day: OfferDay) -> tuple[int, int, int, int]:
    """Preferences 2 to 5 of placing CANDIDATE on OFFER_DAY, each 1 or 0 (higher is better)."""
    different = int(bool(candidate.kind and offer_day.kind and candidate.kind != offer_day.kind))
    shared = int(bool(candidate.languages & offer_day.languages))
    wished = int(offer_day.offer_id in candidate.wished_offer_ids)
    wanted = int(offer_day.kind in candidate.wanted_kinds)
    return different, shared, wished, wanted


def _reasons(candidate: Candidate, offer_day: OfferDay, reciprocal: bool) -> tuple[str, ...]:
    reasons = [RECIPROCAL] if reciprocal else []
    if candidate.kind and offer_day.kind:
        reasons.append(DIFFERENT_KIND if candidate.kind != offer_day.kind else SAME_KIND)
    shared = sorted(candidate.languages & offer_day.languages)
    reasons += [f"{SHARED_LANGUAGE}:{code}" for code in shared] or [NO_SHARED_LANGUAGE]
    if offer_day.offer_id in candidate.wished_offer_ids:
        reasons.append(WISHED)
    if offer_day.kind in candidate.wanted_kinds:
        reasons.append(WANTED_KIND)
    return tuple(reasons)


def reasons_for(candidate: Candidate, offer_day: OfferDay, *, reciprocal: bool) -> tuple[str, ...]:
    """The reason codes of placing CANDIDATE on OFFER_DAY (RECIPROCAL: as half of a reciprocal
    exchange), as propose() gives them."""
    return _reasons(candidate, offer_day, reciprocal)


def _neg(score: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-value for value in score)


def _rank(negated: tuple[int, ...]) -> int:
    """A negated score as one integer that sorts as the tuple does, and whose sum for two
    placements sorts as their scores' element-wise sum: each element is 0 or -1, a sum of two
    -2 to 0, so base 10 never carries. Summing 48,000 pairs of tuples was most of a large
    round's matching time."""
    rank = 0
    for value in negated:
        rank = rank * 10 + value
    return rank


def propose(days: list[OfferDay], candidates: list[Candidate]) -> list[Pair]:
    """The proposed pairs (see the module's docstring), sorted by day, date and application."""
    by_date = {d.date_id: d for d in sorted(days, key=lambda d: d.date_id)}
    people = {c.application_id: c for c in sorted(candidates, key=lambda c: c.application_id)}
    by_day: dict[date, list[OfferDay]] = {}
    for offer_day in by_date.values():
        if offer_day.free > 0:
            by_day.setdefault(offer_day.day, []).append(offer_day)

    # Each candidate's possible places, best first: (sort key, date_id).
    options: dict[int, list[tuple[tuple, int]]] = {}
    for cid, candidate in people.items():
        found = []
        for day in sorted(candidate.days):
            for offer_day in by_day.get(day, ()):
                if offer_day.organisation_id == candidate.organisation_id:
                    continue
                if offer_day.contact_id is not None and offer_day.contact_id == candidate.visitor_id:
                    continue
                key = (*_neg(_score(candidate, offer_day)), offer_day.day, offer_day.date_id)
                found.append((key, offer_day.date_id))
        found.sort()
        options[cid] = found

    free = {date_id: d.free for date_id, d in by_date.items()}
    placed: dict[int, int] = {}  # application_id -> date_id
    partner: dict[int, int] = {}

    # 1. Reciprocal pairs, indexed by (visitor's service, host service).
    best_at: dict[tuple[int, int], int] = {}  # (candidate, host org) -> _rank of the best key there
    index: dict[tuple[int, int], list[int]] = {}
    for cid, candidate in people.items():
        if not candidate.offers_return:
            continue
        for key, date_id in options[cid]:
            host = by_date[date_id].organisation_id
            if (cid, host) not in best_at:
                best_at[cid, host] = _rank(key[:4])
                index.setdefault((candidate.organisation_id, host), []).append(cid)
    possible = []
    for (x, y), from_x in sorted(index.items()):
        if x >= y or (y, x) not in index:
            continue
        for a in from_x:
            for b in index[y, x]:
                score = best_at[a, y] + best_at[b, x]
                scarcity = min(len(options[a]), len(options[b]))
                possible.append((score, scarcity, a, b, x, y))
    possible.sort()
    for _score_key, _scarcity, a, b, x, y in possible:
        if a in placed or b in placed:
            continue
        place_a = next((d for _k, d in options[a] if free[d] > 0 and by_date[d].organisation_id == y), None)
        place_b = next((d for _k, d in options[b] if free[d] > 0 and by_date[d].organisation_id == x), None)
        if place_a is None or place_b is None:
            continue
        placed[a], placed[b] = place_a, place_b
        free[place_a] -= 1
        free[place_b] -= 1
        partner[a], partner[b] = b, a

    # 2. Single placements, best (candidate, place) first, the hardest candidates first on a tie.
    edges = sorted(
        (key[:4], len(options[cid]), key[4], date_id, cid)
        for cid in people
        if cid not in placed
        for key, date_id in options[cid]
    )
    for _score_key, _count, _day, date_id, cid in edges:
        if cid not in placed and free[date_id] > 0:
            placed[cid] = date_id
            free[date_id] -= 1

    # 3. Augmenting paths for who is left (halves of reciprocal pairs stay where they are).
    at_date: dict[int, list[int]] = {}
    for cid, date_id in sorted(placed.items()):
        at_date.setdefault(date_id, []).append(cid)
    explored: set[int] = set()

    def augment(cid: int) -> bool:
        for _key, date_id in options[cid]:
            if date_id in explored:
                continue
            explored.add(date_id)
            if free[date_id] > 0:
                free[date_id] -= 1
                at_date.setdefault(date_id, []).append(cid)
                placed[cid] = date_id
                return True
            for other in list(at_date.get(date_id, ())):
                if other in partner:
                    continue
                at_date[date_id].remove(other)
                if augment(other):
                    at_date[date_id].append(cid)
                    placed[cid] = date_id
                    return True
                at_date[date_id].append(other)
        return False

    for cid in people:
        if cid not in placed and options[cid] and augment(cid):
            explored = set()

    pairs = [
        Pair(
            application_id=cid,
            offer_id=by_date[date_id].offer_id,
            date_id=date_id,
            reasons=_reasons(people[cid], by_date[date_id], cid in partner),
            reciprocal_with=partner.get(cid),
        )
        for cid, date_id in placed.items()
    ]
    pairs.sort(key=lambda p: (by_date[p.date_id].day, p.date_id, p.application_id))
    return pairs
