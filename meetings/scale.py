"""The meetings of the scale data (`seed_scale`): standing groups with their members, charters and
monthly series, network meetings, clinical concertations and "vis ma vie" days, with their
invitations, over two years back and the series horizon ahead.

Rows look like the services' own: an occurrence carries its series' UID and SEQUENCE and its
RECURRENCE-ID (the start the rule gave it, even once moved); a moved or cancelled one is one
SEQUENCE above; every occurrence has an invitation per series invitation, tied to it; each
invitation has its own nonce; the invitation e-mails about what is still to come went out (sent
rows in the outbox, without body: they rendered as they left); past meetings are held or closed
and their reminders marked sent, so that a worker started on this data sends no burst of old
reminders.
"""

import uuid
from datetime import date, time, timedelta

from django.conf import settings

from accounts.bulk import Context
from accounts.scale import DOMAIN
from meetings.kinds import Kind, policy_for
from meetings.models import (
    AgendaItem,
    CharterAcceptance,
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    MessageKind,
    PartStat,
    Role,
    Series,
    SeriesInvitation,
    StandingGroup,
)
from meetings.recurrence import first_occurrence, local_start, occurrences_between
from outbox.models import OutboxMessage, OutboxStatus

GROUPS = 300
BIG_GROUPS, BIG_GROUP_SIZE = 2, 700
MEETINGS = 100_000
NETWORK_MEETINGS = 5_000
NETWORK_INVITEES = (20, 80)
CONCERTATION_INVITEES = (2, 6)
BUSY_PEOPLE = 5
DAYS_BACK = 730
SINGLES_AHEAD_DAYS = 180

CHARTER = (
    "Ce qui est dit dans le groupe reste dans le groupe.\n"
    "Les situations sont évoquées sans nom ni détail permettant d'identifier la personne.\n"
    "Chacun·e parle en son nom, écoute sans juger et respecte le secret professionnel partagé."
)
THEMES = [
    "assuétudes",
    "précarité",
    "santé mentale des jeunes",
    "première ligne",
    "soins à domicile",
    "exil",
    "périnatalité",
    "fin de vie",
    "violences intrafamiliales",
    "sans-abrisme",
    "vieillissement",
]
GROUP_LABELS = {
    Kind.INTERVISION: "Intervision",
    Kind.BALINT: "Groupe Balint",
    Kind.SUPERVISION: "Supervision",
}
NETWORK_TOPICS = [
    "Présentation d'un service du réseau",
    "Le secret professionnel partagé en pratique",
    "Sans-abrisme et santé mentale",
    "L'accès aux soins des personnes sans titre de séjour",
    "Réduction des risques en milieu festif",
    "Les nouvelles aides au logement",
    "Travailler avec les familles",
    "Premiers secours en santé mentale",
]
AGENDA = [
    ("Tour de table", 15),
    ("Présentation du service invité", 30),
    ("Situations de quartier", 30),
    ("Questions et échanges", 20),
    ("Actions communes de la coordination", 20),
    ("Divers", 10),
]
SLOTS = [time(9, 0), time(9, 30), time(12, 30), time(14, 0), time(16, 0), time(19, 0), time(20, 0)]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


