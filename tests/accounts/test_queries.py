"""Query budgets of the accounts pages not measured beside their other tests (tests/queries.py):
one's profile, a service's form, the invitation of a professional and the download of one's
data ask as many queries for many services, colleagues, meetings and actions as for a few."""

from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.followup.models import Action
from meetings.kinds import Kind
from meetings.models import Invitation, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.e2e import phone_pages as pages
from tests.factories import OrganisationFactory
from tests.queries import MANY, Budget, check_budget, demo_network, demo_user, new_people, quietly

pytestmark = pytest.mark.xdist_group("queries-accounts")


def more_services(demo) -> list[str]:
    """The network counts MANY more services; the professional works in each, under more addresses."""
    network, professional = demo_network(), demo_user("professional")
    services = [OrganisationFactory(name=f"Service numéro {i}") for i in range(MANY)]
    network.organisations.add(*services)
    professional.professional.organisations.add(*services)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=professional, email=f"autre{i}@q.test", verified=True) for i in range(MANY)
    )
    return [s.name for s in services]


def more_colleagues(demo) -> list[str]:
    """The service counts MANY more professionals and belongs to more networks."""
    from accounts.models import Network, Organisation

    organisation = Organisation.objects.get(pk=demo["organisation"]["pk"])
    for person in new_people():
        person.professional.organisations.add(organisation)
    for i in range(MANY):
        Network.objects.create(name=f"Réseau numéro {i}").organisations.add(organisation)
    return []


def more_of_my_meetings(demo) -> list[str]:
    """The professional was invited to MANY more meetings, came, and took an action at each."""
    professional, coordinator = demo_user("professional"), demo_user("coordinator")
    titles = [f"Rencontre pour l'export {i}" for i in range(MANY)]
    today = timezone.localdate()
    for i, title in enumerate(titles):
        day = today - timedelta(days=10 + i)
        held = meeting_create(
            network=demo_network(),
            kind=Kind.THEMATIC,
            title=title,
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(10, 0)),
            organiser=coordinator,
            purpose="Un thème.",
            place="CPAS",
        )
        held.status = MeetingStatus.HELD
        held.save(update_fields=["status"])
        Invitation.objects.create(
            meeting=held, user=professional, email=professional.email, partstat=PartStat.ACCEPTED
        )
        Attendance.objects.create(meeting=held, user=professional, status=AttendanceStatus.PRESENT)
        Action.objects.create(
            origin=held,
            description=f"Action de l'export {i}",
            owner=professional,
            due_date=day,
            created_by=coordinator,
        )
    return titles


V = pages.Visit
BUDGETS = [
    Budget(V("profile", "professional"), quietly(more_services)),
    Budget(V("accounts:organisation_edit", "coordinator", "organisation"), quietly(more_colleagues)),
    Budget(V("accounts:invite", "coordinator"), more_services),
    Budget(V("personal_data", "professional"), more_of_my_meetings),
]


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_page_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
