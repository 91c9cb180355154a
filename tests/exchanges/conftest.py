"""An exchange round in the world's network (tests/world.py), at the fixed clock (Thursday 19
November 2026): applications until 15 January 2027, visits from 1 February to 31 March 2027.

Besides the world's "SSM Les Marolles" (mental health), the network holds a maison médicale
(its nurse `nurse`, its manager `mm_manager`) and a street team, low threshold (its educator
`educator`). The maison médicale offers two days in March (capacity 1, French and Dutch), the
street team one day (French); the educator applies to the maison médicale's offer and would host
in return, the nurse applies to the street team's; both applications are agreed. Rows are made
directly, so that every part of the app can lean on this world whatever its services do.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from accounts.models import OrganisationKind
from meetings.exchanges.models import (
    AgreementWay,
    Application,
    DayPart,
    ExchangeRound,
    Offer,
    OfferDate,
    Wish,
)
from tests.factories import OrganisationFactory, professional_in

MARCH_DAYS = [date(2027, 3, 9), date(2027, 3, 16)]
STREET_DAY = date(2027, 3, 11)
UNDERTAKING = "Je garde pour moi tout ce que j'apprends des personnes rencontrées."


@dataclass
class ExchangeWorld:
    world: object
    round: ExchangeRound
    medical_house: object
    street_team: object
    nurse: object
    mm_manager: object
    educator: object
    mm_offer: Offer
    street_offer: Offer
    educator_application: Application
    nurse_application: Application


def agreed_at() -> datetime:
    return timezone.now()


def make_offer(
    round, organisation, contact, *, days, capacity=1, languages=("fr",), part=DayPart.DAY
) -> Offer:
    offer = Offer.objects.create(
        round=round,
        organisation=organisation,
        contact=contact,
        capacity=capacity,
        languages=list(languages),
        activities="L'accueil du matin, une tournée, la réunion d'équipe.",
        undertaking=UNDERTAKING,
        people_told=True,
        created_by=contact,
    )
    for day in days:
        OfferDate.objects.create(offer=offer, day=day, part=part)
    return offer


def make_application(
    round,
    visitor,
    organisation,
    *,
    days,
    wished=(),
    languages=("fr",),
    wanted=(),
    offers_return=True,
    agreed=True,
) -> Application:
    application = Application.objects.create(
        round=round,
        visitor=visitor,
        organisation=organisation,
        motivation="Comprendre comment travaillent nos partenaires.",
        available_days=[day.isoformat() for day in days],
        languages=list(languages),
        wanted_kinds=list(wanted),
        offers_return=offers_return,
        manager_name="Responsable",
        manager_email="responsable@example.test",
        agreed_at=agreed_at() if agreed else None,
        agreed_way=AgreementWay.COORDINATOR if agreed else "",
    )
    for offer in wished:
        Wish.objects.create(application=application, offer=offer)
    return application


def build_exchange_world(world) -> ExchangeWorld:
    network = world.network
    medical_house = OrganisationFactory(name="Maison médicale du Canal", kind=OrganisationKind.MEDICAL_HOUSE)
    street_team = OrganisationFactory(name="Équipe de rue Transit", kind=OrganisationKind.LOW_THRESHOLD)
    network.organisations.add(medical_house, street_team)
    nurse = professional_in(
        medical_house, email="nurse@example.test", first_name="Inès", last_name="Infirmière"
    )
    mm_manager = professional_in(medical_house, email="mm-manager@example.test")
    educator = professional_in(
        street_team, email="educator@example.test", first_name="Eddy", last_name="Éducateur"
    )
    round = ExchangeRound.objects.create(
        network=network,
        title="« Vis ma vie » printemps 2027",
        applications_until=date(2027, 1, 15),
        visits_from=date(2027, 2, 1),
        visits_until=date(2027, 3, 31),
        created_by=world.users["coordinator"],
    )
    mm_offer = make_offer(round, medical_house, mm_manager, days=MARCH_DAYS, languages=("fr", "nl"))
    street_offer = make_offer(round, street_team, educator, days=[STREET_DAY])
    educator_application = make_application(
        round,
        educator,
        street_team,
        days=MARCH_DAYS,
        wished=[mm_offer],
        wanted=[OrganisationKind.MEDICAL_HOUSE],
    )
    nurse_application = make_application(
        round, nurse, medical_house, days=[STREET_DAY], wished=[street_offer]
    )
    return ExchangeWorld(
        world=world,
        round=round,
        medical_house=medical_house,
        street_team=street_team,
        nurse=nurse,
        mm_manager=mm_manager,
        educator=educator,
        mm_offer=mm_offer,
        street_offer=street_offer,
        educator_application=educator_application,
        nurse_application=nurse_application,
    )


@pytest.fixture
def exchange_world(world) -> ExchangeWorld:
    return build_exchange_world(world)
