"""Every URL of date polls against every role of tests/world.py: the expected answer, and
nothing of the poll revealed to who is refused. The poll (tests/polls/conftest.py) is the
Balint group's, proposed by its facilitator, asked of its member, its pending member and a guest:
who manages it (its organiser, the network's coordinator over the group) changes who is asked;
those asked see it (403); anyone else does not (404). A superuser is in no network: they may
propose no poll and see none (privacy rule 8).

The URL list comes from the URLconf: a new page of the app without a row here fails the suite.
"""

import pytest
from django.urls import get_resolver, reverse

from meetings.polls import tokens
from meetings.polls.models import BusyInterval, Poll, PollParticipant
from tests.factories import UserFactory
from tests.polls.conftest import GUEST

LOGIN = 302
GONE = 404
ROLES = [
    "anonymous",
    "outsider",
    "pending",
    "member",
    "facilitator",
    "other_coordinator",
    "coordinator",
    "superuser",
]
ANYONE = [LOGIN, 200, 200, 200, 200, 200, 200, 200]
# Who belongs to a network may propose a poll (a meeting on invitation, at least).
IN_A_NETWORK = [LOGIN, 200, 200, 200, 200, 200, 200, 403]
MANAGERS_POST = [LOGIN, GONE, 403, 403, 302, GONE, 302, GONE]
MANAGERS_GET = [LOGIN, GONE, 403, 403, 200, GONE, 200, GONE]
# url name, what it is about, method, expected status per role (in ROLES order).
MATRIX = [
    ("polls:list", None, "get", ANYONE),
    ("polls:create", None, "get", IN_A_NETWORK),
    ("polls:preview", None, "get", IN_A_NETWORK),
    ("polls:participants_add", "poll", "post", MANAGERS_POST),
    ("polls:participant_required", "guest", "post", MANAGERS_POST),
    ("polls:participant_link", "guest", "post", MANAGERS_POST),
    ("polls:participant_remove", "guest", "post", MANAGERS_POST),
    ("polls:people", "poll", "get", MANAGERS_GET),
    # The poll's page: who manages it and who is asked.
    ("polls:detail", "poll", "get", [LOGIN, GONE, 200, 200, 200, GONE, 200, GONE]),
    ("polls:close", "poll", "post", MANAGERS_POST),
    ("polls:stop", "poll", "post", MANAGERS_POST),
    # An open poll is not reopened: who manages it is told so (400), nothing changes.
    ("polls:reopen", "poll", "post", [LOGIN, GONE, 403, 403, 400, GONE, 400, GONE]),
    # One's own answers, logged in: those asked only (the organiser was not asked).
    ("polls:answer", "poll", "get", [LOGIN, GONE, 200, 200, GONE, GONE, GONE, GONE]),
    # An address that is not a calendar's: refused beside the field, nothing read.
    ("polls:calendar", "poll", "post", [LOGIN, GONE, 400, 400, GONE, GONE, GONE, GONE]),
    # The guest's signed link: whoever holds it, with or without an account.
    ("polls:answer_link", "guest_link", "get", [200] * 8),
    ("polls:calendar_link", "guest_link", "post", [400] * 8),
]
# What each POST sends.
POSTED = {
    "polls:close": lambda w: {"slot": w.poll.slots.order_by("start").last().pk, "invite": "nobody"},
    "polls:stop": lambda w: {},
    "polls:reopen": lambda w: {"deadline": "2026-11-30T18:00"},
    "polls:calendar": lambda w: {"address": "ftp://agenda.example.test/moi.ics"},
    "polls:calendar_link": lambda w: {"address": "ftp://agenda.example.test/moi.ics"},
}
CASES = [
    pytest.param(name, about, method, role, expected[i], id=f"{name}-{about or ''}-{role}")
    for name, about, method, expected in MATRIX
    for i, role in enumerate(ROLES)
]


def test_matrix_covers_every_url_of_the_app():
    names = {
        f"polls:{name}"
        for name in get_resolver().namespace_dict["polls"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {name for name, *_rest in MATRIX}


def _kwargs(poll_world, about) -> dict:
    return {
        None: {},
        "poll": {"pk": poll_world.poll.pk},
        "guest": {"pk": poll_world.poll.pk, "pid": poll_world.guest.pk},
        "guest_link": {"pk": poll_world.poll.pk, "token": tokens.token_for(poll_world.guest)},
    }[about]


def _state():
    return (
        list(PollParticipant.objects.values_list("pk", "required", "nonce", "calendar_read_at")),
        list(Poll.objects.values_list("pk", "status", "deadline", "meeting", "series")),
        list(BusyInterval.objects.values_list("pk")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "about", "method", "role", "expected"), CASES)
def test_permission(client, poll_world, name, about, method, role, expected):
    world = poll_world.world
    users = {**world.users, "superuser": UserFactory(is_superuser=True, is_staff=True)}
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(name, kwargs=_kwargs(poll_world, about))
    before = _state()
    if method == "get":
        response = client.get(url, {"q": "a"})
    elif name in POSTED:
        response = client.post(url, POSTED[name](poll_world))
    else:
        response = client.post(url, {"ask-emails": "nouvelle@partenaire.test", "required": "1"})

    assert response.status_code == expected
    if expected == LOGIN and role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if method == "post" and expected != 302:
        assert _state() == before
    if name == "polls:reopen" and expected == 400:
        assert "Ce sondage est encore ouvert" in response.content.decode()
    if expected in (403, GONE) or (role == "superuser" and name != "polls:answer_link"):
        body = response.content.decode()
        assert poll_world.poll.title not in body and "Invitée du CPAS" not in body and GUEST not in body
