"""What follow-up adds to the home page's "À faire" (accounts.todo): outcomes to write, meetings
to close, and my actions due this week."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.todo import Todo
from meetings.followup import queries
from meetings.queries import meeting_todos


def outcomes(user: User, *, now: datetime) -> list[Todo]:
    return meeting_todos(
        queries.outcomes_to_write(user, now=now),
        kind="outcome",
        label=_("Noter le compte rendu"),
        url=lambda meeting: reverse("followup:outcome", args=[meeting.pk]),
    )


def to_close(user: User, *, now: datetime) -> list[Todo]:
    return meeting_todos(
        queries.meetings_ready_to_close(user, now=now),
        kind="close",
        label=_("Clôturer"),
        # The button is on the meeting page, under its outcome.
        url=lambda meeting: reverse("meetings:meeting", args=[meeting.pk]) + "#outcome",
    )


def actions(user: User, *, now: datetime) -> list[Todo]:
    today = timezone.localdate(now)
    page = reverse("followup:actions")
    return [
        Todo(
            kind="action",
            label=_("Mon action"),
            text=action.description,
            url=f"{page}#action-{action.pk}",
            when=action.due_date,
            overdue=action.due_date < today,
        )
        for action in queries.my_actions_due_this_week(user, today=today)
    ]
