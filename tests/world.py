"""A small network with every role the permission rules distinguish.

network (coordinator) ─ organisation ─ facilitator, member, pending (has not accepted the
charter), outsider (in no group); other_network (other_coordinator). A closed Balint group with a
monthly series, an open thematic meeting and a clinical concertation to which only `member` is
invited.
"""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, StandingGroup
from meetings.recurrence import first_occurrence, local_start
from meetings.services.groups import charter_accept, group_create, group_request_join
from meetings.services.meetings import meeting_create
from meetings.services.series import series_create
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in

GROUP_NAME = "Balint des Marolles"
SESSION_TITLE = "Balint des Marolles — séance"
THEMATIC_TITLE = "Rencontre thématique : logement d'abord"
CONCERTATION_TITLE = "Concertation autour de Monsieur Z."


@dataclass
class World:
    users: dict
    network: object
    other_network: object
    group: StandingGroup
    session: Meeting
    thematic: Meeting
    concertation: Meeting
    join_request: object


def build_world() -> World:
    coordinator = UserFactory(email="coord@example.test")
    other_coordinator = UserFactory(email="other-coord@example.test")
    organisation = OrganisationFactory(name="SSM Les Marolles", kind="mental_health")
    network = NetworkFactory(name="Réseau Marolles", coordinators=[coordinator], organisations=[organisation])
    other_network = NetworkFactory(
        name="Réseau voisin", coordinators=[other_coordinator], organisations=[OrganisationFactory()]
    )
    users = {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "facilitator": professional_in(organisation, email="facilitator@example.test"),
        "member": professional_in(organisation, email="member@example.test"),
        "pending": professional_in(organisation, email="pending@example.test"),
        "outsider": professional_in(organisation, email="outsider@example.test"),
        "applicant": professional_in(organisation, email="applicant@example.test"),
    }
    group = group_create(
        network=network,
        kind=Kind.BALINT,
        name=GROUP_NAME,
        facilitators=[users["facilitator"]],
        members=[users["member"], users["pending"]],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )
    charter_accept(group=group, user=users["member"])
    join_request = group_request_join(group=group, user=users["applicant"])
    today = timezone.localdate()
    series = series_create(
        network=network,
        kind=Kind.BALINT,
        group=group,
        title=SESSION_TITLE,
        dtstart=first_occurrence(
            "FREQ=MONTHLY;BYDAY=+1TU", local_start(today + timedelta(days=3), time(20, 0))
        ),
        duration=timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=+1TU",
        organiser=users["facilitator"],
        place="Rue Haute 100, 1000 Bruxelles",
    )
    thematic = meeting_create(
        network=network,
        kind=Kind.THEMATIC,
        title=THEMATIC_TITLE,
        start=local_start(today + timedelta(days=5), time(9, 30)),
        end=local_start(today + timedelta(days=5), time(11, 30)),
        organiser=coordinator,
        purpose="Présentation du dispositif.",
        place="CPAS",
    )
    concertation = meeting_create(
        network=network,
        kind=Kind.CONCERTATION,
        title=CONCERTATION_TITLE,
        start=local_start(today + timedelta(days=6), time(14, 0)),
        end=local_start(today + timedelta(days=6), time(15, 0)),
        organiser=users["facilitator"],
        purpose="Sortie d'hospitalisation.",
        place="Maison médicale",
    )
    Invitation.objects.create(meeting=concertation, user=users["member"], email=users["member"].email)
    return World(
        users=users,
        network=network,
        other_network=other_network,
        group=group,
        session=series.occurrences.order_by("start").first(),
        thematic=thematic,
        concertation=concertation,
        join_request=join_request,
    )
