"""Calendar feeds: which events each feed holds, its version, and its calendar.

Three feeds:
- personal (by token): the meetings a person is invited to and has not declined, organises, or
  that are sessions of a group they actively belong to;
- group (by token, members only): a group's sessions;
- network (public, no token): a network's meetings of the kinds open to the whole network.

Every VEVENT comes from meetings/ical.py, so UIDs and SEQUENCE are those of the e-mail
invitations and what an event shows follows its kind's feed policy (DESIGN.md, privacy rule 1).
A series is one VEVENT with its RRULE; cancelled occurrences are EXDATEs and changed ones are
VEVENTs with a RECURRENCE-ID; a cancelled single meeting stays, with STATUS:CANCELLED.

The window: a feed holds nothing that ended more than 90 days ago (counted from midnight in
Brussels, so it moves once a day). A series that started earlier is restarted at its first
occurrence in the window (same UID and SEQUENCE, a COUNT reduced accordingly), so a weekly group
does not carry years of past sessions into every phone.

The version: a feed's ETag is computed, without building the calendar, from aggregates read in
the same query as the token (counts and latest changes of the meetings, invitations, series
invitations, group memberships and charter acceptances behind it) plus the window's day, the
language, the group's or network's name and FORMAT. Every change a feed can show touches one of
those (meetings are saved with `updated_at`, answers set `answered_at`, removals lower a count,
series edits re-create their occurrences); what none covers (the name of one of a person's groups
changed in the admin) reaches clients the next day at the latest, as the window's day changes.

The cost: building these queries with the ORM takes longer than running them, so each is compiled
once per process and run with each request's values (`Prepared`). The calendar is read in three
queries whatever the number of meetings: the series shown as a whole (with the latest change of
their occurrences); the single meetings and only those occurrences the series' VEVENT does not say
all about (moved, changed, cancelled, declined: the "plain" ones are not read at all); and agenda
items.
"""

import copy
import hashlib
import inspect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import Network
from meetings import ical
from meetings.kinds import POLICIES, FeedDetail, Membership
from meetings.models import (
    AgendaItem,
    CharterAcceptance,
    FeedKind,
    FeedSubscription,
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    PartStat,
    Series,
    SeriesInvitation,
    StandingGroup,
)
from meetings.models.feeds import hash_token
from meetings.permissions import MANAGING_ROLES
from meetings.recurrence import BRUSSELS, occurrences_between, parse

PAST_DAYS = 90
REFRESH = timedelta(hours=1)
# Raise when the same rows give a different calendar (a new property, a fix), so that every
# subscribed client takes the new version at its next refresh.
FORMAT = 1

OPEN_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.OPEN_TO_NETWORK]
CLOSED_KINDS = [k for k, p in POLICIES.items() if p.membership == Membership.CLOSED_GROUP]
# Kinds whose feed shows purpose and agenda: only for them are agenda items read.
DETAILED_KINDS = [k for k, p in POLICIES.items() if p.feed_detail == FeedDetail.FULL]
TAKING_PLACE = [s for s in MeetingStatus.values if s not in {MeetingStatus.DRAFT, MeetingStatus.CANCELLED}]


def window_start(now: datetime | None = None) -> datetime:
    """Midnight in Brussels, PAST_DAYS ago: nothing that ended before is in a feed."""
    today = (now or timezone.now()).astimezone(BRUSSELS).date()
    return datetime.combine(today - timedelta(days=PAST_DAYS), time.min, tzinfo=BRUSSELS)


def in_window(since) -> Q:
    """Single meetings that end from SINCE on; occurrences whose slot in the rule starts from SINCE on
    (the master VEVENT is restarted there, see `from_window`)."""
    return Q(series__isnull=True, end__gte=since) | Q(series__isnull=False, recurrence_id__gte=since)


# Which meetings


