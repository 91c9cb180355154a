"""Reads for attendance: the roll calls a facilitator has open now (the home page's "À faire")."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from meetings.attendance.models import Attendance
from meetings.attendance.services.roll_call import OPENS_BEFORE_START, ROLL_CALL_AFTER_END
from meetings.models import Meeting, MeetingStatus
from meetings.queries import shows_details
from meetings.rules import meetings_facilitated_by


def roll_calls_open(user: User, *, now: datetime) -> QuerySet[Meeting]:
    """The meetings USER facilitates whose roll call is open at NOW (services.roll_call_window)
    and still waits for them: under way (or about to start), or over with nobody marked yet.
    One query, annotated with `shows_details` (queries.heading says what to call them)."""
    marked = Attendance.objects.filter(meeting=OuterRef("pk"))
    return (
        Meeting.objects.filter(
            meetings_facilitated_by(user),
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
            start__lte=now + OPENS_BEFORE_START,
            end__gte=now - ROLL_CALL_AFTER_END,
        )
        .filter(Q(end__gt=now) | ~Exists(marked))
        .annotate(shows_details=shows_details(user))
        .select_related("group")
        .order_by("start", "pk")
    )
