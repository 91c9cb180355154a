"""The matching as a function of plain data (meetings/exchanges/matching.py): its hard
constraints, its preferences in order, and its determinism."""

import random
from datetime import date, timedelta

from meetings.exchanges.matching import Candidate, OfferDay, propose

D1, D2, D3 = date(2027, 3, 9), date(2027, 3, 11), date(2027, 3, 16)


def day(date_id, org, *, offer=None, kind="medical_house", on=D1, languages=("fr",), free=1, contact=None):
    return OfferDay(
        date_id=date_id,
        offer_id=offer if offer is not None else org * 10,
        organisation_id=org,
        kind=kind,
        day=on,
        languages=frozenset(languages),
        free=free,
        contact_id=contact,
    )


def cand(
    app, org, *, kind="low_threshold", days=(D1, D2, D3), languages=("fr",), wanted=(), back=False, wished=()
):
    return Candidate(
        application_id=app,
        visitor_id=app + 1000,
        organisation_id=org,
        kind=kind,
        days=frozenset(days),
        languages=frozenset(languages),
        wanted_kinds=frozenset(wanted),
        offers_return=back,
        wished_offer_ids=frozenset(wished),
    )


def placed(pairs):
    return {p.application_id: p.date_id for p in pairs}


def check_constraints(days, candidates, pairs):
    """Re-verify every hard constraint on PAIRS."""
    by_date = {d.date_id: d for d in days}
    people = {c.application_id: c for c in candidates}
    ids = [p.application_id for p in pairs]
    assert len(ids) == len(set(ids))  # one placement each
    used = {}
    for pair in pairs:
        offer_day, candidate = by_date[pair.date_id], people[pair.application_id]
        assert pair.offer_id == offer_day.offer_id
        assert offer_day.organisation_id != candidate.organisation_id  # never at home
        assert offer_day.contact_id != candidate.visitor_id  # never their own host
        assert offer_day.day in candidate.days  # on one of their days
        used[pair.date_id] = used.get(pair.date_id, 0) + 1
    for date_id, count in used.items():
        assert count <= by_date[date_id].free  # capacities


def test_a_reciprocal_exchange_beats_a_better_single_pair():
    # Service 1 (low threshold) and service 2 (same kind!) can exchange; candidate 10 of service 1
    # would have a better single place at service 3 (another kind, wished).
    days = [
        day(1, 2, kind="low_threshold", on=D1),
        day(2, 1, kind="low_threshold", on=D2),
        day(3, 3, kind="medical_house", on=D1),
    ]
    candidates = [
        cand(10, 1, back=True, wished=[30]),
        cand(20, 2, back=True),
    ]
    pairs = propose(days, candidates)
    assert placed(pairs) == {10: 1, 20: 2}
    by_app = {p.application_id: p for p in pairs}
    assert by_app[10].reciprocal_with == 20 and by_app[20].reciprocal_with == 10
    assert "reciprocal" in by_app[10].reasons and "same_kind" in by_app[10].reasons


def test_no_reciprocity_without_both_offering_a_return():
    days = [day(1, 2, kind="low_threshold", on=D1), day(2, 1, kind="low_threshold", on=D2)]
    pairs = propose(days, [cand(10, 1, back=True), cand(20, 2, back=False)])
    assert placed(pairs) == {10: 1, 20: 2}
    assert all(p.reciprocal_with is None and "reciprocal" not in p.reasons for p in pairs)


def test_different_kinds_are_preferred_then_a_shared_language_then_the_wish():
    days = [
        day(1, 2, kind="low_threshold", languages=("fr",)),  # same kind as the visitor
        day(2, 3, kind="medical_house", languages=("nl",)),  # other kind, no shared language
        day(3, 4, kind="hospital", languages=("fr",)),  # other kind, shared language
        day(4, 5, kind="youth", languages=("fr",), offer=50),  # same again, wished
    ]
    pairs = propose(days, [cand(10, 1, wished=[50])])
    assert placed(pairs) == {10: 4}
    assert pairs[0].reasons == ("different_kind", "shared_language:fr", "wished")
    # Without the wish, the shared language decides.
    pairs = propose(days[:3], [cand(10, 1)])
    assert placed(pairs) == {10: 3}
    # Without a shared language, the other kind still wins over the same kind.
    pairs = propose(days[:2], [cand(10, 1)])
    assert placed(pairs) == {10: 2} and "no_shared_language" in pairs[0].reasons


def test_languages_decide_between_two_candidates_for_one_place():
    days = [day(1, 2, languages=("nl",))]
    pairs = propose(days, [cand(10, 1, languages=("fr",)), cand(11, 3, languages=("fr", "nl"))])
    assert placed(pairs) == {11: 1}
    assert "shared_language:nl" in pairs[0].reasons


def test_a_wanted_kind_breaks_the_last_tie():
    days = [day(1, 2, kind="hospital", on=D1), day(2, 3, kind="youth", on=D3)]
    pairs = propose(days, [cand(10, 1, wanted=["youth"])])
    assert placed(pairs) == {10: 2} and pairs[0].reasons[-1] == "wanted_kind"


