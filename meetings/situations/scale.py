"""Situations of the scale data (`seed_scale`): a few hundred people followed by a network, each
around one of the clinical concertations that took place. Its référent organised it; everyone
invited is a member of the person's network, with their discipline, service and secrecy from the
directory, as when a référent adds them."""

from datetime import timedelta

from accounts.bulk import Context
from accounts.models import Professional
from meetings.kinds import around_a_person
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus
from meetings.situations.models import (
    Concertation,
    Member,
    MemberKind,
    Origin,
    Referent,
    Situation,
    SituationStatus,
    StatusChange,
)
from meetings.situations.policies import Template

SITUATIONS = 300
TRIGGERS = [
    "Il ne vient plus à ses rendez-vous et a perdu son logement.",
    "Sa sœur s'inquiète : elle ne sort plus de chez elle.",
    "Retour à domicile après une hospitalisation, sans relais organisé.",
]


def seed(ctx: Context) -> None:
    rng = ctx.rng
    wanted = ctx.n(SITUATIONS, 2)
    held = (
        Meeting.objects.filter(
            kind=around_a_person().kind,
            status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
            situation_link__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "network_id", "organiser_id", "title", "start")
    )
    candidates = list(held[: wanted * 3])
    rng.shuffle(candidates)
    chosen = sorted(candidates[:wanted])
    invitations: dict[int, list[tuple]] = {}
    for row in (
        Invitation.objects.filter(meeting_id__in=[c[0] for c in chosen])
        .order_by("pk")
        .values_list("meeting_id", "user_id", "role", "name", "email")
    ):
        invitations.setdefault(row[0], []).append(row[1:])
    users = {u for rows in invitations.values() for u, *_r in rows if u}
    professionals = {
        p["user_id"]: p
        for p in Professional.objects.filter(user_id__in=users).values(
            "pk", "user_id", "profession", "bound_by_secrecy"
        )
    }
    first_service = {}
    for professional_id, organisation_id in (
        Professional.organisations.through.objects.filter(
            professional_id__in=[p["pk"] for p in professionals.values()]
        )
        .order_by("pk")
        .values_list("professional_id", "organisation_id")
    ):
        first_service.setdefault(professional_id, organisation_id)
    codes = set()
    for meeting_id, network_id, organiser_id, title, start in chosen:
        code = title.split("— ")[-1]
        if (network_id, code) in codes:
            code = f"{code} {len(codes)}"
        codes.add((network_id, code))
        opened = start - timedelta(days=rng.randint(20, 90))
        invited = invitations.get(meeting_id, [])
        requester = next((u for u, *_r in invited if u and u != organiser_id), None)
        situation_id = ctx.add(
            Situation,
            {
                "network_id": network_id,
                "code": code,
                "status": SituationStatus.ACTIVE,
                "origin": Origin.PROFESSIONAL if requester else Origin.NOTICED,
                "requested_by_id": requester,
                "trigger": rng.choice(TRIGGERS),
                "created_by_id": organiser_id,
                "created_at": opened,
            },
        )
        ctx.add(
            StatusChange,
            {
                "situation_id": situation_id,
                "status": SituationStatus.REQUESTED,
                "previous": "",
                "by_id": organiser_id,
                "at": opened,
            },
        )
        ctx.add(
            StatusChange,
            {
                "situation_id": situation_id,
                "status": SituationStatus.ACTIVE,
                "previous": SituationStatus.REQUESTED,
                "by_id": organiser_id,
                "at": opened + timedelta(days=2),
            },
        )
        ctx.add(
            Referent,
            {
                "situation_id": situation_id,
                "user_id": organiser_id,
                "started_by_id": organiser_id,
                "started_at": opened,
            },
        )
        facilitator = None
        person_invited = False
        for user_id, role, name, email in invited:
            row = {
                "situation_id": situation_id,
                "added_by_id": organiser_id,
                "added_at": opened,
                "since": opened.date(),
            }
            if user_id is None:  # the person concerned, invited by e-mail
                person_invited = True
                row.update(kind=MemberKind.PERSON, name=name, email=email)
            else:
                professional = professionals.get(user_id)
                row.update(
                    kind=MemberKind.PROFESSIONAL,
                    user_id=user_id,
                    profession=professional["profession"] if professional else "",
                    bound_by_secrecy=bool(professional and professional["bound_by_secrecy"]),
                    organisation_id=first_service.get(professional["pk"]) if professional else None,
                    role="Référent·e" if user_id == organiser_id else "",
                )
            member_id = ctx.add(Member, row)
            if user_id == organiser_id and role == InvitationRole.FACILITATOR:
                facilitator = member_id
        if not person_invited:
            ctx.add(
                Member,
                {
                    "situation_id": situation_id,
                    "kind": MemberKind.PERSON,
                    "name": code.split()[0],
                    "added_by_id": organiser_id,
                    "added_at": opened,
                    "since": opened.date(),
                },
            )
        ctx.add(
            Concertation,
            {
                "situation_id": situation_id,
                "meeting_id": meeting_id,
                "template": rng.choice(Template.values),
                "facilitator_id": facilitator,
                "person_not_invited_reason": ""
                if person_invited
                else "Elle préfère qu'on passe la voir après.",
                "accepted_warnings": [],
                "created_by_id": organiser_id,
                "created_at": opened,
            },
        )
