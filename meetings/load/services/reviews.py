"""The yearly review of a series: keep, shorten, merge with another, or stop.

Lifecycle (run_reviews, once a day by the task "load.review_series"):

1. Due. Twelve months after a series' first session (its dtstart, in Brussels) and on every
   anniversary after, a SeriesReview is due: due_on is the anniversary date (29 February gives
   28 February), answer_by is due_on + ANSWER_WITHIN (30 days). A review opened late (the task
   did not run, or a series began in the past) still leaves 30 days from the day it is opened.
   One review per series and anniversary (unique (series, due_on)): running twice opens it once.
   Only series still making sessions are reviewed (`makes_sessions`): their rule still gives a
   session after now (not cancelled, not ended by an UNTIL or COUNT) and no earlier review ended
   them (stop, merge, or no answer). A series with an open review gets no second one.
2. Asked. The review is e-mailed to the series' facilitators (`recipients`): its organiser and,
   for a group's series, the group's active facilitators (role facilitator); when none of them is
   an active account, the network's coordinators. Others who may answer (substitutes, and the
   network's coordinators: rules.can_review_series) find it in their "À faire". The e-mail is in
   each recipient's language and only links to the review page (login required), where the
   answer is recorded on POST (DESIGN.md, privacy rule 7). It carries the kind and what may be
   shown of the series (ical.public_heading), never a title that might name a situation.
3. Reminded. REMIND_BEFORE (7 days) before answer_by, an unanswered review is e-mailed once more
   to the same people (reminded_at, and one dedupe key per review and person: never twice),
   unless the series was cancelled or ended meanwhile.
4. Stopped. On answer_by, a review still unanswered stops its series
   (series_stop_making_sessions): no new session is made, the sessions already made stay, the
   rule it had is kept in rule_before_stop and stopped_at is set. The review can still be
   answered: a late "keep" (or "shorten") gives the series its rule back (series_restore_rule)
   and its sessions are made again.
5. Answered (review_answer, once per review; a reason is required for every answer but "keep"):
   - keep: nothing changes; the next review comes on the next anniversary;
   - shorten: as keep (the series goes on, and is reviewed next year), and the page points to the
     edit of the series' next session, "this session and the following" (a change of time or
     length there makes the rest of the series a new one, reviewed a year after it starts); the
     core's edit keeps the rule, so for another rhythm the page points to a new series (of the
     same group) and to the cancellation of this one's sessions from a given one;
   - merge: another live series of the same network the person may review or at least see
     (review_queries.mergeable_series) is required and recorded in merge_with; this series then stops making
     sessions (its planned sessions stay; the page points to their cancellation);
   - stop: this series stops making sessions; the sessions already planned stay and the page
     points to the existing cancellation of the sessions to come.
   After stop or merge no review is opened any more.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.load import review_queries
from meetings.load.models import ReviewAnswer, SeriesReview
from meetings.load.notices import ReviewKind, queue_review
from meetings.load.review_queries import ENDING_ANSWERS
from meetings.models import MembershipStatus, Role, Series
from meetings.recurrence import BRUSSELS, parse
from meetings.services.series import series_restore_rule, series_stop_making_sessions

ANSWER_WITHIN = timedelta(days=30)
REMIND_BEFORE = timedelta(days=7)
# Answers after which the series goes on (and gets its rule back if nobody had answered in time).
GOING_ON_ANSWERS = (ReviewAnswer.KEEP, ReviewAnswer.SHORTEN)


def first_session_day(series: Series) -> date:
    return series.dtstart.astimezone(BRUSSELS).date()


def anniversary(series: Series, years: int) -> date:
    """The YEARS-th anniversary of the series' first session (29 February → 28 February)."""
    return first_session_day(series) + relativedelta(years=years)


def ended_by_review(review: SeriesReview | None) -> bool:
    """Whether REVIEW ended its series: stopped or merged, or stopped for lack of an answer."""
    if review is None:
        return False
    return review.answer in ENDING_ANSWERS or (review.stopped_at is not None and not review.answer)


def makes_sessions(series: Series, *, now: datetime, latest: SeriesReview | None = None) -> bool:
    """A series still making sessions: its rule gives one after NOW and no review ended it."""
    if ended_by_review(latest):
        return False
    return parse(series.rrule, series.dtstart).after(now.astimezone(BRUSSELS)) is not None


def latest_due_on(series: Series, after: date, today: date) -> date | None:
    """The last anniversary on or before TODAY that comes after AFTER (None if none)."""
    found, years = None, 1
    while (day := anniversary(series, years)) <= today:
        if day > after:
            found = day
        years += 1
    return found


def recipients(series: Series) -> list[User]:
    """Who is e-mailed: the organiser and the group's active facilitators; if none of them is an
    active account, the network's coordinators."""
    people = {series.organiser_id: series.organiser} if series.organiser.is_active else {}
    if series.group_id:
        facilitators = User.objects.filter(
            is_active=True,
            group_memberships__group_id=series.group_id,
            group_memberships__status=MembershipStatus.ACTIVE,
            group_memberships__role=Role.FACILITATOR,
        )
        people.update({user.pk: user for user in facilitators})
    if not people:
        people = {user.pk: user for user in series.network.coordinators.filter(is_active=True)}
    return sorted(people.values(), key=lambda user: user.pk)


@dataclass
class RunCount:
    opened: int = 0
    asked: int = 0
    reminded: int = 0
    stopped: int = 0

    @property
    def total(self) -> int:
        return self.opened + self.reminded + self.stopped


