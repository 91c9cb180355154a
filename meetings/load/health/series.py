"""Flags about series: (c) deserted, (d) deciding nothing, (f) found useless — all three read from
one query of their last sessions — and (e) two series of the same people."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils.translation import gettext as _

from accounts.models import Network
from meetings.attendance.models import ATTENDED, Attendance
from meetings.followup.models import Action, Feedback, Outcome
from meetings.kinds import policy_for
from meetings.load import policies
from meetings.load.health.base import HELD, Flag, count_of, series_url, subject_name
from meetings.load.rules import shows_figures
from meetings.models import (
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MembershipStatus,
    Series,
)
from meetings.models.meetings import TAKING_PLACE

# (c), (d), (f): the last held sessions of each series, in one query


@dataclass
class Session:
    pk: int
    series_id: int
    group_id: int | None
    kind: str
    title: str
    group_name: str | None
    expected: int
    present: int
    results: bool
    feedback_count: int
    feedback_sum: int


def last_sessions(network: Network, *, now: datetime) -> dict[int, list[Session]]:
    """Each series' last held sessions (as many as the deepest flag looks at), latest first, each
    with its roll call's figures, whether it decided or handed out anything, and its feedback.

    Those expected: the invitees (minutes-only ones aside) or, when the roll call lists more
    people (group members marked without an invitation of their own), the roll call's rows."""
    depth = max(policies.ATTENDANCE_SESSIONS, policies.NO_RESULT_SESSIONS, policies.USEFULNESS_SESSIONS)
    invited = Invitation.objects.filter(meeting=OuterRef("pk")).exclude(role=InvitationRole.MINUTES_ONLY)
    marked = Attendance.objects.filter(meeting=OuterRef("pk"))
    decided = Outcome.objects.filter(meeting=OuterRef("pk")).exclude(decisions=[])
    feedback = Feedback.objects.filter(meeting=OuterRef("pk"))
    feedback_sum = feedback.order_by().values("meeting").annotate(total=Sum("score")).values("total")
    rows = (
        Meeting.objects.filter(network=network, series__isnull=False, status__in=HELD)
        .filter(end__lte=now, end__gte=now - timedelta(days=policies.LAST_SESSIONS_LOOKBACK_DAYS))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("series_id")], order_by=[F("start").desc(), F("pk").desc()]
            ),
            expected=Greatest(count_of(invited), count_of(marked)),
            present=count_of(marked.filter(status__in=list(ATTENDED))),
            results=ExpressionWrapper(
                Exists(decided) | Exists(Action.objects.filter(origin=OuterRef("pk"))),
                output_field=BooleanField(),
            ),
            feedback_count=count_of(feedback),
            feedback_sum=Coalesce(Subquery(feedback_sum), 0),
        )
        .filter(rank__lte=depth)
        .values_list(
            "pk",
            "series_id",
            "group_id",
            "kind",
            "title",
            "group__name",
            "expected",
            "present",
            "results",
            "feedback_count",
            "feedback_sum",
        )
        .order_by("series_id", "rank")
    )
    by_series: dict[int, list[Session]] = defaultdict(list)
    for row in rows:
        by_series[row[1]].append(Session(*row))
    return by_series


def low_attendance(network: Network, *, now: datetime, sessions=None) -> list[Flag]:
    """Series whose attendance (present or late over those expected) stayed under
    ATTENDANCE_FLOOR_PERCENT at each of their last ATTENDANCE_SESSIONS held sessions."""
    sessions = last_sessions(network, now=now) if sessions is None else sessions
    flags = []
    for series_id, rows in sessions.items():
        last = rows[: policies.ATTENDANCE_SESSIONS]
        if len(last) < policies.ATTENDANCE_SESSIONS:
            continue
        if not all(
            s.expected and 100 * s.present < policies.ATTENDANCE_FLOOR_PERCENT * s.expected for s in last
        ):
            continue
        first = last[0]
        # Percentages of fewer than five people are figures about them: the flag then says no number.
        shown = all(shows_figures(s.expected) for s in last)
        figures = tuple(
            (_("séance %(n)s") % {"n": index}, f"{s.present}/{s.expected}")
            for index, s in enumerate(reversed(last), start=1)
        )
        flags.append(
            Flag(
                code="low_attendance",
                subject_key=f"series:{series_id}",
                message=_(
                    "%(name)s : moins de %(floor)s %% de présents à chacune des %(n)s dernières séances."
                )
                % {
                    "name": subject_name(
                        first.kind, first.title, first.group_name, series_id=first.series_id
                    ),
                    "floor": policies.ATTENDANCE_FLOOR_PERCENT,
                    "n": policies.ATTENDANCE_SESSIONS,
                },
                url=series_url(first.group_id, first.pk),
                figures=figures if shown else (),
            )
        )
    return flags


