"""Reads for meetings and groups, built to keep a constant number of queries per page."""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from accounts.queries import people_of_networks
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
    InvitationRole,
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


@dataclass(frozen=True)
class MyGroups:
    member_of: frozenset[int]  # groups I am an active member of
    detailed: frozenset[int]  # those whose details I may see as a member
    managed: frozenset[int]  # those I facilitate or stand in for


def my_groups(user: User) -> MyGroups:
    """My active group memberships: which of them show me their details, which I run (one query)."""
    memberships = list(
        GroupMembership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .annotate(details=rules.sees_group_details(user.pk, OuterRef("group_id")))
        .values_list("group_id", "role", "details")
    )
    return MyGroups(
        member_of=frozenset(group_id for group_id, _role, _details in memberships),
        detailed=frozenset(group_id for group_id, _role, details in memberships if details),
        managed=frozenset(
            group_id for group_id, role, _details in memberships if role in rules.MANAGING_ROLES
        ),
    )


@dataclass(frozen=True)
class MeetingTime:
    """A meeting of my lists before it is read whole: when, and my invitation to it if any."""

    pk: int
    start: datetime
    end: datetime
    answer: str | None = None  # a PartStat value, when I am invited
    facilitator: bool = False  # invited to facilitate it
    mine: bool = True  # else one of the open meetings of my networks, that nobody asked me to


def _part(part: QuerySet, *, mine: bool) -> QuerySet:
    """A part of meeting_times' UNION but the invitations: the meeting's time, no invitation."""
    return part.annotate(
        partstat=Value(None, output_field=CharField()),
        invited_as=Value(None, output_field=CharField()),
        mine=Value(mine, output_field=BooleanField()),
    ).values_list("pk", "start", "end", "partstat", "invited_as", "mine")


def meeting_times(
    user: User, groups: MyGroups, start: datetime, end: datetime, *, open_from: datetime | None = None
) -> list[MeetingTime]:
    """My own meetings between START and END, by start: those I am invited to (with my answer),
    those I organise and my groups' sessions (drafts only when I organise them); and, from
    OPEN_FROM to END when it is given, the open meetings of my networks that are not mine
    (mine=False) — those grow with the networks, the rest with my own meetings only.

    One query: a UNION of lookups, each through its own index within its window (invitations by
    person, meetings by organiser, by group, by network and kind and end); my networks read in
    it. Ordered and cut in SQL, the open meetings' part would follow the index on start instead,
    from the federation's first meeting on: the rows are few and sorted here."""
    window = Q(start__lt=end, end__gt=start)
    shown = window & ~Q(status=MeetingStatus.DRAFT)
    invited = invited_to(user.pk, shown).annotate(mine=Value(True, output_field=BooleanField()))
    parts = [
        invited.values_list("pk", "start", "end", "invitations__partstat", "invitations__role", "mine"),
        _part(organised_by(user.pk, window), mine=True),
        _part(sessions_of(sorted(groups.member_of), shown), mine=True),
    ]
    if open_from is not None:
        # My networks, through my organisations or as their coordinator (accounts.rules.network_ids_of).
        through_work = Network.organisations.through.objects.filter(organisation__professionals__user=user.pk)
        coordinated = Network.coordinators.through.objects.filter(user_id=user.pk)
        upcoming = Q(start__lt=end, end__gt=open_from) & ~Q(status=MeetingStatus.DRAFT)
        networks = union_of(through_work.values("network_id"), coordinated.values("network_id"))
        parts.append(_part(open_meetings_of(networks, upcoming), mine=False))
    # A meeting comes once from each part it is found by (and once per invitation of mine).
    rows: dict[int, list] = {}
    for pk, meeting_start, meeting_end, partstat, role, mine in union_of(*parts):
        known = rows.get(pk)
        if known is None:
            rows[pk] = [meeting_start, pk, meeting_end, partstat, role == InvitationRole.FACILITATOR, mine]
        else:
            known[3] = known[3] or partstat
            known[4] = known[4] or role == InvitationRole.FACILITATOR
            known[5] = known[5] or mine
    return [MeetingTime(pk, start, end, *rest) for start, pk, end, *rest in sorted(rows.values())]


# What an agenda entry shows of a meeting (and of its group): nothing else is read.
ENTRY_FIELDS = (
    "kind",
    "title",
    "place",
    "online_link",
    "start",
    "end",
    "status",
    "organiser_id",
    "group_id",
    "group__name",
)


