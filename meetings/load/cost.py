"""What a meeting costs in person-hours, while it is being scheduled and once people are invited.

While scheduling (the meeting and series forms, live through htmx): participants × (duration +
travel), travel being DEFAULT_TRAVEL_MINUTES for a meeting with an address and none for one held
online only. The participants are, in this order: the group's active members when the form
schedules a group's sessions; else the meeting's number of places (capacity); else the number
the coordinator types in the cost region; else the cost is not shown yet. For a series, the
yearly total too: the sessions the rule gives in its first twelve months, each at that cost.

Once people are invited (the meeting page): each invitee who is neither minutes-only nor
declining, with their own travel estimate for the meeting's place (accounting.travel_for).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms import RecurrenceForm
from meetings.load import accounting, rules
from meetings.load.models import DEFAULT_TRAVEL_MINUTES
from meetings.models import InvitationRole, MembershipStatus, PartStat
from meetings.recurrence import occurrences_between

MAX_MINUTES = 24 * 60
MAX_PARTICIPANTS = 1000
# The field the coordinator types the number of participants in, inside the cost region: named
# apart from the forms' own fields, which the region reads too (hx-include of its form).
TYPED = "cost_participants"


class CostForm(forms.Form):
    """What the cost region reads of the form it stands in (and its own typed number)."""

    duration = forms.IntegerField(
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages={
            "required": _("Indiquez la durée (en minutes) pour voir le coût."),
            "invalid": _("La durée s'indique en minutes, par un nombre."),
            "min_value": _("La durée doit être d'au moins une minute."),
            "max_value": _("Une réunion dure au plus 24 heures."),
        },
    )
    place = forms.CharField(max_length=300, required=False)
    online_link = forms.CharField(max_length=500, required=False)
    capacity = forms.IntegerField(min_value=1, max_value=MAX_PARTICIPANTS, required=False)
    cost_participants = forms.IntegerField(
        label=_("Nombre de participant·e·s attendu·e·s"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        required=False,
        error_messages={
            "invalid": _("Le nombre de participant·e·s s'indique par un nombre entier."),
            "min_value": _("Le nombre de participant·e·s est d'au moins 1."),
            "max_value": _("Au plus 1000 participant·e·s."),
        },
    )


@dataclass(frozen=True)
class Cost:
    participants: int | None
    source: str  # "group", "capacity", "typed", or "" when the number is not known yet
    duration_minutes: int
    travel_minutes: int
    online: bool
    per_session: Decimal | None
    sessions_in_year: int | None = None  # for a series
    yearly: Decimal | None = None
    errors: tuple[str, ...] = ()


def _capacity(form: CostForm) -> int | None:
    # A capacity that does not parse leaves the capacity aside: the meeting form says why.
    return form.cleaned_data.get("capacity") if "capacity" not in form.errors else None


def estimate(data, *, group_members: int | None = None, series_data=None) -> Cost:
    """The cost of the form whose values are DATA (a QueryDict or dict of strings).
    GROUP_MEMBERS: the active members of the group it schedules for. SERIES_DATA: the series
    form's values, for the yearly total."""
    values = {key: data.get(key, "") for key in CostForm.base_fields}
    if not values["duration"]:
        values["duration"] = _minutes_between(data.get("start_time", ""), data.get("end_time", ""))
    form = CostForm(values)
    form.is_valid()
    errors = [str(e) for field in ("duration", TYPED) for e in form.errors.get(field, [])]
    duration = form.cleaned_data.get("duration")
    place = (form.cleaned_data.get("place") or "").strip()
    online = not place and bool((form.cleaned_data.get("online_link") or "").strip())
    travel = DEFAULT_TRAVEL_MINUTES if place else 0
    typed = form.cleaned_data.get(TYPED)
    if group_members:
        participants, source = group_members, "group"
    elif _capacity(form):
        participants, source = _capacity(form), "capacity"
    elif typed:
        participants, source = typed, "typed"
    else:
        participants, source = None, ""
    per_session = None
    if duration and participants:
        per_session = accounting.person_hours(
            participants=participants, duration=timedelta(minutes=duration), travel_minutes=travel
        )
    sessions = yearly = None
    if series_data is not None and duration:
        sessions = sessions_in_first_year(series_data)
        if sessions is not None and per_session is not None:
            yearly = (per_session * sessions).quantize(Decimal("0.1"))
    return Cost(
        participants=participants,
        source=source,
        duration_minutes=duration or 0,
        travel_minutes=travel,
        online=online,
        per_session=per_session,
        sessions_in_year=sessions,
        yearly=yearly,
        errors=tuple(errors),
    )


def _minutes_between(start: str, end: str) -> str:
    """The duration of a form that gives a start and an end time (the meeting's edit form)."""
    times = []
    for value in (start, end):
        for layout in ("%H:%M", "%H:%M:%S"):
            try:
                times.append(datetime.strptime(str(value).strip(), layout))
                break
            except ValueError:
                continue
    if len(times) != 2:
        return ""
    return str(int((times[1] - times[0]).total_seconds() // 60))


def sessions_in_first_year(data) -> int | None:
    """How many sessions the series' rule gives in its first twelve months; None while the rule
    is not complete or not valid (the series form's preview says why)."""
    form = RecurrenceForm(data, require_place=False)
    form.is_valid()  # the title may be missing: the rule is what counts here
    cleaned = form.cleaned_data
    if "dates" not in cleaned:
        return None
    start = cleaned["dtstart"]
    return len(occurrences_between(cleaned["rrule"], start, start, start + relativedelta(months=12)))


def group_members(group) -> int:
    return group.memberships.filter(status=MembershipStatus.ACTIVE).count()


@dataclass(frozen=True)
class MeetingCost:
    participants: int
    person_hours: Decimal
    travel_hours: Decimal


def meeting_cost(meeting) -> MeetingCost:
    """What MEETING costs from its actual invitees: those neither minutes-only nor declining,
    each with their own travel to its place — from five of them on: below, everyone counts the
    default travel, lest one invitee take their own time from the total and read another's
    (rules.shows_figures). Two queries, whatever the number of invitees."""
    rows = list(
        meeting.invitations.exclude(role=InvitationRole.MINUTES_ONLY)
        .exclude(partstat=PartStat.DECLINED)
        .values_list("user_id", flat=True)
    )
    user_ids = [user_id for user_id in rows if user_id]
    estimates = accounting.estimates_of(user_ids)
    if not rules.shows_figures(len(rows)):
        estimates = {}
    minutes = int((meeting.end - meeting.start).total_seconds() // 60)
    travel = sum(
        accounting.travel_for(meeting.place, meeting.online_link, estimates.get(user_id, {}))
        for user_id in rows
    )
    return MeetingCost(
        participants=len(rows),
        person_hours=accounting.hours(minutes * len(rows) + travel),
        travel_hours=accounting.hours(travel),
    )
