"""Applying: one application per visitor and round, a wish per offer with the undertaking's
version, the bad input refused with its message and nothing written, and withdrawing."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.exchanges.emails.agreement import AgreementKind
from meetings.exchanges.models import Application, Placement, Wish
from meetings.exchanges.services.applications import application_withdraw, apply
from meetings.polls.slots import at
from outbox.models import OutboxMessage
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY, make_offer
from tests.factories import OrganisationFactory, professional_in

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "motivation": "Voir comment une maison médicale accueille les personnes sans abri.",
        "available_days": [MARCH_DAYS[0].isoformat(), STREET_DAY.isoformat()],
        "languages": ["fr"],
        "wanted_kinds": ["medical_house"],
        "offers_return": "on",
        "manager_name": "Sophie Responsable",
        "manager_email": "sophie@example.test",
        "accept_undertaking": "on",
    }
    return {**data, **changes}


def written():
    return (
        list(Application.objects.values_list("pk", "motivation", "available_days", "manager_nonce")),
        list(Wish.objects.values_list("pk", "undertaking_accepted_at")),
        OutboxMessage.objects.count(),
    )


def test_the_form_offers_the_round_s_days_and_ticks_the_offer_s(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["member"])
    page = client.get(reverse("exchanges:apply", args=[w.mm_offer.pk])).content.decode()
    assert 'type="hidden" name="organisation"' in page
    assert "Je garde pour moi" in page  # the undertaking to accept
    for day in ("mardi 9 mars 2027", "jeudi 11 mars 2027", "mardi 16 mars 2027"):
        assert day in page
    form = page[page.index('name="available_days"') :]
    assert form.index("jeudi 11 mars 2027") < form.index("mardi 16 mars 2027")
    assert 'value="2027-03-09" id="id_available_days_0" checked' in page
    assert 'value="2027-03-11" id="id_available_days_1">' in page


def test_applying_writes_the_application_its_wish_and_one_agreement_e_mail(client, exchange_world):
    w = exchange_world
    member = w.world.users["member"]
    client.force_login(member)
    response = client.post(reverse("exchanges:apply", args=[w.mm_offer.pk]), form_data())
    application = Application.objects.get(round=w.round, visitor=member)
    assert response.status_code == 302 and response.url == reverse(
        "exchanges:application", args=[application.pk]
    )
    assert application.available_days == ["2027-03-09", "2027-03-11"]
    assert application.organisation.name == "SSM Les Marolles" and application.offers_return
    assert application.wanted_kinds == ["medical_house"] and not application.agreed
    wish = application.wishes.get()
    assert wish.offer == w.mm_offer and wish.undertaking_version == 1 and wish.undertaking_accepted_at
    rows = OutboxMessage.objects.filter(kind=AgreementKind.REQUEST, refs__application=application.pk)
    assert [r.recipient_email for r in rows] == ["sophie@example.test"]
    assert application.manager_nonce


def test_applying_twice_to_the_same_offer_is_refused_on_the_page(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["member"])
    url = reverse("exchanges:apply", args=[w.mm_offer.pk])
    client.post(url, form_data())
    before = written()
    response = client.post(url, form_data(motivation="Autre chose."))
    assert response.status_code == 400
    assert "Vous avez déjà postulé à cette offre." in response.content.decode()
    assert written() == before
    assert Application.objects.get(visitor=w.world.users["member"]).motivation.startswith("Voir comment")


def test_another_offer_of_the_round_adds_a_wish_to_the_same_application(client, exchange_world):
    w = exchange_world
    member = w.world.users["member"]
    client.force_login(member)
    client.post(reverse("exchanges:apply", args=[w.mm_offer.pk]), form_data())
    client.post(
        reverse("exchanges:apply", args=[w.street_offer.pk]),
        form_data(motivation="Et la rue aussi.", available_days=[STREET_DAY.isoformat()]),
    )
    application = Application.objects.get(round=w.round, visitor=member)
    assert [wish.offer for wish in application.wishes.all()] == [w.mm_offer, w.street_offer]
    assert application.motivation == "Et la rue aussi." and application.available_days == ["2027-03-11"]
    assert OutboxMessage.objects.filter(refs__application=application.pk).count() == 1  # same manager


def service_fields(w, **changes):
    fields = {
        "offer": w.mm_offer,
        "visitor": w.world.users["member"],
        "organisation": w.world.users["member"].professional.organisations.get(),
        "motivation": "Découvrir.",
        "available_days": [MARCH_DAYS[0]],
        "languages": ["fr"],
        "wanted_kinds": [],
        "offers_return": False,
        "manager_name": "",
        "manager_email": "chef@example.test",
        "accept_undertaking": True,
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"available_days": []}, "no_day"),
        ({"available_days": [date(2027, 4, 2)]}, "day_outside"),
        ({"accept_undertaking": False}, "undertaking"),
        ({"manager_email": ""}, "manager_email"),
        ({"manager_email": "pas une adresse"}, "manager_email"),
        ({"motivation": "  "}, "motivation"),
        ({"languages": ["xx"]}, "languages"),
    ],
)
def test_the_service_refuses_and_writes_nothing(exchange_world, changes, code):
    w = exchange_world
    before = written()
    with pytest.raises(ValidationError) as error:
        apply(**service_fields(w, **changes))
    assert error.value.code == code
    assert written() == before


def test_one_does_not_visit_one_s_own_service(client, exchange_world):
    w = exchange_world
    client.force_login(w.educator)
    before = written()
    response = client.post(reverse("exchanges:apply", args=[w.street_offer.pk]), form_data())
    assert response.status_code == 400
    assert "On ne visite pas son propre service." in response.content.decode()
    assert written() == before


def test_an_organisation_not_one_s_own_is_refused(exchange_world):
    w = exchange_world
    with pytest.raises(ValidationError) as error:
        apply(**service_fields(w, organisation=w.street_team))
    assert error.value.code == "organisation"


def test_the_undertaking_must_be_accepted_on_the_page(client, exchange_world):
    w = exchange_world
    client.force_login(w.world.users["member"])
    data = form_data()
    del data["accept_undertaking"]
    response = client.post(reverse("exchanges:apply", args=[w.mm_offer.pk]), data)
    assert response.status_code == 400
    assert "Lisez et acceptez l&#x27;engagement de confidentialité du service d&#x27;accueil." in (
        response.content.decode()
    )
    assert not Application.objects.filter(visitor=w.world.users["member"]).exists()


def test_applications_close_after_the_deadline(exchange_world):
    w = exchange_world
    with (
        time_machine.travel(at(date(2027, 1, 16), time(9, 0)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        apply(**service_fields(w))
    assert error.value.code == "closed"


def test_a_withdrawn_offer_takes_no_application(exchange_world):
    w = exchange_world
    w.mm_offer.withdrawn_at = timezone.now()
    w.mm_offer.save()
    with pytest.raises(ValidationError) as error:
        apply(**service_fields(w))
    assert error.value.code == "withdrawn"


def test_an_agreed_application_needs_no_manager_address(exchange_world):
    w = exchange_world
    assert w.educator_application.agreed
    cpas = OrganisationFactory(name="CPAS", kind="public_welfare")
    w.world.network.organisations.add(cpas)
    offer = make_offer(w.round, cpas, professional_in(cpas), days=[MARCH_DAYS[1]])
    before = OutboxMessage.objects.count()
    application = apply(
        **service_fields(w, offer=offer, visitor=w.educator, organisation=w.street_team, manager_email="")
    )
    assert application.pk == w.educator_application.pk and application.wishes.count() == 2
    assert OutboxMessage.objects.count() == before


def test_the_application_page_is_for_the_visitor_and_the_coordinators(client, exchange_world):
    w = exchange_world
    url = reverse("exchanges:application", args=[w.educator_application.pk])
    client.force_login(w.educator)
    page = client.get(url).content.decode()
    assert (
        "Ma candidature" in page and "Maison médicale du Canal" in page and "Retirer ma candidature" in page
    )
    client.force_login(w.world.users["coordinator"])
    assert "Eddy Éducateur" in client.get(url).content.decode()
    for who in (w.nurse, w.world.users["other_coordinator"]):
        client.force_login(who)
        assert client.get(url).status_code == 404


def test_the_visitor_withdraws_unless_the_visit_is_confirmed(client, exchange_world):
    w = exchange_world
    placement = Placement.objects.create(
        round=w.round,
        application=w.educator_application,
        offer_date=w.mm_offer.dates.first(),
        confirmed_by=w.world.users["coordinator"],
        confirmed_at=timezone.now(),
    )
    client.force_login(w.educator)
    url = reverse("exchanges:application_withdraw", args=[w.educator_application.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Votre visite est confirmée" in page
    w.educator_application.refresh_from_db()
    assert w.educator_application.withdrawn_at is None
    placement.status = "cancelled"
    placement.save()
    with pytest.raises(ValidationError):
        application_withdraw(application=w.educator_application, by=w.nurse)
    client.post(url)
    w.educator_application.refresh_from_db()
    assert w.educator_application.withdrawn_at is not None
