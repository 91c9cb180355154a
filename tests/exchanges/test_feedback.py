"""Feedback after a visit: the two sides once each, after the visit took place with its
undertaking accepted; refused with a clear message and nothing written otherwise. The page shows
the form, then what was written."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.exchanges.models import Feedback, PlacementStatus, Side
from meetings.exchanges.services.feedback import feedback_write
from meetings.exchanges.services.offers import offer_update
from meetings.models.meetings import MeetingStatus
from tests.exchanges.visit_helpers import at, educator_visit, end_of, stopped

TEXTS = {"discovered": "Le travail de rue se fait sans rendez-vous.", "will_change": "J'appelle avant."}


def write(placement, author, *, now=None, **fields):
    now = now or end_of(placement) + timedelta(hours=2)
    return feedback_write(
        placement=placement, author=author, now=now, **{**TEXTS, "share_excerpt": False, **fields}
    )


def refused(placement, author, code, **fields):
    with pytest.raises(ValidationError) as error:
        write(placement, author, **fields)
    assert error.value.code == code
    assert not Feedback.objects.filter(placement=placement).exists()
    return error.value


def test_each_side_writes_once_after_the_visit(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)

    mine = write(placement, ew.educator, share_excerpt=True)
    theirs = write(placement, ew.mm_manager)

    assert (mine.side, mine.share_excerpt, mine.discovered) == (Side.VISITOR, True, TEXTS["discovered"])
    assert (theirs.side, theirs.share_excerpt) == (Side.HOST, False)
    assert Feedback.objects.filter(placement=placement).count() == 2


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_someone_who_was_not_there_is_refused(exchange_world, who):
    ew = exchange_world
    placement = educator_visit(ew)
    error = refused(placement, ew.world.users[who], "not_there")
    assert error.messages == [
        "Seuls la personne en visite et la personne qui l'a accueillie donnent leur retour."
    ]


def test_the_nurse_of_the_host_service_who_did_not_host_is_refused(exchange_world):
    ew = exchange_world
    refused(educator_visit(ew), ew.nurse, "not_there")


def test_before_the_visit_ends_feedback_is_refused(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    refused(placement, ew.educator, "not_yet", now=end_of(placement) - timedelta(minutes=30))


def test_a_cancelled_meeting_or_placement_takes_no_feedback(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    placement.meeting.status = MeetingStatus.CANCELLED
    placement.meeting.save(update_fields=["status"])
    refused(placement, ew.educator, "cancelled")

    placement.meeting.status = MeetingStatus.SCHEDULED
    placement.meeting.save(update_fields=["status"])
    placement.status = PlacementStatus.CANCELLED
    placement.save(update_fields=["status"])
    refused(placement, ew.mm_manager, "cancelled")


def test_a_visit_without_the_accepted_undertaking_takes_no_feedback(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew, accepted=False)
    refused(placement, ew.educator, "no_undertaking")


def test_an_undertaking_reworded_after_the_visit_does_not_undo_it(exchange_world):
    """The host rewords its undertaking after the day: the visit was given the earlier text, and
    still counts and takes feedback."""
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(end_of(placement) + timedelta(days=1)):
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, undertaking="Un texte revu après la visite.")
        placement.refresh_from_db()
        assert placement.undertaking_accepted_at is not None
        assert write(placement, ew.mm_manager).side == Side.HOST


def test_an_undertaking_reworded_before_the_day_must_be_accepted_again(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(at(date(2027, 3, 1))):
        offer_update(offer=ew.mm_offer, by=ew.mm_manager, undertaking="Un nouveau texte, avant la visite.")
    placement.refresh_from_db()
    assert placement.undertaking_accepted_at is None
    refused(placement, ew.mm_manager, "no_undertaking")


def test_without_what_was_discovered_nothing_is_written(exchange_world):
    ew = exchange_world
    refused(educator_visit(ew), ew.educator, "discovered_empty", discovered="   ")


def test_a_second_feedback_is_refused_and_the_first_kept(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    write(placement, ew.educator)
    with pytest.raises(ValidationError) as error:
        write(placement, ew.educator, discovered="Autre chose.")
    assert error.value.code == "already"
    assert list(Feedback.objects.filter(placement=placement).values_list("discovered", flat=True)) == [
        TEXTS["discovered"]
    ]


def test_a_visit_without_meeting_ends_with_its_part_of_the_day(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew, meeting=False)
    refused(placement, ew.educator, "not_yet", now=end_of(placement) - timedelta(minutes=1))
    assert write(placement, ew.educator, now=end_of(placement)).side == Side.VISITOR


# The page


def url(placement):
    return reverse("exchanges:feedback", args=[placement.pk])


def test_the_visitor_fills_the_form_then_reads_what_they_wrote(client, exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(end_of(placement) + timedelta(days=2)):
        client.force_login(ew.educator)
        page = unescape(client.get(url(placement)).content.decode())
        assert "Ce que j'ai découvert" in page
        assert "Ce que je change dans ma pratique" in page
        assert "La coordination peut citer ces lignes, avec mon nom, dans le bilan du réseau" in page
        assert 'id="feedback-form"' in page

        response = client.post(url(placement), {**TEXTS, "share_excerpt": "on"}, follow=True)

    feedback = Feedback.objects.get(placement=placement)
    assert (feedback.author, feedback.side, feedback.share_excerpt) == (ew.educator, Side.VISITOR, True)
    page = unescape(response.content.decode())
    assert "Merci, votre retour est enregistré." in page
    assert TEXTS["discovered"] in page and TEXTS["will_change"] in page
    assert 'id="feedback-form"' not in page


def test_an_empty_form_is_shown_again_with_its_error(client, exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(end_of(placement) + timedelta(days=2)):
        client.force_login(ew.mm_manager)
        response = client.post(url(placement), {"discovered": "", "will_change": "Rien"})
    assert response.status_code == 400
    assert "Dites en quelques mots ce que vous avez découvert." in unescape(response.content.decode())
    assert not Feedback.objects.exists()


def test_another_member_gets_a_404(client, exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(end_of(placement) + timedelta(days=2)):
        client.force_login(ew.world.users["member"])
        assert client.get(url(placement)).status_code == 404
        assert client.post(url(placement), TEXTS).status_code == 404
    assert not Feedback.objects.exists()


def test_a_coordinator_reads_that_only_the_two_sides_give_feedback(client, exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    with stopped(end_of(placement) + timedelta(days=2)):
        client.force_login(ew.world.users["coordinator"])
        page = unescape(client.get(url(placement)).content.decode())
        posted = client.post(url(placement), TEXTS)
    assert "Seuls la personne en visite et la personne qui l'a accueillie donnent leur retour." in page
    assert 'id="feedback-form"' not in page
    assert posted.status_code == 400
    assert not Feedback.objects.exists()


def test_before_the_visit_the_page_says_why_and_shows_no_form(client, exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    client.force_login(ew.educator)
    page = unescape(client.get(url(placement)).content.decode())
    assert "La visite n'a pas encore eu lieu" in page
    assert 'id="feedback-form"' not in page