def _personal_meetings(user) -> Q:
    """Meetings that may be in USER's personal feed: organised, invited to (even declined: the
    builder sorts declines out, and the version must see them), sessions of their groups and
    occurrences of series they were invited to. USER is an id or an expression that does not
    depend on the row. One IN over a UNION: each part follows its own index."""
    ids = (
        Invitation.objects.filter(user_id=user)
        .order_by()
        .values("meeting_id")
        .union(
            Meeting.objects.filter(organiser_id=user).order_by().values("pk"),
            Meeting.objects.filter(
                group_id__in=GroupMembership.objects.filter(
                    user_id=user, status=MembershipStatus.ACTIVE
                ).values("group_id")
            )
            .order_by()
            .values("pk"),
            Meeting.objects.filter(
                series_id__in=SeriesInvitation.objects.filter(user_id=user).values("series_id")
            )
            .order_by()
            .values("pk"),
        )
    )
    return Q(pk__in=ids)


def _group_meetings(group) -> Q:
    return Q(group_id=group)


def _network_meetings(network) -> Q:
    return Q(network_id=network, kind__in=OPEN_KINDS)


def _sees_group_details(user, group) -> Exists:
    """Like permissions.can_see_group_details for a member, in SQL: an active facilitator or
    substitute, or a member who accepted the current charter."""
    return Exists(
        GroupMembership.objects.filter(user_id=user, group_id=group, status=MembershipStatus.ACTIVE).filter(
            Q(role__in=MANAGING_ROLES)
            | Q(
                Exists(
                    CharterAcceptance.objects.filter(
                        user_id=OuterRef("user_id"),
                        group_id=OuterRef("group_id"),
                        version=OuterRef("group__charter_version"),
                    )
                )
            )
        )
    )


# The version, without building


def _aggregates(queryset: QuerySet, *parts: tuple[str, str]) -> Subquery:
    """(SELECT F1(a) || '|' || F2(b) … FROM … WHERE …): several aggregates of QUERYSET, one scan."""
    pieces = []
    for function, name in parts:
        value = Func(F(name), function=function)
        text = Coalesce(
            Cast(value, TextField()), Value("", output_field=TextField()), output_field=TextField()
        )
        pieces += [text, Value("|", output_field=TextField())]
    text = Concat(*pieces[:-1], output_field=TextField())
    return Subquery(
        queryset.order_by().annotate(numbers=text).values("numbers")[:1], output_field=TextField()
    )


def _meeting_numbers(meetings: QuerySet) -> Subquery:
    return _aggregates(meetings, ("COUNT", "pk"), ("MAX", "updated_at"), ("SUM", "series__sequence"))


def _answer_numbers(answers: QuerySet) -> Subquery:
    return _aggregates(answers, ("COUNT", "pk"), ("MAX", "created_at"), ("MAX", "answered_at"))


# The numbers cover all of a feed's meetings, not only those in the window: the window's day is
# part of the version anyway, and without it the database follows the indexes straight.


def personal_numbers(user) -> dict:
    """What a personal feed is made of. USER: an id, or an expression giving it."""
    memberships = GroupMembership.objects.filter(user_id=user, status=MembershipStatus.ACTIVE)
    return {
        "meetings": _meeting_numbers(Meeting.objects.filter(_personal_meetings(user))),
        "invitations": _answer_numbers(Invitation.objects.filter(user_id=user)),
        "series_invitations": _answer_numbers(SeriesInvitation.objects.filter(user_id=user)),
        "groups": _aggregates(
            memberships,
            ("COUNT", "pk"),
            ("SUM", "group_id"),
            ("MAX", "decided_at"),
            ("SUM", "group__charter_version"),
        ),
        "charters": _aggregates(
            CharterAcceptance.objects.filter(user_id=user), ("COUNT", "pk"), ("MAX", "accepted_at")
        ),
    }


def group_numbers(group, user) -> dict:
    """What a group feed is made of, and whether its subscriber may still have it."""
    return {
        "meetings": _meeting_numbers(Meeting.objects.filter(_group_meetings(group))),
        "is_member": Exists(
            GroupMembership.objects.filter(user_id=user, group_id=group, status=MembershipStatus.ACTIVE)
        ),
        "details": _sees_group_details(user, group),
    }


NUMBERS_PREFIX = "feed_numbers_"
NUMBERS = {
    "meetings": TextField(),
    "invitations": TextField(),
    "series_invitations": TextField(),
    "groups": TextField(),
    "charters": TextField(),
    "is_member": BooleanField(),
    "details": BooleanField(),
}


