"""Reads for meetings and groups, built to keep a constant number of queries per page."""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Network, User
from accounts.queries import people_of_networks
from accounts.rules import network_ids_of
from accounts.todo import Todo
from audit.queries import reads_of
from audit.services import subject_key
from meetings import rules
from meetings.candidates import invited_to, open_meetings_of, organised_by, sessions_of, union_of
from meetings.kinds import POLICIES, Membership
from meetings.models import (
    CharterAcceptance,
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    PartStat,
    Role,
    StandingGroup,
)
from meetings.recurrence import describe
from outbox.models import OutboxMessage, OutboxStatus

CLOSED_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.CLOSED_GROUP]


class AgendaState:
    """Where a meeting that took place stands after it (None: it is still to come or under way)."""

    TO_CLOSE = "to_close"  # over, taking place, nobody closed it yet
    CLOSED = "closed"


@dataclass
class AgendaEntry:
    meeting: Meeting
    show_details: bool
    my_answer: str | None  # a PartStat value, or None when I was not invited personally
    facilitating: bool = False  # I run it (rules.meetings_facilitated_by): closing it is mine
    state: str | None = None  # an AgendaState

    @property
    def heading(self) -> str:
        return heading(self.meeting, show_details=self.show_details)


def heading(meeting: Meeting, *, show_details: bool) -> str:
    """What a list says of a meeting: its title, or, to whom its details are not shown, its kind
    and group (the agenda's rule, and the home page's)."""
    if show_details:
        return meeting.title
    kind = meeting.get_kind_display()
    return f"{kind} — {meeting.group.name}" if meeting.group_id else kind


def meeting_todos(meetings, *, kind: str, label, url) -> list[Todo]:
    """The home page's "À faire" lines of MEETINGS (annotated with shows_details): each named
    by heading(), linked by URL(meeting)."""
    return [
        Todo(
            kind=kind,
            label=label,
            text=heading(meeting, show_details=meeting.shows_details),
            url=url(meeting),
            when=meeting.start,
        )
        for meeting in meetings
    ]


def shows_details(user: User) -> ExpressionWrapper:
    """The agenda's show_details read in SQL, as an annotation of meetings: the organiser, any
    meeting but a closed group's session, and those sessions for members who see the group's
    details (facilitators, members who accepted the charter)."""
    seen = (
        Q(organiser_id=user.pk)
        | ~Q(kind__in=CLOSED_KINDS)
        | Q(group__isnull=True)
        | Q(rules.sees_group_details(user.pk, OuterRef("group_id")))
    )
    return ExpressionWrapper(seen, output_field=BooleanField())


def agenda_state(meeting: Meeting, now: datetime) -> str | None:
    if meeting.status == MeetingStatus.CLOSED:
        return AgendaState.CLOSED
    if meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.HELD} and meeting.end <= now:
        return AgendaState.TO_CLOSE
    return None


def _my_groups(user: User) -> tuple[set[int], set[int]]:
    """(groups I am an active member of, groups whose details I may see as a member)."""
    memberships = list(
        GroupMembership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .annotate(details=rules.sees_group_details(user.pk, OuterRef("group_id")))
        .values_list("group_id", "details")
    )
    member_of = {group_id for group_id, _details in memberships}
    detailed = {group_id for group_id, details in memberships if details}
    return member_of, detailed


