"""Who opens the pages of one's own load and of an organisation's, on tests/world.py: one's own
for anyone logged in (and only one's own), an organisation's for its members and for those who
edit its entry — not a superuser outside it (nobody reads above the rules)."""

import pytest
from django.urls import reverse

from meetings.load.models import OrganisationBudget
from meetings.models import PartStat
from tests.factories import UserFactory
from tests.world import CONCERTATION_TITLE

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "facilitator", "other_coordinator", "coordinator", "superuser"]
LOGIN = 302


@pytest.fixture
def users(world):
    return {**world.users, "superuser": UserFactory(is_superuser=True, is_staff=True)}


def open_as(client, users, role, url, method="get", data=None):
    if role != "anonymous":
        client.force_login(users[role])
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["load:mine", "load:mine_csv", "load:settings"])
def test_ones_own_pages_for_anyone_logged_in(client, users, role, name):
    response = open_as(client, users, role, reverse(name))

    if role == "anonymous":
        assert response.status_code == LOGIN and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200
        assert CONCERTATION_TITLE not in response.content.decode()  # nobody's but member's


def test_ones_own_page_shows_ones_own_meetings_only(client, world, users):
    invitation = world.concertation.invitations.get(user=world.users["member"])
    invitation.partstat = PartStat.ACCEPTED
    invitation.save()

    mine = open_as(client, users, "member", reverse("load:mine")).content.decode()
    theirs = open_as(client, users, "outsider", reverse("load:mine")).content.decode()

    assert CONCERTATION_TITLE in mine and CONCERTATION_TITLE not in theirs


ORGANISATION = {
    "anonymous": LOGIN,
    "outsider": 200,  # works there
    "member": 200,
    "facilitator": 200,
    "other_coordinator": 403,
    "coordinator": 200,  # edits its directory entry
    "superuser": 403,
}
SETS_BUDGET = {"coordinator"}


@pytest.mark.parametrize("role", ROLES)
def test_an_organisations_load_for_its_members_and_its_editors(client, world, users, role):
    url = reverse("load:organisation", args=[world.network.organisations.get().pk])

    response = open_as(client, users, role, url)

    assert response.status_code == ORGANISATION[role]
    if response.status_code == 200:
        assert ('name="hours_per_fte"' in response.content.decode()) == (role in SETS_BUDGET)


@pytest.mark.parametrize("role", ROLES)
def test_only_its_editors_set_its_budget(client, world, users, role):
    organisation = world.network.organisations.get()

    response = open_as(
        client,
        users,
        role,
        reverse("load:organisation", args=[organisation.pk]),
        "post",
        {"hours_per_fte": "5"},
    )

    expected = 302 if role in SETS_BUDGET or role == "anonymous" else 403
    assert response.status_code == expected
    assert OrganisationBudget.objects.filter(organisation=organisation).exists() == (role in SETS_BUDGET)
