"""The person's agreement: recording it (with its scope and exclusions), withdrawing it, and the
signed form, served only through the gate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.errors import error_text
from meetings.situations.forms import ConsentRecordForm, WithdrawForm
from meetings.situations.lookups import log_read, situation_for
from meetings.situations.models import Consent, MemberKind
from meetings.situations.rules import current_consent
from meetings.situations.services import consent as consent_services


def _initial(situation) -> dict:
    latest = situation.consents.first()
    if latest is None:
        # A first agreement: the professionals already on the map are proposed, to be checked with the person.
        return {
            "given_on": timezone.localdate(),
            "covered_members": list(situation.members.filter(kind=MemberKind.PROFESSIONAL)),
        }
    return {
        "given_on": timezone.localdate(),
        "basis": latest.basis,
        "basis_reference": latest.basis_reference,
        "covered_members": list(latest.covered_members.all()),
        "shared_content": latest.shared_content,
        "exclusions": "\n".join(e.name for e in latest.exclusions.all()),
        "relatives_limits": latest.relatives_limits,
    }


@never_cache
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    form = ConsentRecordForm(
        request.POST or None, request.FILES or None, situation=situation, initial=_initial(situation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_services.consent_record(
                situation=situation,
                by=request.user,
                basis=data["basis"],
                basis_reference=data["basis_reference"],
                given_on=data["given_on"],
                form=data["form"],
                document=data["document"] or None,
                covered_members=list(data["covered_members"]),
                shared_content=data["shared_content"],
                relatives_limits=data["relatives_limits"],
                exclusions=[consent_services.Exclusion(name=name) for name in data["exclusions"]],
            )
        except ValidationError as error:
            form.add_error("document" if error.code in {"too_big", "not_a_document"} else None, error)
        else:
            messages.success(request, _("Accord enregistré."))
            return redirect("situations:situation", pk=pk)
    history = list(
        situation.consents.select_related("recorded_by", "withdrawn_by").prefetch_related("exclusions")
    )
    context = {
        "situation": situation,
        "form": form,
        "current": current_consent(situation),
        "history": history,
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "situations/consent_form.html", context)


@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    situation, _access = situation_for(request, pk, "manages")
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        consent_services.consent_withdraw(situation=situation, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Accord retiré : les membres du réseau en sont informés."))
    return redirect("situations:situation", pk=pk)


@never_cache
def consent_document(request: HttpRequest, pk: int, consent_id: int) -> FileResponse:
    situation, _access = situation_for(request, pk, "reads_reports")
    consent = get_object_or_404(Consent, pk=consent_id, situation=situation)
    if not consent.document:
        raise Http404
    log_read(request, situation, "consent_document", item_id=consent.pk)
    extension = consent.document.name.rsplit(".", 1)[-1]
    response = FileResponse(
        consent.document.open("rb"),
        content_type=consent.document_type or "application/octet-stream",
        as_attachment=True,
        filename=f"accord-{consent.given_on:%Y-%m-%d}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
