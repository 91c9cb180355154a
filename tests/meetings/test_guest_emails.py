"""What a guest (no account) reads in the meeting e-mails: a greeting with their name or none,
never their address; no link to a page behind the login they cannot pass; "cette série" when
they are invited to a series."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from meetings.services import invitations as inv
from tests.mail import html_body, text_body

pytestmark = pytest.mark.django_db

GUEST = "jean@example.be"


def sent(capture, do):
    mail.outbox.clear()
    with capture(execute=True):
        do()
    return list(mail.outbox)


def bodies(message) -> list[str]:
    return [text_body(message), html_body(message)]


def test_a_guest_without_a_name_is_greeted_without_their_address(world, django_capture_on_commit_callbacks):
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest(GUEST)]),
    )

    text, html = bodies(message)
    assert text.startswith("Bonjour,\n")
    assert "<p>Bonjour,</p>" in html
    for body in (text, html):
        assert f"Bonjour {GUEST}" not in body
        assert "Je viens" in body  # the answer links are their way in


def test_a_guest_with_a_name_is_greeted_by_it(world, django_capture_on_commit_callbacks):
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest(GUEST, "Jean Dupont")]),
    )

    assert text_body(message).startswith("Bonjour Jean Dupont,\n")


def test_a_guest_gets_no_link_behind_the_login(world, django_capture_on_commit_callbacks):
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest(GUEST)]),
    )

    meeting_page = reverse("meetings:meeting", args=[world.thematic.pk])
    for body in bodies(message):
        assert "connexion requise" not in body
        assert meeting_page not in body


def test_someone_with_an_account_still_gets_the_meeting_page(world, django_capture_on_commit_callbacks):
    outsider = world.users["outsider"]
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(outsider)]),
    )

    meeting_page = reverse("meetings:meeting", args=[world.thematic.pk])
    for body in bodies(message):
        assert f"Bonjour {outsider.get_full_name()}," in body
        assert "connexion requise" in body and meeting_page in body


def test_a_series_invitation_speaks_of_the_series(world, django_capture_on_commit_callbacks):
    series = world.session.series
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: inv.invite_to_series(series=series, invitees=[inv.guest(GUEST)]),
    )

    for body in bodies(message):
        assert "Vous êtes invité·e aux séances de cette série." in body
        assert "cette réunion" not in body
        assert "connexion requise" not in body


def test_a_guest_removed_from_a_series_reads_that_the_series_is_withdrawn(
    world, django_capture_on_commit_callbacks
):
    series = world.session.series
    with django_capture_on_commit_callbacks(execute=True):
        [series_invitation] = inv.invite_to_series(series=series, invitees=[inv.guest(GUEST)])

    [message] = sent(
        django_capture_on_commit_callbacks, lambda: inv.uninvite(series_invitation=series_invitation)
    )

    for body in bodies(message):
        assert "Cette série est annulée ou vous n'y êtes plus attendu·e." in unescape(body)
        assert f"Bonjour {GUEST}" not in body
        assert "connexion requise" not in body
