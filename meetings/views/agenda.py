from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meetings import bounds, queries
from meetings.recurrence import BRUSSELS
from meetings.views.agenda_html import entries_html

UPCOMING_DAYS = 60
# The meetings just past stay in the list, with their state: "Réunions à clôturer" looks as far back.
PAST_DAYS = 30
# My own meetings to come, a page at a time ("Plus tard"): a busy person has fifty in 60 days.
UPCOMING_PER_PAGE = 20
# Under them, the latest of the past ones, then a link to all of them.
PAST_SHOWN = 10
# The open meetings of my networks grow with the networks (hundreds in a federation): the list
# shows the next few, and a link to all of them, a page at a time.
OPEN_SHOWN = 5
PER_PAGE = 20


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


def _week(request: HttpRequest) -> HttpResponse:
    monday = _week_start(request.GET.get("week"))
    start = datetime.combine(monday, time.min, tzinfo=BRUSSELS)
    entries = queries.agenda(request.user, start, start + timedelta(days=7))
    by_day = [
        [e for e in entries if e.meeting.start.astimezone(BRUSSELS).date() == monday + timedelta(days=i)]
        for i in range(7)
    ]
    days = [(monday + timedelta(days=i), on_day) for i, on_day in enumerate(by_day)]
    context = {
        "view": "week",
        "days": days,
        "week": [(day, entries_html(on_day)) for day, on_day in days],
        "monday": monday,
        "previous_week": (monday - timedelta(days=7)).strftime("%G-W%V"),
        "next_week": (monday + timedelta(days=7)).strftime("%G-W%V"),
    }
    return render(request, "meetings/agenda_week.html", context)


def _page_of(page: Page, entries: list) -> Page:
    """PAGE (of queries.MeetingTime) with the AgendaEntries of its meetings in their place."""
    by_pk = {e.meeting.pk: e for e in entries}
    return Page([by_pk[t.pk] for t in page if t.pk in by_pk], page.number, page.paginator)


def agenda(request: HttpRequest) -> HttpResponse:
    """My own meetings to come (invited, organised, my groups' sessions), a page at a time; on the
    first page, the next few open meetings of my networks that are not mine and the latest of my
    meetings of the last 30 days. ?view=open and ?view=past list all of those a page at a time,
    ?view=week a week of everything. Each list holds a page of entries, read in one query."""
    view = request.GET.get("view")
    if view == "week":
        return _week(request)
    user, now = request.user, timezone.now()
    groups = queries.my_groups(user)
    horizon = now + timedelta(days=UPCOMING_DAYS)
    # One read of my own meetings for both lists (what is to come or under way, what is over) and
    # of the open meetings of my networks to come that are not mine.
    times = queries.meeting_times(user, groups, now - timedelta(days=PAST_DAYS), horizon, open_from=now)
    upcoming = [t for t in times if t.mine and t.end > now]
    past = [t for t in reversed(times) if t.mine and t.end <= now]  # the latest first
    open_times = [t for t in times if not t.mine]
    if view in ("open", "past"):
        page = Paginator(open_times if view == "open" else past, PER_PAGE).get_page(request.GET.get("page"))
        entries = _page_of(page, queries.agenda_entries(user, groups, list(page), now=now))
        context = {
            "view": view,
            "page": entries,
            "page_html": entries_html(entries),
            "days_ahead": UPCOMING_DAYS,
            "days_back": PAST_DAYS,
        }
        return render(request, "meetings/agenda_more.html", context)
    page = Paginator(upcoming, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
    first = page.number == 1
    shown_open, shown_past = (open_times[:OPEN_SHOWN], past[:PAST_SHOWN]) if first else ([], [])
    entries = queries.agenda_entries(user, groups, [*page, *shown_open, *shown_past], now=now)
    by_pk = {e.meeting.pk: e for e in entries}
    upcoming_entries = _page_of(page, entries)
    open_entries = [by_pk[t.pk] for t in shown_open if t.pk in by_pk]
    past_entries = [by_pk[t.pk] for t in shown_past if t.pk in by_pk]
    context = {
        "view": "list",
        "entries": upcoming_entries,
        "entries_html": entries_html(upcoming_entries),
        "open": open_entries,
        "open_html": entries_html(open_entries),
        "open_count": len(open_times),
        "past": past_entries,
        "past_html": entries_html(past_entries),
        "past_count": len(past),
        "days_ahead": UPCOMING_DAYS,
        "days_back": PAST_DAYS,
    }
    return render(request, "meetings/agenda.html", context)
