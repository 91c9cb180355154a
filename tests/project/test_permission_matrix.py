"""Every meeting, group and directory URL, against every role: the expected answer, and nothing
revealed.

The URL list comes from the URLconf, so a new page without an expectation here fails the suite.
A superuser (staff, in no network) is one more role: nobody reads above the rules (DESIGN.md,
privacy rule 8), so they open what anyone outside the network opens, and administer the
directory as a coordinator does.
"""

from html import unescape

import pytest
from django.urls import get_resolver, reverse

from meetings.calendar.services.public_feeds import public_feed_publish, public_feed_token
from meetings.calendar.services.subscriptions import subscription_create
from meetings.followup.models import Action
from meetings.vignettes.models import Vignette
from tests.factories import UserFactory
from tests.world import CONCERTATION_TITLE, GROUP_NAME, SESSION_TITLE, THEMATIC_TITLE

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
VIGNETTE_TEXT = "Une femme d'une trentaine d'années refuse les soins proposés."
CONCERTATION_PURPOSE = "Sortie d'hospitalisation."
SECRETS = [
    GROUP_NAME,
    SESSION_TITLE,
    THEMATIC_TITLE,
    CONCERTATION_TITLE,
    CONCERTATION_PURPOSE,
    "Rue Haute 100",
    VIGNETTE_TEXT,
]
# What a token opens, whoever holds it (the feeds): not a page that asks who is logged in.
KEYED_BY_TOKEN = {"calendar:feed", "calendar:network_feed"}
LOGIN = 302  # anonymous visitors are sent to the login page

