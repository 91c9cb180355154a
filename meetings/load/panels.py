"""What meeting load adds to the core's pages.

- The organiser's invitations page: each invited professional's hours in the meeting's month
  against their budget, whether this meeting would push them over, and, for who is or would be
  over, the suggestion of the optional or minutes-only role (one button each).
- The invitee's answer (the answer page, the meeting page): their own month, and what this
  meeting would make of it; the minutes-only choice put forward when it is too much.
- The meeting and series forms: what the meeting costs in person-hours (cost.py), refreshed by
  htmx as the form changes (views/cost.py), and computed on the page itself without JavaScript.
- The meeting page: what it costs from its actual invitees.
- The group page: the members absent from its last sessions, named to who facilitates it.

The month is the meeting's own (Europe/Brussels), whether or not it is this month: a meeting in
March weighs on March's budget. A person's figures are shown to that person and to the organiser
of a meeting they are invited to, and nothing else of their meetings: the hours, the budget, and
whether this meeting pushes them over (no titles, no kinds).
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetings import rules as core_rules
from meetings.load import accounting, health
from meetings.load import cost as costs
from meetings.models import Invitation, InvitationRole, MeetingStatus, SeriesInvitation
from meetings.panels import Panel, group_panel, meeting_panel, page_panel
from meetings.services import invitations as invitation_services

OVER = "over"  # above the budget this month, without this meeting
PUSHES = "pushes"  # this meeting would take them above it
FINE = "fine"


def meeting_month(meeting) -> date:
    return accounting.month_of(meeting.start)


def month_label(month: date) -> str:
    """ "ce mois-ci", or the month by name."""
    today = timezone.localdate()
    if month == today.replace(day=1):
        return ""
    return date_format(month, "F Y")


def _minutes(meeting) -> int:
    return int((meeting.end - meeting.start).total_seconds() // 60)


def _standing(load: accounting.MonthLoad, meeting, travel: int) -> dict:
    """LOAD's month without MEETING (it counts already for who accepted it), and with it."""
    own = [s for s in load.sittings if s.meeting_id == meeting.pk]
    base = load.meeting_minutes + load.travel_minutes - sum(s.minutes + s.travel_minutes for s in own)
    with_it = base + _minutes(meeting) + travel
    before, after = accounting.hours(base), accounting.hours(with_it)
    if before > load.budget_hours:
        status = OVER
    elif after > load.budget_hours:
        status = PUSHES
    else:
        status = FINE
    return {"hours": before, "budget": load.budget_hours, "with_meeting": after, "status": status}


