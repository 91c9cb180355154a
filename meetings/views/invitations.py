from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings import ical, queries, rsvp
from meetings.forms import AnswerForm, InviteForm
from meetings.lookups import editable_meeting_or_403
from meetings.models import Invitation, InvitationRole, MeetingStatus, PartStat
from meetings.models.invitations import AROUND_A_PERSON_ROLES
from meetings.recurrence import describe, format_date
from meetings.services import invitations as invitation_services

# The query string of the page shown after an answer is recorded.
SAVED = "enregistre"


def _roles(policy) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in InvitationRole.choices
        if value not in AROUND_A_PERSON_ROLES or policy.invites_person_and_relatives
    ]


def meeting_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's view: who was invited, who answered what, which e-mails failed."""
    meeting = editable_meeting_or_403(request, pk)
    form = InviteForm(
        request.POST or None,
        people=queries.network_people([meeting.network_id]),
        roles=_roles(meeting.policy),
        in_series=meeting.series_id is not None,
        has_group=meeting.group_id is not None,
    )
    if request.method == "POST" and not meeting.is_editable:
        form.add_error(
            None,
            _("Cette réunion est %(status)s : on n'y invite plus.")
            % {"status": meeting.get_status_display()},
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = data["role"]
        invitees = [invitation_services.invitee_for(user, role) for user in data["people"]]
        if data.get("whole_group"):
            invitees += invitation_services.invitees_of_group(meeting.group)
        invitees += [invitation_services.guest(address, role=role) for address in data["guests"]]
        try:
            if data.get("scope") == InviteForm.SCOPE_SERIES:
                created = invitation_services.invite_to_series(series=meeting.series, invitees=invitees)
            else:
                created = invitation_services.invite_to_meeting(meeting=meeting, invitees=invitees)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)s invitation(s) envoyée(s).") % {"count": len(created)})
            return redirect("meetings:invitations", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "invitations": queries.meeting_participants(meeting),
        "counts": queries.answer_counts(meeting),
        "failed": queries.failed_messages(meeting),
    }
    return render(request, "meetings/invitations.html", context)


@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    meeting = editable_meeting_or_403(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_id, meeting=meeting)
    if meeting.status == MeetingStatus.DRAFT or not meeting.is_editable:
        messages.error(
            request,
            _("Rien à renvoyer : la réunion est %(status)s.") % {"status": meeting.get_status_display()},
        )
        return redirect("meetings:invitations", pk=meeting.pk)
    invitation_services.resend(invitation=invitation)
    messages.success(
        request,
        _("Invitation renvoyée à %(email)s ; les liens de réponse envoyés avant ne fonctionnent plus.")
        % {"email": invitation.email},
    )
    return redirect("meetings:invitations", pk=meeting.pk)


@require_POST
def invitation_remove(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    meeting = editable_meeting_or_403(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.select_related("series_invitation"), pk=invitation_id, meeting=meeting
    )
    if invitation.series_invitation_id:
        # Invited to the whole series: removing them is for the whole series, or it would come back.
        invitation_services.uninvite(series_invitation=invitation.series_invitation)
        messages.success(
            request, _("%(email)s n'est plus invité·e à la série.") % {"email": invitation.email}
        )
    else:
        invitation_services.uninvite(invitation=invitation)
        messages.success(request, _("%(email)s n'est plus invité·e.") % {"email": invitation.email})
    return redirect("meetings:invitations", pk=meeting.pk)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, scope: str, scope_id: int, token: str) -> HttpResponse:
    """The e-mail's answer links open this page with their answer chosen; one tap records it.

    Opening the link (GET, HEAD) changes nothing: hospital mail systems open every link of an
    incoming e-mail, and the last one they opened would be the answer (DESIGN.md, privacy rule 7).
    No login: external guests have no account. The signed link is the proof, for the POST too.
    """
    found = rsvp.read(scope=scope, scope_id=scope_id, token=token)
    if found is None:
        return render(request, "meetings/rsvp_invalid.html", status=404)
    target = found.target
    for_series = scope == "series"
    saved = False
    if request.method == "POST":
        form = AnswerForm(request.POST, for_series=for_series)
        if form.is_valid():
            invitation_services.answer(target=target, **form.cleaned_data)
            messages.success(request, _("Merci, c'est noté."))
            return redirect(f"{request.path}?{SAVED}")
    else:
        # The link's answer, still to be sent; or, back from recording (the person may have
        # chosen another answer than the link's) or when it stands already, what is recorded.
        saved = target.partstat != PartStat.NEEDS_ACTION and (
            SAVED in request.GET or target.partstat == found.partstat
        )
        initial = {"partstat": target.partstat if saved else found.partstat, "comment": target.comment}
        if not for_series:
            initial |= {"brings": target.brings, "looking_for": target.looking_for}
        form = AnswerForm(initial=initial, for_series=for_series)
    subject = target.series if for_series else target.meeting
    context = {
        "form": form,
        "target": target,
        "for_series": for_series,
        "saved": saved,
        "answered": target.partstat != PartStat.NEEDS_ACTION,
        # The optional fields stay folded, the button right under the choice, unless they hold something.
        "details_open": bool(form.errors)
        or any(getattr(target, field, "") for field in ("comment", "brings", "looking_for")),
        # What the e-mail showed, no more: the kind's policy decides (privacy rule 1).
        "title": ical.public_summary(subject),
        "when": format_date(subject.dtstart if for_series else subject.start),
        "rule": describe(subject.rrule, subject.dtstart) if for_series else "",
        "place": subject.place,
    }
    return render(request, "meetings/rsvp.html", context)
