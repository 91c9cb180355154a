"""A person downloads everything the application holds about them (GDPR, right of access), and an
administrator can produce it for them: one JSON file, a section per app, one's own data only."""

import json
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts import personal_data
from accounts.models import User
from meetings.calendar.models import FeedSubscription
from tests.accounts.personal_world import (
    EXPIRED_VIGNETTE,
    HANDED_ACTION,
    MEMBER_ACTION,
    MEMBER_COMMENT,
    MEMBER_DEVICE,
    MEMBER_NAME,
    MEMBER_VIGNETTE,
    OTHER_COMMENT,
    OTHER_DEVICE,
    OTHER_VIGNETTE,
    build_personal_world,
)
from tests.situations.world import CODE, NOTE_TEXT, RELATIVE_NOTE_TEXT, build_situation_world
from tests.world import CONCERTATION_TITLE, GROUP_NAME

pytestmark = pytest.mark.django_db

SECTIONS = [
    "account",
    "emails",
    "access_log",
    "meetings",
    "calendar",
    "attendance",
    "followup",
    "vignettes",
    "situations",
    "load",
    "polls",
    "exchanges",
]


@pytest.fixture
def pworld(world):
    return build_personal_world(world)


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("personal_data"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_download_is_a_json_attachment_that_no_cache_keeps(client, pworld):
    response, data = download(client, pworld.member)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-concertation-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert data["format"] == "concertation.personal-data"
    assert data["copy"] == "person"
    assert data["person"] == pworld.member.pk
    assert list(data["sections"]) == SECTIONS


def test_each_section_holds_the_persons_own_data(client, pworld):
    member, held = pworld.member, pworld.held

    _response, data = download(client, member)
    s = data["sections"]

    account = s["account"]
    assert (account["email"], account["first_name"], account["last_name"]) == (member.email, *MEMBER_NAME)
    assert account["language"] == "fr" and account["date_joined"]
    assert account["professional_profile"]["profession"] == "psychologist"
    assert [o["name"] for o in account["organisations"]] == ["SSM Les Marolles"]
    assert [n["name"] for n in account["networks"]] == ["Réseau Marolles"]
    assert account["email_addresses"] == [{"email": member.email, "primary": True, "verified": True}]
    assert [m["kind"] for m in s["emails"]] == ["account_invitation"]
    assert [(r["subject"], r["item"]) for r in s["access_log"]] == [(f"meeting:{held.pk}", "outcome")]

    meetings = s["meetings"]
    assert [(m["group"]["name"], m["role"], m["status"]) for m in meetings["group_memberships"]] == [
        (GROUP_NAME, "member", "active")
    ]
    assert [a["version"] for a in meetings["charter_acceptances"]] == [1]
    invited = {i["meeting"]["id"]: i for i in meetings["invitations"]}
    assert invited[held.pk]["answer"] == "ACCEPTED"
    assert invited[pworld.world.concertation.pk]["meeting"]["title"] == CONCERTATION_TITLE

    assert [(x["label"], x["revoked_at"]) for x in s["calendar"]] == [(MEMBER_DEVICE, None)]
    assert [(a["meeting"]["id"], a["status"]) for a in s["attendance"]["attendance"]] == [
        (held.pk, "present")
    ]
    assert [c["code"] for c in s["attendance"]["certificates"]] == [pworld.member_certificate.code]
    assert s["attendance"]["certificates"][0]["total_minutes"] == 90

    actions = {a["description"]: a for a in s["followup"]["actions"]}
    assert set(actions) == {MEMBER_ACTION, HANDED_ACTION}
    assert actions[MEMBER_ACTION]["mine"] and actions[HANDED_ACTION]["handed_out_by_me"]
    assert s["followup"]["feedback"] == [{"meeting": held.pk, "score": 5, "comment": MEMBER_COMMENT}]

    written = s["vignettes"]["written"]
    assert [(v.get("title"), v.get("text"), v["status"]) for v in written] == [
        (f"Vignette de {member.pk}", MEMBER_VIGNETTE, "shared"),
        (None, None, "draft"),  # past its time of reading: neither its text nor its unchecked title
    ]


def test_nothing_of_anyone_else_and_no_token(client, pworld):
    response, _data = download(client, pworld.member)
    body = response.content.decode()

    for foreign in [
        OTHER_COMMENT,
        OTHER_VIGNETTE,
        OTHER_DEVICE,
        EXPIRED_VIGNETTE,  # their own, but no longer readable by anyone
        "Une fugue",  # its title
        pworld.world.users["facilitator"].email,
        pworld.world.users["pending"].email,
        pworld.other_certificate.code,
        "/other/",
        pworld.member_token,
        pworld.other_token,
    ]:
        assert foreign not in body, foreign
    for hashed in FeedSubscription.objects.values_list("token_hash", flat=True):
        assert hashed not in body
    for invitation in pworld.member.invitations.all():
        assert invitation.nonce not in body


def test_the_url_names_nobody_else(client, pworld):
    other = pworld.other
    client.force_login(pworld.member)

    data = json.loads(client.get(reverse("personal_data"), {"user": other.pk, "pk": other.pk}).content)

    assert data["person"] == pworld.member.pk
    assert data["sections"]["account"]["email"] == pworld.member.email


def test_guest_invitations_count_as_theirs_only_at_an_address_they_proved(client, pworld):
    member, world = pworld.member, pworld.world
    address = EmailAddress.objects.create(user=member, email="ailleurs@example.test", verified=False)
    world.thematic.invitations.create(email="ailleurs@example.test", name="Invité·e")

    unproved = download(client, member)[1]["sections"]["meetings"]["invitations"]
    address.verified = True
    address.save(update_fields=["verified"])
    proved = download(client, member)[1]["sections"]["meetings"]["invitations"]

    assert world.thematic.pk not in {i["meeting"]["id"] for i in unproved}
    assert world.thematic.pk in {i["meeting"]["id"] for i in proved}


def test_logged_in_only_and_read_only(client, pworld):
    anonymous = client.get(reverse("personal_data"))
    client.force_login(pworld.member)
    posted = client.post(reverse("personal_data"))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert posted.status_code == 405


def test_the_home_page_links_to_the_download(client, pworld):
    client.force_login(pworld.member)

    body = client.get(reverse("home")).content.decode()

    assert "Télécharger mes données" in body
    assert f'href="{reverse("personal_data")}"' in body


def test_every_app_gives_its_section_through_the_registry():
    assert [section.name for section in personal_data.sections()] == SECTIONS
    erasing = {section.name for section in personal_data.sections() if section.erase}
    assert erasing == {
        "emails",
        "meetings",
        "calendar",
        "attendance",
        "followup",
        "vignettes",
        "situations",
        "load",
        "polls",
        "exchanges",
    }


# Situations: only what their rules let the person see


@pytest.fixture
def sworld(db):
    return build_situation_world()


def situations_of(client, user) -> tuple[list, str]:
    response, data = download(client, user)
    return data["sections"]["situations"], response.content.decode()


def test_a_member_through_the_gate_gets_the_pseudonym_their_row_and_their_own_note(client, sworld):
    entries, body = situations_of(client, sworld.users["professional"])

    [entry] = entries
    assert entry["pseudonym"] == CODE
    assert [row["role"] for row in entry["my_member_rows"]] == ["Médecin traitant"]
    assert [note["text"] for note in entry["my_notes"]] == [NOTE_TEXT]
    assert RELATIVE_NOTE_TEXT not in body  # the référent's note
    assert "Expulsion annoncée" not in body  # the situation's trigger


def test_a_relative_gets_their_row_and_no_note(client, sworld):
    entries, body = situations_of(client, sworld.users["relative"])

    [entry] = entries
    assert entry["pseudonym"] == CODE
    assert [row["relation"] for row in entry["my_member_rows"]] == ["sœur"]
    assert entry["my_notes"] == []
    assert NOTE_TEXT not in body and RELATIVE_NOTE_TEXT not in body


def test_the_referent_gets_their_terms_and_their_own_note_only(client, sworld):
    entries, body = situations_of(client, sworld.users["referent"])

    [entry] = entries
    assert len(entry["my_referent_terms"]) == 1
    assert [note["text"] for note in entry["my_notes"]] == [RELATIVE_NOTE_TEXT]
    assert NOTE_TEXT not in body


@pytest.mark.parametrize("role", ["excluded", "former", "outsider"])
def test_who_does_not_see_the_situation_learns_nothing_of_it(client, sworld, role):
    entries, body = situations_of(client, sworld.users[role])

    assert entries == []
    assert CODE not in body


def test_the_requester_gets_the_status_only(client, sworld):
    entries, body = situations_of(client, sworld.users["requester"])

    [entry] = entries
    assert entry["requested_by_me"] and entry["status"] == "active"
    assert "my_notes" not in entry and NOTE_TEXT not in body


# The administrator's copy


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(email="admin@example.test", password="x" * 12)


def admin_export(client, admin_user, person):
    client.force_login(admin_user)
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_personal_data", "_selected_action": [person.pk]},
    )


