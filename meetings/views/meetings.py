from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts import picker
from accounts.queries import people_of_networks, search_people
from meetings import queries, rules
from meetings.errors import error_text
from meetings.forms import AgendaFormSet, MeetingEditForm, MeetingForm, default_minutes
from meetings.kinds import POLICIES
from meetings.lookups import editable_meeting_or_403, visible_meeting_or_404
from meetings.panels import meeting_panels, page_panels
from meetings.recurrence import BRUSSELS, describe
from meetings.services import meetings as meeting_services
from meetings.services import series as series_services
from meetings.views.duplicates import ask_to_confirm, unseen
from meetings.views.invitations import my_answer_section


def agenda_items_from(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("title")]


@require_GET
def people_search(request: HttpRequest) -> HttpResponse:
    """The agenda's presenter picker: people of the networks where the requester calls meetings
    (a meeting's edit page accepts only those of its own network)."""
    networks = rules.networks_for_new_meetings(request.user)
    people = search_people(picker.search_query(request), among=people_of_networks(networks))
    return picker.results(request, people=people)


def kind_refusal(user, data) -> str | None:
    """Why USER may not create a meeting of the kind chosen here, if they may not."""
    if "kind" not in data or "network" not in data:
        return None
    policy = POLICIES[data["kind"]]
    if not rules.can_create_meeting(user, data["network"], policy.membership):
        return _("Seule la coordination du réseau peut programmer ce type de réunion.")
    if policy.runs_as_group:
        return _("Les séances d'un groupe se programment depuis la page du groupe.")
    return None


def meeting_create(request: HttpRequest) -> HttpResponse:
    networks = rules.networks_for_new_meetings(request.user)
    if not networks.exists():
        raise PermissionDenied
    people = {"people": people_of_networks(networks), "search_url": reverse("meetings:people_search")}
    kwargs = {
        "networks": networks,
        "usual_network": queries.usual_network(request.user, networks),
        "initial": {"kind": request.GET.get("kind")},
    }
    form = MeetingForm(request.POST or None, **kwargs)
    formset = AgendaFormSet(request.POST or None, prefix="agenda", form_kwargs=people)
    duplicates = []
    if request.method == "POST":
        # Both validated, and the kind checked whatever else is wrong: every error at once.
        valid = form.is_valid() & formset.is_valid()
        refusal = kind_refusal(request.user, form.cleaned_data)
        if refusal:
            form.add_error("kind", refusal)
        elif valid:
            data = form.cleaned_data
            duplicates = unseen(
                queries.possible_duplicates(windows=[(data["start"], data["end"])], organiser=request.user),
                data["seen_duplicates"],
            )
            if duplicates:
                form = ask_to_confirm(form, duplicates, lambda bound: MeetingForm(bound, **kwargs))
            else:
                try:
                    meeting = meeting_services.meeting_create(
                        network=data["network"],
                        kind=data["kind"],
                        title=data["title"],
                        start=data["start"],
                        end=data["end"],
                        organiser=request.user,
                        purpose=data["purpose"],
                        place=data["place"],
                        online_link=data["online_link"],
                        capacity=data["capacity"],
                        draft=data["draft"],
                        agenda=agenda_items_from(formset),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, saved_message(draft=data["draft"]))
                    return redirect("meetings:invitations", pk=meeting.pk)
    context = {
        "form": form,
        "formset": formset,
        "policies": POLICIES.values(),
        "duplicates": duplicates,
        "single_network": networks[0] if len(networks) == 1 else None,
        "kind_durations": {kind: default_minutes(kind) for kind in POLICIES},
        # What other apps add to the form (meeting load: what the meeting costs, live).
        "panels": page_panels("meeting_form", request.user, form),
    }
    return render(request, "meetings/meeting_form.html", context)


