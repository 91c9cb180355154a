"""Erasing a professional who leaves (GDPR, right to erasure): their personal data goes or becomes a
tombstone; attendance figures, certificates and other people's records stay; nothing fails on a
protected reference and nothing cascades away."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core import mail, serializers
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, Professional, User
from accounts.services import erase_person, erased_email, erased_name
from audit.models import AccessRecord
from meetings.attendance.models import Attendance, Certificate
from meetings.attendance.services.certificates import certificate_for_meeting, certificate_for_period
from meetings.calendar.models import FeedSubscription
from meetings.followup.models import Action, Feedback
from meetings.models import GroupMembership, Invitation, MembershipStatus
from meetings.situations.models import Member, Note
from meetings.vignettes.models import Vignette, VignetteStatus
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus
from tests.accounts.personal_world import MEMBER_COMMENT, MEMBER_NAME, OTHER_COMMENT, build_personal_world
from tests.factories import PASSWORD, UserFactory
from tests.situations.world import NOTE_TEXT, build_situation_world, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def pworld(world):
    return build_personal_world(world)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(email="admin@example.test", password="x" * 12)


def erase(pworld, admin_user):
    return erase_person(user=pworld.member, by=admin_user)


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def test_the_account_becomes_a_tombstone(pworld, admin_user):
    member = pworld.member
    old_email = member.email
    Network.objects.get(name="Réseau Marolles").coordinators.add(member)

    erased = erase(pworld, admin_user)

    assert erased.get_full_name() == f"Personne effacée #{member.pk}" == erased_name(member)
    assert erased.email == f"erased-{member.pk}@erased.invalid" == erased_email(member)
    assert not erased.is_active and not erased.has_usable_password()
    assert not erased.is_staff and not erased.is_superuser
    erased.full_clean()  # the admin can still open and save the account
    assert not User.objects.filter(email__iexact=old_email).exists()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not Network.objects.filter(coordinators=member).exists()
    profile = Professional.objects.get(user=member)
    assert list(profile.organisations.all()) == [] and profile.languages == ""


def test_the_erased_person_cannot_log_in_any_more(client, pworld, admin_user):
    old_email = pworld.member.email
    client.force_login(pworld.member)

    erase(pworld, admin_user)

    assert client.get(reverse("home")).status_code == 302  # the open session ends
    assert not client.login(email=old_email, password=PASSWORD)
    assert not client.login(email=erased_email(pworld.member), password=PASSWORD)
    client.post(reverse("account_login"), {"login": old_email, "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 302


def test_attendance_figures_and_others_certificates_are_kept(pworld, admin_user):
    held, pending = pworld.held, pworld.world.users["pending"]
    before = list(
        Attendance.objects.filter(meeting=held).values_list("user_id", "status").order_by("user_id")
    )
    certificate = pworld.other_certificate

    erase(pworld, admin_user)

    assert list(
        Attendance.objects.filter(meeting=held).values_list("user_id", "status").order_by("user_id")
    ) == (before)
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.session_count, kept.total_minutes, kept.holder_name) == (1, 90, certificate.holder_name)
    assert certificate_for_meeting(pending, held).total_minutes == 90
    today = timezone.localdate()
    again = certificate_for_period(pending, today - timedelta(days=30), today)
    assert (again.session_count, again.total_minutes) == (1, 90)
    theirs = Certificate.objects.get(pk=pworld.member_certificate.pk)
    assert (theirs.holder_name, theirs.total_minutes) == (erased_name(pworld.member), 90)


def test_the_name_is_gone_from_every_page_that_showed_it(client, pworld, admin_user):
    world, member = pworld.world, pworld.member
    full_name = " ".join(MEMBER_NAME)
    facilitator = world.users["facilitator"]
    organisation = world.network.organisations.get()
    pages = {
        "directory": (world.users["coordinator"], reverse("accounts:organisation", args=[organisation.pk])),
        "meeting": (facilitator, reverse("meetings:meeting", args=[pworld.held.pk])),
        "invitations": (facilitator, reverse("meetings:invitations", args=[pworld.held.pk])),
        "group": (facilitator, reverse("meetings:group", args=[world.group.pk])),
    }
    for label, (viewer, url) in pages.items():
        assert MEMBER_NAME[1] in page(client, viewer, url), label

    erase(pworld, admin_user)

    for label, (viewer, url) in pages.items():
        body = page(client, viewer, url)
        assert MEMBER_NAME[1] not in body and "member@example.test" not in body, label
    assert erased_name(member) in page(client, facilitator, pages["meeting"][1])
    export = client.get(reverse("attendance:attendance_csv", args=[pworld.held.pk]))
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4  # the header and the three who came
    assert full_name not in content.decode("utf-8-sig") and MEMBER_NAME[1] not in content.decode("utf-8-sig")


def test_what_they_had_here_stops_or_is_forgotten(pworld, admin_user):
    world, member = pworld.world, pworld.member
    waiting = OutboxMessage.objects.get(recipient_email=member.email)
    future = world.concertation.invitations.get(user=member)
    past = pworld.held.invitations.get(user=member)
    past_nonce = past.nonce

    erase(pworld, admin_user)

    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.SUPERSEDED
    assert (waiting.recipient_email, waiting.recipient_name) == (erased_email(member), erased_name(member))
    assert not Invitation.objects.filter(pk=future.pk).exists()  # a meeting still to come
    past.refresh_from_db()
    assert (past.email, past.name, past.user_id) == (erased_email(member), "", member.pk)
    assert past.nonce != past_nonce  # the links of old e-mails are revoked
    assert GroupMembership.objects.get(user=member).status == MembershipStatus.LEFT
    assert not FeedSubscription.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert set(FeedSubscription.objects.filter(user=member).values_list("label", flat=True)) == {""}
    draft = Vignette.objects.get(author=member, status__in=[VignetteStatus.WITHDRAWN])
    assert (draft.text, draft.title) == ("", "—")
    assert Vignette.objects.get(author=member, status=VignetteStatus.SHARED).text  # the meeting's material
    assert sorted(Feedback.objects.values_list("score", "comment")) == [(2, OTHER_COMMENT), (5, "")]
    assert MEMBER_COMMENT not in str(list(Feedback.objects.values_list("comment", flat=True)))
    assert Action.objects.filter(owner=member).count() == 1  # others rely on it; it shows the tombstone
    assert AccessRecord.objects.filter(reader=member).count() == 1  # evidence, until its retention


def test_nothing_is_sent_to_the_tombstone_afterwards(pworld, admin_user, django_capture_on_commit_callbacks):
    member = pworld.member
    erase(pworld, admin_user)
    member.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.queue(kind="account_invitation", **outbox.addressed_to(member))
        [many] = outbox.queue_many([{"kind": "account_invitation", **outbox.addressed_to(member)}])

    assert set(
        OutboxMessage.objects.filter(pk__in=[message.pk, many.pk]).values_list("status", flat=True)
    ) == {OutboxStatus.SUPERSEDED}
    assert mail.outbox == []


def snapshot() -> dict:
    """Every row of every table, serialised: what 'changes nothing' is measured against."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_erasing_twice_changes_nothing(pworld, admin_user):
    erase(pworld, admin_user)
    first = snapshot()

    erase(pworld, admin_user)

    second = snapshot()
    assert [label for label in first if first[label] != second[label]] == []


