"""What a second reading of « Vis ma vie » found, each kept by a test: a visit stays with the
person who hosted it when the offer's contact changes; the home page does not ask for an
undertaking on the day, when it can no longer be given; a visitor erased on the day of their
visit leaves the visit (and the host's feedback) in place; a visit keeps the hours of its
meeting when the meeting is moved."""

from datetime import date, timedelta

from django.urls import reverse

from accounts.todo import todos
from meetings.exchanges import personal_data
from meetings.exchanges.models import Feedback, Placement, PlacementStatus, Side
from meetings.exchanges.services.feedback import feedback_write
from meetings.exchanges.services.offers import offer_update
from meetings.services.meetings import meeting_update
from tests.exchanges.visit_helpers import at, educator_visit, end_of, stopped


def test_a_visit_stays_with_its_host_when_the_offer_changes_contact(client, exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    with stopped(at(date(2027, 3, 1))):
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, contact=ew.nurse)
    visit.refresh_from_db()
    assert visit.host == ew.mm_manager

    url = reverse("exchanges:visit", args=[visit.pk])
    client.force_login(ew.nurse)
    assert client.get(url).status_code == 404
    client.force_login(ew.mm_manager)
    assert client.get(url).status_code == 200
    after = end_of(visit) + timedelta(days=1)
    written = feedback_write(
        placement=visit,
        author=ew.mm_manager,
        discovered="L'accueil sans rendez-vous.",
        will_change="",
        share_excerpt=False,
        now=after,
    )
    assert written.side == Side.HOST


def test_the_home_page_does_not_ask_for_the_undertaking_on_the_day(exchange_world):
    ew = exchange_world
    visit = educator_visit(ew, accepted=False)
    day = visit.offer_date.day

    def kinds(moment):
        return [item.kind for item in todos(ew.educator, now=moment)]

    assert "exchange_undertaking" in kinds(at(day - timedelta(days=1), 18))
    assert "exchange_undertaking" not in kinds(at(day, 7))


def test_erasing_a_visitor_on_the_day_of_their_visit_keeps_the_visit_and_the_hosts_feedback(exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    Feedback.objects.create(
        placement=visit,
        author=ew.mm_manager,
        side=Side.HOST,
        discovered="Une belle journée.",
        written_at=at(visit.offer_date.day, 9),
    )
    personal_data.erase(ew.educator, now=at(visit.offer_date.day, 11))

    visit.refresh_from_db()
    assert visit.status == PlacementStatus.CONFIRMED and visit.meeting.status == "scheduled"
    assert Feedback.objects.filter(placement=visit, author=ew.mm_manager).exists()


def test_erasing_a_visitor_before_the_day_calls_the_visit_off(exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    meeting = visit.meeting
    personal_data.erase(ew.educator, now=at(date(2027, 3, 1)))

    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert not Placement.objects.filter(pk=visit.pk).exists()


def test_a_visit_keeps_the_hours_of_its_meeting_when_the_meeting_is_moved(client, exchange_world):
    ew = exchange_world
    visit = educator_visit(ew)
    meeting = visit.meeting
    with stopped(at(date(2027, 3, 1))):
        meeting_update(
            meeting=meeting,
            changes={"start": meeting.start + timedelta(hours=1), "end": meeting.end + timedelta(hours=1)},
        )
        client.force_login(ew.educator)
        page = client.get(reverse("exchanges:visit", args=[visit.pk])).content.decode()
    assert ">10:00</time>" in page
