"""The network, the agreement and the plan as FHIR R4 JSON, for the person's other tools."""

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from meetings.situations.fhir import situation_bundle
from meetings.situations.lookups import log_read, situation_for


@never_cache
def fhir_export(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    log_read(request, situation, "fhir")
    body = json.dumps(situation_bundle(situation), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="situation-{situation.pk}.fhir.json"'
    return response
