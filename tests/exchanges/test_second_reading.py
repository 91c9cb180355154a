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


# A second reading of the offers, applications and confirmations.


def test_a_date_that_had_a_visit_cancelled_since_stays_in_the_offer(exchange_world):
    import pytest
    from django.core.exceptions import ValidationError

    from meetings.exchanges.models import DayPart, OfferDate
    from meetings.exchanges.services.placements import placement_cancel

    ew = exchange_world
    visit = educator_visit(ew)
    with stopped(at(date(2027, 3, 1))):
        placement_cancel(placement=visit, by=ew.world.users["coordinator"])
        with pytest.raises(ValidationError) as error:
            offer_update(offer=ew.mm_offer, by=ew.mm_manager, dates=[(date(2027, 3, 16), DayPart.DAY)])
    assert error.value.code == "confirmed_placement"
    assert OfferDate.objects.filter(offer=ew.mm_offer).count() == 2


def test_an_agreement_is_asked_again_when_the_application_changes_service(exchange_world):
    from meetings.exchanges.emails.agreement import AgreementKind
    from outbox.models import OutboxMessage
    from tests.exchanges.test_agreement import applied
    from tests.factories import OrganisationFactory

    ew = exchange_world
    member = ew.world.users["member"]
    own = member.professional.organisations.get()
    application = applied(ew, organisation=own)
    application.agreed_at = at(date(2026, 11, 20))
    application.save(update_fields=["agreed_at"])
    other = OrganisationFactory(name="Autre service")
    member.professional.organisations.add(other)
    ew.world.network.organisations.add(other)

    application = applied(ew, offer=ew.street_offer, organisation=other, manager_email="chef@autre.test")
    application.refresh_from_db()
    assert application.organisation == other and application.agreed_at is None
    assert OutboxMessage.objects.filter(
        kind=AgreementKind.REQUEST, refs__application=application.pk, recipient_email="chef@autre.test"
    ).exists()


def test_a_visitor_is_not_their_own_manager(exchange_world):
    import pytest
    from django.core.exceptions import ValidationError

    from meetings.exchanges.models import Application
    from tests.exchanges.test_agreement import applied

    ew = exchange_world
    with pytest.raises(ValidationError) as error:
        applied(ew, manager_email=ew.world.users["member"].email.upper())
    assert error.value.code == "manager_email"
    assert not Application.objects.filter(visitor=ew.world.users["member"]).exists()


def test_a_reworded_undertaking_asks_the_visitors_to_come_again_by_e_mail(exchange_world):
    from meetings.exchanges.emails.placement import PlacementKind
    from outbox.models import OutboxMessage

    ew = exchange_world
    visit = educator_visit(ew)
    with stopped(at(date(2027, 3, 1))):
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, undertaking="Un texte revu.")
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, undertaking="Un texte revu.")  # unchanged
    asked = OutboxMessage.objects.filter(kind=PlacementKind.CONFIRMED, refs__placement=visit.pk)
    assert [row.recipient_email for row in asked] == [ew.educator.email]


def test_an_agreement_link_once_used_shows_nothing_more_of_the_application(client, exchange_world):
    from meetings.exchanges import tokens
    from meetings.exchanges.services.applications import agreement_confirm
    from tests.exchanges.test_agreement import applied

    ew = exchange_world
    application = applied(ew)
    path = tokens.link_path(application)
    assert "Comprendre le travail de rue." in client.get(path).content.decode()
    agreement_confirm(application=application)
    page = client.get(path).content.decode()
    assert "L'accord du service est enregistré" in page
    assert "Comprendre le travail de rue." not in page


def test_the_matching_page_writes_nothing_and_frees_a_visit_whose_meeting_was_cancelled(
    client, exchange_world
):
    from meetings.services.meetings import meeting_cancel

    ew = exchange_world
    visit = educator_visit(ew)
    with stopped(at(date(2026, 11, 20))):
        meeting_cancel(meeting=visit.meeting)
    client.force_login(ew.world.users["coordinator"])
    page = client.get(reverse("exchanges:matching", args=[ew.round.pk])).content.decode()
    visit.refresh_from_db()
    assert visit.status == PlacementStatus.CONFIRMED  # a GET writes nothing
    assert f'name="application" value="{ew.educator_application.pk}"' in page  # proposed again


def test_an_offer_is_not_edited_once_its_round_is_over(exchange_world):
    import pytest
    from django.core.exceptions import ValidationError

    ew = exchange_world
    with stopped(at(date(2027, 4, 2))), pytest.raises(ValidationError) as error:
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, capacity=2)
    assert error.value.code == "round_over"
