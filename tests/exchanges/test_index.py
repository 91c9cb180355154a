"""/exchanges/: a visitor's, a host's and a coordinator's sections, and a page that reads as
many queries for five visits and three rounds as for one of each."""

import re
from collections import Counter
from datetime import date, timedelta
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.exchanges.models import ExchangeRound, Feedback, Placement, PlacementStatus, Side
from meetings.exchanges.proposals import proposal_for
from tests.exchanges.conftest import make_application, make_offer
from tests.exchanges.visit_helpers import at, educator_visit, nurse_visit, place, stopped
from tests.factories import OrganisationFactory, professional_in

INDEX = "/exchanges/"


def page_of(client, user, moment=None) -> str:
    with stopped(moment or at(date(2026, 11, 19))):
        client.force_login(user)
        response = client.get(INDEX)
    assert response.status_code == 200
    return unescape(response.content.decode())


def link(name, *args) -> str:
    return reverse(name, args=args)


def test_the_index_has_its_address():
    assert reverse("exchanges:index") == INDEX


def test_a_visitor_sees_their_visit_their_application_and_the_round(client, exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    page = page_of(client, ew.educator)

    assert "Mes visites" in page
    assert "mardi 9 mars 2027" in page and "Vous êtes en visite chez Maison médicale du Canal" in page
    assert "Votre retour est attendu" not in page  # the visit is to come
    assert "Mes candidatures" in page and "accord du service attendu" not in page
    assert ew.round.title in page and "2 offres d'accueil" in page
    assert "Nouvelle session d'échanges" not in page and "Proposition :" not in page
    for url in (link("exchanges:visit", visit.pk), link("exchanges:application", ew.educator_application.pk)):
        assert f'href="{url}"' in page
    round_url = link("exchanges:round", ew.round.pk)
    assert f'href="{round_url}"' in page


def test_a_host_is_asked_for_feedback_once_the_visit_took_place_until_they_write(client, exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    after = at(date(2027, 3, 12))

    page = page_of(client, ew.mm_manager, after)
    assert "Vous accueillez Eddy Éducateur (Équipe de rue Transit)" in page
    assert "Votre retour est attendu" in page
    assert reverse("exchanges:feedback", args=[visit.pk]) in page
    assert "Aucune candidature." in page

    Feedback.objects.create(
        placement=visit, author=ew.mm_manager, side=Side.HOST, discovered="Beaucoup.", written_at=after
    )
    assert "Votre retour est attendu" not in page_of(client, ew.mm_manager, after)


def test_upcoming_visits_come_first(client, exchange_world):
    ew = exchange_world
    educator_visit(ew)  # 9 March, the educator visits
    nurse_visit(ew)  # 11 March, the educator hosts
    page = page_of(client, ew.educator, at(date(2027, 3, 10)))
    assert page.index("jeudi 11 mars 2027") < page.index("mardi 9 mars 2027")
    assert page.count("Votre retour est attendu") == 1


def test_a_coordinator_sees_the_proposal_of_the_round_and_may_create_one(client, exchange_world):
    ew = exchange_world
    page = page_of(client, ew.world.users["coordinator"])
    assert f"Proposition : {ew.round.title}" in page
    # The world's round proposes its reciprocal pair: the educator and the nurse, each confirmable.
    assert "Aucune paire à proposer pour l'instant." not in page
    assert "Eddy Éducateur" in page and "Inès Infirmière" in page
    assert reverse("exchanges:confirm_all", args=[ew.round.pk]) in page
    for name, args in (("exchanges:matching", [ew.round.pk]), ("exchanges:round_create", [])):
        assert f'href="{reverse(name, args=args)}"' in page


def test_a_coordinator_is_told_when_the_round_has_no_pair_to_propose(client, exchange_world):
    ew = exchange_world
    ew.round.applications.update(agreed_at=None)
    page = page_of(client, ew.world.users["coordinator"])
    assert "Aucune paire à proposer pour l'instant." in page


def test_a_round_that_is_over_links_to_its_report_and_has_no_proposal(client, exchange_world):
    ew = exchange_world
    page = page_of(client, ew.world.users["coordinator"], at(date(2027, 4, 2)))
    assert reverse("exchanges:report", args=[ew.round.pk]) in page
    assert "Proposition :" not in page
    assert "Aucune session en cours dans vos réseaux." in page


def test_someone_of_another_network_sees_none_of_it(client, exchange_world):
    ew = exchange_world
    page = page_of(client, ew.world.users["other_coordinator"])
    assert ew.round.title not in page


def grow(ew):
    """Four more visitors at the maison médicale (its manager hosts five visits) and two more
    rounds in the network, with an offer each."""
    ssm = ew.world.network.organisations.get(name="SSM Les Marolles")
    days = list(ew.mm_offer.dates.order_by("day"))
    for n in range(4):
        visitor = professional_in(ssm, email=f"visitor{n}@example.test")
        application = make_application(ew.round, visitor, ssm, days=[days[n % 2].day], wished=[ew.mm_offer])
        place(ew, application, days[n % 2], meeting=n % 2 == 0)
    for n in range(2):
        other = ExchangeRound.objects.create(
            network=ew.round.network,
            title=f"Autre session {n}",
            applications_until=date(2027, 5, 1),
            visits_from=date(2027, 6, 1),
            visits_until=date(2027, 6, 30),
            created_by=ew.world.users["coordinator"],
        )
        make_offer(other, ew.medical_house, ew.mm_manager, days=[date(2027, 6, 8 + n)])
        make_application(other, ew.mm_manager, ew.medical_house, days=[date(2027, 6, 8 + n)])


def queries_of(client, user, moment) -> tuple[int, str]:
    with stopped(moment):
        client.force_login(user)
        client.get(INDEX)  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries), unescape(response.content.decode())


def test_the_page_reads_as_many_queries_for_five_visits_and_three_rounds_as_for_one(client, exchange_world):
    ew = exchange_world
    educator_visit(ew)
    moment = at(date(2027, 3, 12))
    few, _page = queries_of(client, ew.mm_manager, moment)

    grow(ew)
    many, page = queries_of(client, ew.mm_manager, moment + timedelta(minutes=1))

    assert many == few
    assert page.count("Vous accueillez") == 5
    assert "Autre session 1" in page and "Autre session 0" in page


def second_round(ew):
    """Another current round of the network, proposing the nurse a day with the street team."""
    other = ExchangeRound.objects.create(
        network=ew.round.network,
        title="« Vis ma vie » été 2027",
        applications_until=date(2027, 5, 1),
        visits_from=date(2027, 6, 1),
        visits_until=date(2027, 6, 30),
        created_by=ew.world.users["coordinator"],
    )
    make_offer(other, ew.street_team, ew.educator, days=[date(2027, 6, 8)])
    make_application(other, ew.nurse, ew.medical_house, days=[date(2027, 6, 8)])
    return other


def test_each_rounds_proposal_has_its_own_ids_one_heading_and_one_link(client, exchange_world):
    ew = exchange_world
    other = second_round(ew)
    page = page_of(client, ew.world.users["coordinator"])
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for round in (ew.round, other):
        assert page.count(f"Proposition : {round.title}") == 1
        assert f'id="confirm-all-{round.pk}"' in page and f'id="proposal-pairs-{round.pk}"' in page
        assert page.count(f'href="{link("exchanges:matching", round.pk)}"') == 1
    assert "Proposition de jumelage" not in page
    assert page.count("<h2") == page.count("</h2>") == 3 + 2  # visits, applications, rounds, 2 proposals


def hosts(ew, n):
    """N more services, each offering the maison médicale's days and with a visitor applying."""
    for i in range(n):
        service = OrganisationFactory(name=f"Service {i}", kind="youth")
        ew.round.network.organisations.add(service)
        contact = professional_in(service, email=f"host{i}@example.test")
        make_offer(ew.round, service, contact, days=[date(2027, 3, 9), date(2027, 3, 16)])
        visitor = professional_in(service, email=f"visitor{i}@example.test")
        make_application(ew.round, visitor, service, days=[date(2027, 3, 9)], offers_return=False)


def test_a_cut_proposal_confirms_only_the_pairs_shown(client, exchange_world):
    ew = exchange_world
    hosts(ew, 6)
    page = page_of(client, ew.world.users["coordinator"])
    form = re.search(rf'<form[^>]*id="confirm-all-{ew.round.pk}"[^>]*>(.*?)</form>', page, re.S).group(1)
    data = {"application": [], "offer_date": []}
    for name, value in re.findall(r'name="(application|offer_date)" value="(\d+)"', form):
        data[name].append(value)
    shown = len(data["application"])
    total = len(proposal_for(ew.round).pairs)
    assert 5 <= shown < total
    assert f"Confirmer ces {shown} paires" in form and "Confirmer toute la proposition" not in page
    assert f"Voir toute la proposition ({total} visites)" in page

    with stopped(at(date(2026, 11, 19))):
        client.post(reverse("exchanges:confirm_all", args=[ew.round.pk]), data)
    confirmed = Placement.objects.filter(round=ew.round, status=PlacementStatus.CONFIRMED)
    assert sorted(confirmed.values_list("application_id", flat=True)) == sorted(map(int, data["application"]))
