"""The host's confidentiality undertaking: the visitor accepts it once, in its current version,
before the day; the visit page shows it, and says to the others when it is missing."""

from datetime import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.exchanges.services import placements
from meetings.recurrence import local_start
from tests.exchanges.conftest import MARCH_DAYS


@pytest.fixture
def visit(exchange_world):
    w = exchange_world
    return placements.placement_confirm(
        round=w.round,
        application=w.educator_application,
        offer_date=w.mm_offer.dates.get(day=MARCH_DAYS[0]),
        by=w.world.users["coordinator"],
    )


def test_the_visitor_accepts_once(exchange_world, visit):
    w = exchange_world
    assert placements.undertaking_missing(visit)
    placements.undertaking_accept(placement=visit, by=w.educator, version=1)
    visit.refresh_from_db()
    first = visit.undertaking_accepted_at
    assert visit.undertaking_version == 1 and first is not None
    assert not placements.undertaking_missing(visit)
    with time_machine.travel(local_start(MARCH_DAYS[0], time(8)), tick=False):
        placements.undertaking_accept(placement=visit, by=w.educator, version=1)  # the same: nothing changes
    visit.refresh_from_db()
    assert visit.undertaking_accepted_at == first


def test_a_version_that_is_no_longer_current_is_refused(exchange_world, visit):
    w = exchange_world
    w.mm_offer.undertaking_version = 2
    w.mm_offer.save()
    with pytest.raises(ValidationError) as error:
        placements.undertaking_accept(placement=visit, by=w.educator, version=1)
    assert error.value.code == "version"
    visit.refresh_from_db()
    assert visit.undertaking_accepted_at is None


def test_on_the_day_it_is_too_late(exchange_world, visit):
    w = exchange_world
    with (
        time_machine.travel(local_start(MARCH_DAYS[0], time(8)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        placements.undertaking_accept(placement=visit, by=w.educator, version=1)
    assert error.value.messages == ["L'engagement doit être accepté avant le jour de la visite."]
    visit.refresh_from_db()
    assert visit.undertaking_accepted_at is None


def test_only_the_visitor_accepts(exchange_world, visit):
    w = exchange_world
    with pytest.raises(ValidationError):
        placements.undertaking_accept(placement=visit, by=w.mm_manager, version=1)
    visit.refresh_from_db()
    assert visit.undertaking_accepted_at is None


def test_the_visit_page_shows_the_undertaking_and_accepts_it(client, exchange_world, visit):
    w = exchange_world
    url = reverse("exchanges:visit", args=[visit.pk])
    client.force_login(w.mm_manager)
    page = client.get(url).content.decode()
    assert "L'engagement de confidentialité n'a pas encore été accepté" in page
    assert reverse("meetings:meeting", args=[visit.meeting_id]) in page
    assert 'id="undertaking-form"' not in page

    client.force_login(w.educator)
    page = client.get(url).content.decode()
    assert "Je garde pour moi tout ce que" in page and 'id="undertaking-form"' in page
    response = client.post(reverse("exchanges:undertaking", args=[visit.pk]), {"version": 1})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.undertaking_accepted
    assert 'id="undertaking-accepted"' in client.get(url).content.decode()


def test_the_page_refuses_an_old_version_with_the_reason(client, exchange_world, visit):
    w = exchange_world
    w.mm_offer.undertaking_version = 2
    w.mm_offer.save()
    client.force_login(w.educator)
    response = client.post(reverse("exchanges:undertaking", args=[visit.pk]), {"version": 1})
    assert response.status_code == 400
    assert "a changé entre-temps" in response.content.decode()
    visit.refresh_from_db()
    assert visit.undertaking_accepted_at is None


def test_the_visit_page_is_hidden_from_others(client, exchange_world, visit):
    w = exchange_world
    client.force_login(w.nurse)
    assert client.get(reverse("exchanges:visit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("exchanges:undertaking", args=[visit.pk]), {"version": 1}).status_code == 404
