"""The round's matching page: for its coordinators only; the proposal, what is left, the
confirmed visits, the form to pair by hand; as many queries for 20 applications as for 2."""

import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.exchanges.models import Placement, PlacementStatus
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


def form_data(page, form_id):
    """The hidden fields of the form FORM_ID in PAGE, as the browser would post them."""
    form = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', page, re.S).group(1)
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form):
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_it_shows_the_proposal_and_confirms_what_it_showed(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    page = client.get(url(w)).content.decode()
    assert "échange réciproque avec Inès Infirmière" in page
    assert "Confirmer toute la proposition" in page
    assert reverse("exchanges:confirm_all", args=[w.round.pk]) in page
    assert 'name="offer_date"' in page and 'id="pair-by-hand"' in page
    data = form_data(page, f"confirm-all-{w.round.pk}")
    assert sorted(map(int, data["application"])) == sorted(
        [w.educator_application.pk, w.nurse_application.pk]
    )

    response = client.post(reverse("exchanges:confirm_all", args=[w.round.pk]), data, follow=True)
    page = response.content.decode()
    assert "2 visites confirmées" in page
    assert page.count('class="visit"') == 2
    assert "Engagement pas encore accepté" in page
    # The reasons are stored as codes and shown in words.
    assert set(Placement.objects.values_list("reasons", flat=True).first()) >= {"reciprocal"}
    assert (
        "échange réciproque avec Inès Infirmière" in page and "échange réciproque avec Eddy Éducateur" in page
    )


def test_a_reciprocal_exchange_is_one_block_with_one_button(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    page = client.get(url(w)).content.decode()
    assert page.count('class="proposal-pair"') == 1 and "Échange réciproque" in page
    assert page.count("Confirmer ces deux visites") == 1
    block = re.search(r'<li class="proposal-pair">(.*?)</form>', page, re.S).group(1)
    data = {"application": [], "offer_date": []}
    for name, value in re.findall(
        r'<input type="hidden" name="(application|offer_date)" value="(\d+)">', block
    ):
        data[name].append(value)
    assert len(data["application"]) == 2

    response = client.post(reverse("exchanges:confirm", args=[w.round.pk]), data, follow=True)
    assert "2 visites confirmées" in response.content.decode()
    assert all("reciprocal" in reasons for reasons in Placement.objects.values_list("reasons", flat=True))
    assert Placement.objects.filter(status=PlacementStatus.CONFIRMED).count() == 2


def test_confirming_a_proposal_that_changed_meanwhile_confirms_nothing(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    data = form_data(client.get(url(w)).content.decode(), f"confirm-all-{w.round.pk}")
    placements.placement_confirm(
        round=w.round,
        application=w.nurse_application,
        offer_date=w.street_offer.dates.get(),
        by=w.world.users["coordinator"],
    )
    response = client.post(reverse("exchanges:confirm_all", args=[w.round.pk]), data, follow=True)
    page = unescape(response.content.decode())
    assert "La proposition a changé depuis l'affichage de la page : vérifiez-la à nouveau." in page
    assert Placement.objects.count() == 1


def test_confirm_all_without_pairs_says_so(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    response = client.post(reverse("exchanges:confirm_all", args=[w.round.pk]))
    assert response.status_code == 302
    page = unescape(client.get(response.url).content.decode())
    assert "Il n'y a rien à confirmer : aucune paire choisie." in page
    assert not Placement.objects.exists()


def test_one_visit_confirmed_is_said_in_the_singular(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    offer_date = w.mm_offer.dates.get(day=MARCH_DAYS[0])
    data = {"application": [w.educator_application.pk], "offer_date": [offer_date.pk]}
    response = client.post(reverse("exchanges:confirm_all", args=[w.round.pk]), data, follow=True)
    page = response.content.decode()
    assert "1 visite confirmée." in page and "visites confirmées" not in page


def test_a_visit_paired_by_hand_has_no_reasons(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    offer_date = w.mm_offer.dates.get(day=MARCH_DAYS[0])
    response = client.post(
        reverse("exchanges:confirm", args=[w.round.pk]),
        {"by_hand": "1", "application": w.educator_application.pk, "offer_date": offer_date.pk},
        follow=True,
    )
    assert Placement.objects.get().reasons == []
    assert "Appariée à la main" in response.content.decode()


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
