"""Conflicts on the answer page: a meeting of the application the person is invited to and has
not declined marks the slots it overlaps (a series pattern on any of its shown dates), without
saying what it is."""

from datetime import date, time
from html import unescape

import pytest
from django.urls import reverse

from meetings.kinds import Kind
from meetings.models import Invitation, PartStat
from meetings.polls import conflicts
from meetings.polls.slots import at
from meetings.services.meetings import meeting_create
from tests.polls.conftest import ask, make_series_poll

pytestmark = pytest.mark.django_db

TITLE = "Concertation autour de M. Janssens"


def meeting_for(world, user, day: date, start: time, end: time, partstat=PartStat.NEEDS_ACTION):
    meeting = meeting_create(
        network=world.network,
        kind=Kind.CONCERTATION,
        title=TITLE,
        start=at(day, start),
        end=at(day, end),
        organiser=world.users["coordinator"],
        place="Maison médicale",
    )
    Invitation.objects.create(meeting=meeting, user=user, email=user.email, partstat=partstat)
    return meeting


def page_of(client, user, poll) -> str:
    client.force_login(user)
    return unescape(client.get(reverse("polls:answer", kwargs={"pk": poll.pk})).content.decode())


def test_a_meeting_overlapping_a_slot_is_a_conflict(client, poll_world):
    world, poll = poll_world.world, poll_world.poll
    member = world.users["member"]
    meeting_for(world, member, date(2026, 11, 24), time(13, 30), time(15, 0))
    first = poll.slots.first()

    busy = conflicts.busy_slots_of(poll_world.member, poll.slots.all())
    page = page_of(client, member, poll)

    assert busy == {first.pk}
    assert page.count("Déjà pris dans votre agenda") == 1
    assert TITLE not in page and "Janssens" not in page


def test_a_meeting_only_touching_a_slot_is_no_conflict(poll_world):
    world, poll = poll_world.world, poll_world.poll
    meeting_for(world, world.users["member"], date(2026, 11, 24), time(14, 0), time(15, 0))
    assert conflicts.busy_slots_of(poll_world.member, poll.slots.all()) == set()


def test_a_declined_meeting_is_no_conflict(client, poll_world):
    world, poll = poll_world.world, poll_world.poll
    member = world.users["member"]
    meeting_for(world, member, date(2026, 11, 24), time(12, 0), time(13, 0), partstat=PartStat.DECLINED)

    assert conflicts.busy_slots_of(poll_world.member, poll.slots.all()) == set()
    assert "Déjà pris dans votre agenda" not in page_of(client, member, poll)


def test_someone_elses_meeting_is_no_conflict(poll_world):
    world, poll = poll_world.world, poll_world.poll
    meeting_for(world, world.users["pending"], date(2026, 11, 24), time(12, 0), time(13, 0))
    assert conflicts.busy_slots_of(poll_world.member, poll.slots.all()) == set()


def test_a_series_pattern_conflicts_on_one_of_its_dates(client, world):
    poll = make_series_poll(world)
    member, _pending, _guest = ask(poll, world)
    first_tuesday, third_thursday = poll.slots.all()
    # The 1st Tuesday's second date, 5 January 2027; nothing on the 3rd Thursdays.
    meeting_for(world, world.users["member"], date(2027, 1, 5), time(12, 0), time(13, 0))

    busy = conflicts.busy_slots_of(member, poll.slots.all())
    page = page_of(client, world.users["member"], poll)

    assert busy == {first_tuesday.pk}
    assert page.count("Déjà pris dans votre agenda") == 1
    block = page[page.index(f'id="slot-{first_tuesday.pk}"') :]
    assert block.index("Déjà pris dans votre agenda") < block.index("</fieldset>")
    assert third_thursday.pk not in busy
