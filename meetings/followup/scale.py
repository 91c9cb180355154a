"""Outcomes and follow-up actions of the scale data (`seed_scale`): every closed meeting has its
outcome, some held ones too; the kinds that record decisions hand out a few actions, each with
one owner among those who came and a due date, most of the old ones done.

Around them, what the services left behind: closing a meeting asked everyone who came whether it
was useful (a sent feedback request each, as meeting_close queues them) and a quarter answered
(a comment only where the retention keeps it); each action's owner was reminded two days before
it was due, unless it was closed by then (the reminder marked on the action, its e-mail sent);
and the outcome of a confidential meeting was read on its page by some of those who came, each
read a line in the access log.
"""

from datetime import time, timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from accounts.bulk import Context
from meetings.attendance.models import ATTENDED, Attendance
from meetings.followup.models import Action, ActionStatus, Feedback, Outcome
from meetings.followup.services.outcomes import respondent_key
from meetings.followup.services.reminders import ACTION_REMINDER_BEFORE
from meetings.kinds import policy_for
from meetings.models import Meeting, MeetingStatus, MessageKind
from meetings.recurrence import local_start

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
FEEDBACK_ANSWERED = 0.25
SCORES = [(5, 30), (4, 40), (3, 20), (2, 7), (1, 3)]
COMMENTS = [
    "Utile : on repart avec des contacts concrets.",
    "Trop long, mais le tour de table a permis de clarifier qui fait quoi.",
    "Merci pour la préparation, les documents envoyés la veille ont aidé.",
    "J'aurais aimé plus de temps pour les situations de quartier.",
]
OUTCOME_READ = 0.3  # of those who came, who open a confidential meeting's page once it is written


def _meeting_path() -> str:
    """The path the meeting page's panel logs, as a format: reversing it per read costs seconds."""
    marker = 999_999_999
    return reverse("meetings:meeting", args=[marker]).replace(str(marker), "{}")


def _feedback(ctx: Context, pk: int, closed_at, comments_kept: bool, owners: list[int]) -> None:
    """The requests meeting_close sent to everyone who came, and the answers given to them."""
    rng = ctx.rng
    meeting = SimpleNamespace(pk=pk)  # respondent_key reads only the ids (a model costs 50 µs)
    for user_id in owners:
        ctx.sent(
            kind=MessageKind.FEEDBACK,
            user_id=user_id,
            at=closed_at,
            dedupe_key=f"feedback:{pk}:{user_id}",
            meeting=pk,
        )
        if rng.random() < FEEDBACK_ANSWERED:
            ctx.add(
                Feedback,
                {
                    "meeting_id": pk,
                    "respondent": respondent_key(meeting, SimpleNamespace(pk=user_id)),
                    "score": rng.choices([s for s, _w in SCORES], weights=[w for _s, w in SCORES])[0],
                    "comment": rng.choice(COMMENTS) if comments_kept and rng.random() < 0.3 else "",
                },
            )


def _action(ctx: Context, *, pk: int, end, recorded, owners: list[int], organiser_id: int) -> None:
    rng, today = ctx.rng, ctx.now.date()
    due = (end + timedelta(days=rng.randint(14, 45))).date()
    status = ActionStatus.OPEN
    done_at = None
    if due < today:
        r = rng.random()
        status = ActionStatus.DONE if r < 0.7 else ActionStatus.DROPPED if r < 0.8 else ActionStatus.OPEN
        if status != ActionStatus.OPEN:
            done_at = min(end + timedelta(days=rng.randint(3, 40)), ctx.now)
    owner = rng.choice(owners)
    # send_action_reminders (hourly) reminds from two days before the due date, once.
    reminded = local_start(due - ACTION_REMINDER_BEFORE, time(0, 5))
    if reminded > ctx.now or (done_at is not None and done_at <= reminded):
        reminded = None
    action_id = ctx.add(
        Action,
        {
            "origin_id": pk,
            "description": rng.choice(ACTIONS),
            "owner_id": owner,
            "due_date": due,
            "status": status,
            "drop_reason": "Plus d'actualité" if status == ActionStatus.DROPPED else "",
            "created_by_id": organiser_id,
            "created_at": recorded,
            "closed_at": done_at,
            "reminder_sent_at": reminded,
        },
    )
    if reminded is not None:
        ctx.sent(
            kind=MessageKind.ACTION_REMINDER,
            user_id=owner,
            at=reminded,
            dedupe_key=f"action-reminder:{action_id}:{due.isoformat()}",
            action=action_id,
            meeting=pk,
        )


def seed(ctx: Context) -> None:
    rng = ctx.rng
    meeting_path = _meeting_path()
    comments_since = ctx.now - relativedelta(months=settings.FEEDBACK_COMMENT_RETENTION_MONTHS)
    came: dict[int, list[int]] = {}
    for meeting_id, user_id in (
        Attendance.objects.filter(status__in=ATTENDED, user__isnull=False)
        .order_by("pk")
        .values_list("meeting_id", "user_id")
        .iterator(chunk_size=20_000)
    ):
        came.setdefault(meeting_id, []).append(user_id)
    meetings = (
        Meeting.objects.filter(status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED], end__lt=ctx.now)
        .order_by("pk")
        .values_list("pk", "kind", "status", "end", "organiser_id", "closed_at")
    )
    bar = ctx.bar(meetings.count(), "outcomes")
    for pk, kind, status, end, organiser_id, closed_at in meetings.iterator(chunk_size=20_000):
        bar.update()
        owners = came.get(pk, [])
        if status == MeetingStatus.CLOSED and owners:
            _feedback(ctx, pk, closed_at, end >= comments_since, owners)
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
        if policy.is_confidential:
            for user_id in owners:
                if rng.random() < OUTCOME_READ:
                    ctx.read(
                        reader_id=user_id,
                        subject=f"meeting:{pk}",
                        item="outcome",
                        item_id=pk,
                        path=meeting_path.format(pk),
                        at=recorded + timedelta(hours=rng.randint(1, 24 * 20)),
                    )
        if not policy.records_decisions or not owners:
            continue
        for _i in range(rng.choice([0, 1, 1, 2, 3])):
            _action(ctx, pk=pk, end=end, recorded=recorded, owners=owners, organiser_id=organiser_id)
    bar.close()
