"""Conflicts: which slots each participant is already busy on, from their meetings in the
application and from the busy times read from their own calendar. In four queries for a poll,
whatever its number of participants and slots.

A meeting counts as busy when the person is invited and has not declined it (nor asked for the
minutes only), and it takes place. What it is stays unsaid: the poll shows "déjà pris", never the
other meeting's title.
"""

from collections import defaultdict
from datetime import datetime

from meetings.models import Invitation, InvitationRole, Meeting, PartStat
from meetings.models.meetings import TAKING_PLACE
from meetings.polls.models import BusyInterval, Poll, PollParticipant
from meetings.polls.slots import dates_of
from meetings.recurrence import MAX_DURATION


def _overlaps(start: datetime, end: datetime, intervals) -> bool:
    return any(busy_start < end and start < busy_end for busy_start, busy_end in intervals)


def busy_slots(poll: Poll, slots, participants) -> dict[int, set[int]]:
    """{participant id: ids of the SLOTS they are busy on} for PARTICIPANTS of POLL."""
    slots = list(slots)
    participants = list(participants)
    if not slots or not participants:
        return {}
    sessions = {slot.pk: dates_of(slot) for slot in slots}
    earliest = min(start for dates in sessions.values() for start, _end in dates)
    latest = max(end for dates in sessions.values() for _start, end in dates)
    intervals: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)

    by_user = {p.user_id: p.pk for p in participants if p.user_id}
    if by_user:
        # The meetings of the poll's days first (a meeting lasts at most MAX_DURATION, so their
        # start bounds them, on its index), then their invitations of the people asked: asked
        # the other way round, the database reads every invitation those people ever had.
        meetings = list(
            Meeting.objects.filter(
                status__in=TAKING_PLACE, start__gt=earliest - MAX_DURATION, start__lt=latest, end__gt=earliest
            ).values_list("pk", flat=True)
        )
        rows = (
            Invitation.objects.filter(meeting_id__in=meetings, user_id__in=by_user)
            .exclude(partstat=PartStat.DECLINED)
            .exclude(role=InvitationRole.MINUTES_ONLY)
            .exclude(meeting__in=[poll.meeting_id] if poll.meeting_id else [])
            .values_list("user_id", "meeting__start", "meeting__end")
        )
        for user_id, start, end in rows:
            intervals[by_user[user_id]].append((start, end))

    for participant_id, start, end in BusyInterval.objects.filter(
        participant__in=[p.pk for p in participants], start__lt=latest, end__gt=earliest
    ).values_list("participant_id", "start", "end"):
        intervals[participant_id].append((start, end))

    return {
        participant_id: {
            slot_id
            for slot_id, dates in sessions.items()
            if any(_overlaps(start, end, busy) for start, end in dates)
        }
        for participant_id, busy in intervals.items()
    }


def busy_slots_of(participant: PollParticipant, slots) -> set[int]:
    return busy_slots(participant.poll, slots, [participant]).get(participant.pk, set())