def test_nobody_erases_their_own_account(pworld):
    member = pworld.member

    with pytest.raises(ValidationError):
        erase_person(user=member, by=member)

    member.refresh_from_db()
    assert member.is_active and member.email == "member@example.test"


# Situations


def test_a_professional_of_a_situation_leaves_its_network_and_keeps_their_notes(client, db, admin_user):
    sworld = build_situation_world()
    gp = sworld.users["professional"]

    erase_person(user=gp, by=admin_user)

    member = Member.objects.get(user=gp)
    assert member.until == timezone.localdate()
    assert Note.objects.get(author=gp).text == NOTE_TEXT  # the situation's, not theirs to take
    situation = fresh(sworld.situation)
    referent = sworld.users["referent"]
    for name in ["network", "notes"]:
        body = page(client, referent, reverse(f"situations:{name}", args=[situation.pk]))
        assert "Gilles" not in body and "Petit" not in body, name
    assert erased_name(gp) in page(client, referent, reverse("situations:notes", args=[situation.pk]))


def test_an_exclusion_naming_the_account_is_renamed_and_still_holds(db, admin_user):
    from meetings.situations.models import ConsentExclusion
    from meetings.situations.rules import access_for

    sworld = build_situation_world()
    excluded = sworld.users["excluded"]
    ConsentExclusion.objects.filter(name="Dr Lemaire").update(user=excluded)

    erase_person(user=excluded, by=admin_user)

    assert ConsentExclusion.objects.get(user=excluded).name == erased_name(excluded)
    assert access_for(excluded, fresh(sworld.situation)).excluded


# The admin


def erase_action(client, admin_user, people, **extra):
    client.force_login(admin_user)
    data = {"action": "erase_personal_data", "_selected_action": [p.pk for p in people], **extra}
    return client.post(reverse("admin:accounts_user_changelist"), data, follow=bool(extra))


def test_the_admin_action_asks_for_confirmation_first(client, pworld, admin_user):
    response = erase_action(client, admin_user, [pworld.member])

    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Effacer les données personnelles" in body and " ".join(MEMBER_NAME) in body
    assert "Oui, effacer ces données" in body and "rien n'est supprimé en cascade" in body
    pworld.member.refresh_from_db()
    assert pworld.member.is_active


def test_the_admin_action_erases_once_confirmed(client, pworld, admin_user):
    response = erase_action(client, admin_user, [pworld.member], post="yes")

    assert "Données personnelles effacées : 1 compte(s)." in unescape(response.content.decode())
    pworld.member.refresh_from_db()
    assert pworld.member.email == erased_email(pworld.member) and not pworld.member.is_active
    entry = LogEntry.objects.get(object_id=str(pworld.member.pk))
    assert entry.object_repr == erased_name(pworld.member)


def test_the_admin_action_refuses_ones_own_account_and_erases_the_others(client, pworld, admin_user):
    response = erase_action(client, admin_user, [admin_user, pworld.member], post="yes")

    assert "Vous ne pouvez pas effacer votre propre compte." in unescape(response.content.decode())
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.email == "admin@example.test"
    pworld.member.refresh_from_db()
    assert not pworld.member.is_active


def test_accounts_are_not_deleted_in_the_admin(client, pworld, admin_user):
    client.force_login(admin_user)

    delete_page = client.get(reverse("admin:accounts_user_delete", args=[pworld.member.pk]))
    bulk = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [pworld.member.pk], "post": "yes"},
    )

    assert delete_page.status_code == 403
    assert User.objects.filter(pk=pworld.member.pk).exists()
    assert bulk.status_code in (200, 302)


def test_staff_without_rights_on_accounts_cannot_erase(client, pworld):
    staff = UserFactory(is_staff=True)

    response = erase_action(client, staff, [pworld.member], post="yes")

    assert response.status_code == 403
    pworld.member.refresh_from_db()
    assert pworld.member.is_active
