"""Answering: one phone screen, yes / if need be / no per slot, through a signed link (no account)
or logged in; the person's own busy times as conflicts, from the application and from the address
of their own calendar. GET shows, POST records (privacy rule 7).

Whoever opens the page is one participant, found from the link or the login, never from the
form: each person changes only their own answers. The page shows nobody else (the poll page
shows the others, to whom the rules allow).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings import ical
from meetings.errors import error_text
from meetings.polls import calendar_import, conflicts, rules, tokens
from meetings.polls.answer_forms import AnswerForm, CalendarForm
from meetings.polls.models import BRUSSELS_ZONE, Poll, PollStatus
from meetings.polls.services import answers as answer_services
from meetings.polls.services.polls import check_open
from meetings.polls.slots import dates_of
from meetings.recurrence import describe


def _is_open(poll: Poll) -> bool:
    try:
        check_open(poll)
    except ValidationError:
        return False
    return True


def _slot_rows(participant, slots, form, zone) -> list[dict]:
    """What the page shows of each slot, in the person's ZONE: its time, a pattern's rule and
    next dates, whether the person is already busy then (never with what), their answer."""
    busy = conflicts.busy_slots_of(participant, slots)
    recorded = {answer.slot_id: answer for answer in _recorded(participant)}
    rows = []
    for slot in slots:
        answer = recorded.get(slot.pk)
        rows.append(
            {
                "slot": slot,
                "label": answer_services.slot_label(slot, zone),
                "rule": _rule(slot, zone) if slot.rrule else "",
                "dates": [answer_services.slot_label(_Dated(s, e), zone) for s, e in dates_of(slot)]
                if slot.rrule
                else [],
                "busy": slot.pk in busy,
                "field": form.slot_field(slot),
                "answer": answer.get_choice_display() if answer else "",
                "choice": answer.choice if answer else "",
            }
        )
    return rows


def _rule(slot, zone) -> str:
    """A pattern's rule in words, at its time in Brussels where it is proposed (its dates below
    are in the person's zone)."""
    text = describe(slot.rrule, slot.start)
    if zone.key != BRUSSELS_ZONE:
        text = _("%(rule)s (heure de Bruxelles)") % {"rule": text}
    return text


class _Dated:
    """One date of a pattern, named like a slot."""

    def __init__(self, start, end):
        self.start, self.end = start, end


def _recorded(participant) -> list:
    """The person's answers, read once per page (the form and the rows both need them)."""
    if not hasattr(participant, "_recorded_answers"):
        participant._recorded_answers = list(participant.answers.all())
    return participant._recorded_answers


def _answer_form(participant, slots, *, data=None, disabled=False) -> AnswerForm:
    initial = {f"slot_{answer.slot_id}": answer.choice for answer in _recorded(participant)}
    return AnswerForm(
        data,
        initial=initial,
        slots=slots,
        current_zone=participant.time_zone or BRUSSELS_ZONE,
        disabled=disabled,
    )


def _page(
    request: HttpRequest,
    participant,
    *,
    urls: dict,
    form: AnswerForm | None = None,
    calendar_form: CalendarForm | None = None,
    status: int = 200,
) -> HttpResponse:
    poll = participant.poll
    open_ = _is_open(poll)
    slots = list(poll.slots.all())
    if form is None or not open_:
        form = _answer_form(participant, slots, disabled=not open_)
    zone = answer_services.participant_zone(participant)
    read_at = participant.calendar_read_at
    context = {
        "poll": poll,
        "participant": participant,
        # What the e-mail showed, no more: the kind's policy decides (privacy rule 1).
        "heading": ical.public_heading(poll),
        "open": open_,
        "closed_reason": _closed_reason(poll),
        "deadline": formats.date_format(timezone.localtime(poll.deadline, zone), "l j F Y, H:i"),
        "form": form,
        "rows": _slot_rows(participant, slots, form, zone),
        "answered": participant.answered_at is not None,
        "zone_name": zone.key.replace("_", " "),
        "calendar_form": calendar_form or CalendarForm(),
        "calendar_read_at": formats.date_format(timezone.localtime(read_at, zone), "l j F Y, H:i")
        if read_at
        else "",
        "urls": urls,
    }
    return render(request, "polls/answer.html", context, status=status)


