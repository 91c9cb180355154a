"""What meetings take from each person, month by month: computed from meetings, invitations and
roll calls, never stored.

A meeting counts for a person when it takes place (scheduled, held or closed) and they were
there — the roll call says present or late — or, with no roll call for them, they accepted it.
A group's session invites nobody (its members are expected as members): it counts for those
the roll call says came.
Declined, "maybe", unanswered, minutes-only and absent or excused people do not count it. Each
counted meeting costs its duration plus the person's travel to its place: their own estimate for
that place, else DEFAULT_TRAVEL_MINUTES for a meeting with an address, none for one held online
only. Months are Europe/Brussels calendar months, a meeting belonging to the month it starts in.

Hours are also given per full-time equivalent (hours ÷ FTE), so that a half-time worker's 11
hours read as the 22 a full-timer would have spent; the budget is the person's own, else their
organisation's hours per FTE × FTE, else 8 h × FTE (accounts.default_meeting_budget).
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery

from accounts.models import Professional, default_meeting_budget
from accounts.text import fold
from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.load.models import DEFAULT_TRAVEL_MINUTES, OrganisationBudget, TravelEstimate
from meetings.models import Invitation, InvitationRole, PartStat
from meetings.models.meetings import TAKING_PLACE
from meetings.recurrence import BRUSSELS

PRESENT = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


@functools.lru_cache(maxsize=4096)  # a busy person's year repeats a few places hundreds of times
def place_key(place: str) -> str:
    """One key per place, whatever its accents, case and spacing."""
    return " ".join(fold(place).split())[:300]


def month_of(moment: datetime | date) -> date:
    """The Brussels month MOMENT falls in, as its first day (a date is its own month's)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(BRUSSELS).date()
    return moment.replace(day=1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_back(month: date, count: int) -> list[date]:
    """COUNT months ending with MONTH, oldest first."""
    months = [month_start(month)]
    while len(months) < count:
        months.insert(0, month_start(months[0] - timedelta(days=1)))
    return months


def month_window(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """From the start of month FIRST to the end of month LAST (default FIRST), Brussels time."""
    end = next_month(last or first)
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=BRUSSELS),
        datetime.combine(end, datetime.min.time(), tzinfo=BRUSSELS),
    )


@dataclass(frozen=True)
class Sitting:
    """One person at one meeting that counts for them."""

    user_id: int
    meeting_id: int
    kind: str
    title: str
    start: datetime
    end: datetime
    travel_minutes: int

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def month(self) -> date:
        return month_of(self.start)


@dataclass(frozen=True)
class Overlap:
    first: Sitting
    second: Sitting

    @property
    def minutes(self) -> int:
        start, end = max(self.first.start, self.second.start), min(self.first.end, self.second.end)
        return int((end - start).total_seconds() // 60)


@dataclass
class MonthLoad:
    """One person's month: hours by kind, travel, overlaps, against their budget."""

    month: date
    budget_hours: Decimal
    fte: Decimal
    sittings: list[Sitting] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    # The person's own travel times by place key, read with the sittings: what one more meeting
    # would add to the month is judged with them too.
    estimates: dict[str, int] = field(default_factory=dict)

    @property
    def meeting_minutes(self) -> int:
        return sum(s.minutes for s in self.sittings)

    @property
    def travel_minutes(self) -> int:
        return sum(s.travel_minutes for s in self.sittings)

    @property
    def total_hours(self) -> Decimal:
        return hours(self.meeting_minutes + self.travel_minutes)

    @property
    def hours_per_fte(self) -> Decimal:
        return (self.total_hours / self.fte).quantize(Decimal("0.1")) if self.fte else self.total_hours

    @property
    def minutes_by_kind(self) -> dict[str, int]:
        """Meeting time and its travel, by kind of meeting."""
        by_kind: dict[str, int] = defaultdict(int)
        for sitting in self.sittings:
            by_kind[sitting.kind] += sitting.minutes + sitting.travel_minutes
        return dict(by_kind)

    @property
    def overlap_minutes(self) -> int:
        return sum(o.minutes for o in self.overlaps)

    @property
    def over_budget(self) -> bool:
        return self.total_hours > self.budget_hours

    def with_meeting(self, minutes: int) -> Decimal:
        """The month's hours if one more meeting of MINUTES (travel included) were added."""
        return hours(self.meeting_minutes + self.travel_minutes + minutes)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def travel_for(place: str, online_link: str, estimates: dict[str, int]) -> int:
    """A person's travel to a meeting: their estimate for its place, else the default for an
    address; none for a meeting held online only."""
    if not place.strip():
        return 0
    return estimates.get(place_key(place), DEFAULT_TRAVEL_MINUTES)


def estimates_of(user_ids) -> dict[int, dict[str, int]]:
    """Each person's travel estimates by place key (one query)."""
    by_user: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, key, minutes in TravelEstimate.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "place_key", "minutes"
    ):
        by_user[user_id][key] = minutes
    return by_user


def counted_invitations(user_ids, start: datetime, end: datetime):
    """The invitations of USER_IDS to meetings starting in [START, END) that count for them."""
    attendance = Attendance.objects.filter(meeting_id=OuterRef("meeting_id"), user_id=OuterRef("user_id"))
    return (
        Invitation.objects.filter(
            user_id__in=user_ids,
            meeting__start__gte=start,
            meeting__start__lt=end,
            meeting__status__in=TAKING_PLACE,
        )
        .exclude(role=InvitationRole.MINUTES_ONLY)
        .annotate(roll_call=Subquery(attendance.values("status")[:1]))
        .filter(Q(roll_call__in=PRESENT) | Q(roll_call__isnull=True, partstat=PartStat.ACCEPTED))
    )


SITTING_COLUMNS = (
    "user_id",
    "meeting_id",
    "meeting__kind",
    "meeting__title",
    "meeting__start",
    "meeting__end",
    "meeting__place",
    "meeting__online_link",
)


def attended_uninvited(user_ids, start: datetime, end: datetime):
    """The roll-call rows of USER_IDS, present or late, at meetings starting in [START, END) to
    which they had no invitation: a group's sessions, which its members attend as members."""
    invited = Invitation.objects.filter(meeting_id=OuterRef("meeting_id"), user_id=OuterRef("user_id"))
    return Attendance.objects.filter(
        user_id__in=user_ids,
        status__in=PRESENT,
        meeting__start__gte=start,
        meeting__start__lt=end,
        meeting__status__in=TAKING_PLACE,
    ).exclude(Exists(invited))


def sittings(user_ids, start: datetime, end: datetime, estimates: dict | None = None) -> list[Sitting]:
    """What counts for USER_IDS in [START, END), ordered by start: three queries (two when the
    people's travel ESTIMATES, from estimates_of, are given)."""
    if estimates is None:
        estimates = estimates_of(user_ids)
    rows = [
        *counted_invitations(user_ids, start, end).values_list(*SITTING_COLUMNS),
        *attended_uninvited(user_ids, start, end).values_list(*SITTING_COLUMNS),
    ]
    found = [
        Sitting(
            user_id=user_id,
            meeting_id=meeting_id,
            kind=kind,
            title=title,
            start=start_at,
            end=end_at,
            travel_minutes=travel_for(place, link, estimates.get(user_id, {})),
        )
        for user_id, meeting_id, kind, title, start_at, end_at, place, link in rows
    ]
    return sorted(found, key=lambda s: (s.user_id, s.start, s.meeting_id))


def overlaps(ordered: list[Sitting]) -> list[Overlap]:
    """Pairs of one person's meetings that share some time (SITTINGS of one person, by start)."""
    found = []
    for index, sitting in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.start >= sitting.end:
                break
            found.append(Overlap(sitting, later))
    return found


@dataclass(frozen=True)
class Budget:
    fte: Decimal
    hours: Decimal


def default_budget(fte: Decimal, organisations_per_fte) -> Decimal:
    """The budget of a person who set none: the lowest of their organisations' hours per FTE
    (ORGANISATIONS_PER_FTE, when they work for several) × FTE, else 8 h × FTE."""
    lowest = min(organisations_per_fte, default=None)
    if lowest is None:
        return default_meeting_budget(fte)
    return (lowest * fte).quantize(Decimal("0.1"))


def budgets(user_ids) -> dict[int, Budget]:
    """Each professional's FTE and monthly budget: their own, else default_budget. Two queries."""
    found = {}
    profiles = Professional.objects.filter(user_id__in=user_ids).prefetch_related("organisations")
    per_fte = dict(
        OrganisationBudget.objects.filter(organisation__professionals__user_id__in=user_ids).values_list(
            "organisation_id", "hours_per_fte"
        )
    )
    for profile in profiles:
        budget = profile.monthly_meeting_budget
        if budget is None:
            budget = default_budget(
                profile.fte, [per_fte[o.pk] for o in profile.organisations.all() if o.pk in per_fte]
            )
        found[profile.user_id] = Budget(fte=profile.fte, hours=budget)
    return found


NO_PROFILE = Budget(fte=Decimal(1), hours=default_meeting_budget(Decimal(1)))


def _loads(user_ids, months: list[date]) -> dict[tuple[int, date], MonthLoad]:
    """The load of each of USER_IDS in each of MONTHS (consecutive, oldest first), by (user id,
    month): their budgets, travel times and sittings in four queries, whatever their number."""
    known = budgets(user_ids)
    estimates = estimates_of(user_ids)
    loads = {}
    for user_id in user_ids:
        budget = known.get(user_id, NO_PROFILE)
        for month in months:
            loads[user_id, month] = MonthLoad(
                month=month, budget_hours=budget.hours, fte=budget.fte, estimates=estimates.get(user_id, {})
            )
    start, end = month_window(months[0], months[-1])
    for sitting in sittings(user_ids, start, end, estimates):
        loads[sitting.user_id, sitting.month].sittings.append(sitting)
    for load in loads.values():
        load.overlaps = overlaps(load.sittings)
    return loads


def month_loads(user, months: list[date]) -> list[MonthLoad]:
    """USER's load for each of MONTHS (consecutive, oldest first)."""
    loads = _loads([user.pk], months)
    return [loads[user.pk, month] for month in months]


def loads_in_month(user_ids, month: date) -> dict[int, MonthLoad]:
    """The load of each of USER_IDS in MONTH, in a constant number of queries."""
    user_ids = list(user_ids)
    loads = _loads(user_ids, [month])
    return {user_id: loads[user_id, month] for user_id in user_ids}


def person_hours(*, participants: int, duration: timedelta, travel_minutes: int) -> Decimal:
    """What a meeting costs: participants × (duration + travel), in hours."""
    minutes = int(duration.total_seconds() // 60) + travel_minutes
    return hours(participants * minutes)
