"""Meeting load's section of a person's data: their travel times in their copy, gone once they
are erased; nobody else's."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import erase_person
from meetings.load.models import TravelEstimate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_persons_travel_times_are_in_their_copy_only_and_forgotten_on_erasure(client):
    person, other = UserFactory(), UserFactory()
    TravelEstimate.objects.create(user=person, place_key="rue haute 12", place="Rue Haute 12", minutes=40)
    TravelEstimate.objects.create(
        user=other, place_key="place communale 1", place="Place communale 1", minutes=15
    )

    client.force_login(person)
    section = json.loads(client.get(reverse("personal_data")).content)["sections"]["load"]

    assert [(t["place"], t["minutes"]) for t in section["travel_times"]] == [("Rue Haute 12", 40)]
    assert section["series_reviews_answered"] == []

    erase_person(user=person, by=other, now=timezone.now())

    assert not TravelEstimate.objects.filter(user=person).exists()
    assert TravelEstimate.objects.filter(user=other).count() == 1
