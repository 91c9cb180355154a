"""« Vis ma vie »'s section of a person's data: their applications, visits, offers and feedback,
the texts in their own copy only; erased with them, a visit that took place stays for the
network's figures without their texts, what led to no visit goes, their open offers are
withdrawn, and nobody else's rows are touched."""

import json
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import personal_data
from accounts.services import erase_person
from meetings.exchanges.models import Application, Feedback, Offer, Placement, Side, Wish
from meetings.recurrence import BRUSSELS
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY

pytestmark = pytest.mark.django_db

AFTER_STREET_DAY = datetime(2027, 3, 12, 10, 0, tzinfo=BRUSSELS)


def placement(xw, application, offer, day) -> Placement:
    return Placement.objects.create(
        round=xw.round,
        application=application,
        offer_date=offer.dates.get(day=day),
        confirmed_by=xw.world.users["coordinator"],
        confirmed_at=datetime(2027, 1, 20, 10, 0, tzinfo=BRUSSELS),
        undertaking_version=1,
        undertaking_accepted_at=datetime(2027, 1, 21, 10, 0, tzinfo=BRUSSELS),
    )


@pytest.fixture
def visited(exchange_world):
    """The nurse visited the street team on 11 March and wrote her feedback; the educator, its
    host contact, wrote his; the educator's own visit (16 March) is still to come."""
    xw = exchange_world
    nurse_visit = placement(xw, xw.nurse_application, xw.street_offer, STREET_DAY)
    placement(xw, xw.educator_application, xw.mm_offer, MARCH_DAYS[1])
    for author, side in ((xw.nurse, Side.VISITOR), (xw.educator, Side.HOST)):
        Feedback.objects.create(
            placement=nurse_visit,
            author=author,
            side=side,
            discovered=f"Ce que {author.first_name} a découvert.",
            will_change="Appeler avant d'orienter.",
            share_excerpt=True,
            written_at=AFTER_STREET_DAY,
        )
    return xw


def test_the_persons_copy_has_their_application_visits_offers_and_feedback(client, visited):
    xw = visited
    client.force_login(xw.nurse)

    data = json.loads(client.get(reverse("personal_data")).content)["sections"]["exchanges"]

    (application,) = data["applications"]
    assert (
        application["round_title"] == xw.round.title and application["service"] == "Maison médicale du Canal"
    )
    assert application["motivation"] == xw.nurse_application.motivation
    assert application["available_days"] == [STREET_DAY.isoformat()]
    assert [w["service"] for w in application["wishes"]] == ["Équipe de rue Transit"]
    (visit,) = data["visits"]
    assert visit["side"] == "visitor" and visit["host_service"] == "Équipe de rue Transit"
    assert visit["day"] == STREET_DAY.isoformat()
    (feedback,) = data["feedback"]
    assert feedback["discovered"] == "Ce que Inès a découvert." and feedback["side"] == Side.VISITOR
    assert data["offers_as_contact"] == []


def test_the_host_contact_finds_the_visits_they_hosted_and_their_offers(visited):
    xw = visited
    data = personal_data.export(xw.educator)["sections"]["exchanges"]

    sides = {(v["side"], v["host_service"]) for v in data["visits"]}
    assert sides == {("host", "Équipe de rue Transit"), ("visitor", "Maison médicale du Canal")}
    assert [o["id"] for o in data["offers_as_contact"]] == [xw.street_offer.pk]


def test_the_administrators_copy_has_no_text(visited):
    data = personal_data.export(visited.nurse, confidential=False)["sections"]["exchanges"]
    dumped = json.dumps(data, default=str)

    assert data["applications"] and data["visits"] and data["feedback"]
    assert "motivation" not in dumped and "découvert" not in dumped and visited.round.title not in dumped


def test_erasing_keeps_the_visit_that_took_place_without_its_texts_and_drops_the_rest(visited):
    xw = visited
    other_feedback = Feedback.objects.get(author=xw.educator)
    with time_machine.travel(AFTER_STREET_DAY, tick=False):
        erase_person(user=xw.nurse, by=xw.world.users["coordinator"], now=AFTER_STREET_DAY)
        erase_person(user=xw.educator, by=xw.world.users["coordinator"], now=AFTER_STREET_DAY)

    # The nurse's visit took place: it stays, with her application emptied of her own texts.
    nurse_application = Application.objects.get(pk=xw.nurse_application.pk)
    assert nurse_application.placements.get().offer_date.day == STREET_DAY
    assert nurse_application.motivation == "" and nurse_application.manager_email == ""
    assert nurse_application.available_days == [] and nurse_application.languages == []
    feedback = {f.author_id: f for f in Feedback.objects.all()}
    assert set(feedback) == {xw.nurse.pk, other_feedback.author_id}
    assert all(f.discovered == "" and f.will_change == "" and not f.share_excerpt for f in feedback.values())
    # The educator's visit was still to come: his application goes, with its wish and its visit.
    assert not Application.objects.filter(pk=xw.educator_application.pk).exists()
    assert not Wish.objects.filter(application_id=xw.educator_application.pk).exists()
    assert Placement.objects.count() == 1
    # His offer has no visit to come: withdrawn; the maison médicale's is untouched.
    assert Offer.objects.get(pk=xw.street_offer.pk).withdrawn_at == AFTER_STREET_DAY
    assert Offer.objects.get(pk=xw.mm_offer.pk).withdrawn_at is None


def test_erasing_twice_changes_nothing_and_an_offer_with_a_visit_to_come_stays(visited):
    xw = visited
    coordinator = xw.world.users["coordinator"]
    with time_machine.travel(AFTER_STREET_DAY, tick=False):
        erase_person(user=xw.mm_manager, by=coordinator, now=AFTER_STREET_DAY)
        before = [
            list(model.objects.order_by("pk").values()) for model in (Application, Placement, Offer, Feedback)
        ]
        erase_person(user=xw.mm_manager, by=coordinator, now=AFTER_STREET_DAY)
        after = [
            list(model.objects.order_by("pk").values()) for model in (Application, Placement, Offer, Feedback)
        ]

    assert after == before
    # The maison médicale's offer has the educator's visit on 16 March: it waits for a new contact.
    assert Offer.objects.get(pk=xw.mm_offer.pk).withdrawn_at is None
