"""What date polls add to the home page's "À faire" (accounts.todo): the open polls the person
is asked and has not answered yet, before their deadline, the nearest deadline first; each
leads to the logged-in answer page, named as its e-mail named it (a concertation's title may
name the person it is about: `ical.public_heading`). One query."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.todo import Todo
from meetings import ical
from meetings.polls.models import PollParticipant, PollStatus


def to_answer(user: User, *, now: datetime) -> list[Todo]:
    asked = (
        PollParticipant.objects.filter(
            user=user, answered_at__isnull=True, poll__status=PollStatus.OPEN, poll__deadline__gt=now
        )
        .select_related("poll__group")
        .order_by("poll__deadline", "poll_id")
    )
    return [
        Todo(
            kind="poll_answer",
            label=_("Choisir une date"),
            text=ical.public_heading(participant.poll),
            url=reverse("polls:answer", args=[participant.poll_id]),
            when=participant.poll.deadline,
        )
        for participant in asked
    ]