def number(obj, name: str):
    """One of the numbers of the version read with OBJ (None when its feed has no such number)."""
    return getattr(obj, NUMBERS_PREFIX + name, None)


class Prepared:
    """A query built with the ORM once per process and database, then run with each call's values.

    BUILD(**placeholders) returns the queryset; it is compiled once with sentinel values, and each
    run puts the call's values where the sentinels were. For this module's queries, whose nested
    subqueries take the ORM longer to build than the database to run. The rows come back as model
    instances (`objects`: model fields converted, annotations as the database gives them) or as
    tuples (`rows`).
    """

    SENTINELS = {
        "token_hash": "feed-token-hash-placeholder",
        "since": datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC),
        "user_id": 900_000_000_001,
        "group_id": 900_000_000_002,
        "network_id": 900_000_000_003,
    }

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.names = list(inspect.signature(build).parameters)
        self.compiled: dict[str, tuple[str, list, dict[int, str]]] = {}

    @staticmethod
    def _adapt(connection, value):
        return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value

    def _sql(self, using: str, values: dict) -> tuple[str, list]:
        connection = connections[using]
        if using not in self.compiled:
            sentinels = {name: self.SENTINELS[name] for name in self.names}
            sql, params = self.build(**sentinels).query.get_compiler(using).as_sql()
            adapted = {name: self._adapt(connection, value) for name, value in sentinels.items()}
            slots = {
                i: name for i, param in enumerate(params) for name, value in adapted.items() if param == value
            }
            if set(slots.values()) != set(self.names):
                raise RuntimeError(
                    f"{self.build.__name__}: a placeholder was not found among the SQL parameters"
                )
            self.compiled[using] = (sql, list(params), slots)
        sql, params, slots = self.compiled[using]
        adapted = {name: self._adapt(connection, values[name]) for name in self.names}
        return sql, [adapted[slots[i]] if i in slots else param for i, param in enumerate(params)]

    def objects(self, model, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """The rows as instances of MODEL: its fields converted as the ORM does, annotations as
        attributes, as the database gives them. (Unlike Model.objects.raw(), runs the SQL once.)"""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(*self._sql(using, values))
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        fields = {f.attname: f for f in model._meta.concrete_fields}
        order = [columns.index(f.attname) for f in model._meta.concrete_fields if f.attname in columns]
        names = [columns[i] for i in order]
        extra = [(i, name) for i, name in enumerate(columns) if name not in fields]
        converters = []
        for i, name in enumerate(columns):
            if name in fields:
                col = fields[name].get_col(model._meta.db_table)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                converters.extend((i, col, function) for function in functions)
        instances = []
        for row in rows:
            row = list(row)
            for i, col, function in converters:
                row[i] = function(row[i], col, connection)
            instance = model.from_db(using, names, [row[i] for i in order])
            for i, name in extra:
                setattr(instance, name, row[i])
            instances.append(instance)
        return instances

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list[tuple]:
        with connections[using].cursor() as cursor:
            cursor.execute(*self._sql(using, values))
            return cursor.fetchall()


def _subscription_query(*, token_hash: str) -> QuerySet[FeedSubscription]:
    """The active subscription of TOKEN_HASH, what is needed to serve it (its user's language, its
    group's name and kind) and the numbers its feed's version is made of.

    The numbers' subqueries find the user and group by the token's hash again rather than by
    reference to the outer row, so that the database computes each once, not once per row scanned.
    """
    this = FeedSubscription.objects.filter(token_hash=token_hash)
    user = Subquery(this.values("user_id")[:1])
    group = Subquery(this.values("group_id")[:1])
    by_kind = {
        FeedKind.PERSONAL: personal_numbers(user),
        FeedKind.GROUP: group_numbers(group, user),
    }
    numbers = {
        NUMBERS_PREFIX + name: Case(
            *(When(kind=kind, then=values[name]) for kind, values in by_kind.items() if name in values),
            default=Value(None),
            output_field=output,
        )
        for name, output in NUMBERS.items()
    }
    active = FeedSubscription.objects.filter(
        token_hash=token_hash, revoked_at__isnull=True, user__is_active=True
    )
    return active.annotate(
        user_language=F("user__language"), group_name=F("group__name"), group_kind=F("group__kind"), **numbers
    )


SUBSCRIPTION_QUERY = Prepared(_subscription_query)


def subscription_for_token(token: str) -> FeedSubscription | None:
    """The active subscription whose token is TOKEN, with the numbers of its feed's version, in one
    query. None for unknown and revoked tokens alike, for a deactivated account, and for a group
    feed whose subscriber is no longer an active member of the group."""
    found = list(SUBSCRIPTION_QUERY.objects(FeedSubscription, token_hash=hash_token(token)))
    subscription = found[0] if found else None
    if subscription is None or (
        subscription.kind == FeedKind.GROUP and not number(subscription, "is_member")
    ):
        return None
    return subscription


def network_with_numbers(network_id: int) -> Network | None:
    meetings = Meeting.objects.filter(_network_meetings(network_id))
    return (
        Network.objects.filter(pk=network_id)
        .annotate(
            **{NUMBERS_PREFIX + "meetings": _meeting_numbers(meetings)},
            latest_change=Subquery(
                meetings.order_by()
                .annotate(latest=Func(F("updated_at"), function="MAX", output_field=DateTimeField()))
                .values("latest")[:1],
                output_field=DateTimeField(),
            ),
        )
        .first()
    )


def version(obj, *, feed: str, since: datetime, language: str) -> str:
    """The feed's ETag value: a digest of what the feed is made of, computed without building it.
    FEED names the feed and holds what else its calendar shows (a group's or network's name)."""
    numbers = [str(number(obj, name)) for name in NUMBERS]
    text = "|".join([str(FORMAT), feed, since.date().isoformat(), language, *numbers])
    return hashlib.sha256(text.encode()).hexdigest()


def subscription_language(subscription: FeedSubscription) -> str:
    return subscription.user_language or settings.LANGUAGE_CODE


def subscription_version(subscription: FeedSubscription, since: datetime) -> str:
    if subscription.kind == FeedKind.GROUP:
        feed = f"group:{subscription.group_id}:{subscription.group_name}"
    else:
        feed = f"personal:{subscription.user_id}"
    return version(subscription, feed=feed, since=since, language=subscription_language(subscription))


def network_version(network: Network, since: datetime) -> str:
    feed = f"network:{network.pk}:{network.name}"
    return version(network, feed=feed, since=since, language=settings.LANGUAGE_CODE)


# Building


@dataclass
class SeriesPart:
    series: Series
    shown: list[Meeting] = field(default_factory=list)  # passed to the builder (cancelled → EXDATE)
    left_out: list[Meeting] = field(default_factory=list)  # drafts, declined: EXDATEs too
    hide_location: bool = False


@dataclass
class Selection:
    """What a feed holds, read from the database in a fixed number of queries."""

    singles: list[Meeting] = field(default_factory=list)
    series: dict[int, SeriesPart] = field(default_factory=dict)
    # occurrences shown on their own (a person invited to one session of a series only)
    lone_occurrences: list[Meeting] = field(default_factory=list)
    agenda: dict[int, list[str]] = field(default_factory=dict)
    # meetings whose place and link are details the reader may not see
    hide_location: set[int] = field(default_factory=set)


def _plain() -> Q:
    """An occurrence that its series' rule and details describe exactly: taking place, at its slot,
    as long, where and as titled as the series, at the series' SEQUENCE. Neither an override nor an
    EXDATE (the negation of ical.differs_from_rule, plus the status), so it need not be read.
    Needs the `length` alias (`_with_length`)."""
    return Q(
        series__isnull=False,
        status__in=TAKING_PLACE,
        start=F("recurrence_id"),
        length=F("series__duration"),
        place=F("series__place"),
        online_link=F("series__online_link"),
        title=F("series__title"),
        sequence=F("series__sequence"),
    )


class Length(Func):
    """END - START, to compare with a DurationField: an interval where the database has them, and
    on SQLite (durations stored as microseconds) exact microseconds from SQLite's own date
    functions, rather than the Python function Django would call for every row."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = DurationField()

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler, connection, **extra_context):
        (end, end_params), (start, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )

        def microseconds(column: str) -> str:
            seconds = f"CAST(strftime('%%s', {column}) AS INTEGER)"
            return f"({seconds} * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"

        return f"({microseconds(end)} - {microseconds(start)})", [
            *end_params,
            *end_params,
            *start_params,
            *start_params,
        ]


def _with_length(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.alias(length=Length("start", "end"))


# What the builder reads of meetings and series: the other fields are not selected (converting
# SQLite's datetimes costs more than reading them), and are never touched.
MEETING_FIELDS = [
    "title",
    "kind",
    "group_id",
    "series_id",
    "recurrence_id",
    "purpose",
    "place",
    "online_link",
    "start",
    "end",
    "status",
    "organiser_id",
    "uid",
    "sequence",
    "updated_at",
]
SERIES_FIELDS = [
    "kind",
    "group_id",
    "title",
    "purpose",
    "place",
    "online_link",
    "organiser_id",
    "dtstart",
    "duration",
    "rrule",
    "uid",
    "sequence",
]


def _series_query(candidates: Q, whole: Q, since, **annotations) -> QuerySet[Series]:
    """The series shown as a whole, with the latest change and the first of their occurrences in
    the window (DTSTAMP, and the page the master event links to when the series has no group)."""
    in_feed = Meeting.objects.filter(in_window(since), candidates, whole)
    occurrences = Meeting.objects.filter(in_window(since), series_id=OuterRef("pk")).order_by()
    return (
        Series.objects.filter(pk__in=in_feed.values("series_id"))
        .only(*SERIES_FIELDS)
        .annotate(
            group_name=F("group__name"),
            stamp=Subquery(
                occurrences.annotate(
                    latest=Func(F("updated_at"), function="MAX", output_field=DateTimeField())
                ).values("latest")[:1],
                output_field=DateTimeField(),
            ),
            first_id=Subquery(occurrences.order_by("pk").values("pk")[:1]),
            **annotations,
        )
    )


def _meetings_query(candidates: Q, whole: Q, plain: Q, since, **annotations) -> QuerySet[Meeting]:
    """The meetings read one by one: single meetings, occurrences not shown as part of a whole
    series (WHOLE), and of the others those the series' VEVENT does not say all about (not PLAIN)."""
    meetings = _with_length(Meeting.objects.filter(in_window(since), candidates))
    return (
        meetings.filter(~whole | ~plain)
        .only(*MEETING_FIELDS)
        .annotate(group_name=F("group__name"), **annotations)
        .order_by("start", "pk")
    )


def _agenda_query(candidates: Q, whole: Q, since) -> QuerySet:
    """(meeting, agenda item title) for the meetings of detailed kinds read one by one (overrides
    of a series show no agenda)."""
    meetings = Meeting.objects.filter(in_window(since), candidates, kind__in=DETAILED_KINDS).exclude(whole)
    return (
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"))
        .order_by("meeting_id", "position", "pk")
        .values_list("meeting_id", "title")
    )


# Personal feeds


def _personal_terms(user_id) -> tuple[Q, Q, Q]:
    """(candidates, whole, plain) for USER_ID's feed. The sets of the person's series invitations,
    groups and declines are IN subqueries that do not depend on the row: computed once."""
    candidates = _personal_meetings(user_id)
    my_series = SeriesInvitation.objects.filter(user_id=user_id)
    my_groups = GroupMembership.objects.filter(user_id=user_id, status=MembershipStatus.ACTIVE)
    whole = (
        Q(series__isnull=False)
        & ~Q(series_id__in=my_series.filter(partstat=PartStat.DECLINED).values("series_id"))
        & (
            Q(series__organiser_id=user_id)
            | Q(series_id__in=my_series.values("series_id"))
            | Q(group_id__in=my_groups.values("group_id"))
        )
    )
    declined = Q(
        pk__in=Invitation.objects.filter(user_id=user_id, partstat=PartStat.DECLINED).values("meeting_id")
    )
    return candidates, whole, _plain() & ~declined


def _personal_series(*, user_id, since) -> QuerySet[Series]:
    candidates, whole = _personal_terms(user_id)[:2]
    told = Q(organiser_id=user_id) | Q(
        pk__in=SeriesInvitation.objects.filter(user_id=user_id).values("series_id")
    )
    return _series_query(
        candidates,
        whole,
        since,
        told=ExpressionWrapper(told, output_field=BooleanField()),
        details=_sees_group_details(user_id, OuterRef("group_id")),
    )


def _personal_rows(*, user_id, since) -> QuerySet[Meeting]:
    candidates, whole, plain = _personal_terms(user_id)
    return _meetings_query(
        candidates,
        whole,
        plain,
        since,
        my_answer=Subquery(
            Invitation.objects.filter(meeting_id=OuterRef("pk"), user_id=user_id).values("partstat")[:1]
        ),
        details=_sees_group_details(user_id, OuterRef("group_id")),
    )


def _personal_agenda(*, user_id, since) -> QuerySet:
    candidates, whole = _personal_terms(user_id)[:2]
    return _agenda_query(candidates, whole, since)


PERSONAL = (Prepared(_personal_series), Prepared(_personal_rows), Prepared(_personal_agenda))


def select_personal(user_id: int, since: datetime) -> Selection:
    """A person's meetings. Declined ones are left out (an occurrence declined alone becomes an
    EXDATE); a series is there as a whole when the person organises it, was invited to it and did
    not decline, or belongs to its group and did not decline it; an occurrence they were invited
    to alone is there on its own.

    Place and link of a closed group's session are details (permissions.can_see_meeting_details):
    they are left out for a member who has not accepted the charter, unless they organise it or
    were invited to it (the invitation e-mail told them).
    """
    series_query, rows_query, agenda_query = PERSONAL
    series = _with_groups(series_query.objects(Series, user_id=user_id, since=since))
    rows = _with_groups(rows_query.objects(Meeting, user_id=user_id, since=since))
    selection = Selection(agenda=_agenda(agenda_query.rows(user_id=user_id, since=since)))
    _start_series(selection, series, hidden=lambda s: _hidden(s, s.told, s.details))
    for meeting in rows:
        declined = meeting.my_answer == PartStat.DECLINED
        draft = meeting.status == MeetingStatus.DRAFT
        part = selection.series.get(meeting.series_id)
        if part is not None:
            _add_to_series(part, meeting, left_out=declined or draft)
        elif draft or declined:
            continue
        elif meeting.series_id is None:
            selection.singles.append(meeting)
            told = meeting.organiser_id == user_id or meeting.my_answer is not None
            if _hidden(meeting, told, meeting.details):
                selection.hide_location.add(meeting.pk)
        elif meeting.my_answer is not None:
            selection.lone_occurrences.append(meeting)
    return selection


# Group and network feeds: every meeting but drafts


def _all_terms(candidates: Q) -> tuple[Q, Q, Q]:
    return candidates, Q(series__isnull=False), _plain()


def _group_series(*, group_id, since):
    return _series_query(*_all_terms(_group_meetings(group_id))[:2], since)


def _group_rows(*, group_id, since):
    return _meetings_query(*_all_terms(_group_meetings(group_id)), since)


def _group_agenda(*, group_id, since):
    return _agenda_query(*_all_terms(_group_meetings(group_id))[:2], since)


def _network_series(*, network_id, since):
    return _series_query(*_all_terms(_network_meetings(network_id))[:2], since)


def _network_rows(*, network_id, since):
    return _meetings_query(*_all_terms(_network_meetings(network_id)), since)


def _network_agenda(*, network_id, since):
    return _agenda_query(*_all_terms(_network_meetings(network_id))[:2], since)


GROUP = (Prepared(_group_series), Prepared(_group_rows), Prepared(_group_agenda))
NETWORK = (Prepared(_network_series), Prepared(_network_rows), Prepared(_network_agenda))


def _select_all(queries, since: datetime, *, details: bool = True, **key) -> Selection:
    series_query, rows_query, agenda_query = queries
    series = _with_groups(series_query.objects(Series, since=since, **key))
    rows = _with_groups(rows_query.objects(Meeting, since=since, **key))
    selection = Selection(agenda=_agenda(agenda_query.rows(since=since, **key)))
    _start_series(selection, series, hidden=lambda s: _hidden(s, False, details))
    for meeting in rows:
        draft = meeting.status == MeetingStatus.DRAFT
        part = selection.series.get(meeting.series_id)
        if part is not None:
            _add_to_series(part, meeting, left_out=draft)
        elif not draft and meeting.series_id is None:
            selection.singles.append(meeting)
            if _hidden(meeting, False, details):
                selection.hide_location.add(meeting.pk)
    return selection


def select_group(group_id: int, since: datetime, *, details: bool) -> Selection:
    """A group's sessions; without DETAILS (a member who has not accepted the charter), without
    their place and link."""
    return _select_all(GROUP, since, details=details, group_id=group_id)


def select_network(network_id: int, since: datetime) -> Selection:
    """A network's meetings of the kinds open to all its members."""
    return _select_all(NETWORK, since, network_id=network_id)


# Reading rows


def _with_groups(rows) -> list:
    """ROWS (meetings or series) with their group (its name is all the builder reads of it), and
    their latest change as a datetime: annotations of raw rows come as the database gives them."""
    groups: dict[int, StandingGroup] = {}
    result = []
    for row in rows:
        if row.group_id is not None:
            group = groups.get(row.group_id)
            if group is None:
                group = groups[row.group_id] = StandingGroup(pk=row.group_id, name=row.group_name)
            row.group = group
        if hasattr(row, "stamp"):
            row.stamp = _as_datetime(row.stamp)
        result.append(row)
    return result


def _as_datetime(value) -> datetime | None:
    if isinstance(value, str):  # SQLite
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _agenda(rows: list[tuple]) -> dict[int, list[str]]:
    agenda = defaultdict(list)
    for meeting_id, title in rows:
        agenda[meeting_id].append(title)
    return agenda


def _hidden(obj, told: bool, details: bool) -> bool:
    """Whether place and link of OBJ (a meeting or series) are details this reader may not see: a
    closed group's session for someone neither told by an invitation nor allowed its details
    (permissions.can_see_meeting_details)."""
    return obj.kind in CLOSED_KINDS and obj.group_id is not None and not (told or details)


def _start_series(selection: Selection, series: list[Series], *, hidden) -> None:
    for one in series:
        selection.series[one.pk] = SeriesPart(one, hide_location=hidden(one))


def _add_to_series(part: SeriesPart, meeting: Meeting, *, left_out: bool) -> None:
    (part.left_out if left_out else part.shown).append(meeting)


@dataclass(frozen=True)
class PlainOccurrence:
    """Stands for an occurrence that was not read because it is plain: what its row holds follows
    from the definition of plain (its slot, the series' length, place, link, title and SEQUENCE,
    taking place), so ical.events_for_series derives nothing from it but the link to its page."""

    pk: int
    recurrence_id: datetime
    start: datetime
    end: datetime
    place: str
    online_link: str
    title: str
    sequence: int
    status: str = MeetingStatus.SCHEDULED


def _first_occurrence(series: Series, shown: list[Meeting]) -> list:
    """SHOWN with the series' first occurrence in the window first: ical.events_for_series links a
    series without a group to the page of the first occurrence it is given."""
    first = next((o for o in shown if o.pk == series.first_id), None)
    if first is None:
        if series.first_id is None:
            return shown
        first = PlainOccurrence(
            pk=series.first_id,
            recurrence_id=series.dtstart,
            start=series.dtstart,
            end=series.dtstart + series.duration,
            place=series.place,
            online_link=series.online_link,
            title=series.title,
            sequence=series.sequence,
        )
    return [first, *(o for o in shown if o is not first)]


def from_window(series: Series, since: datetime) -> Series | None:
    """SERIES restarted at its first occurrence from SINCE on: same UID, SEQUENCE and slots (so the
    same RECURRENCE-IDs), a COUNT lowered by the occurrences before. None when no occurrence is left.
    The copy is never saved."""
    if series.dtstart >= since:
        return series
    first = parse(series.rrule, series.dtstart).after(since, inc=True)
    if first is None:
        return None
    parts = series.rrule.split(";")
    count = next((int(p.removeprefix("COUNT=")) for p in parts if p.startswith("COUNT=")), None)
    rebased = copy.copy(series)
    rebased.dtstart = first
    if count is not None:
        before = len(occurrences_between(series.rrule, series.dtstart, series.dtstart, first))
        rebased.rrule = ";".join(f"COUNT={count - before}" if p.startswith("COUNT=") else p for p in parts)
    return rebased


def events(selection: Selection, since: datetime) -> list[Event]:
    """The VEVENTs of SELECTION, in a stable order. DTSTAMP is when each was last changed, so the
    same rows always give the same calendar."""
    built: list[tuple[datetime, str, list[Event]]] = []
    for meeting in selection.singles:
        event = ical.event_for_meeting(
            meeting, agenda=selection.agenda.get(meeting.pk, ()), stamp=meeting.updated_at
        )
        shown = meeting.pk not in selection.hide_location
        built.append((meeting.start, meeting.uid, [_placed(event, shown)]))
    for meeting in selection.lone_occurrences:
        event = ical.event_for_meeting(
            meeting, agenda=selection.agenda.get(meeting.pk, ()), stamp=meeting.updated_at, as_override=True
        )
        built.append((meeting.start, meeting.uid, [event]))
    for part in selection.series.values():
        rebased = from_window(part.series, since)
        if rebased is None:
            continue
        shown = _first_occurrence(part.series, part.shown)
        series_events = ical.events_for_series(rebased, shown, stamp=part.series.stamp)
        for occurrence in part.left_out:
            series_events[0].add("exdate", occurrence.recurrence_id.astimezone(BRUSSELS))
        series_events = [_placed(event, not part.hide_location) for event in series_events]
        built.append((rebased.dtstart, rebased.uid, series_events))
    built.sort(key=lambda entry: (entry[0], entry[1]))
    return [event for _start, _uid, group in built for event in group]


def _placed(event: Event, show: bool) -> Event:
    if not show:
        event.pop("LOCATION", None)
    return event


def calendar(selection: Selection, *, name: str, since: datetime) -> Calendar:
    return ical.published_calendar(events(selection, since), name=name, refresh=REFRESH)


def subscription_calendar(subscription: FeedSubscription, *, since: datetime) -> bytes:
    """The serialised calendar of a subscription found by `subscription_for_token`, in its
    subscriber's language."""
    with translation.override(subscription_language(subscription)):
        if subscription.kind == FeedKind.GROUP:
            details = bool(number(subscription, "details"))
            selection = select_group(subscription.group_id, since, details=details)
            name = group_name(kind=subscription.group_kind, name=subscription.group_name)
        else:
            selection = select_personal(subscription.user_id, since)
            name = personal_name()
        return calendar(selection, name=name, since=since).to_ical()


def network_calendar(network: Network, *, since: datetime) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return calendar(select_network(network.pk, since), name=network_name(network), since=since).to_ical()


def feed_base_url() -> str:
    """SITE_URL in https, which calendar applications expect; a loopback development address
    keeps its scheme, as the development server speaks plain http."""
    rest = settings.SITE_URL.partition("://")[2]
    host = rest.split("/")[0].rsplit(":", 1)[0].strip("[]")
    if host in {"localhost", "127.0.0.1", "::1"}:
        return settings.SITE_URL
    return f"https://{rest}"


def feed_url(token: str) -> str:
    return feed_base_url() + reverse("meetings:feed", args=[token])


def webcal_url(url: str) -> str:
    """The same address for calendar applications to subscribe to (rather than download) it."""
    return "webcal://" + url.partition("://")[2]


def subscribable_groups(user) -> QuerySet[StandingGroup]:
    """The groups whose feed USER may subscribe to (permissions.can_subscribe_to_group)."""
    return StandingGroup.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


def personal_name() -> str:
    return _("Concertation — mes réunions")


def group_name(*, kind: str, name: str) -> str:
    return ical.summary(kind=kind, title=name, group_name=name)


def network_name(network: Network) -> str:
    return _("Concertation — réunions ouvertes de %(network)s") % {"network": network.name}