class Plan:
    """What this step decides before writing: the window, the people by network, the busy ones."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now
        self.first_day = (ctx.now - timedelta(days=DAYS_BACK)).date()
        self.until = ctx.now + timedelta(days=settings.SERIES_HORIZON_DAYS)  # the series' horizon
        self.person = {p[0]: p for p in ctx.people}
        self.by_network: dict[int, list[int]] = {n: [] for n in ctx.networks}
        for user_id, *_rest, network in ctx.people:
            self.by_network[network].append(user_id)
        coordinators = {u for ids in ctx.coordinators.values() for u in ids}
        candidates = [p[0] for p in ctx.people if p[0] not in coordinators]
        self.busy = set(self.rng.sample(candidates, min(len(candidates), ctx.n(BUSY_PEOPLE))))

    def uid(self) -> str:
        return f"{uuid.UUID(int=self.rng.getrandbits(128), version=4)}@concertation"

    def created_before(self, start):
        return min(start - timedelta(days=self.rng.randint(10, 60)), self.now)

    def invitation(
        self, meeting: dict, user_id: int | None, *, role=InvitationRole.PARTICIPANT, **extra
    ) -> dict:
        past = meeting["end"] < self.now
        row = {
            "meeting_id": meeting["id"],
            "role": role,
            # Nobody answers a draft: its invitations leave when it is scheduled.
            "partstat": extra.pop("partstat", None)
            or (PartStat.NEEDS_ACTION if meeting["status"] == MeetingStatus.DRAFT else self.answer(past)),
            "created_at": meeting["created_at"],
            **extra,
        }
        if user_id is not None:
            _id, email, name, language, _network = self.person[user_id]
            row.update(user_id=user_id, email=email, name=name, language=language)
        if row["partstat"] != PartStat.NEEDS_ACTION and "answered_at" not in row:
            row["answered_at"] = min(
                meeting["created_at"] + timedelta(hours=self.rng.randint(1, 240)), self.now
            )
        return row

    def invite(self, meeting: dict, user_id: int | None, **fields) -> None:
        """An invitation to a single meeting; to one still to come, its invitation e-mail went out
        (a sent REQUEST in the outbox, its SEQUENCE recorded), so that a change or a removal
        tells them as it tells those the services invited."""
        row = self.invitation(meeting, user_id, **fields)
        if meeting["status"] == MeetingStatus.SCHEDULED and meeting["end"] >= self.now:
            row["id"] = self.ctx.new_id(Invitation)
            row["sent_sequence"] = meeting["sequence"]
            self.sent(row, {"meeting": meeting["id"], "invitation": row["id"]})
        self.ctx.add(Invitation, row)

    def sent(self, target: dict, refs: dict) -> None:
        """A REQUEST e-mail to TARGET that left a few minutes after it was written."""
        moment = min(target["created_at"] + timedelta(minutes=5), self.now)
        self.ctx.add(
            OutboxMessage,
            {
                "kind": MessageKind.REQUEST,
                "status": OutboxStatus.SENT,
                "recipient_email": target["email"],
                "recipient_name": target.get("name", ""),
                "language": target.get("language", "fr"),
                "refs": refs,
                "send_after": moment,
                "attempts": 1,
                "created_at": moment,
                "claimed_at": moment,
                "sent_at": moment,
            },
        )

    def answer(self, past: bool) -> str:
        r = self.rng.random()
        accepted, declined, tentative = (0.72, 0.85, 0.9) if past else (0.45, 0.55, 0.6)
        if r < accepted:
            return PartStat.ACCEPTED
        if r < declined:
            return PartStat.DECLINED
        if r < tentative:
            return PartStat.TENTATIVE
        return PartStat.NEEDS_ACTION

    def meeting(self, *, kind, network, organiser, start, end, title, single=True, **fields) -> dict:
        """A meeting row with the status, SEQUENCE and reminder marks its dates give it."""
        rng, policy = self.rng, policy_for(kind)
        row = {
            "id": self.ctx.new_id(Meeting),
            "kind": kind,
            "network_id": network,
            "organiser_id": organiser,
            "title": title,
            "start": start,
            "end": end,
            "sequence": 0,
            "created_at": fields.pop("created_at", None) or self.created_before(start),
            **fields,
        }
        r = rng.random()
        if end < self.now:
            status = (
                MeetingStatus.CANCELLED
                if r < 0.04
                else MeetingStatus.CLOSED
                if r < 0.3
                else MeetingStatus.HELD
            )
            row["reminder_sent_at"] = start - policy.reminder_before
            row["preparation_reminder_sent_at"] = start - policy.reminder_before
            if status != MeetingStatus.CANCELLED:
                row["close_reminder_sent_at"] = min(end + timedelta(days=1), self.now)
            if status == MeetingStatus.CLOSED:
                row["closed_at"] = min(end + timedelta(days=rng.randint(1, 10)), self.now)
        else:
            status = MeetingStatus.SCHEDULED
            if r < 0.03:
                status = MeetingStatus.CANCELLED
            elif single and r < 0.05:
                status = MeetingStatus.DRAFT
        if status == MeetingStatus.CANCELLED:
            row["sequence"] += 1
        row["status"] = status
        row["updated_at"] = row.get("closed_at") or row["created_at"]
        return row

    def weekday_between(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.rng.randint(0, (last - first).days))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day


def _sizes(plan: Plan, groups: int, wanted: dict[int, int]) -> list[tuple[str, int]]:
    """(kind, capacity) of each group: a few Balint groups of 8 to 12 (the first after the big
    ones always, so that the smallest federation has its accreditation group), the federation's
    big groups, and the rest sharing what the professionals' 2 to 4 places each add up to."""
    rng = plan.rng
    slots = sum(wanted.values())
    kinds = []
    for index in range(groups):
        if index < min(BIG_GROUPS, groups // 2):
            kinds.append((Kind.SUPERVISION if index % 2 else Kind.INTERVISION, plan.ctx.n(BIG_GROUP_SIZE, 2)))
        elif rng.random() < 0.12 or index == min(BIG_GROUPS, groups // 2):
            kinds.append((Kind.BALINT, rng.randint(8, 12)))
        else:
            kinds.append((Kind.INTERVISION if rng.random() < 0.65 else Kind.SUPERVISION, 0))
    fixed = sum(size for _k, size in kinds)
    open_groups = [i for i, (_k, size) in enumerate(kinds) if size == 0]
    weights = [rng.lognormvariate(0, 0.6) for _i in open_groups]
    left = max(slots - fixed, 6 * len(open_groups))
    for index, weight in zip(open_groups, weights, strict=True):
        kinds[index] = (kinds[index][0], max(6, round(left * weight / sum(weights))))
    return kinds


def _assign(plan: Plan, kinds: list[tuple[str, int]], wanted: dict[int, int]) -> list[list[int]]:
    """Members of each group: every professional in as many groups as WANTED says, each group
    filled up to its capacity; a Balint group never above its kind's limit."""
    rng = plan.rng
    remaining = [size for _k, size in kinds]
    capped = [policy_for(kind).max_group_size for kind, _s in kinds]
    members: list[list[int]] = [[] for _k in kinds]
    people = list(wanted)
    rng.shuffle(people)
    everyone = range(len(kinds))
    for user_id in people:
        chosen: set[int] = set()
        while len(chosen) < min(wanted[user_id], len(kinds)):
            weights = [max(remaining[g], 0) if g not in chosen else 0 for g in everyone]
            if not any(weights):  # every place taken: any open group not yet theirs
                weights = [
                    1 if g not in chosen and not (capped[g] and len(members[g]) >= capped[g]) else 0
                    for g in everyone
                ]
            if not any(weights):  # a tiny federation, its Balint group full: one group fewer
                break
            group = rng.choices(everyone, weights=weights)[0]
            chosen.add(group)
            remaining[group] -= 1
            members[group].append(user_id)
    return members


def _groups(plan: Plan, bar) -> None:
    ctx, rng = plan.ctx, plan.rng
    wanted = {p[0]: (4 if p[0] in plan.busy else rng.choice([2, 2, 3, 3, 3, 4])) for p in ctx.people}
    kinds = _sizes(plan, ctx.n(GROUPS, 4), wanted)
    names = set()
    for index, ((kind, _size), members) in enumerate(zip(kinds, _assign(plan, kinds, wanted), strict=True)):
        network = ctx.networks[index % len(ctx.networks)]
        coordinator = ctx.coordinators[network][0]
        name = f"{GROUP_LABELS[kind]} {rng.choice(THEMES)} — {plan.person[coordinator][2].split()[-1]}"
        name = name if name not in names else f"{name} {index + 1}"
        names.add(name)
        created = plan.now - timedelta(days=DAYS_BACK + rng.randint(5, 60))
        policy = policy_for(kind)
        # Small groups of a kind with a size limit (Balint) are accreditation groups (GLEM).
        balint = policy.max_group_size is not None
        group = {
            "kind": kind,
            "network_id": network,
            "name": name,
            "description": f"{policy.label} du réseau : « {name.split(' — ')[0]} ».",
            "charter": CHARTER,
            "charter_version": 1,
            "attendance_minimum": 70 if balint else None,
            "cycle_start": (plan.now - timedelta(days=rng.randint(0, 300))).date() if balint else None,
            "accreditation_reference": f"GLEM-{index + 1:04d}" if balint else "",
            "accreditation_points": 2 if balint else None,
            "created_at": created,
        }
        accepted = [position == 0 or rng.random() < 0.95 for position in range(len(members))]
        if balint:
            # The GLEM's rapporteur (FIELD.md): the first member after the facilitator who
            # accepted the charter, as the coordinator may name only such a member.
            group["rapporteur_id"] = next(
                (u for u, ok in zip(members[1:], accepted[1:], strict=True) if ok), members[0]
            )
        group_id = ctx.add(StandingGroup, group)
        for position, user_id in enumerate(members):
            role = (
                Role.FACILITATOR
                if position == 0
                else Role.SUBSTITUTE
                if position == 1 and len(members) > 50
                else Role.MEMBER
            )
            ctx.add(
                GroupMembership,
                {
                    "group_id": group_id,
                    "user_id": user_id,
                    "role": role,
                    "status": MembershipStatus.ACTIVE,
                    "requested_at": created,
                    "decided_at": created,
                    "decided_by_id": coordinator,
                },
            )
            if accepted[position]:
                ctx.add(
                    CharterAcceptance,
                    {"group_id": group_id, "user_id": user_id, "version": 1, "accepted_at": created},
                )
        rule = f"FREQ=MONTHLY;BYDAY=+{rng.randint(1, 4)}{rng.choice(WEEKDAYS)}"
        _series(
            plan,
            bar,
            kind=kind,
            network=network,
            group=group_id,
            title=name,
            rule=rule,
            at=rng.choice(SLOTS),
            organiser=members[0],
            invitees=[
                (u, InvitationRole.FACILITATOR if i == 0 else InvitationRole.PARTICIPANT)
                for i, u in enumerate(members)
            ],
            place=f"Salle de réunion, {rng.choice(['Rue Haute 12', 'Stationsstraat 4', 'Rue du Midi 40'])}",
        )


def _series(
    plan: Plan, bar, *, kind, network, group, title, rule, at, organiser, invitees, place, purpose=""
) -> int:
    """A series from the start of the window to its horizon, its occurrences (a few moved, a few
    cancelled) and its invitations."""
    ctx, rng = plan.ctx, plan.rng
    duration = policy_for(kind).default_duration
    day = plan.first_day + timedelta(days=rng.randint(0, 150))
    dtstart = first_occurrence(rule, local_start(day, at))
    series = {
        "id": ctx.new_id(Series),
        "kind": kind,
        "network_id": network,
        "group_id": group,
        "title": title,
        "purpose": purpose,
        "place": place,
        "organiser_id": organiser,
        "dtstart": dtstart,
        "duration": duration,
        "rrule": rule,
        "uid": plan.uid(),
        "materialised_until": plan.until,
        "created_at": dtstart - timedelta(days=20),
    }
    ctx.add(Series, series)
    series_invitations = []
    for user_id, role in invitees:
        _id, email, name, language, _n = plan.person[user_id]
        partstat = PartStat.ACCEPTED if rng.random() < 0.85 else PartStat.NEEDS_ACTION
        si = {
            "id": ctx.new_id(SeriesInvitation),
            "series_id": series["id"],
            "user_id": user_id,
            "email": email,
            "name": name,
            "language": language,
            "role": role,
            "partstat": partstat,
            "answered_at": series["created_at"] + timedelta(days=2)
            if partstat == PartStat.ACCEPTED
            else None,
            "created_at": series["created_at"],
            "sent_sequence": 0,
        }
        plan.sent(si, {"series": series["id"], "series_invitation": si["id"]})
        ctx.add(SeriesInvitation, si)
        series_invitations.append(si)
    starts = occurrences_between(rule, dtstart, dtstart, plan.until)
    for moment in starts:
        start = moment
        moved = rng.random() < 0.03
        if moved:
            start = moment + timedelta(days=rng.choice([-7, -2, 1, 2, 7]))
        meeting = plan.meeting(
            kind=kind,
            network=network,
            organiser=organiser,
            start=start,
            end=start + duration,
            title=title,
            single=False,
            group_id=group,
            series_id=series["id"],
            recurrence_id=moment,
            uid=series["uid"],
            purpose=purpose,
            place=place,
            created_at=series["created_at"],
        )
        if moved and meeting["status"] != MeetingStatus.CANCELLED:
            meeting["sequence"] += 1
        ctx.add(Meeting, meeting)
        past = meeting["end"] < plan.now
        for si in series_invitations:
            # An occurrence's invitation starts from the series' answer; past sessions had a few
            # people excuse themselves for the day.
            partstat = si["partstat"]
            if past and rng.random() < 0.12:
                partstat = PartStat.DECLINED
            ctx.add(
                Invitation,
                plan.invitation(
                    meeting,
                    si["user_id"],
                    role=si["role"],
                    partstat=partstat,
                    series_invitation_id=si["id"],
                    answered_at=si["answered_at"]
                    if partstat == si["partstat"]
                    else min(meeting["start"], plan.now) - timedelta(days=1),
                ),
            )
        bar.update()
    return len(starts)


def _coordination_series(plan: Plan, bar) -> int:
    count = 0
    for network, people in plan.by_network.items():
        coordinator = plan.ctx.coordinators[network][0]
        others = [u for u in people if u != coordinator]
        size = min(len(others), plan.rng.randint(NETWORK_INVITEES[0] - 1, NETWORK_INVITEES[1] - 1))
        invitees = [(coordinator, InvitationRole.FACILITATOR)] + [
            (u, InvitationRole.PARTICIPANT) for u in plan.rng.sample(others, size)
        ]
        count += _series(
            plan,
            bar,
            kind=Kind.THEMATIC,
            network=network,
            group=None,
            title="Réunion mensuelle de la coordination",
            rule="FREQ=MONTHLY;BYDAY=+2TU",
            at=time(9, 30),
            organiser=coordinator,
            invitees=invitees,
            place="Salle du conseil, Place communale 1",
            purpose="Faire le point sur les situations de quartier, présenter un service, préparer "
            "les actions communes de la coordination.",
        )
    return count


def _single(plan: Plan, kind: str, network: int) -> tuple[int, dict]:
    rng = plan.rng
    day = plan.weekday_between(plan.first_day, (plan.now + timedelta(days=SINGLES_AHEAD_DAYS)).date())
    day_long = policy_for(kind).default_duration >= timedelta(hours=6)  # a day in another service
    start = local_start(day, time(9, 0) if day_long else rng.choice(SLOTS[:5]))
    return start, start + policy_for(kind).default_duration


def _network_meeting(plan: Plan, network: int) -> None:
    ctx, rng = plan.ctx, plan.rng
    people = plan.by_network[network]
    organiser = rng.choice(ctx.coordinators[network])
    start, end = _single(plan, Kind.THEMATIC, network)
    topic = rng.choice(NETWORK_TOPICS)
    meeting = plan.meeting(
        kind=Kind.THEMATIC,
        network=network,
        organiser=organiser,
        start=start,
        end=end,
        title=topic,
        purpose=f"{topic} : échanger entre services et convenir de ce que le réseau peut faire.",
        place="Salle polyvalente, Rue de la Station 20",
    )
    ctx.add(Meeting, meeting)
    others = [u for u in people if u != organiser]
    size = min(len(others), rng.randint(NETWORK_INVITEES[0] - 1, NETWORK_INVITEES[1] - 1))
    invited = rng.sample(others, size)
    busy = [u for u in plan.busy if plan.person[u][4] == network and u not in invited and u != organiser]
    for user_id in busy:  # the busy ones are at many of their network's meetings
        if rng.random() < 0.4 and len(invited) < NETWORK_INVITEES[1] - 1:
            invited.append(user_id)
    presenter = invited[0] if invited else organiser
    plan.invite(meeting, organiser, role=InvitationRole.FACILITATOR)
    for user_id in invited:
        role = (
            InvitationRole.PRESENTER
            if user_id == presenter
            else (InvitationRole.OPTIONAL if rng.random() < 0.05 else InvitationRole.PARTICIPANT)
        )
        plan.invite(meeting, user_id, role=role)
    for position, (title, minutes) in enumerate(rng.sample(AGENDA, rng.randint(2, 4))):
        ctx.add(
            AgendaItem,
            {
                "meeting_id": meeting["id"],
                "position": position,
                "title": title,
                "planned_minutes": minutes,
                "presenter_id": presenter if position == 1 else None,
            },
        )


def _concertation(plan: Plan, network: int, index: int) -> None:
    ctx, rng = plan.ctx, plan.rng
    people = plan.by_network[network]
    organiser = rng.choice(people)
    start, end = _single(plan, Kind.CONCERTATION, network)
    initials = f"{chr(65 + rng.randrange(26))}.{chr(65 + rng.randrange(26))}."
    meeting = plan.meeting(
        kind=Kind.CONCERTATION,
        network=network,
        organiser=organiser,
        start=start,
        end=end,
        title=f"Concertation — {initials} {start:%Y-%m}",
        purpose="Faire le point avec la personne et son réseau, et convenir de qui fait quoi.",
        place=rng.choice(["À domicile", "CPAS, salle 2, Place communale 1", "Maison médicale, Rue Haute 12"]),
    )
    ctx.add(Meeting, meeting)
    size = rng.randint(*CONCERTATION_INVITEES)
    guest = rng.random() < 0.1  # the person concerned, invited by e-mail, without an account
    others = [u for u in people if u != organiser]
    invited = rng.sample(others, min(len(others), size - 1 - guest))
    busy = [u for u in plan.busy if plan.person[u][4] == network and u not in invited and u != organiser]
    if busy and len(invited) + 1 + guest < CONCERTATION_INVITEES[1] and rng.random() < 0.04:
        invited.append(rng.choice(busy))
    plan.invite(meeting, organiser, role=InvitationRole.FACILITATOR)
    for user_id in invited:
        plan.invite(meeting, user_id)
    if guest:
        plan.invite(
            meeting,
            None,
            role=InvitationRole.PERSON_CONCERNED,
            email=f"personne{index}@invite.{DOMAIN}",
            name=initials,
            language="fr",
        )


def _exchange(plan: Plan, network: int) -> None:
    ctx, rng = plan.ctx, plan.rng
    people = plan.by_network[network]
    organiser = rng.choice(people)
    start, end = _single(plan, Kind.EXCHANGE, network)
    meeting = plan.meeting(
        kind=Kind.EXCHANGE,
        network=network,
        organiser=organiser,
        start=start,
        end=end,
        title="« Vis ma vie » : une journée dans un autre service",
        purpose="Passer une journée dans le service pour comprendre comment il accueille et oriente.",
        place="Rue du Midi 40",
    )
    ctx.add(Meeting, meeting)
    plan.invite(meeting, organiser, role=InvitationRole.FACILITATOR)
    others = [u for u in people if u != organiser]
    for user_id in rng.sample(others, min(len(others), rng.randint(1, 2))):
        plan.invite(meeting, user_id)


def seed(ctx: Context) -> None:
    plan = Plan(ctx)
    total = ctx.n(MEETINGS, 50)
    bar = ctx.bar(total, "meetings")
    _groups(plan, bar)
    group_sessions = bar.n
    coordination = _coordination_series(plan, bar)
    singles = max(0, total - group_sessions - coordination)
    network_meetings = min(singles, max(0, ctx.n(NETWORK_MEETINGS) - coordination))
    exchanges = round((singles - network_meetings) * 0.02)
    # Meetings are spread over the networks as their people are.
    weights = [len(plan.by_network[n]) for n in ctx.networks]
    for index in range(singles):
        network = ctx.rng.choices(ctx.networks, weights=weights)[0]
        if index < network_meetings:
            _network_meeting(plan, network)
        elif index < network_meetings + exchanges:
            _exchange(plan, network)
        else:
            _concertation(plan, network, index)
        bar.update()
    bar.close()
    ctx.flush()
    ctx.busy = plan.busy
