"""Every URL of « Vis ma vie » against every role: the expected answer, nothing of the round's
people shown to who is refused, nothing changed by a refused POST.

The round is tests/exchanges/conftest.py's, in the world's network, with one visit confirmed (the
educator at the maison médicale, its contact `mm_manager`) and one application still waiting for
its service's agreement (the world's `member`, to the street team). Roles: nobody logged in; the
world's `outsider` (a member of the network with no part in the round); the visitor (`educator`,
also the street team's contact); the host contact (`mm_manager`); the applicant waiting
(`member`); the other network's coordinator; the round's coordinator; a superuser, who is in no
network and sees nothing (privacy rule 8).

The URL list comes from the URLconf: a new page of the app without a row here fails the suite.
"""

import pytest
from django.urls import get_resolver, reverse

from meetings.exchanges import tokens
from meetings.exchanges.models import Application, Feedback, Offer, Placement, Wish
from meetings.exchanges.services.placements import placement_confirm
from meetings.models import Meeting
from tests.exchanges.conftest import MARCH_DAYS, make_application
from tests.factories import UserFactory

LOGIN, GONE = 302, 404
ROLES = [
    "anonymous",
    "outsider",
    "visitor",
    "host",
    "applicant",
    "other_coordinator",
    "coordinator",
    "superuser",
]
# url name, what it is about, method, expected status per role (in ROLES order).
MATRIX = [
    ("exchanges:index", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    # Only a coordinator opens a round: the others are told they may not (nothing to hide).
    ("exchanges:round_create", None, "get", [LOGIN, 403, 403, 403, 403, 200, 200, 403]),
    ("exchanges:round", "round", "get", [LOGIN, 200, 200, 200, 200, GONE, 200, GONE]),
    ("exchanges:offer_create", "round", "get", [LOGIN, 200, 200, 200, 200, GONE, 200, GONE]),
    ("exchanges:offer", "offer", "get", [LOGIN, 200, 200, 200, 200, GONE, 200, GONE]),
    ("exchanges:offer_edit", "offer", "get", [LOGIN, 403, 403, 200, 403, GONE, 200, GONE]),
    ("exchanges:offer_withdraw", "street_offer", "post", [LOGIN, 403, 302, 403, 403, GONE, 302, GONE]),
    # The world's coordinator works in no service of the network: they have nothing to apply for.
    ("exchanges:apply", "street_offer", "get", [LOGIN, 200, 200, 200, 200, GONE, 403, GONE]),
    ("exchanges:application", "pending", "get", [LOGIN, GONE, GONE, GONE, 200, GONE, 200, GONE]),
    ("exchanges:application_withdraw", "pending", "post", [LOGIN, GONE, GONE, GONE, 302, GONE, 302, GONE]),
    ("exchanges:agreement_record", "pending", "post", [LOGIN, GONE, GONE, GONE, 403, GONE, 302, GONE]),
    ("exchanges:agreement_link", "pending_link", "get", [200] * 8),
    ("exchanges:matching", "round", "get", [LOGIN, GONE, GONE, GONE, GONE, GONE, 200, GONE]),
    ("exchanges:confirm", "round", "post", [LOGIN, GONE, GONE, GONE, GONE, GONE, 302, GONE]),
    ("exchanges:confirm_all", "round", "post", [LOGIN, GONE, GONE, GONE, GONE, GONE, 302, GONE]),
    ("exchanges:visit", "visit", "get", [LOGIN, GONE, 200, 200, GONE, GONE, 200, GONE]),
    ("exchanges:undertaking", "visit", "post", [LOGIN, GONE, 302, 403, GONE, GONE, 403, GONE]),
    ("exchanges:visit_cancel", "visit", "post", [LOGIN, GONE, 403, 403, GONE, GONE, 302, GONE]),
    # Before the visit, nobody gives feedback: the two sides are told so (400), nothing written.
    ("exchanges:feedback", "visit", "get", [LOGIN, GONE, 200, 200, GONE, GONE, 200, GONE]),
    ("exchanges:report", "round", "get", [LOGIN, 200, 200, 200, 200, GONE, 200, GONE]),
    ("exchanges:report_csv", "round", "get", [LOGIN, GONE, GONE, GONE, GONE, GONE, 200, GONE]),
]
CASES = [
    pytest.param(name, about, method, role, expected[i], id=f"{name}-{about or ''}-{role}")
    for name, about, method, expected in MATRIX
    for i, role in enumerate(ROLES)
]


def test_matrix_covers_every_url_of_the_app():
    names = {
        f"exchanges:{name}"
        for name in get_resolver().namespace_dict["exchanges"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {name for name, *_rest in MATRIX}


@pytest.fixture
def round_world(exchange_world):
    ew = exchange_world
    users = ew.world.users
    visit = placement_confirm(
        round=ew.round,
        application=ew.educator_application,
        offer_date=ew.mm_offer.dates.get(day=MARCH_DAYS[0]),
        by=users["coordinator"],
    )
    organisation = users["member"].professional.organisations.get()
    pending = make_application(
        ew.round,
        users["member"],
        organisation,
        days=[ew.street_offer.dates.get().day],
        wished=[ew.street_offer],
    )
    Application.objects.filter(pk=pending.pk).update(agreed_at=None, agreed_way="", manager_nonce="a" * 32)
    pending.refresh_from_db()
    ew.visit, ew.pending = visit, pending
    return ew


def _kwargs(ew, about) -> dict:
    return {
        None: {},
        "round": {"pk": ew.round.pk},
        "offer": {"pk": ew.mm_offer.pk},
        "street_offer": {"pk": ew.street_offer.pk},
        "pending": {"pk": ew.pending.pk},
        "pending_link": {"pk": ew.pending.pk, "token": tokens.link_token(ew.pending)},
        "visit": {"pk": ew.visit.pk},
    }[about]


def _posted(ew, name) -> dict:
    return {
        "exchanges:confirm": {
            "application": ew.nurse_application.pk,
            "offer_date": ew.street_offer.dates.get().pk,
        },
        "exchanges:undertaking": {"version": ew.mm_offer.undertaking_version},
    }.get(name, {})


def _state():
    return (
        list(Application.objects.values_list("pk", "agreed_at", "withdrawn_at").order_by("pk")),
        list(Offer.objects.values_list("pk", "withdrawn_at").order_by("pk")),
        list(Placement.objects.values_list("pk", "status", "undertaking_accepted_at").order_by("pk")),
        list(Meeting.objects.values_list("pk", "status").order_by("pk")),
        list(Wish.objects.values_list("pk").order_by("pk")),
        list(Feedback.objects.values_list("pk")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "about", "method", "role", "expected"), CASES)
def test_permission(client, round_world, name, about, method, role, expected):
    ew = round_world
    users = {
        **ew.world.users,
        "visitor": ew.educator,
        "host": ew.mm_manager,
        "applicant": ew.world.users["member"],
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    if role != "anonymous":
        client.force_login(users[role])
    url = reverse(name, kwargs=_kwargs(ew, about))
    before = _state()
    response = client.get(url) if method == "get" else client.post(url, _posted(ew, name))

    assert response.status_code == expected
    if expected == LOGIN and role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if method == "post" and expected != 302:
        assert _state() == before
    if expected in (403, GONE):
        body = response.content.decode()
        for person in (ew.educator, ew.nurse, ew.world.users["member"]):
            if person != users.get(role):  # one's own name is in the page's header
                assert person.get_full_name() not in body
        assert "Comprendre comment travaillent nos partenaires." not in body
