"""The window: a feed holds nothing that ended more than PAST_DAYS ago (counted from midnight in
Brussels, so it moves once a day). A series that started earlier is restarted at its first
occurrence in the window (building.from_window), so a weekly group does not carry years of past
sessions into every phone."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from meetings.recurrence import BRUSSELS

PAST_DAYS = 90


def window_start(now: datetime | None = None) -> datetime:
    """Midnight in Brussels, PAST_DAYS ago: nothing that ended before is in a feed."""
    today = (now or timezone.now()).astimezone(BRUSSELS).date()
    return datetime.combine(today - timedelta(days=PAST_DAYS), time.min, tzinfo=BRUSSELS)


def in_window(since, prefix: str = "") -> Q:
    """Single meetings that end from SINCE on; occurrences whose slot in the rule starts from SINCE on
    (the master VEVENT is restarted there, see building.from_window). PREFIX: the path to the
    meeting ("meeting__" from an invitation)."""
    return Q(**{f"{prefix}series__isnull": True, f"{prefix}end__gte": since}) | Q(
        **{f"{prefix}series__isnull": False, f"{prefix}recurrence_id__gte": since}
    )
