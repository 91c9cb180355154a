from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import picker
from accounts.queries import search_people
from meetings import ical, queries, rsvp, rules
from meetings.errors import error_text
from meetings.forms import AnswerForm, InviteForm, RoleForm
from meetings.kinds import FeedDetail, Membership
from meetings.lookups import editable_meeting_or_403, visible_meeting_or_404
from meetings.models import Invitation, InvitationRole, MeetingStatus, PartStat
from meetings.models.invitations import AROUND_A_PERSON_ROLES
from meetings.panels import page_panels
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


def _invite_form(request: HttpRequest, meeting, group_size: int, uninvited: int) -> InviteForm:
    # The group's members come preselected while some of them are not invited yet.
    initial = {"whole_group": uninvited > 0} if meeting.group_id else {}
    return InviteForm(
        request.POST or None,
        initial=initial,
        people=queries.invitable_people(meeting),
        roles=_roles(meeting.policy),
        in_series=meeting.series_id is not None,
        has_group=meeting.group_id is not None,
        search_url=reverse("meetings:invite_search", args=[meeting.pk]),
        group_size=group_size,
    )


def meeting_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's view: who was invited, who answered what, which e-mails failed; and the
    invitation step, which says what invitees will see and, for a closed group's session, who
    would not see its details (not members, charter not accepted, guests) before anything leaves."""
    meeting = editable_meeting_or_403(request, pk)
    group_size, uninvited = queries.group_to_invite(meeting) if meeting.group_id else (0, 0)
    form = _invite_form(request, meeting, group_size, uninvited)
    check = None
    if request.method == "POST" and not meeting.is_editable:
        form.add_error(
            None,
            _("Cette réunion est %(status)s : on n'y invite plus.")
            % {"status": meeting.get_status_display()},
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = data["people"]
        check = queries.details_check(
            meeting, users=picked.users, emails=picked.emails, whole_group=bool(data.get("whole_group"))
        )
        # Sent at once, unless someone would not see the session's details and the page has
        # not yet said so (it shows who and why, with the choice of adding them to the group).
        if check.confirmed_by(data["warned"]):
            response = _send(request, meeting, form, picked, check)
            if response is not None:
                return response
            check = None
    elif request.method != "POST" and form.initial.get("whole_group"):
        # The group comes preselected: who of it would not see the details is said at once, and
        # sending the page as it stands confirms it (one screen from the series form to the sent
        # invitations); anyone picked besides is checked again on sending.
        check = queries.details_check(meeting, users=[], emails=[], whole_group=True) or None
    context = {
        "meeting": meeting,
        "form": form,
        "check": check,
        "invitations": _with_group_notes(meeting, list(queries.meeting_participants(meeting))),
        "counts": queries.answer_counts(meeting),
        "failed": queries.failed_messages(meeting),
        "group_size": group_size,
        "uninvited": uninvited,
        # What the e-mails and calendars show of it: the kind's policy decides (privacy rule 1).
        "public_title": ical.public_summary(meeting),
        "policy": meeting.policy,
        "full_details": meeting.policy.feed_detail == FeedDetail.FULL,
        "closed_group": meeting.policy.membership == Membership.CLOSED_GROUP and meeting.group_id is not None,
        "adds_members": meeting.group_id is not None and rules.can_manage_group(request.user, meeting.group),
        # What other apps add (meeting load: the invitees' budgets this month).
        "panels": page_panels("invitations", request.user, meeting),
    }
    return render(request, "meetings/invitations.html", context)


def _with_group_notes(meeting, invitations: list) -> list:
    """For a closed group's session, say beside each invitee who does not see its details why
    (not a member, charter not accepted): one query for the whole list."""
    if meeting.policy.membership != Membership.CLOSED_GROUP or meeting.group_id is None:
        return invitations
    ids = [i.user_id for i in invitations if i.user_id and i.user_id != meeting.organiser_id]
    standing = queries.group_standing(meeting.group_id, ids) if ids else {}
    for invitation in invitations:
        if invitation.user_id not in ids:
            invitation.group_note = ""
        elif invitation.user_id not in standing:
            invitation.group_note = _("pas membre du groupe : ne voit pas le détail")
        elif not standing[invitation.user_id]:
            invitation.group_note = _("charte pas encore acceptée : ne voit pas encore le détail")
        else:
            invitation.group_note = ""
    return invitations


def _send(request: HttpRequest, meeting, form: InviteForm, picked, check) -> HttpResponse | None:
    data = form.cleaned_data
    role = data["role"]
    invitees = [invitation_services.invitee_for(user, role) for user in picked.users]
    if data.get("whole_group"):
        invitees += invitation_services.invitees_of_group(meeting.group)
    invitees += [invitation_services.guest(address, role=role) for address in picked.emails]
    # Only those the page offered to add (the people it named as not members), and only by who
    # manages the group: organising one of its sessions is not enough.
    add = [user for user in check.not_members if user.pk in data["add_to_group"]]
    if add and not rules.can_manage_group(request.user, meeting.group):
        add = []
    try:
        created = invitation_services.invite(
            meeting=meeting,
            invitees=invitees,
            to_series=data.get("scope") == InviteForm.SCOPE_SERIES,
            add_to_group=add,
            by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("%(count)s invitation(s) envoyée(s).") % {"count": len(created)})
    if add:
        messages.info(
            request,
            _("Ajouté·e(s) au groupe : %(names)s. La charte leur sera présentée à leur prochaine visite.")
            % {"names": ", ".join(u.get_full_name() for u in add)},
        )
    return redirect("meetings:invitations", pk=meeting.pk)


@require_GET
def invite_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitations picker's search: people of the meeting's network, marked when invited
    already (and then not choosable) and, for a group's session, by their standing in the group."""
    meeting = editable_meeting_or_403(request, pk)
    people = search_people(picker.search_query(request), among=queries.invitable_people(meeting))
    ids = [user.pk for user in people]
    invited = queries.invited_among(meeting, ids) if ids else set()
    standing = queries.group_standing(meeting.group_id, ids) if ids and meeting.group_id else {}
    closed = meeting.policy.membership == Membership.CLOSED_GROUP
    marks = {}
    for user in people:
        marks[user.pk] = []
        if user.pk in invited:
            marks[user.pk].append(picker.Mark(_("déjà invité·e"), blocks=True))
        if user.pk in standing:
            pending = closed and not standing[user.pk]
            marks[user.pk].append(
                picker.Mark(_("charte pas encore acceptée") if pending else _("membre du groupe"))
            )
        elif meeting.group_id and closed:
            marks[user.pk].append(picker.Mark(_("pas membre du groupe")))
    return picker.results(request, people=people, marks=marks, guests=True)


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
    minutes_only = invitation_services.may_answer_minutes_only(target)
    recorded = rsvp.current_choice(target)
    if request.method == "POST":
        form = AnswerForm(request.POST, for_series=for_series, minutes_only=minutes_only)
        if form.is_valid():
            try:
                invitation_services.answer(target=target, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Merci, c'est noté."))
                return redirect(f"{request.path}?{SAVED}")
    else:
        # The link's answer, still to be sent; or, back from recording (the person may have
        # chosen another answer than the link's) or when it stands already, what is recorded.
        saved = target.partstat != PartStat.NEEDS_ACTION and (
            SAVED in request.GET or recorded == found.partstat
        )
        chosen = found.partstat if minutes_only or found.partstat != rsvp.MINUTES_ONLY else PartStat.DECLINED
        initial = {"partstat": recorded if saved else chosen, "comment": target.comment}
        if not for_series:
            initial |= {"brings": target.brings, "looking_for": target.looking_for}
        form = AnswerForm(initial=initial, for_series=for_series, minutes_only=minutes_only)
    subject = target.series if for_series else target.meeting
    context = {
        "form": form,
        "target": target,
        "for_series": for_series,
        "saved": saved,
        "answered": target.partstat != PartStat.NEEDS_ACTION,
        "recorded": recorded,
        # What other apps say beside the answer (meeting load: this month's hours against the budget).
        "panels": page_panels("answer", request.user, target),
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


def answer_form_for(invitation: Invitation, data=None) -> AnswerForm:
    """The logged-in answer form of the meeting page, filled with what INVITATION answered."""
    initial = {
        "partstat": rsvp.current_choice(invitation),
        "comment": invitation.comment,
        "brings": invitation.brings,
        "looking_for": invitation.looking_for,
    }
    if initial["partstat"] == PartStat.NEEDS_ACTION:
        del initial["partstat"]
    minutes_only = invitation_services.may_answer_minutes_only(invitation)
    return AnswerForm(data, initial=initial, for_series=False, minutes_only=minutes_only)


def my_answer_section(user, meeting) -> dict | None:
    """The meeting page's "Votre réponse": for a person invited to a session still to come."""
    if meeting.status != MeetingStatus.SCHEDULED or meeting.end <= timezone.now():
        return None
    mine = rules.my_invitations(user, meeting)
    if not mine:
        return None
    invitation = mine[0]
    invitation.meeting = meeting
    return {
        "invitation": invitation,
        "recorded": rsvp.current_choice(invitation),
        "form": answer_form_for(invitation),
        "panels": page_panels("answer", user, invitation),
    }


@require_POST
def my_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page's answer, for a logged-in invitee: this session only."""
    meeting = visible_meeting_or_404(request, pk)
    section = my_answer_section(request.user, meeting)
    if section is None:
        messages.error(request, _("Il n'y a pas de réponse à donner à cette réunion."))
        return redirect("meetings:meeting", pk=meeting.pk)
    invitation = section["invitation"]
    form = answer_form_for(invitation, request.POST)
    if form.is_valid():
        try:
            invitation_services.answer(target=invitation, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Merci, c'est noté."))
    else:
        messages.error(request, _("Choisissez une réponse."))
    return redirect(f"{reverse('meetings:meeting', args=[meeting.pk])}#my-answer")


@require_POST
def invitation_role(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    """The organiser makes one invitee optional or minutes-only (the budget column's suggestion),
    or a participant again: for this meeting only."""
    meeting = editable_meeting_or_403(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_id, meeting=meeting)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle proposé."))
        return redirect("meetings:invitations", pk=meeting.pk)
    invitation.meeting = meeting
    try:
        changed = invitation_services.change_role(
            invitation=invitation, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if changed:
            messages.success(
                request,
                _("%(name)s : %(role)s pour cette réunion.")
                % {"name": invitation.display_name, "role": invitation.get_role_display()},
            )
    return redirect("meetings:invitations", pk=meeting.pk)