def agenda(user: User, start: datetime, end: datetime, *, now: datetime | None = None) -> list[AgendaEntry]:
    """My meetings between START and END: invited, organised, my groups' sessions, and the open
    meetings of my networks. Cancelled ones stay listed (marked) so nobody travels for nothing;
    those over say whether they are closed (state, as of NOW)."""
    now = now or timezone.now()
    member_of, detailed = _my_groups(user)
    networks = network_ids_of(user)
    # Candidate ids, each part read through its own index within the window, then one select by
    # id: no join on invitations to de-duplicate, whatever the size of the federation.
    window = Q(start__lt=end, end__gt=start)
    # The ids are read first: the select by id then follows the primary key (given the UNION as a
    # subquery, the planner misjudges its size and reads the whole table to join it).
    mine = list(
        union_of(
            invited_to(user.pk, window),
            organised_by(user.pk, window),
            sessions_of(sorted(member_of), window),
            open_meetings_of(sorted(networks), window),
        ).values_list("pk", flat=True)
    )
    meetings = (
        Meeting.objects.filter(pk__in=mine)
        .exclude(Q(status=MeetingStatus.DRAFT) & ~Q(organiser=user))
        .select_related("group")
        .annotate(
            facilitating=ExpressionWrapper(rules.meetings_facilitated_by(user), output_field=BooleanField())
        )
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.filter(user=user), to_attr="mine")
        )
        .order_by("start")
    )
    entries = []
    for meeting in meetings:
        confidential_group = meeting.kind in CLOSED_KINDS and meeting.group_id is not None
        show = meeting.organiser_id == user.pk or not confidential_group or meeting.group_id in detailed
        answer = meeting.mine[0].partstat if meeting.mine else None
        entries.append(
            AgendaEntry(
                meeting=meeting,
                show_details=show,
                my_answer=answer,
                facilitating=meeting.facilitating,
                state=agenda_state(meeting, now),
            )
        )
    return entries


def visible_groups(user: User) -> QuerySet[StandingGroup]:
    """Groups of my networks (to ask to join) and groups I belong to, with their size."""
    return (
        StandingGroup.objects.filter(rules.groups_seen_by(user))
        .select_related("network")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.ACTIVE, memberships__role=Role.MEMBER),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(user=user),
                to_attr="my_membership",
            ),
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.filter(
                    status=MembershipStatus.ACTIVE, role=Role.FACILITATOR
                ).select_related("user"),
                to_attr="facilitator_memberships",
            ),
        )
        .order_by("network__name", "name")
    )


def group_members(group: StandingGroup) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("user__professional")
        .annotate(
            accepted_current=Exists(
                CharterAcceptance.objects.filter(
                    group=group, user=OuterRef("user"), version=group.charter_version
                )
            )
        )
        .order_by("role", "user__last_name")
    )


def group_member_people(group: StandingGroup) -> QuerySet[User]:
    """The group's members who see its details (facilitators, members who accepted the charter),
    to choose its rapporteur from: the list they hand in names the participants."""
    return User.objects.filter(rules.sees_group_details(OuterRef("pk"), group.pk)).order_by(
        "last_name", "first_name"
    )


def group_requests(group: StandingGroup) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(status=MembershipStatus.REQUESTED)
        .select_related("user")
        .order_by("requested_at")
    )


def group_sessions(group: StandingGroup, after: datetime, limit: int = 12) -> list[Meeting]:
    """The next sessions. When they come from more than one series, each says which: its series'
    rule ("Le 1er mardi de chaque mois, à 20:00") as `series_label`, for the list to tell them apart."""
    sessions = list(
        group.meetings.filter(end__gte=after)
        .exclude(status=MeetingStatus.DRAFT)
        .select_related("series")
        .order_by("start")[:limit]
    )
    if len({m.series_id for m in sessions}) > 1:
        for meeting in sessions:
            series = meeting.series
            meeting.series_label = describe(series.rrule, series.dtstart) if series else ""
    return sessions


def running_series_titles(group: StandingGroup, now: datetime) -> list[str]:
    """The titles of the group's series that still have sessions to come (one query)."""
    return list(
        group.series.filter(occurrences__end__gte=now)
        .distinct()
        .order_by("title")
        .values_list("title", flat=True)
    )


