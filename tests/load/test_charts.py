"""The server-drawn charts: the SVG carries its data, names itself for a screen reader, and the
same figures follow in a table."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from meetings.load.charts import Chart, Column, Series, nice_top


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def chart(**changes) -> Chart:
    fields = {
        "id": "load",
        "title": "Ma charge de réunions",
        "description": "Heures de réunion par mois.",
        "category_header": "Mois",
        "categories": ["septembre 2026", "octobre 2026"],
        "short_categories": ["sept.", "oct."],
        "series": [
            Series("Intervision", [Decimal("1.5"), Decimal("3")]),
            Series("Groupe <Balint>", [Decimal("2"), Decimal("9.5")]),
        ],
        "unit": "h",
        "line": Series("Budget", [Decimal("4"), Decimal("4")]),
        "columns": [
            Column("dont trajets", [Decimal("0.5"), Decimal("1")]),
            Column("présents", [80, 75], unit="%"),
        ],
        "over_note": "au-dessus du budget",
    }
    return Chart(**(fields | changes))


def test_the_svg_is_an_image_named_by_its_title_and_description():
    svg = str(chart().svg())

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="load-title load-desc"' in svg
    assert '<title id="load-title">Ma charge de réunions</title>' in svg
    desc = re.search(r'<desc id="load-desc">(.*?)</desc>', svg).group(1)
    assert desc.startswith("Heures de réunion par mois.")
    assert "septembre 2026 : 3,5\u00a0h" in desc
    assert "octobre 2026 : 12,5\u00a0h (au-dessus du budget)" in desc
    assert "Budget : 4\u00a0h" in desc


def test_the_svg_carries_each_value_its_total_the_legend_and_the_line():
    svg = str(chart().svg())

    # A segment per non-zero value, each saying what it is.
    titles = re.findall(r"<rect [^>]*><title>(.*?)</title></rect>", svg)
    assert titles == [
        "septembre 2026 — Intervision : 1,5\u00a0h",
        "septembre 2026 — Groupe &lt;Balint&gt; : 2\u00a0h",
        "octobre 2026 — Intervision : 3\u00a0h",
        "octobre 2026 — Groupe &lt;Balint&gt; : 9,5\u00a0h",
    ]
    # Totals above the bars, the bar above the line marked in words' stead by a sign and colour.
    assert ">3,5</text>" in svg and ">12,5 ▲</text>" in svg
    assert ">sept.</text>" in svg and ">oct.</text>" in svg
    assert "<title>Budget : 4\u00a0h</title></polyline>" in svg
    legend = svg[svg.index('class="chart-legend"') :]
    assert (
        ">Intervision</text>" in legend
        and ">Groupe &lt;Balint&gt;</text>" in legend
        and ">Budget</text>" in legend
    )
    assert "<Balint>" not in svg


def test_taller_bars_are_taller_and_the_axis_reaches_above_the_highest():
    svg = str(chart().svg())

    heights = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]
    assert heights[3] > heights[2] > heights[1] > heights[0] > 0
    # No segment is drawn above the top of the drawing.
    assert all(float(y) >= 0 for y in re.findall(r'<rect x="[^"]+" y="([^"]+)"', svg))
    assert nice_top(Decimal("12.5")) == (Decimal(15), Decimal(5))


def test_the_table_repeats_the_data_with_caption_and_headers():
    table = str(chart().table())

    assert '<div class="table-scroll">' in table
    assert "<caption>Ma charge de réunions</caption>" in table
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers == [
        "Mois",
        "Intervision (h)",
        "Groupe &lt;Balint&gt; (h)",
        "Total (h)",
        "Budget (h)",
        "dont trajets (h)",
        "présents (%)",
    ]
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(.*?)</th>(.*?)</tr>", table)
    assert [(row, re.findall(r">([^<]*)</td>", cells)) for row, cells in rows] == [
        ("septembre 2026", ["1,5", "2", "3,5", "4", "0,5", "80"]),
        (
            'octobre 2026 <strong class="tag danger">au-dessus du budget</strong>',
            ["3", "9,5", "12,5", "4", "1", "75"],
        ),
    ]


def test_without_a_line_nothing_is_over_and_the_figure_holds_both_parts():
    plain = chart(line=None, over_note="au-dessus du budget")

    html = str(plain.html())

    assert html.startswith('<figure class="chart">') and html.index("<svg") < html.index("<table")
    assert "▲" not in html and "au-dessus" not in html and "polyline" not in html


def test_values_must_match_the_categories():
    with pytest.raises(ValueError, match="Intervision"):
        chart(series=[Series("Intervision", [Decimal(1)])])
