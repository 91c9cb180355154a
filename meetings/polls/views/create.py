"""/polls/new/: a new poll, its slots entered one by one, generated, or series patterns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings.polls import rules
from meetings.polls.forms import PollForm
from meetings.polls.models import PollMode
from meetings.polls.services.polls import poll_create
from meetings.polls.slots import dates_of
from meetings.recurrence import BRUSSELS, describe, format_date


def _refused(request: HttpRequest) -> HttpResponse | None:
    """Who may not create a poll anywhere is told so, on a page of its own (403)."""
    if rules.networks_for_new_polls(request.user).exists():
        return None
    return render(request, "polls/new.html", {"refused": True}, status=403)


def _slot_text(start, end) -> str:
    return _("%(day)s–%(end)s") % {
        "day": format_date(start),
        "end": end.astimezone(BRUSSELS).strftime("%H:%M"),
    }


def preview_context(form: PollForm) -> dict:
    """The slots the form's values make, or for a series each pattern in words with its next
    dates: once the candidates are readable, whatever else is missing."""
    if not form.is_bound:
        return {}
    form.is_valid()
    candidates = sorted(form.candidates, key=lambda c: (c.start, c.rrule))
    if form.cleaned_data.get("mode") == PollMode.SERIES:
        patterns = [
            {
                "rule": describe(c.rrule, c.start),
                "dates": [format_date(start) for start, _end in dates_of(c)],
            }
            for c in candidates
        ]
        return {"previewed": True, "series": True, "patterns": patterns, "slots": []}
    slots = [_slot_text(c.start, c.end) for c in dict.fromkeys(candidates)]
    return {"previewed": True, "series": False, "slots": slots, "patterns": []}


def _start_from(request: HttpRequest, form: PollForm) -> None:
    """A link from a group's page (?group=) starts the form with that group, its kind and
    network; ?kind= with a kind."""
    group_id = request.GET.get("group", "")
    group = form.fields["group"].queryset.filter(pk=group_id).first() if group_id.isdigit() else None
    if group is not None:
        form.initial.update(group=group.pk, kind=group.kind, network=group.network_id)
    elif request.GET.get("kind") in dict(form.fields["kind"].choices):
        form.initial["kind"] = request.GET["kind"]


@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    form = PollForm(request.POST or None, user=request.user)
    if not form.is_bound:
        _start_from(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            poll = poll_create(**form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Le sondage est enregistré : %(count)s proposition(s). Choisissez maintenant qui répond.")
                % {"count": poll.slots.count()},
            )
            return redirect(reverse("polls:detail", args=[poll.pk]))
    context = {"form": form, **(preview_context(form) if request.method == "POST" else {})}
    return render(request, "polls/new.html", context, status=400 if form.errors else 200)


@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """The slots the form being typed would make (htmx: the preview part alone); without
    JavaScript the "Aperçu" button opens the whole form again with its preview."""
    refused = _refused(request)
    if refused:
        return refused
    form = PollForm(request.GET or None, user=request.user)
    context = {"form": form, **preview_context(form)}
    if form.is_bound:
        # Only what is about the candidates is said here: the title may come later.
        for name in list(form.errors):
            if name not in form.candidate_fields():
                del form.errors[name]
    if request.headers.get("HX-Request"):
        return render(request, "polls/_preview.html", context)
    return render(request, "polls/new.html", context)


urlpatterns = [
    path("polls/new/", create, name="create"),
    path("polls/new/preview/", preview, name="preview"),
]
