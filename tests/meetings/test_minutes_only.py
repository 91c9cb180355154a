"""The answer "envoyez-moi le compte rendu": from the e-mail's link, the answer page and the
meeting page; a later "je viens" gives back the participant role."""

from datetime import timedelta
from html import unescape
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import rsvp
from meetings.followup.rules import clinical_minutes_readable_by
from meetings.models import Invitation, InvitationRole, Meeting, PartStat
from meetings.services import invitations as inv
from tests.pages import main_form, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world):
    [invitation] = inv.invite_to_meeting(
        meeting=world.thematic, invitees=[inv.invitee_for(world.users["member"])]
    )
    return invitation


def test_the_minutes_only_link_opens_the_page_and_only_sending_it_records(client, invitation):
    path = rsvp.link_path(invitation, "minutes")

    opened = client.get(path)
    client.head(path)
    invitation.refresh_from_db()
    on_open = (invitation.role, invitation.partstat)
    sent = submit(client, opened, path)
    shown = client.get(sent.url)

    invitation.refresh_from_db()
    assert on_open == (InvitationRole.PARTICIPANT, PartStat.NEEDS_ACTION)
    assert ("partstat", rsvp.MINUTES_ONLY) in main_form(opened)["fields"]
    assert "envoyez-moi le compte rendu" in unescape(opened.content.decode())
    assert (invitation.role, invitation.partstat) == (InvitationRole.MINUTES_ONLY, PartStat.DECLINED)
    assert ("partstat", rsvp.MINUTES_ONLY) in main_form(shown)["fields"]
    assert "je ne viens pas, envoyez-moi le compte rendu" in unescape(shown.content.decode())


def test_answering_minutes_only_twice_changes_nothing_and_a_later_accept_restores_the_role(
    client, invitation
):
    path = rsvp.link_path(invitation, "minutes")
    client.post(path, {"partstat": rsvp.MINUTES_ONLY})
    invitation.refresh_from_db()
    first_at = invitation.answered_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        client.post(path, {"partstat": rsvp.MINUTES_ONLY})
    invitation.refresh_from_db()
    second = (invitation.role, invitation.partstat, invitation.answered_at)
    client.post(rsvp.link_path(invitation, "accept"), {"partstat": "ACCEPTED"})

    invitation.refresh_from_db()
    assert second == (InvitationRole.MINUTES_ONLY, PartStat.DECLINED, first_at)
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.ACCEPTED)


def test_a_plain_decline_on_the_page_leaves_minutes_only_but_a_calendars_decline_does_not(invitation):
    inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=True)
    inv.answer(target=invitation, partstat=PartStat.DECLINED)  # a calendar's reply: it cannot say more
    kept = invitation.role

    inv.answer(
        target=invitation, partstat=PartStat.DECLINED, minutes_only=False
    )  # the page's "je ne viens pas"

    assert kept == InvitationRole.MINUTES_ONLY
    invitation.refresh_from_db()
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.DECLINED)


def test_the_invitation_email_carries_the_minutes_only_link_which_changes_nothing_when_opened(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [invitation] = inv.invite_to_meeting(
            meeting=world.thematic, invitees=[inv.guest("ines@example.be", "Inês")]
        )
    [email] = mail.outbox
    html = email.alternatives[0][0]
    minutes_path = rsvp.link_path(invitation, "minutes").split("/rsvp/")[0]

    assert "Je ne viens pas, envoyez-moi le compte rendu :" in email.body
    assert "Envoyez-moi le compte rendu" in html
    links = [line.split(" : ")[-1] for line in email.body.splitlines() if "compte rendu :" in line]
    assert len(links) == 1 and minutes_path in links[0]
    client.get(urlparse(links[0]).path)
    invitation.refresh_from_db()
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.NEEDS_ACTION)


def test_who_runs_the_meeting_gets_no_minutes_only_link_nor_choice(client, world):
    [invitation] = inv.invite_to_meeting(
        meeting=world.thematic,
        invitees=[inv.invitee_for(world.users["facilitator"], InvitationRole.FACILITATOR)],
    )
    path = rsvp.link_path(invitation, "decline")

    opened = client.get(path)
    refused = client.post(path, {"partstat": rsvp.MINUTES_ONLY})

    invitation.refresh_from_db()
    assert ("partstat", rsvp.MINUTES_ONLY) not in main_form(opened)["fields"]
    assert "Sélectionnez un choix valide" in unescape(refused.content.decode())
    assert (invitation.role, invitation.partstat) == (InvitationRole.FACILITATOR, PartStat.NEEDS_ACTION)
    with pytest.raises(Exception, match="compte rendu seul"):
        inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=True)


