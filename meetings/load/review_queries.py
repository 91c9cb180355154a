"""Reads of the yearly review of series: the review page's figures and the "À faire" list.
(Kept apart from the app's other reads, which other parts of meetings.load own.)"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from meetings.attendance.models import ATTENDED, Attendance
from meetings.load import rules
from meetings.load.models import ReviewAnswer, SeriesReview
from meetings.models import MeetingStatus, Series
from meetings.recurrence import BRUSSELS

# Answers after which the series makes no more sessions, and no review is opened any more.
ENDING_ANSWERS = (ReviewAnswer.STOP, ReviewAnswer.MERGE)


def current_review(series: Series) -> SeriesReview | None:
    """The series' latest review (the one the page asks or shows), if any."""
    return series.reviews.select_related("merge_with", "answered_by").order_by("-due_on").first()


@dataclass(frozen=True)
class YearSummary:
    since: date
    until: date
    held: int  # sessions that took place in the year (not cancelled, started before now)
    cancelled: int
    with_roll_call: int
    attendances: int  # present or late, over the sessions with a roll call
    people: int  # distinct people who came
    next_session: object  # the next session to come (for the edit and cancel links), or None

    @property
    def shows_attendance(self) -> bool:
        return self.with_roll_call > 0 and rules.shows_figures(self.people)

    @property
    def average(self) -> float:
        return round(self.attendances / self.with_roll_call, 1) if self.with_roll_call else 0.0


def year_summary(series: Series, review: SeriesReview | None, *, now: datetime) -> YearSummary:
    """The year the review is about (the twelve months before its due date, or before today
    without a review): sessions held and cancelled, and who came (three queries)."""
    until = review.due_on if review else timezone.localdate(now)
    since = until - relativedelta(years=1)
    start = datetime.combine(since, time.min, tzinfo=BRUSSELS)
    end = min(datetime.combine(until, time.min, tzinfo=BRUSSELS), now)
    sessions = series.occurrences.filter(start__gte=start, start__lt=end)
    counts = sessions.aggregate(
        held=Count("pk", filter=~Q(status__in=[MeetingStatus.CANCELLED, MeetingStatus.DRAFT])),
        cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
    )
    came = Attendance.objects.filter(meeting__in=sessions, status__in=ATTENDED).aggregate(
        sessions=Count("meeting_id", distinct=True),
        attendances=Count("pk"),
        people=Count("user_id", distinct=True),
    )
    next_session = (
        series.occurrences.filter(start__gte=now, status=MeetingStatus.SCHEDULED).order_by("start").first()
    )
    return YearSummary(
        since=since,
        until=until,
        held=counts["held"],
        cancelled=counts["cancelled"],
        with_roll_call=came["sessions"],
        attendances=came["attendances"],
        people=came["people"],
        next_session=next_session,
    )


# A review nobody answered in time stays on the list this long after its deadline: a late "keep"
# gives the series its sessions back.
LATE_ANSWER_SHOWN = timedelta(days=30)


def reviews_waiting_for(user: User, *, today: date) -> list[SeriesReview]:
    """The unanswered reviews USER may answer, by deadline (one query)."""
    return list(
        SeriesReview.objects.filter(rules.reviews_waiting_for(user), answer_by__gt=today - LATE_ANSWER_SHOWN)
        .select_related("series")
        .order_by("answer_by", "pk")
    )


def mergeable_series(review: SeriesReview, user: User, *, now: datetime | None = None) -> QuerySet[Series]:
    """The series REVIEW's series may be merged with: others of the same network, seen by USER,
    with a session to come and not ended by a review (read in SQL)."""
    now = now or timezone.now()
    series = review.series
    ended = SeriesReview.objects.filter(series_id=OuterRef("pk")).filter(
        Q(answer__in=ENDING_ANSWERS) | Q(answer="", stopped_at__isnull=False)
    )
    to_come = Series.objects.filter(
        pk=OuterRef("pk"),
        occurrences__start__gte=now,
        occurrences__status__in=[MeetingStatus.SCHEDULED],
    )
    return (
        Series.objects.filter(rules.series_seen_by(user), network_id=series.network_id)
        .exclude(pk=series.pk)
        .filter(Exists(to_come))
        .exclude(Exists(ended))
        .order_by("title", "pk")
    )
