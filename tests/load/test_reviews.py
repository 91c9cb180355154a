"""The yearly review of a series: opened on its anniversary, asked of its facilitators, reminded
once, the series stopped without an answer, and the answers (keep, shorten, merge, stop)."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meetings.kinds import Kind
from meetings.load import todo
from meetings.load.models import ReviewAnswer, SeriesReview
from meetings.load.notices import ReviewKind
from meetings.load.services import reviews
from meetings.models import Meeting, MeetingStatus, Series
from meetings.recurrence import BRUSSELS, first_occurrence, local_start
from meetings.services.series import series_create, series_extend_horizons
from outbox.models import OutboxMessage
from tests.mail import html_body, text_body
from worker import tasks

pytestmark = pytest.mark.django_db(transaction=True)

# tests/world.py's Balint series begins on Tuesday 1 December 2026.
ANNIVERSARY = date(2027, 12, 1)
DEADLINE = date(2027, 12, 31)
RULE = "FREQ=MONTHLY;BYDAY=+1TU"


def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS)


def run(day: date):
    with time_machine.travel(at(day), tick=False):
        series_extend_horizons()  # the other periodic task, as it runs every six hours
        return reviews.run_reviews()


def asked(kind=ReviewKind.ASK):
    return OutboxMessage.objects.filter(kind=kind)


def sessions(series):
    return set(series.occurrences.values_list("pk", "start", "status"))


@pytest.fixture
def series(world):
    return world.session.series


def post_answer(client, user, series, day, **data):
    with time_machine.travel(at(day, 10), tick=False):
        client.force_login(user)
        return client.post(reverse("load:series_review", args=[series.pk]), data)


def test_the_review_opens_on_the_anniversary_and_not_before(world, series):
    before = run(ANNIVERSARY - timedelta(days=1))
    assert (before.opened, SeriesReview.objects.count()) == (0, 0)

    on_the_day = run(ANNIVERSARY)

    assert on_the_day.opened == 1
    review = SeriesReview.objects.get()
    assert (review.series, review.due_on, review.answer_by) == (series, ANNIVERSARY, DEADLINE)
    assert review.asked_at is not None and review.answer == ""


def test_the_facilitators_are_e_mailed_in_their_language_with_a_link_that_only_opens_the_page(
    client, world, series
):
    facilitator = world.users["facilitator"]
    facilitator.language = "nl"
    facilitator.save()
    mail.outbox.clear()

    run(ANNIVERSARY)

    rows = list(asked())
    # The organiser is the group's facilitator: one person, one e-mail.
    assert [(r.recipient_email, r.language) for r in rows] == [("facilitator@example.test", "nl")]
    assert rows[0].refs == {
        "user": facilitator.pk,
        "review": SeriesReview.objects.get().pk,
        "series": series.pk,
    }
    sent = [m for m in mail.outbox if m.to == ["facilitator@example.test"]]
    assert len(sent) == 1
    link = reverse("load:series_review", args=[series.pk])
    for body in (text_body(sent[0]), html_body(sent[0])):
        assert link in body
        assert "31 december 2027" in body.lower() or "31 décembre 2027" in body
    # The link opens the page; nothing is recorded until the form is sent.
    with time_machine.travel(at(ANNIVERSARY, 9), tick=False):
        client.force_login(facilitator)
        page = client.get(link)
    assert page.status_code == 200
    assert SeriesReview.objects.get().answer == ""


def test_running_the_task_again_opens_and_asks_once(world, series):
    with time_machine.travel(at(ANNIVERSARY), tick=False):
        first, second = tasks.review_series.delay().get(), tasks.review_series.delay().get()
    assert (first, second) == (1, 0)
    assert SeriesReview.objects.count() == 1
    assert asked().count() == 1


def test_one_reminder_a_week_before_the_deadline(world, series):
    run(ANNIVERSARY)
    early = run(DEADLINE - timedelta(days=8))
    on_time = run(DEADLINE - timedelta(days=7))
    again = run(DEADLINE - timedelta(days=6))

    assert (early.reminded, on_time.reminded, again.reminded) == (0, 1, 0)
    reminders = list(asked(ReviewKind.REMIND))
    assert [r.recipient_email for r in reminders] == ["facilitator@example.test"]
    assert SeriesReview.objects.get().reminded_at is not None


def test_no_answer_within_30_days_stops_the_series_and_keeps_its_sessions(world, series):
    run(ANNIVERSARY)
    run(DEADLINE - timedelta(days=1))
    assert SeriesReview.objects.get().stopped_at is None
    made = sessions(series)

    stopped = run(DEADLINE)

    assert stopped.stopped == 1
    review = SeriesReview.objects.get()
    assert review.stopped_at is not None and review.rule_before_stop == RULE
    series.refresh_from_db()
    assert "UNTIL=" in series.rrule
    assert sessions(series) == made  # nothing cancelled, nothing moved
    # Months later, the horizon moves on and no session is made.
    run(date(2028, 6, 1))
    assert sessions(series) == made
    assert run(DEADLINE + timedelta(days=1)).stopped == 0
    # And no review is opened any more.
    run(date(2028, 12, 1))
    assert SeriesReview.objects.count() == 1


def test_keep_renews_the_review_a_year_later(client, world, series):
    run(ANNIVERSARY)
    response = post_answer(client, world.users["facilitator"], series, date(2027, 12, 5), answer="keep")

    assert response.status_code == 302
    review = SeriesReview.objects.get()
    assert (review.answer, review.answered_by) == (ReviewAnswer.KEEP, world.users["facilitator"])
    assert run(DEADLINE).stopped == 0
    series.refresh_from_db()
    assert series.rrule == RULE
    assert run(date(2028, 11, 30)).opened == 0
    assert run(date(2028, 12, 1)).opened == 1
    assert list(SeriesReview.objects.values_list("due_on", flat=True)) == [ANNIVERSARY, date(2028, 12, 1)]


def test_a_late_keep_gives_the_series_its_sessions_back(client, world, series):
    run(ANNIVERSARY)
    run(DEADLINE)
    count_stopped = series.occurrences.count()

    post_answer(client, world.users["facilitator"], series, date(2028, 1, 10), answer="keep")

    series.refresh_from_db()
    assert series.rrule == RULE
    assert series.occurrences.count() > count_stopped
    assert run(date(2028, 12, 1)).opened == 1


def test_shorten_needs_a_reason_and_points_to_the_edit_of_the_sessions_to_come(client, world, series):
    run(ANNIVERSARY)
    facilitator = world.users["facilitator"]

    refused = post_answer(client, facilitator, series, date(2027, 12, 5), answer="shorten", reason="  ")
    assert refused.status_code == 200
    assert "Dites en quelques mots pourquoi." in refused.content.decode()
    assert SeriesReview.objects.get().answer == ""

    post_answer(client, facilitator, series, date(2027, 12, 5), answer="shorten", reason="Une heure suffit.")
    with time_machine.travel(at(date(2027, 12, 5), 11), tick=False):
        page = client.get(reverse("load:series_review", args=[series.pk]))

    review = SeriesReview.objects.get()
    assert (review.answer, review.reason) == (ReviewAnswer.SHORTEN, "Une heure suffit.")
    series.refresh_from_db()
    assert series.rrule == RULE  # the series goes on
    next_session = series.occurrences.filter(start__gte=at(date(2027, 12, 5))).order_by("start").first()
    assert reverse("meetings:meeting_edit", args=[next_session.pk]) in page.content.decode()
    assert reverse("meetings:group_series_create", args=[world.group.pk]) in page.content.decode()


def other_series(world, network=None, title="Rencontre mensuelle du réseau"):
    rule = "FREQ=MONTHLY;BYDAY=+3WE"
    with time_machine.travel(at(date(2027, 12, 2), 8), tick=False):
        return series_create(
            network=network or world.network,
            kind=Kind.THEMATIC,
            title=title,
            dtstart=first_occurrence(rule, local_start(date(2027, 12, 3), time(9, 30))),
            duration=timedelta(hours=2),
            rrule=rule,
            organiser=world.users["coordinator"] if network is None else world.users["other_coordinator"],
        )


def test_merge_records_the_other_series_and_stops_this_one(client, world, series):
    run(ANNIVERSARY)
    other = other_series(world)
    made = sessions(series)

    post_answer(
        client,
        world.users["facilitator"],
        series,
        date(2027, 12, 5),
        answer="merge",
        merge_with=other.pk,
        reason="Les mêmes personnes s'y retrouvent.",
    )

    review = SeriesReview.objects.get()
    assert (review.answer, review.merge_with) == (ReviewAnswer.MERGE, other)
    series.refresh_from_db()
    assert "UNTIL=" in series.rrule and review.rule_before_stop == RULE
    assert sessions(series) == made
    other.refresh_from_db()
    assert "UNTIL=" not in other.rrule  # the other series goes on
    run(date(2028, 12, 1))
    assert SeriesReview.objects.filter(series=series).count() == 1


@pytest.mark.parametrize("which", ["none", "other_network"])
def test_merge_without_a_series_of_the_same_network_is_refused_and_changes_nothing(
    client, world, series, which
):
    run(ANNIVERSARY)
    merge_with = "" if which == "none" else other_series(world, world.other_network, "Ailleurs").pk
    mail.outbox.clear()
    outbox_before = OutboxMessage.objects.count()

    response = post_answer(
        client,
        world.users["facilitator"],
        series,
        date(2027, 12, 5),
        answer="merge",
        merge_with=merge_with,
        reason="On fusionne.",
    )

    expected = (
        "Choisissez la série avec laquelle fusionner."
        if which == "none"
        else "On ne peut fusionner qu&#x27;avec une série du même réseau."
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    review = SeriesReview.objects.get()
    assert (review.answer, review.reason, review.merge_with, review.answered_at) == ("", "", None, None)
    series.refresh_from_db()
    assert series.rrule == RULE
    assert OutboxMessage.objects.count() == outbox_before


def test_stop_ends_the_series_and_points_to_the_cancellation_of_the_sessions_to_come(client, world, series):
    run(ANNIVERSARY)
    made = sessions(series)

    post_answer(
        client,
        world.users["facilitator"],
        series,
        date(2027, 12, 5),
        answer="stop",
        reason="Plus de demande.",
    )
    with time_machine.travel(at(date(2027, 12, 5), 11), tick=False):
        page = client.get(reverse("load:series_review", args=[series.pk])).content.decode()

    series.refresh_from_db()
    assert "UNTIL=" in series.rrule
    assert sessions(series) == made
    next_session = (
        series.occurrences.filter(start__gte=at(date(2027, 12, 5)), status=MeetingStatus.SCHEDULED)
        .order_by("start")
        .first()
    )
    assert reverse("meetings:meeting", args=[next_session.pk]) in page
    assert "Annuler toute la série" in page
    run(date(2028, 6, 1))
    assert sessions(series) == made


def test_an_answer_is_given_once(client, world, series):
    run(ANNIVERSARY)
    facilitator = world.users["facilitator"]
    post_answer(client, facilitator, series, date(2027, 12, 5), answer="keep")
    post_answer(client, facilitator, series, date(2027, 12, 6), answer="stop", reason="Finalement non.")
    assert SeriesReview.objects.get().answer == ReviewAnswer.KEEP
    series.refresh_from_db()
    assert series.rrule == RULE


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("facilitator", 200),
        ("coordinator", 200),
        ("member", 403),  # sees the group's series, does not run it
        ("outsider", 404),  # a closed group's series
        ("other_coordinator", 404),
    ],
)
def test_who_may_open_and_answer_the_review(client, world, series, role, status):
    run(ANNIVERSARY)
    url = reverse("load:series_review", args=[series.pk])
    with time_machine.travel(at(date(2027, 12, 5), 10), tick=False):
        client.force_login(world.users[role])
        shown = client.get(url)
        answered = client.post(url, {"answer": "stop", "reason": "Essai"})

    assert shown.status_code == status
    if status == 200:
        assert series.title in shown.content.decode()
        assert answered.status_code == 302
        assert SeriesReview.objects.get().answer == ReviewAnswer.STOP
    else:
        assert answered.status_code == status
        assert SeriesReview.objects.get().answer == ""


def test_a_visitor_without_a_session_is_sent_to_log_in(client, world, series):
    run(ANNIVERSARY)
    response = client.get(reverse("load:series_review", args=[series.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_opening_the_page_changes_nothing(client, world, series):
    run(ANNIVERSARY)
    run(DEADLINE)  # stopped, so that a late answer would change the rule
    before = (
        list(SeriesReview.objects.values()),
        Series.objects.get(pk=series.pk).rrule,
        OutboxMessage.objects.count(),
        Meeting.objects.count(),
    )
    with time_machine.travel(at(date(2028, 1, 5), 10), tick=False):
        client.force_login(world.users["facilitator"])
        page = client.get(reverse("load:series_review", args=[series.pk]))
        client.head(reverse("load:series_review", args=[series.pk]))
    after = (
        list(SeriesReview.objects.values()),
        Series.objects.get(pk=series.pk).rrule,
        OutboxMessage.objects.count(),
        Meeting.objects.count(),
    )
    assert before == after
    content = page.content.decode()
    assert 'id="review-stopped"' in content
    assert "31 décembre 2027" in content  # the deadline


def test_the_page_shows_the_year_of_sessions(client, world, series):
    run(ANNIVERSARY)
    first = series.occurrences.order_by("start").first()
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.CANCELLED)
    with time_machine.travel(at(date(2027, 12, 5), 10), tick=False):
        client.force_login(world.users["facilitator"])
        page = client.get(reverse("load:series_review", args=[series.pk]))
    summary = page.context["summary"]
    # December 2026 to November 2027: twelve first Tuesdays, one cancelled.
    assert (summary.held, summary.cancelled) == (11, 1)
    assert "11 séances depuis le 1 décembre 2026" in page.content.decode()


def test_the_reviews_waiting_are_on_the_home_page(client, world, series):
    run(ANNIVERSARY)
    with time_machine.travel(at(date(2027, 12, 5), 10), tick=False):
        for role, expected in [("facilitator", 1), ("coordinator", 1), ("member", 0), ("outsider", 0)]:
            items = todo.reviews(world.users[role], now=at(date(2027, 12, 5), 10))
            assert [i.kind for i in items] == ["series_review"] * expected, role
        client.force_login(world.users["facilitator"])
        home = client.get("/").content.decode()
    assert reverse("load:series_review", args=[series.pk]) in home


def test_the_home_page_list_reads_in_one_query(world, series, django_assert_num_queries):
    run(ANNIVERSARY)
    facilitator = world.users["facilitator"]
    now = at(date(2027, 12, 5), 10)
    with django_assert_num_queries(1):
        few = todo.reviews(facilitator, now=now)
    for title in ("Deuxième série", "Troisième série"):
        rule = "FREQ=MONTHLY;BYDAY=+2TU"
        with time_machine.travel(at(date(2026, 11, 20)), tick=False):
            more = series_create(
                network=world.network,
                kind=Kind.BALINT,
                group=world.group,
                title=title,
                dtstart=first_occurrence(rule, local_start(date(2026, 12, 1), time(20, 0))),
                duration=timedelta(minutes=90),
                rrule=rule,
                organiser=facilitator,
            )
        SeriesReview.objects.create(series=more, due_on=ANNIVERSARY, answer_by=DEADLINE)
    with django_assert_num_queries(1):
        many = todo.reviews(facilitator, now=now)
    assert (len(few), len(many)) == (1, 3)


def test_the_sql_list_and_the_rule_agree(world, series):
    from meetings.load import rules

    other = other_series(world)
    for user in world.users.values():
        listed = set(Series.objects.filter(rules.series_reviewable_by(user)).values_list("pk", flat=True))
        for candidate in (series, other):
            assert (candidate.pk in listed) == rules.can_review_series(user, candidate), (
                user.email,
                candidate,
            )


def test_a_cancelled_series_is_not_reviewed(world, series):
    from meetings.services.series import series_cancel

    with time_machine.travel(at(date(2027, 6, 1)), tick=False):
        series_cancel(series=series)
    assert run(ANNIVERSARY).opened == 0


def test_no_reminder_for_a_series_cancelled_after_it_was_asked(world, series):
    from meetings.services.series import series_cancel

    run(ANNIVERSARY)
    with time_machine.travel(at(date(2027, 12, 10)), tick=False):
        series_cancel(series=series)
    assert run(DEADLINE - timedelta(days=7)).reminded == 0
    assert not asked(ReviewKind.REMIND).exists()
