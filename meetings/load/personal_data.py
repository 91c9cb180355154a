"""Meeting load's section of a person's data (accounts.personal_data): the travel times they
gave and the yearly reviews of series they answered. Their hours are computed from meetings
and roll calls, which other sections export; nothing of them is stored here.

Erasure forgets the travel times (they say where a person goes); the reviews they answered stay,
for the series' history, with the answer's author shown as the tombstone."""

from datetime import datetime

from accounts.models import User
from meetings.load.models import SeriesReview, TravelEstimate


def export(user: User, *, confidential: bool) -> dict:
    return {
        "travel_times": [
            {"place": t.place, "minutes": t.minutes, "updated_at": t.updated_at}
            for t in TravelEstimate.objects.filter(user=user).order_by("place_key")
        ],
        "series_reviews_answered": [
            {"series": r.series_id, "due_on": r.due_on, "answer": r.answer, "answered_at": r.answered_at}
            | ({"reason": r.reason} if confidential else {})
            for r in SeriesReview.objects.filter(answered_by=user).order_by("due_on", "pk")
        ],
    }


def erase(user: User, *, now: datetime) -> None:
    TravelEstimate.objects.filter(user=user).delete()
