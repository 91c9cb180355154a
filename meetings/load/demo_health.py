"""Demo health flags for the demo network, so that the coordinator (`coordinatrice@…`) finds on
/load/network/ what the issue's story tells:

- a declining intervision group: eight members, most came at first, fewer than half at each of
  its last three sessions (and nothing decided any more);
- two overlapping intervision groups: "Intervision des maisons médicales" gathers eight of the
  nine people of "Intervision du jeudi" (meetings.demo), a merge to suggest.

Idempotent: a group that exists is left as it is. No e-mail: no invitation is sent (the groups'
sessions are their members'), roll calls and outcomes are written as rows, and sessions are
closed by a direct update, as follow-up's demo does.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Network
from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.demo import people, six_months_ago
from meetings.followup.models import Outcome
from meetings.kinds import Kind
from meetings.models import MeetingStatus, StandingGroup
from meetings.recurrence import first_occurrence, local_start
from meetings.services.groups import group_create
from meetings.services.series import series_create

DECLINING = "Intervision santé mentale et logement"
DECLINING_MEMBERS = [
    "hilde.maes",
    "olivier.dupont",
    "vincent.gerard",
    "ines.ferreira",
    "stefan.ionescu",
    "luc.martin",
    "patrick.lemaire",
]
# Who came, session by session (of 8 with the facilitator): then fewer than half, three times.
DECLINING_PRESENT = [7, 7, 6, 3, 2, 2]
OVERLAPPING = "Intervision des maisons médicales"
OVERLAPPING_MEMBERS = [
    "medecin",
    "karim.benali",
    "els.peeters",
    "fatima.ouali",
    "aicha.diallo",
    "marc.janssens",
    "ioana.popescu",
    "thomas.renard",
]


def _group(network: Network, *, name: str, facilitator: str, members: list[str], description: str):
    [coordinator, lead] = people(["coordinatrice", facilitator])
    return group_create(
        network=network,
        kind=Kind.INTERVISION,
        name=name,
        description=description,
        facilitators=[lead],
        members=people(members),
        charter="Ce qui est dit dans le groupe reste dans le groupe.",
        by=coordinator,
    )


def _series(group: StandingGroup, *, rule: str, start_at: time, place: str):
    lead = group.memberships.filter(role="facilitator").first().user
    return series_create(
        network=group.network,
        kind=group.kind,
        group=group,
        title=group.name,
        dtstart=first_occurrence(rule, local_start(six_months_ago(), start_at)),
        duration=timedelta(minutes=90),
        rrule=rule,
        organiser=lead,
        place=place,
    )


def _past(series) -> list:
    return list(series.occurrences.filter(end__lt=timezone.now()).order_by("start"))


def _hold(session, members, present: int, decisions: list[str]) -> None:
    """Roll call (the first PRESENT present, the others absent), outcome, and closed."""
    Attendance.objects.bulk_create(
        Attendance(
            meeting=session,
            user=user,
            status=AttendanceStatus.PRESENT if index < present else AttendanceStatus.ABSENT,
        )
        for index, user in enumerate(members)
    )
    Outcome.objects.create(meeting=session, summary="Deux situations discutées.", decisions=decisions)
    session.status, session.closed_at = MeetingStatus.CLOSED, session.end + timedelta(days=1)
    session.save(update_fields=["status", "closed_at"])


@transaction.atomic
def seed_declining(network: Network) -> None:
    if StandingGroup.objects.filter(network=network, name=DECLINING).exists():
        return
    group = _group(
        network,
        name=DECLINING,
        facilitator="jean.mukendi",
        members=DECLINING_MEMBERS,
        description="Les situations où santé mentale et logement se croisent. Un mercredi par mois.",
    )
    series = _series(
        group, rule="FREQ=MONTHLY;BYDAY=+1WE", start_at=time(12, 30), place="CPAS d'Anderlecht, salle 2"
    )
    members = [m.user for m in group.memberships.order_by("role", "pk")]
    held = _past(series)
    # The sessions before those of DECLINING_PRESENT were as well attended as its first.
    present = [DECLINING_PRESENT[0]] * max(0, len(held) - len(DECLINING_PRESENT)) + DECLINING_PRESENT
    for session, count in zip(held, present[-len(held) :], strict=True):
        decided = count > len(members) // 2  # a group that thins out stops deciding too
        _hold(session, members, count, ["Relancer l'agence immobilière sociale"] if decided else [])


@transaction.atomic
def seed_overlapping(network: Network) -> None:
    if StandingGroup.objects.filter(network=network, name=OVERLAPPING).exists():
        return
    group = _group(
        network,
        name=OVERLAPPING,
        facilitator="animateur",
        members=OVERLAPPING_MEMBERS,
        description="Les médecins et leurs partenaires autour des situations complexes. Un lundi par mois.",
    )
    series = _series(
        group,
        rule="FREQ=MONTHLY;BYDAY=+1MO",
        start_at=time(13, 0),
        place="Maison médicale du Peterbos, Parc du Peterbos 3, 1070 Anderlecht",
    )
    members = [m.user for m in group.memberships.order_by("role", "pk")]
    for session in _past(series):
        _hold(session, members, len(members), ["Partager la fiche de liaison"])


def seed_health(network: Network) -> None:
    seed_declining(network)
    seed_overlapping(network)
