"""What a feed holds: its rows (queries) sorted into single meetings, series shown as a whole with
the occurrences that differ from their rule, and occurrences shown on their own.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from meetings.calendar import rules
from meetings.calendar.feeds.queries import GROUP, NETWORK, PERSONAL, agenda_of
from meetings.models import Meeting, MeetingStatus, PartStat, Series, StandingGroup


@dataclass
class SeriesPart:
    series: Series
    shown: list[Meeting] = field(default_factory=list)  # passed to the builder (cancelled → EXDATE)
    left_out: list[Meeting] = field(default_factory=list)  # drafts, declined: EXDATEs too
    hide_location: bool = False


@dataclass
class Selection:
    """What a feed holds, read from the database in a fixed number of queries (two, and a third
    for the agenda of meetings shown on their own when there are any)."""

    singles: list[Meeting] = field(default_factory=list)
    series: dict[int, SeriesPart] = field(default_factory=dict)
    # occurrences shown on their own (a person invited to one session of a series only)
    lone_occurrences: list[Meeting] = field(default_factory=list)
    agenda: dict[int, list[str]] = field(default_factory=dict)
    # meetings whose place and link are details the reader may not see
    hide_location: set[int] = field(default_factory=set)


def select_personal(user_id: int, since: datetime) -> Selection:
    """A person's meetings. Declined ones are left out (an occurrence declined alone becomes an
    EXDATE); a series is there as a whole when the person organises it, was invited to it and did
    not decline, or belongs to its group and did not decline it; an occurrence they were invited
    to alone is there on its own.

    Place and link of a closed group's session are details (rules.can_see_place_in_feed):
    they are left out for a member who has not accepted the charter, unless they organise it or
    were invited to it (the invitation e-mail told them).
    """
    series_query, rows_query = PERSONAL
    series = _with_groups(series_query.objects(Series, user_id=user_id, since=since))
    rows = _with_groups(rows_query.objects(Meeting, user_id=user_id, since=since))
    selection = Selection()
    _start_series(
        selection,
        series,
        hidden=lambda s: _hidden(
            s, organiser=s.organiser_id == user_id, invited=s.invited, details=s.details
        ),
    )
    for meeting in rows:
        invited = meeting.my_answer is not None
        declined = meeting.my_answer == PartStat.DECLINED
        draft = meeting.status == MeetingStatus.DRAFT
        part = selection.series.get(meeting.series_id)
        if part is not None:
            _add_to_series(part, meeting, left_out=declined or draft)
            continue
        if draft or declined:
            continue
        if meeting.series_id is None:
            selection.singles.append(meeting)
        elif invited:
            selection.lone_occurrences.append(meeting)
        else:
            continue  # an occurrence of a series not in the feed, and not invited to on its own
        organiser = meeting.organiser_id == user_id
        if _hidden(meeting, organiser=organiser, invited=invited, details=meeting.details):
            selection.hide_location.add(meeting.pk)
    selection.agenda = agenda_of([*selection.singles, *selection.lone_occurrences])
    return selection


def _select_all(queries, since: datetime, *, details: bool = True, **key) -> Selection:
    series_query, rows_query = queries
    series = _with_groups(series_query.objects(Series, since=since, **key))
    rows = _with_groups(rows_query.objects(Meeting, since=since, **key))
    selection = Selection()
    _start_series(selection, series, hidden=lambda s: _hidden(s, details=details))
    for meeting in rows:
        draft = meeting.status == MeetingStatus.DRAFT
        part = selection.series.get(meeting.series_id)
        if part is not None:
            _add_to_series(part, meeting, left_out=draft)
        elif not draft and meeting.series_id is None:
            selection.singles.append(meeting)
            if _hidden(meeting, details=details):
                selection.hide_location.add(meeting.pk)
    selection.agenda = agenda_of([*selection.singles, *selection.lone_occurrences])
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


def _hidden(subject, *, organiser: bool = False, invited: bool = False, details) -> bool:
    """Whether place and link of SUBJECT (a meeting or series) are details this reader may not see
    (rules.can_see_place_in_feed). DETAILS: whether they may see its group's details, as
    the database gives it (0 or 1 on SQLite)."""
    return not rules.can_see_place_in_feed(
        subject, organiser=organiser, invited=bool(invited), sees_group_details=bool(details)
    )


def _start_series(selection: Selection, series: list[Series], *, hidden) -> None:
    for one in series:
        selection.series[one.pk] = SeriesPart(one, hide_location=hidden(one))


def _add_to_series(part: SeriesPart, meeting: Meeting, *, left_out: bool) -> None:
    (part.left_out if left_out else part.shown).append(meeting)
