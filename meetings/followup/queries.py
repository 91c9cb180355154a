"""Reads for follow-up: my actions, those I handed out, the meetings I should close."""

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from meetings.candidates import facilitated_by
from meetings.followup.models import Action, ActionStatus, Outcome
from meetings.models import Meeting, MeetingStatus
from meetings.queries import shows_details
from meetings.rules import meetings_facilitated_by


def my_open_actions(user: User) -> QuerySet[Action]:
    return (
        Action.objects.filter(owner=user, status=ActionStatus.OPEN)
        .select_related("origin__group", "created_by")
        .order_by("due_date", "pk")
    )


# Meetings older than this are not chased any more (nor those held before closing existed).
CLOSE_LOOKBACK = timedelta(days=30)


def meetings_to_close(*, now: datetime | None = None, since: timedelta = timedelta(0)) -> QuerySet[Meeting]:
    """Meetings that ended at least SINCE ago, within the last CLOSE_LOOKBACK, that nobody closed."""
    now = now or timezone.now()
    return Meeting.objects.filter(
        end__lte=now - since,
        end__gte=now - CLOSE_LOOKBACK,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
    )


def meetings_i_should_close(user: User, *, now: datetime | None = None) -> list[Meeting]:
    """Recently ended meetings I facilitate (organiser, group facilitator or invited facilitator)
    that nobody closed, by start. Their ids first, by a UNION of indexed lookups (candidates.
    facilitated_by) within the window: filtered by rules.meetings_facilitated_by instead, the
    window's meetings of the whole federation were read to find mine."""
    now = now or timezone.now()
    window = Q(
        end__lte=now, end__gte=now - CLOSE_LOOKBACK, status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD]
    )
    ids = list(facilitated_by(user, window).values_list("pk", flat=True))
    if not ids:
        return []
    return list(Meeting.objects.filter(pk__in=ids).only("title", "start").order_by("start", "pk"))


# What "Mes actions" shows of an action, of its meeting and of the people.
ACTION_FIELDS = (
    "description",
    "due_date",
    "owner_id",
    "created_by_id",
    "origin__kind",
    "origin__start",
    "origin__group_id",
    "origin__group__name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__email",
)


def open_actions_of(user: User) -> tuple[list[Action], list[Action]]:
    """(my_open_actions, actions_given_to_others), each by due date, in one query: the open
    actions I own or handed out."""
    actions = (
        Action.objects.filter(Q(owner=user) | Q(created_by=user), status=ActionStatus.OPEN)
        .select_related("origin__group", "owner", "created_by")
        .only(*ACTION_FIELDS)
        .order_by("due_date", "pk")
    )
    mine, given = [], []
    for action in actions:
        (mine if action.owner_id == user.pk else given).append(action)
    return mine, given


# The home page's "À faire" (followup/todo.py): one query each.


def _mine_to_close(user: User, now: datetime) -> QuerySet[Meeting]:
    return (
        meetings_to_close(now=now)
        .filter(meetings_facilitated_by(user))
        .annotate(has_outcome=Exists(Outcome.objects.filter(meeting=OuterRef("pk"))))
        .annotate(shows_details=shows_details(user))
        .select_related("group")
        .order_by("start", "pk")
    )


def outcomes_to_write(user: User, *, now: datetime) -> QuerySet[Meeting]:
    """meetings_i_should_close whose outcome nobody has written yet (closing waits for it)."""
    return _mine_to_close(user, now).filter(has_outcome=False)


def meetings_ready_to_close(user: User, *, now: datetime) -> QuerySet[Meeting]:
    """meetings_i_should_close whose outcome is written: one button is left to press."""
    return _mine_to_close(user, now).filter(has_outcome=True)


def end_of_week(today: date) -> date:
    """The Sunday of TODAY's week (weeks start on Monday in Belgium)."""
    return today + timedelta(days=6 - today.weekday())


def my_actions_due_this_week(user: User, *, today: date) -> QuerySet[Action]:
    """My open actions due by the end of this week, those overdue included (they are due too)."""
    return my_open_actions(user).filter(due_date__lte=end_of_week(today))
