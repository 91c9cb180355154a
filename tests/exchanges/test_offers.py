"""Offers: proposing days, the bad input refused with its message and nothing written, edits
(a new undertaking is a new version; a date with a confirmed visit stays) and withdrawing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.exchanges.forms import parse_date_lines
from meetings.exchanges.models import DayPart, Offer, OfferDate, Placement
from meetings.exchanges.services.offers import offer_create, offer_update, offer_withdraw
from tests.exchanges.conftest import MARCH_DAYS, UNDERTAKING

pytestmark = pytest.mark.django_db


def form_data(w, **changes):
    data = {
        "contact": w.mm_manager.pk,
        "capacity": "2",
        "languages": ["fr", "nl"],
        "activities": "La consultation d'accueil et la réunion d'équipe.",
        "undertaking": UNDERTAKING,
        "people_told": "on",
        "dates": "23/03/2027 journée\n2027-03-24 matin\n25/03/2027 après-midi\n26/03/2027",
    }
    return {**data, **changes}


def post(client, w, **changes):
    client.force_login(w.mm_manager)
    return client.post(reverse("exchanges:offer_create", args=[w.round.pk]), form_data(w, **changes))


def test_a_member_proposes_an_offer_with_its_days_and_parts(client, exchange_world):
    w = exchange_world
    client.force_login(w.mm_manager)
    page = client.get(reverse("exchanges:offer_create", args=[w.round.pk])).content.decode()
    assert 'type="hidden" name="organisation"' in page  # one service: not chosen
    response = post(client, w)
    offer = Offer.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse("exchanges:offer", args=[offer.pk])
    assert offer.organisation == w.medical_house and offer.capacity == 2 and offer.languages == ["fr", "nl"]
    assert [(d.day, d.part) for d in offer.dates.all()] == [
        (date(2027, 3, 23), DayPart.DAY),
        (date(2027, 3, 24), DayPart.MORNING),
        (date(2027, 3, 25), DayPart.AFTERNOON),
        (date(2027, 3, 26), DayPart.DAY),
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"capacity": "0"}, "La capacité doit être d&#x27;au moins un visiteur."),
        ({"dates": "10/11/2026 journée"}, "est passée ou trop proche"),
        ({"dates": "19/11/2026 journée"}, "est passée ou trop proche"),  # today is too late too
        ({"dates": "15/04/2027"}, "hors de la période des visites"),
        ({"dates": "23/03/2027 matin\n2027-03-23 matinée"}, "est proposée deux fois"),
        ({"dates": "23/03/2027\nle 24 mars"}, "Ligne 2, « le 24 mars » : illisible."),
        ({"dates": "31/02/2027"}, "Ligne 1, « 31/02/2027 » : illisible."),
        ({"dates": ""}, "Ce champ est obligatoire."),
        ({"languages": []}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_refused_on_the_page_and_nothing_is_written(client, exchange_world, changes, message):
    w = exchange_world
    before = (Offer.objects.count(), OfferDate.objects.count())
    response = post(client, w, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Offer.objects.count(), OfferDate.objects.count()) == before


def service_fields(w, **changes):
    fields = {
        "round": w.round,
        "organisation": w.medical_house,
        "contact": w.mm_manager,
        "capacity": 1,
        "languages": ["fr"],
        "activities": "Une matinée d'accueil.",
        "undertaking": UNDERTAKING,
        "people_told": True,
        "dates": [(date(2027, 3, 23), DayPart.DAY)],
        "by": w.mm_manager,
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"capacity": 0}, "capacity"),
        ({"dates": []}, "no_date"),
        ({"dates": [(date(2026, 11, 18), DayPart.DAY)]}, "date_past"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"organisation": "street_team"}, "organisation"),
        ({"contact": "educator"}, "contact"),
    ],
)
def test_the_service_refuses_and_writes_nothing(exchange_world, changes, code):
    w = exchange_world
    changes = {k: getattr(w, v) if isinstance(v, str) else v for k, v in changes.items()}
    before = Offer.objects.count()
    with pytest.raises(ValidationError) as error:
        offer_create(**service_fields(w, **changes))
    assert error.value.code == code
    assert Offer.objects.count() == before


def test_a_coordinator_offers_for_any_service_of_the_network(exchange_world):
    w = exchange_world
    coordinator = w.world.users["coordinator"]
    offer = offer_create(**service_fields(w, organisation=w.street_team, contact=coordinator, by=coordinator))
    assert offer.organisation == w.street_team


def test_the_date_lines_read_french_and_iso_dates():
    assert parse_date_lines("09/03/2027 journée\n\n16/03/2027 matin\n2027-03-17 après-midi\n18/03/2027") == [
        (date(2027, 3, 9), DayPart.DAY),
        (date(2027, 3, 16), DayPart.MORNING),
        (date(2027, 3, 17), DayPart.AFTERNOON),
        (date(2027, 3, 18), DayPart.DAY),
    ]


def test_the_offer_page_shows_its_conditions_to_members_and_404s_for_others(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["member"])
    page = client.get(reverse("exchanges:offer", args=[w.mm_offer.pk])).content.decode()
    assert "Maison médicale du Canal" in page and "Je garde pour moi" in page
    assert reverse("exchanges:apply", args=[w.mm_offer.pk]) in page
    assert reverse("exchanges:offer_edit", args=[w.mm_offer.pk]) not in page
    client.force_login(w.nurse)  # of the host service: no button to visit it
    page = client.get(reverse("exchanges:offer", args=[w.mm_offer.pk])).content.decode()
    assert "Je garde pour moi" in page and reverse("exchanges:apply", args=[w.mm_offer.pk]) not in page
    client.force_login(w.world.users["other_coordinator"])
    assert client.get(reverse("exchanges:offer", args=[w.mm_offer.pk])).status_code == 404
    assert client.get(reverse("exchanges:offer_create", args=[w.round.pk])).status_code == 404


def test_a_new_undertaking_is_a_new_version(client, exchange_world):
    w = exchange_world
    client.force_login(w.mm_manager)
    url = reverse("exchanges:offer_edit", args=[w.mm_offer.pk])
    page = client.get(url).content.decode()
    assert "09/03/2027 journée" in page
    data = form_data(
        w, undertaking="Rien de ce que je vois ne sort du service.", dates="09/03/2027\n16/03/2027"
    )
    assert client.post(url, data).status_code == 302
    w.mm_offer.refresh_from_db()
    assert w.mm_offer.undertaking_version == 2 and w.mm_offer.capacity == 2
    offer_update(offer=w.mm_offer, by=w.mm_manager, capacity=1)
    w.mm_offer.refresh_from_db()
    assert w.mm_offer.undertaking_version == 2 and w.mm_offer.capacity == 1


def confirm(w, day=MARCH_DAYS[0]):
    return Placement.objects.create(
        round=w.round,
        application=w.educator_application,
        offer_date=w.mm_offer.dates.get(day=day),
        confirmed_by=w.world.users["coordinator"],
        confirmed_at=timezone.now(),
    )


def test_a_date_with_a_confirmed_visit_stays(client, exchange_world):
    w = exchange_world
    confirm(w)
    with pytest.raises(ValidationError) as error:
        offer_update(offer=w.mm_offer, by=w.mm_manager, dates=[(MARCH_DAYS[1], DayPart.DAY)])
    assert error.value.code == "confirmed_placement"
    assert w.mm_offer.dates.count() == 2
    # Another date may go; the confirmed one stays, even once past.
    offer_update(offer=w.mm_offer, by=w.mm_manager, dates=[(MARCH_DAYS[0], DayPart.DAY)])
    assert list(w.mm_offer.dates.values_list("day", flat=True)) == [MARCH_DAYS[0]]


def test_an_offer_is_withdrawn_unless_a_visit_is_confirmed(client, exchange_world):
    w = exchange_world
    placement = confirm(w)
    client.force_login(w.mm_manager)
    response = client.post(reverse("exchanges:offer_withdraw", args=[w.mm_offer.pk]), follow=True)
    assert "la coordination l&#x27;annule d&#x27;abord" in response.content.decode()
    w.mm_offer.refresh_from_db()
    assert w.mm_offer.withdrawn_at is None
    placement.status = "cancelled"
    placement.save()
    client.post(reverse("exchanges:offer_withdraw", args=[w.mm_offer.pk]))
    w.mm_offer.refresh_from_db()
    assert w.mm_offer.withdrawn_at is not None
    with pytest.raises(ValidationError):
        offer_withdraw(offer=w.mm_offer, by=w.mm_manager)


def test_only_who_may_edit_withdraws(client, exchange_world):
    w = exchange_world
    client.force_login(w.nurse)  # of the same service, but neither its author nor its contact
    assert client.post(reverse("exchanges:offer_withdraw", args=[w.mm_offer.pk])).status_code == 403
    w.mm_offer.refresh_from_db()
    assert w.mm_offer.withdrawn_at is None
