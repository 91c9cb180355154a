"""The network dashboard's tables: hours by kind, attendance and action completion, month by
month over the last twelve months. Each table is one or two aggregate queries (GROUP BY month),
whatever the number of meetings; nothing is read person by person.

Months before last month are settled — their roll calls closed, their actions' due dates past —
and their figures are kept a day in the cache (`settled`); last month and this month are read
again every two minutes, as the flags are. On the largest network of the scale data, that makes
the three aggregates over a year's invitations and roll calls (about 0.3 s on PostgreSQL) a
once-a-day cost; a correction of an older month's roll call shows the next day, a new answer
two minutes later at most, as the page says.

No figure about fewer than SMALLEST_GROUP people (rules.shows_figures): a cell whose people are
fewer is left empty, and totals add only the cells shown, so that no hidden figure can be had
by subtraction.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network
from meetings.attendance.models import ATTENDED, Attendance
from meetings.followup.models import Action, ActionStatus
from meetings.kinds import POLICIES
from meetings.load.accounting import PRESENT, month_of, month_window, months_back
from meetings.load.health import HELD
from meetings.load.rules import shows_figures
from meetings.models import Invitation, InvitationRole, PartStat
from meetings.models.meetings import TAKING_PLACE
from meetings.recurrence import BRUSSELS


@dataclass(frozen=True)
class Table:
    """A table as the page and the CSV both show it: a header row, then rows of cells (None: a
    figure not shown, under the five-person floor)."""

    name: str
    header: list[str]
    rows: list[list]


def _month(value) -> date:
    """A truncated month as a date (SQLite gives a datetime, PostgreSQL too, in Brussels time)."""
    return month_of(value)


def window(today: date) -> tuple[list[date], datetime, datetime]:
    months = months_back(today, 12)
    start, end = month_window(months[0], months[-1])
    return months, start, end


# How long the figures of settled months are kept, and how many recent months are read live.
SETTLED_SECONDS = 24 * 3600
LIVE_MONTHS = 2
RECENT_SECONDS = 120


def settled(reader, network: Network, start: datetime, end: datetime, today: date) -> dict:
    """READER(network, start, end) — an aggregate by month — over [START, END): the settled
    months from the cache (read once a day), the LIVE_MONTHS last ones from the database."""
    live_from = month_window(months_back(today, LIVE_MONTHS)[0])[0]
    if live_from <= start:
        return reader(network, start, end)
    key = f"load:network:{reader.__name__}:{network.pk}:{start:%Y-%m}:{live_from:%Y-%m}"
    old = cache.get(key)
    if old is None:
        old = reader(network, start, live_from)
        cache.set(key, old, SETTLED_SECONDS)
    # The recent months too are read again at most every few minutes, as the flags are.
    recent_key = f"{key}:{end:%Y-%m}:{int(timezone.now().timestamp()) // RECENT_SECONDS}"
    recent = cache.get(recent_key)
    if recent is None:
        recent = reader(network, live_from, end)
        cache.set(recent_key, recent, RECENT_SECONDS)
    return {**old, **recent}


def _by_month_and_kind(rows) -> dict[tuple, dict]:
    return {(_month(row.pop("month")), row.pop("kind")): row for row in rows}


def attendance_side(network: Network, start: datetime, end: datetime) -> dict[tuple, dict]:
    """One aggregate of the roll calls of NETWORK's meetings in [START, END), by month and kind:
    the time of those present (invited or not — a group's members come without an invitation
    of their own — they count, as in accounting.py), and, of held meetings, the rows marked and
    those present."""
    duration = ExpressionWrapper(F("meeting__end") - F("meeting__start"), output_field=DurationField())
    came = Q(user__isnull=False, status__in=PRESENT)
    held = Q(meeting__status__in=HELD)
    return _by_month_and_kind(
        Attendance.objects.filter(
            meeting__network=network,
            meeting__start__gte=start,
            meeting__start__lt=end,
            meeting__status__in=TAKING_PLACE,
        )
        .annotate(month=TruncMonth("meeting__start", tzinfo=BRUSSELS), kind=F("meeting__kind"))
        .values("month", "kind")
        .annotate(
            time=Sum(duration, filter=came),
            people=Count("user_id", distinct=True, filter=came),
            marked=Count("pk", filter=held),
            present=Count("pk", filter=held & Q(status__in=list(ATTENDED))),
            marked_people=Count("user_id", distinct=True, filter=held),
        )
        .order_by()
    )


def invitation_side(network: Network, start: datetime, end: datetime) -> dict[tuple, dict]:
    """Two aggregates of the invitations (minutes-only aside) to the same meetings: the time of
    those who accepted and were not marked (accounting's other half of what counts: a NOT
    EXISTS in the WHERE clause, an anti-join — inside an aggregate's FILTER it would be a lookup
    per row), and, of held meetings, how many were invited."""
    duration = ExpressionWrapper(F("meeting__end") - F("meeting__start"), output_field=DurationField())
    marked = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), user_id=OuterRef("user_id"))
    invitations = Invitation.objects.filter(
        meeting__network=network,
        meeting__start__gte=start,
        meeting__start__lt=end,
        meeting__status__in=TAKING_PLACE,
    ).exclude(role=InvitationRole.MINUTES_ONLY)
    month = TruncMonth("meeting__start", tzinfo=BRUSSELS)
    found = _by_month_and_kind(
        invitations.filter(user__isnull=False, partstat=PartStat.ACCEPTED)
        .exclude(Exists(marked))
        .annotate(month=month, kind=F("meeting__kind"))
        .values("month", "kind")
        .annotate(time=Sum(duration), people=Count("user_id", distinct=True))
        .order_by()
    )
    held = (
        invitations.filter(meeting__status__in=HELD)
        .annotate(month=month, kind=F("meeting__kind"))
        .values("month", "kind")
        .annotate(invited=Count("pk"))
        .order_by()
    )
    for key, row in _by_month_and_kind(held).items():
        found.setdefault(key, {})["invited"] = row["invited"]
    return found


def network_figures(network: Network, *, today: date) -> dict[str, Table]:
    """The hours and attendance tables, from three aggregate queries (attendance_side and
    invitation_side): see hours_table and attendance_table."""
    months, start, end = window(today)
    marked = settled(attendance_side, network, start, end, today)
    invited = settled(invitation_side, network, start, end, today)
    return {
        "hours": hours_table(months, marked, invited),
        "attendance": attendance_table(months, marked, invited),
    }


def hours_table(months, marked: dict, invited: dict) -> Table:
    """Person-hours in meetings (participants × duration; travel is each person's own, see
    /load/), by month and kind: those present, and those who accepted and were not marked. The
    people of a cell are the larger of the two distinct counts: a floor that never takes four
    people for five."""
    cells: dict[tuple, tuple] = {}
    for key in {*marked, *invited}:
        first, second = marked.get(key, {}), invited.get(key, {})
        time = (first.get("time") or timedelta(0)) + (second.get("time") or timedelta(0))
        if time:
            cells[key] = (time, max(first.get("people", 0), second.get("people", 0)))
    kinds = [k for k in POLICIES if any(key[1] == k for key in cells)]
    table = []
    for month in months:
        line: list = [month.isoformat()[:7]]
        total = 0.0
        for kind in kinds:
            time, people = cells.get((month, kind), (None, 0))
            if time is None or not shows_figures(people):
                line.append(None if time is not None else 0)
                continue
            hours = round(time.total_seconds() / 3600, 1)
            total += hours
            line.append(hours)
        line.append(round(total, 1))
        table.append(line)
    header = [_("mois"), *[str(POLICIES[k].label) for k in kinds], _("total (cases affichées)")]
    return Table("hours", header, table)


def attendance_table(months, marked: dict, invited: dict) -> Table:
    """Of held meetings, by month: people expected (those invited, minutes-only aside, or those
    marked when more), present or late, and the rate. The people of a month are the most of
    any one kind's: again a floor that never counts too many."""
    by_month: dict[date, dict] = defaultdict(lambda: {"marked": 0, "present": 0, "people": 0, "invited": 0})
    for (month, _kind), row in marked.items():
        total = by_month[month]
        total["marked"] += row["marked"]
        total["present"] += row["present"]
        total["people"] = max(total["people"], row["marked_people"])
    for (month, _kind), row in invited.items():
        by_month[month]["invited"] += row.get("invited", 0)
    rows = []
    for day in months:
        row = by_month.get(day)
        if row is None or not row["marked"]:
            rows.append([day.isoformat()[:7], 0, 0, None])
            continue
        if not shows_figures(row["people"]):
            rows.append([day.isoformat()[:7], None, None, None])
            continue
        expected = max(row["marked"], row["invited"])
        rows.append([day.isoformat()[:7], expected, row["present"], round(100 * row["present"] / expected)])
    return Table("attendance", [_("mois"), _("attendus"), _("présents"), _("taux (%)")], rows)


