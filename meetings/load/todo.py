"""What meeting load adds to the home page's "À faire" (accounts.todo): the yearly reviews of
series waiting for an answer from the person (rules.can_review_series), in one query."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.todo import Todo
from meetings.load import review_queries


def reviews(user: User, *, now: datetime) -> list[Todo]:
    today = timezone.localdate(now)
    return [
        Todo(
            kind="series_review",
            label=_("Revue annuelle"),
            text=review.series.title,
            url=reverse("load:series_review", args=[review.series_id]),
            when=review.answer_by,
            overdue=review.answer_by <= today,
        )
        for review in review_queries.reviews_waiting_for(user, today=today)
    ]
