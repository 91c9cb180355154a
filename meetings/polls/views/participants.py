"""Who is asked: add people (directory, a whole group, external addresses), mark them required,
send a new link, remove; the people picker's search among the poll's network."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import picker
from accounts.queries import people_of_networks, search_people
from meetings import rules as core
from meetings.errors import error_text
from meetings.models import GroupMembership, MembershipStatus, StandingGroup
from meetings.polls import rules
from meetings.polls.forms import ParticipantsForm
from meetings.polls.models import Poll, PollParticipant
from meetings.polls.services import polls as services


def managed_poll_or_404(request: HttpRequest, pk: int) -> Poll:
    """The poll, for who manages it: not found (404) for who may not see it, refused (403) for
    a participant."""
    poll = get_object_or_404(Poll.objects.select_related("group", "network", "organiser"), pk=pk)
    if rules.can_manage_poll(request.user, poll):
        return poll
    if rules.can_see_poll(request.user, poll):
        raise PermissionDenied
    raise Http404


def _people(poll: Poll):
    return people_of_networks([poll.network_id])


def _groups(request: HttpRequest, poll: Poll):
    """The groups of the poll's network whose members the user may ask at once: those whose
    members they see (a closed group's members are its details: privacy first)."""
    user = request.user
    seen = core.groups_whose_details_are_seen_by(user) | core.groups_managed_by(user)
    return StandingGroup.objects.filter(seen, network_id=poll.network_id).order_by("name")


def participants_form(request: HttpRequest, poll: Poll, data=None) -> ParticipantsForm:
    return ParticipantsForm(
        data,
        people=_people(poll),
        groups=_groups(request, poll),
        search_url=reverse("polls:people", args=[poll.pk]),
        prefix="ask",
    )


_SLOT = 987_654_321  # a participant's id that no row has, replaced in the reversed paths


def manage_context(request, poll) -> dict:
    """What the poll page's "Participants" section (templates/polls/_participants.html) needs,
    for who manages the poll (the page calls it only for them; the template also reads `poll`):
    each participant, whether they answered and are required, and the form to ask more people
    while the poll is open. Two queries whatever the number of participants."""
    participants = list(poll.participants.all())
    # Each row's three actions, from one reversed pattern each: a network meeting's poll may
    # ask a hundred people, and {% url %} per row would reverse three hundred times.
    actions = {
        name: reverse(f"polls:{name}", args=[poll.pk, _SLOT]).replace(str(_SLOT), "{}")
        for name in ("participant_required", "participant_link", "participant_remove")
    }
    for participant in participants:
        participant.required_url = actions["participant_required"].format(participant.pk)
        participant.link_url = actions["participant_link"].format(participant.pk)
        participant.remove_url = actions["participant_remove"].format(participant.pk)
    # Until its deadline, even before the deadline's closing has run (services.check_open).
    accepting = poll.is_open and poll.deadline > timezone.now()
    return {
        "manages": True,
        "participants": participants,
        "answered_count": sum(1 for p in participants if p.answered_at),
        "accepting": accepting,
        "add_form": participants_form(request, poll) if accepting else None,
    }


def _back(poll: Poll) -> HttpResponse:
    return redirect(f"{reverse('polls:detail', args=[poll.pk])}#participants-title")


@require_POST
def participants_add(request: HttpRequest, pk: int) -> HttpResponse:
    poll = managed_poll_or_404(request, pk)
    form = participants_form(request, poll, request.POST)
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Personne n'a été ajouté : %(errors)s") % {"errors": " ".join(errors)})
        return _back(poll)
    data = form.cleaned_data
    people = [{"email": user.email, "user": user} for user in data["people"].users if user.email]
    if data.get("group"):
        members = GroupMembership.objects.filter(
            group=data["group"], status=MembershipStatus.ACTIVE, user__is_active=True
        ).select_related("user")
        people += [{"email": m.user.email, "user": m.user} for m in members]
    people += [{"email": address} for address in [*data["people"].emails, *data["emails"]]]
    try:
        created = services.participants_add(poll=poll, people=people, required=data["required"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(poll)
    asked = len({p["email"].lower() for p in people})
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s personne ajoutée : elle reçoit un e-mail avec son lien pour répondre.",
                "%(count)s personnes ajoutées : chacune reçoit un e-mail avec son lien pour répondre.",
                len(created),
            )
            % {"count": len(created)},
        )
    if asked > len(created):
        messages.info(
            request,
            ngettext(
                "%(count)s personne était déjà invitée : rien ne lui est renvoyé.",
                "%(count)s personnes étaient déjà invitées : rien ne leur est renvoyé.",
                asked - len(created),
            )
            % {"count": asked - len(created)},
        )
    return _back(poll)


def _participant(request: HttpRequest, pk: int, pid: int) -> PollParticipant:
    poll = managed_poll_or_404(request, pk)
    participant = get_object_or_404(PollParticipant, pk=pid, poll=poll)
    participant.poll = poll
    return participant


@require_POST
def participant_required(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    participant = _participant(request, pk, pid)
    required = request.POST.get("required") == "1"
    services.participant_set_required(participant=participant, required=required)
    if required:
        messages.success(
            request, _("%(name)s : présence indispensable.") % {"name": participant.display_name}
        )
    else:
        messages.success(request, _("%(name)s : présence souhaitée.") % {"name": participant.display_name})
    return _back(participant.poll)


@require_POST
def participant_link(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    participant = _participant(request, pk, pid)
    try:
        services.participant_new_link(participant=participant)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Nouveau lien envoyé à %(email)s ; le lien envoyé avant ne fonctionne plus.")
            % {"email": participant.email},
        )
    return _back(participant.poll)


@require_POST
def participant_remove(request: HttpRequest, pk: int, pid: int) -> HttpResponse:
    participant = _participant(request, pk, pid)
    try:
        services.participant_remove(participant=participant)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(name)s ne fait plus partie du sondage.") % {"name": participant.display_name}
        )
    return _back(participant.poll)


@require_GET
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """The picker's search: members of the poll's network, marked when asked already."""
    poll = managed_poll_or_404(request, pk)
    found = search_people(picker.search_query(request), among=_people(poll))
    asked = (
        set(poll.participants.filter(user__in=found).values_list("user_id", flat=True)) if found else set()
    )
    marks = {pk: [picker.Mark(_("déjà invité·e"), blocks=True)] for pk in asked}
    return picker.results(request, people=found, marks=marks, guests=True)


urlpatterns = [
    path("polls/<int:pk>/participants/", participants_add, name="participants_add"),
    path(
        "polls/<int:pk>/participants/<int:pid>/required/", participant_required, name="participant_required"
    ),
    path("polls/<int:pk>/participants/<int:pid>/new-link/", participant_link, name="participant_link"),
    path("polls/<int:pk>/participants/<int:pid>/remove/", participant_remove, name="participant_remove"),
    path("polls/<int:pk>/people/", people, name="people"),
]
