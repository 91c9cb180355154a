"""The feedback requests: both sides asked 2 days after the visit, reminded once a week later
if still silent, never twice, never who has written, nothing for old visits; the e-mails as
they leave (the link, the services, nothing once written or cancelled); the periodic task."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.exchanges.emails.feedback import FeedbackKind, feedback_url
from meetings.exchanges.models import PlacementStatus
from meetings.exchanges.services.feedback import feedback_write, send_requests
from meetings.models.meetings import MeetingStatus
from outbox.models import OutboxMessage
from outbox.rendering import render
from tests.exchanges.visit_helpers import educator_visit, end_of, nurse_visit, stopped
from tests.mail import html_body, text_body


def sent(kind=None) -> list[tuple[str, int, int]]:
    rows = OutboxMessage.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [(m.kind, m.refs["placement"], m.refs["user"]) for m in rows]


def run(moment) -> int:
    with stopped(moment):
        return send_requests()


def test_nothing_is_asked_a_day_after_the_visit(exchange_world):
    placement = educator_visit(exchange_world)
    assert run(end_of(placement) + timedelta(days=1)) == 0
    assert sent() == []


def test_both_sides_are_asked_once_two_days_after(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    moment = end_of(placement) + timedelta(days=2)

    assert run(moment) == 2
    assert run(moment + timedelta(hours=1)) == 0

    assert sent() == [
        (FeedbackKind.REQUEST, placement.pk, ew.educator.pk),
        (FeedbackKind.REQUEST, placement.pk, ew.mm_manager.pk),
    ]
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"exchange-feedback:{placement.pk}:{u.pk}" for u in (ew.educator, ew.mm_manager)}


def test_the_silent_are_reminded_once_a_week_after_the_request(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    end = end_of(placement)
    run(end + timedelta(days=2))
    feedback_write(
        placement=placement,
        author=ew.educator,
        discovered="Beaucoup.",
        will_change="",
        share_excerpt=False,
        now=end + timedelta(days=3),
    )

    assert run(end + timedelta(days=8)) == 0
    assert run(end + timedelta(days=9)) == 1
    assert run(end + timedelta(days=10)) == 0
    assert run(end + timedelta(days=25)) == 0

    assert sent(FeedbackKind.REMINDER) == [(FeedbackKind.REMINDER, placement.pk, ew.mm_manager.pk)]


def test_who_has_written_is_not_asked(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    end = end_of(placement)
    feedback_write(
        placement=placement,
        author=ew.mm_manager,
        discovered="Un regard neuf.",
        will_change="",
        share_excerpt=False,
        now=end + timedelta(hours=1),
    )
    assert run(end + timedelta(days=2)) == 1
    assert sent() == [(FeedbackKind.REQUEST, placement.pk, ew.educator.pk)]


def test_a_task_started_late_asks_first_and_reminds_a_week_later(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    end = end_of(placement)
    assert run(end + timedelta(days=12)) == 2
    assert run(end + timedelta(days=13)) == 0
    assert run(end + timedelta(days=19)) == 2
    assert len(sent(FeedbackKind.REMINDER)) == 2


def test_visits_older_than_thirty_days_are_left_alone(exchange_world):
    placement = educator_visit(exchange_world)
    assert run(end_of(placement) + timedelta(days=31)) == 0
    assert sent() == []


def test_visits_without_the_undertaking_or_cancelled_are_not_asked(exchange_world):
    ew = exchange_world
    without = educator_visit(ew, accepted=False)
    cancelled = nurse_visit(ew)
    cancelled.meeting.status = MeetingStatus.CANCELLED
    cancelled.meeting.save(update_fields=["status"])
    assert run(end_of(cancelled) + timedelta(days=2)) == 0
    assert run(end_of(without) + timedelta(days=3)) == 0
    assert sent() == []


def test_a_second_run_reads_as_many_queries_for_two_visits_as_for_one(exchange_world):
    ew = exchange_world
    first = educator_visit(ew)
    moment = end_of(nurse_visit(ew)) + timedelta(days=2)  # the later of the two
    with stopped(moment):
        send_requests()
        with CaptureQueriesContext(connection) as two:
            assert send_requests() == 0
    first.status = PlacementStatus.CANCELLED
    first.save(update_fields=["status"])
    with stopped(moment), CaptureQueriesContext(connection) as one:
        assert send_requests() == 0
    assert len(two) == len(one) == 3


# The e-mails as they leave


def test_the_request_names_the_services_the_day_and_the_link(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    run(end_of(placement) + timedelta(days=2))
    message = OutboxMessage.objects.get(refs__user=ew.educator.pk)

    email = render(message)

    assert email.to == [ew.educator.email]
    assert "9 mars 2027" in email.subject
    for body in (text_body(email), html_body(email)):
        assert feedback_url(placement.pk) in body
        assert "Maison médicale du Canal" in body
        assert "Bonjour Eddy Éducateur" in body


def test_the_reminder_renders_with_its_own_templates(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    run(end_of(placement) + timedelta(days=2))
    run(end_of(placement) + timedelta(days=9))
    email = render(OutboxMessage.objects.get(kind=FeedbackKind.REMINDER, refs__user=ew.mm_manager.pk))
    assert email.subject.startswith("Rappel")
    assert feedback_url(placement.pk) in text_body(email)


def test_nothing_leaves_once_written_or_cancelled(exchange_world):
    ew = exchange_world
    placement = educator_visit(ew)
    end = end_of(placement)
    run(end + timedelta(days=2))
    to_educator = OutboxMessage.objects.get(refs__user=ew.educator.pk)
    to_host = OutboxMessage.objects.get(refs__user=ew.mm_manager.pk)
    feedback_write(
        placement=placement,
        author=ew.educator,
        discovered="Oui.",
        will_change="",
        share_excerpt=False,
        now=end,
    )
    assert render(to_educator) is None
    assert render(to_host) is not None

    placement.status = PlacementStatus.CANCELLED
    placement.save(update_fields=["status"])
    assert render(to_host) is None


def test_the_hourly_task_sends_the_requests(exchange_world):
    from worker.celery import app
    from worker.tasks import exchanges_tick

    placement = educator_visit(exchange_world)
    with stopped(end_of(placement) + timedelta(days=2)):
        assert exchanges_tick() == 2
    assert app.conf.beat_schedule["exchanges-tick"] == {"task": "exchanges.tick", "schedule": 3600}
