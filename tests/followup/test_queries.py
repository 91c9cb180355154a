"""Query budgets of the follow-up pages not measured beside their other tests (tests/queries.py):
the outcome form, the feedback page an e-mail opens and the action owner picker's search ask as
many queries for many people, actions and answers as for a few."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.followup.models import Action, Feedback
from tests.e2e import phone_pages as pages
from tests.queries import MANY, Budget, check_budget, invite_many, meeting, names, quietly

pytestmark = pytest.mark.xdist_group("queries-followup")
HTMX = {"HX-Request": "true"}


def came_and_took_actions(demo) -> list[str]:
    """MANY more people came to the held session; each took an action there."""
    held = meeting("held", demo)
    people = invite_many(held)
    Attendance.objects.bulk_create(
        Attendance(meeting=held, user=person, status=AttendanceStatus.PRESENT) for person in people
    )
    descriptions = [f"Action confiée numéro {i}" for i in range(MANY)]
    Action.objects.bulk_create(
        Action(
            origin=held,
            description=description,
            owner=person,
            due_date=timezone.localdate() + timedelta(days=14),
            created_by=held.organiser,
        )
        for description, person in zip(descriptions, people, strict=True)
    )
    return descriptions


def more_answers(demo) -> list[str]:
    closed = meeting("closed", demo)
    Feedback.objects.bulk_create(
        Feedback(meeting=closed, respondent=f"{i:064d}", score=1 + i % 5, comment=f"Avis {i}")
        for i in range(MANY)
    )
    return []


def more_owners(demo) -> list[str]:
    """Thirty people whose names start with "a" invited to the session: the search shows twenty."""
    return names(invite_many(meeting("held", demo), 30)[:5])


def after_held(demo):
    return meeting("held", demo).end + timedelta(hours=1)


V = pages.Visit
BUDGETS = [
    Budget(V("followup:outcome", "facilitator", "held"), came_and_took_actions, at=after_held),
    Budget(V("followup:feedback_link", pages.ANONYMOUS, "feedback_link"), quietly(more_answers)),
    Budget(V("followup:owner_search", "facilitator", "owner_search"), more_owners, HTMX),
]


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_page_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
