"""The round's proposal from the database: the world's reciprocal exchange, with its reasons in
words; what is left out; a constant number of queries."""

from datetime import time

import time_machine

from meetings.exchanges.models import Application, Placement
from meetings.exchanges.proposals import proposal_for, visit_reasons
from meetings.exchanges.services import placements
from meetings.recurrence import local_start
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY, make_application
from tests.factories import professional_in


def test_the_world_gets_its_reciprocal_exchange_with_reasons(exchange_world):
    w = exchange_world
    proposal = proposal_for(w.round)
    pairs = {p.application: p for p in proposal.pairs}
    assert set(pairs) == {w.educator_application, w.nurse_application}
    educator = pairs[w.educator_application]
    assert educator.offer_date.day == MARCH_DAYS[0] and educator.reciprocal_with == w.nurse_application.pk
    assert educator.reasons == (
        "échange réciproque avec Inès Infirmière",
        "services de types différents : Bas seuil / réduction des risques → Maison médicale",
        "langue commune : français",
        "offre choisie par le visiteur",
        "type de service que le visiteur souhaite découvrir",
    )
    assert pairs[w.nurse_application].offer_date.day == STREET_DAY
    assert proposal.unplaced == [] and proposal.awaiting_agreement == 0


def test_a_reciprocal_exchange_is_one_block_confirmed_whole(exchange_world):
    w = exchange_world
    proposal = proposal_for(w.round)
    [block] = proposal.blocks
    assert block.reciprocal and block.upto == 2
    assert {p.application for p in block.pairs} == {w.educator_application, w.nurse_application}
    assert all(p.codes[0] == "reciprocal" for p in block.pairs)

    made = placements.confirm_pairs(
        round=w.round,
        pairs=[(p.application, p.offer_date) for p in block.pairs],
        by=w.world.users["coordinator"],
    )
    # Both halves keep the reciprocal exchange (confirming one alone used to lose it for the other).
    assert sorted(p.application_id for p in made) == sorted(
        [w.educator_application.pk, w.nurse_application.pk]
    )
    assert all("reciprocal" in p.reasons for p in made)
    assert proposal_for(w.round).pairs == []


def test_confirmed_visits_withdrawn_offers_and_agreements_are_taken_into_account(exchange_world):
    w = exchange_world
    placements.confirm_pairs(
        round=w.round,
        pairs=[(p.application, p.offer_date) for p in proposal_for(w.round).pairs],
        by=w.world.users["coordinator"],
    )
    marolles = w.round.network.organisations.get(name="SSM Les Marolles")
    waiting = professional_in(marolles, email="waiting@example.test")
    make_application(w.round, waiting, marolles, days=MARCH_DAYS, agreed=False)
    other = professional_in(marolles, email="other@example.test")
    other_application = make_application(w.round, other, marolles, days=MARCH_DAYS, offers_return=False)
    proposal = proposal_for(w.round)
    # The educator holds the maison médicale's first day: the other visitor gets its second.
    assert [(p.application, p.offer_date.day) for p in proposal.pairs] == [(other_application, MARCH_DAYS[1])]
    assert "échange réciproque" not in " ".join(proposal.pairs[0].reasons)
    assert proposal.awaiting_agreement == 1

    w.mm_offer.withdrawn_at = local_start(MARCH_DAYS[0], time(8))
    w.mm_offer.save()
    proposal = proposal_for(w.round)
    assert proposal.pairs == [] and proposal.unplaced == [other_application]


def test_the_offers_contact_is_not_proposed_their_own_visit(exchange_world):
    w = exchange_world
    w.mm_offer.contact = w.educator  # the educator also works at the maison médicale
    w.mm_offer.save()
    proposal = proposal_for(w.round)
    assert w.educator_application not in [p.application for p in proposal.pairs]
    assert proposal.unplaced == [w.educator_application]


def test_reason_codes_in_words_for_confirmed_visits(exchange_world):
    w = exchange_world
    made = placements.confirm_pairs(
        round=w.round,
        pairs=[(p.application, p.offer_date) for p in proposal_for(w.round).pairs],
        by=w.world.users["coordinator"],
    )
    visits = list(
        Placement.objects.filter(pk__in=[p.pk for p in made]).select_related(
            "application__visitor", "application__organisation", "offer_date__offer__organisation"
        )
    )
    visit_reasons(visits)
    words = {v.application_id: v.reason_words for v in visits}
    assert words[w.educator_application.pk][:3] == (
        "échange réciproque avec Inès Infirmière",
        "services de types différents : Bas seuil / réduction des risques → Maison médicale",
        "langue commune : français",
    )
    assert words[w.nurse_application.pk][0] == "échange réciproque avec Eddy Éducateur"


def test_dates_that_passed_are_not_proposed(exchange_world):
    w = exchange_world
    with time_machine.travel(local_start(MARCH_DAYS[0], time(12)), tick=False):
        proposal = proposal_for(w.round)
    days = {p.application: p.offer_date.day for p in proposal.pairs}
    assert days == {w.educator_application: MARCH_DAYS[1], w.nurse_application: STREET_DAY}


def grow(w, n):
    marolles = w.round.network.organisations.get(name="SSM Les Marolles")
    for i in range(n):
        visitor = professional_in(marolles, email=f"extra{i}@example.test")
        make_application(w.round, visitor, marolles, days=MARCH_DAYS, wished=[w.mm_offer])


def test_a_constant_number_of_queries(exchange_world, django_assert_num_queries):
    w = exchange_world
    grow(w, 2)
    with django_assert_num_queries(6):
        small = proposal_for(w.round)
    grow_more = 18
    marolles = w.round.network.organisations.get(name="SSM Les Marolles")
    for i in range(grow_more):
        visitor = professional_in(marolles, email=f"more{i}@example.test")
        make_application(w.round, visitor, marolles, days=MARCH_DAYS, wished=[w.mm_offer])
    with django_assert_num_queries(6):
        large = proposal_for(w.round)
    assert Application.objects.filter(round=w.round).count() == 22
    assert len(large.unplaced) > len(small.unplaced)
