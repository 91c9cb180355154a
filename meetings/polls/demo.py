"""Demo date polls, added by `seed_demo` after the core's groups (meetings/demo.py):

- the intervision's extra session: its facilitator (animateur@…) asks five members, Claire
  (medecin@…) among them, which of the coming fortnight's midday slots suit them; three have
  answered, Claire has not. Open, due in three days: Claire finds it in her "À faire" and on
  /polls/, and its organiser can close it into the meeting.
- the Balint group's next cycle: its facilitator proposes two patterns for ten sessions, every
  other Tuesday or every other Wednesday evening; open, not private, half the group answered.
- the coordination's presentation of a housing service: a private poll of the coordinator
  (coordinatrice@…), decided last week into a meeting in a few days, whose invitations went out.

Quiet and idempotent like the other steps: rows are written as the services would leave them
once their e-mails left (the outbox rows already sent, so the worker sends nothing). The open
polls are renewed only when a demo is seeded again after their deadline (as the core renews its
session under way); the decided poll is written once.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Network
from meetings.demo import BALINT, GROUPS, INTERVISION, people
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole, MessageKind, PartStat
from meetings.polls.models import (
    Choice,
    InviteChoice,
    Poll,
    PollAnswer,
    PollMode,
    PollParticipant,
    PollStatus,
)
from meetings.polls.notices import PollKind
from meetings.polls.services.polls import poll_create
from meetings.polls.slots import Candidate, at, pattern, pattern_rule
from meetings.services.meetings import meeting_create
from outbox import services as outbox

MEETING_POLL_TITLE = "Intervision du jeudi : quelle date pour une séance de plus ?"
SERIES_POLL_TITLE = "Groupe Balint : quel soir pour le prochain cycle ?"
DECIDED_POLL_TITLE = "Coordination : présentation du service d'aide au logement"

# Who is asked, and what those who answered said of each slot in turn (None: not answered yet;
# the intervision's poll has 4 or 5 slots, depending on the weekday the demo is seeded).
MEETING_POLL_ASKED = {
    "medecin": None,
    "karim.benali": "yynyym",
    "els.peeters": "ymyyny",
    "fatima.ouali": "nyymyy",
    "aicha.diallo": None,
}
SERIES_POLL_ASKED = {
    "thomas.renard": "ym",
    "bart.claes": "yn",
    "anna.kowalska": "my",
    "emine.demir": "yy",
    "sarah.cohen": None,
    "leila.haddad": None,
    "julie.leroy": None,
}
DECIDED_POLL_ASKED = {
    "medecin": "yny",
    "animateur": "yym",
    "sophie.lambert": "myy",
    "hilde.maes": "yyn",
    "karim.benali": "nyy",
}
CHOICES = {"y": Choice.YES, "m": Choice.MAYBE, "n": Choice.NO}


def today() -> date:
    return timezone.localdate()


def _still_open(network: Network, title: str) -> bool:
    return Poll.objects.filter(
        network=network, title=title, status=PollStatus.OPEN, deadline__gt=timezone.now()
    ).exists()


def sent(*, kind: str, email: str, name: str, language: str, refs: dict, at: datetime) -> None:
    outbox.record_sent(kind=kind, email=email, name=name, language=language, refs=refs, at=at)


def ask(poll: Poll, asked: dict[str, str | None], *, invited_at: datetime) -> list[PollParticipant]:
    """The participants of POLL, invited at INVITED_AT (their invitation e-mails sent), with
    the answers of those who answered, a few hours later each."""
    slots = list(poll.slots.order_by("start", "pk"))
    participants = []
    for index, (user, answers) in enumerate(zip(people(list(asked)), asked.values(), strict=True)):
        participant = PollParticipant(
            poll=poll, user=user, email=user.email, name=user.get_full_name(), language=user.language
        )
        if answers is not None:
            participant.answered_at = min(invited_at + timedelta(hours=3 + 5 * index), timezone.now())
        participant.full_clean(exclude=["poll"])
        participant.save()
        participants.append(participant)
        sent(
            kind=PollKind.INVITATION,
            email=participant.email,
            name=participant.display_name,
            language=participant.language,
            refs={"poll": poll.pk, "participant": participant.pk},
            at=invited_at + timedelta(minutes=2),
        )
        if answers is not None:
            PollAnswer.objects.bulk_create(
                PollAnswer(participant=participant, slot=slot, choice=CHOICES[letter])
                for slot, letter in zip(slots, answers, strict=False)
            )
    return participants


def midday_slots(first_day: date, last_day: date) -> list[Candidate]:
    """Every other weekday from FIRST_DAY to LAST_DAY, 12:30–14:00 (4 or 5 over 11 days)."""
    weekdays = [
        first_day + timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if (first_day + timedelta(days=offset)).weekday() < 5
    ]
    return [Candidate(start=at(day, time(12, 30)), end=at(day, time(14, 0))) for day in weekdays[::2]]


@transaction.atomic
def seed_meeting_poll(network: Network) -> None:
    group = network.groups.filter(name=INTERVISION).first()
    if group is None or _still_open(network, MEETING_POLL_TITLE):
        return
    now = timezone.now()
    deadline = at(today() + timedelta(days=3), time(18, 0))
    poll = poll_create(
        network=network,
        organiser=people(["animateur"])[0],
        title=MEETING_POLL_TITLE,
        kind=group.kind,
        group=group,
        purpose="Une séance de plus pour les situations que le groupe n'a pas encore pu travailler.",
        place=GROUPS[0]["place"],
        duration=timedelta(minutes=90),
        deadline=deadline,
        candidates=midday_slots(today() + timedelta(days=4), today() + timedelta(days=14)),
        now=now,
    )
    ask(poll, MEETING_POLL_ASKED, invited_at=now - timedelta(days=1))


@transaction.atomic
def seed_series_poll(network: Network) -> None:
    group = network.groups.filter(name=BALINT).first()
    if group is None or _still_open(network, SERIES_POLL_TITLE):
        return
    now = timezone.now()
    deadline = at(today() + timedelta(days=6), time(18, 0))
    candidates = [
        pattern(
            rule=pattern_rule(nth=None, weekday=weekday, count=10, interval=2),
            start=time(20, 0),
            duration=timedelta(minutes=90),
            after=deadline,
        )
        for weekday in (1, 2)  # every other Tuesday, every other Wednesday
    ]
    poll = poll_create(
        network=network,
        organiser=people(["animateur"])[0],
        title=SERIES_POLL_TITLE,
        kind=Kind.BALINT,
        group=group,
        mode=PollMode.SERIES,
        session_count=10,
        purpose="Dix séances, un soir sur deux : le mardi comme maintenant, ou le mercredi ?",
        place=GROUPS[1]["place"],
        duration=timedelta(minutes=90),
        deadline=deadline,
        candidates=candidates,
        now=now,
    )
    ask(poll, SERIES_POLL_ASKED, invited_at=now - timedelta(days=2))


@transaction.atomic
def seed_decided_poll(network: Network) -> None:
    """Proposed two weeks ago, answered by all, decided a week ago on its second slot (all said
    yes or if need be); the meeting, in five days, invited everyone asked."""
    if Poll.objects.filter(network=network, title=DECIDED_POLL_TITLE).exists():
        return
    coordinator = people(["coordinatrice"])[0]
    now = timezone.now()
    proposed = now - timedelta(days=14)
    meeting_day = today() + timedelta(days=5)
    days = [meeting_day - timedelta(days=1), meeting_day, meeting_day + timedelta(days=1)]
    poll = poll_create(
        network=network,
        organiser=coordinator,
        title=DECIDED_POLL_TITLE,
        kind=Kind.THEMATIC,
        purpose="L'équipe du service d'aide au logement présente son accompagnement et ses délais.",
        place="CPAS d'Anderlecht, salle du conseil, Avenue de l'Aviation 70, 1070 Anderlecht",
        duration=timedelta(hours=1),
        deadline=now - timedelta(days=7),
        candidates=[Candidate(start=at(d, time(10, 0)), end=at(d, time(11, 0))) for d in days],
        private=True,
        now=proposed,
    )
    participants = ask(poll, DECIDED_POLL_ASKED, invited_at=proposed)
    chosen = poll.slots.order_by("start")[1]
    decided_at = poll.deadline + timedelta(hours=16)
    meeting = meeting_create(
        network=network,
        kind=poll.kind,
        title=DECIDED_POLL_TITLE,
        purpose=poll.purpose,
        start=chosen.start,
        end=chosen.end,
        organiser=coordinator,
        place=poll.place,
    )
    for participant in participants:
        said = participant.answers.get(slot=chosen).choice
        invitation = Invitation.objects.create(
            meeting=meeting,
            user=participant.user,
            email=participant.email,
            name=participant.name,
            language=participant.language,
            role=InvitationRole.PARTICIPANT,
            partstat=PartStat.ACCEPTED if said == Choice.YES else PartStat.NEEDS_ACTION,
            answered_at=decided_at + timedelta(hours=2) if said == Choice.YES else None,
            sent_sequence=meeting.sequence,
        )
        sent(
            kind=MessageKind.REQUEST,
            email=invitation.email,
            name=invitation.name,
            language=invitation.language,
            refs={"meeting": meeting.pk, "invitation": invitation.pk},
            at=decided_at + timedelta(minutes=2),
        )
    Poll.objects.filter(pk=poll.pk).update(
        status=PollStatus.DECIDED,
        closed_at=decided_at,
        chosen_slot=chosen,
        invite_choice=InviteChoice.ALL,
        meeting=meeting,
    )


def seed(network: Network) -> None:
    seed_meeting_poll(network)
    seed_series_poll(network)
    seed_decided_poll(network)
