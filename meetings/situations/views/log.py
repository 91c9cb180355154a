"""The access log of a situation: every read, by whom and when; printable for the person."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from audit.queries import reads_of
from meetings.situations.lookups import situation_for

LOG_PAGE = 500


@never_cache
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    reads = list(reads_of(situation.audit_subject)[:LOG_PAGE])
    context = {"situation": situation, "reads": reads, "truncated": len(reads) == LOG_PAGE}
    return render(request, "situations/log.html", context)