def run_reviews(*, now: datetime | None = None) -> RunCount:
    """The daily run: open the reviews due, remind, stop the series nobody answered for."""
    now = now or timezone.now()
    count = RunCount()
    count.opened, count.asked = open_due_reviews(now=now)
    count.reminded = send_reminders(now=now)
    count.stopped = stop_unanswered(now=now)
    return count


def _latest_reviews(series_ids) -> dict[int, SeriesReview]:
    latest: dict[int, SeriesReview] = {}
    for review in SeriesReview.objects.filter(series_id__in=series_ids).order_by("due_on"):
        latest[review.series_id] = review
    return latest


def open_due_reviews(*, now: datetime) -> tuple[int, int]:
    """Open the reviews due today (or missed), each asked of its series' recipients once.
    Returns (reviews opened, e-mails queued)."""
    today = timezone.localdate(now)
    a_year_ago = today - relativedelta(years=1)
    candidates = list(
        Series.objects.filter(dtstart__date__lte=a_year_ago + timedelta(days=1)).select_related(
            "organiser", "network"
        )
    )
    latest = _latest_reviews([s.pk for s in candidates])
    opened = asked = 0
    for series in candidates:
        if first_session_day(series) + relativedelta(years=1) > today:
            continue  # not a year yet (the filter above is in UTC, this is in Brussels)
        review = latest.get(series.pk)
        if review is not None and not review.answer and review.stopped_at is None:
            continue  # still waiting for its answer
        if not makes_sessions(series, now=now, latest=review):
            continue
        due_on = latest_due_on(series, review.due_on if review else date.min, today)
        if due_on is None:
            continue
        with transaction.atomic():
            review, created = SeriesReview.objects.get_or_create(
                series=series,
                due_on=due_on,
                defaults={"answer_by": max(due_on, today) + ANSWER_WITHIN, "asked_at": now},
            )
            if not created:
                continue
            opened += 1
            asked += sum(
                queue_review(review=review, user=user, kind=ReviewKind.ASK) for user in recipients(series)
            )
    return opened, asked


def send_reminders(*, now: datetime) -> int:
    """One reminder, REMIND_BEFORE answer_by, for the reviews still unanswered."""
    today = timezone.localdate(now)
    due = SeriesReview.objects.filter(
        answer="",
        reminded_at__isnull=True,
        stopped_at__isnull=True,
        answer_by__gt=today,
        answer_by__lte=today + REMIND_BEFORE,
    ).select_related("series__organiser", "series__network")
    count = 0
    for review in due:
        if not makes_sessions(review.series, now=now):
            continue  # cancelled or ended since it was asked: nothing to decide any more
        with transaction.atomic():
            if not SeriesReview.objects.filter(pk=review.pk, reminded_at__isnull=True, answer="").update(
                reminded_at=now
            ):
                continue
            count += sum(
                queue_review(review=review, user=user, kind=ReviewKind.REMIND)
                for user in recipients(review.series)
            )
    return count


def stop_unanswered(*, now: datetime) -> int:
    """On answer_by, the series of a review still unanswered stops making sessions."""
    today = timezone.localdate(now)
    late = SeriesReview.objects.filter(answer="", stopped_at__isnull=True, answer_by__lte=today)
    count = 0
    for review_id in late.values_list("pk", flat=True):
        with transaction.atomic():
            review = (
                SeriesReview.objects.select_for_update()
                .filter(pk=review_id, answer="", stopped_at__isnull=True)
                .select_related("series")
                .first()
            )
            if review is None:
                continue
            review.rule_before_stop = series_stop_making_sessions(series=review.series)
            review.stopped_at = now
            review.full_clean()
            review.save(update_fields=["rule_before_stop", "stopped_at"])
            count += 1
    return count


# Answers


@transaction.atomic
def review_answer(
    *,
    review: SeriesReview,
    by: User,
    answer: str,
    reason: str = "",
    merge_with: Series | None = None,
    now: datetime | None = None,
) -> SeriesReview:
    """Record BY's answer to REVIEW (see the module's lifecycle, 5). Bad input raises
    ValidationError and changes nothing."""
    now = now or timezone.now()
    review = SeriesReview.objects.select_for_update().select_related("series").get(pk=review.pk)
    if review.answer:
        raise ValidationError(_("Cette revue a déjà reçu une réponse."), code="answered")
    if answer not in ReviewAnswer.values:
        raise ValidationError(_("Choisissez garder, raccourcir, fusionner ou arrêter."), code="answer")
    reason = (reason or "").strip()
    if answer != ReviewAnswer.KEEP and not reason:
        raise ValidationError(_("Dites en quelques mots pourquoi."), code="reason")
    if answer == ReviewAnswer.MERGE:
        if merge_with is None:
            raise ValidationError(_("Choisissez la série avec laquelle fusionner."), code="merge_missing")
        if merge_with.network_id != review.series.network_id:
            raise ValidationError(
                _("On ne peut fusionner qu'avec une série du même réseau."), code="merge_network"
            )
        if not review_queries.mergeable_series(review, by, now=now).filter(pk=merge_with.pk).exists():
            raise ValidationError(
                _("Cette série ne peut pas accueillir la fusion : choisissez-en une autre, encore active."),
                code="merge_series",
            )
    else:
        merge_with = None
    review.answer, review.reason, review.merge_with = answer, reason, merge_with
    review.answered_by, review.answered_at = by, now
    review.full_clean()
    if answer in GOING_ON_ANSWERS and review.stopped_at is not None and review.rule_before_stop:
        series_restore_rule(series=review.series, rrule=review.rule_before_stop, now=now)
    if answer in ENDING_ANSWERS and review.stopped_at is None:
        review.rule_before_stop = series_stop_making_sessions(series=review.series)
    review.save()
    return review