def no_results(network: Network, *, now: datetime, sessions=None) -> list[Flag]:
    """Series of kinds that decide (policy.records_decisions: a Balint group does not) with no
    decision in their outcomes and no follow-up action in their last NO_RESULT_SESSIONS sessions."""
    sessions = last_sessions(network, now=now) if sessions is None else sessions
    flags = []
    for series_id, rows in sessions.items():
        last = rows[: policies.NO_RESULT_SESSIONS]
        if len(last) < policies.NO_RESULT_SESSIONS or not policy_for(last[0].kind).records_decisions:
            continue
        if any(s.results for s in last):
            continue
        first = last[0]
        flags.append(
            Flag(
                code="no_results",
                subject_key=f"series:{series_id}",
                message=_("%(name)s : ni décision ni action lors des %(n)s dernières séances.")
                % {
                    "name": subject_name(
                        first.kind, first.title, first.group_name, series_id=first.series_id
                    ),
                    "n": policies.NO_RESULT_SESSIONS,
                },
                url=series_url(first.group_id, first.pk),
                figures=((_("séances sans décision ni action"), str(len(last))),),
            )
        )
    return flags


def low_usefulness(network: Network, *, now: datetime, sessions=None) -> list[Flag]:
    """Series whose usefulness feedback (1 to 5) averages under USEFULNESS_FLOOR over their last
    USEFULNESS_SESSIONS held sessions, once there are USEFULNESS_MIN_ANSWERS answers at least."""
    sessions = last_sessions(network, now=now) if sessions is None else sessions
    flags = []
    for series_id, rows in sessions.items():
        last = rows[: policies.USEFULNESS_SESSIONS]
        answers = sum(s.feedback_count for s in last)
        if answers < max(policies.USEFULNESS_MIN_ANSWERS, 1) or not shows_figures(answers):
            continue
        average = sum(s.feedback_sum for s in last) / answers
        if average >= policies.USEFULNESS_FLOOR:
            continue
        first = last[0]
        flags.append(
            Flag(
                code="low_usefulness",
                subject_key=f"series:{series_id}",
                message=_("%(name)s : jugée peu utile par ses participants (moins de %(floor)s / 5).")
                % {
                    "name": subject_name(
                        first.kind, first.title, first.group_name, series_id=first.series_id
                    ),
                    "floor": policies.USEFULNESS_FLOOR,
                },
                url=series_url(first.group_id, first.pk),
                figures=((_("moyenne sur 5"), f"{average:.1f}"), (_("avis"), str(answers))),
            )
        )
    return flags


# (e) Two series gathering the same people


def participants_by_series(network: Network, *, now: datetime) -> tuple[dict[int, set], dict[int, dict]]:
    """Who takes part in each series of NETWORK with a session within RECENT_DAYS of NOW: the
    users invited to those sessions (minutes-only aside), and the active members of its group.
    Three queries: each series' kind, name and latest recent session, then the two kinds of people."""
    recent = Q(start__gte=now - timedelta(days=policies.RECENT_DAYS), start__lte=now + timedelta(days=31))
    sessions = Meeting.objects.filter(recent, network=network, series__isnull=False, status__in=TAKING_PLACE)
    latest = sessions.filter(series_id=OuterRef("pk")).order_by("-start", "-pk").values("pk")[:1]
    about = {
        row["pk"]: row
        for row in Series.objects.filter(pk__in=sessions.values("series_id"))
        .annotate(meeting=Subquery(latest), group_name=F("group__name"))
        .values("pk", "kind", "title", "group_id", "group_name", "meeting")
    }
    people: dict[int, set] = defaultdict(set)
    invited = (
        Invitation.objects.filter(meeting__in=sessions, user__isnull=False)
        .exclude(role=InvitationRole.MINUTES_ONLY)
        .values_list("meeting__series_id", "user_id")
        .distinct()
    )
    members = (
        # [0] when there is none: an empty IN would skip the query, and the count would vary.
        GroupMembership.objects.filter(status=MembershipStatus.ACTIVE, group__series__in=list(about) or [0])
        .values_list("group__series__id", "user_id")
        .distinct()
    )
    for series_id, user_id in [*invited, *members]:
        people[series_id].add(user_id)
    return people, about


def overlaps(network: Network, *, now: datetime) -> list[Flag]:
    """Pairs of series whose participants are at least OVERLAP_PERCENT the same, by the Jaccard
    index (people in both ÷ people in either): the overlap over the smaller set would call a
    five-person group "the same" as any large meeting its five attend. Only pairs of kinds that
    may merge (kinds.py's merge_family, whose words are the reason), and only series of SMALLEST_GROUP
    people or more (below, the shares are figures about a few people)."""
    people, about = participants_by_series(network, now=now)
    ids = sorted(s for s in about if shows_figures(len(people[s])))
    flags = []
    for index, first in enumerate(ids):
        for second in ids[index + 1 :]:
            reason = policies.merge_reason(about[first]["kind"], about[second]["kind"])
            if reason is None:
                continue
            both, either = len(people[first] & people[second]), len(people[first] | people[second])
            if 100 * both < policies.OVERLAP_PERCENT * either:
                continue
            names = [
                subject_name(about[s]["kind"], about[s]["title"], about[s]["group_name"], series_id=s)
                for s in (first, second)
            ]
            flags.append(
                Flag(
                    code="overlap",
                    subject_key=f"series:{first}+{second}",
                    message=_(
                        "%(first)s et %(second)s réunissent presque les mêmes personnes "
                        "(%(reason)s) : les fusionner ?"
                    )
                    % {"first": names[0], "second": names[1], "reason": reason},
                    url=series_url(about[first]["group_id"], about[first]["meeting"]),
                    figures=(
                        (_("personnes en commun"), str(both)),
                        (_("personnes en tout"), str(either)),
                        (_("part commune"), f"{round(100 * both / either)} %"),
                    ),
                )
            )
    return flags
