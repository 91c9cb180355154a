"""A round's report for its network: the visits, between which kinds of services, how many went
both ways, the feedback counted by side and the excerpts their authors agreed to share; and its
CSV for the coordinators (one row per confirmed visit, services rather than people).

The page is read by the network's members (404 for others), the CSV by its coordinators (404
for others too: it is not a page they were shown a link to)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.exchanges import report, rules
from meetings.exchanges.models import ExchangeRound, Side
from meetings.exchanges.report_queries import round_report
from meetings.exports import csv_response, spreadsheet_csv


def _round_or_404(pk: int) -> ExchangeRound:
    return get_object_or_404(ExchangeRound.objects.select_related("network"), pk=pk)


def _matrix_rows(figures: report.Figures) -> list[dict]:
    """The matrix as the table shows it: one row per visitor's kind, a cell per host's kind
    (0 where none), each with its column's label for a phone's stacked reading."""
    cols = [(kind, report.kind_label(kind)) for kind in figures.kinds_cols]
    return [
        {
            "label": report.kind_label(row),
            "cells": [(label, figures.matrix.get((row, col), 0)) for col, label in cols],
        }
        for row in figures.kinds_rows
    ]


@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    if not rules.can_see_report(request.user, round):
        raise Http404
    data = round_report(round, now=timezone.now())
    figures = data.figures
    context = {
        "round": round,
        "figures": figures,
        "rate": round_percent(figures.reciprocity_rate),
        "columns": [report.kind_label(kind) for kind in figures.kinds_cols],
        "matrix_rows": _matrix_rows(figures),
        "from_visitors": data.feedback_by_side.get(Side.VISITOR, 0),
        "from_hosts": data.feedback_by_side.get(Side.HOST, 0),
        "excerpts": data.excerpts,
        "may_export": rules.can_export_report(request.user, round),
    }
    return render(request, "exchanges/report.html", context)


def round_percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


def _yes(value: bool) -> str:
    return _("oui") if value else _("non")


def _excerpt_text(excerpt) -> str:
    if excerpt is None:
        return ""
    if not excerpt.will_change:
        return excerpt.discovered
    return f"{excerpt.discovered}\n{_('Ce que je change')} : {excerpt.will_change}"


def csv_rows(data) -> list[list]:
    header = [
        _("Date"),
        _("Durée"),
        _("Service en visite"),
        _("Type de service en visite"),
        _("Service d'accueil"),
        _("Type de service d'accueil"),
        _("A eu lieu"),
        _("Réciproque"),
        _("Retour de la personne en visite"),
        _("Retour de l'accueil"),
        _("Extrait de la personne en visite : auteur·e"),
        _("Extrait de la personne en visite"),
        _("Extrait de l'accueil : auteur·e"),
        _("Extrait de l'accueil"),
    ]
    rows = [header]
    for visit in data.visits:
        by_visitor, by_host = visit.excerpts.get(Side.VISITOR), visit.excerpts.get(Side.HOST)
        rows.append(
            [
                visit.day.isoformat(),
                visit.part,
                visit.visitor_service,
                visit.visitor_kind,
                visit.host_service,
                visit.host_kind,
                _yes(visit.took_place),
                _yes(visit.reciprocal),
                _yes(Side.VISITOR in visit.feedback_from),
                _yes(Side.HOST in visit.feedback_from),
                by_visitor.author_name if by_visitor else "",
                _excerpt_text(by_visitor),
                by_host.author_name if by_host else "",
                _excerpt_text(by_host),
            ]
        )
    return rows


@require_GET
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round_or_404(pk)
    if not rules.can_export_report(request.user, round):
        raise Http404
    data = round_report(round, now=timezone.now())
    return csv_response(spreadsheet_csv(csv_rows(data)), f"vis-ma-vie-{round.pk}.csv")


urlpatterns = [
    path("exchanges/rounds/<int:pk>/report/", report_page, name="report"),
    path("exchanges/rounds/<int:pk>/report.csv", report_csv, name="report_csv"),
]
