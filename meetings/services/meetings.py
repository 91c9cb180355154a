"""Single meetings and single occurrences: create, change, cancel."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings import bounds
from meetings.models import DETAIL_FIELDS, AgendaItem, Meeting, MeetingStatus, StandingGroup
from meetings.recurrence import check_duration
from meetings.services import invitations

# Changes an attendee must see in their calendar: each one raises SEQUENCE.
VISIBLE_FIELDS = {"start", "end", "place", "online_link", "status"}
EDITABLE_FIELDS = {*DETAIL_FIELDS, "start", "end", "status"}


def check_when(start: datetime, end: datetime) -> None:
    """A sensible length, on days within meetings.bounds."""
    check_duration(end - start)
    bounds.check_moment(start)
    bounds.check_moment(end)


def check_editable(meeting: Meeting) -> None:
    if not meeting.is_editable:
        raise ValidationError(
            _("Cette réunion est %(status)s : elle ne peut plus être modifiée.")
            % {"status": meeting.get_status_display()},
            code="not_editable",
        )


@transaction.atomic
def meeting_create(
    *,
    network: Network,
    kind: str,
    title: str,
    start: datetime,
    end: datetime,
    organiser: User,
    group: StandingGroup | None = None,
    purpose: str = "",
    place: str = "",
    online_link: str = "",
    capacity: int | None = None,
    draft: bool = False,
    agenda: list[dict] = (),
) -> Meeting:
    check_when(start, end)
    if group is not None and (group.network_id != network.pk or group.kind != kind):
        raise ValidationError(
            _("Le groupe choisi n'est pas de ce type ou de ce réseau."), code="group_mismatch"
        )
    meeting = Meeting(
        network=network,
        kind=kind,
        title=title,
        start=start,
        end=end,
        organiser=organiser,
        group=group,
        purpose=purpose,
        place=place,
        online_link=online_link,
        capacity=capacity,
        status=MeetingStatus.DRAFT if draft else MeetingStatus.SCHEDULED,
    )
    meeting.full_clean()
    meeting.save()
    agenda_replace(meeting=meeting, items=agenda)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, changes: dict, agenda: list[dict] | None = None) -> Meeting:
    """Change a meeting, or one occurrence of a series only (it then becomes an override).

    SEQUENCE goes up when the time, the place, the link or the status changes, so calendars
    replace the old version.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_editable(meeting)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    changed = {field for field, value in changes.items() if getattr(meeting, field) != value}
    published = "status" in changed and meeting.status == MeetingStatus.DRAFT
    for field in changed:
        setattr(meeting, field, changes[field])
    check_duration(meeting.end - meeting.start)
    if changed & {"start", "end"}:  # a row stored before the bounds may still change its place
        bounds.check_moment(meeting.start)
        bounds.check_moment(meeting.end)
    if changed & VISIBLE_FIELDS and meeting.status != MeetingStatus.DRAFT:
        meeting.sequence = F("sequence") + 1
    if "start" in changed:  # a new date deserves its own reminders
        meeting.reminder_sent_at = meeting.preparation_reminder_sent_at = None
    meeting.full_clean(exclude=["sequence"])
    meeting.save()
    meeting.refresh_from_db()
    if agenda is not None:
        agenda_replace(meeting=meeting, items=agenda)
    if published:
        invitations.notify_meeting_published(meeting)
    elif changed & VISIBLE_FIELDS:
        invitations.notify_meeting_changed(meeting)
    return meeting


def check_cancellable(meeting: Meeting) -> None:
    """What Meeting.is_cancellable says, with the reason: the meeting page offers to cancel
    exactly the meetings this accepts, ended or not (one that ended with nothing recorded may
    be called off afterwards)."""
    check_editable(meeting)
    if not meeting.is_cancellable:
        raise ValidationError(
            _("Cette réunion a déjà eu lieu : elle ne peut plus être annulée."), code="past"
        )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a meeting. For an occurrence, this is an exception of its series (an EXDATE)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_cancellable(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence = F("sequence") + 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    meeting.refresh_from_db()
    invitations.notify_meeting_cancelled(meeting)
    return meeting


def mark_held(meeting: Meeting) -> None:
    """The meeting took place (someone was marked present, or its outcome was written): a
    scheduled meeting becomes held, so that it can no longer be cancelled and a series edit
    never replaces it. The UPDATE is conditional: a meeting closed or cancelled meanwhile stays so."""
    if meeting.status == MeetingStatus.SCHEDULED:
        Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.SCHEDULED).update(
            status=MeetingStatus.HELD
        )
        meeting.status = MeetingStatus.HELD


def agenda_replace(*, meeting: Meeting, items: list[dict]) -> list[AgendaItem]:
    meeting.agenda_items.all().delete()
    return AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            title=item["title"],
            planned_minutes=item.get("planned_minutes"),
            presenter=item.get("presenter"),
        )
        for position, item in enumerate(items)
        if item.get("title")
    )


def agenda_overrun_minutes(meeting: Meeting, items) -> int:
    """How many minutes the planned items exceed the meeting's length by (0 when they fit)."""
    planned = sum(item.planned_minutes or 0 for item in items)
    available = int(meeting.duration.total_seconds() // 60)
    return max(0, planned - available)