def test_an_administrator_exports_a_person_without_what_the_rules_reserve(client, pworld, admin_user):
    member = pworld.member

    response = admin_export(client, admin_user, member)

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    body = response.content.decode()
    assert data["copy"] == "administrator" and data["person"] == member.pk
    assert data["sections"]["account"]["email"] == member.email
    assert len(data["sections"]["attendance"]["attendance"]) == 1
    assert data["sections"]["followup"]["feedback"]["withheld"]
    assert data["sections"]["situations"]["withheld"]
    for reserved in [CONCERTATION_TITLE, MEMBER_VIGNETTE, MEMBER_ACTION, MEMBER_COMMENT, "Vignette de"]:
        assert reserved not in body, reserved
    assert LogEntry.objects.filter(object_id=str(member.pk), change_message__contains="exportées").exists()


def test_the_administrators_copy_of_a_situation_member_holds_no_pseudonym(client, sworld, admin_user):
    response = admin_export(client, admin_user, sworld.users["professional"])

    assert CODE not in response.content.decode()
    assert NOTE_TEXT not in response.content.decode()


def test_the_administrator_exports_one_person_at_a_time(client, pworld, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_personal_data", "_selected_action": [pworld.member.pk, pworld.other.pk]},
        follow=True,
    )

    assert "Choisissez une seule personne à la fois." in unescape(response.content.decode())
    assert not LogEntry.objects.exists()


def test_who_is_not_staff_cannot_export_anyone(client, pworld):
    client.force_login(pworld.member)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "export_personal_data", "_selected_action": [pworld.other.pk]},
    )

    assert response.status_code == 302
    assert OTHER_DEVICE not in response.content.decode()
