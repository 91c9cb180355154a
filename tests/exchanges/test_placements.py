"""Confirming a visit creates the meeting « Vis ma vie » and its two invitations (and feeds);
every refusal changes nothing; cancelling cancels the meeting."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar.services.subscriptions import subscription_create
from meetings.exchanges.emails.placement import PlacementKind
from meetings.exchanges.models import Placement, PlacementStatus, Wish
from meetings.exchanges.services import placements
from meetings.kinds import Kind
from meetings.models import Meeting, MeetingStatus, MessageKind
from meetings.recurrence import local_start
from outbox.models import OutboxMessage, OutboxStatus
from tests.exchanges.conftest import MARCH_DAYS, make_application
from tests.factories import professional_in
from tests.feeds_world import feed_path


def coordinator(w):
    return w.world.users["coordinator"]


def confirm(w, application=None, offer_date=None, **kwargs):
    application = application or w.educator_application
    offer_date = offer_date or w.mm_offer.dates.get(day=MARCH_DAYS[0])
    return placements.placement_confirm(
        round=w.round,
        application=application,
        offer_date=offer_date,
        by=kwargs.pop("by", coordinator(w)),
        **kwargs,
    )


def test_confirming_creates_the_meeting_and_invites_the_contact_and_the_visitor(exchange_world):
    w = exchange_world
    w.medical_house.address, w.medical_house.postcode, w.medical_house.commune = "Quai 5", "1000", "Bruxelles"
    w.medical_house.save()

    placement = confirm(w, reasons=["shared_language:fr"])

    meeting = Meeting.objects.get(pk=placement.meeting_id)
    assert meeting.kind == Kind.EXCHANGE
    assert meeting.title == "« Vis ma vie » : Équipe de rue Transit chez Maison médicale du Canal"
    assert (meeting.start, meeting.end) == (
        local_start(MARCH_DAYS[0], time(9)),
        local_start(MARCH_DAYS[0], time(16, 30)),
    )
    assert meeting.place == "Quai 5, 1000 Bruxelles"
    assert meeting.purpose == w.mm_offer.activities
    assert set(meeting.invitations.values_list("user_id", flat=True)) == {w.mm_manager.pk, w.educator.pk}
    requests = OutboxMessage.objects.filter(kind=MessageKind.REQUEST, refs__meeting=meeting.pk)
    assert sorted(requests.values_list("recipient_email", flat=True)) == sorted(
        [w.mm_manager.email, w.educator.email]
    )
    assert placement.reasons == ["shared_language:fr"]
    assert placement.host == w.mm_manager
    assert placement.status == PlacementStatus.CONFIRMED and placement.undertaking_accepted_at is None
    asked = OutboxMessage.objects.get(kind=PlacementKind.CONFIRMED)
    assert (asked.recipient_email, asked.refs) == (
        w.educator.email,
        {"user": w.educator.pk, "placement": placement.pk},
    )


def test_the_visit_is_in_both_calendar_feeds(client, exchange_world):
    w = exchange_world
    placement = confirm(w)
    for user in (w.educator, w.mm_manager):
        _subscription, token = subscription_create(user=user, label="Téléphone")
        response = client.get(feed_path(token))
        assert response.status_code == 200
        events = list(Calendar.from_ical(response.content).walk("VEVENT"))
        titles = [str(e["SUMMARY"]) for e in events]
        assert placement.meeting.title in titles


def test_an_undertaking_accepted_when_applying_is_copied_and_no_mail_asks_for_it(exchange_world):
    w = exchange_world
    Wish.objects.filter(application=w.educator_application, offer=w.mm_offer).update(
        undertaking_version=1, undertaking_accepted_at=local_start(date(2026, 11, 18), time(12))
    )
    placement = confirm(w)
    assert placement.undertaking_version == 1 and placement.undertaking_accepted
    assert not OutboxMessage.objects.filter(kind=PlacementKind.CONFIRMED).exists()


def refused(w, code, **kwargs):
    meetings, visits, mails = (
        Meeting.objects.count(),
        Placement.objects.count(),
        OutboxMessage.objects.count(),
    )
    with pytest.raises(ValidationError) as error:
        confirm(w, **kwargs)
    assert error.value.code == code
    assert (Meeting.objects.count(), Placement.objects.count(), OutboxMessage.objects.count()) == (
        meetings,
        visits,
        mails,
    )
    return error.value.messages[0]


def test_beyond_capacity_is_refused(exchange_world):
    w = exchange_world
    confirm(w)
    marolles = w.round.network.organisations.get(name="SSM Les Marolles")
    other = professional_in(marolles, email="other@example.test")
    application = make_application(w.round, other, marolles, days=MARCH_DAYS)
    assert "complète" in refused(w, "full", application=application)


def test_a_visitor_already_placed_is_refused(exchange_world):
    w = exchange_world
    confirm(w)
    message = refused(w, "already_placed", offer_date=w.mm_offer.dates.get(day=MARCH_DAYS[1]))
    assert "déjà une visite dans cette session" in message


def test_an_application_not_agreed_is_refused(exchange_world):
    w = exchange_world
    w.educator_application.agreed_at = None
    w.educator_application.save()
    assert refused(w, "not_agreed") == "Le service du visiteur n'a pas encore donné son accord."


def test_the_visitor_own_service_is_refused(exchange_world):
    w = exchange_world
    refused(w, "own_service", offer_date=w.street_offer.dates.get())


def test_a_day_the_visitor_is_not_available_is_refused(exchange_world):
    w = exchange_world
    w.educator_application.available_days = [MARCH_DAYS[1].isoformat()]
    w.educator_application.save()
    refused(w, "not_available")


def test_a_past_date_is_refused(exchange_world):
    w = exchange_world
    with time_machine.travel(local_start(MARCH_DAYS[0], time(8)), tick=False):
        refused(w, "past")


def test_only_the_coordinator_confirms(exchange_world):
    w = exchange_world
    refused(w, "not_coordinator", by=w.mm_manager)


def test_the_host_is_the_offers_contact_when_the_visit_is_confirmed(exchange_world):
    w = exchange_world
    w.mm_offer.contact = w.nurse
    w.mm_offer.save()
    placement = confirm(w)
    assert placement.host == w.nurse
    meeting = Meeting.objects.get(pk=placement.meeting_id)
    assert set(meeting.invitations.values_list("user_id", flat=True)) == {w.nurse.pk, w.educator.pk}


def test_nobody_hosts_their_own_visit(exchange_world):
    # The educator also works at the maison médicale, as its offer's contact.
    w = exchange_world
    w.mm_offer.contact = w.educator
    w.mm_offer.save()
    assert refused(w, "own_host") == "On ne s'accueille pas soi-même."


def pairs_of(proposal):
    return [(pair.application, pair.offer_date) for pair in proposal.pairs]


def test_confirm_pairs_confirms_exactly_the_pairs_given_with_their_reason_codes(exchange_world):
    from meetings.exchanges.proposals import proposal_for

    w = exchange_world
    made = placements.confirm_pairs(round=w.round, pairs=pairs_of(proposal_for(w.round)), by=coordinator(w))
    assert {p.application_id for p in made} == {w.educator_application.pk, w.nurse_application.pk}
    educator = next(p for p in made if p.application_id == w.educator_application.pk)
    assert educator.reasons == ["reciprocal", "different_kind", "shared_language:fr", "wished", "wanted_kind"]
    assert all(p.reasons[0] == "reciprocal" for p in made)
    assert Meeting.objects.filter(kind=Kind.EXCHANGE).count() == 2
    with pytest.raises(ValidationError) as error:
        placements.confirm_pairs(round=w.round, pairs=[], by=coordinator(w))
    assert error.value.code == "empty"


def test_confirm_pairs_refuses_the_whole_lot_when_one_pair_is_no_longer_possible(exchange_world):
    from meetings.exchanges.proposals import proposal_for

    w = exchange_world
    shown = pairs_of(proposal_for(w.round))  # what the coordinator's page showed
    # Meanwhile another coordinator places the nurse by hand.
    placements.placement_confirm(
        round=w.round,
        application=w.nurse_application,
        offer_date=w.street_offer.dates.get(),
        by=coordinator(w),
    )
    counts = (Meeting.objects.count(), Placement.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(ValidationError) as error:
        placements.confirm_pairs(round=w.round, pairs=shown, by=coordinator(w))
    assert error.value.code == "changed"
    assert error.value.messages[0].startswith(
        "La proposition a changé depuis l'affichage de la page : vérifiez-la à nouveau."
    )
    assert "déjà une visite dans cette session" in error.value.messages[0]
    assert (Meeting.objects.count(), Placement.objects.count(), OutboxMessage.objects.count()) == counts
    assert not Placement.objects.filter(application=w.educator_application).exists()


def test_a_pair_made_by_hand_keeps_no_reasons(exchange_world):
    w = exchange_world
    assert confirm(w).reasons == []


def test_a_meeting_cancelled_from_the_core_frees_the_visitor_and_the_place(exchange_world):
    from meetings.exchanges.proposals import proposal_for
    from meetings.services.meetings import meeting_cancel

    w = exchange_world
    old = confirm(w)
    meeting_cancel(meeting=old.meeting)  # its organiser, from the core's meeting page

    proposal = proposal_for(w.round)
    assert w.educator_application in [pair.application for pair in proposal.pairs]
    old.refresh_from_db()
    assert old.status == PlacementStatus.CONFIRMED  # reading the proposal writes nothing
    # The place is free again: the visitor is confirmed on the same day, which settles the old.
    again = confirm(w)
    old.refresh_from_db()
    assert old.status == PlacementStatus.CANCELLED and old.cancelled_at is not None
    assert again.status == PlacementStatus.CONFIRMED and again.pk != old.pk
    with pytest.raises(ValidationError) as error:
        placements.placement_cancel(placement=old, by=coordinator(w))
    assert error.value.code == "cancelled"


def test_a_visit_whose_meeting_was_cancelled_may_still_be_confirmed_elsewhere_or_cancelled(exchange_world):
    from meetings.services.meetings import meeting_cancel

    w = exchange_world
    old = confirm(w)
    meeting_cancel(meeting=old.meeting)
    # Straight to placement_confirm, no page read in between: it sees the visit cancelled.
    again = confirm(w, offer_date=w.mm_offer.dates.get(day=MARCH_DAYS[1]))
    assert again.status == PlacementStatus.CONFIRMED
    old.refresh_from_db()
    assert old.status == PlacementStatus.CANCELLED


def test_cancelling_a_visit_whose_meeting_was_cancelled_from_the_core(exchange_world):
    from meetings.services.meetings import meeting_cancel

    w = exchange_world
    placement = confirm(w)
    meeting_cancel(meeting=placement.meeting)
    cancels = OutboxMessage.objects.filter(kind=MessageKind.CANCEL).count()
    placements.placement_cancel(placement=placement, by=coordinator(w))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED
    assert OutboxMessage.objects.filter(kind=MessageKind.CANCEL).count() == cancels  # told once


def test_the_cancel_page_answers_for_a_meeting_cancelled_from_the_core(client, exchange_world):
    from meetings.services.meetings import meeting_cancel

    w = exchange_world
    placement = confirm(w)
    meeting_cancel(meeting=placement.meeting)
    client.force_login(coordinator(w))
    response = client.post(reverse("exchanges:visit_cancel", args=[placement.pk]))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED


def test_cancelling_cancels_the_meeting_and_tells_the_invitees(exchange_world):
    w = exchange_world
    placement = confirm(w)
    # The invitations went out (an invitation still queued is simply dropped by the core).
    OutboxMessage.objects.filter(kind=MessageKind.REQUEST).update(status=OutboxStatus.SENT)
    placements.placement_cancel(placement=placement, by=coordinator(w))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED and placement.cancelled_at is not None
    assert Meeting.objects.get(pk=placement.meeting_id).status == MeetingStatus.CANCELLED
    assert (
        OutboxMessage.objects.filter(kind=MessageKind.CANCEL, refs__meeting=placement.meeting_id).count() == 2
    )
    # The visitor may then be placed again.
    again = confirm(w, offer_date=w.mm_offer.dates.get(day=MARCH_DAYS[1]))
    assert again.status == PlacementStatus.CONFIRMED


def test_a_visit_that_took_place_cannot_be_cancelled(exchange_world):
    w = exchange_world
    placement = confirm(w)
    with (
        time_machine.travel(local_start(MARCH_DAYS[0], time(17)), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        placements.placement_cancel(placement=placement, by=coordinator(w))
    assert error.value.code == "past"
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED


def test_the_pages_confirm_and_cancel(client, exchange_world):
    w = exchange_world
    client.force_login(coordinator(w))
    offer_date = w.mm_offer.dates.get(day=MARCH_DAYS[0])
    url = reverse("exchanges:confirm", args=[w.round.pk])
    response = client.post(
        url,
        {"application": w.educator_application.pk, "offer_date": offer_date.pk, "next": "https://evil.test/"},
    )
    assert response.status_code == 302 and response.url == reverse("exchanges:matching", args=[w.round.pk])
    placement = Placement.objects.get()
    # A second time: refused with the reason, nothing more.
    response = client.post(
        url, {"application": w.educator_application.pk, "offer_date": offer_date.pk}, follow=True
    )
    assert "déjà une visite dans cette session" in response.content.decode()
    assert Placement.objects.count() == 1
    response = client.post(reverse("exchanges:visit_cancel", args=[placement.pk]))
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED


def test_others_cannot_confirm_through_the_page(client, exchange_world):
    w = exchange_world
    client.force_login(w.mm_manager)
    offer_date = w.mm_offer.dates.get(day=MARCH_DAYS[0])
    response = client.post(
        reverse("exchanges:confirm", args=[w.round.pk]),
        {"application": w.educator_application.pk, "offer_date": offer_date.pk},
    )
    assert response.status_code == 404
    assert not Placement.objects.exists()


def test_the_confirmation_mail_links_to_the_visit_page(exchange_world):
    from meetings.exchanges.emails.placement import render

    w = exchange_world
    placement = confirm(w)
    message = OutboxMessage.objects.get(kind=PlacementKind.CONFIRMED)
    email = render(message, {})
    assert reverse("exchanges:visit", args=[placement.pk]) in email.body
    assert "Maison médicale du Canal" in email.subject
