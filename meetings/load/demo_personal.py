"""Demo data for meeting load: Claire's year of meetings.

seed_personal: Claire (`medecin@…`, a full-time GP, budget 8 h) has a year of meetings of every
kind she takes part in — network meetings, clinical concertations, a "vis ma vie" day, her
intervision group (whose roll calls follow-up's demo step took) — and last month went over
budget, travel included, with a concertation that overlapped a network meeting. Her travel to
the hospital is her own estimate, longer than the default.

Quiet and idempotent: meetings are made with meeting_create (which e-mails nobody), invitations
and roll calls written as rows with their answers; a meeting found by its title and start is left
as it is, so running the seed twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Network, User
from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.demo import people
from meetings.kinds import Kind
from meetings.load.accounting import month_start, months_back, place_key
from meetings.load.models import TravelEstimate
from meetings.models import Invitation, Meeting, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create

CPAS = "CPAS d'Anderlecht, salle du conseil, Avenue de l'Aviation 70, 1070 Anderlecht"
HOSPITAL = "Hôpital du Sud-Ouest — Unité de psychiatrie, Route de Lennik 801, 1070 Anderlecht"
MEDICAL_HOUSE = "Maison médicale La Clé, Chaussée de Mons 320, 1070 Anderlecht"
LOW_THRESHOLD = "Antenne bas seuil Le Passage, Rue Brogniez 41, 1070 Anderlecht"
ONLINE = "https://visio.demo.concertation.test/coordination"
# Claire's own estimate to the hospital, there and back across Anderlecht by tram.
HOSPITAL_TRAVEL_MINUTES = 50

OTHERS = ["coordinatrice", "sophie.lambert", "karim.benali", "fatima.ouali"]


@dataclass(frozen=True)
class Planned:
    """A meeting of Claire's: MONTHS_AGO (0 this month), on DAY of that month, at AT, MINUTES long."""

    months_ago: int
    day: int
    at: time
    minutes: int
    kind: str
    title: str
    place: str = ""
    online_link: str = ""
    purpose: str = ""


K = Kind
# Last month (1): 2 h 30 + 3 × 1 h 30 with travel (one to the hospital, 1 h 50), a training
# evening online and a "réunion de réseau" over which a concertation overlapped: about 13 h.
LAST_MONTH = [
    Planned(1, 6, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : sorties d'hospitalisation", CPAS),
    Planned(1, 9, time(14, 0), 60, K.CONCERTATION, "Concertation — retour à domicile", MEDICAL_HOUSE),
    Planned(1, 9, time(14, 30), 90, K.THEMATIC, "Présentation du nouveau service d'accueil de jour", CPAS),
    Planned(1, 14, time(12, 30), 60, K.CONCERTATION, "Concertation — préparation de la sortie", HOSPITAL),
    Planned(
        1, 16, time(19, 0), 150, K.THEMATIC, "Soirée de formation : traitements de substitution", "", ONLINE
    ),
    Planned(1, 21, time(13, 0), 60, K.CONCERTATION, "Concertation — suivi après la sortie", MEDICAL_HOUSE),
    Planned(1, 23, time(9, 0), 120, K.THEMATIC, "Groupe de travail : fiche de liaison", LOW_THRESHOLD),
]
# The eleven months before it, and this month: a realistic mix, mostly under budget.
YEAR = [
    Planned(11, 8, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : bilan de l'année", CPAS),
    Planned(10, 15, time(13, 0), 60, K.CONCERTATION, "Concertation — situation de logement", MEDICAL_HOUSE),
    Planned(9, 12, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : nouvelles permanences", CPAS),
    Planned(8, 4, time(8, 30), 420, K.EXCHANGE, "« Vis ma vie » à l'antenne bas seuil", LOW_THRESHOLD),
    Planned(7, 19, time(12, 30), 60, K.CONCERTATION, "Concertation — préparation de la sortie", HOSPITAL),
    Planned(6, 10, time(19, 0), 120, K.THEMATIC, "Soirée d'échange : santé mentale et précarité", "", ONLINE),
    Planned(5, 17, time(13, 0), 60, K.CONCERTATION, "Concertation — coordination des soins", MEDICAL_HOUSE),
    Planned(4, 11, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : rentrée", CPAS),
    Planned(3, 13, time(13, 0), 60, K.CONCERTATION, "Concertation — reprise du traitement", MEDICAL_HOUSE),
    Planned(2, 8, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : accès aux soins", CPAS),
    Planned(2, 22, time(12, 30), 60, K.CONCERTATION, "Concertation — après l'hospitalisation", HOSPITAL),
    Planned(0, 3, time(9, 30), 120, K.THEMATIC, "Réunion de coordination : l'hiver", CPAS),
    Planned(0, 18, time(13, 0), 60, K.CONCERTATION, "Concertation — situation de logement", MEDICAL_HOUSE),
]


def _day(planned: Planned, today: date) -> date:
    """Its day in the month MONTHS_AGO before TODAY's, moved off a weekend."""
    day = months_back(month_start(today), planned.months_ago + 1)[0].replace(day=planned.day)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _meeting(network: Network, planned: Planned, organiser: User, today: date) -> Meeting:
    """The planned meeting, made once: found again by its title and start."""
    start = local_start(_day(planned, today), planned.at)
    found = Meeting.objects.filter(network=network, title=planned.title, start=start).first()
    if found is not None:
        return found
    return meeting_create(
        network=network,
        kind=planned.kind,
        title=planned.title,
        start=start,
        end=start + timedelta(minutes=planned.minutes),
        organiser=organiser,
        purpose=planned.purpose or "Faire le point ensemble et décider des suites.",
        place=planned.place,
        online_link=planned.online_link,
    )


def _take_part(meeting: Meeting, attendees: list[User], now) -> None:
    """Everyone accepted (rows, no e-mail); a meeting over is held, its roll call says present."""
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            user=user,
            email=user.email,
            name=user.get_full_name(),
            partstat=PartStat.ACCEPTED,
            answered_at=meeting.start - timedelta(days=7),
        )
        for user in attendees
        if user.pk not in invited
    )
    if meeting.end >= now:
        return
    Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.SCHEDULED).update(status=MeetingStatus.HELD)
    marked = set(meeting.attendances.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user=user, status=AttendanceStatus.PRESENT, recorded_by=meeting.organiser)
        for user in attendees
        if user.pk not in marked
    )


@transaction.atomic
def seed_personal(network: Network) -> None:
    found = people(["medecin", *OTHERS])
    claire, coordinator, others = found[0], found[1], found[1:]
    today, now = timezone.localdate(), timezone.now()
    for planned in [*YEAR, *LAST_MONTH]:
        meeting = _meeting(network, planned, coordinator, today)
        # A concertation gathers a few around one person; a network meeting, more.
        attendees = others[:2] if planned.kind == Kind.CONCERTATION else others
        _take_part(meeting, [claire, *attendees], now)
    TravelEstimate.objects.get_or_create(
        user=claire,
        place_key=place_key(HOSPITAL),
        defaults={"place": HOSPITAL, "minutes": HOSPITAL_TRAVEL_MINUTES},
    )