def agenda_entries(
    user: User, groups: MyGroups, times: list[MeetingTime], *, now: datetime
) -> list[AgendaEntry]:
    """The AgendaEntries of the meetings of TIMES, by start, in one plain select by id: my answer
    came with TIMES, and whether I facilitate each is told from what TIMES and GROUPS hold
    (rules.meetings_facilitated_by, read in Python: tests/meetings/test_rules_agree.py)."""
    if not times:
        return []
    mine = {t.pk: t for t in times}
    meetings = (
        Meeting.objects.filter(pk__in=list(mine))
        .select_related("group")
        .only(*ENTRY_FIELDS)
        .order_by("start", "pk")
    )
    entries = []
    for meeting in meetings:
        time = mine[meeting.pk]
        organiser = meeting.organiser_id == user.pk
        confidential_group = meeting.kind in CLOSED_KINDS and meeting.group_id is not None
        entries.append(
            AgendaEntry(
                meeting=meeting,
                show_details=organiser or not confidential_group or meeting.group_id in groups.detailed,
                my_answer=time.answer,
                facilitating=organiser or time.facilitator or meeting.group_id in groups.managed,
                state=agenda_state(meeting, now),
            )
        )
    return entries


def agenda(user: User, start: datetime, end: datetime, *, now: datetime | None = None) -> list[AgendaEntry]:
    """All my meetings between START and END (the week view): invited, organised, my groups'
    sessions, and the open meetings of my networks. Cancelled ones stay listed (marked) so nobody
    travels for nothing; those over say whether they are closed (state, as of NOW)."""
    now = now or timezone.now()
    groups = my_groups(user)
    # Candidate ids and times first, then one select by id: no join on invitations to
    # de-duplicate, whatever the size of the federation (given the UNION as a subquery, the
    # planner misjudges its size and reads the whole table to join it).
    return agenda_entries(user, groups, meeting_times(user, groups, start, end, open_from=start), now=now)


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


def group_members(group: StandingGroup) -> QuerySet:
    """The group's active members as the group page lists them, a page at a time: rows (dicts)
    of user_id, first_name, last_name, role and accepted_current (whether they accepted the
    current charter), for member_rows to turn into what the list shows. Ordered in full (names
    repeat), so that pages neither skip nor repeat anyone."""
    accepted = CharterAcceptance.objects.filter(
        group_id=group.pk, user_id=OuterRef("user_id"), version=group.charter_version
    )
    return (
        GroupMembership.objects.filter(group_id=group.pk, status=MembershipStatus.ACTIVE)
        .annotate(accepted_current=Exists(accepted))
        .order_by("role", "user__last_name", "user__first_name", "user_id")
        .values(
            "user_id",
            "role",
            "accepted_current",
            first_name=F("user__first_name"),
            last_name=F("user__last_name"),
        )
    )


def member_rows(rows, *, charter_marks: bool) -> list[dict]:
    """A page of group_members' rows as the list shows them: the name (as User.get_full_name
    writes it) and what follows it, the role and, with CHARTER_MARKS (for who manages the
    group), whether the current charter is still to accept; each label translated once."""
    roles = {value: str(label) for value, label in Role.choices}
    not_accepted = " · " + _("charte pas encore acceptée") if charter_marks else ""
    return [
        {
            "user_id": row["user_id"],
            "name": f"{row['first_name']} {row['last_name']}".strip(),
            "about": roles.get(row["role"], row["role"]) + ("" if row["accepted_current"] else not_accepted),
        }
        for row in rows
    ]


def group_page_counts() -> dict:
    """Annotations of a group read for its page (lookups.visible_group_or_404): how many active
    members it has, for the members' pages, and whether anyone asks to join, so that the
    requests are read only when there are some."""
    memberships = GroupMembership.objects.filter(group=OuterRef("pk")).order_by()
    active = memberships.filter(status=MembershipStatus.ACTIVE).values("group").annotate(n=Count("pk"))
    return {
        "active_members": Coalesce(Subquery(active.values("n")), 0),
        "has_requests": Exists(memberships.filter(status=MembershipStatus.REQUESTED)),
    }


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
        Meeting.objects.filter(group_id=group.pk, end__gte=after)
        .exclude(status=MeetingStatus.DRAFT)
        .select_related("series")
        # What the list shows of each: a handful of columns, not the meetings' and series' rows.
        .only(
            "start", "status", "recurrence_id", "place", "series__title", "series__rrule", "series__dtstart"
        )
        .order_by("start")[:limit]
    )
    labels: dict[int, str] = {}
    several = len({m.series_id for m in sessions}) > 1
    for meeting in sessions:
        series = meeting.series
        if several and series and series.pk not in labels:
            labels[series.pk] = describe(series.rrule, series.dtstart)
        meeting.series_label = labels.get(meeting.series_id, "") if several else ""
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


def participant_rows(meeting: Meeting) -> list[dict]:
    """The meeting page's participants, in meeting_participants' order: each one's name (their
    account's, else the name or the address they were invited with) and answer (partstat)."""
    rows = (
        Invitation.objects.filter(meeting_id=meeting.pk)
        .order_by("name", "email")
        .values("name", "email", "partstat", first_name=F("user__first_name"), last_name=F("user__last_name"))
    )
    return [
        {
            "name": f"{row['first_name'] or ''} {row['last_name'] or ''}".strip()
            or row["name"]
            or row["email"],
            "partstat": row["partstat"],
        }
        for row in rows
    ]


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
