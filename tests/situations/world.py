"""A situation with every role its rules tell apart.

Network "Réseau Midi" (coordinator, not a member of the situation). Situation "R.T. 2026-09",
active, opened by `referent` (a social worker, bound by secrecy). Its network: `gp` (a GP, through
the gate), `psychologist` (through the gate), `nurse` (through the gate), `no_secrecy` (a housing
agent not bound by professional secrecy), `excluded` (a psychiatrist the person refused, named in
the agreement), `relative` (the person's sister, with an account), `former` (a professional whose
period ended), `uncovered` (a professional added after the agreement), the person (no account),
and `requester` (a professional outside it who asked for the coordination). `outsider` works in the
network but is in no situation; `superuser` administers the site.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Profession
from meetings.situations.models import MemberKind, Situation, SituationStatus
from meetings.situations.services import consent as consent_services
from meetings.situations.services import members as member_services
from meetings.situations.services import notes as note_services
from meetings.situations.services import situations as situation_services
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory

CODE = "R.T. 2026-09"
NOTE_TEXT = "Le traitement de substitution est stabilisé depuis trois semaines."
RELATIVE_NOTE_TEXT = "La prochaine visite à domicile est prévue jeudi matin."
SHARED_CONTENT = "Le suivi social et le traitement, pas l'histoire familiale."
ROLES = [
    "anonymous",
    "outsider",
    "relative",
    "no_secrecy",
    "excluded",
    "professional",
    "referent",
    "coordinator",
    "superuser",
]


@dataclass
class SituationWorld:
    users: dict
    network: object
    situation: Situation
    members: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)


def _professional(organisation, email, profession, *, secrecy=True, **names):
    user = UserFactory(email=email, **names)
    ProfessionalFactory(
        user=user, organisations=[organisation], profession=profession, bound_by_secrecy=secrecy
    )
    return user


def build_situation_world() -> SituationWorld:
    today = timezone.localdate()
    coordinator = UserFactory(email="coordination@midi.test", first_name="Chloé", last_name="Coordination")
    organisation = OrganisationFactory(name="Maison médicale du Midi", kind="medical_house")
    network = NetworkFactory(name="Réseau Midi", coordinators=[coordinator], organisations=[organisation])
    P = Profession
    users = {
        "coordinator": coordinator,
        "referent": _professional(
            organisation, "referente@midi.test", P.SOCIAL_WORKER, first_name="Rita", last_name="Renard"
        ),
        "professional": _professional(
            organisation, "gp@midi.test", P.GP, first_name="Gilles", last_name="Petit"
        ),
        "psychologist": _professional(
            organisation, "psy@midi.test", P.PSYCHOLOGIST, first_name="Paula", last_name="Sy"
        ),
        "nurse": _professional(
            organisation, "nurse@midi.test", P.NURSE, first_name="Nina", last_name="Soins"
        ),
        "no_secrecy": _professional(
            organisation, "logement@midi.test", P.OTHER, secrecy=False, first_name="Louis", last_name="Logis"
        ),
        "excluded": _professional(
            organisation, "psychiatre@midi.test", P.PSYCHIATRIST, first_name="Xavier", last_name="Lemaire"
        ),
        "former": _professional(
            organisation, "ancien@midi.test", P.EDUCATOR, first_name="Ali", last_name="Ancien"
        ),
        "uncovered": _professional(
            organisation, "nouveau@midi.test", P.EDUCATOR, first_name="Noé", last_name="Neuf"
        ),
        "requester": _professional(
            organisation, "demande@midi.test", P.NURSE, first_name="Dora", last_name="Demande"
        ),
        "outsider": _professional(
            organisation, "externe@midi.test", P.SOCIAL_WORKER, first_name="Omar", last_name="Hors"
        ),
        "relative": UserFactory(email="soeur@midi.test", first_name="Sarah", last_name="Proche"),
        "superuser": UserFactory(
            email="admin@midi.test", first_name="Adèle", last_name="Admin", is_superuser=True, is_staff=True
        ),
    }
    referent = users["referent"]
    situation = situation_services.situation_create(
        network=network,
        code=CODE,
        origin="professional",
        by=referent,
        requested_by=users["requester"],
        trigger="Expulsion annoncée du logement.",
    )
    members = {"referent": situation.members.get(user=referent)}

    def add(name, kind=MemberKind.PROFESSIONAL, **fields):
        members[name] = member_services.member_add(
            situation=situation,
            by=referent,
            kind=kind,
            user=users.get(name),
            since=today - timedelta(days=60),
            **fields,
        )

    add("professional", role="Médecin traitant")
    add("psychologist", role="Suivi psychologique")
    add("nurse", role="Soins à domicile")
    add("no_secrecy", role="Agent de logement")
    add("excluded", role="Ancien psychiatre")
    add("relative", kind=MemberKind.RELATIVE, relation="sœur")
    add("former", role="Éducateur de rue")
    members["former"].until = today - timedelta(days=10)
    members["former"].save(update_fields=["until"])
    members["person"] = member_services.member_add(
        situation=situation,
        by=referent,
        kind=MemberKind.PERSON,
        name="La personne",
        email="personne@midi.test",
    )
    consent_services.consent_record(
        situation=situation,
        by=referent,
        given_on=today - timedelta(days=30),
        shared_content=SHARED_CONTENT,
        covered_members=[
            members[n]
            for n in ("referent", "professional", "psychologist", "nurse", "no_secrecy", "relative", "former")
        ],
        exclusions=[consent_services.Exclusion(name="Dr Lemaire")],
    )
    # Added after the agreement: in the network, not (yet) covered by it.
    add("uncovered", role="Éducateur de rue (relais)")
    situation_services.status_change(situation=situation, status=SituationStatus.ACTIVE, by=referent)
    notes = {
        "professional": note_services.note_create(
            situation=situation, author=users["professional"], purpose="Adapter la visite.", text=NOTE_TEXT
        ),
        "relatives": note_services.note_create(
            situation=situation,
            author=referent,
            purpose="Que la sœur sache quand passer.",
            text=RELATIVE_NOTE_TEXT,
            for_relatives=True,
        ),
    }
    situation.refresh_from_db()
    return SituationWorld(users=users, network=network, situation=situation, members=members, notes=notes)


def held_concertation(sworld: SituationWorld, *, template: str = "network", days_ago: int = 3):
    """A concertation of the situation that took place DAYS_AGO days ago (no one invited)."""
    from datetime import time

    from meetings.kinds import around_a_person
    from meetings.models import MeetingStatus
    from meetings.recurrence import local_start
    from meetings.services.meetings import meeting_create
    from meetings.situations.models import Concertation

    start = local_start(timezone.localdate() - timedelta(days=days_ago), time(14, 0))
    meeting = meeting_create(
        network=sworld.network,
        kind=around_a_person().kind,
        title="Concertation",
        start=start,
        end=start + timedelta(hours=1),
        organiser=sworld.users["referent"],
        purpose="Point",
        place="Ici",
    )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return Concertation.objects.create(
        situation=sworld.situation, meeting=meeting, template=template, created_by=sworld.users["referent"]
    )


def deliver_pending() -> None:
    """Send what the world's setup queued (its transaction never commits in a test), then forget
    it, so that a test sees only the e-mails its own action sends."""
    from django.core import mail

    from outbox import services as outbox
    from outbox.models import OutboxMessage, OutboxStatus

    for pk in OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).values_list("pk", flat=True):
        outbox.deliver(pk)
    mail.outbox.clear()


def fresh(situation: Situation) -> Situation:
    """The situation read again, without the rules' per-request caches."""
    return Situation.objects.get(pk=situation.pk)


__all__ = [
    "CODE",
    "ROLES",
    "SituationWorld",
    "build_situation_world",
    "date",
    "deliver_pending",
    "fresh",
    "held_concertation",
]
