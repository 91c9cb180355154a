"""Demo attendance, outcomes, follow-up actions and feedback on the demo groups' past sessions.

Idempotent: a group whose sessions already have attendance is left as it is. Meetings are closed
by a direct update rather than through meeting_close(), which would e-mail every demo person.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Network
from meetings.attendance.models import ATTENDED, Attendance, AttendanceStatus
from meetings.attendance.services import roll_call as att
from meetings.demo import BALINT, INTERVISION, people, six_months_ago
from meetings.followup.models import ActionStatus
from meetings.followup.services import outcomes as out
from meetings.models import Meeting, MeetingStatus, StandingGroup

INTERVISION_OUTCOMES = [
    (
        "Face à un refus de soins répété, le groupe retient l'importance de garder le lien sans "
        "forcer : proposer, revenir, et nommer ce qui inquiète.",
        ["Inviter l'équipe mobile à la prochaine séance", "Tester la fiche de liaison commune"],
    ),
    (
        "Nous retenons que les sorties d'hospitalisation se préparent avec le médecin traitant dès "
        "l'admission ; la fiche de liaison aide quand elle est remplie par les deux services.",
        ["Diffuser la fiche de liaison aux maisons médicales du réseau"],
    ),
    (
        "Le groupe a travaillé la place des proches quand la personne refuse qu'on les contacte : "
        "respecter le refus, soutenir le proche par un autre canal.",
        [],
    ),
]
BALINT_THEMES = [
    "Le médecin face à la colère d'un patient ; la fatigue de fin de journée.",
    "Ce que suscite un patient qui ne revient pas ; la juste distance.",
    "Quand le soignant se sent impuissant ; le besoin d'être utile.",
    "La relation avec un patient très demandeur ; poser des limites.",
]


def past_sessions(group: StandingGroup) -> list[Meeting]:
    sessions = group.meetings.filter(end__lt=timezone.now()).exclude(status=MeetingStatus.CANCELLED)
    return list(sessions.order_by("start"))


def take_roll_call(meeting: Meeting, facilitator, absent: set[str], late: dict[str, int]) -> None:
    marks = {}
    for row in att.roll_call(meeting):
        email = row.user.email if row.user else ""
        if email in absent:
            marks[row.key] = att.Mark(AttendanceStatus.EXCUSED if len(marks) % 2 else AttendanceStatus.ABSENT)
        elif email in late:
            marks[row.key] = att.Mark(AttendanceStatus.LATE, late[email])
        else:
            marks[row.key] = att.Mark(AttendanceStatus.PRESENT)
    att.record_roll_call(meeting=meeting, by=facilitator, marks=marks, now=meeting.end + timedelta(hours=1))


def close_quietly(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED, closed_at=meeting.end + timedelta(days=1)
    )


def seed_intervision(group: StandingGroup) -> None:
    group.accreditation_reference = "Accréditation SSMG — intervision (2026-I-014)"
    group.accreditation_points = Decimal("1.50")
    group.save()
    medecin, animateur = people(["medecin", "animateur"])
    facilitator = animateur
    sessions = past_sessions(group)
    today = timezone.localdate()
    actions_by_session = [
        [
            out.NewAction(
                "Envoyer au groupe la fiche de liaison corrigée", medecin, today - timedelta(days=40)
            ),
            out.NewAction(
                "Contacter l'équipe mobile pour la séance suivante", animateur, today - timedelta(days=35)
            ),
        ],
        [
            out.NewAction(
                "Relire la fiche de liaison avec la maison médicale", medecin, today - timedelta(days=9)
            ),
            out.NewAction(
                "Préparer un modèle de vignette pour les nouveaux membres",
                animateur,
                today - timedelta(days=3),
            ),
        ],
        [
            out.NewAction(
                "Présenter la fiche de liaison à l'équipe du CPAS", medecin, today + timedelta(days=5)
            ),
            out.NewAction("Proposer une date de rencontre avec le SSM", animateur, today + timedelta(days=1)),
            out.NewAction("Faire le point sur les demandes d'adhésion", medecin, today + timedelta(days=18)),
        ],
    ]
    # The last three sessions handed out actions; older ones' actions are long done.
    actions_by_session = [[]] * (len(sessions) - len(actions_by_session)) + actions_by_session
    for index, session in enumerate(sessions):
        absent = {demo_email("ioana.popescu")} if index % 3 == 1 else set()
        late = {demo_email("medecin"): 10} if index == len(sessions) - 1 else {}
        take_roll_call(session, facilitator, absent, late)
        summary, decisions = INTERVISION_OUTCOMES[index % len(INTERVISION_OUTCOMES)]
        out.outcome_record(
            meeting=session,
            by=facilitator,
            summary=summary,
            decisions=decisions,
            actions=actions_by_session[index],
            now=session.end + timedelta(hours=1),
        )
    done = sessions[-3]
    done.actions.update(status=ActionStatus.DONE, closed_at=done.end + timedelta(days=20))
    # The last session is left for the facilitator to close.
    for session in sessions[:-1]:
        close_quietly(session)
        give_feedback(session, [5, 4, 4, 3], ["Des pistes concrètes pour lundi.", ""])


def seed_balint(group: StandingGroup) -> None:
    group.attendance_minimum = 70
    group.cycle_start = six_months_ago()
    group.accreditation_reference = "Accréditation INAMI — groupe Balint (dossier 2026-B-117)"
    group.accreditation_points = Decimal("2.00")
    group.save()
    facilitator = group.meetings.first().organiser
    sessions = past_sessions(group)
    for index, session in enumerate(sessions):
        # One member comes rarely: the facilitator sees her under the group's minimum.
        absent = {demo_email("magdalena.nowak")} if index % 3 else set()
        if index == 4:
            absent.add(demo_email("bart.claes"))
        take_roll_call(session, facilitator, absent, {})
        out.outcome_record(
            meeting=session,
            by=facilitator,
            summary=BALINT_THEMES[index % len(BALINT_THEMES)],
            now=session.end + timedelta(hours=1),
        )
        close_quietly(session)


def give_feedback(meeting: Meeting, scores: list[int], comments: list[str]) -> None:
    attendees = Attendance.objects.filter(meeting=meeting, status__in=list(ATTENDED), user__isnull=False)
    for index, attendance in enumerate(attendees.select_related("user")[: len(scores)]):
        out.feedback_give(
            meeting=meeting,
            user=attendance.user,
            score=scores[index],
            comment=comments[index] if index < len(comments) else "",
        )


def seed_other_outcomes(network: Network, groups: list[StandingGroup]) -> None:
    """Past sessions of the other series get a short outcome and are closed, so that the demo's
    "Réunions à clôturer" shows only what a facilitator would really have left."""
    others = (
        Meeting.objects.filter(network=network, end__lt=timezone.now(), status=MeetingStatus.HELD)
        .exclude(group__in=groups)
        .select_related("organiser")
    )
    for meeting in others:
        out.outcome_record(
            meeting=meeting,
            by=meeting.organiser,
            summary="Tour de table des services et points d'attention du mois.",
            now=meeting.end + timedelta(hours=1),
        )
        close_quietly(meeting)


@transaction.atomic
def seed(network: Network) -> None:
    intervision = network.groups.filter(name=INTERVISION).first()
    balint = network.groups.filter(name=BALINT).first()
    if intervision is None or balint is None or Attendance.objects.filter(meeting__network=network).exists():
        return
    for group in (intervision, balint):
        # Members joined when the demo's history starts, so the attendance rule counts them fairly.
        group.memberships.update(
            decided_at=group.meetings.order_by("start").first().start - timedelta(days=7)
        )
    seed_intervision(intervision)
    seed_balint(balint)
    seed_other_outcomes(network, [intervision, balint])
