"""The round's matching page: for its coordinators only; the proposal, what is left, the
confirmed visits, the form to pair by hand; as many queries for 20 applications as for 2."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.exchanges.services import placements
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY, make_application, make_offer
from tests.factories import OrganisationFactory, professional_in


def url(w):
    return reverse("exchanges:matching", args=[w.round.pk])


def test_only_the_coordinators_see_it(client, exchange_world):
    w = exchange_world
    for user in (w.educator, w.mm_manager, w.world.users["other_coordinator"]):
        client.force_login(user)
        assert client.get(url(w)).status_code == 404


def test_it_shows_the_proposal_and_confirms_it(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    page = client.get(url(w)).content.decode()
    assert "échange réciproque avec Inès Infirmière" in page
    assert "Confirmer toute la proposition" in page
    assert reverse("exchanges:confirm_all", args=[w.round.pk]) in page
    assert 'name="offer_date"' in page and 'id="pair-by-hand"' in page

    response = client.post(reverse("exchanges:confirm_all", args=[w.round.pk]), {"next": url(w)}, follow=True)
    page = response.content.decode()
    assert "2 visites confirmées" in page
    assert page.count('class="visit"') == 2
    assert "Engagement pas encore accepté" in page


def test_the_visit_appears_with_a_link_and_a_cancel_button(client, exchange_world):
    w = exchange_world
    visit = placements.placement_confirm(
        round=w.round,
        application=w.nurse_application,
        offer_date=w.street_offer.dates.get(day=STREET_DAY),
        by=w.world.users["coordinator"],
    )
    client.force_login(w.world.users["coordinator"])
    page = client.get(url(w)).content.decode()
    assert reverse("exchanges:visit", args=[visit.pk]) in page
    assert reverse("exchanges:visit_cancel", args=[visit.pk]) in page


def count(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def grow(w, n):
    for i in range(n):
        host = OrganisationFactory(name=f"Service {i}", kind="youth")
        w.round.network.organisations.add(host)
        contact = professional_in(host, email=f"host{i}@example.test")
        offer = make_offer(w.round, host, contact, days=MARCH_DAYS)
        visitor = professional_in(host, email=f"visitor{i}@example.test", last_name=f"Visiteur{i}")
        make_application(w.round, visitor, host, days=MARCH_DAYS, wished=[offer])
    placements.placement_confirm(
        round=w.round,
        application=w.nurse_application,
        offer_date=w.street_offer.dates.get(),
        by=w.world.users["coordinator"],
    )


def test_as_many_queries_for_20_applications_as_for_2(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    few, _page = count(client, url(w))
    grow(w, 18)
    many, page = count(client, url(w))
    assert "Visiteur17" in page
    assert many == few
