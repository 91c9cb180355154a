"""Every URL of meeting load against every role of tests/world.py: the expected answer, and
nothing of the network revealed to who is refused. One's own load is anyone's; an
organisation's is its members' and its editors'; the network's is its coordinators' only; a
series' yearly review is for who runs the series. A superuser coordinates nothing and sees
nothing here (privacy rule 8).

The URL list comes from the URLconf: a new page of the app without a row here fails the suite.
"""

import pytest
from django.urls import get_resolver, reverse

from meetings.load.models import FlagDismissal
from tests.factories import UserFactory

LOGIN = 302
GONE = 404
ROLES = ["anonymous", "outsider", "member", "facilitator", "other_coordinator", "coordinator", "superuser"]
ANYONE = [LOGIN, 200, 200, 200, 200, 200, 200]
COORDINATORS = [LOGIN, 403, 403, 403, 200, 200, 403]
# url name, what it is about, method, expected status per role (in ROLES order).
MATRIX = [
    ("load:mine", None, "get", ANYONE),
    ("load:mine_csv", None, "get", ANYONE),
    ("load:settings", None, "get", ANYONE),
    # The world's organisation: the outsider works there; its entry is the coordinator's to edit.
    ("load:organisation", "organisation", "get", [LOGIN, 200, 200, 200, 403, 200, 403]),
    # The cost of a meeting being scheduled, from the figures of the form: anyone who schedules.
    ("load:cost", None, "get", ANYONE),
    ("load:network", None, "get", COORDINATORS),
    ("load:network_csv", "hours", "get", COORDINATORS),
    ("load:network_csv", "flags", "get", COORDINATORS),
    # POSTed for the world's network: its coordinator only (the other one coordinates another).
    ("load:network_flag_dismiss", None, "post", [LOGIN, 403, 403, 403, 403, 302, 403]),
    # The group's series: who runs it; a member sees it and may not answer; others do not see it.
    ("load:series_review", "series", "get", [LOGIN, GONE, 403, 200, GONE, 200, GONE]),
]
CASES = [
    pytest.param(name, about, method, role, expected[i], id=f"{name}-{about or ''}-{role}")
    for name, about, method, expected in MATRIX
    for i, role in enumerate(ROLES)
]


def test_matrix_covers_every_url_of_the_app():
    names = {
        f"load:{name}"
        for name in get_resolver().namespace_dict["load"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {name for name, *_rest in MATRIX}


def _args(world, about):
    return {
        None: [],
        "organisation": [world.network.organisations.get().pk],
        "series": [world.session.series_id],
        "hours": ["hours"],
        "flags": ["flags"],
    }[about]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "about", "method", "role", "expected"), CASES)
def test_permission(client, world, name, about, method, role, expected):
    users = {**world.users, "superuser": UserFactory(is_superuser=True, is_staff=True)}
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(name, args=_args(world, about))
    if method == "get":
        response = client.get(url)
    else:
        data = {"network": world.network.pk, "flag": "unclosed", "subject_key": "meeting:1", "reason": "Vu."}
        response = client.post(url, data)

    assert response.status_code == expected
    if expected == LOGIN and role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if method == "post":
        assert FlagDismissal.objects.exists() == (role == "coordinator")
    if expected in (403, GONE):
        body = response.content.decode()
        assert world.network.name not in body and world.group.name not in body
