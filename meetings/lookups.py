"""The group or meeting a page is about, fetched and checked against the rules: not found (404)
for who may not see it, refused (403) for who sees it but may not change it. Views of the core
and of every capability app use these; no view module imports another."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from meetings import rules
from meetings.models import Meeting, StandingGroup


def visible_group_or_404(request: HttpRequest, pk: int, *, annotations: dict | None = None) -> StandingGroup:
    """ANNOTATIONS: what a page reads of the group besides its row, in the same query."""
    groups = StandingGroup.objects.select_related("network").annotate(**(annotations or {}))
    group = get_object_or_404(groups, pk=pk)
    if not rules.can_see_group(request.user, group):
        raise Http404
    return group


def managed_group_or_403(request: HttpRequest, pk: int) -> StandingGroup:
    group = visible_group_or_404(request, pk)
    if not rules.can_manage_group(request.user, group):
        raise PermissionDenied
    return group


def visible_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("group", "network", "series", "organiser"), pk=pk
    )
    if not rules.can_see_meeting(request.user, meeting):
        raise Http404
    return meeting


def editable_meeting_or_403(request: HttpRequest, pk: int) -> Meeting:
    meeting = visible_meeting_or_404(request, pk)
    if not rules.can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting
