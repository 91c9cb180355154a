"""A poll of the world's Balint group (tests/world.py), proposed by its facilitator on the
fixed clock's Thursday 19 November 2026: three slots at 12:30–14:00 (Tuesday 24, Thursday 26
November, Tuesday 1 December), answers due Monday 23 November at 18:00, asked of the group's
member, its pending member and an external address."""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from meetings.kinds import Kind
from meetings.polls.models import Poll, PollMode, PollParticipant
from meetings.polls.services.polls import participants_add, poll_create
from meetings.polls.slots import Candidate, at, pattern, pattern_rule

SLOT_DAYS = [date(2026, 11, 24), date(2026, 11, 26), date(2026, 12, 1)]
GUEST = "invitee@partenaire.test"


@dataclass
class PollWorld:
    world: object
    poll: Poll
    member: PollParticipant
    pending: PollParticipant
    guest: PollParticipant


def make_poll(world, *, private: bool = False, days=SLOT_DAYS, **fields) -> Poll:
    defaults = {
        "network": world.network,
        "organiser": world.users["facilitator"],
        "title": "Balint : quelle date pour la séance extraordinaire ?",
        "kind": Kind.BALINT,
        "group": world.group,
        "duration": timedelta(minutes=90),
        "deadline": at(date(2026, 11, 23), time(18, 0)),
        "candidates": [Candidate(start=at(d, time(12, 30)), end=at(d, time(14, 0))) for d in days],
        "place": "Rue Haute 100, 1000 Bruxelles",
        "private": private,
    }
    return poll_create(**{**defaults, **fields})


def make_series_poll(world, *, count: int = 10, **fields) -> Poll:
    """Which weekday for the next ten sessions: the 1st Tuesday or the 3rd Thursday, 12:30."""
    now = at(date(2026, 11, 19), time(10, 0))
    candidates = [
        pattern(
            rule=pattern_rule(nth=1, weekday=1, count=count),
            start=time(12, 30),
            duration=timedelta(minutes=90),
            after=now,
        ),
        pattern(
            rule=pattern_rule(nth=3, weekday=3, count=count),
            start=time(12, 30),
            duration=timedelta(minutes=90),
            after=now,
        ),
    ]
    return make_poll(world, mode=PollMode.SERIES, session_count=count, candidates=candidates, **fields)


def ask(poll, world) -> tuple[PollParticipant, PollParticipant, PollParticipant]:
    users = world.users
    participants_add(
        poll=poll,
        people=[{"email": users["member"].email, "user": users["member"]}, {"email": users["pending"].email}],
    )
    participants_add(poll=poll, people=[{"email": GUEST, "name": "Invitée du CPAS"}])
    by_email = {p.email: p for p in poll.participants.all()}
    return by_email[users["member"].email], by_email[users["pending"].email], by_email[GUEST]


@pytest.fixture
def poll_world(world) -> PollWorld:
    poll = make_poll(world)
    member, pending, guest = ask(poll, world)
    return PollWorld(world=world, poll=poll, member=member, pending=pending, guest=guest)


@pytest.fixture
def private_poll_world(world) -> PollWorld:
    poll = make_poll(world, private=True)
    member, pending, guest = ask(poll, world)
    return PollWorld(world=world, poll=poll, member=member, pending=pending, guest=guest)
