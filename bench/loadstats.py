"""The arithmetic of the load test (bench/load.py): percentiles, each page's figures against
the floor's, the targets and the Markdown table. Pure functions, tested in
tests/project/test_bench_load.py."""

import math
from dataclasses import dataclass

# Issue 15's targets on the 2-core machine: every page under 250 ms at the 95th percentile and
# serving at least a quarter of what the floor (the base layout alone) serves.
P95_TARGET_MS = 250.0
FLOOR_SHARE_TARGET = 0.25


def percentile(values: list[float], fraction: float) -> float:
    """The FRACTION (0–1) percentile of VALUES by linear interpolation between the closest ranks
    (numpy's default), so that the median of an even count is the mean of the middle two."""
    if not values:
        raise ValueError("no values")
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Run:
    """One page loaded by the clients for a while: the latency of each answered request (in
    seconds), the wall time, and the requests whose status was not the one expected."""

    page: str
    latencies: list[float]
    seconds: float
    errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds > 0 else 0.0

    @property
    def median_ms(self) -> float:
        return percentile(self.latencies, 0.5) * 1000 if self.latencies else math.nan

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 0.95) * 1000 if self.latencies else math.nan


@dataclass(frozen=True)
class Row:
    page: str
    rate: float
    median_ms: float
    p95_ms: float
    floor_share: float | None  # None for the floor itself
    errors: int

    @property
    def p95_met(self) -> bool:
        return self.p95_ms < P95_TARGET_MS

    @property
    def share_met(self) -> bool:
        return self.floor_share is None or self.floor_share >= FLOOR_SHARE_TARGET

    @property
    def met(self) -> bool:
        """The targets hold (the floor, the reference, has none but to answer without error)."""
        if self.floor_share is None:
            return self.errors == 0
        return self.errors == 0 and self.p95_met and self.share_met


def merge(page: str, runs: list[Run]) -> Run:
    """The floor's runs (one between every two pages) as one."""
    return Run(
        page=page,
        latencies=[latency for run in runs for latency in run.latencies],
        seconds=sum(run.seconds for run in runs),
        errors=sum(run.errors for run in runs),
    )


def rows(floors: list[Run], pages: list[Run]) -> list[Row]:
    """The floor's row, then one per page. FLOORS has one more run than PAGES: floor, page,
    floor, page, …, floor. Each page is compared with the mean of the two floors around it, so
    that a machine slowing down during the run slows a page and its floor alike."""
    if len(floors) != len(pages) + 1:
        raise ValueError("the floor runs before and after every page")
    floor = merge("floor (base layout, logged in)", floors)
    table = [Row(floor.page, floor.rate, floor.median_ms, floor.p95_ms, None, floor.errors)]
    for i, run in enumerate(pages):
        around = (floors[i].rate + floors[i + 1].rate) / 2
        share = run.rate / around if around > 0 else 0.0
        table.append(Row(run.page, run.rate, run.median_ms, run.p95_ms, share, run.errors))
    return table


def _verdict(row: Row) -> str:
    if row.errors:
        return f"no: {row.errors} errors"
    if row.floor_share is None:
        return "— (reference)"
    missed = []
    if not row.p95_met:
        missed.append("p95")
    if not row.share_met:
        missed.append("throughput")
    return "yes" if not missed else "no: " + ", ".join(missed)


def render(table: list[Row]) -> str:
    """The Markdown table the README shows."""
    lines = [
        "| page | requests/s | median ms | p95 ms | × floor | targets met |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in table:
        share = "1.00" if row.floor_share is None else f"{row.floor_share:.2f}"
        figures = [f"{row.rate:.1f}", f"{row.median_ms:.0f}", f"{row.p95_ms:.0f}", share]
        cells = [row.page, *figures, _verdict(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
