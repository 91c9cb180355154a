"""Charts drawn on the server as SVG, with their data as an HTML table right under them.

No chart library and no JavaScript: a dashboard must read on an old phone, under the
Content-Security-Policy (no inline style: colours are SVG presentation attributes), and for a
screen reader. So each chart is an SVG image named by its <title> and <desc> (role="img",
aria-labelledby), and the same numbers follow in a table with a caption and headers, which is
also what prints and what a CSV export repeats.

The chart knows nothing of meetings: category labels (months), series of values stacked in
each bar (kinds of meeting), an optional line drawn across (a budget), and extra table columns.
Every text comes from outside and goes through html.escape; numbers are written in the current
language's format (11,5 in French).

    chart = Chart(
        id="network-hours",  # prefixes the ids of its <title>, <desc> and table
        title=_("Heures de réunion par type"),
        description=_("Heures de réunion du réseau, mois par mois."),
        category_header=_("Mois"),
        categories=["octobre 2026", "novembre 2026"],
        series=[Series(_("Intervision"), [Decimal(3), Decimal(4)])],
        unit="h",
        line=Series(_("Budget"), [Decimal(8), Decimal(8)]),  # optional
        columns=[Column(_("taux de présence (%)"), [80, 75])],  # optional, table only
    )
    {% include "load/_chart.html" with chart=chart %}  (or {{ chart.html }})
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colours of the stacked series, each at least 3:1 against white (WCAG non-text contrast) and
# told apart by a white gap between segments and by the legend; the table says it in words.
PALETTE = ["#1f5f8b", "#b35806", "#2f7a4b", "#7b3294", "#a61b1b", "#5e6b78", "#8c6d1f", "#0b7d8a"]
LINE_COLOUR = "#1f2933"
OVER_COLOUR = "#a61b1b"

# The drawing's own units (it scales to the width of its box).
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 8, 28
LEGEND_PER_ROW, LEGEND_ROW = 2, 20
FONT = 13


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: its label (legend, table header) and a value per category."""

    label: str
    values: Sequence[Decimal]


@dataclass(frozen=True)
class Column:
    """A column of the table only (not drawn): e.g. "dont trajets", "heures en chevauchement"."""

    label: str
    values: Sequence[Decimal]
    # The column's unit when it is not the chart's ("%" for a share); "" for none.
    unit: str | None = None


@dataclass(frozen=True)
class Chart:
    """A stacked bar chart: one bar per category, SERIES stacked in it, LINE across (a value per
    category: a budget that changes from month to month draws as steps).

    OVER_NOTE, when given, marks the bars above the line (in the drawing and in the table), in
    words rather than by colour alone."""

    id: str
    title: str
    description: str
    category_header: str
    categories: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    short_categories: Sequence[str] | None = None
    line: Series | None = None
    columns: Sequence[Column] = field(default_factory=tuple)
    total_header: str | None = None
    over_note: str | None = None

    def __post_init__(self):
        count = len(self.categories)
        for part in (*self.series, *self.columns, *([self.line] if self.line else [])):
            if len(part.values) != count:
                raise ValueError(f"{part.label!r}: {len(part.values)} values for {count} categories")

    @property
    def totals(self) -> list[Decimal]:
        return [
            sum((Decimal(s.values[i]) for s in self.series), Decimal(0)) for i in range(len(self.categories))
        ]

    def is_over(self, index: int) -> bool:
        return self.line is not None and self.totals[index] > Decimal(self.line.values[index])

    def headers(self) -> list[str]:
        headers = [self.category_header, *(s.label for s in self.series), self.total_header or _("Total")]
        if self.line:
            headers.append(self.line.label)
        return headers + [c.label for c in self.columns]

    def svg(self) -> SafeString:
        return stacked_bars_svg(self)

    def table(self) -> SafeString:
        return data_table_html(self)

    def html(self) -> SafeString:
        """The figure a template includes: the drawing, then its table."""
        # On a phone the drawing keeps a readable size and scrolls in its own box, as a table
        # does (.table-scroll); the box takes the keyboard's focus to scroll.
        # The drawing and the table are escaped piece by piece, the id too.
        html = (
            f'<figure class="chart">\n<div class="chart-scroll" role="region" tabindex="0" '
            f'aria-labelledby="{escape(self.id)}-title">{self.svg()}</div>\n{self.table()}\n</figure>'
        )
        return mark_safe(html)  # nosec B308 B703


