"""Reads for an organisation's meeting load: aggregates of its members over twelve months, never
one person's figures, and nothing at all for fewer than rules.SMALLEST_GROUP members.

The group a figure is about is the organisation's members (its professionals): every member
counts in every month, those without meetings as zero hours, so an average never narrows to
the few who went. "Hours per FTE" is the organisation's hours over its summed working time
(what a full-time post spent); the average is the mean of each member's own hours per FTE.
The queries are the accounting's, for all members at once: as many for 5 members as for 50.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, Professional, default_meeting_budget
from meetings.load import rules
from meetings.load.accounting import (
    NO_PROFILE,
    budgets,
    hours,
    month_start,
    month_window,
    months_back,
    overlaps,
    sittings,
)
from meetings.load.charts import Chart, Column, Series
from meetings.load.models import OrganisationBudget
from meetings.load.personal import KIND_ORDER, MONTHS_SHOWN, month_label
from meetings.load.personal import kind_label as _kind_label
from meetings.recurrence import BRUSSELS

ONE_PLACE = Decimal("0.1")


# Where the kinds too few members took part in go (see _fold_small_kinds).
OTHER_KINDS = "other"


def kind_label(kind: str) -> str:
    return str(_("autres types de réunion")) if kind == OTHER_KINDS else _kind_label(kind)


@dataclass
class MonthAggregate:
    month: date
    members: int
    fte: Decimal
    minutes: int = 0
    minutes_by_kind: dict[str, int] = field(default_factory=dict)
    per_fte_sum: Decimal = Decimal(0)  # the sum of each member's hours per FTE
    over_budget: int = 0
    overlap_minutes: int = 0
    people_by_kind: dict[str, set] = field(default_factory=dict)

    @property
    def total_hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def hours_per_fte(self) -> Decimal:
        return (Decimal(self.minutes) / 60 / self.fte).quantize(ONE_PLACE) if self.fte else Decimal(0)

    @property
    def average_per_fte(self) -> Decimal:
        return (self.per_fte_sum / self.members).quantize(ONE_PLACE) if self.members else Decimal(0)

    @property
    def over_budget_share(self) -> int:
        """Members over their budget, in per cent."""
        return round(100 * self.over_budget / self.members) if self.members else 0

    def kind_per_fte(self, kind: str) -> Decimal:
        minutes = self.minutes_by_kind.get(kind, 0)
        return (Decimal(minutes) / 60 / self.fte).quantize(ONE_PLACE) if self.fte else Decimal(0)


@dataclass
class OrganisationReport:
    organisation: Organisation
    members: int
    months: list[MonthAggregate]
    hours_per_fte_budget: Decimal | None  # the organisation's own, None for the default

    @property
    def budget_per_fte(self) -> Decimal:
        return (
            self.hours_per_fte_budget if self.hours_per_fte_budget is not None else default_meeting_budget(1)
        )

    @property
    def shows_figures(self) -> bool:
        return rules.shows_figures(self.members)

    @property
    def kinds(self) -> list[str]:
        present = {kind for month in self.months for kind in month.minutes_by_kind}
        return [kind for kind in [*KIND_ORDER, OTHER_KINDS] if kind in present]

    def chart(self) -> Chart:
        return Chart(
            id="organisation-load",
            title=_("Heures de réunion par équivalent temps plein, mois par mois"),
            description=_(
                "Heures de réunion des membres de l'organisation, trajets compris, rapportées à leur "
                "temps de travail cumulé, par type de réunion."
            ),
            category_header=_("Mois"),
            categories=[month_label(m.month) for m in self.months],
            short_categories=[date_format(m.month, "N") for m in self.months],
            series=[Series(kind_label(k), [m.kind_per_fte(k) for m in self.months]) for k in self.kinds],
            unit="h",
            total_header=_("Heures par ETP"),
            line=Series(_("Budget par ETP"), [self.budget_per_fte] * len(self.months)),
            columns=[
                Column(_("moyenne des heures par ETP"), [m.average_per_fte for m in self.months]),
                Column(_("total des heures"), [m.total_hours for m in self.months]),
                Column(
                    _("membres au-dessus de leur budget"),
                    [m.over_budget_share for m in self.months],
                    unit="%",
                ),
            ],
        )


def organisation_report(organisation: Organisation, today: date | None = None) -> OrganisationReport:
    """ORGANISATION's members' last twelve months, summed; no figure computed below the floor."""
    today = today or timezone.localdate(timezone=BRUSSELS)
    months = months_back(month_start(today), MONTHS_SHOWN)
    members = list(
        Professional.objects.filter(organisations=organisation).values_list("user_id", flat=True).distinct()
    )
    own = OrganisationBudget.objects.filter(organisation=organisation).values_list("hours_per_fte", flat=True)
    report = OrganisationReport(
        organisation=organisation, members=len(members), months=[], hours_per_fte_budget=next(iter(own), None)
    )
    if not report.shows_figures:
        return report
    known = budgets(members)
    total_fte = sum((known.get(u, NO_PROFILE).fte for u in members), Decimal(0))
    start, end = month_window(months[0], months[-1])
    by_person: dict[tuple[int, date], list] = defaultdict(list)
    for sitting in sittings(members, start, end):
        by_person[(sitting.user_id, sitting.month)].append(sitting)
    for month in months:
        aggregate = MonthAggregate(month=month, members=len(members), fte=total_fte)
        for user_id in members:
            budget = known.get(user_id, NO_PROFILE)
            found = by_person.get((user_id, month), [])
            minutes = sum(s.minutes + s.travel_minutes for s in found)
            for sitting in found:
                aggregate.people_by_kind.setdefault(sitting.kind, set()).add(user_id)
                kind_minutes = aggregate.minutes_by_kind.get(sitting.kind, 0)
                aggregate.minutes_by_kind[sitting.kind] = (
                    kind_minutes + sitting.minutes + sitting.travel_minutes
                )
            aggregate.minutes += minutes
            aggregate.overlap_minutes += sum(o.minutes for o in overlaps(found))
            if budget.fte:
                aggregate.per_fte_sum += Decimal(minutes) / 60 / budget.fte
            if hours(minutes) > budget.hours:
                aggregate.over_budget += 1
        report.months.append(aggregate)
    _fold_small_kinds(report.months)
    return report


def _fold_small_kinds(months: list[MonthAggregate]) -> None:
    """A kind that fewer than SMALLEST_GROUP members took part in, in some month, is not shown
    as such: its hours join "other kinds" in every month, so that a chart bar never stands for
    one or two colleagues' Balint group (rules.shows_figures)."""
    small = {
        kind
        for month in months
        for kind, people in month.people_by_kind.items()
        if not rules.shows_figures(len(people))
    }
    for month in months:
        folded = sum(month.minutes_by_kind.pop(kind, 0) for kind in small)
        if folded:
            month.minutes_by_kind[OTHER_KINDS] = folded