def meeting_participants(meeting: Meeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related("user").order_by("name", "email")


def answer_counts(meeting: Meeting) -> dict[str, int]:
    counts = dict(meeting.invitations.values_list("partstat").annotate(n=Count("pk")))
    return {
        "accepted": counts.get(PartStat.ACCEPTED, 0),
        "tentative": counts.get(PartStat.TENTATIVE, 0),
        "declined": counts.get(PartStat.DECLINED, 0),
        "waiting": counts.get(PartStat.NEEDS_ACTION, 0),
    }


def failed_messages(meeting: Meeting) -> QuerySet[OutboxMessage]:
    """E-mails about this meeting (or its series) that could not be delivered."""
    about = Q(refs__meeting=meeting.pk) | (
        Q(refs__series=meeting.series_id) if meeting.series_id else Q(pk__in=[])
    )
    return OutboxMessage.objects.filter(about, status=OutboxStatus.FAILED).order_by("-created_at")


def invitable_people(meeting: Meeting) -> QuerySet[User]:
    """Whom the invitations page may find and invite by name: the people of the meeting's network
    (anyone else is invited by address, as a guest)."""
    return people_of_networks([meeting.network_id])


def addable_members(group: StandingGroup) -> QuerySet[User]:
    """Whom "Ajouter un membre" offers: the people of the group's network who are not active members."""
    members = GroupMembership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
    return people_of_networks([group.network_id]).exclude(pk__in=members.values("user_id"))


def join_requests_among(group: StandingGroup, user_ids) -> set[int]:
    requests = group.memberships.filter(status=MembershipStatus.REQUESTED, user_id__in=user_ids)
    return set(requests.values_list("user_id", flat=True))


def group_standing(group_id: int, user_ids) -> dict[int, bool]:
    """{user id: whether they see the group's details} for those of USER_IDS who are active
    members of the group (one query); the others are not members."""
    memberships = GroupMembership.objects.filter(
        group_id=group_id, user_id__in=user_ids, status=MembershipStatus.ACTIVE
    ).annotate(details=rules.sees_group_details(OuterRef("user_id"), group_id))
    return dict(memberships.values_list("user_id", "details"))


def invited_among(meeting: Meeting, user_ids) -> set[int]:
    return set(meeting.invitations.filter(user_id__in=user_ids).values_list("user_id", flat=True))


def group_to_invite(meeting: Meeting) -> tuple[int, int]:
    """(active members of the meeting's group, how many of them are not invited yet): one query."""
    invited = Invitation.objects.filter(meeting=meeting, user_id=OuterRef("user_id"))
    counts = GroupMembership.objects.filter(
        group_id=meeting.group_id, status=MembershipStatus.ACTIVE
    ).aggregate(size=Count("pk"), uninvited=Count("pk", filter=~Q(Exists(invited))))
    return counts["size"], counts["uninvited"]


@dataclass
class DetailsCheck:
    """Who, among people about to be invited to a closed group's session, would not see its
    details (purpose, agenda, place, participants): the coordinator is told before sending."""

    not_members: list[User]
    charter_pending: list[User]
    guests: list[str]

    def __bool__(self) -> bool:
        return bool(self.not_members or self.charter_pending or self.guests)

    @property
    def key(self) -> str:
        """Who this warning is about: a confirmation counts only for the people it named."""
        people = [f"u{u.pk}" for u in self.not_members] + [f"c{u.pk}" for u in self.charter_pending]
        return ",".join(sorted(people + self.guests))

    def confirmed_by(self, warned: str) -> bool:
        return set(filter(None, self.key.split(","))) <= set(warned.split(","))


def details_check(
    meeting: Meeting, *, users: list[User], emails: list[str], whole_group: bool
) -> DetailsCheck:
    """The DetailsCheck of inviting USERS, EMAILS (guests, no account) and perhaps the whole group
    to MEETING; empty but for sessions of closed groups (rules.can_see_meeting_details). People
    already invited are left out: inviting them again changes nothing."""
    if meeting.policy.membership != Membership.CLOSED_GROUP or meeting.group_id is None:
        return DetailsCheck([], [], [])
    ids = [u.pk for u in users if u.pk != meeting.organiser_id]
    invited = invited_among(meeting, ids) if ids else set()
    chosen = [u for u in users if u.pk in ids and u.pk not in invited]
    standing = group_standing(meeting.group_id, [u.pk for u in chosen]) if chosen else {}
    not_members = [u for u in chosen if u.pk not in standing]
    pending = [u for u in chosen if standing.get(u.pk) is False]
    if whole_group:
        members = (
            GroupMembership.objects.filter(group_id=meeting.group_id, status=MembershipStatus.ACTIVE)
            .exclude(user_id=meeting.organiser_id)
            .exclude(Exists(Invitation.objects.filter(meeting=meeting, user_id=OuterRef("user_id"))))
            .annotate(details=rules.sees_group_details(OuterRef("user_id"), meeting.group_id))
            .filter(details=False)
            .select_related("user")
        )
        known = {u.pk for u in pending}
        pending += [m.user for m in members if m.user_id not in known]
    pending.sort(key=lambda u: (u.last_name, u.first_name))
    return DetailsCheck(not_members=not_members, charter_pending=pending, guests=list(emails))


READS_SHOWN = 50


def confidential_reads(meeting: Meeting, *, excluding: User) -> list:
    """The latest reads of a meeting's confidential material by others than EXCLUDING (one query)."""
    reads = reads_of(subject_key("meeting", meeting.pk)).exclude(reader=excluding)
    return list(reads[:READS_SHOWN])


# Possible duplicates of a meeting or series being scheduled


@dataclass(frozen=True)
class PossibleDuplicate:
    meeting: Meeting  # its first session overlapping one of the new ones
    same_group: bool  # else: the same organiser, and most of the same people invited
    overlapping: int  # how many of the new sessions overlap it (or its series)


DUPLICATE_SHARE = 0.5
DUPLICATE_CANDIDATES = 2000


def possible_duplicates(
    *,
    windows: list[tuple[datetime, datetime]],
    organiser: User,
    group: StandingGroup | None = None,
    people: set | None = None,
) -> list[PossibleDuplicate]:
    """Meetings not cancelled that overlap in time one of WINDOWS (the sessions to be created)
    and are likely the same thing scheduled twice: a session of the same GROUP, or a meeting of
    the same ORGANISER to which at least half of the people are the same.

    "The same people" compares the group's members (for a group's sessions) with the people
    invited to the other meeting, counted against the smaller of the two lists: if half of either
    meeting's people would have to be at both, one of them is probably a duplicate. A new meeting
    without a group has nobody invited yet, and another meeting of the same organiser with nobody
    invited either has nobody to compare: then the same organiser at the same time is enough.
    PEOPLE (user ids, lower-case e-mails of guests), when known, replaces the group's members.
    A series counts once, by its first overlapping session. Three queries whatever the number
    of sessions: the overlapping candidates, their invitees, the group's members."""
    if not windows:
        return []
    windows = sorted(windows)
    who = Q(organiser=organiser) | (Q(group=group) if group is not None else Q(pk__in=[]))
    candidates = list(
        Meeting.objects.filter(who, start__lt=max(end for _start, end in windows), end__gt=windows[0][0])
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("group", "series")
        .order_by("start")[:DUPLICATE_CANDIDATES]
    )
    starts = [start for start, _end in windows]
    overlapping = [m for m in candidates if _overlaps(m, windows, starts)]
    if not overlapping:
        return []
    invited: dict[int, set] = {}
    rows = Invitation.objects.filter(meeting__in=[m.pk for m in overlapping]).values_list(
        "meeting_id", "user_id", "email"
    )
    for meeting_id, user_id, email in rows:
        invited.setdefault(meeting_id, set()).add(user_id or email.lower())
    if people is not None:
        members = set(people)
    elif group is not None:
        members = set(group_members(group).values_list("user_id", flat=True))
    else:
        members = set()
    found: dict[object, PossibleDuplicate] = {}
    for meeting in overlapping:
        same_group = group is not None and meeting.group_id == group.pk
        if not same_group and not _same_people(members, invited.get(meeting.pk, set())):
            continue
        key = ("series", meeting.series_id) if meeting.series_id else ("meeting", meeting.pk)
        if key in found:
            first = found[key]
            found[key] = PossibleDuplicate(first.meeting, first.same_group, first.overlapping + 1)
        else:
            found[key] = PossibleDuplicate(meeting, same_group, 1)
    return sorted(found.values(), key=lambda d: d.meeting.start)


def _overlaps(meeting: Meeting, windows, starts) -> bool:
    # The windows are sorted and do not overlap one another: only the last one starting before
    # the meeting ends can overlap it.
    index = bisect_left(starts, meeting.end) - 1
    return index >= 0 and windows[index][1] > meeting.start


def _same_people(ours: set, theirs: set) -> bool:
    if not ours or not theirs:
        return True
    return len(ours & theirs) >= DUPLICATE_SHARE * min(len(ours), len(theirs))


def usual_network(user: User, networks: QuerySet[Network]) -> Network | None:
    """The network of the last meeting USER organised among NETWORKS (one query), or None."""
    last = (
        Meeting.objects.filter(organiser=user, network__in=networks)
        .order_by("-pk")
        .select_related("network")
        .first()
    )
    return last.network if last else None