def test_capacities_are_respected():
    days = [day(1, 2, free=2), day(2, 3, free=0)]
    candidates = [cand(n, 1) for n in range(10, 15)]
    pairs = propose(days, candidates)
    assert sorted(placed(pairs).values()) == [1, 1]
    check_constraints(days, candidates, pairs)


def test_one_placement_per_round_own_service_never_and_days_respected():
    days = [
        day(1, 1, on=D1, free=5),  # the candidates' own service
        day(2, 2, on=D2, free=5),  # not on their days
        day(3, 3, on=D1, free=5),
        day(4, 4, on=D3, free=5),
    ]
    candidates = [cand(10, 1, days=(D1, D3)), cand(11, 1, days=(D1,))]
    pairs = propose(days, candidates)
    assert len(pairs) == 2
    assert placed(pairs)[11] == 3
    assert placed(pairs)[10] in (3, 4)
    check_constraints(days, candidates, pairs)
    assert propose([day(1, 1)], [cand(10, 1)]) == []


def test_the_candidate_with_fewer_places_is_served_first():
    # 10 could go to either; 11 only to date 1: both are placed.
    days = [day(1, 2, on=D1), day(2, 3, on=D2)]
    candidates = [cand(10, 1, days=(D1, D2)), cand(11, 4, days=(D1,))]
    assert placed(propose(days, candidates)) == {11: 1, 10: 2}


def test_a_placed_candidate_is_moved_so_that_one_more_is_placed():
    # 10 prefers date 1 (shared language) and takes it first; 11 can only go there: 10 is moved.
    days = [day(1, 2, on=D1, languages=("fr",)), day(2, 3, on=D2, languages=("nl",))]
    candidates = [cand(10, 1, days=(D1, D2), languages=("fr",)), cand(11, 4, days=(D1,), languages=("de",))]
    pairs = propose(days, candidates)
    assert placed(pairs) == {11: 1, 10: 2}


def generated(seed, *, candidates=300, offers=150):
    rng = random.Random(seed)
    kinds = ["medical_house", "low_threshold", "mental_health", "hospital", "youth", "public_welfare"]
    langs = ["fr", "nl", "en", "ar"]
    first = date(2027, 2, 1)
    calendar = [first + timedelta(days=n) for n in range(40)]
    org_kind = {org: rng.choice(kinds) for org in range(1, 101)}
    days, date_id = [], 0
    for offer in range(1, offers + 1):
        org = rng.randint(1, 100)
        for on in rng.sample(calendar, rng.randint(2, 3)):
            date_id += 1
            days.append(
                OfferDay(
                    date_id, offer, org, org_kind[org], on, frozenset(rng.sample(langs, 2)), rng.randint(1, 2)
                )
            )
    people = []
    for app in range(1, candidates + 1):
        org = rng.randint(1, 100)
        people.append(
            Candidate(
                app,
                app,
                org,
                org_kind[org],
                frozenset(rng.sample(calendar, 8)),
                frozenset(rng.sample(langs, rng.randint(1, 2))),
                frozenset(rng.sample(kinds, 2)),
                rng.random() < 0.5,
                frozenset(rng.sample(range(1, offers + 1), 2)),
            )
        )
    return days, people


def test_a_large_round_places_everyone_placeable_under_the_constraints():
    days, candidates = generated(19)
    pairs = propose(days, candidates)
    check_constraints(days, candidates, pairs)
    placeable = {
        c.application_id
        for c in candidates
        if any(d.day in c.days and d.organisation_id != c.organisation_id and d.free for d in days)
    }
    assert len(pairs) == len(placeable) == 300  # capacity is ample: the maximum is everyone
    assert any(p.reciprocal_with for p in pairs)
    partners = {p.application_id: p.reciprocal_with for p in pairs if p.reciprocal_with}
    assert all(partners[other] == app for app, other in partners.items())


def test_the_same_input_in_any_order_gives_the_same_proposal():
    days, candidates = generated(7, candidates=120, offers=40)
    expected = propose(days, candidates)
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(days)
        rng.shuffle(candidates)
        assert propose(days, candidates) == expected


def test_nobody_is_placed_where_they_are_the_contact_themselves():
    # Application 10's visitor (1010) also works at service 2 and is its offer's contact: they go
    # to service 3, even though service 2 is the better place (named, a shared language).
    days = [
        day(1, 2, languages=("fr",), contact=1010),
        day(2, 3, languages=("nl",), contact=2000),
    ]
    candidates = [cand(10, 1, wished=(20,))]
    pairs = propose(days, candidates)
    assert placed(pairs) == {10: 2}
    # With only that offer, they are left unplaced.
    assert propose(days[:1], candidates) == []
    # Nor in a reciprocal pair: 10 and 11 would exchange between services 1 and 2.
    days = [day(1, 2, contact=1010), day(2, 1, on=D2, contact=3000)]
    candidates = [cand(10, 1, back=True), cand(11, 2, back=True)]
    pairs = propose(days, candidates)
    assert placed(pairs) == {11: 2} and pairs[0].reciprocal_with is None
