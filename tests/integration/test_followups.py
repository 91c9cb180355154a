"""Follow-up nudges through the real beat tasks on a real worker: each e-mail once."""

import time
from datetime import timedelta

from django.utils import timezone

from meetings.followup.models import Action
from outbox.models import OutboxMessage, OutboxStatus
from tests.world import build_world
from worker.tasks import send_action_digests, send_followups


def test_action_reminder_and_overdue_digest_go_out_once_through_the_worker(celery_worker, smtp_inbox):
    world = build_world()
    today = timezone.localdate()
    for description, due in [
        ("Rappeler le CPAS", today + timedelta(days=2)),
        ("Envoyer la fiche", today - timedelta(days=3)),
    ]:
        Action.objects.create(
            origin=world.concertation,
            description=description,
            owner=world.users["member"],
            due_date=due,
            created_by=world.users["facilitator"],
        )

    # Beat may fire twice (a restart, two schedulers by mistake): nothing is sent twice.
    for _ in range(2):
        send_followups.delay()
        send_action_digests.delay()
    received = smtp_inbox.wait_for(2)
    time.sleep(3)  # a duplicate would arrive by now

    subjects = sorted(str(m["Subject"]) for m in smtp_inbox.messages)
    assert len(smtp_inbox.messages) == 2
    assert {str(m["To"]) for m in received} == {"member@example.test"}
    assert subjects[0] == "1 action en retard"
    assert subjects[1].startswith("Action à faire pour le ")
    for message in received:
        text = message.get_body(("plain",)).get_content()
        assert "Rappeler le CPAS" not in text and "Envoyer la fiche" not in text
    assert OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count() == 0
