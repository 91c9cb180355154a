"""Date polls in the scale data (`seed_scale`), written after the meetings they are about:

- one group in ten has an open poll for an extra session: four to eight slots in the coming two
  weeks, due within the week, asked of the group's members (the facilitator organises it); six
  in ten have answered. Where the deadline is two days away or less, the reminder went out to
  those who have not; where everyone answered, the organiser was told.
- some meetings of the past (not of a series) were found by a poll of their organiser: the
  meeting's start and two or three other candidates, asked of its invitees, decided on that
  start a few weeks before (half of them closed by their deadline first, the
  organiser told); a concertation's poll is private.

Every e-mail those polls would have sent is in the outbox as sent, with the dedupe keys of
meetings/polls/notices.py, and no open poll is past its deadline: the periodic task (close the
expired polls, remind before the deadline) finds nothing to do on the seeded data.
"""

from datetime import datetime, time, timedelta

from accounts.bulk import Context
from meetings.kinds import Kind
from meetings.models import (
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    Role,
    StandingGroup,
)
from meetings.polls.models import (
    BRUSSELS_ZONE,
    Choice,
    InviteChoice,
    Poll,
    PollAnswer,
    PollMode,
    PollParticipant,
    PollSlot,
    PollStatus,
)
from meetings.polls.notices import PollKind, organiser_key, reminder_key
from meetings.recurrence import BRUSSELS
from outbox.models import OutboxMessage, OutboxStatus

OPEN_SHARE = 0.1  # of the groups
ANSWERED = 0.6
DECIDED = 200  # meetings found by a poll, at scale 1
DECIDED_ANSWERED = 0.85
REMIND_BEFORE = timedelta(days=2)
SLOT_TIMES = [time(9, 30), time(12, 30), time(14, 0), time(17, 30)]
DURATION = timedelta(minutes=90)
CHOICE_WEIGHTS = ([Choice.YES, Choice.MAYBE, Choice.NO], [0.5, 0.2, 0.3])


def seed(ctx: Context) -> None:
    _open_polls(ctx)
    _decided_polls(ctx)


def _participant_sent(ctx: Context, *, kind: str, participant: dict, at: datetime, dedupe_key=None) -> None:
    """An e-mail to a participant that left at AT, as notices._to_participant addresses it."""
    ctx.add(
        OutboxMessage,
        {
            "kind": kind,
            "dedupe_key": dedupe_key,
            "status": OutboxStatus.SENT,
            "recipient_email": participant["email"],
            "recipient_name": participant["name"] or participant["email"],
            "language": participant["language"],
            "refs": {"poll": participant["poll_id"], "participant": participant["id"]},
            "send_after": at,
            "attempts": 1,
            "created_at": at,
            "claimed_at": at,
            "sent_at": at,
        },
    )


def _poll(ctx: Context, **fields) -> int:
    row = {
        "mode": PollMode.MEETING,
        "purpose": "",
        "online_link": "",
        "duration": DURATION,
        "session_count": None,
        "private": False,
        "closed_at": None,
        "reopened_at": None,
        "complete_notified_at": None,
        "chosen_slot_id": None,
        "invite_choice": "",
        "meeting_id": None,
        "series_id": None,
        **fields,
    }
    return ctx.add(Poll, row)


