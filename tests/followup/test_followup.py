"""Action reminders, the weekly overdue digest, closing reminders and feedback e-mails: each sent
once, none carrying an action's description (it may name a situation)."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.attendance.services import roll_call as att
from meetings.followup import notices
from meetings.followup.models import Action, ActionStatus, Feedback
from meetings.followup.services import outcomes as out
from meetings.followup.services import reminders as followup
from outbox.models import OutboxMessage
from tests.mail import html_body, text_body

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_DESCRIPTION = "Appeler la sœur de Monsieur Z. pour le logement"


def give_action(world, due: date, owner="member"):
    return Action.objects.create(
        origin=world.concertation,
        description=SECRET_DESCRIPTION,
        owner=world.users[owner],
        due_date=due,
        created_by=world.users["facilitator"],
    )


def test_reminder_two_days_before_the_due_date_goes_once(world):
    due = date(2031, 3, 12)
    action = give_action(world, due)
    mail.outbox.clear()

    early = followup.send_action_reminders(today=date(2031, 3, 9))
    first = followup.send_action_reminders(today=date(2031, 3, 10))
    second = followup.send_action_reminders(today=date(2031, 3, 11))

    assert (early, first, second) == (0, 1, 0)
    assert [m.to for m in mail.outbox] == [["member@example.test"]]
    message = mail.outbox[0]
    assert "12 mars 2031" in message.subject
    for body in (text_body(message), html_body(message)):
        assert SECRET_DESCRIPTION not in body
        assert "Monsieur Z." not in body
        assert "Concertation clinique" in body
        assert reverse("followup:actions") in body
    action.refresh_from_db()
    assert action.reminder_sent_at is not None


def test_no_reminder_for_an_action_already_done(world):
    action = give_action(world, date(2031, 3, 12))
    action.status = ActionStatus.DONE
    action.save()
    mail.outbox.clear()

    assert followup.send_action_reminders(today=date(2031, 3, 11)) == 0
    assert mail.outbox == []


def test_weekly_digest_lists_overdue_actions_once_a_week(world):
    give_action(world, date(2031, 3, 1))
    give_action(world, date(2031, 3, 5))
    give_action(world, date(2031, 3, 30))  # not overdue
    give_action(world, date(2031, 3, 2), owner="pending")
    mail.outbox.clear()

    def on(day):
        with time_machine.travel(day.isoformat() + " 08:30 +01:00"):
            return followup.send_overdue_digests()

    monday, tuesday, next_monday = on(date(2031, 3, 10)), on(date(2031, 3, 11)), on(date(2031, 3, 17))

    assert (monday, tuesday, next_monday) == (2, 0, 2)
    to_member = [m for m in mail.outbox if m.to == ["member@example.test"]]
    assert len(to_member) == 2
    assert to_member[0].subject == "2 actions en retard"
    body = text_body(to_member[0])
    assert "1 mars 2031" in body and "5 mars 2031" in body and "30 mars 2031" not in body
    for part in (to_member[0].subject, text_body(to_member[0]), html_body(to_member[0])):
        assert SECRET_DESCRIPTION not in part
        assert "Monsieur Z." not in part


def test_facilitator_is_reminded_of_a_meeting_left_open_72_hours(world):
    meeting = world.concertation
    mail.outbox.clear()

    about_it = OutboxMessage.objects.about(meeting=meeting.pk).filter(kind="close_reminder")

    with time_machine.travel(meeting.end + timedelta(hours=71)):
        followup.send_close_reminders()
        early = about_it.count()
    with time_machine.travel(meeting.end + timedelta(hours=73)):
        followup.send_close_reminders()
        followup.send_close_reminders()

    assert (early, about_it.count()) == (0, 1)
    sent = [m for m in mail.outbox if "Concertation clinique" in m.subject]
    assert [m.to for m in sent] == [["facilitator@example.test"]]
    assert sent[0].subject.startswith("À clôturer : Concertation clinique")
    for part in (sent[0].subject, text_body(sent[0]), html_body(sent[0])):
        assert "Monsieur Z." not in part
        assert "Concertation clinique" in part


def test_closing_asks_those_present_for_feedback_and_one_click_records_it(client, world):
    meeting, facilitator = world.concertation, world.users["facilitator"]
    with time_machine.travel(meeting.start, tick=False):
        att.record_roll_call(
            meeting=meeting,
            by=facilitator,
            marks={
                f"u{world.users['member'].pk}": att.Mark("present"),
                f"u{facilitator.pk}": att.Mark("present"),
            },
        )
    mail.outbox.clear()
    with time_machine.travel(meeting.end + timedelta(hours=1), tick=False):
        out.outcome_record(meeting=meeting, by=facilitator, summary="Sortie préparée.")
        out.meeting_close(meeting=meeting, by=facilitator)

    assert sorted(m.to[0] for m in mail.outbox) == ["facilitator@example.test", "member@example.test"]
    to_member = next(m for m in mail.outbox if m.to == ["member@example.test"])
    for part in (to_member.subject, text_body(to_member), html_body(to_member)):
        assert "Monsieur Z." not in part
        assert "Concertation clinique" in part
    for body in (text_body(to_member), html_body(to_member)):
        assert "Cette réunion vous a-t-elle été utile" in body
    link = next(
        line.split(" : ", 1)[1] for line in text_body(to_member).splitlines() if line.startswith("4/5")
    )
    path = link.split("://", 1)[1].split("/", 1)[1]

    with time_machine.travel(meeting.end + timedelta(hours=2)):
        opened = client.get("/" + path)  # what a mail scanner does too: nothing is recorded
        recorded_on_open = Feedback.objects.count()
        sent = client.post("/" + path, {"score": "4", "comment": ""})
        changed = client.post("/" + path, {"score": "3", "comment": "Un peu long"})

    assert opened.status_code == sent.status_code == changed.status_code == 200
    assert opened.context["form"].initial["score"] == 4
    assert recorded_on_open == 0
    assert Feedback.objects.count() == 1
    assert (Feedback.objects.get().score, Feedback.objects.get().comment) == (3, "Un peu long")
    # The link is encrypted: it does not show whose answer it is, nor the score.
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert '"u"' not in token and "member" not in token and len(token) > 80
    assert OutboxMessage.objects.filter(kind="feedback").count() == 2


def test_tampered_feedback_link_is_a_404(client, world):
    assert client.get(reverse("followup:feedback_link", args=["bogus"])).status_code == 404


def test_meetings_ended_long_ago_are_not_chased(world):
    meeting = world.concertation

    with time_machine.travel(meeting.end + timedelta(days=45)):
        followup.send_close_reminders()

    assert not OutboxMessage.objects.about(meeting=meeting.pk).filter(kind="close_reminder").exists()


def test_an_invited_facilitator_is_reminded_and_sees_the_meeting_to_close(client, world):
    from meetings.models import Invitation, InvitationRole
    from tests.factories import OrganisationFactory, professional_in

    meeting = world.concertation
    chair = professional_in(OrganisationFactory(), email="chair@example.test")
    Invitation.objects.create(meeting=meeting, user=chair, email=chair.email, role=InvitationRole.FACILITATOR)
    client.force_login(chair)
    mail.outbox.clear()

    with time_machine.travel(meeting.end + timedelta(hours=73)):
        followup.send_close_reminders()
        page = client.get(reverse("followup:actions")).content.decode()

    reminded = sorted(
        m.to[0] for m in mail.outbox if m.subject.startswith("À clôturer : Concertation clinique")
    )
    assert reminded == ["chair@example.test", "facilitator@example.test"]
    to_close = page[page.index('id="meetings-to-close"') :]
    assert reverse("meetings:meeting", args=[meeting.pk]) in to_close


def test_who_facilitates_reads_the_same_from_either_side(world):
    from meetings import rules
    from meetings.models import Invitation, InvitationRole, Meeting

    chair = world.users["outsider"]
    Invitation.objects.create(
        meeting=world.concertation, user=chair, email=chair.email, role=InvitationRole.FACILITATOR
    )
    meetings = Meeting.objects.filter(pk__in=[world.session.pk, world.thematic.pk, world.concertation.pk])

    by_meeting = rules.facilitators_by_meeting(meetings)
    for meeting in meetings:
        for user in world.users.values():
            facilitates = rules.is_facilitator(user, meeting)
            assert facilitates == (user in by_meeting.get(meeting.pk, []))
            assert facilitates == meetings.filter(rules.meetings_facilitated_by(user), pk=meeting.pk).exists()
    assert {pk: sorted(u.email for u in users) for pk, users in by_meeting.items()} == {
        world.session.pk: ["facilitator@example.test"],
        world.thematic.pk: ["coord@example.test"],
        world.concertation.pk: ["facilitator@example.test", "outsider@example.test"],
    }


def closed_with_feedback_requested(world):
    meeting, facilitator = world.concertation, world.users["facilitator"]
    with time_machine.travel(meeting.start, tick=False):
        att.record_roll_call(
            meeting=meeting, by=facilitator, marks={f"u{world.users['member'].pk}": att.Mark("present")}
        )
    with time_machine.travel(meeting.end + timedelta(hours=1), tick=False):
        out.outcome_record(meeting=meeting, by=facilitator, summary="Sortie préparée.")
        out.meeting_close(meeting=meeting, by=facilitator)
    return meeting, OutboxMessage.objects.about(user=world.users["member"].pk).get(kind="feedback")


def test_an_expired_feedback_link_is_a_404(client, world):
    meeting, request = closed_with_feedback_requested(world)
    with time_machine.travel(meeting.end + timedelta(hours=2), tick=False):
        path = notices.feedback_link_path(request, 4)

    with time_machine.travel(meeting.end + timedelta(hours=2), tick=False):
        fresh = client.get(path)
    with time_machine.travel(
        meeting.end + timedelta(hours=2, seconds=notices.FEEDBACK_MAX_AGE + 1), tick=False
    ):
        expired = client.get(path)
        posted = client.post(path, {"score": "4", "comment": ""})

    assert (fresh.status_code, expired.status_code, posted.status_code) == (200, 404, 404)
    assert not Feedback.objects.exists()


def test_a_feedback_link_whose_e_mail_is_deleted_is_a_404(client, world):
    meeting, request = closed_with_feedback_requested(world)
    path = notices.feedback_link_path(request, 4)
    # A link in the old form, without its row: it stands as long as a request to that person does.
    old_form = reverse(
        "followup:feedback_link",
        kwargs={
            "token": notices._feedback_cipher()
            .encrypt(json.dumps({"m": meeting.pk, "u": request.refs["user"], "s": 4}).encode())
            .decode()
        },
    )

    with time_machine.travel(meeting.end + timedelta(hours=2)):
        before = (client.get(path).status_code, client.get(old_form).status_code)
        request.delete()
        after = (client.get(path).status_code, client.post(path, {"score": "4"}).status_code)
        old_after = client.get(old_form).status_code

    assert before == (200, 200)
    assert after == (404, 404)
    assert old_after == 404
    assert not Feedback.objects.exists()
