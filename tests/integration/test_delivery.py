"""Invitations through a real worker on Redis to a real SMTP server: every e-mail exactly once."""

import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.kinds import Kind
from meetings.recurrence import first_occurrence, local_start
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_cancel
from meetings.services.series import rule_from, series_create, series_split
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.mail import calendar_part
from tests.world import build_world

PEOPLE = 200


def guests(count: int) -> list:
    return [inv.guest(f"person{i:03d}@example.be", f"Personne {i}") for i in range(count)]


def addresses(messages) -> list[str]:
    return sorted(str(m["To"]) for m in messages)


@pytest.fixture
def series(transactional_db):
    world = build_world()
    return series_create(
        network=world.network,
        kind=Kind.INTERVISION,
        title="Intervision du jeudi",
        dtstart=first_occurrence(
            "FREQ=MONTHLY;BYDAY=+3TH", local_start(timezone.localdate() + timedelta(days=7), clock(12, 30))
        ),
        duration=timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=+3TH",
        organiser=world.users["coordinator"],
        place="Maison médicale",
    )


def sweep_everything() -> None:
    """What the periodic sweeper does, without waiting for its grace minute."""
    outbox.sweep(now=timezone.now() + timedelta(minutes=2), stuck_after=timedelta(0))


def test_series_invitation_update_and_cancellation_reach_everyone_once(
    celery_worker, smtp_inbox, series, settings
):
    settings.OUTBOX_UPDATE_DELAY_SECONDS = 1

    inv.invite_to_series(series=series, invitees=guests(PEOPLE))
    invitations = smtp_inbox.wait_for(PEOPLE)

    assert addresses(invitations) == sorted(f"person{i:03d}@example.be" for i in range(PEOPLE))
    for message in invitations:
        method, cal = calendar_part(message)
        master = cal.walk("VEVENT")[0]
        assert method == "REQUEST"
        assert str(master["UID"]) == series.uid
        assert master["RRULE"].to_ical().decode() == "FREQ=MONTHLY;BYDAY=+3TH"
        assert int(master["SEQUENCE"]) == 0

    first = series.occurrences.order_by("start").first()
    series_split(
        occurrence=first,
        dtstart=first.start + timedelta(hours=1),
        duration=series.duration,
        rrule=rule_from(series, first),
        changes={},
    )
    updates = smtp_inbox.wait_for(2 * PEOPLE)[PEOPLE:]

    assert addresses(updates) == addresses(invitations)
    assert {int(calendar_part(m)[1].walk("VEVENT")[0]["SEQUENCE"]) for m in updates} == {1}

    occurrence = series.occurrences.order_by("start")[1]
    meeting_cancel(meeting=occurrence)
    cancels = smtp_inbox.wait_for(3 * PEOPLE)[2 * PEOPLE :]

    assert addresses(cancels) == addresses(invitations)
    assert {calendar_part(m)[0] for m in cancels} == {"CANCEL"}
    time.sleep(1)
    assert len(smtp_inbox.messages) == 3 * PEOPLE
    assert OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count() == 0


def test_worker_killed_mid_batch_still_delivers_each_email_once(start_worker, smtp_inbox, series):
    smtp_inbox.hold_after = 60
    worker = start_worker()

    inv.invite_to_series(series=series, invitees=guests(PEOPLE))
    assert smtp_inbox.arrived.wait(60), "the batch never reached the 61st e-mail"
    worker.kill()  # SIGKILL while the 61st e-mail is in the middle of its SMTP transaction
    smtp_inbox.release.set()
    assert len(smtp_inbox.messages) == 60

    # The killed worker's rows are stuck in "sending": the sweeper hands them back before the new
    # worker starts (with a zero threshold here; 15 minutes in production, longer than any batch).
    sweep_everything()
    start_worker()
    delivered = smtp_inbox.wait_for(PEOPLE)
    time.sleep(2)

    assert addresses(smtp_inbox.messages) == sorted(f"person{i:03d}@example.be" for i in range(PEOPLE))
    assert len(delivered) == PEOPLE
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == PEOPLE


def test_redis_down_while_scheduling_then_up_delivers_everything(
    private_redis, celery_worker, smtp_inbox, series
):
    private_redis.stop()  # the broker (and the cache) of this test and of its worker

    inv.invite_to_series(series=series, invitees=guests(20))  # the broker is down: rows wait

    assert OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).count() == 20
    private_redis.start()
    sweep_everything()

    assert addresses(smtp_inbox.wait_for(20)) == sorted(f"person{i:03d}@example.be" for i in range(20))
    time.sleep(1)
    assert len(smtp_inbox.messages) == 20
