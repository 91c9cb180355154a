"""Reads for "Ma charge de réunions": one person's last twelve months, this month's meetings and
the meetings that overlapped, in a constant number of queries (accounting.month_loads, plus one
for the headings of the meetings listed).

A meeting is listed under the heading the agenda gives it (meetings.queries.heading): its title
for whoever sees its details, else its kind and group — a confidential group's title may name a
situation, and this page follows the agenda's rule rather than its own.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts.models import Professional, User
from meetings.attendance.models import Attendance
from meetings.kinds import Kind
from meetings.load.accounting import (
    MonthLoad,
    Overlap,
    Sitting,
    hours,
    month_loads,
    month_start,
    month_window,
    months_back,
    place_key,
)
from meetings.load.accounting import (
    default_budget as organisations_default_budget,
)
from meetings.load.charts import Chart, Column, Series
from meetings.load.models import OrganisationBudget, TravelEstimate
from meetings.models import Invitation, Meeting
from meetings.queries import heading, shows_details
from meetings.recurrence import BRUSSELS

MONTHS_SHOWN = 12
KIND_ORDER = [kind.value for kind in Kind]


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in KIND_ORDER else kind


def month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class Listed:
    """A meeting as this page lists it: the sitting, and the heading the person may read."""

    sitting: Sitting
    heading: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.sitting.kind)


@dataclass(frozen=True)
class ListedOverlap:
    overlap: Overlap
    first: Listed
    second: Listed


@dataclass
class YearReport:
    """The person's twelve months, oldest first; the last one is the current month."""

    months: list[MonthLoad]
    this_month: list[Listed]
    overlaps: list[ListedOverlap]

    @property
    def current(self) -> MonthLoad:
        return self.months[-1]

    @property
    def previous(self) -> MonthLoad:
        return self.months[-2]

    @property
    def kinds(self) -> list[str]:
        """The kinds present in the twelve months, in the order of meetings.kinds."""
        present = {kind for load in self.months for kind in load.minutes_by_kind}
        return [kind for kind in KIND_ORDER if kind in present] + sorted(present - set(KIND_ORDER))

    def hours_of(self, kind: str) -> list[Decimal]:
        return [hours(load.minutes_by_kind.get(kind, 0)) for load in self.months]

    @property
    def budget_per_fte(self) -> Decimal:
        load = self.current
        return (load.budget_hours / load.fte).quantize(Decimal("0.1")) if load.fte else load.budget_hours

    @property
    def previous_excess(self) -> Decimal:
        return self.previous.total_hours - self.previous.budget_hours

    def chart(self) -> Chart:
        """The twelve months stacked by kind (travel counted in each kind) under the budget line;
        the table adds travel and double-booked hours."""
        return Chart(
            id="my-load",
            title=_("Mes heures de réunion, mois par mois"),
            description=_(
                "Heures de réunion des douze derniers mois, trajets compris, par type de réunion, "
                "avec le budget mensuel en pointillés."
            ),
            category_header=_("Mois"),
            categories=[month_label(load.month) for load in self.months],
            short_categories=[date_format(load.month, "N") for load in self.months],
            series=[Series(kind_label(kind), self.hours_of(kind)) for kind in self.kinds],
            unit="h",
            line=Series(_("Budget"), [load.budget_hours for load in self.months]),
            columns=[
                Column(_("dont trajets"), [hours(load.travel_minutes) for load in self.months]),
                Column(_("en chevauchement"), [hours(load.overlap_minutes) for load in self.months]),
            ],
            over_note=_("au-dessus du budget"),
        )

    def csv_rows(self) -> list[list[str]]:
        """The table as CSV rows: a header in the person's language, then a row per month
        (YYYY-MM), hours written as their language writes numbers."""
        header = [
            _("mois"),
            *(kind_label(kind) for kind in self.kinds),
            _("trajets (h)"),
            _("total (h)"),
            _("budget (h)"),
            _("chevauchements (h)"),
        ]
        rows = [[str(cell) for cell in header]]
        for load in self.months:
            by_kind = load.minutes_by_kind
            figures = [
                *(hours(by_kind.get(kind, 0)) for kind in self.kinds),
                hours(load.travel_minutes),
                load.total_hours,
                load.budget_hours,
                hours(load.overlap_minutes),
            ]
            rows.append([load.month.strftime("%Y-%m"), *(number_format(f, decimal_pos=1) for f in figures)])
        return rows


def headings(user: User, meeting_ids) -> dict[int, str]:
    """What USER may read as each meeting's name, by id (one query)."""
    meetings = (
        Meeting.objects.filter(pk__in=set(meeting_ids))
        .annotate(shows_details=shows_details(user))
        .select_related("group")
        .only("pk", "title", "kind", "group__name", "group_id")
    )
    return {m.pk: heading(m, show_details=m.shows_details) for m in meetings}


def year_report(user: User, today: date | None = None) -> YearReport:
    """USER's last twelve months up to the month of TODAY (Brussels): four queries for the
    accounting, one for the headings, whatever the number of meetings."""
    today = today or timezone.localdate(timezone=BRUSSELS)
    loads = month_loads(user, months_back(month_start(today), MONTHS_SHOWN))
    overlaps = [overlap for load in reversed(loads) for overlap in load.overlaps]
    current = loads[-1].sittings
    wanted = {s.meeting_id for s in current} | {
        s.meeting_id for overlap in overlaps for s in (overlap.first, overlap.second)
    }
    names = headings(user, wanted) if wanted else {}

    def listed(sitting: Sitting) -> Listed:
        return Listed(sitting=sitting, heading=names.get(sitting.meeting_id, kind_label(sitting.kind)))

    return YearReport(
        months=loads,
        this_month=[listed(s) for s in current],
        overlaps=[ListedOverlap(o, listed(o.first), listed(o.second)) for o in overlaps],
    )


def travel_places(user: User, today: date | None = None) -> list[tuple[str, str, int | None]]:
    """The places USER's meetings of the last twelve months were held at, and those they already
    gave a time for: (place key, place as first written, their minutes or None), by place.
    Three queries."""
    today = today or timezone.localdate(timezone=BRUSSELS)
    start, end = month_window(months_back(month_start(today), MONTHS_SHOWN)[0], month_start(today))
    invited, attended = (
        model.objects.filter(user=user, meeting__start__gte=start, meeting__start__lt=end)
        .exclude(meeting__place="")
        .values_list("meeting__place", flat=True)
        .distinct()
        for model in (Invitation, Attendance)  # a group's sessions invite nobody
    )
    places: dict[str, str] = {}
    for place in sorted({*invited, *attended}):
        places.setdefault(place_key(place), place.strip())
    known = dict.fromkeys(places)
    for key, place, minutes in TravelEstimate.objects.filter(user=user).values_list(
        "place_key", "place", "minutes"
    ):
        places.setdefault(key, place)
        known[key] = minutes
    return sorted(((key, places[key], known.get(key)) for key in places), key=lambda row: row[0])


def default_budget(profile: Professional) -> Decimal:
    """What PROFILE's budget is when they set none (accounting.default_budget)."""
    own = OrganisationBudget.objects.filter(organisation__professionals=profile).values_list(
        "hours_per_fte", flat=True
    )
    return organisations_default_budget(profile.fte, list(own))
