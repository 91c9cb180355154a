from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings import bounds, queries
from meetings.recurrence import BRUSSELS

UPCOMING_DAYS = 60
# The meetings just past stay in the list, with their state: "Réunions à clôturer" looks as far back.
PAST_DAYS = 30


def _week_start(value: str | None) -> date:
    """Monday of the ISO week VALUE ("2026-W48"), or of this week when VALUE is not a week within
    meetings.bounds (the week after it must still be a date)."""
    if value:
        try:
            monday = datetime.strptime(value + "-1", "%G-W%V-%u").date()
        except ValueError:
            pass
        else:
            if bounds.is_within(monday):
                return monday
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def agenda(request: HttpRequest) -> HttpResponse:
    if request.GET.get("view") == "week":
        monday = _week_start(request.GET.get("week"))
        start = datetime.combine(monday, time.min, tzinfo=BRUSSELS)
        entries = queries.agenda(request.user, start, start + timedelta(days=7))
        days = [
            (
                monday + timedelta(days=i),
                [
                    e
                    for e in entries
                    if e.meeting.start.astimezone(BRUSSELS).date() == monday + timedelta(days=i)
                ],
            )
            for i in range(7)
        ]
        context = {
            "view": "week",
            "days": days,
            "monday": monday,
            "previous_week": (monday - timedelta(days=7)).strftime("%G-W%V"),
            "next_week": (monday + timedelta(days=7)).strftime("%G-W%V"),
        }
        return render(request, "meetings/agenda_week.html", context)
    now = timezone.now()
    # One read for both lists: what is over (the latest first), then what is to come or under way.
    entries = queries.agenda(
        request.user, now - timedelta(days=PAST_DAYS), now + timedelta(days=UPCOMING_DAYS), now=now
    )
    context = {
        "view": "list",
        "entries": [e for e in entries if e.meeting.end > now],
        "past": [e for e in reversed(entries) if e.meeting.end <= now],
        "days_ahead": UPCOMING_DAYS,
        "days_back": PAST_DAYS,
    }
    return render(request, "meetings/agenda.html", context)
