"""Invitations: e-mails with a real calendar part, updates, cancellations, privacy."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from meetings import rsvp
from meetings.models import Invitation, MeetingStatus, PartStat
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_cancel, meeting_update
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.mail import calendar_part, html_body, text_body
from tests.pages import submit
from tests.world import CONCERTATION_TITLE

# Real commits, so that e-mails are dispatched when each service's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_email_is_a_real_calendar_invitation(world):
    guest = inv.guest("ines@example.be", "Inês Ferreira", language="fr")

    inv.invite_to_meeting(meeting=world.thematic, invitees=[guest])

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    method, cal = calendar_part(email)
    event = cal.walk("VEVENT")[0]
    assert method == "REQUEST"
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == world.thematic.uid
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:reponses@concertation.test"
    assert event["ORGANIZER"].params["CN"] == f"{world.users['coordinator'].get_full_name()} via Concertation"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:ines@example.be"
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == ("NEEDS-ACTION", "TRUE")
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert email.to == ["ines@example.be"]
    assert "Rencontre thématique : logement d'abord" in text_body(email)
    assert "/rsvp/meeting/" in html_body(email)


def test_invitation_is_in_the_recipients_language(world):
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("anne@example.be", language="en")])

    body = text_body(mail.outbox[0])
    assert "Your answer, in one click:" in body
    assert "Vous êtes invité" not in body


def test_inviting_twice_sends_one_email(world):
    guest = inv.guest("ines@example.be")

    inv.invite_to_meeting(meeting=world.thematic, invitees=[guest])
    inv.invite_to_meeting(meeting=world.thematic, invitees=[guest, guest])

    assert len(mail.outbox) == 1
    assert world.thematic.invitations.filter(email="ines@example.be").count() == 1


def test_series_invitation_carries_rule_and_exceptions(world):
    series = world.session.series
    second = series.occurrences.order_by("start")[1]
    meeting_cancel(meeting=second)
    mail.outbox.clear()

    inv.invite_to_series(series=series, invitees=[inv.invitee_for(world.users["member"])])

    method, cal = calendar_part(mail.outbox[0])
    master = cal.walk("VEVENT")[0]
    assert method == "REQUEST"
    assert str(master["UID"]) == series.uid
    assert master["RRULE"].to_ical().decode() == "FREQ=MONTHLY;BYDAY=+1TU"
    assert [d.dt for d in master["EXDATE"].dts] == [second.recurrence_id]
    assert Invitation.objects.filter(meeting__series=series, email=world.users["member"].email).count() == (
        series.occurrences.filter(start__gte=timezone.now()).count()
    )


def test_drafts_notify_nobody_until_scheduled(world):
    meeting = world.thematic
    meeting.status = MeetingStatus.DRAFT
    meeting.save()

    inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest("a@example.be"), inv.guest("b@example.be")])
    assert mail.outbox == []

    meeting_update(meeting=meeting, changes={"status": MeetingStatus.SCHEDULED})

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.be", "b@example.be"]


def test_several_edits_go_out_as_one_update(world, settings):
    settings.OUTBOX_UPDATE_DELAY_SECONDS = 180
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    mail.outbox.clear()
    start = world.thematic.start

    meeting_update(
        meeting=world.thematic,
        changes={"start": start + timedelta(hours=1), "end": start + timedelta(hours=3)},
    )
    meeting_update(meeting=world.thematic, changes={"place": "Maison de quartier"})
    assert mail.outbox == []  # waiting for more edits

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox.sweep()

    assert len(mail.outbox) == 1
    _method, cal = calendar_part(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 2
    assert str(event["LOCATION"]) == "Maison de quartier"
    assert mail.outbox[0].subject.startswith("Modifié")


def test_cancellation_sends_cancel(world):
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    mail.outbox.clear()

    meeting_cancel(meeting=world.thematic)

    method, cal = calendar_part(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert method == "CANCEL"
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == world.thematic.uid


def test_cancelling_one_occurrence_cancels_that_instance(world):
    series = world.session.series
    inv.invite_to_series(series=series, invitees=[inv.invitee_for(world.users["member"])])
    mail.outbox.clear()
    occurrence = series.occurrences.order_by("start")[2]

    meeting_cancel(meeting=occurrence)

    method, cal = calendar_part(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert method == "CANCEL"
    assert str(event["UID"]) == series.uid
    assert event["RECURRENCE-ID"].dt == occurrence.recurrence_id


def test_removed_person_gets_a_cancel(world):
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])
    mail.outbox.clear()

    inv.uninvite(invitation=invitation)

    method, _cal = calendar_part(mail.outbox[0])
    assert method == "CANCEL"
    assert mail.outbox[0].to == ["a@example.be"]
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_person_removed_before_the_email_left_gets_nothing(world, settings):
    world.thematic.status = MeetingStatus.DRAFT
    world.thematic.save()
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])

    inv.uninvite(invitation=invitation)

    assert mail.outbox == []


def test_concertation_emails_carry_no_case_material(world):
    inv.invite_to_meeting(
        meeting=world.concertation, invitees=[inv.guest("proche@example.be", role="relative")]
    )

    email = mail.outbox[0]
    _method, cal = calendar_part(email)
    event = cal.walk("VEVENT")[0]
    everything = email.subject + text_body(email) + html_body(email) + cal.to_ical().decode()
    assert str(event["SUMMARY"]) == "Concertation clinique"
    assert CONCERTATION_TITLE not in everything
    assert "Sortie d'hospitalisation" not in everything
    assert world.users["member"].email not in everything  # no other participants
    assert "Maison médicale" in str(event["LOCATION"])


def test_person_roles_are_refused_outside_concertations(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("p@example.be", role="relative")])

    assert "concertation clinique" in error.value.messages[0]
    assert world.thematic.invitations.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_inviting_the_whole_group_from_the_page(client, world):
    client.force_login(world.users["facilitator"])
    url = f"/meetings/{world.session.pk}/invitations/"
    data = {
        "scope": "series",
        "whole_group": "on",
        "people_text": "externe@example.be",
        "role": "participant",
    }

    # A closed group: the member who has not accepted the charter, and the guest, are named first.
    first = client.post(url, data)

    assert first.status_code == 200
    check = first.context["check"]
    assert [u.email for u in check.charter_pending] == ["pending@example.test"]
    assert check.guests == ["externe@example.be"]
    assert world.session.series.invitations.count() == 0
    assert mail.outbox == []

    response = client.post(url, {**data, "warned": check.key})

    assert response.status_code == 302
    series = world.session.series
    assert sorted(series.invitations.values_list("email", flat=True)) == [
        "externe@example.be",
        "facilitator@example.test",
        "member@example.test",
        "pending@example.test",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(series.invitations.values_list("email", flat=True))


def test_bad_guest_addresses_are_refused(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(
        f"/meetings/{world.thematic.pk}/invitations/",
        {"people_text": "ok@example.be\npas-une@adresse, Marie", "role": "participant"},
    )

    body = response.content.decode()
    assert "Adresses non valides : pas-une@adresse" in body
    assert "« Marie » : choisissez la personne dans les résultats de la recherche" in body
    assert world.thematic.invitations.count() == 0
    assert mail.outbox == []


def test_organiser_sees_answers_and_failures(client, world):
    [a, b] = inv.invite_to_meeting(
        meeting=world.thematic,
        invitees=[inv.guest("a@example.be", "Alice"), inv.guest("b@example.be", "Bob")],
    )
    inv.answer(target=a, partstat="ACCEPTED", comment="J'apporte les chiffres du CPAS.")
    OutboxMessage.objects.about(invitation=b.pk).update(
        status=OutboxStatus.FAILED, last_error="550 no such user"
    )
    client.force_login(world.users["coordinator"])

    body = client.get(f"/meetings/{world.thematic.pk}/invitations/").content.decode()

    assert "1 viennent" in body
    assert "1 sans réponse" in body
    assert "J&#x27;apporte les chiffres du CPAS." in body
    assert "550 no such user" in body


def test_resend_to_one_person(client, world):
    [a, _b] = inv.invite_to_meeting(
        meeting=world.thematic, invitees=[inv.guest("a@example.be"), inv.guest("b@example.be")]
    )
    mail.outbox.clear()
    client.force_login(world.users["coordinator"])

    old_link = rsvp.link_path(a, "accept")

    client.post(f"/meetings/{world.thematic.pk}/invitations/{a.pk}/resend/")

    assert [m.to for m in mail.outbox] == [["a@example.be"]]
    # The old e-mail's links are revoked; the new one's work.
    assert client.get(old_link).status_code == 404
    a.refresh_from_db()
    assert client.get(rsvp.link_path(a, "accept")).status_code == 200


def answer_paths(email) -> list[str]:
    """The paths of the one-click answer links in EMAIL."""
    return re.findall(r"/rsvp/\S+/", text_body(email))


def test_resend_to_someone_invited_to_a_series_revokes_the_series_answer_links(client, world):
    series = world.session.series
    [series_invitation] = inv.invite_to_series(series=series, invitees=[inv.guest("a@example.be")])
    occurrence_invitation = world.session.invitations.get(series_invitation=series_invitation)
    [first_email] = mail.outbox
    mail.outbox.clear()
    client.force_login(world.users["facilitator"])

    client.post(f"/meetings/{world.session.pk}/invitations/{occurrence_invitation.pk}/resend/")

    [second_email] = mail.outbox
    assert second_email.to == ["a@example.be"]
    old_links, new_links = answer_paths(first_email), answer_paths(second_email)
    # Accept, maybe, decline, and "envoyez-moi le compte rendu".
    assert len(old_links) == len(new_links) == 4
    # The old e-mail's links are refused and change nothing, for the series or any session.
    client.logout()
    assert [client.get(path).status_code for path in old_links] == [404, 404, 404, 404]
    series_invitation.refresh_from_db()
    sessions = Invitation.objects.filter(series_invitation=series_invitation)
    assert series_invitation.partstat == PartStat.NEEDS_ACTION
    assert set(sessions.values_list("partstat", flat=True)) == {PartStat.NEEDS_ACTION}
    # The new e-mail's links work.
    response = submit(client, client.get(new_links[0]), new_links[0])
    series_invitation.refresh_from_db()
    assert response.status_code == 302
    assert series_invitation.partstat == PartStat.ACCEPTED
    assert set(sessions.values_list("partstat", flat=True)) == {PartStat.ACCEPTED}


def test_in_development_an_invitation_becomes_an_eml_file_with_its_calendar(world, settings, tmp_path):
    settings.EMAIL_BACKEND = "concertation.eml_backend.EmlFileBackend"
    settings.EMAIL_FILE_PATH = tmp_path

    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("a@example.be")])

    [path] = list(tmp_path.glob("*.eml"))
    method, cal = calendar_part(path.read_bytes())
    assert method == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == world.thematic.uid


def test_every_email_about_a_concertation_carries_no_case_material(world, settings):
    """Invitation, update, reminder and cancellation: each e-mail a concertation causes."""
    from meetings.services.reminders import send_due_reminders

    settings.OUTBOX_UPDATE_DELAY_SECONDS = 0
    meeting = world.concertation
    inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest("proche@example.be", role="relative")])
    meeting_update(meeting=meeting, changes={"place": "Maison médicale, salle 2"})
    with time_machine.travel(meeting.start - timedelta(hours=2)):
        send_due_reminders()
    meeting_cancel(meeting=meeting)

    kinds = {m.kind for m in OutboxMessage.objects.about(meeting=meeting.pk)}
    assert {"request", "update", "reminder", "cancel"} <= kinds
    to_relative = [m for m in mail.outbox if m.to == ["proche@example.be"]]
    assert len(to_relative) >= 4
    for email in to_relative:
        parts = [email.subject, email.body, *(content for content, _type in email.alternatives)]
        everything = "".join(str(part) for part in parts)
        assert CONCERTATION_TITLE not in everything
        assert "Sortie d'hospitalisation" not in everything
        assert world.users["member"].email not in everything
        assert "Concertation clinique" in everything
