"""Query budgets (DESIGN.md, quality bars; issue 15, item 5): every page asks as many queries for
many rows as for a few.

Each app's tests/<app>/test_queries.py opens its pages on the demo, with the objects that
tests/e2e/phone_pages.py gives each page (built once per module by the `demo` fixture below,
inside a transaction that each test's own rolls back to), counts the queries of one answer,
adds many of the rows that page lists (invitees, members, actions, notes…), and counts again:
the two counts are the same, and the rows added are on the page.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests import clock
from tests.e2e import phone_pages as pages


@dataclass(frozen=True)
class Budget:
    """A page (a row of phone_pages), and what makes it long: GROW adds many rows of what it
    lists, and returns texts that must then be on the page (none for a PDF)."""

    visit: pages.Visit
    grow: Callable[[dict], Iterable[str]]
    headers: dict | None = None
    # When the page is worth opening (a roll call during its meeting), if not now.
    at: Callable[[dict], datetime] | None = None

    @property
    def id(self) -> str:
        return f"{self.visit.name}-{self.visit.role}" + (f"-{self.visit.about}" if self.visit.about else "")


def demo_fixture(tmp_path_factory, django_db_blocker):
    """The demo with every page's objects (phone_pages.build_demo), for a whole test module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")),
        clock.fixed(),
        transaction.atomic(),
    ):
        arguments = pages.build_demo()
        yield arguments
        transaction.set_rollback(True)


def log_in(client, role: str) -> None:
    from accounts.models import User

    client.logout()
    if role != pages.ANONYMOUS:
        client.force_login(User.objects.get(email=pages.ROLES[role]))


def answer(client, url: str, headers: dict | None = None):
    """URL's answer and the queries it took, once the session and caches are read."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response, [query["sql"] for query in queries.captured_queries]


def _grown(few: list[str], many: list[str]) -> str:
    """The statements asked more often with many rows (their first words): where an N+1 is."""
    before, after = Counter(q[:150] for q in few), Counter(q[:150] for q in many)
    return "\n".join(f"{after[q] - before[q]:+d} × {q}" for q in after if after[q] != before[q])


def body(response) -> str:
    from html import unescape

    if response.get("Content-Type", "").startswith("application/pdf"):
        return ""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return unescape(content.decode("utf-8-sig"))


def check_budget(client, demo: dict, budget: Budget) -> None:
    """The page asks the same queries before and after its rows grow, and shows what grew."""
    if budget.at is not None:
        with time_machine.travel(budget.at(demo), tick=True):
            _check(client, demo, budget)
    else:
        _check(client, demo, budget)


def _check(client, demo: dict, budget: Budget) -> None:
    log_in(client, budget.visit.role)
    url = pages.url_of(budget.visit, demo)
    _few, few = answer(client, url, budget.headers)
    shown = list(budget.grow(demo))
    response, many = answer(client, url, budget.headers)
    text = body(response)
    missing = [s for s in shown if s not in text]
    assert not missing, f"{url} does not show {missing[:3]}"
    assert len(many) == len(few), (
        f"{url}: {len(few)} queries for a few rows, {len(many)} for many\n{_grown(few, many)}"
    )


MANY = 8


def demo_user(role: str):
    from accounts.models import User

    return User.objects.get(email=pages.ROLES[role])


def demo_network():
    from accounts.models import Network

    return Network.objects.get(coordinators=demo_user("coordinator"))


def new_people(count: int = MANY, *, last_name: str = "Aaron", network=None) -> list:
    """COUNT professionals of the demo network (its first service), whose last names sort first
    and start with "a": a picker's search for "a" lists them before anyone else."""
    from tests.factories import professional_in

    organisation = (network or demo_network()).organisations.order_by("pk").first()
    return [
        professional_in(
            organisation,
            first_name="Alix",
            last_name=f"{last_name}{i:02d}",
            email=f"{last_name.lower()}{i}@q.test",
        )
        for i in range(count)
    ]


def invite_many(meeting, count: int = MANY, **fields) -> list:
    """COUNT new people of the network invited to MEETING (rows, no e-mail), who accepted."""
    from meetings.models import Invitation, PartStat

    people = new_people(count, **fields)
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, user=u, email=u.email, name=u.get_full_name(), partstat=PartStat.ACCEPTED)
        for u in people
    )
    return people


def meeting(key: str, demo: dict):
    from meetings.models import Meeting

    return Meeting.objects.get(pk=demo[key]["pk"])


def names(people) -> list[str]:
    return [person.get_full_name() for person in people]


def quietly(grow):
    """GROW for a page that lists none of the rows it adds (a form, a PDF): only its count is
    checked."""

    def grown(demo) -> list[str]:
        grow(demo)
        return []

    return grown
