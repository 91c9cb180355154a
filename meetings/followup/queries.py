"""Reads for follow-up: my actions, those I handed out, the meetings I should close."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from meetings.followup.models import Action, ActionStatus
from meetings.models import Meeting, MeetingStatus
from meetings.rules import meetings_facilitated_by


def my_open_actions(user: User) -> QuerySet[Action]:
    return (
        Action.objects.filter(owner=user, status=ActionStatus.OPEN)
        .select_related("origin__group", "created_by")
        .order_by("due_date", "pk")
    )


def actions_given_to_others(user: User) -> QuerySet[Action]:
    return (
        Action.objects.filter(created_by=user, status=ActionStatus.OPEN)
        .exclude(owner=user)
        .select_related("origin__group", "owner")
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


def meetings_i_should_close(user: User) -> QuerySet[Meeting]:
    """Recently ended meetings I facilitate (organiser, group facilitator or invited facilitator)
    that nobody closed."""
    return meetings_to_close().filter(meetings_facilitated_by(user)).select_related("group").order_by("start")
