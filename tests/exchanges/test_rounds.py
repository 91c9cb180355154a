"""Rounds: the coordinator opens one; the round's page for members, coordinators and others."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.exchanges.models import Application, DayPart, ExchangeRound
from meetings.exchanges.services.rounds import round_create
from tests.exchanges.conftest import make_application, make_offer
from tests.factories import OrganisationFactory, professional_in

pytestmark = pytest.mark.django_db


def round_fields(**changes):
    fields = {
        "title": "Vis ma vie automne",
        "description": "Une journée ailleurs.",
        "applications_until": date(2027, 1, 10),
        "visits_from": date(2027, 2, 1),
        "visits_until": date(2027, 2, 28),
    }
    return {**fields, **changes}


def test_the_coordinator_opens_a_round_from_the_form(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    assert client.get(reverse("exchanges:round_create")).status_code == 200
    data = {
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in round_fields().items()},
        "network": w.world.network.pk,
    }
    response = client.post(reverse("exchanges:round_create"), data)
    created = ExchangeRound.objects.get(title="Vis ma vie automne")
    assert response.status_code == 302 and response.url == reverse("exchanges:round", args=[created.pk])
    assert created.network == w.world.network and created.created_by == w.world.users["coordinator"]


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"visits_until": date(2027, 1, 31)}, "period"),
        ({"applications_until": date(2026, 11, 18)}, "deadline_past"),
        ({"applications_until": date(2027, 3, 1)}, "deadline_late"),
    ],
)
def test_a_bad_period_is_refused_and_nothing_is_written(exchange_world, changes, code):
    w = exchange_world
    before = ExchangeRound.objects.count()
    with pytest.raises(ValidationError) as error:
        round_create(network=w.world.network, by=w.world.users["coordinator"], **round_fields(**changes))
    assert error.value.code == code
    assert ExchangeRound.objects.count() == before


def test_the_refusal_is_shown_in_the_form(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["coordinator"])
    data = {
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in round_fields().items()},
        "visits_until": "2027-01-20",
        "network": w.world.network.pk,
    }
    response = client.post(reverse("exchanges:round_create"), data)
    assert response.status_code == 400
    assert "La période des visites finit avant de commencer." in response.content.decode()
    assert not ExchangeRound.objects.filter(title="Vis ma vie automne").exists()


def test_only_a_coordinator_of_the_network_opens_a_round(client, exchange_world):
    w = exchange_world
    with pytest.raises(ValidationError) as error:
        round_create(network=w.world.network, by=w.world.users["other_coordinator"], **round_fields())
    assert error.value.code == "forbidden"
    client.force_login(w.nurse)
    assert client.get(reverse("exchanges:round_create")).status_code == 403


def test_a_member_sees_the_round_its_offers_and_their_own_application(client, exchange_world):
    w = exchange_world
    client.force_login(w.educator)
    page = client.get(reverse("exchanges:round", args=[w.round.pk])).content.decode()
    assert w.round.title in page
    assert "Maison médicale du Canal" in page and "Équipe de rue Transit" in page
    assert "mardi 9 mars 2027" in page and "journée" in page
    assert "néerlandais" in page
    assert "Proposer un accueil" in page
    assert reverse("exchanges:apply", args=[w.street_offer.pk]) not in page  # their own service
    assert reverse("exchanges:application", args=[w.educator_application.pk]) in page
    assert "Enregistrer l'accord du service" not in page
    assert reverse("exchanges:application", args=[w.nurse_application.pk]) not in page


def test_a_member_without_an_application_gets_a_button_per_offer(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["member"])
    page = client.get(reverse("exchanges:round", args=[w.round.pk])).content.decode()
    assert reverse("exchanges:apply", args=[w.mm_offer.pk]) in page
    assert reverse("exchanges:apply", args=[w.street_offer.pk]) in page
    assert "Ma candidature" not in page


def test_someone_of_another_network_gets_a_404(client, exchange_world):
    client.force_login(exchange_world.world.users["other_coordinator"])
    assert client.get(reverse("exchanges:round", args=[exchange_world.round.pk])).status_code == 404


def test_the_coordinator_sees_the_applications_and_their_agreement(client, exchange_world):
    w = exchange_world
    Application.objects.filter(pk=w.nurse_application.pk).update(agreed_at=None, agreed_way="")
    client.force_login(w.world.users["coordinator"])
    page = client.get(reverse("exchanges:round", args=[w.round.pk])).content.decode()
    assert "Eddy Éducateur" in page and "Inès Infirmière" in page
    assert "enregistré par la coordination" in page  # the educator's agreement
    assert "Accord du service attendu" in page
    assert reverse("exchanges:agreement_record", args=[w.nurse_application.pk]) in page
    assert reverse("exchanges:agreement_record", args=[w.educator_application.pk]) not in page


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(w, offers: int):
    """More offers (and an application to each) in the round, from services of the network."""
    for n in range(offers):
        service = OrganisationFactory(name=f"Service {n}")
        w.world.network.organisations.add(service)
        host = professional_in(service)
        offer = make_offer(w.round, service, host, days=[date(2027, 2, 2 + n)], part=DayPart.MORNING)
        make_application(w.round, professional_in(service), service, days=[date(2027, 2, 2)], wished=[offer])


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_round_page_reads_as_many_queries_for_10_offers_as_for_2(client, exchange_world, who):
    w = exchange_world
    client.force_login(w.world.users[who])
    url = reverse("exchanges:round", args=[w.round.pk])
    few = count(client, url)
    grow(w, 8)
    assert w.round.offers.count() == 10
    assert count(client, url) == few
