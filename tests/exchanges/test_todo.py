"""The home page's "À faire" for « Vis ma vie »: the visitor accepts the host's undertaking before
a confirmed visit (again when its text changed), then the visitor and the host contact each give
their feedback once the visit took place, for 30 days, until they wrote it; one query whatever
the number of visits."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from meetings.exchanges import todo
from meetings.exchanges.models import (
    DAY_PART_HOURS,
    DayPart,
    Feedback,
    Offer,
    Placement,
    PlacementStatus,
    Side,
)
from meetings.kinds import Kind
from meetings.models import Meeting, MeetingStatus
from meetings.recurrence import BRUSSELS
from meetings.services.meetings import meeting_create
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY

pytestmark = pytest.mark.django_db

BEFORE = datetime(2027, 2, 20, 10, 0, tzinfo=BRUSSELS)
AFTER_STREET_DAY = datetime(2027, 3, 12, 10, 0, tzinfo=BRUSSELS)


def place(xw, application, offer, day, *, accepted=False) -> Placement:
    offer_date = offer.dates.get(day=day)
    start, end = (datetime.combine(day, moment, tzinfo=BRUSSELS) for moment in DAY_PART_HOURS[DayPart.DAY])
    meeting = meeting_create(
        network=xw.round.network,
        kind=Kind.EXCHANGE,
        title=f"« Vis ma vie » : {application.visitor.get_full_name()}",
        start=start,
        end=end,
        organiser=xw.world.users["coordinator"],
    )
    return Placement.objects.create(
        round=xw.round,
        application=application,
        offer_date=offer_date,
        meeting=meeting,
        confirmed_by=xw.world.users["coordinator"],
        confirmed_at=datetime(2027, 1, 20, 10, 0, tzinfo=BRUSSELS),
        undertaking_version=offer.undertaking_version if accepted else None,
        undertaking_accepted_at=datetime(2027, 1, 21, 10, 0, tzinfo=BRUSSELS) if accepted else None,
    )


def items(user, now) -> list[tuple[str, str, str]]:
    return [(item.kind, str(item.text), item.url) for item in todo.to_do(user, now=now)]


def test_the_visitor_accepts_the_undertaking_before_the_day_and_again_when_it_changed(exchange_world):
    xw = exchange_world
    visit = place(xw, xw.educator_application, xw.mm_offer, MARCH_DAYS[0])
    url = reverse("exchanges:visit", args=[visit.pk])

    assert items(xw.educator, BEFORE) == [
        ("exchange_undertaking", "Journée chez Maison médicale du Canal", url)
    ]
    assert items(xw.mm_manager, BEFORE) == []  # the host has nothing to accept

    Placement.objects.filter(pk=visit.pk).update(undertaking_version=1, undertaking_accepted_at=BEFORE)
    assert items(xw.educator, BEFORE) == []

    Offer.objects.filter(pk=xw.mm_offer.pk).update(undertaking_version=2)  # a new text
    assert [kind for kind, _text, _url in items(xw.educator, BEFORE)] == ["exchange_undertaking"]


def test_a_cancelled_visit_or_one_past_asks_no_undertaking(exchange_world):
    xw = exchange_world
    visit = place(xw, xw.educator_application, xw.mm_offer, MARCH_DAYS[0])

    assert items(xw.educator, datetime(2027, 3, 10, 10, 0, tzinfo=BRUSSELS)) == []
    Placement.objects.filter(pk=visit.pk).update(status=PlacementStatus.CANCELLED)
    assert items(xw.educator, BEFORE) == []


def test_both_sides_give_their_feedback_after_the_visit_for_30_days_until_written(client, exchange_world):
    xw = exchange_world
    visit = place(xw, xw.nurse_application, xw.street_offer, STREET_DAY, accepted=True)
    url = reverse("exchanges:feedback", args=[visit.pk])

    assert items(xw.nurse, BEFORE) == []  # not yet
    assert items(xw.nurse, AFTER_STREET_DAY) == [
        ("exchange_feedback", "Journée chez Équipe de rue Transit", url)
    ]
    assert items(xw.educator, AFTER_STREET_DAY) == [
        ("exchange_feedback", "Journée de Inès Infirmière dans votre service", url)
    ]

    Feedback.objects.create(
        placement=visit,
        author=xw.nurse,
        side=Side.VISITOR,
        discovered="La tournée.",
        written_at=AFTER_STREET_DAY,
    )
    assert items(xw.nurse, AFTER_STREET_DAY) == []
    assert [kind for kind, _t, _u in items(xw.educator, AFTER_STREET_DAY)] == ["exchange_feedback"]
    assert items(xw.educator, datetime(2027, 4, 11, 10, 0, tzinfo=BRUSSELS)) == []  # past 30 days

    with time_machine.travel(AFTER_STREET_DAY, tick=False):
        client.force_login(xw.educator)
        body = client.get(reverse("home")).content.decode()
    assert "Donner mon retour" in body and f'href="{url}"' in body


def test_no_feedback_is_asked_of_a_visit_without_the_undertaking_or_cancelled(exchange_world):
    xw = exchange_world
    visit = place(xw, xw.nurse_application, xw.street_offer, STREET_DAY)

    assert items(xw.nurse, AFTER_STREET_DAY) == [] and items(xw.educator, AFTER_STREET_DAY) == []
    Placement.objects.filter(pk=visit.pk).update(undertaking_version=1, undertaking_accepted_at=BEFORE)
    Meeting.objects.filter(pk=visit.meeting_id).update(status=MeetingStatus.CANCELLED)
    assert items(xw.nurse, AFTER_STREET_DAY) == []


@pytest.mark.parametrize("count", [1, 2])
def test_one_query_whatever_the_number_of_visits(exchange_world, django_assert_num_queries, count):
    xw = exchange_world
    place(xw, xw.educator_application, xw.mm_offer, MARCH_DAYS[1])
    if count == 2:  # the educator also hosted the nurse the day before: their feedback is due
        place(xw, xw.nurse_application, xw.street_offer, STREET_DAY, accepted=True)

    with django_assert_num_queries(1):
        found = todo.to_do(xw.educator, now=AFTER_STREET_DAY)

    assert len(found) == count