def _closed_reason(poll: Poll) -> str:
    if poll.status == PollStatus.DECIDED:
        return _("Ce sondage est clos : la date est choisie.")
    return _("Ce sondage est clos : les réponses ne sont plus possibles.")


def _answer(request: HttpRequest, participant, urls: dict) -> HttpResponse:
    """The page (GET, HEAD: nothing recorded) or the answers sent (POST), then back to the page."""
    if request.method != "POST":
        return _page(request, participant, urls=urls)
    slots = list(participant.poll.slots.all())
    form = _answer_form(participant, slots, data=request.POST)
    if form.is_valid():
        try:
            answer_services.record_answers(
                participant=participant, choices=form.choices(), time_zone=form.cleaned_data["time_zone"]
            )
        except ValidationError as error:
            # Stopped or past its deadline meanwhile: the page then shows it closed, read-only.
            participant.poll.refresh_from_db()
            if _is_open(participant.poll):
                form.add_error(None, error)
            else:
                messages.error(request, error_text(error))
        else:
            messages.success(request, _("Merci, vos réponses sont enregistrées."))
            return redirect(urls["answer"])
    participant.refresh_from_db()
    return _page(request, participant, urls=urls, form=form, status=400)


def _calendar(request: HttpRequest, participant, urls: dict) -> HttpResponse:
    """Read the pasted address's busy times; a refusal leaves the answers as they are."""
    if not _is_open(participant.poll):
        # The page of a closed poll has no calendar form to show the refusal in.
        messages.error(request, _("Ce sondage est clos : les réponses ne sont plus possibles."))
        return _page(request, participant, urls=urls, status=400)
    form = CalendarForm(request.POST)
    if form.is_valid():
        try:
            kept = calendar_import.import_calendar(
                participant=participant, address=form.cleaned_data["address"]
            )
        except ValidationError as error:
            form.add_error("address", error)
        else:
            messages.success(
                request,
                _("Votre agenda est lu : %(count)s moment(s) occupé(s) les jours de ce sondage.")
                % {"count": kept},
            )
            return redirect(urls["answer"])
    return _page(request, participant, urls=urls, calendar_form=form, status=400)


def _mine(request: HttpRequest, pk: int):
    poll = get_object_or_404(Poll, pk=pk)
    participant = rules.participant_of(request.user, poll)
    if participant is None:
        raise Http404
    participant.poll = poll
    urls = {
        "answer": reverse("polls:answer", kwargs={"pk": pk}),
        "calendar": reverse("polls:calendar", kwargs={"pk": pk}),
    }
    return participant, urls


def _linked(pk: int, token: str):
    participant = tokens.read(poll_id=pk, token=token)
    if participant is None:
        # Unknown, tampered, revoked or another poll's: the same answer (privacy rule 5).
        raise Http404
    urls = {
        "answer": reverse("polls:answer_link", kwargs={"pk": pk, "token": token}),
        "calendar": reverse("polls:calendar_link", kwargs={"pk": pk, "token": token}),
    }
    return participant, urls


@require_http_methods(["GET", "HEAD", "POST"])
def answer_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """A logged-in participant's answers."""
    participant, urls = _mine(request, pk)
    return _answer(request, participant, urls)


@require_POST
def calendar_mine(request: HttpRequest, pk: int) -> HttpResponse:
    participant, urls = _mine(request, pk)
    return _calendar(request, participant, urls)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The e-mail's link: no account needed (external guests have none); the signed link is the
    proof, for the POST too. Opening it records nothing: mail scanners open every link."""
    participant, urls = _linked(pk, token)
    return _answer(request, participant, urls)


@login_not_required
@require_POST
def calendar_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    participant, urls = _linked(pk, token)
    return _calendar(request, participant, urls)


urlpatterns = [
    path("polls/<int:pk>/answer/", answer_mine, name="answer"),
    path("polls/<int:pk>/answer/calendar/", calendar_mine, name="calendar"),
    path("polls/<int:pk>/a/<str:token>/", answer_link, name="answer_link"),
    path("polls/<int:pk>/a/<str:token>/calendar/", calendar_link, name="calendar_link"),
]
