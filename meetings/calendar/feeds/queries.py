"""The queries that read a feed: which rows each of its queries returns, for each feed.

The series shown as a whole (with the latest change and first of their occurrences in the window);
the single meetings and only those occurrences the series' VEVENT does not say all about (moved,
changed, cancelled, declined: the "plain" ones are not read at all); and the agenda items of
those shown on their own. The first two are compiled once per process (prepared.Prepared) and
run with each request's person or group and window.
"""

from collections import defaultdict

from django.db.models import (
    BooleanField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from meetings.calendar.feeds.candidates import (
    active_memberships,
    group_meetings,
    network_meetings,
    personal_meetings,
)
from meetings.calendar.feeds.prepared import Prepared
from meetings.calendar.feeds.window import in_window
from meetings.candidates import sessions_of, union_of
from meetings.kinds import POLICIES, FeedDetail
from meetings.models import (
    OVERRIDE_FIELDS,
    TAKING_PLACE,
    AgendaItem,
    Invitation,
    Meeting,
    PartStat,
    Series,
    SeriesInvitation,
)
from meetings.rules import sees_group_details

# Kinds whose feed shows purpose and agenda: only for them are agenda items read.
DETAILED_KINDS = [k for k, p in POLICIES.items() if p.feed_detail == FeedDetail.FULL]


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
        sequence=F("series__sequence"),
        # The fields an occurrence may change on its own, as ical.differs_from_rule reads them.
        **{name: F(f"series__{name}") for name in OVERRIDE_FIELDS},
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


def _series_query(shown: QuerySet[Series], since, **annotations) -> QuerySet[Series]:
    """SHOWN, the series shown as a whole, with the latest change and the first of their
    occurrences in the window (DTSTAMP, and the page the master event links to when the series
    has no group)."""
    occurrences = Meeting.objects.filter(in_window(since), series_id=OuterRef("pk")).order_by()
    return shown.only(*SERIES_FIELDS).annotate(
        group_name=F("group__name"),
        stamp=Subquery(
            occurrences.annotate(
                latest=Func(F("updated_at"), function="MAX", output_field=DateTimeField())
            ).values("latest")[:1],
            output_field=DateTimeField(),
        ),
        first_id=Subquery(occurrences.order_by("recurrence_id").values("pk")[:1]),
        **annotations,
    )


def _series_of(candidates: Q, whole: Q, since) -> QuerySet[Series]:
    """The series of the meetings of the window among CANDIDATES that are shown as part of a whole
    series (WHOLE)."""
    in_feed = Meeting.objects.filter(in_window(since), candidates, whole)
    return Series.objects.filter(pk__in=in_feed.values("series_id"))


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


def agenda_of(meetings) -> dict[int, list[str]]:
    """The agenda items' titles of MEETINGS whose kind shows them, by meeting (overrides of a
    series show none: pass only meetings shown on their own). No query when there are none."""
    ids = [meeting.pk for meeting in meetings if meeting.kind in DETAILED_KINDS]
    agenda = defaultdict(list)
    if ids:
        items = AgendaItem.objects.filter(meeting_id__in=ids).order_by("meeting_id", "position", "pk")
        for meeting_id, title in items.values_list("meeting_id", "title"):
            agenda[meeting_id].append(title)
    return agenda


# Personal feeds


def _personal_terms(user_id) -> tuple[Q, Q, Q]:
    """(candidates, whole, plain) for USER_ID's feed. The sets of the person's series invitations,
    groups and declines are IN subqueries that do not depend on the row: computed once."""
    candidates = personal_meetings(user_id)
    my_series = SeriesInvitation.objects.filter(user_id=user_id)
    my_groups = active_memberships(user_id)
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
    """The series the person's feed shows whole. Read from the person's own: the series they
    organise, were invited to, or whose sessions are in their groups, each then asked for one
    occurrence of the window that WHOLE says is shown as part of it (the index of occurrences by
    series and slot) — rather than every occurrence of every series of the federation read to
    find theirs."""
    whole = _personal_terms(user_id)[1]
    my_series = SeriesInvitation.objects.filter(user_id=user_id)
    mine = union_of(
        Series.objects.filter(organiser_id=user_id).values("pk"),
        my_series.values("series_id"),
        sessions_of(active_memberships(user_id).values("group_id"))
        .filter(series__isnull=False)
        .values("series_id"),
    )
    # A scalar subquery with a LIMIT, which the database asks series by series; an EXISTS would
    # be made a join with all the occurrences again.
    one_shown = (
        Meeting.objects.filter(in_window(since), whole, series_id=OuterRef("pk")).order_by().values("pk")[:1]
    )
    shown = (
        Series.objects.filter(pk__in=mine)
        .alias(one_shown=Subquery(one_shown))
        .filter(one_shown__isnull=False)
    )
    invited = Q(pk__in=my_series.values("series_id"))
    return _series_query(
        shown,
        since,
        invited=ExpressionWrapper(invited, output_field=BooleanField()),
        details=sees_group_details(user_id, OuterRef("group_id")),
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
        details=sees_group_details(user_id, OuterRef("group_id")),
    )


PERSONAL = (Prepared(_personal_series), Prepared(_personal_rows))


# Group and network feeds: every meeting but drafts


def _all_terms(candidates: Q) -> tuple[Q, Q, Q]:
    return candidates, Q(series__isnull=False), _plain()


def _group_series(*, group_id, since):
    return _series_query(_series_of(*_all_terms(group_meetings(group_id))[:2], since), since)


def _group_rows(*, group_id, since):
    return _meetings_query(*_all_terms(group_meetings(group_id)), since)


def _network_series(*, network_id, since):
    return _series_query(_series_of(*_all_terms(network_meetings(network_id))[:2], since), since)


def _network_rows(*, network_id, since):
    return _meetings_query(*_all_terms(network_meetings(network_id)), since)


GROUP = (Prepared(_group_series), Prepared(_group_rows))
NETWORK = (Prepared(_network_series), Prepared(_network_rows))
