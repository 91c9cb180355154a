"""Query budgets of the meetings pages not measured beside their other tests (tests/queries.py):
the forms, the guest's answer page and the people pickers' searches ask as many queries for many
invitees, members, agenda items, groups and matching people as for a few."""

import pytest

from meetings.kinds import Kind
from meetings.models import AgendaItem, StandingGroup
from meetings.services.groups import group_add_members, group_create
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

pytestmark = pytest.mark.xdist_group("queries-meetings")
HTMX = {"HX-Request": "true"}


def demo_group(demo) -> StandingGroup:
    return StandingGroup.objects.get(pk=demo["group"]["pk"])


def more_members(demo) -> list[str]:
    people = new_people()
    group_add_members(group=demo_group(demo), users=people, by=demo_user("facilitator"))
    return []


def more_groups(demo) -> list[str]:
    network, coordinator = demo_network(), demo_user("coordinator")
    titles = [f"Intervision numéro {i}" for i in range(MANY)]
    for title, person in zip(titles, new_people(), strict=True):
        group_create(
            network=network, kind=Kind.INTERVISION, name=title, facilitators=[person], by=coordinator
        )
    return []


def more_invitees_and_items(key: str):
    def grow(demo) -> list[str]:
        found = meeting(key, demo)
        invite_many(found)
        items = [f"Point numéro {i}" for i in range(MANY)]
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=found, position=10 + i, title=title) for i, title in enumerate(items)
        )
        return items

    return grow


def more_matches(demo) -> list[str]:
    """Thirty people whose names start with "a": the search shows its first twenty and says there
    are more."""
    return names(new_people(30)[:5])


V = pages.Visit
BUDGETS = [
    Budget(V("meetings:group_create", "coordinator"), more_groups),
    Budget(V("meetings:charter_edit", "facilitator", "group"), more_members),
    Budget(V("meetings:group_rules", "facilitator", "group"), more_members),
    Budget(V("meetings:group_series_create", "facilitator", "group_pk"), more_members),
    Budget(V("meetings:series_create", "coordinator"), more_groups),
    Budget(V("meetings:meeting_create", "coordinator"), more_groups),
    Budget(V("meetings:meeting_edit", "facilitator", "upcoming"), more_invitees_and_items("upcoming")),
    Budget(V("meetings:meeting_edit", "coordinator", "thematic"), more_invitees_and_items("thematic")),
    Budget(V("meetings:meeting_edit", "referent", "concertation"), more_invitees_and_items("concertation")),
    Budget(V("meetings:rsvp", pages.ANONYMOUS, "guest_answer"), quietly(more_invitees_and_items("thematic"))),
    Budget(V("meetings:series_preview", "facilitator", "series_preview"), more_members, HTMX),
    Budget(V("meetings:group_member_search", "facilitator", "group_member_search"), more_matches, HTMX),
    Budget(V("meetings:group_people_search", "coordinator", "group_people_search"), more_matches, HTMX),
    Budget(V("meetings:people_search", "coordinator", "people_search"), more_matches, HTMX),
]


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.id)
def test_each_page_asks_the_same_queries_for_few_and_many_rows(client, demo, db, budget):
    check_budget(client, demo, budget)