# url name (namespaced by app), what it is about, method, expected status per role (in ROLES order).
MATRIX = [
    ("meetings:agenda", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("meetings:groups", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("meetings:group_create", None, "get", [LOGIN, 403, 403, 403, 403, 200, 200, 403]),
    ("meetings:group_people_search", None, "get", [LOGIN, 403, 403, 403, 403, 200, 200, 403]),
    ("meetings:group", "group", "get", [LOGIN, 200, 200, 200, 200, 404, 200, 404]),
    ("meetings:group_join", "group", "post", [LOGIN, 302, 302, 302, 302, 404, 302, 404]),
    ("meetings:charter_accept", "group", "post", [LOGIN, 403, 302, 302, 302, 404, 403, 404]),
    ("meetings:charter_edit", "group", "get", [LOGIN, 403, 403, 403, 200, 404, 200, 404]),
    ("meetings:group_rules", "group", "get", [LOGIN, 403, 403, 403, 200, 404, 200, 404]),
    ("meetings:group_add_member", "group", "post", [LOGIN, 403, 403, 403, 302, 404, 302, 404]),
    # The people pickers' searches: for who may invite, add members or hand out actions there.
    ("meetings:group_member_search", "group", "get", [LOGIN, 403, 403, 403, 200, 404, 200, 404]),
    # The rapporteur (accreditation) is named by the network's coordinator only.
    ("meetings:group_rapporteur", "group", "post", [LOGIN, 403, 403, 403, 403, 404, 302, 404]),
    ("meetings:group_rapporteur_search", "group", "get", [LOGIN, 403, 403, 403, 403, 404, 200, 404]),
    ("meetings:group_decide", "request", "post", [LOGIN, 403, 403, 403, 302, 404, 302, 404]),
    ("meetings:group_series_create", "group_pk", "get", [LOGIN, 403, 403, 403, 200, 404, 200, 404]),
    ("meetings:series_create", None, "get", [LOGIN, 403, 403, 403, 403, 200, 200, 403]),
    ("meetings:series_preview", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("meetings:meeting_create", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 403]),
    ("meetings:people_search", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("meetings:meeting", "session", "get", [LOGIN, 404, 200, 200, 200, 404, 200, 404]),
    ("meetings:meeting", "thematic", "get", [LOGIN, 200, 200, 200, 200, 404, 200, 404]),
    ("meetings:meeting", "concertation", "get", [LOGIN, 404, 404, 200, 200, 404, 404, 404]),
    ("meetings:meeting_edit", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 200, 404]),
    ("meetings:meeting_edit", "thematic", "get", [LOGIN, 403, 403, 403, 403, 404, 200, 404]),
    ("meetings:meeting_edit", "concertation", "get", [LOGIN, 404, 404, 403, 200, 404, 404, 404]),
    ("meetings:meeting_cancel", "session", "post", [LOGIN, 404, 403, 403, 302, 404, 302, 404]),
    ("meetings:meeting_cancel", "concertation", "post", [LOGIN, 404, 404, 403, 302, 404, 404, 404]),
    ("meetings:series_cancel", "session", "post", [LOGIN, 404, 403, 403, 302, 404, 302, 404]),
    ("meetings:series_cancel_following", "session", "post", [LOGIN, 404, 403, 403, 302, 404, 302, 404]),
    ("meetings:invitations", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 200, 404]),
    ("meetings:invitations", "concertation", "get", [LOGIN, 404, 404, 403, 200, 404, 404, 404]),
    ("meetings:invite_search", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 200, 404]),
    ("meetings:invite_search", "concertation", "get", [LOGIN, 404, 404, 403, 200, 404, 404, 404]),
    ("meetings:invitation_resend", "member_invitation", "post", [LOGIN, 404, 404, 403, 302, 404, 404, 404]),
    ("meetings:invitation_remove", "member_invitation", "post", [LOGIN, 404, 404, 403, 302, 404, 404, 404]),
    ("meetings:invitation_role", "member_invitation", "post", [LOGIN, 404, 404, 403, 302, 404, 404, 404]),
    # One's own answer on the meeting page: whoever sees the meeting is sent back to it (with
    # "nothing to answer" when not invited).
    ("meetings:my_answer", "thematic", "post", [LOGIN, 302, 302, 302, 302, 404, 302, 404]),
    # Certificates: one's own attendance only (nobody attended in this world: refused, 302);
    # verification needs no login. Exports: facilitators and coordinators.
    ("attendance:certificates", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("attendance:certificate_meeting", "session", "get", [LOGIN, 404, 302, 302, 302, 404, 302, 404]),
    ("attendance:certificate_meeting", "concertation", "get", [LOGIN, 404, 404, 302, 302, 404, 404, 404]),
    ("attendance:certificate_period", None, "get", [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("attendance:certificate_verify", "bogus_code", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("attendance:attendance_csv", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 200, 404]),
    ("attendance:attendance_csv", "thematic", "get", [LOGIN, 403, 403, 403, 403, 404, 200, 404]),
    ("attendance:attendance_csv", "concertation", "get", [LOGIN, 404, 404, 403, 200, 404, 404, 404]),
    ("attendance:group_attendance_csv", "group", "get", [LOGIN, 403, 403, 403, 200, 404, 200, 404]),
    # The session has not taken place yet: refused with a message (302) for who may report it.
    ("attendance:report_session", "session", "post", [LOGIN, 404, 403, 403, 302, 404, 302, 404]),
    ("attendance:network_attendance_csv", None, "get", [LOGIN, 403, 403, 403, 403, 403, 403, 403]),
    # Attendance, outcome and follow-up: facilitators run them, coordinators correct after closing.
    ("attendance:roll_call", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 403, 404]),
    ("attendance:roll_call", "concertation", "get", [LOGIN, 404, 404, 403, 200, 404, 404, 404]),
    ("attendance:attendance_correct", "session", "post", [LOGIN, 404, 403, 403, 403, 404, 302, 404]),
    ("attendance:check_in", "session", "post", [LOGIN, 404, 302, 302, 302, 404, 403, 404]),
    ("attendance:checkin_display", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 403, 404]),
    ("attendance:checkin_link", "session_bogus_checkin", "get", [LOGIN, 404, 404, 404, 404, 404, 404, 404]),
    ("followup:outcome", "session", "get", [LOGIN, 404, 403, 403, 302, 404, 403, 404]),
    ("followup:outcome", "concertation", "get", [LOGIN, 404, 404, 403, 302, 404, 404, 404]),
    ("followup:owner_search", "session", "get", [LOGIN, 404, 403, 403, 200, 404, 403, 404]),
    ("followup:meeting_close", "session", "post", [LOGIN, 404, 403, 403, 302, 404, 403, 404]),
    ("followup:feedback", "session", "post", [LOGIN, 404, 302, 302, 302, 404, 302, 404]),
    ("followup:feedback_link", "bogus_token_only", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("followup:actions", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("followup:action_update", "member_action", "post", [LOGIN, 404, 404, 302, 302, 404, 404, 404]),
    # Vignettes: written by participants, read by participants once shared, purged later.
    ("vignettes:vignette_create", "session", "get", [LOGIN, 404, 200, 200, 200, 404, 200, 404]),
    ("vignettes:vignette_create", "thematic", "get", [LOGIN, 403, 403, 403, 403, 404, 200, 404]),
    ("vignettes:vignette", "draft_vignette", "get", [LOGIN, 404, 404, 404, 404, 404, 200, 404]),
    ("vignettes:vignette_edit", "draft_vignette", "get", [LOGIN, 404, 404, 404, 404, 404, 200, 404]),
    ("vignettes:vignette_check", "draft_vignette", "get", [LOGIN, 404, 404, 404, 404, 404, 200, 404]),
    ("vignettes:vignette_share", "draft_vignette", "post", [LOGIN, 404, 404, 404, 404, 404, 302, 404]),
    ("vignettes:vignette_withdraw", "draft_vignette", "post", [LOGIN, 404, 404, 404, 404, 404, 302, 404]),
    # Answer links need no login; a wrong token is a 404 for everyone.
    ("meetings:rsvp", "bogus_token", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    # Calendar subscriptions: one's own only; feeds need no login, the token is the key.
    ("calendar:calendar", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("calendar:calendar_revoke", "member_subscription", "post", [LOGIN, 404, 404, 302, 404, 404, 404, 404]),
    ("calendar:feed", "member_feed", "get", [200, 200, 200, 200, 200, 200, 200, 200]),
    ("calendar:feed", "bogus_feed", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("calendar:feed", "member_network_feed", "get", [200, 200, 200, 200, 200, 200, 200, 200]),
    # A network's public feed: only at the address its coordinator published, never by its id.
    ("calendar:network_feed", "network_id", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("calendar:network_feed", "bogus_feed", "get", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("calendar:network_feed", "public_feed", "get", [200, 200, 200, 200, 200, 200, 200, 200]),
    # Publishing it: the network's coordinators; its members are refused, others do not see it.
    ("calendar:network_public_feed", "network_pk", "post", [LOGIN, 403, 403, 403, 403, 404, 302, 404]),
    # The directory: every professional searches it and reads its entries; coordinators invite
    # into their networks and edit their organisations' entries, a superuser into and of any.
    ("accounts:directory", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("accounts:organisation", "organisation", "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("accounts:organisation_edit", "organisation", "get", [LOGIN, 403, 403, 403, 403, 403, 200, 200]),
    ("accounts:invite", None, "get", [LOGIN, 403, 403, 403, 403, 200, 200, 200]),
    # One's own account and one's own data: everyone logged in, about themselves only.
    ("profile", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
    ("personal_data", None, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200]),
]

# Pages that show a meeting or group to someone allowed to see it, but only in part.
DETAILS_HIDDEN = {("meetings:meeting", "session", "pending"), ("meetings:meeting", "session", "coordinator")}


@pytest.fixture
def superuser(world):
    """Staff with every admin right, in no organisation and no network."""
    world.users["superuser"] = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    return world.users["superuser"]


def _organisation(world):
    return world.users["member"].professional.organisations.get()


def _member_subscription(world):
    return subscription_create(user=world.users["member"], label="Téléphone")


def _member_network_subscription(world):
    return subscription_create(user=world.users["member"], label="Téléphone", network=world.network)


def _public_feed_token(world):
    feed = public_feed_publish(network=world.network, by=world.users["coordinator"])
    return public_feed_token(feed)


def _member_action(world):
    return Action.objects.create(
        origin=world.session,
        description="Relire la charte",
        owner=world.users["member"],
        created_by=world.users["facilitator"],
        due_date=world.session.start.date(),
    )


def _draft_vignette(world):
    return Vignette.objects.create(
        meeting=world.thematic,
        author=world.users["coordinator"],
        title="Un refus de soins",
        text=VIGNETTE_TEXT,
    )


def url_for(world, name: str, about: str | None) -> str:
    lazy = {
        "member_subscription": lambda: {"pk": _member_subscription(world)[0].pk},
        "member_feed": lambda: {"token": _member_subscription(world)[1]},
        "member_network_feed": lambda: {"token": _member_network_subscription(world)[1]},
        "public_feed": lambda: {"token": _public_feed_token(world)},
        "member_action": lambda: {"pk": _member_action(world).pk},
        "draft_vignette": lambda: {"pk": _draft_vignette(world).pk},
        "bogus_code": lambda: {"code": "ABCD-EFGH-JKLM-NPQR"},
        "organisation": lambda: {"pk": _organisation(world).pk},
    }
    if about in lazy:
        return reverse(name, kwargs=lazy[about]())
    kwargs = {
        None: {},
        "group": {"pk": world.group.pk},
        "group_pk": {"group_pk": world.group.pk},
        "request": {"pk": world.group.pk, "membership_id": world.join_request.pk},
        "session": {"pk": world.session.pk},
        "thematic": {"pk": world.thematic.pk},
        "concertation": {"pk": world.concertation.pk},
        "member_invitation": {
            "pk": world.concertation.pk,
            "invitation_id": world.concertation.invitations.get(user=world.users["member"]).pk,
        },
        "bogus_token": {"scope": "meeting", "scope_id": world.concertation.pk, "token": "not-a-valid-token"},
        "bogus_feed": {"token": "not-a-valid-token-not-a-valid-tok"},
        "network_id": {"token": str(world.network.pk)},
        "network_pk": {"pk": world.network.pk},
        "session_bogus_checkin": {"pk": world.session.pk, "token": "0" * 32},
        "bogus_token_only": {"token": "not-a-valid-token"},
    }[about]
    return reverse(name, kwargs=kwargs)


# The account's own pages sit at the root of the URLconf, outside any namespace.
ACCOUNT_PAGES = {"profile", "personal_data"}


def test_matrix_covers_every_url_of_the_apps():
    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace, (_prefix, app_resolver) in resolver.namespace_dict.items()
        # The situations', meeting load's and date polls' matrices live in
        # tests/<app>/test_permission_matrix.py.
        if namespace not in {"admin", "situations", "load", "polls", "exchanges"}
        for name in app_resolver.reverse_dict
        if isinstance(name, str)
    }

    assert names | ACCOUNT_PAGES == {row[0] for row in MATRIX}


CASES = [
    pytest.param(name, about, method, role, expected[i], id=f"{name.split(':')[-1]}-{about}-{role}")
    for name, about, method, expected in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "about", "method", "role", "expected"), CASES)
def test_permission(client, world, superuser, name, about, method, role, expected):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = url_for(world, name, about)
    data = {"user": world.users["outsider"].pk, "decision": "accept", "version": world.group.charter_version}

    response = client.post(url, data) if method == "post" else client.get(url)

    assert response.status_code == expected
    body = unescape(response.content.decode())
    if expected in (403, 404):
        for secret in SECRETS:
            assert secret not in body
    if role == "superuser" and name not in KEYED_BY_TOKEN:
        # In no network: whatever the page answers, nothing of the network's meetings is on it.
        for secret in SECRETS:
            assert secret not in body
    if (name, about, role) in DETAILS_HIDDEN:
        assert "Rue Haute 100" not in body
        assert "réservé aux membres du groupe qui ont accepté sa charte" in body
    if role == "anonymous" and expected == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


def test_concertation_is_absent_from_the_coordinators_agenda(client, world):
    client.force_login(world.users["coordinator"])

    body = unescape(client.get(reverse("meetings:agenda")).content.decode())

    assert THEMATIC_TITLE in body
    assert CONCERTATION_TITLE not in body
    assert GROUP_NAME not in body


def test_outsider_agenda_shows_open_meetings_only(client, world):
    client.force_login(world.users["outsider"])

    body = unescape(client.get(reverse("meetings:agenda")).content.decode())

    assert THEMATIC_TITLE in body
    assert GROUP_NAME not in body
    assert CONCERTATION_TITLE not in body


def test_pending_member_sees_sessions_without_details(client, world):
    client.force_login(world.users["pending"])

    response = client.get(reverse("meetings:agenda"))

    entries = [e for e in response.context["entries"] if e.meeting.group_id == world.group.pk]
    assert entries
    assert all(not e.show_details for e in entries)
    assert "Rue Haute 100" not in response.content.decode()


def test_outsider_sees_the_group_card_but_not_its_members(client, world):
    client.force_login(world.users["outsider"])

    body = unescape(client.get(reverse("meetings:group", args=[world.group.pk])).content.decode())

    assert GROUP_NAME in body
    assert "Demander à rejoindre" in body
    assert "member@example.test" not in body
    assert 'id="member-list"' not in body
    assert 'id="session-list"' not in body
