"""Outcomes and follow-up actions of the scale data (`seed_scale`): every closed meeting has its
outcome, some held ones too; the kinds that record decisions hand out a few actions, each with
one owner among those who came and a due date, most of the old ones done."""

from datetime import timedelta

from accounts.bulk import Context
from meetings.attendance.models import ATTENDED, Attendance
from meetings.followup.models import Action, ActionStatus, Outcome
from meetings.kinds import policy_for
from meetings.models import Meeting, MeetingStatus

SUMMARIES = [
    "Le groupe a relevé l'importance de prévenir le médecin traitant avant toute sortie.",
    "Chacun·e a présenté ses délais d'accueil ; une fiche commune sera diffusée.",
    "Nous retenons qu'un seul relais par situation évite les doublons.",
    "Le réseau manque d'une permanence le samedi ; piste à explorer avec le CPAS.",
]
THEMES = "Thèmes : la relation avec un patient qui ne vient plus ; la fatigue du soignant."
DECISIONS = ["Diffuser la liste des permanences", "Inviter le service logement à la prochaine séance"]
ACTIONS = [
    "Envoyer la liste des permanences au réseau",
    "Prendre contact avec le service logement",
    "Préparer la présentation du service",
    "Relire la fiche de liaison commune",
    "Proposer une date pour la visite du service",
]


def seed(ctx: Context) -> None:
    rng = ctx.rng
    today = ctx.now.date()
    came: dict[int, list[int]] = {}
    for meeting_id, user_id in (
        Attendance.objects.filter(status__in=ATTENDED, user__isnull=False)
        .values_list("meeting_id", "user_id")
        .iterator(chunk_size=20_000)
    ):
        came.setdefault(meeting_id, []).append(user_id)
    meetings = Meeting.objects.filter(
        status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED], end__lt=ctx.now
    ).values_list("pk", "kind", "status", "end", "organiser_id", "closed_at")
    bar = ctx.bar(meetings.count(), "outcomes")
    for pk, kind, status, end, organiser_id, closed_at in meetings.iterator(chunk_size=20_000):
        bar.update()
        if status != MeetingStatus.CLOSED and rng.random() > 0.3:
            continue
        policy = policy_for(kind)
        recorded = closed_at or end + timedelta(days=1)
        ctx.add(
            Outcome,
            {
                "meeting_id": pk,
                "summary": rng.choice(SUMMARIES) if policy.records_decisions else THEMES,
                "decisions": rng.sample(DECISIONS, rng.randint(0, 2)) if policy.records_decisions else [],
                "recorded_by_id": organiser_id,
                "recorded_at": recorded,
                "updated_at": recorded,
            },
        )
        owners = came.get(pk)
        if not policy.records_decisions or not owners:
            continue
        for _i in range(rng.choice([0, 1, 1, 2, 3])):
            due = (end + timedelta(days=rng.randint(14, 45))).date()
            status = ActionStatus.OPEN
            done_at = None
            if due < today:
                r = rng.random()
                status = (
                    ActionStatus.DONE if r < 0.7 else ActionStatus.DROPPED if r < 0.8 else ActionStatus.OPEN
                )
                if status != ActionStatus.OPEN:
                    done_at = min(end + timedelta(days=rng.randint(3, 40)), ctx.now)
            ctx.add(
                Action,
                {
                    "origin_id": pk,
                    "description": rng.choice(ACTIONS),
                    "owner_id": rng.choice(owners),
                    "due_date": due,
                    "status": status,
                    "drop_reason": "Plus d'actualité" if status == ActionStatus.DROPPED else "",
                    "created_by_id": organiser_id,
                    "created_at": recorded,
                    "closed_at": done_at,
                },
            )
    bar.close()
