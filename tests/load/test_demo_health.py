"""The demo tells the health story: as coordinatrice@…, the network view lists a declining
series and two overlapping groups; seeding again changes nothing and sends nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, User
from meetings.load import demo_health
from meetings.load.health import network_flags
from meetings.models import StandingGroup
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_coordinator_finds_the_demo_flags(client):
    call_command("seed_demo")
    network = Network.objects.get(coordinators__email="coordinatrice@demo.concertation.test")
    client.force_login(User.objects.get(email="coordinatrice@demo.concertation.test"))

    text = client.get(reverse("load:network")).content.decode()

    declining = StandingGroup.objects.get(network=network, name=demo_health.DECLINING)
    assert "Série désertée" in text and f"Intervision — {demo_health.DECLINING}" in text
    assert reverse("meetings:group", args=[declining.pk]) in text
    assert "Séries à fusionner ?" in text
    assert f"Intervision — {demo_health.OVERLAPPING}" in text and "Intervision du jeudi" in text


def test_seeding_again_changes_nothing_and_sends_nothing(db):
    call_command("seed_demo")
    network = Network.objects.get(coordinators__email="coordinatrice@demo.concertation.test")
    mails = OutboxMessage.objects.count()
    groups = StandingGroup.objects.count()
    flags = network_flags(network, now=timezone.now())

    demo_health.seed_health(network)

    assert OutboxMessage.objects.count() == mails
    assert StandingGroup.objects.count() == groups
    assert [f.subject_key for f in network_flags(network, now=timezone.now())] == [
        f.subject_key for f in flags
    ]