def test_a_series_invitee_answering_minutes_only_takes_it_for_every_session_to_come(world):
    series = world.session.series
    [series_invitation] = inv.invite_to_series(series=series, invitees=[inv.guest("ines@example.be")])

    inv.answer(target=series_invitation, partstat=PartStat.DECLINED, minutes_only=True)

    sessions = Invitation.objects.filter(series_invitation=series_invitation)
    assert sessions.exists()
    assert set(sessions.values_list("role", "partstat")) == {(InvitationRole.MINUTES_ONLY, PartStat.DECLINED)}
    series_invitation.refresh_from_db()
    assert series_invitation.role == InvitationRole.MINUTES_ONLY


def test_a_series_answer_leaves_the_role_the_organiser_gave_one_session(world):
    series = world.session.series
    organiser = world.users["facilitator"]
    [series_invitation] = inv.invite_to_series(series=series, invitees=[inv.guest("ines@example.be")])
    first, *others = Invitation.objects.filter(series_invitation=series_invitation).order_by("meeting__start")
    inv.change_role(invitation=first, role=InvitationRole.OPTIONAL, by=organiser)

    inv.answer(target=series_invitation, partstat=PartStat.TENTATIVE)
    inv.answer(target=series_invitation, partstat=PartStat.DECLINED, minutes_only=True)

    first.refresh_from_db()
    assert (first.role, first.partstat) == (InvitationRole.OPTIONAL, PartStat.DECLINED)
    assert {i.role for i in Invitation.objects.filter(pk__in=[o.pk for o in others])} == {
        InvitationRole.MINUTES_ONLY
    }


def test_the_meeting_page_answer_form_offers_and_records_minutes_only(client, world, invitation):
    member = world.users["member"]
    client.force_login(member)
    url = reverse("meetings:meeting", args=[world.thematic.pk])

    page = client.get(url)
    sent = client.post(
        reverse("meetings:my_answer", args=[world.thematic.pk]), {"partstat": rsvp.MINUTES_ONLY}
    )
    after = client.get(url)
    client.post(reverse("meetings:my_answer", args=[world.thematic.pk]), {"partstat": "TENTATIVE"})

    assert "Votre réponse" in page.content.decode()
    assert f'value="{rsvp.MINUTES_ONLY}"' in page.content.decode()
    assert sent.status_code == 302
    assert "je ne viens pas, envoyez-moi le compte rendu" in unescape(after.content.decode())
    invitation.refresh_from_db()
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.TENTATIVE)


def test_the_meeting_page_answer_refuses_a_bad_choice_and_changes_nothing(client, world, invitation):
    client.force_login(world.users["member"])

    sent = client.post(
        reverse("meetings:my_answer", args=[world.thematic.pk]), {"partstat": "YES"}, follow=True
    )

    invitation.refresh_from_db()
    assert "Choisissez une réponse." in unescape(sent.content.decode())
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.NEEDS_ACTION)


def test_a_minutes_only_invitee_still_reads_a_concertations_clinical_minutes(world):
    member = world.users["member"]
    invitation = Invitation.objects.get(meeting=world.concertation, user=member)
    inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=True)
    readable_as_minutes_only = Meeting.objects.filter(
        clinical_minutes_readable_by(member), pk=world.concertation.pk
    )
    readable_then = readable_as_minutes_only.exists()

    inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=False)

    assert readable_then
    assert not Meeting.objects.filter(clinical_minutes_readable_by(member), pk=world.concertation.pk).exists()


def test_minutes_only_invitees_get_no_meeting_updates(world, invitation):
    from outbox.models import OutboxMessage

    inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=True)
    OutboxMessage.objects.all().delete()

    inv.notify_meeting_changed(world.thematic)

    assert not OutboxMessage.objects.filter(recipient_email=invitation.email).exists()


def test_a_calendar_answering_again_keeps_the_organisers_minutes_only_but_a_new_accept_restores(
    world, invitation
):
    inv.answer(target=invitation, partstat=PartStat.ACCEPTED)
    inv.change_role(invitation=invitation, role=InvitationRole.MINUTES_ONLY, by=world.users["coordinator"])

    inv.answer(target=invitation, partstat=PartStat.ACCEPTED)  # their calendar, answering the update
    kept = invitation.role
    inv.answer(target=invitation, partstat=PartStat.DECLINED, minutes_only=True)
    inv.answer(target=invitation, partstat=PartStat.ACCEPTED)  # later, from their calendar: coming after all

    assert kept == InvitationRole.MINUTES_ONLY
    invitation.refresh_from_db()
    assert (invitation.role, invitation.partstat) == (InvitationRole.PARTICIPANT, PartStat.ACCEPTED)