def action_completion(network: Network, *, today: date) -> Table:
    """Actions handed out at NETWORK's meetings that were due in each month (up to yesterday):
    how many, how many were done by their due date, and the rate. One query."""
    months, start, _end = window(today)
    yesterday = datetime.combine(today, datetime.min.time(), tzinfo=BRUSSELS)
    by_month = defaultdict(lambda: None, settled(actions_due, network, start, yesterday, today))
    table = []
    for day in months:
        row = by_month[day]
        if row is None:
            table.append([day.isoformat()[:7], 0, 0, None])
        elif not shows_figures(row["owners"]):
            table.append([day.isoformat()[:7], None, None, None])
        else:
            table.append(
                [day.isoformat()[:7], row["due"], row["done"], round(100 * row["done"] / row["due"])]
            )
    return Table("actions", [_("mois"), _("actions dues"), _("faites à temps"), _("taux (%)")], table)


def actions_due(network: Network, start: datetime, end: datetime) -> dict[date, dict]:
    """The actions of NETWORK's meetings due in [START, END), by month of their due date."""
    rows = (
        Action.objects.filter(origin__network=network, due_date__gte=start.date(), due_date__lt=end.date())
        .annotate(month=TruncMonth("due_date"), closed_on=TruncDate("closed_at", tzinfo=BRUSSELS))
        .values("month")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE, closed_on__lte=F("due_date"))),
            owners=Count("owner_id", distinct=True),
        )
        .order_by()
    )
    return {_month(r["month"]): r for r in rows}


def flags_table(flags) -> Table:
    return Table(
        "flags",
        [_("signal"), _("sujet"), _("message"), _("lien"), _("chiffres")],
        [
            [f.label, f.subject_key, f.message, f.url, " ; ".join(f"{k} : {v}" for k, v in f.figures)]
            for f in flags
        ],
    )


TABLES = ("hours", "attendance", "actions", "flags")
