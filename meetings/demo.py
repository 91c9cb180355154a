"""Demo groups and series for the demo network, added by `seed_demo`.

`seed()` is the core's step of the demo (meetings/apps.py names it); each part is idempotent
(a group that exists is left as it is). Sessions start six months back so the demo has a past
and a future, and one session is under way when `seed_demo` runs: its facilitator
(animateur@…) finds its roll call open on the home page.
"""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Network, User
from meetings.kinds import Kind
from meetings.models import MeetingStatus, StandingGroup
from meetings.recurrence import first_occurrence, local_start
from meetings.services.groups import charter_accept, group_create
from meetings.services.meetings import meeting_create
from meetings.services.series import series_create

CHARTER = (
    "Ce qui est dit dans le groupe reste dans le groupe.\n"
    "Les situations sont évoquées sans nom ni détail permettant d'identifier la personne.\n"
    "Chacun·e parle en son nom, écoute sans juger et respecte le secret professionnel partagé."
)
INTERVISION = "Intervision du jeudi"
BALINT = "Groupe Balint du mardi soir"

GROUPS = [
    {
        "name": INTERVISION,
        "kind": Kind.INTERVISION,
        "description": "Des situations complexes apportées par les membres, sous forme de vignettes "
        "anonymisées. Un jeudi par mois, sur le temps de midi.",
        "facilitator": "animateur",
        "members": [
            "medecin",
            "sophie.lambert",
            "karim.benali",
            "els.peeters",
            "fatima.ouali",
            "aicha.diallo",
            "marc.janssens",
            "ioana.popescu",
        ],
        "not_accepted": ["sophie.lambert"],
        "rule": "FREQ=MONTHLY;BYDAY=+3TH",
        "start": time(12, 30),
        "minutes": 90,
        "place": "Maison médicale du Peterbos, salle de réunion, Parc du Peterbos 3, 1070 Anderlecht",
    },
    {
        "name": BALINT,
        "kind": Kind.BALINT,
        "description": "Groupe Balint de médecins généralistes et de soignants : la relation "
        "soignant-patient, à l'oral. Un mardi sur deux.",
        "facilitator": "animateur",
        "members": [
            "thomas.renard",
            "bart.claes",
            "david.vermeulen",
            "anna.kowalska",
            "emine.demir",
            "sarah.cohen",
            "leila.haddad",
            "magdalena.nowak",
            "julie.leroy",
            "fatima.ouali",
        ],
        "not_accepted": [],
        "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "start": time(20, 0),
        "minutes": 90,
        "place": "Service de santé mentale Les Tilleuls, Rue du Chapelain 12, 1070 Anderlecht",
    },
    {
        "name": "Supervision de l'équipe bas seuil",
        "kind": Kind.SUPERVISION,
        "description": "Supervision mensuelle de l'équipe du Passage par un psychiatre extérieur.",
        "facilitator": "jean.mukendi",
        "members": ["karim.benali", "grace.kabila", "rachid.tahiri", "youssef.amrani"],
        "not_accepted": [],
        "rule": "FREQ=MONTHLY;BYDAY=+1MO",
        "start": time(9, 30),
        "minutes": 120,
        "place": "Antenne bas seuil Le Passage, Rue Brogniez 41, 1070 Anderlecht",
    },
]

THEMATIC_TITLE = "Réunion mensuelle de la coordination"
UNDER_WAY_TITLE = "Intervision du jeudi — séance supplémentaire"
# Started half an hour before `seed_demo` runs, for 90 minutes: its roll call is open (from a
# quarter of an hour before the start until 7 days after the end) whenever the demo is tried.
UNDER_WAY_STARTED = timedelta(minutes=30)
UNDER_WAY_LENGTH = timedelta(minutes=90)


def six_months_ago() -> date:
    today = timezone.localdate()
    return (today.replace(day=1) - timedelta(days=180)).replace(day=1)


def people(names: list[str]) -> list[User]:
    by_email = {u.email: u for u in User.objects.filter(email__in=[demo_email(n) for n in names])}
    return [by_email[demo_email(n)] for n in names]


def mark_past_sessions_held(series) -> None:
    series.occurrences.filter(end__lt=timezone.now(), status=MeetingStatus.SCHEDULED).update(
        status=MeetingStatus.HELD
    )


@transaction.atomic
def seed_groups(network: Network) -> None:
    coordinator = people(["coordinatrice"])[0]
    for spec in GROUPS:
        if StandingGroup.objects.filter(network=network, name=spec["name"]).exists():
            continue
        facilitator = people([spec["facilitator"]])[0]
        members = people(spec["members"])
        group = group_create(
            network=network,
            kind=spec["kind"],
            name=spec["name"],
            description=spec["description"],
            facilitators=[facilitator],
            charter=CHARTER,
            members=members,
            by=coordinator,
        )
        for member in members:
            if member.email not in {demo_email(n) for n in spec["not_accepted"]}:
                charter_accept(group=group, user=member)
        series = series_create(
            network=network,
            kind=spec["kind"],
            group=group,
            title=spec["name"],
            dtstart=first_occurrence(spec["rule"], local_start(six_months_ago(), spec["start"])),
            duration=timedelta(minutes=spec["minutes"]),
            rrule=spec["rule"],
            organiser=facilitator,
            place=spec["place"],
        )
        mark_past_sessions_held(series)


@transaction.atomic
def seed_thematic(network: Network) -> None:
    if network.series.filter(title=THEMATIC_TITLE).exists():
        return
    series = series_create(
        network=network,
        kind=Kind.THEMATIC,
        title=THEMATIC_TITLE,
        purpose="Faire le point sur les situations de quartier, présenter un service, "
        "préparer les actions communes de la coordination.",
        dtstart=first_occurrence("FREQ=MONTHLY;BYDAY=+2TU", local_start(six_months_ago(), time(9, 30))),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+2TU",
        organiser=people(["coordinatrice"])[0],
        place="CPAS d'Anderlecht, salle du conseil, Avenue de l'Aviation 70, 1070 Anderlecht",
    )
    mark_past_sessions_held(series)


@transaction.atomic
def seed_session_under_way(network: Network) -> None:
    """An extra intervision session under way. Run again while it is under way, nothing changes;
    run on a demo whose extra session is over, a new one is added."""
    group = network.groups.filter(name=INTERVISION).first()
    if group is None:
        return
    now = timezone.now()
    if group.meetings.filter(title=UNDER_WAY_TITLE, start__lte=now, end__gt=now).exists():
        return
    # On the quarter hour, as people set them.
    start = (now - UNDER_WAY_STARTED).replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 15)
    meeting_create(
        network=network,
        kind=group.kind,
        group=group,
        title=UNDER_WAY_TITLE,
        purpose="Une séance de plus pour les deux situations que le groupe n'a pas pu voir jeudi.",
        start=start,
        end=start + UNDER_WAY_LENGTH,
        organiser=people(["animateur"])[0],
        place=GROUPS[0]["place"],
    )


def seed(network: Network) -> None:
    seed_groups(network)
    seed_thematic(network)
    seed_session_under_way(network)