def saved_message(*, draft: bool) -> str:
    if draft:
        return _(
            "Le brouillon est enregistré. Choisissez maintenant qui inviter : "
            "les invitations partiront quand la réunion sera publiée."
        )
    return _("La réunion est enregistrée. Choisissez maintenant qui inviter.")


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting_or_404(request, pk)
    details = rules.can_see_meeting_details(request.user, meeting)
    items = list(meeting.agenda_items.select_related("presenter")) if details else []
    context = {
        "meeting": meeting,
        "policy": meeting.policy,
        "show_details": details,
        "can_edit": rules.can_edit_meeting(request.user, meeting),
        "ended": meeting.end <= timezone.now(),
        "agenda_items": items,
        "overrun": meeting_services.agenda_overrun_minutes(meeting, items) if details else 0,
        "participants": queries.participant_rows(meeting) if details else None,
        "series_rule": describe(meeting.series.rrule, meeting.series.dtstart) if meeting.series else "",
    }
    context["panels"] = meeting_panels(request.user, meeting, show_details=details)
    # The invitee's own answer, with what other apps say beside it (meeting load).
    context["my_answer"] = my_answer_section(request.user, meeting)
    # Who read its confidential material (privacy rule 6), for whoever runs the meeting.
    shows_reads = details and meeting.policy.is_confidential and rules.is_facilitator(request.user, meeting)
    context["reads"] = queries.confidential_reads(meeting, excluding=request.user) if shows_reads else None
    return render(request, "meetings/meeting_detail.html", context)


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting_or_403(request, pk)
    if not meeting.is_editable:
        messages.error(
            request,
            _("Cette réunion est %(status)s : elle ne peut plus être modifiée.")
            % {"status": meeting.get_status_display()},
        )
        return redirect("meetings:meeting", pk=meeting.pk)
    local_start, local_end = meeting.start.astimezone(BRUSSELS), meeting.end.astimezone(BRUSSELS)
    initial = {
        "title": meeting.title,
        "purpose": meeting.purpose,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "capacity": meeting.capacity,
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": local_end.time(),
        "scope": MeetingEditForm.SCOPE_THIS,
    }
    people = {"people": queries.invitable_people(meeting), "search_url": reverse("meetings:people_search")}
    form = MeetingEditForm(request.POST or None, initial=initial, in_series=meeting.series_id is not None)
    formset = AgendaFormSet(
        request.POST or None,
        prefix="agenda",
        form_kwargs=people,
        initial=[
            {
                "title": i.title,
                "planned_minutes": i.planned_minutes,
                "presenter": [i.presenter] if i.presenter else [],
            }
            for i in meeting.agenda_items.select_related("presenter")
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        changes = {
            f: data[f] for f in ("title", "purpose", "place", "online_link", "capacity", "start", "end")
        }
        try:
            if data.get("scope") == MeetingEditForm.SCOPE_FOLLOWING:
                series = series_services.series_split(
                    occurrence=meeting,
                    dtstart=data["start"],
                    duration=data["end"] - data["start"],
                    rrule=series_services.rule_from(meeting.series, meeting),
                    changes=changes,
                )
                target = series.occurrences.order_by("start").first() or meeting
            else:
                target = meeting_services.meeting_update(
                    meeting=meeting, changes=changes, agenda=agenda_items_from(formset)
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("meetings:meeting", pk=target.pk)
    context = {"form": form, "formset": formset, "meeting": meeting}
    # What other apps add to the form (meeting load: what the meeting costs, live); a group's
    # session goes with its group, which the form itself does not hold.
    form.scheduling_group = meeting.group
    context["panels"] = page_panels("meeting_form", request.user, form)
    return render(request, "meetings/meeting_edit.html", context)


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = editable_meeting_or_403(request, pk)
    try:
        meeting_services.meeting_cancel(meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("La réunion est annulée."))
    return redirect("meetings:meeting", pk=meeting.pk)


def _series_cancel(request: HttpRequest, pk: int, *, following: bool) -> HttpResponse:
    meeting = editable_meeting_or_403(request, pk)
    if meeting.series_id is None:
        raise Http404
    try:
        count = series_services.series_cancel(
            series=meeting.series, occurrence=meeting if following else None
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d séance annulée ; les participants en sont informés.",
                "%(count)d séances annulées ; les participants en sont informés.",
                count,
            )
            % {"count": count},
        )
    return redirect("meetings:meeting", pk=meeting.pk)


@require_POST
def series_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the whole series of the session PK: every session still to come."""
    return _series_cancel(request, pk, following=False)


@require_POST
def series_cancel_following(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the session PK and the following ones of its series."""
    return _series_cancel(request, pk, following=True)
