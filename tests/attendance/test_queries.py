"""Query budgets of the attendance pages not measured beside their other tests (tests/queries.py):
the roll call, the check-in screens, a certificate's verification, the PDFs and the exports ask
as many queries for many invitees, attendances and sessions as for a few."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from meetings.attendance.models import Attendance, AttendanceStatus, Certificate
from meetings.kinds import Kind
from meetings.models import GroupMembership, MeetingStatus, MembershipStatus, Role
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.e2e import phone_pages as pages
from tests.queries import (
    MANY,
    Budget,
    check_budget,
    demo_network,
    demo_user,
    invite_many,
    meeting,
    names,
    new_people,
    quietly,
)

pytestmark = pytest.mark.xdist_group("queries-attendance")


def came(key: str, *, checked_in: bool = False):
    """MANY more people invited to the meeting, and present (a few late) in its roll call."""

    def grow(demo) -> list[str]:
        found = meeting(key, demo)
        people = invite_many(found)
        Attendance.objects.bulk_create(
            Attendance(
                meeting=found,
                user=person,
                status=AttendanceStatus.LATE if i % 3 == 0 else AttendanceStatus.PRESENT,
                late_minutes=10 if i % 3 == 0 else None,
                checked_in_at=found.start + timedelta(minutes=i) if checked_in else None,
                recorded_by=found.organiser,
            )
            for i, person in enumerate(people)
        )
        return [person.last_name for person in people]

    return grow


def in_the_roll_call(key: str):
    grow = came(key)

    def shown(demo) -> list[str]:
        grow(demo)
        return names(person.user for person in Attendance.objects.filter(user__last_name__startswith="Aaron"))

    return shown


def more_facilitators(demo) -> list[str]:
    """The closed session's group gets MANY more facilitators, each named on its certificate."""
    group = meeting("closed", demo).group
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, user=person, role=Role.FACILITATOR, status=MembershipStatus.ACTIVE)
        for person in new_people()
    )
    return []


def more_attended_sessions(demo) -> list[str]:
    """The professional came to MANY more meetings of the period."""
    professional, network = demo_user("professional"), demo_network()
    today = timezone.localdate()
    for i in range(MANY):
        day = today - timedelta(days=20 + 7 * i)
        held = meeting_create(
            network=network,
            kind=Kind.THEMATIC,
            title=f"Rencontre passée {i}",
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(11, 0)),
            organiser=demo_user("coordinator"),
            purpose="Un thème.",
            place="CPAS",
        )
        held.status = MeetingStatus.HELD
        held.save(update_fields=["status"])
        Attendance.objects.create(meeting=held, user=professional, status=AttendanceStatus.PRESENT)
    return []


def more_certified_sessions(demo) -> list[str]:
    """The certificate being checked covers MANY more sessions."""
    more_attended_sessions(demo)
    certificate = Certificate.objects.get(code=demo["certificate_code"]["code"])
    certificate.meetings.add(*meeting("closed", demo).group.meetings.filter(end__lt=timezone.now())[:MANY])
    return []


def during_held(demo):
    """Half an hour into the held session: its roll call and check-in are open."""
    return meeting("held", demo).start + timedelta(minutes=30)


V = pages.Visit
BUDGETS = [
    Budget(V("attendance:roll_call", "facilitator", "held"), in_the_roll_call("held"), at=during_held),
    Budget(
        V("attendance:checkin_display", "facilitator", "held"),
        quietly(came("held", checked_in=True)),
        at=during_held,
    ),
    Budget(
        V("attendance:checkin_link", "professional", "checkin_link"), quietly(came("held")), at=during_held
    ),
    Budget(V("attendance:certificate_verify", pages.ANONYMOUS, "certificate_code"), more_certified_sessions),
    Budget(V("attendance:certificate_meeting", "professional", "closed"), quietly(more_facilitators)),
    Budget(V("attendance:certificate_period", "professional", "certificate_period"), more_attended_sessions),
    Budget(V("attendance:attendance_csv", "facilitator", "held"), came("held")),
    Budget(V("attendance:network_attendance_csv", "coordinator", "network_export"), came("closed")),
]


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_page_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
