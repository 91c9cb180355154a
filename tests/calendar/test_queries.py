"""Query budgets of the calendar (tests/queries.py; the calendar page, the personal and group feeds
and the 304s are measured beside their other tests): a network's public feed in full asks as many
queries for many open meetings as for a few."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.e2e import phone_pages as pages
from tests.queries import MANY, Budget, check_budget, demo_network, demo_user

pytestmark = pytest.mark.xdist_group("queries-calendar")


def more_open_meetings(demo) -> list[str]:
    today = timezone.localdate()
    titles = [f"Rencontre ouverte {i}" for i in range(MANY)]
    for i, title in enumerate(titles):
        day = today + timedelta(days=20 + i)
        meeting_create(
            network=demo_network(),
            kind=Kind.THEMATIC,
            title=title,
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(10, 0)),
            organiser=demo_user("coordinator"),
            purpose="Un thème.",
            place="CPAS",
        )
    return titles


def test_a_public_feed_asks_the_same_queries_for_few_and_many_meetings(client, demo, db):
    check_budget(
        client,
        demo,
        Budget(pages.Visit("calendar:network_feed", pages.ANONYMOUS, "public_feed"), more_open_meetings),
    )
