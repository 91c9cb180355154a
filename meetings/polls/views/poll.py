"""A poll's page (results, ranked, for its organiser; what a participant may see), and closing:
decide on a slot (the meeting or series is created and invited), stop answers, reopen once.

Who manages the poll sees the results with names; a participant sees their own answers, and the
others' only when the poll is not private; anyone else gets a 404. Changes are POST only."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from meetings import ical
from meetings.errors import error_text
from meetings.polls import queries, rules
from meetings.polls.models import InviteChoice, Poll, PollStatus
from meetings.polls.services import closing
from meetings.polls.services.answers import slot_label
from meetings.polls.views.participants import manage_context, managed_poll_or_404
from meetings.polls.zones import zone_named
from meetings.recurrence import describe


class CloseForm(forms.Form):
    slot = forms.TypedChoiceField(label=gettext_lazy("Créneau retenu"), coerce=int, widget=forms.RadioSelect)
    invite = forms.ChoiceField(
        label=gettext_lazy("Qui inviter"),
        choices=InviteChoice.choices,
        initial=InviteChoice.ALL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.pk, slot.label) for slot in slots]


class ReopenForm(forms.Form):
    deadline = forms.DateTimeField(
        label=gettext_lazy("Nouvelle date limite des réponses"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _label(slot) -> str:
    """A slot as the answer page names it, in the active time zone; a pattern by its rule."""
    if slot.rrule:
        return _("%(rule)s (première séance le %(first)s)") % {
            "rule": describe(slot.rrule, slot.start),
            "first": formats.date_format(timezone.localtime(slot.start), "j F Y"),
        }
    return slot_label(slot, timezone.get_current_timezone())


def _poll_or_404(request: HttpRequest, pk: int) -> tuple[Poll, bool, object]:
    poll = get_object_or_404(Poll.objects.select_related("group", "organiser", "network"), pk=pk)
    manages = rules.can_manage_poll(request.user, poll)
    participant = None if manages else rules.participant_of(request.user, poll)
    if not manages and participant is None:
        raise Http404
    return poll, manages, participant


def _managed_or_404(request: HttpRequest, pk: int) -> Poll:
    """One rule for every change of a poll: 404 for who may not see it, 403 for a participant."""
    return managed_poll_or_404(request, pk)


def _cells(grid, *, show_busy: bool) -> list:
    """The grid's rows as the template shows them: (participant, [(slot label, word, class,
    "déjà pris" or "")]). Each word is translated once here, not once per cell of a grid that
    may hold hundreds (a network meeting's poll)."""
    words = {
        "yes": (_("oui"), "tag"),
        "maybe": (_("si nécessaire"), "tag"),
        "no": (_("non"), "tag warning-tag"),
        "": (_("pas de réponse"), "meta"),
    }
    taken = "(" + _("déjà pris") + ")"
    return [
        (
            person,
            [
                (slot.label, *words.get(choice, words[""]), taken if show_busy and busy else "")
                for slot, choice, busy in cells
            ],
        )
        for person, cells in grid
    ]


def _page(request, poll, *, manages, participant, close_form=None, reopen_form=None, error="", status=200):
    zone = zone_named(participant.time_zone if participant is not None else None)
    with timezone.override(zone):
        page = queries.poll_page(poll)
        now = timezone.now()
        for slot in page.slots:
            slot.label = _label(slot)
            slot.passed = slot.start <= now
        by_id = {slot.pk: slot for slot in page.slots}
        names = {p.pk: p.display_name for p in page.participants}
        sees_others = rules.sees_the_others(manages=manages, poll=poll)
        context = {
            "poll": poll,
            # Who is asked reads the poll as their e-mail named it (a concertation's title may
            # name the person it is about); who manages it, by its title.
            "heading": poll.title if manages else ical.public_heading(poll),
            "manages": manages,
            "participant": participant,
            "sees_others": sees_others,
            "page": page,
            "total": len(page.participants),
            "zone": zone.key,
            "error": error,
            "chosen": by_id.get(poll.chosen_slot_id),
        }
        if manages:
            context["ranked"] = [
                {
                    "result": result,
                    "slot": by_id[result.slot_id],
                    "required_no": [names[pid] for pid in result.required_no],
                }
                for result in page.ranked
            ]
            context["unanswered"] = page.unanswered
            context["grid"] = _cells(page.grid(), show_busy=True)
            if poll.status != PollStatus.DECIDED:
                open_slots = [slot for slot in page.slots if not slot.passed]
                # The best-ranked slot still to come is chosen already: the usual choice.
                best = next((r.slot_id for r in page.ranked if by_id[r.slot_id] in open_slots), None)
                context["close_form"] = close_form or CloseForm(slots=open_slots, initial={"slot": best})
                # A passed slot is never offered, even when the form comes back with an error.
                context["close_form"].fields["slot"].choices = [(slot.pk, slot.label) for slot in open_slots]
                context["open_slots"] = open_slots
            if poll.status == PollStatus.CLOSED and poll.reopened_at is None:
                context["reopen_form"] = reopen_form or ReopenForm()
            if poll.series_id:
                context["series_first"] = poll.series.occurrences.order_by("start").first()
            context.update(manage_context(request, poll))
        else:
            mine = page.grid([participant])[0][1]
            context["mine"] = mine
            context["answered"] = page.answered(participant)
            if sees_others:
                # Someone's conflicts come from their agenda and their own calendar: shown to
                # who manages the poll, not to the other participants.
                context["grid"] = _cells(page.grid(), show_busy=False)
        return render(request, "polls/poll.html", context, status=status)


@require_GET
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll, manages, participant = _poll_or_404(request, pk)
    return _page(request, poll, manages=manages, participant=participant)


@require_POST
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide on a slot: the meeting (or series) is created and the chosen people invited."""
    poll = _managed_or_404(request, pk)
    slots = {slot.pk: slot for slot in poll.slots.all()}
    for slot in slots.values():
        slot.label = _label(slot)
    # Every slot of the poll is accepted here: the service says why a passed one is refused.
    form = CloseForm(request.POST, slots=list(slots.values()))
    if form.is_valid():
        try:
            poll = closing.poll_decide(
                poll=poll,
                slot=slots[form.cleaned_data["slot"]],
                invite=form.cleaned_data["invite"],
                by=request.user,
            )
        except ValidationError as error:
            return _page(
                request,
                poll,
                manages=True,
                participant=None,
                close_form=form,
                error=error_text(error),
                status=400,
            )
        messages.success(request, _("La date est choisie : la réunion est créée."))
        return redirect("polls:detail", pk=poll.pk)
    return _page(request, poll, manages=True, participant=None, close_form=form, status=400)


@require_POST
def poll_stop(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_or_404(request, pk)
    try:
        closing.poll_stop(poll=poll, by=request.user)
    except ValidationError as error:
        return _page(request, poll, manages=True, participant=None, error=error_text(error), status=400)
    messages.success(request, _("Les réponses sont arrêtées. Choisissez la date quand vous voulez."))
    return redirect("polls:detail", pk=poll.pk)


@require_POST
def poll_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_or_404(request, pk)
    with timezone.override(zone_named(None)):
        form = ReopenForm(request.POST)
        valid = form.is_valid()
    if valid:
        try:
            closing.poll_reopen(poll=poll, deadline=form.cleaned_data["deadline"], by=request.user)
        except ValidationError as error:
            return _page(
                request,
                poll,
                manages=True,
                participant=None,
                reopen_form=form,
                error=error_text(error),
                status=400,
            )
        messages.success(request, _("Le sondage est rouvert jusqu'à la nouvelle date limite."))
        return redirect("polls:detail", pk=poll.pk)
    return _page(request, poll, manages=True, participant=None, reopen_form=form, status=400)


urlpatterns = [
    path("polls/<int:pk>/", poll_detail, name="detail"),
    path("polls/<int:pk>/close/", poll_close, name="close"),
    path("polls/<int:pk>/stop/", poll_stop, name="stop"),
    path("polls/<int:pk>/reopen/", poll_reopen, name="reopen"),
]