@page_panel("invitations", order=10)
def invitations_budget(user, meeting, *, show_details: bool) -> Panel | None:
    """The invitees' budgets, on the organiser's invitations page: a constant number of queries
    (the invitations, the budgets, the month's sittings, the travel estimates)."""
    if not meeting.is_editable or meeting.end <= timezone.now():
        return None
    invitations = list(
        Invitation.objects.filter(meeting=meeting, user__professional__isnull=False)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    if not invitations:
        return None
    user_ids = [i.user_id for i in invitations]
    month = meeting_month(meeting)
    loads = accounting.loads_in_month(user_ids, month)
    rows = []
    for invitation in invitations:
        own = loads[invitation.user_id].estimates
        travel = accounting.travel_for(meeting.place, meeting.online_link, own)
        row = {"invitation": invitation, **_standing(loads[invitation.user_id], meeting, travel)}
        minutes_only = invitation.role == InvitationRole.MINUTES_ONLY
        switchable = invitation.role in invitation_services.SWITCHABLE_ROLES
        row["minutes_only"] = minutes_only
        row["suggest"] = switchable and not minutes_only and row["status"] in {OVER, PUSHES}
        row["roles"] = (
            [
                (role, role.label)
                for role in (InvitationRole.OPTIONAL, InvitationRole.MINUTES_ONLY, InvitationRole.PARTICIPANT)
                if role != invitation.role and (role != InvitationRole.PARTICIPANT or not row["suggest"])
            ]
            if switchable and (row["suggest"] or invitation.role != InvitationRole.PARTICIPANT)
            else []
        )
        row["role_url"] = reverse("meetings:invitation_role", args=[meeting.pk, invitation.pk])
        rows.append(row)
    return Panel(
        "load/_invitations_budget.html",
        {
            "rows": rows,
            "month": month_label(month),
            "over": sum(1 for r in rows if r["status"] in {OVER, PUSHES} and not r["minutes_only"]),
        },
    )


@page_panel("answer", order=10)
def answer_load(user, target, *, show_details: bool) -> Panel | None:
    """The invitee's own month, beside their answer: only to them, logged in (an answer link
    may be forwarded; the hours stay with their owner)."""
    if not user.is_authenticated or target.user_id != user.pk:
        return None
    if getattr(user, "professional", None) is None:
        return None
    meeting = _meeting_of(target)
    if meeting is None:
        return None
    month = meeting_month(meeting)
    load = accounting.loads_in_month([user.pk], month)[user.pk]
    standing = _standing(
        load, meeting, accounting.travel_for(meeting.place, meeting.online_link, load.estimates)
    )
    return Panel(
        "load/_answer_load.html",
        {
            **standing,
            "month": month_label(month),
            "series": isinstance(target, SeriesInvitation),
            "too_much": standing["status"] in {OVER, PUSHES},
            "offers_minutes_only": invitation_services.may_answer_minutes_only(target),
            "minutes_only": target.role == InvitationRole.MINUTES_ONLY,
        },
    )


def _meeting_of(target):
    """The meeting an answer is about: the invitation's, or the series' next session."""
    if isinstance(target, Invitation):
        return target.meeting
    return (
        target.series.occurrences.filter(start__gte=timezone.now(), status=MeetingStatus.SCHEDULED)
        .order_by("start")
        .first()
    )


def _form_panel(form, *, series: bool) -> Panel:
    group = getattr(form, "scheduling_group", None)
    members = costs.group_members(group) if group is not None else None
    data = _values(form)
    cost = costs.estimate(data, group_members=members, series_data=data if series else None)
    return Panel(
        "load/_cost_region.html",
        {
            "cost": cost,
            "series": series,
            "group": group,
            "typed": data.get(costs.TYPED, ""),
            "url": reverse("load:cost"),
        },
    )


def _values(form) -> dict:
    """The form's values as the page shows them: what was sent, else the initial ones."""
    if form.is_bound:
        return form.data
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        values[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return _Values(values)


class _Values(dict):
    """A dict answering get() like a QueryDict, and getlist() for the weekdays."""

    def getlist(self, key, default=None):
        value = dict.get(self, key, default if default is not None else [])
        return value if isinstance(value, list) else [value]

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[-1] if isinstance(value, list) and value else value


@page_panel("meeting_form", order=10)
def meeting_form_cost(user, form, *, show_details: bool) -> Panel:
    return _form_panel(form, series=False)


@page_panel("series_form", order=10)
def series_form_cost(user, form, *, show_details: bool) -> Panel:
    return _form_panel(form, series=True)


@meeting_panel(order=40)
def meeting_cost(user, meeting, *, show_details: bool) -> Panel | None:
    """What the meeting costs from its invitees: two queries, whatever their number."""
    if not show_details or meeting.status == MeetingStatus.CANCELLED:
        return None
    if not (core_rules.can_edit_meeting(user, meeting) or core_rules.my_invitations(user, meeting)):
        return None
    found = costs.meeting_cost(meeting)
    if not found.participants:
        return None
    return Panel("load/_meeting_cost.html", {"cost": found, "ended": meeting.end <= timezone.now()})


@group_panel(order=40)
def absences_panel(user, group, *, show_details: bool) -> Panel | None:
    """Members absent from the group's last sessions, named to those who facilitate it (FIELD.md:
    patterns of absence are told to the chair), never to the other members."""
    if not core_rules.can_manage_group(user, group):
        return None
    absent = health.absentees(now=timezone.now(), group=group).get(group.pk, [])
    if not absent:
        return None
    return Panel("load/_absences_panel.html", {"absent": absent, "sessions": health.policies.ABSENT_IN_A_ROW})
