"""Visits of the exchange world (conftest.py) made directly, for the feedback and report tests:
the educator at the maison médicale on Tuesday 9 March 2027, the nurse with the street team on
Thursday 11 March, each a full day (9:00–16:30 in Brussels) with its meeting of kind « Vis ma
vie », and the undertaking accepted unless asked otherwise."""

from datetime import UTC, datetime, time

import time_machine
from django.utils import timezone

from meetings.exchanges.models import DAY_PART_HOURS, DayPart, Placement
from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create


def place(ew, application, offer_date, *, accepted=True, meeting=True) -> Placement:
    start, end = DAY_PART_HOURS[offer_date.part]
    coordinator = ew.world.users["coordinator"]
    held = None
    if meeting:
        held = meeting_create(
            network=ew.round.network,
            kind=Kind.EXCHANGE,
            title="« Vis ma vie »",
            start=local_start(offer_date.day, start),
            end=local_start(offer_date.day, end),
            organiser=coordinator,
            purpose="Une journée dans l'équipe.",
        )
    return Placement.objects.create(
        round=offer_date.offer.round,
        application=application,
        offer_date=offer_date,
        meeting=held,
        confirmed_by=coordinator,
        confirmed_at=timezone.now(),
        undertaking_version=offer_date.offer.undertaking_version if accepted else None,
        undertaking_accepted_at=timezone.now() if accepted else None,
    )


def educator_visit(ew, **options) -> Placement:
    """The educator at the maison médicale, on its first March day."""
    return place(ew, ew.educator_application, ew.mm_offer.dates.order_by("day").first(), **options)


def nurse_visit(ew, **options) -> Placement:
    """The nurse with the street team, on 11 March: the reverse of the educator's visit."""
    return place(ew, ew.nurse_application, ew.street_offer.dates.get(), **options)


def end_of(placement) -> datetime:
    """The end of a full-day visit, in UTC: days added to it are whole days of 24 hours (Brussels
    moves to summer time on 28 March 2027)."""
    day = placement.offer_date.day
    return local_start(day, DAY_PART_HOURS[DayPart.DAY][1]).astimezone(UTC)


def at(day, hour=10, minute=0):
    return local_start(day, time(hour, minute))


def stopped(moment):
    return time_machine.travel(moment, tick=False)
