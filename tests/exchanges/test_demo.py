"""The demo's « Vis ma vie »: an open round where the Maison médicale du Peterbos and the antenna
Le Passage each offer days and each one's worker applies to the other's offer (one reciprocal
proposal for the coordinator), and a past round whose visits took place, with feedback. Seeding
twice writes nothing more; the coordinator confirms the proposal and both find the visit."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.demo import demo_email
from accounts.models import OrganisationKind, User
from meetings.calendar.services.subscriptions import subscription_create
from meetings.exchanges.demo import MEDICAL_HOUSE, TITLE_PREFIX
from meetings.exchanges.models import (
    AgreementWay,
    Application,
    ExchangeRound,
    Feedback,
    Offer,
    OfferDate,
    Placement,
    PlacementStatus,
    Wish,
)
from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, MeetingStatus, MessageKind
from outbox.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

MODELS = [ExchangeRound, Offer, OfferDate, Application, Wish, Placement, Feedback]
MODELS += [Meeting, Invitation, OutboxMessage]


@pytest.fixture
def seeded():
    call_command("seed_demo")


def open_round() -> ExchangeRound:
    return ExchangeRound.objects.get(visits_until__gte=timezone.localdate(), title__startswith=TITLE_PREFIX)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_changes_nothing_and_e_mails_nobody(seeded):
    before = counts()

    call_command("seed_demo")

    assert counts() == before
    assert before["ExchangeRound"] == 2
    exchanges = Meeting.objects.filter(kind=Kind.EXCHANGE).values_list("pk", flat=True)
    exchange_mails = OutboxMessage.objects.filter(refs__meeting__in=list(exchanges))
    assert exchange_mails.count() == 8  # four past visits, two people each
    assert set(exchange_mails.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_open_round_has_two_offers_and_two_agreed_reciprocal_applications(seeded):
    round = open_round()
    today = timezone.localdate()
    offers = {o.organisation.kind: o for o in round.offers.select_related("organisation", "contact")}

    assert today < round.applications_until < round.visits_from <= round.visits_until
    assert set(offers) == {OrganisationKind.MEDICAL_HOUSE, OrganisationKind.LOW_THRESHOLD}
    medical, street = offers[OrganisationKind.MEDICAL_HOUSE], offers[OrganisationKind.LOW_THRESHOLD]
    assert medical.organisation.name == MEDICAL_HOUSE and medical.contact.email == demo_email("emine.demir")
    assert medical.capacity == 1 and medical.languages == ["fr", "nl"] and medical.people_told
    assert "secret professionnel partagé" in medical.undertaking
    assert street.languages == ["fr"] and street.contact.email == demo_email("karim.benali")
    medical_days = [d.day for d in medical.dates.all()]
    street_days = [d.day for d in street.dates.all()]
    assert len(medical_days) == 2 and len(street_days) == 1
    assert all(round.visits_from <= day <= round.visits_until for day in medical_days + street_days)
    assert {day.weekday() for day in medical_days} == {1}

    applications = {a.visitor.email: a for a in round.applications.select_related("visitor")}
    assert set(applications) == {demo_email("karim.benali"), demo_email("emine.demir")}
    coordinator = User.objects.get(email=demo_email("coordinatrice"))
    for application, offer, days in (
        (applications[demo_email("karim.benali")], medical, medical_days),
        (applications[demo_email("emine.demir")], street, street_days),
    ):
        assert application.agreed and application.agreed_way == AgreementWay.COORDINATOR
        assert application.agreement_recorded_by == coordinator and application.offers_return
        assert application.available_days == [day.isoformat() for day in days]
        (wish,) = application.wishes.all()
        assert wish.offer == offer and wish.undertaking_version == offer.undertaking_version
        assert wish.undertaking_accepted_at is not None
    assert not round.placements.exists()


def test_the_past_round_has_visits_that_took_place_and_shared_feedback(seeded):
    past = ExchangeRound.objects.get(visits_until__lt=timezone.localdate())
    placements = list(past.placements.select_related("meeting", "offer_date__offer", "application"))

    assert len(placements) == 4
    for placement in placements:
        assert placement.status == PlacementStatus.CONFIRMED and placement.undertaking_accepted
        meeting = placement.meeting
        assert meeting.kind == Kind.EXCHANGE and meeting.status == MeetingStatus.HELD
        assert meeting.end < timezone.now() and meeting.start.date() == placement.offer_date.day
        invited = set(meeting.invitations.values_list("user_id", flat=True))
        assert invited == {placement.application.visitor_id, placement.offer_date.offer.contact_id}
    feedback = Feedback.objects.filter(placement__round=past)
    assert feedback.count() == 3 and feedback.filter(share_excerpt=True).count() == 2
    for item in feedback.select_related("placement__application", "placement__offer_date__offer"):
        placement = item.placement
        assert item.author_id in (placement.application.visitor_id, placement.offer_date.offer.contact_id)


def _feed_events(client, user) -> dict:
    _subscription, token = subscription_create(user=user, label="Agenda")
    calendar = Calendar.from_ical(client.get(reverse("calendar:feed", args=[token])).content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_done_when_the_coordinator_confirms_the_proposed_matching_and_both_find_the_visit_in_agenda_and_feed(
    client, seeded
):
    round = open_round()
    karim = User.objects.get(email=demo_email("karim.benali"))
    emine = User.objects.get(email=demo_email("emine.demir"))
    client.force_login(User.objects.get(email=demo_email("coordinatrice")))

    body = client.get("/exchanges/").content.decode()
    assert "Karim Benali" in body and "Emine Demir" in body
    # The one proposal: the reciprocal pair, confirmed as shown (its form's hidden pairs).
    form = re.search(rf'<form[^>]*id="confirm-all-{round.pk}".*?</form>', body, re.S).group(0)
    pairs = {
        "application": re.findall(r'name="application" value="(\d+)"', form),
        "offer_date": re.findall(r'name="offer_date" value="(\d+)"', form),
    }
    assert len(pairs["application"]) == len(pairs["offer_date"]) == 2
    response = client.post(reverse("exchanges:confirm_all", args=[round.pk]), pairs)
    assert response.status_code == 302

    placements = list(
        round.placements.filter(status=PlacementStatus.CONFIRMED).select_related(
            "meeting", "application__visitor", "offer_date__offer__contact"
        )
    )
    assert len(placements) == 2
    assert {p.application.visitor for p in placements} == {karim, emine}
    assert all(p.meeting is not None and p.meeting.kind == Kind.EXCHANGE for p in placements)

    visit = next(p for p in placements if p.application.visitor == karim)
    meeting = visit.meeting
    assert visit.offer_date.offer.contact == emine
    assert meeting.start.date() == visit.offer_date.day
    for person in (karim, emine):
        assert Invitation.objects.filter(meeting=meeting, user=person).exists()
        assert OutboxMessage.objects.filter(
            kind=MessageKind.REQUEST, recipient_email=person.email, refs__meeting=meeting.pk
        ).exists()
        assert meeting.uid in _feed_events(client, person)

        client.force_login(person)
        week = meeting.start.date() - timedelta(days=meeting.start.weekday())
        agenda = client.get(reverse("meetings:agenda"), {"view": "week", "week": week.strftime("%G-W%V")})
        assert meeting.title in agenda.content.decode()
