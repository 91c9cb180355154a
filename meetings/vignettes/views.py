"""Writing, checking, sharing, reading and withdrawing vignettes. Every page showing a vignette's
text is marked no-store: browsers and proxies keep no copy of case material."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.errors import error_text
from meetings.lookups import visible_meeting_or_404
from meetings.vignettes import rules
from meetings.vignettes import services as vignette_services
from meetings.vignettes.forms import CUSTOM, KEEP, DecisionFormSet, VignetteForm
from meetings.vignettes.models import Vignette, VignetteStatus, retention_end


def own_vignette_or_404(request: HttpRequest, pk: int) -> Vignette:
    vignette = get_object_or_404(Vignette.objects.select_related("meeting__group", "author"), pk=pk)
    if not rules.is_vignette_author(request.user, vignette):
        raise Http404
    return vignette


@never_cache
def vignette_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    try:
        # A non-participant gets PermissionDenied (403); a kind without written case material, or a
        # meeting cancelled, closed or past, the refusal page with its reason.
        vignette_services.check_can_write(request.user, meeting)
    except ValidationError as error:
        context = {"meeting": meeting, "reason": error_text(error)}
        return render(request, "vignettes/vignette_refused.html", context)
    form = VignetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vignette = vignette_services.vignette_create(
                meeting=meeting, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("vignettes:vignette_check", pk=vignette.pk)
    return render(request, "vignettes/vignette_form.html", {"meeting": meeting, "form": form})


@never_cache
def vignette_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    if not rules.can_read_vignette(request.user, vignette):
        return redirect("vignettes:vignette", pk=vignette.pk)  # emptied, or past its time: the tombstone
    initial = {"title": vignette.title, "text": vignette.text, "names": vignette.names_to_remove}
    form = VignetteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vignette_services.vignette_update(vignette=vignette, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("vignettes:vignette_check", pk=vignette.pk)
    context = {"meeting": vignette.meeting, "form": form, "vignette": vignette}
    return render(request, "vignettes/vignette_form.html", context)


FINDINGS_PREFIX = "finding"


def decisions_from(post) -> list[vignette_services.Decision]:
    """The author's decisions, one per finding row. A malformed row (a forged or outdated form)
    refuses them all: nothing is applied halfway."""
    formset = DecisionFormSet(post, prefix=FINDINGS_PREFIX)
    # Rows beyond those the page sent may be left empty and still count as valid: refuse them.
    if (
        not formset.is_valid()
        or formset.total_form_count() != formset.initial_form_count()
        or not all(formset.cleaned_data)
    ):
        raise ValidationError(vignette_services.STALE, code="stale")
    return [
        vignette_services.Decision(
            start=row["start"],
            end=row["end"],
            keep=row["choice"] == KEEP,
            replacement=row["custom"] if row["choice"] == CUSTOM else None,
            reason=row["reason"],
        )
        for row in formset.cleaned_data
    ]


def segments(text: str, findings) -> list[tuple[str, object]]:
    """The text cut into (piece, finding or None), to highlight findings inline."""
    pieces, position = [], 0
    for finding in findings:
        pieces.append((text[position : finding.start], None))
        pieces.append((text[finding.start : finding.end], finding))
        position = finding.end
    pieces.append((text[position:], None))
    return [(piece, finding) for piece, finding in pieces if piece]


@never_cache
def vignette_check(request: HttpRequest, pk: int) -> HttpResponse:
    """« Vérifier l'anonymat »: findings highlighted in the text, one decision each."""
    vignette = own_vignette_or_404(request, pk)
    if vignette.status != VignetteStatus.DRAFT or not rules.can_read_vignette(request.user, vignette):
        return redirect("vignettes:vignette", pk=vignette.pk)
    if request.method == "POST":
        try:
            vignette_services.vignette_resolve(
                vignette=vignette, by=request.user, decisions=decisions_from(request.POST)
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            # The page it leads back to says what is left to resolve, if anything.
            messages.success(request, _("Modifications enregistrées."))
        return redirect("vignettes:vignette_check", pk=vignette.pk)
    findings = vignette_services.open_findings(vignette)
    formset = DecisionFormSet(
        prefix=FINDINGS_PREFIX, initial=[{"start": f.start, "end": f.end} for f in findings]
    )
    context = {
        "vignette": vignette,
        "meeting": vignette.meeting,
        "findings": list(zip(formset, findings, strict=True)),
        "formset": formset,
        "segments": segments(vignette.text, findings),
        "readable_until": retention_end(vignette.meeting),
        # French and Dutch are read by their own rules; any other language gets the French ones.
        "language_recognised": vignette_services.language_recognised(vignette),
    }
    return render(request, "vignettes/vignette_check.html", context)


@require_POST
def vignette_share(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    try:
        vignette_services.vignette_share(
            vignette=vignette, by=request.user, confirmed=request.POST.get("confirm") == "on"
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("vignettes:vignette_check", pk=vignette.pk)
    messages.success(request, _("Vignette partagée avec les participants de la réunion."))
    return redirect("vignettes:vignette", pk=vignette.pk)


@require_POST
def vignette_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    try:
        vignette_services.vignette_withdraw(vignette=vignette, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Vignette retirée : son texte est effacé."))
    return redirect("vignettes:vignette", pk=vignette.pk)


@never_cache
def vignette_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = get_object_or_404(Vignette.objects.select_related("meeting__group", "author"), pk=pk)
    is_author = rules.is_vignette_author(request.user, vignette)
    try:
        text = vignette_services.vignette_read(vignette=vignette, reader=request.user)
    except PermissionDenied:
        if not is_author:
            raise Http404 from None  # not shared with you, or past its time: as if it did not exist
        text = ""  # the author of an emptied or expired vignette sees its tombstone and read log
    reads = list(vignette.reads.select_related("reader")) if is_author else None
    context = {
        "vignette": vignette,
        "meeting": vignette.meeting,
        "text": text,
        "is_author": is_author,
        "reads": reads,
        "read_count": len(reads) if is_author else None,
        "readable_until": vignette.effective_until,
    }
    return render(request, "vignettes/vignette_detail.html", context)
