from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import picker
from accounts.models import User
from accounts.queries import people_of_networks, search_people
from meetings import queries, rules
from meetings.errors import error_text
from meetings.forms import (
    AddMemberForm,
    CharterForm,
    GroupForm,
    GroupRulesForm,
    JoinRequestForm,
    RapporteurForm,
)
from meetings.lookups import managed_group_or_403, visible_group_or_404
from meetings.models import GroupMembership, MembershipStatus
from meetings.panels import group_panels
from meetings.services import groups as group_services


def group_list(request: HttpRequest) -> HttpResponse:
    groups = queries.visible_groups(request.user)
    context = {"groups": groups, "can_create": rules.may_create_groups(request.user)}
    return render(request, "meetings/group_list.html", context)


def group_create(request: HttpRequest) -> HttpResponse:
    networks = rules.networks_for_new_groups(request.user)
    if not networks.exists():
        raise PermissionDenied
    form = GroupForm(
        request.POST or None,
        networks=networks,
        people=people_of_networks(networks),
        search_url=reverse("meetings:group_people_search"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not rules.can_create_group(request.user, data["network"]):
            raise PermissionDenied
        try:
            group = group_services.group_create(
                network=data["network"],
                kind=data["kind"],
                name=data["name"],
                description=data["description"],
                facilitators=list(data["facilitators"]),
                substitute=data["substitute"],
                max_size=data["max_size"],
                charter=data["charter"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le groupe « %(name)s » est créé.") % {"name": group.name})
            return redirect("meetings:group", pk=group.pk)
    return render(request, "meetings/group_form.html", {"form": form})


@require_GET
def group_people_search(request: HttpRequest) -> HttpResponse:
    """The new group's facilitators: people of the networks where the requester creates groups."""
    networks = rules.networks_for_new_groups(request.user)
    if not networks.exists():
        raise PermissionDenied
    people = search_people(picker.search_query(request), among=people_of_networks(networks))
    return picker.results(request, people=people)


MEMBERS_PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (read with the page's subject) rather than
    asking the database once more."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk, annotations=queries.group_page_counts())
    user = request.user
    membership = rules.membership_of(user, group)
    details = rules.can_see_group_details(user, group)
    manage = rules.can_manage_group(user, group)
    is_member = membership is not None and membership.status == MembershipStatus.ACTIVE
    asked = membership is not None and membership.status == MembershipStatus.REQUESTED
    context = {
        "group": group,
        "policy": group.policy,
        "membership": membership,
        "is_member": is_member,
        "needs_charter": is_member and not rules.has_accepted_charter(user, group),
        "show_details": details,
        "can_manage": manage,
        # A federation's groups reach hundreds of members: a page of them at a time.
        "members": _members_page(group, request.GET.get("page"), charter_marks=manage) if details else None,
        "requests": queries.group_requests(group) if manage and group.has_requests else None,
        # Each part is read or built only for whom the page shows it.
        "sessions": _session_rows(queries.group_sessions(group, timezone.now()))
        if is_member or manage
        else None,
        "join_form": JoinRequestForm() if not (is_member or manage or asked) else None,
        "add_form": _add_member_form(group) if manage else None,
        "rapporteur_form": _rapporteur_form(
            group, initial={"rapporteur": [group.rapporteur] if group.rapporteur_id else []}
        )
        if rules.can_choose_rapporteur(user, group)
        else None,
        "panels": group_panels(user, group, show_details=details),
    }
    return render(request, "meetings/group_detail.html", context)


def _session_rows(sessions: list) -> list:
    """The sessions with their start as the list writes it, in local time: formatted here
    rather than through two template filters per session."""
    for meeting in sessions:
        start = timezone.localtime(meeting.start)
        meeting.start_iso, meeting.start_label = start.isoformat(), date_format(start, "l j F Y, H:i")
    return sessions


def _members_page(group, number, *, charter_marks: bool):
    members = CountedPaginator(queries.group_members(group), MEMBERS_PER_PAGE, count=group.active_members)
    page = members.get_page(number)
    page.object_list = queries.member_rows(page.object_list, charter_marks=charter_marks)
    return page


@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            group_services.group_request_join(
                group=group, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Votre demande a été transmise à l'animation du groupe."))
    return redirect("meetings:group", pk=group.pk)


@require_POST
def charter_accept(request: HttpRequest, pk: int) -> HttpResponse:
    group = visible_group_or_404(request, pk)
    if not rules.is_group_member(request.user, group):
        raise PermissionDenied
    if request.POST.get("version") != str(group.charter_version):
        messages.error(request, _("La charte a changé entre-temps : relisez la nouvelle version."))
        return redirect("meetings:group", pk=group.pk)
    group_services.charter_accept(group=group, user=request.user)
    messages.success(request, _("Merci : vous avez accepté la charte du groupe."))
    return redirect("meetings:group", pk=group.pk)


def charter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = managed_group_or_403(request, pk)
    form = CharterForm(request.POST or None, initial={"charter": group.charter})
    if request.method == "POST" and form.is_valid():
        group_services.charter_update(group=group, text=form.cleaned_data["charter"], by=request.user)
        messages.success(request, _("La charte est enregistrée. Les membres seront invités à l'accepter."))
        return redirect("meetings:group", pk=group.pk)
    return render(request, "meetings/charter_form.html", {"form": form, "group": group})


def group_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance rule, accreditation and vignette retention, set by the group's facilitators."""
    group = managed_group_or_403(request, pk)
    form = GroupRulesForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Règles du groupe enregistrées."))
        return redirect("meetings:group", pk=group.pk)
    return render(request, "meetings/group_rules.html", {"form": form, "group": group})


@require_POST
def group_decide(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    group = managed_group_or_403(request, pk)
    membership = get_object_or_404(GroupMembership, pk=membership_id, group=group)
    try:
        group_services.group_decide_request(
            membership=membership, accept=request.POST.get("decision") == "accept", by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Demande traitée."))
    return redirect("meetings:group", pk=group.pk)


def _add_member_form(group, data=None) -> AddMemberForm:
    # Whom it may add is read only to check what was posted: the page's empty form offers
    # nobody (its picker searches them, group_member_search).
    return AddMemberForm(
        data,
        people=queries.addable_members(group) if data is not None else User.objects.none(),
        search_url=reverse("meetings:group_member_search", args=[group.pk]),
    )


@require_POST
def group_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    group = managed_group_or_403(request, pk)
    form = _add_member_form(group, request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(form.errors.get("people", [_("Choisissez une personne du réseau.")]))
        )
        return redirect("meetings:group", pk=group.pk)
    users = form.cleaned_data["people"].users
    try:
        group_services.group_add_members(group=group, users=users, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext("Membre ajouté·e : %(names)s.", "Membres ajouté·e·s : %(names)s.", len(users))
            % {"names": ", ".join(u.get_full_name() for u in users)},
        )
    return redirect("meetings:group", pk=group.pk)


@require_GET
def group_member_search(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ajouter un membre"'s search: people of the group's network who are not members yet; those
    who asked to join are marked."""
    group = managed_group_or_403(request, pk)
    people = search_people(picker.search_query(request), among=queries.addable_members(group))
    asked = queries.join_requests_among(group, [user.pk for user in people]) if people else set()
    marks = {pk: [picker.Mark(_("a demandé à rejoindre"))] for pk in asked}
    return picker.results(request, people=people, marks=marks)


def _rapporteur_form(group, data=None, **kwargs) -> RapporteurForm:
    # As for adding members: whom it may name is read only to check what was posted.
    return RapporteurForm(
        data,
        members=queries.group_member_people(group) if data is not None else User.objects.none(),
        search_url=reverse("meetings:group_rapporteur_search", args=[group.pk]),
        **kwargs,
    )


@require_GET
def group_rapporteur_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The rapporteur's search, for the network's coordinator: the group's members who see its
    details (the list they hand in names the participants)."""
    group = visible_group_or_404(request, pk)
    if not rules.can_choose_rapporteur(request.user, group):
        raise PermissionDenied
    people = search_people(picker.search_query(request), among=queries.group_member_people(group))
    return picker.results(request, people=people)


@require_POST
def group_rapporteur(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's coordinator names the group's rapporteur among its members."""
    group = visible_group_or_404(request, pk)
    if not rules.can_choose_rapporteur(request.user, group):
        raise PermissionDenied
    form = _rapporteur_form(group, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un membre du groupe."))
        return redirect("meetings:group", pk=group.pk)
    try:
        group_services.group_set_rapporteur(group=group, rapporteur=form.chosen(), by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Rapporteur·e du groupe enregistré·e."))
    return redirect("meetings:group", pk=group.pk)