def number(value, decimals: int = 1) -> str:
    """VALUE as the current language writes it, without a useless ",0" (11 h, 11,5 h)."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0)
    return number_format(value, decimal_pos=decimals)


def with_unit(value, unit: str) -> str:
    return f"{number(value)}\u00a0{unit}" if unit else number(value)


def nice_top(highest: Decimal) -> tuple[Decimal, Decimal]:
    """The top of the axis and its step: 1, 2 or 5 × a power of ten, four or five ticks."""
    highest = max(Decimal(highest), Decimal(1))
    magnitude = Decimal(1)
    while magnitude * 10 <= highest:
        magnitude *= 10
    while magnitude > highest:
        magnitude /= 10
    for factor in (Decimal("0.1"), Decimal("0.2"), Decimal("0.5"), 1, 2, 5, 10):
        step = magnitude * factor
        if highest / step <= 5:
            ticks = (highest / step).to_integral_value(rounding=ROUND_CEILING)
            return step * ticks, step
    return highest, highest  # pragma: no cover (10 × magnitude always fits)


def _attrs(**values) -> str:
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for key, value in values.items()
    )


def stacked_bars_svg(chart: Chart) -> SafeString:
    """The drawing: axis with its ticks, a bar per category (a <title> per segment, read as a
    tooltip), the line, the legend."""
    count = len(chart.categories)
    totals = chart.totals
    line = [Decimal(v) for v in chart.line.values] if chart.line else []
    top, step = nice_top(max([*totals, *line, Decimal(0)]))
    legend_items = len(chart.series) + (1 if chart.line else 0)
    legend_rows = -(-legend_items // LEGEND_PER_ROW)
    # Room under the legend for the unit and the tallest bar's total.
    plot_top = TOP + legend_rows * LEGEND_ROW + FONT + 10
    plot_height = HEIGHT - plot_top - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(count, 1)
    bar = slot * 0.62

    def y(value) -> float:
        return plot_top + plot_height - float(Decimal(value) / top) * plot_height

    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="inherit" font-size="{FONT}">',
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(describe(chart))}</desc>',
    ]
    # Axis and horizontal grid.
    tick = Decimal(0)
    while tick <= top:
        ty = y(tick)
        parts.append(
            f"<line {_attrs(x1=LEFT, x2=WIDTH - RIGHT, y1=f'{ty:.1f}', y2=f'{ty:.1f}', stroke='#d9e2ec')}/>"
            f"<text {_attrs(x=LEFT - 6, y=f'{ty + 4:.1f}', text_anchor='end', fill='#52606d')}>"
            f"{escape(number(tick))}</text>"
        )
        tick += step
    if chart.unit:
        parts.append(f"<text {_attrs(x=4, y=plot_top - 8, fill='#52606d')}>{escape(chart.unit)}</text>")
    short = chart.short_categories or chart.categories
    for index, category in enumerate(chart.categories):
        x = LEFT + slot * index + (slot - bar) / 2
        base = Decimal(0)
        for number_, series in enumerate(chart.series):
            value = Decimal(series.values[index])
            if value <= 0:
                continue
            y_top, y_base = y(base + value), y(base)
            label = f"{category} — {series.label} : {with_unit(value, chart.unit)}"
            box = _attrs(x=f"{x:.1f}", y=f"{y_top:.1f}", width=f"{bar:.1f}", height=f"{y_base - y_top:.1f}")
            parts.append(
                f"<rect {box}"
                f' fill="{PALETTE[number_ % len(PALETTE)]}" stroke="#fff" stroke-width="1">'
                f"<title>{escape(label)}</title></rect>"
            )
            base += value
        over = chart.is_over(index)
        centre = x + bar / 2
        if totals[index] > 0 or over:
            mark = f"{number(totals[index])}{' ▲' if over else ''}"
            colour = OVER_COLOUR if over else "#1f2933"
            parts.append(
                f"<text {_attrs(x=f'{centre:.1f}', y=f'{y(totals[index]) - 4:.1f}', text_anchor='middle')}"
                f' fill="{colour}" font-weight="{700 if over else 400}">{escape(mark)}</text>'
            )
        under = _attrs(
            x=f"{centre:.1f}", y=HEIGHT - BOTTOM + FONT + 6, text_anchor="middle", fill=LINE_COLOUR
        )
        parts.append(f"<text {under}>{escape(short[index])}</text>")
    if chart.line:
        parts.append(_line_path(chart, line, slot, y))
    parts.append(_legend(chart))
    parts.append("</svg>")
    # Escaped piece by piece above; the rest is numbers and fixed markup.
    html = "".join(parts)
    return mark_safe(html)  # nosec B308 B703


def _line_path(chart: Chart, values: list[Decimal], slot: float, y) -> str:
    """The line as steps across each bar's slot: flat for a budget that does not change."""
    points = []
    for index, value in enumerate(values):
        left, right = LEFT + slot * index, LEFT + slot * (index + 1)
        points += [f"{left:.1f},{y(value):.1f}", f"{right:.1f},{y(value):.1f}"]
    label = f"{chart.line.label} : " + ", ".join(
        f"{c} {with_unit(v, chart.unit)}" for c, v in zip(chart.categories, values, strict=True)
    )
    if len(set(values)) == 1:
        label = f"{chart.line.label} : {with_unit(values[0], chart.unit)}"
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5" '
        f'stroke-dasharray="8 5"><title>{escape(label)}</title></polyline>'
    )


