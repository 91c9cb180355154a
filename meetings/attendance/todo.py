"""What attendance adds to the home page's "À faire" (accounts.todo): the roll calls open now."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.todo import Todo
from meetings.attendance import queries
from meetings.queries import meeting_todos


def roll_calls(user: User, *, now: datetime) -> list[Todo]:
    return meeting_todos(
        queries.roll_calls_open(user, now=now),
        kind="roll_call",
        label=_("Faire l'appel"),
        url=lambda meeting: reverse("attendance:roll_call", args=[meeting.pk]),
    )
