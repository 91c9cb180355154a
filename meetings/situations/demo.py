"""A demo situation: "M.B. 2026-07", a man followed by several services, coordinated by a CPAS
social worker with his agreement. His network holds the demo GP (medecin@), the demo facilitator
as neutral facilitator (animateur@), the street team, the home nurse and his sister, who has an
account (proche@). One concertation took place a month ago; its report set two goals and the
plan has two open actions. externe@ is in no situation. He refused his former psychiatrist."""

from datetime import time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Network, User
from meetings.demo import people
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from meetings.situations.models import Concertation, MemberKind, Situation, SituationStatus
from meetings.situations.policies import Template, policy_for
from meetings.situations.services import consent as consent_services
from meetings.situations.services import members as member_services
from meetings.situations.services import notes as note_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services import situations as situation_services

DEMO_CODE = "M.B. 2026-07"
RELATIVE = "proche"


def relative_account() -> User:
    email = demo_email(RELATIVE)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name="Samira", last_name="B."
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    return user


@transaction.atomic
def seed(network: Network) -> None:
    if Situation.objects.filter(network=network, code=DEMO_CODE).exists():
        return
    referent, medecin, animateur, karim, ioana, hilde = people(
        ["sophie.lambert", "medecin", "animateur", "karim.benali", "ioana.popescu", "hilde.maes"]
    )
    sister = relative_account()
    today = timezone.localdate()
    situation = situation_services.situation_create(
        network=network,
        code=DEMO_CODE,
        origin="professional",
        by=referent,
        requested_by=karim,
        requester_description="L'équipe de rue du Passage",
        trigger="Il ne vient plus à la distribution et a perdu son logement.",
        role="Référente, assistante sociale du CPAS",
    )
    since = today - timedelta(days=130)

    def add(user, **fields):
        return member_services.member_add(situation=situation, by=referent, user=user, since=since, **fields)

    members = {
        "medecin": add(medecin, kind=MemberKind.PROFESSIONAL, role="Médecin traitant"),
        "animateur": add(
            animateur,
            kind=MemberKind.PROFESSIONAL,
            role="Animation neutre des concertations",
            clinical_role=False,
        ),
        "karim": add(karim, kind=MemberKind.PROFESSIONAL, role="Équipe de rue", privileged_contact=True),
        "ioana": add(ioana, kind=MemberKind.PROFESSIONAL, role="Soins infirmiers à domicile"),
        "hilde": add(
            hilde, kind=MemberKind.PROFESSIONAL, role="Accompagnement logement", bound_by_secrecy=True
        ),
        "sister": add(sister, kind=MemberKind.RELATIVE, relation="sa sœur"),
        "person": member_services.member_add(
            situation=situation, by=referent, kind=MemberKind.PERSON, name="M.B.", since=since
        ),
    }
    referent_member = situation.members.get(user=referent)
    consent_services.consent_record(
        situation=situation,
        by=referent,
        given_on=today - timedelta(days=120),
        shared_content="Le suivi médical et social, la recherche de logement ; pas son histoire familiale.",
        covered_members=[
            referent_member,
            *(members[k] for k in ("medecin", "animateur", "karim", "ioana", "hilde", "sister")),
        ],
        relatives_limits=(
            "Sa sœur est informée des rendez-vous et de ce qu'elle peut faire, pas du suivi médical."
        ),
        exclusions=[consent_services.Exclusion(name="Dr Lemaire")],
    )
    situation_services.status_change(situation=situation, status=SituationStatus.ACTIVE, by=referent)
    note_services.note_create(
        situation=situation,
        author=medecin,
        purpose="Que l'infirmière adapte ses passages.",
        text="Traitement de substitution stabilisé ; il oublie ses rendez-vous du matin.",
    )
    note_services.note_create(
        situation=situation,
        author=referent,
        purpose="Que sa sœur sache quand passer.",
        text="Rendez-vous au CPAS le mardi à 10 h, tous les quinze jours.",
        for_relatives=True,
    )
    concertation = _past_concertation(situation, referent, members, today)
    plan_services.report_save(
        concertation=concertation,
        by=referent,
        participants=[
            referent_member,
            *(members[k] for k in ("medecin", "animateur", "karim", "ioana", "sister")),
        ],
        needs="Un logement stable ; des soins réguliers ; garder le lien avec l'équipe de rue.",
        next_review=today + timedelta(days=60),
        goals=["Retrouver un logement", "Suivre le traitement sans interruption"],
        actions=[
            plan_services.NewAction(
                description="Introduire la demande de logement de transit",
                owner=members["hilde"],
                due_date=today + timedelta(days=14),
                revision_date=today + timedelta(days=30),
                goal="Retrouver un logement",
            ),
            plan_services.NewAction(
                description="L'accompagner au rendez-vous de la maison médicale",
                owner=members["sister"],
                due_date=today + timedelta(days=7),
                goal="Suivre le traitement sans interruption",
            ),
        ],
    )


def _past_concertation(situation, referent, members, today) -> Concertation:
    """A concertation held a month ago (invitations recorded as answered: no e-mail goes out)."""
    day = today - timedelta(days=30)
    meeting = meeting_create(
        network=situation.network,
        kind=Kind.CONCERTATION,
        title=str(policy_for(Template.HOME_CARE).label),
        start=local_start(day, time(14, 0)),
        end=local_start(day, time(15, 0)),
        organiser=referent,
        purpose="Faire le point avec lui et son réseau après la perte du logement.",
        place="CPAS d'Anderlecht, Avenue de l'Aviation 70, 1070 Anderlecht",
    )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    roles = {"animateur": InvitationRole.FACILITATOR, "sister": InvitationRole.RELATIVE}
    for key in ("medecin", "animateur", "karim", "ioana", "sister"):
        user = members[key].user
        Invitation.objects.create(
            meeting=meeting,
            user=user,
            email=user.email,
            name=user.get_full_name(),
            role=roles.get(key, InvitationRole.PARTICIPANT),
            partstat=PartStat.ACCEPTED,
        )
    return Concertation.objects.create(
        situation=situation,
        meeting=meeting,
        template=Template.HOME_CARE,
        facilitator=members["animateur"],
        person_not_invited_reason="Il préfère qu'on passe le voir après ; sa sœur le représente.",
        created_by=referent,
    )