def _ask(
    ctx: Context,
    *,
    poll_id: int,
    user_ids: list[int],
    slots: list[tuple[int, datetime]],
    asked_at,
    answered,
    until,
) -> list[dict]:
    """The participants of a poll (their invitations sent at ASKED_AT), a share ANSWERED of them
    with an answer per slot, between ASKED_AT and UNTIL."""
    rng = ctx.rng
    participants = []
    for user_id in user_ids:
        email, name, language = ctx.recipient(user_id)
        row = {
            "poll_id": poll_id,
            "user_id": user_id,
            "email": email,
            "name": name,
            "language": language,
            "required": False,
            "time_zone": BRUSSELS_ZONE,
            "answered_at": None,
            "calendar_read_at": None,
            "created_at": asked_at,
        }
        if rng.random() < answered:
            span = max(1, int((until - asked_at).total_seconds() // 60))
            row["answered_at"] = asked_at + timedelta(minutes=rng.randint(5, max(5, span)))
            row["answered_at"] = min(row["answered_at"], until)
        row["id"] = ctx.add(PollParticipant, row)
        participants.append(row)
        _participant_sent(ctx, kind=PollKind.INVITATION, participant=row, at=asked_at + timedelta(minutes=2))
        if row["answered_at"] is not None:
            choices = rng.choices(*CHOICE_WEIGHTS, k=len(slots))
            for (slot_id, _start), choice in zip(slots, choices, strict=True):
                ctx.add(
                    PollAnswer,
                    {
                        "participant_id": row["id"],
                        "slot_id": slot_id,
                        "choice": choice,
                        "updated_at": row["answered_at"],
                    },
                )
    return participants


def _slots(ctx: Context, poll_id: int, starts: list[datetime]) -> list[tuple[int, datetime]]:
    return [
        (ctx.add(PollSlot, {"poll_id": poll_id, "start": start, "end": start + DURATION, "rrule": ""}), start)
        for start in sorted(set(starts))
    ]


def _reminded(ctx: Context, *, poll_id: int, participants: list[dict], deadline: datetime, asked_at) -> None:
    """The reminders the task sent two days before DEADLINE to who had not answered by then."""
    at = max(deadline - REMIND_BEFORE, asked_at + timedelta(hours=1))
    for participant in participants:
        if participant["answered_at"] is None or participant["answered_at"] > at:
            _participant_sent(
                ctx,
                kind=PollKind.REMINDER,
                participant=participant,
                at=min(at, ctx.now),
                dedupe_key=reminder_key(poll_id=poll_id, participant_id=participant["id"]),
            )


def _organiser_told(
    ctx: Context, *, kind: str, poll_id: int, organiser_id: int, at: datetime, asked: int = 0
) -> None:
    key = organiser_key(kind=kind, poll_id=poll_id, asked=asked)
    ctx.sent(kind=kind, user_id=organiser_id, at=at, dedupe_key=key, poll=poll_id)


def _complete(ctx: Context, *, poll_id: int, organiser_id: int, participants: list[dict]):
    """Where everyone answered, the organiser was told, after the last answer: when."""
    if not participants or not all(p["answered_at"] for p in participants):
        return None
    told = min(max(p["answered_at"] for p in participants) + timedelta(minutes=1), ctx.now)
    _organiser_told(
        ctx,
        kind=PollKind.COMPLETE,
        poll_id=poll_id,
        organiser_id=organiser_id,
        at=told,
        asked=len(participants),
    )
    return told


def _open_polls(ctx: Context) -> None:
    rng, now = ctx.rng, ctx.now
    members: dict[int, list[tuple[int, str]]] = {}
    for group_id, user_id, role in (
        GroupMembership.objects.filter(status=MembershipStatus.ACTIVE)
        .order_by("group_id", "pk")
        .values_list("group_id", "user_id", "role")
        .iterator(chunk_size=20_000)
    ):
        members.setdefault(group_id, []).append((user_id, role))
    groups = list(StandingGroup.objects.order_by("pk").values_list("pk", "network_id", "kind", "name"))
    chosen = rng.sample(groups, min(len(groups), max(1, round(len(groups) * OPEN_SHARE))))
    for index, (group_id, network_id, kind, name) in enumerate(sorted(chosen)):
        people = members.get(group_id, [])
        if len(people) < 2:
            continue
        organiser = next((u for u, role in people if role == Role.FACILITATOR), people[0][0])
        asked_at = now - timedelta(hours=rng.randint(2, 96))
        # Every other one is due within two days: its reminders went out.
        hours = rng.randint(4, 47) if index % 2 == 0 else rng.randint(49, 6 * 24)
        deadline = (now + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
        deadline = max(deadline, now + timedelta(hours=1))
        first_day = deadline.astimezone(BRUSSELS).date() + timedelta(days=1)
        last_day = now.astimezone(BRUSSELS).date() + timedelta(days=14)
        days = [
            first_day + timedelta(days=d)
            for d in range(max(1, (last_day - first_day).days + 1))
            if (first_day + timedelta(days=d)).weekday() < 5
        ] or [
            first_day + timedelta(days=d) for d in range(7) if (first_day + timedelta(days=d)).weekday() < 5
        ]
        candidates = [datetime.combine(day, moment, tzinfo=BRUSSELS) for day in days for moment in SLOT_TIMES]
        starts = rng.sample(candidates, min(len(candidates), rng.randint(4, 8)))
        poll_id = ctx.new_id(Poll)
        slots = _slots(ctx, poll_id, starts)
        participants = _ask(
            ctx,
            poll_id=poll_id,
            user_ids=[u for u, _role in people if u != organiser],
            slots=slots,
            asked_at=asked_at,
            answered=ANSWERED,
            until=now,
        )
        if deadline - now <= REMIND_BEFORE:
            _reminded(ctx, poll_id=poll_id, participants=participants, deadline=deadline, asked_at=asked_at)
        _poll(
            ctx,
            id=poll_id,
            complete_notified_at=_complete(
                ctx, poll_id=poll_id, organiser_id=organiser, participants=participants
            ),
            network_id=network_id,
            organiser_id=organiser,
            title=f"{name} : quelle date pour une séance de plus ?",
            kind=kind,
            group_id=group_id,
            place="Salle de réunion",
            deadline=deadline,
            status=PollStatus.OPEN,
            created_at=asked_at,
        )


def _decided_polls(ctx: Context) -> None:
    rng = ctx.rng
    meetings = list(
        Meeting.objects.filter(
            series__isnull=True,
            end__lt=ctx.now,
            status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
        )
        .order_by("pk")
        .values(
            "pk",
            "kind",
            "network_id",
            "group_id",
            "organiser_id",
            "title",
            "place",
            "start",
            "end",
            "created_at",
        )[: ctx.n(DECIDED, 2) * 5]
    )
    chosen = sorted(rng.sample(meetings, min(len(meetings), ctx.n(DECIDED, 2))), key=lambda m: m["pk"])
    invitees: dict[int, list[int]] = {}
    for meeting_id, user_id in (
        Invitation.objects.filter(meeting__in=[m["pk"] for m in chosen], user__isnull=False)
        .order_by("pk")
        .values_list("meeting_id", "user_id")
    ):
        invitees.setdefault(meeting_id, []).append(user_id)
    for meeting in chosen:
        asked = [u for u in invitees.get(meeting["pk"], []) if u != meeting["organiser_id"]]
        if not asked:
            continue
        # Decided a few weeks before the meeting (its row's own creation date may be the seed's).
        decided_at = meeting["start"] - timedelta(days=rng.randint(10, 40))
        deadline = decided_at - timedelta(days=1)
        asked_at = decided_at - timedelta(days=10)
        by_deadline = rng.random() < 0.5  # closed by the task at its deadline, then decided
        closed_at = deadline if by_deadline else decided_at - timedelta(days=rng.randint(2, 5))
        start, length = meeting["start"], meeting["end"] - meeting["start"]
        others = [start + timedelta(days=d) for d in rng.sample([-3, -2, -1, 1, 2, 3], rng.randint(2, 3))]
        poll_id = ctx.new_id(Poll)
        slots = _slots(ctx, poll_id, [start, *(s for s in others if s > decided_at)])
        chosen_slot = next(slot_id for slot_id, slot_start in slots if slot_start == start)
        participants = _ask(
            ctx,
            poll_id=poll_id,
            user_ids=asked,
            slots=slots,
            asked_at=asked_at,
            answered=DECIDED_ANSWERED,
            until=closed_at,
        )
        if closed_at > deadline - REMIND_BEFORE:  # still open when the reminders left
            _reminded(ctx, poll_id=poll_id, participants=participants, deadline=deadline, asked_at=asked_at)
        if by_deadline:
            _organiser_told(
                ctx, kind=PollKind.CLOSED, poll_id=poll_id, organiser_id=meeting["organiser_id"], at=deadline
            )
        _poll(
            ctx,
            id=poll_id,
            complete_notified_at=_complete(
                ctx, poll_id=poll_id, organiser_id=meeting["organiser_id"], participants=participants
            ),
            network_id=meeting["network_id"],
            organiser_id=meeting["organiser_id"],
            title=f"{meeting['title']} : quelle date ?",
            kind=meeting["kind"],
            group_id=meeting["group_id"],
            # A concertation's poll names nobody to the others (privacy rule).
            private=meeting["kind"] == Kind.CONCERTATION,
            place=meeting["place"],
            duration=length,
            deadline=deadline,
            status=PollStatus.DECIDED,
            closed_at=closed_at,
            chosen_slot_id=chosen_slot,
            invite_choice=InviteChoice.ALL,
            meeting_id=meeting["pk"],
            created_at=asked_at,
        )
