"""The situation a page is about, with what this person is to it: not found (404) for anyone the
rules do not let see it — a forged id, a coordinator or a superuser outside its network alike —
refused (403) for who sees it but may not open this part."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from audit.services import record_read
from meetings.situations.models import Situation
from meetings.situations.rules import Access, access_for


def situation_or_404(request: HttpRequest, pk: int) -> tuple[Situation, Access]:
    situation = get_object_or_404(Situation.objects.select_related("network", "requested_by"), pk=pk)
    access = access_for(request.user, situation)
    if not access.sees:
        raise Http404
    return situation, access


def situation_for(request: HttpRequest, pk: int, need: str) -> tuple[Situation, Access]:
    """The situation, if ACCESS.<need> holds (e.g. "manages", "reads_plan")."""
    situation, access = situation_or_404(request, pk)
    if not getattr(access, need):
        raise PermissionDenied
    return situation, access


def log_read(request: HttpRequest, situation: Situation, item: str, *, item_id: int | None = None) -> None:
    """One read of the situation's ITEM by the person asking, from this page (privacy rule 6)."""
    record_read(
        reader=request.user, subject=situation.audit_subject, item=item, item_id=item_id, path=request.path
    )
