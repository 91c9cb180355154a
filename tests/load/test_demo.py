"""The demo's meeting load: Claire (medecin@…) over budget last month, travel included, with an
overlap and a year of several kinds; seeding twice changes nothing and e-mails nobody."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from meetings.load.accounting import month_start, months_back
from meetings.load.models import TravelEstimate
from meetings.load.personal import year_report
from meetings.models import Invitation
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_claire_is_over_budget_last_month_with_an_overlap_and_a_year_of_kinds(client):
    call_command("seed_demo")
    claire = User.objects.get(email="medecin@demo.concertation.test")

    report = year_report(claire)

    last = report.previous
    assert last.month == months_back(month_start(report.current.month), 2)[0]
    assert last.over_budget and last.total_hours > last.budget_hours + 2
    assert last.travel_minutes > 0 and last.overlaps
    assert len(report.kinds) >= 3
    assert sum(1 for load in report.months if load.sittings) >= 10
    assert TravelEstimate.objects.filter(user=claire).exists()

    client.force_login(claire)
    body = client.get(reverse("load:mine")).content.decode()
    assert 'id="last-month-over"' in body and "▲</text>" in body
    assert "min comptées deux fois" in body


def test_seeding_again_changes_nothing_and_sends_nothing():
    call_command("seed_demo")
    before = (Invitation.objects.count(), TravelEstimate.objects.count(), OutboxMessage.objects.count())
    mail.outbox.clear()

    call_command("seed_demo")

    assert (
        Invitation.objects.count(),
        TravelEstimate.objects.count(),
        OutboxMessage.objects.count(),
    ) == before
    assert mail.outbox == []
