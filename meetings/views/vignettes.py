"""Writing, checking, sharing, reading and withdrawing vignettes. Every page showing a vignette's
text is marked no-store: browsers and proxies keep no copy of case material."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings.forms_vignettes import VignetteForm
from meetings.models import Vignette, VignetteStatus
from meetings.services import vignettes as vignette_services
from meetings.views.meetings import visible_meeting_or_404


def own_vignette_or_404(request: HttpRequest, pk: int) -> Vignette:
    vignette = get_object_or_404(Vignette.objects.select_related("meeting__group", "author"), pk=pk)
    if vignette.author_id != request.user.pk:
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
        context = {"meeting": meeting, "reason": " ".join(error.messages)}
        return render(request, "meetings/vignette_refused.html", context)
    form = VignetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vignette = vignette_services.vignette_create(
                meeting=meeting, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("meetings:vignette_check", pk=vignette.pk)
    return render(request, "meetings/vignette_form.html", {"meeting": meeting, "form": form})


@never_cache
def vignette_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    initial = {"title": vignette.title, "text": vignette.text, "names": vignette.names_to_remove}
    form = VignetteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vignette_services.vignette_update(vignette=vignette, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("meetings:vignette_check", pk=vignette.pk)
    context = {"meeting": vignette.meeting, "form": form, "vignette": vignette}
    return render(request, "meetings/vignette_form.html", context)


CHOICES = {"replace", "custom", "keep"}


def decisions_from(post) -> list[vignette_services.Decision]:
    """The author's decisions, one per finding row. A malformed row (a forged or outdated form)
    refuses them all: nothing is applied halfway."""
    decisions = []
    for index in post.getlist("finding"):
        choice = post.get(f"choice-{index}", "replace")
        try:
            start, end = int(post.get(f"start-{index}")), int(post.get(f"end-{index}"))
        except (TypeError, ValueError):
            start = end = None
        if start is None or not 0 <= start < end or choice not in CHOICES:
            raise ValidationError(vignette_services.STALE, code="stale")
        decisions.append(
            vignette_services.Decision(
                start=start,
                end=end,
                keep=choice == "keep",
                replacement=post.get(f"custom-{index}", "") if choice == "custom" else None,
                reason=post.get(f"reason-{index}", ""),
            )
        )
    return decisions


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
    if vignette.status != VignetteStatus.DRAFT:
        return redirect("meetings:vignette", pk=vignette.pk)
    if request.method == "POST":
        try:
            vignette_services.vignette_resolve(
                vignette=vignette, by=request.user, decisions=decisions_from(request.POST)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            # The page it leads back to says what is left to resolve, if anything.
            messages.success(request, _("Modifications enregistrées."))
        return redirect("meetings:vignette_check", pk=vignette.pk)
    findings = vignette_services.open_findings(vignette)
    context = {
        "vignette": vignette,
        "meeting": vignette.meeting,
        "findings": list(enumerate(findings)),
        "segments": segments(vignette.text, findings),
        "readable_until": vignette_services.readable_until(vignette.meeting),
    }
    return render(request, "meetings/vignette_check.html", context)


@require_POST
def vignette_share(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    try:
        vignette_services.vignette_share(
            vignette=vignette, by=request.user, confirmed=request.POST.get("confirm") == "on"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:vignette_check", pk=vignette.pk)
    messages.success(request, _("Vignette partagée avec les participants de la réunion."))
    return redirect("meetings:vignette", pk=vignette.pk)


@require_POST
def vignette_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = own_vignette_or_404(request, pk)
    try:
        vignette_services.vignette_withdraw(vignette=vignette, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vignette retirée : son texte est effacé."))
    return redirect("meetings:vignette", pk=vignette.pk)


@never_cache
def vignette_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vignette = get_object_or_404(Vignette.objects.select_related("meeting__group", "author"), pk=pk)
    is_author = vignette.author_id == request.user.pk
    text = ""
    if vignette.has_text or not is_author:  # the author of an emptied vignette sees its tombstone
        try:
            text = vignette_services.vignette_read(vignette=vignette, reader=request.user)
        except PermissionDenied:
            raise Http404 from None  # not shared with you, or past its time: as if it did not exist
    reads = list(vignette.reads.select_related("reader")) if is_author else None
    context = {
        "vignette": vignette,
        "meeting": vignette.meeting,
        "text": text,
        "is_author": is_author,
        "reads": reads,
        "read_count": len(reads) if is_author else None,
        "readable_until": vignette_services.effective_until(vignette),
    }
    return render(request, "meetings/vignette_detail.html", context)