def _legend(chart: Chart) -> str:
    """The series' colours and the line's dashes, two to a row, above the bars."""
    items = [
        (s.label, f'<rect width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        for i, s in enumerate(chart.series)
    ]
    if chart.line:
        items.append(
            (
                chart.line.label,
                f'<line x1="0" x2="18" y1="6" y2="6" stroke="{LINE_COLOUR}" stroke-width="2.5" '
                'stroke-dasharray="6 3"/>',
            )
        )
    parts = ['<g class="chart-legend">']
    column = (WIDTH - LEFT) / LEGEND_PER_ROW
    for index, (label, swatch) in enumerate(items):
        x = LEFT + column * (index % LEGEND_PER_ROW)
        y_ = TOP + LEGEND_ROW * (index // LEGEND_PER_ROW)
        parts.append(
            f'<g transform="translate({x:.1f} {y_:.1f})">{swatch}'
            f'<text x="22" y="11" fill="#1f2933">{escape(label)}</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


def describe(chart: Chart) -> str:
    """The <desc>: the chart's own description, then each bar's total and the line in words, so
    that a screen reader gets the figures without reaching the table."""
    totals = chart.totals
    figures = "; ".join(
        f"{category} : {with_unit(total, chart.unit)}"
        + (f" ({chart.over_note})" if chart.over_note and chart.is_over(index) else "")
        for index, (category, total) in enumerate(zip(chart.categories, totals, strict=True))
    )
    text = f"{chart.description} {figures}."
    if chart.line:
        values = [Decimal(v) for v in chart.line.values]
        if len(set(values)) == 1:
            text += f" {chart.line.label} : {with_unit(values[0], chart.unit)}."
    return text + " " + _("Les données sont reprises dans le tableau qui suit.")


def data_table_html(chart: Chart) -> SafeString:
    """The same data as a table: a row per category, a column per series, the total, the line
    and the extra columns; in a box that scrolls on a narrow screen."""
    headers = chart.headers()
    units = ["", *([chart.unit] * (len(headers) - 1 - len(chart.columns)))]
    units += [chart.unit if c.unit is None else c.unit for c in chart.columns]
    head = "".join(
        f'<th scope="col">{escape(h)}{f" ({escape(u)})" if u else ""}</th>'
        for h, u in zip(headers, units, strict=True)
    )
    rows = []
    totals = chart.totals
    for index, category in enumerate(chart.categories):
        cells = [*(s.values[index] for s in chart.series), totals[index]]
        if chart.line:
            cells.append(chart.line.values[index])
        cells += [c.values[index] for c in chart.columns]
        note = ""
        if chart.over_note and chart.is_over(index):
            note = f' <strong class="tag danger">{escape(chart.over_note)}</strong>'
        row_class = ' class="over"' if note else ""
        rows.append(
            f'<tr{row_class}><th scope="row">{escape(category)}{note}</th>'
            + "".join(
                f'<td data-label="{escape(headers[i + 1])}">{escape(number(v))}</td>'
                for i, v in enumerate(cells)
            )
            + "</tr>"
        )
    html = (
        f'<div class="table-scroll"><table class="chart-table" id="{escape(chart.id)}-table">'
        f"<caption>{escape(chart.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    # Escaped piece by piece above.
    return mark_safe(html)  # nosec B308 B703
