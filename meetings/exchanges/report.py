"""The network report's figures, on plain data: no query, no request.

Input: one VisitRow per confirmed visit of a round (the placement, the visitor's service and its
kind, the host service and its kind, whether the visit took place). Output: Figures.

Reciprocity is between services: a visit X→Y that took place is *reciprocal* when a visit Y→X
took place too in the same round (X ≠ Y). It is a property of each visit, not a pairing: when X
visited Y twice and Y visited X once, all three visits are reciprocal (the exchange between X and
Y went both ways), so the rate counts 3 of 3. A visit within one service is never reciprocal.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import OrganisationKind


@dataclass(frozen=True)
class VisitRow:
    placement_id: int
    visitor_org_id: int
    visitor_kind: str
    host_org_id: int
    host_kind: str
    took_place: bool


@dataclass(frozen=True)
class Figures:
    confirmed: int
    took_place: int
    # Visits that took place, by (visitor's kind, host's kind); only pairs that occur.
    matrix: dict[tuple[str, str], int]
    kinds_rows: list[str]  # visitors' kinds that occur in the matrix, in OrganisationKind's order
    kinds_cols: list[str]  # hosts' kinds, likewise
    reciprocal_visits: int
    reciprocity_rate: float | None  # reciprocal_visits / took_place; None when none took place


def _kind_order(kind: str) -> tuple[int, str]:
    values = list(OrganisationKind.values)
    return (values.index(kind), kind) if kind in values else (len(values), kind)


def reciprocal_ids(rows: list[VisitRow]) -> set[int]:
    """The placements of ROWS that took place and whose reverse took place too."""
    done = [row for row in rows if row.took_place]
    directions = {(row.visitor_org_id, row.host_org_id) for row in done}
    return {
        row.placement_id
        for row in done
        if row.visitor_org_id != row.host_org_id and (row.host_org_id, row.visitor_org_id) in directions
    }


def figures(rows: list[VisitRow]) -> Figures:
    done = [row for row in rows if row.took_place]
    matrix = dict(Counter((row.visitor_kind, row.host_kind) for row in done))
    reciprocal = len(reciprocal_ids(rows))
    return Figures(
        confirmed=len(rows),
        took_place=len(done),
        matrix=matrix,
        kinds_rows=sorted({v for v, _h in matrix}, key=_kind_order),
        kinds_cols=sorted({h for _v, h in matrix}, key=_kind_order),
        reciprocal_visits=reciprocal,
        reciprocity_rate=reciprocal / len(done) if done else None,
    )


def kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else _("type non précisé")
