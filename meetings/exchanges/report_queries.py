"""The rows behind a round's report, read in two queries whatever the size of the round: its
confirmed placements (with both services and the meeting) and their feedback (with authors).

What leaves here for the page and the CSV: the figures (report.py), feedback counted per side,
and the excerpts whose authors agreed to be quoted, never the others.
"""

from dataclasses import dataclass
from datetime import date, datetime

from meetings.exchanges import report
from meetings.exchanges.models import ExchangeRound, Feedback, Placement, Side
from meetings.exchanges.timing import taking_place_q, took_place


@dataclass(frozen=True)
class Excerpt:
    placement_id: int
    author_name: str
    side: str
    side_label: str
    host_service: str
    discovered: str
    will_change: str


@dataclass(frozen=True)
class Visit:
    """One confirmed visit, as the CSV lists it (services, never people)."""

    placement_id: int
    day: date
    part: str
    visitor_service: str
    visitor_kind: str
    host_service: str
    host_kind: str
    took_place: bool
    reciprocal: bool
    feedback_from: frozenset  # the sides (Side values) who wrote
    excerpts: dict  # side → Excerpt, consented ones only


@dataclass(frozen=True)
class RoundReport:
    figures: report.Figures
    feedback_by_side: dict  # Side value → count
    excerpts: list[Excerpt]
    visits: list[Visit]


def _placements(round: ExchangeRound) -> list[Placement]:
    return list(
        # Confirmed visits whose meeting still takes place: one cancelled on its own page is not
        # counted as confirmed either.
        Placement.objects.filter(taking_place_q(), round=round)
        .select_related("meeting", "application__organisation", "offer_date__offer__organisation")
        .order_by("offer_date__day", "offer_date__part", "pk")
    )


def round_report(round: ExchangeRound, *, now: datetime) -> RoundReport:
    placements = _placements(round)
    rows = [
        report.VisitRow(
            placement_id=p.pk,
            visitor_org_id=p.application.organisation_id,
            visitor_kind=p.application.organisation.kind,
            host_org_id=p.offer_date.offer.organisation_id,
            host_kind=p.offer_date.offer.organisation.kind,
            took_place=took_place(p, now=now),
        )
        for p in placements
    ]
    figures = report.figures(rows)
    reciprocal = report.reciprocal_ids(rows)
    by_pk = {p.pk: p for p in placements}
    feedback = list(
        Feedback.objects.filter(placement__in=list(by_pk))
        .select_related("author")
        .order_by("written_at", "pk")
    )
    counts = dict.fromkeys(Side.values, 0)
    sides_of: dict[int, set] = {}
    excerpts_of: dict[int, dict] = {}
    excerpts = []
    for item in feedback:
        counts[item.side] = counts.get(item.side, 0) + 1
        sides_of.setdefault(item.placement_id, set()).add(item.side)
        if not item.share_excerpt:
            continue
        excerpt = Excerpt(
            placement_id=item.placement_id,
            author_name=item.author.get_full_name(),
            side=item.side,
            side_label=item.get_side_display(),
            host_service=by_pk[item.placement_id].offer_date.offer.organisation.name,
            discovered=item.discovered,
            will_change=item.will_change,
        )
        excerpts.append(excerpt)
        excerpts_of.setdefault(item.placement_id, {})[item.side] = excerpt
    visits = [
        Visit(
            placement_id=p.pk,
            day=p.offer_date.day,
            part=p.offer_date.get_part_display(),
            visitor_service=p.application.organisation.name,
            visitor_kind=report.kind_label(row.visitor_kind),
            host_service=p.offer_date.offer.organisation.name,
            host_kind=report.kind_label(row.host_kind),
            took_place=row.took_place,
            reciprocal=p.pk in reciprocal,
            feedback_from=frozenset(sides_of.get(p.pk, ())),
            excerpts=excerpts_of.get(p.pk, {}),
        )
        for p, row in zip(placements, rows, strict=True)
    ]
    return RoundReport(figures=figures, feedback_by_side=counts, excerpts=excerpts, visits=visits)
