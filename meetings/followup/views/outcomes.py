"""The outcome of a meeting, closing it, and participants' feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import picker
from accounts.models import User
from accounts.queries import search_people
from meetings import ical
from meetings import rules as meeting_rules
from meetings.errors import error_text
from meetings.followup import notices, rules
from meetings.followup.forms import ActionFormSet, FeedbackForm, OutcomeForm
from meetings.followup.models import Outcome
from meetings.followup.services import outcomes as outcome_services
from meetings.lookups import visible_meeting_or_404
from meetings.models import Meeting


def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    try:
        outcome_services.check_recordable(meeting, request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("meetings:meeting", pk=meeting.pk)
    existing = Outcome.objects.filter(meeting=meeting).first()
    initial = {"summary": existing.summary, "decisions": "\n".join(existing.decisions)} if existing else {}
    policy = meeting.policy
    form = OutcomeForm(request.POST or None, policy=policy, initial=initial)
    records = policy.records_decisions
    owners = outcome_services.owners_among(meeting)
    search_url = reverse("followup:owner_search", args=[meeting.pk])
    formset = ActionFormSet(
        request.POST or None, prefix="actions", form_kwargs={"owners": owners, "search_url": search_url}
    )
    findings = []
    if request.method == "POST" and form.is_valid() and (not records or formset.is_valid()):
        summary, decisions = form.cleaned_data["summary"], form.decision_list()
        new_actions = [
            outcome_services.NewAction(
                f.cleaned_data["description"], f.cleaned_data["owner"], f.cleaned_data["due_date"]
            )
            for f in (formset.forms if records else [])
            if f.cleaned_data.get("description", "").strip()
        ]
        try:
            outcome_services.outcome_record(
                meeting=meeting,
                by=request.user,
                summary=summary,
                decisions=decisions,
                actions=new_actions,
                confirmed_anonymous=form.cleaned_data.get("confirm_anonymous", False),
            )
        except ValidationError as error:
            if error.code == "identifying":
                findings = error.params["findings"]
                # Beside the confirmation where there is one; a kind that keeps no identifying
                # passage offers none, and the message goes with the summary.
                form.add_error(
                    "confirm_anonymous" if "confirm_anonymous" in form.fields else "summary", error
                )
            elif error.code == "too_long":
                form.add_error("summary", error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Compte rendu enregistré."))
            return redirect("meetings:meeting", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "policy": policy,
        "form": form,
        "formset": formset if records else None,
        "findings": findings,
        "actions": meeting.actions.select_related("owner"),
    }
    return render(request, "followup/outcome_form.html", context)


@require_GET
def owner_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The action owner picker's search: among who may take an action (invited, group members,
    the organiser), for who writes the outcome."""
    meeting = visible_meeting_or_404(request, pk)
    if not meeting_rules.is_facilitator(request.user, meeting):
        raise PermissionDenied
    people = search_people(picker.search_query(request), among=outcome_services.owners_among(meeting))
    return picker.results(request, people=people)


@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    try:
        outcome_services.meeting_close(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Réunion clôturée : présences et compte rendu sont désormais figés."))
    return redirect("meetings:meeting", pk=meeting.pk)


@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The feedback form on the meeting page."""
    meeting = visible_meeting_or_404(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une note de 1 à 5."))
        return redirect("meetings:meeting", pk=meeting.pk)
    try:
        outcome_services.feedback_give(
            meeting=meeting,
            user=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Merci pour votre avis."))
    return redirect("meetings:meeting", pk=meeting.pk)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's links open this page with the chosen score; the answer is recorded only when
    sent (POST): mail security scanners open every link of an e-mail, and would vote five times
    (DESIGN.md, privacy rule 7). No login: the encrypted link is the proof, for the POST too."""
    data = notices.read_feedback_token(token)
    if data is None:
        raise Http404
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=data["m"])
    user = get_object_or_404(User, pk=data["u"], is_active=True)
    if not rules.can_give_feedback(user, meeting):
        raise Http404
    given = outcome_services.my_feedback(meeting, user)
    saved = False
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            given = outcome_services.feedback_give(
                meeting=meeting,
                user=user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
            saved = True
            form = FeedbackForm(initial={"score": given.score, "comment": given.comment})
    else:
        form = FeedbackForm(initial={"score": data["s"], "comment": given.comment if given else ""})
    context = {
        "meeting": meeting,
        "heading": ical.public_heading(meeting),
        "form": form,
        "saved": saved,
        "given": given,
    }
    status = 400 if request.method == "POST" and not saved else 200
    return render(request, "followup/feedback_link.html", context, status=status)
