"""The network dashboard's tables drawn as charts (charts.py): hours stacked by kind, and the
attendance and on-time action rates, month by month.

The drawing comes first and the dashboard's own table follows it (its <desc> says so), not the
chart's: a figure under the five-person floor is a dash in the table, and counts for nothing in
the drawing — which the description says, so that an empty bar is not read as zero meetings.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.load.charts import Chart, Series
from meetings.load.network_tables import Table

FLOOR_NOTE = gettext_lazy("Une case non montrée (moins de cinq personnes) ne compte pas dans le dessin.")


def _value(cell) -> Decimal:
    return Decimal(str(cell)) if cell is not None else Decimal(0)


def hours_chart(table: Table) -> Chart:
    """One bar per month, stacked by kind (the table's columns between the month and the total)."""
    kinds = table.header[1:-1]
    return Chart(
        id="network-hours",
        title=_("Heures de réunion par type"),
        description=_("Heures de réunion du réseau (personnes × durée), mois par mois.")
        + " "
        + str(FLOOR_NOTE),
        category_header=table.header[0],
        categories=[row[0] for row in table.rows],
        series=[
            Series(kind, [_value(row[1 + index]) for row in table.rows]) for index, kind in enumerate(kinds)
        ],
        unit="h",
    )


def rate_chart(table: Table, *, id: str, title: str, description: str) -> Chart:
    """One bar per month: the table's last column, a rate in per cent."""
    return Chart(
        id=id,
        title=title,
        description=description + " " + str(FLOOR_NOTE),
        category_header=table.header[0],
        categories=[row[0] for row in table.rows],
        series=[Series(table.header[-1], [_value(row[-1]) for row in table.rows])],
        unit="%",
    )


def network_charts(tables: dict[str, Table]) -> dict[str, Chart]:
    return {
        "hours": hours_chart(tables["hours"]),
        "attendance": rate_chart(
            tables["attendance"],
            id="network-attendance",
            title=_("Taux de présence par mois"),
            description=_("Part des personnes attendues qui sont venues aux réunions tenues, mois par mois."),
        ),
        "actions": rate_chart(
            tables["actions"],
            id="network-actions",
            title=_("Actions faites à temps par mois"),
            description=_("Part des actions dues faites à leur échéance, par mois d'échéance."),
        ),
    }
