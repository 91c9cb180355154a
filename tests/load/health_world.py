"""Crafted networks for the health flags and the network dashboard: a coordinator, a service of
ten people, and helpers that schedule weekly series in the past (through the meetings
services), invite people, take roll calls and write outcomes, as the apps themselves would."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.followup.models import Action, Feedback, Outcome
from meetings.kinds import Kind
from meetings.models import GroupMembership, Invitation, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services.groups import group_create
from meetings.services.series import series_create
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in


@dataclass
class HealthWorld:
    network: object
    coordinator: object
    people: list


def build(people: int = 10, name: str = "Réseau santé") -> HealthWorld:
    coordinator = UserFactory(email=f"coord-{name.split()[-1].lower()}@example.test")
    organisation = OrganisationFactory()
    network = NetworkFactory(name=name, coordinators=[coordinator], organisations=[organisation])
    users = [
        professional_in(organisation, last_name=f"Personne{i:02d}", email=f"p{i}-{network.pk}@example.test")
        for i in range(people)
    ]
    return HealthWorld(network, coordinator, users)


def weekly(world, *, sessions: int, kind=Kind.INTERVISION, title="Intervision", group=None, weeks_ago=None):
    """A weekly series whose SESSIONS sessions all took place (the last one a week ago), with
    its occurrences as the series service creates them."""
    weeks_ago = sessions if weeks_ago is None else weeks_ago
    day = timezone.localdate() - timedelta(weeks=weeks_ago)
    series = series_create(
        network=world.network,
        kind=kind,
        group=group,
        title=title,
        dtstart=local_start(day, time(14, 0)),
        duration=timedelta(minutes=90),
        rrule=f"FREQ=WEEKLY;COUNT={sessions}",
        organiser=world.coordinator,
        purpose="Échanger sur nos pratiques.",
        place="Rue Haute 1, 1000 Bruxelles",
    )
    return list(series.occurrences.order_by("start"))


def group_of(world, members, *, kind=Kind.INTERVISION, name="Groupe d'intervision"):
    """A group whose members joined a year ago (before the sessions weekly() puts in the past)."""
    group = group_create(
        network=world.network,
        kind=kind,
        name=name,
        facilitators=[world.people[0]],
        members=list(members),
        charter="",
        by=world.coordinator,
    )
    GroupMembership.objects.filter(group=group).update(decided_at=timezone.now() - timedelta(days=365))
    return group


def invite(meetings, people, partstat=PartStat.ACCEPTED):
    Invitation.objects.bulk_create(
        Invitation(meeting=m, user=u, email=u.email, name=u.get_full_name(), partstat=partstat)
        for m in meetings
        for u in people
    )


def roll_call(meeting, present, absent=()):
    """Marks PRESENT present and ABSENT absent; the meeting is then held (as roll_call's mark_held)."""
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=u, status=AttendanceStatus.PRESENT) for u in present]
        + [Attendance(meeting=meeting, user=u, status=AttendanceStatus.ABSENT) for u in absent]
    )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])


def close(meeting):
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, meeting.end + timedelta(hours=1)
    meeting.save(update_fields=["status", "closed_at"])


def decide(meeting, decisions=("Écrire au CPAS",)):
    Outcome.objects.create(meeting=meeting, summary="Synthèse.", decisions=list(decisions))


def act(meeting, owner, *, due, done_on=None):
    return Action.objects.create(
        origin=meeting,
        description="Appeler le service",
        owner=owner,
        created_by=owner,
        due_date=due,
        status="done" if done_on else "open",
        closed_at=local_start(done_on, time(12, 0)) if done_on else None,
    )


def rate(meeting, scores):
    Feedback.objects.bulk_create(
        Feedback(meeting=meeting, respondent=f"r{meeting.pk}-{i}", score=s) for i, s in enumerate(scores)
    )
