from datetime import time, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services import invitations as inv
from meetings.services.meetings import agenda_replace, meeting_create
from meetings.services.reminders import send_due_reminders

pytestmark = pytest.mark.django_db(transaction=True)


def test_reminder_goes_once_to_those_who_accepted_or_did_not_answer(world):
    agenda_replace(meeting=world.thematic, items=[{"title": "Accueil", "planned_minutes": 10}])
    a, _b, c = inv.invite_to_meeting(
        meeting=world.thematic,
        invitees=[inv.guest("yes@example.be"), inv.guest("silent@example.be"), inv.guest("no@example.be")],
    )
    inv.answer(target=a, partstat="ACCEPTED")
    inv.answer(target=c, partstat="DECLINED")
    mail.outbox.clear()
    two_days_before = world.thematic.start - timedelta(hours=47)

    with time_machine.travel(world.thematic.start - timedelta(hours=50)):
        too_early = send_due_reminders()
    with time_machine.travel(two_days_before):
        first = send_due_reminders()
        second = send_due_reminders()

    assert (too_early, first, second) == (0, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["silent@example.be", "yes@example.be"]
    assert all(m.subject.startswith("Rappel") for m in mail.outbox)


def test_facilitator_is_asked_to_prepare_an_empty_agenda(world):
    start = local_start(timezone.localdate() + timedelta(days=10), time(9, 30))
    meeting = meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Sans ordre du jour",
        start=start,
        end=start + timedelta(hours=2),
        organiser=world.users["coordinator"],
        place="CPAS",
    )

    with time_machine.travel(start - timedelta(hours=71)):
        sent = send_due_reminders()
        again = send_due_reminders()

    preparation = [m for m in mail.outbox if m.subject.startswith("À préparer")]
    assert (sent, again) == (1, 0)
    assert [m.to for m in preparation] == [[world.users["coordinator"].email]]
    assert meeting.title in preparation[0].subject


def test_kinds_without_requirements_get_no_preparation_reminder(world):
    with time_machine.travel(world.session.start - timedelta(hours=70)):
        send_due_reminders()

    assert [m for m in mail.outbox if m.subject.startswith("À préparer")] == []
