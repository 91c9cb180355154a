"""The access log of a situation: every read, by whom and when; printable for the person."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from audit.queries import reads_of
from meetings.situations.lookups import situation_for

LOG_PAGE = 500
ITEM_LABELS = {
    "situation": _("la page de la situation"),
    "notes": _("les notes"),
    "map": _("la carte du réseau"),
    "plan": _("le plan"),
    "report": _("un compte rendu"),
    "report_pdf": _("un compte rendu (PDF)"),
    "consent_document": _("le formulaire d'accord"),
    "fhir": _("l'export FHIR"),
}


@never_cache
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    situation, access = situation_for(request, pk, "manages")
    reads = list(reads_of(situation.audit_subject)[:LOG_PAGE])
    for read in reads:
        read.label = ITEM_LABELS.get(read.item, read.item)  # the page it was read from is read.path
    context = {"situation": situation, "access": access, "reads": reads, "truncated": len(reads) == LOG_PAGE}
    return render(request, "situations/log.html", context)
