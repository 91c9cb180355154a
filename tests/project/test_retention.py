"""The retention table of the README, row by row: each row's periodic task (run by its beat name)
purges what is past its limit and keeps what is within it."""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from audit.models import AccessRecord
from audit.services import record_read
from meetings.calendar.models import FeedSubscription
from meetings.calendar.services.subscriptions import subscription_create, subscription_revoke
from meetings.followup.models import Feedback
from meetings.kinds import Kind
from meetings.models import Meeting, MeetingStatus
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from meetings.situations.models import Note, Situation
from meetings.situations.services import situations as situation_services
from meetings.vignettes.models import Vignette, VignetteStatus, retention_end
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.situations.world import NOTE_TEXT, build_situation_world
from worker.celery import app

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(task_name: str) -> int:
    """Run the task the beat schedule names, as the worker would."""
    assert task_name in {entry["task"] for entry in app.conf.beat_schedule.values()}
    return app.tasks[task_name].apply().get()


def readme_rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    table = text.split("What is kept, and for how long", 1)[1].split("\n\n", 2)[1]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_every_row_of_the_readme_table_is_a_scheduled_task_with_its_setting():
    rows = readme_rows()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    example = (ROOT / ".env.example").read_text()

    assert len(rows) == 6
    for _data, _kept, setting, task in rows:
        [name] = re.findall(r"`([a-z_.]+)`", task)
        assert name in scheduled and name in app.tasks, name
        for variable in re.findall(r"`([A-Z_]+)`", setting):
            assert hasattr(settings, variable) and f"\n{variable}=" in example, variable


def ended_ago(world, **ago) -> Meeting:
    """An open network meeting that ended this long ago."""
    end = timezone.now() - timedelta(**ago)
    start = local_start(timezone.localtime(end).date(), time(9, 0))
    start = min(start, end - timedelta(hours=1))
    meeting = meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Rencontre passée",
        start=start,
        end=start + timedelta(hours=1),
        organiser=world.users["coordinator"],
        purpose="Bilan.",
        place="CPAS",
    )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting


def test_vignettes_lose_their_text_seven_days_after_the_meeting(world):
    texts = {}
    for days in (8, 6):
        meeting = ended_ago(world, days=days)
        texts[days] = Vignette.objects.create(
            meeting=meeting,
            author=world.users["coordinator"],
            title="Un refus de soins",
            text=f"Texte de la vignette d'il y a {days} jours.",
            status=VignetteStatus.SHARED,
            shared_at=meeting.start,
            readable_until=retention_end(meeting),
        )

    assert run("meetings.purge_vignettes") == 1

    past, within = (Vignette.objects.get(pk=texts[d].pk) for d in (8, 6))
    assert (past.status, past.text) == (VignetteStatus.PURGED, "")
    assert (within.status, within.text) == (VignetteStatus.SHARED, "Texte de la vignette d'il y a 6 jours.")


def test_situation_notes_are_emptied_twelve_months_after_closing():
    sworld = build_situation_world()
    situation_services.status_change(situation=sworld.situation, status="closed", by=sworld.users["referent"])
    closed = Situation.objects.filter(pk=sworld.situation.pk)

    closed.update(closed_at=timezone.now() - relativedelta(months=11))
    assert run("situations.purge_closed_situations") == 0
    assert Note.objects.filter(situation=sworld.situation, text=NOTE_TEXT).exists()

    closed.update(closed_at=timezone.now() - relativedelta(months=12, days=1))
    assert run("situations.purge_closed_situations") == 1
    assert not Note.objects.filter(situation=sworld.situation).exclude(text="").exists()
    assert Note.objects.filter(situation=sworld.situation).count() == 2  # dated and counted


def test_the_access_log_forgets_reads_after_two_years(world):
    reader = world.users["member"]
    old = record_read(reader=reader, subject="meeting:1", item="outcome")
    recent = record_read(reader=reader, subject="meeting:1", item="outcome")
    AccessRecord.objects.filter(pk=old.pk).update(read_at=timezone.now() - timedelta(days=731))
    AccessRecord.objects.filter(pk=recent.pk).update(read_at=timezone.now() - timedelta(days=729))

    assert run("audit.purge_access_log") == 1

    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_outbox_bodies_are_emptied_once_a_row_is_final(world):
    rows = {
        status: outbox.queue(
            kind="allauth",
            recipient_email=f"{status}@example.test",
            subject="Réinitialisation",
            body_text="https://concertation.test/reset/secret-key/",
        )
        for status in (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SUPERSEDED, OutboxStatus.QUEUED)
    }
    for status, row in rows.items():  # settled some other way than by the worker (an admin, a script)
        OutboxMessage.objects.filter(pk=row.pk).update(status=status)

    assert run("outbox.empty_final_bodies") == 3

    bodies = dict(OutboxMessage.objects.values_list("status", "body_text"))
    assert bodies == {
        OutboxStatus.SENT: "",
        OutboxStatus.FAILED: "",
        OutboxStatus.SUPERSEDED: "",
        OutboxStatus.QUEUED: "https://concertation.test/reset/secret-key/",
    }


def test_revoked_subscriptions_are_deleted_thirty_days_after(world):
    user = world.users["member"]
    now = timezone.now()
    made = {label: subscription_create(user=user, label=label)[0] for label in ("ancien", "récent", "actif")}
    subscription_revoke(subscription=made["ancien"], now=now - timedelta(days=31))
    subscription_revoke(subscription=made["récent"], now=now - timedelta(days=29))

    assert run("calendar.purge_revoked_subscriptions") == 1

    assert set(FeedSubscription.objects.values_list("label", flat=True)) == {"récent", "actif"}


def test_feedback_comments_are_emptied_twelve_months_after_the_meeting(world):
    old = ended_ago(world, days=370)
    recent = ended_ago(world, days=330)
    for meeting in (old, recent):
        Feedback.objects.create(
            meeting=meeting, respondent=f"r{meeting.pk}", score=4, comment="Bien préparé."
        )

    assert run("followup.purge_feedback_comments") == 1

    assert Feedback.objects.get(meeting=old).comment == ""
    assert Feedback.objects.get(meeting=old).score == 4  # the figures remain
    assert Feedback.objects.get(meeting=recent).comment == "Bien préparé."
