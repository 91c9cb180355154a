"""Flags about standing groups: (g) members absent five sessions in a row, (h) accreditation at risk."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Network
from meetings.attendance.models import ATTENDED, Attendance
from meetings.load import policies
from meetings.load.health.base import HELD, Flag, count_of
from meetings.models import (
    GroupMembership,
    Meeting,
    MembershipStatus,
    StandingGroup,
)
from meetings.models.meetings import TAKING_PLACE

# (g) Members absent five sessions in a row


def absentees(
    network: Network | None = None, *, now: datetime, group: StandingGroup | None = None
) -> dict[int, list]:
    """For each group (of NETWORK, or GROUP alone), its active members absent — marked absent or
    excused, or not marked — from each of its last ABSENT_IN_A_ROW held sessions with a roll call,
    since they joined (FIELD.md: a GLEM member absent 5 times in a row may be removed). Three queries;
    the members come as users."""
    # A session without any roll call says nothing of who came: only those with one count.
    called = Exists(Attendance.objects.filter(meeting=OuterRef("pk")))
    lookback = now - timedelta(days=policies.LAST_SESSIONS_LOOKBACK_DAYS)
    sessions = Meeting.objects.filter(
        called, group__isnull=False, status__in=HELD, end__lte=now, end__gte=lookback
    )
    sessions = sessions.filter(group=group) if group is not None else sessions.filter(network=network)
    last = list(
        sessions.annotate(
            rank=Window(
                RowNumber(), partition_by=[F("group_id")], order_by=[F("start").desc(), F("pk").desc()]
            )
        )
        .filter(rank__lte=policies.ABSENT_IN_A_ROW)
        .values_list("pk", "group_id", "start")
    )
    by_group: dict[int, list] = defaultdict(list)
    for pk, group_id, start in last:
        by_group[group_id].append((pk, start))
    full = {g: rows for g, rows in by_group.items() if len(rows) >= policies.ABSENT_IN_A_ROW}
    if not full:
        return {}
    group_of = {pk: group_id for group_id, rows in full.items() for pk, _start in rows}
    # Who came, by meeting: its group is known here, and a join to read it would scan meetings.
    came = {
        (group_of[meeting_id], user_id)
        for meeting_id, user_id in Attendance.objects.filter(
            meeting_id__in=group_of, status__in=list(ATTENDED), user__isnull=False
        ).values_list("meeting_id", "user_id")
    }
    found: dict[int, list] = defaultdict(list)
    members = GroupMembership.objects.filter(
        group_id__in=full, status=MembershipStatus.ACTIVE
    ).select_related("user", "group")
    for membership in members.order_by("user__last_name", "user__first_name", "pk"):
        joined = membership.decided_at or membership.requested_at
        oldest = min(start for _pk, start in full[membership.group_id])
        if joined > oldest or (membership.group_id, membership.user_id) in came:
            continue
        membership.user.group_name = membership.group.name  # for the dashboard's message
        found[membership.group_id].append(membership.user)
    return found


def absences(network: Network, *, now: datetime) -> list[Flag]:
    """On the coordinator's dashboard: how many members of each group were absent from its last
    ABSENT_IN_A_ROW sessions, without their names. Patterns of absence are told to the chair
    (FIELD.md), who knows why and speaks to the person: the group page names them to its
    facilitators (panels.py); the network only needs to know that a group is losing people."""
    found = absentees(network, now=now)
    return [
        Flag(
            code="absences",
            subject_key=f"group:{group_id}/absences",
            message=ngettext(
                "%(group)s : %(count)s membre absent·e des %(n)s dernières séances (signalé à l'animation).",
                "%(group)s : %(count)s membres absent·es des %(n)s dernières séances "
                "(signalé à l'animation).",
                len(users),
            )
            % {"group": users[0].group_name, "count": len(users), "n": policies.ABSENT_IN_A_ROW},
            url=reverse("meetings:group", args=[group_id]),
            figures=((_("membres"), str(len(users))),),
        )
        for group_id, users in sorted(found.items())
    ]


# (h) Accreditation groups at risk


def accreditation_at_risk(network: Network, *, now: datetime) -> list[Flag]:
    """Accredited groups (a reference or points) whose year falls short of ACCREDITATION_RULE:
    fewer sessions that count (held with enough participants, or still to come this calendar
    year) than it asks, or a number of active members outside its bounds. One query."""
    rule = policies.ACCREDITATION_RULE
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    year_end = year_start.replace(year=year_start.year + 1)
    in_year = Meeting.objects.filter(
        group=OuterRef("pk"), status__in=TAKING_PLACE, start__gte=year_start, start__lt=year_end
    )
    present = count_of(Attendance.objects.filter(meeting=OuterRef("pk"), status__in=list(ATTENDED)))
    held = in_year.filter(end__lte=now).annotate(present=present)
    rows = (
        StandingGroup.objects.filter(network=network)
        .filter(~Q(accreditation_reference="") | Q(accreditation_points__isnull=False))
        .annotate(
            counted=count_of(held.filter(present__gte=rule.min_participants_per_session)),
            short=count_of(held.filter(present__lt=rule.min_participants_per_session)),
            coming=count_of(in_year.filter(end__gt=now)),
            members=count_of(
                GroupMembership.objects.filter(group=OuterRef("pk"), status=MembershipStatus.ACTIVE)
            ),
        )
        .values_list("pk", "name", "counted", "short", "coming", "members")
        .order_by("name", "pk")
    )
    flags = []
    for pk, name, counted, short, coming, members in rows:
        problems = []
        if counted + coming < rule.min_sessions_per_year:
            problems.append(
                _("%(n)s séance(s) valable(s) cette année, prévues comprises, pour %(min)s demandées")
                % {"n": counted + coming, "min": rule.min_sessions_per_year}
            )
        if short:
            problems.append(
                _("%(n)s séance(s) à moins de %(min)s participants")
                % {"n": short, "min": rule.min_participants_per_session}
            )
        if not rule.min_members <= members <= rule.max_members:
            problems.append(
                _("%(n)s membres, pour %(low)s à %(high)s demandés")
                % {"n": members, "low": rule.min_members, "high": rule.max_members}
            )
        if not problems:
            continue
        flags.append(
            Flag(
                code="accreditation",
                subject_key=f"group:{pk}/accreditation:{year_start.year}",
                message=_("%(group)s risque de perdre sa reconnaissance (%(rule)s) : %(problems)s.")
                % {"group": name, "rule": rule.label, "problems": " ; ".join(problems)},
                url=reverse("meetings:group", args=[pk]),
                figures=(
                    (_("séances valables"), str(counted)),
                    (_("séances prévues"), str(coming)),
                    (_("séances trop peu suivies"), str(short)),
                    (_("source"), rule.source),
                ),
            )
        )
    return flags
