"""When a visit happens, and whether it took place: one answer for every page, e-mail and figure.

Once confirmed, a visit is its meeting: the core's meeting may be moved or cancelled from its own
page, and its times are what both people have in their calendars. Only without a meeting (never
through the services, but rows may be made by hand) are the offer date's hours used.

A visit *took place* when it is confirmed, its meeting still takes place (scheduled, held or
closed), the visitor had accepted the host's undertaking (only possible before the day) and its
end has passed.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from meetings.exchanges.models import DAY_PART_HOURS, OfferDate, Placement, PlacementStatus
from meetings.models.meetings import TAKING_PLACE
from meetings.recurrence import local_start

# Feedback is asked for, and shown as awaited, this long after the end of the visit at most.
FEEDBACK_WITHIN = timedelta(days=30)


def planned_times(offer_date: OfferDate) -> tuple[datetime, datetime]:
    """The hours of OFFER_DATE's part of the day, in Brussels: what a new visit's meeting gets."""
    start, end = DAY_PART_HOURS[offer_date.part]
    return local_start(offer_date.day, start), local_start(offer_date.day, end)


def _meeting(placement: Placement):
    return placement.meeting if placement.meeting_id is not None else None


def visit_start(placement: Placement) -> datetime:
    meeting = _meeting(placement)
    return meeting.start if meeting is not None else planned_times(placement.offer_date)[0]


def visit_end(placement: Placement) -> datetime:
    meeting = _meeting(placement)
    return meeting.end if meeting is not None else planned_times(placement.offer_date)[1]


def is_cancelled(placement: Placement) -> bool:
    """The visit, or its meeting, was cancelled."""
    if placement.status != PlacementStatus.CONFIRMED:
        return True
    meeting = _meeting(placement)
    return meeting is not None and meeting.status not in TAKING_PLACE


def has_begun(placement: Placement, *, now: datetime) -> bool:
    return visit_start(placement) <= now


def took_place(placement: Placement, *, now: datetime) -> bool:
    return not is_cancelled(placement) and placement.undertaking_given and visit_end(placement) <= now


def taking_place_q(prefix: str = "") -> Q:
    """is_cancelled's negation as a filter on placements (PREFIX: the path to the placement)."""
    return Q(**{f"{prefix}status": PlacementStatus.CONFIRMED}) & (
        Q(**{f"{prefix}meeting__isnull": True}) | Q(**{f"{prefix}meeting__status__in": TAKING_PLACE})
    )


def begun_q(now: datetime, prefix: str = "") -> Q:
    """has_begun as a filter: the meeting has started (placements always have one once confirmed
    through the services; a row without one counts from its offer date's day)."""
    return Q(**{f"{prefix}meeting__start__lte": now}) | Q(
        **{f"{prefix}meeting__isnull": True, f"{prefix}offer_date__day__lte": timezone.localdate(now)}
    )
