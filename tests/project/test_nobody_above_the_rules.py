"""A superuser administers accounts and metadata; confidential content follows the same rules for
them as for anyone (DESIGN.md, privacy rule 8). Each test opens a page as a superuser in no
network (staff, every admin right), then, where it tells something, as a superuser who holds a
place in the network, who sees what anyone in that place sees and no more."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, Organisation, User
from audit.models import AccessRecord
from meetings.attendance.models import Attendance, AttendanceStatus
from meetings.calendar.services.subscriptions import subscription_create
from meetings.followup import rules as followup_rules
from meetings.followup.models import Action, ActionStatus
from meetings.followup.services import outcomes
from meetings.models import GroupMembership, MeetingStatus, MembershipStatus, Role
from meetings.vignettes.models import Vignette, VignetteRead, VignetteStatus
from tests.factories import ProfessionalFactory, UserFactory
from tests.world import CONCERTATION_TITLE, GROUP_NAME, SESSION_TITLE, THEMATIC_TITLE

pytestmark = pytest.mark.django_db

SUMMARY = "La sortie est préparée avec l'équipe mobile."
ACTION = "Appeler le service social"
VIGNETTE_TEXT = "Une femme d'une trentaine d'années refuse les soins proposés."


@pytest.fixture
def superuser(client):
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return admin


def _page(client, url) -> tuple[int, str]:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, unescape(content.decode("utf-8-sig"))


def _in_the_network(world, user) -> User:
    """USER works at the network's organisation: a member of the network, of no group."""
    ProfessionalFactory(user=user, organisations=[world.users["member"].professional.organisations.get()])
    return User.objects.get(pk=user.pk)  # no rule answer cached from before


def _outcome_with_an_action(world):
    meeting = world.concertation
    with time_machine.travel(meeting.end + timedelta(minutes=5), tick=False):
        outcomes.outcome_record(
            meeting=meeting,
            by=world.users["facilitator"],
            summary=SUMMARY,
            actions=[outcomes.NewAction(ACTION, world.users["member"], meeting.start.date() + timedelta(10))],
        )
    return Action.objects.get()


def test_a_superuser_does_not_read_a_concertations_title(client, world, superuser):
    meeting = client.get(reverse("meetings:meeting", args=[world.concertation.pk]))
    _status, agenda = _page(client, reverse("meetings:agenda"))

    assert meeting.status_code == 404
    assert CONCERTATION_TITLE not in unescape(meeting.content.decode())
    assert CONCERTATION_TITLE not in agenda
    assert THEMATIC_TITLE not in agenda  # in no network: not even its open meetings


def test_a_superuser_in_the_network_does_not_read_a_concertation_they_are_not_invited_to(
    client, world, superuser
):
    _in_the_network(world, superuser)

    status, body = _page(client, reverse("meetings:meeting", args=[world.concertation.pk]))
    _status, agenda = _page(client, reverse("meetings:agenda"))

    assert status == 404
    assert CONCERTATION_TITLE not in body
    assert CONCERTATION_TITLE not in agenda
    assert THEMATIC_TITLE in agenda  # the network's open meeting, as for any member


def test_a_superuser_does_not_see_a_closed_groups_sessions(client, world, superuser):
    session_status, session = _page(client, reverse("meetings:meeting", args=[world.session.pk]))
    group_status, group = _page(client, reverse("meetings:group", args=[world.group.pk]))
    _status, groups = _page(client, reverse("meetings:groups"))

    assert (session_status, group_status) == (404, 404)
    for body in (session, group, groups):
        assert GROUP_NAME not in body
        assert "Rue Haute 100" not in body


def test_a_superuser_who_has_not_accepted_the_charter_sees_no_session_details(client, world, superuser):
    _in_the_network(world, superuser)
    GroupMembership.objects.create(
        group=world.group, user=superuser, role=Role.MEMBER, status=MembershipStatus.ACTIVE
    )

    status, body = _page(client, reverse("meetings:meeting", args=[world.session.pk]))
    _status, group = _page(client, reverse("meetings:group", args=[world.group.pk]))

    assert status == 200
    assert GROUP_NAME in body  # a member of the group, as any other
    assert SESSION_TITLE not in body
    assert "Rue Haute 100" not in body
    assert "réservé aux membres du groupe qui ont accepté sa charte" in body
    assert "member@example.test" not in group
    assert 'id="member-list"' not in group


def test_a_superuser_reads_no_outcome_and_no_action(client, world, superuser):
    action = _outcome_with_an_action(world)
    world.concertation.refresh_from_db()

    meeting_status, meeting = _page(client, reverse("meetings:meeting", args=[world.concertation.pk]))
    outcome_status, outcome = _page(client, reverse("followup:outcome", args=[world.concertation.pk]))
    _status, actions = _page(client, reverse("followup:actions"))

    assert (meeting_status, outcome_status) == (404, 404)
    for body in (meeting, outcome, actions):
        assert SUMMARY not in body
        assert ACTION not in body
    assert not followup_rules.can_see_outcome(superuser, world.concertation)
    assert not followup_rules.can_edit_action(superuser, action)
    assert not AccessRecord.objects.filter(reader=superuser).exists()


def test_a_superuser_cannot_change_an_action(client, world, superuser):
    action = _outcome_with_an_action(world)

    response = client.post(reverse("followup:action_update", args=[action.pk]), {"status": "done"})

    assert response.status_code == 404
    assert ACTION not in unescape(response.content.decode())
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_a_superuser_reads_no_vignette_and_leaves_no_read(client, world, superuser):
    vignette = Vignette.objects.create(
        meeting=world.thematic,
        author=world.users["coordinator"],
        title="Un refus de soins",
        text=VIGNETTE_TEXT,
        status=VignetteStatus.SHARED,
        shared_at=timezone.now(),
        readable_until=world.thematic.end + timedelta(days=7),
    )

    outside = _page(client, reverse("vignettes:vignette", args=[vignette.pk]))
    _in_the_network(world, superuser)  # a member of the network who did not take part
    inside = _page(client, reverse("vignettes:vignette", args=[vignette.pk]))

    for status, body in (outside, inside):
        assert status == 404
        assert VIGNETTE_TEXT not in body
        assert "Un refus de soins" not in body
    assert not VignetteRead.objects.exists()
    assert not AccessRecord.objects.filter(reader=superuser).exists()


def test_a_superuser_exports_no_attendance_of_a_group_they_are_not_in(client, world, superuser):
    session = world.session
    session.status = MeetingStatus.HELD
    session.save(update_fields=["status"])
    Attendance.objects.create(meeting=session, user=world.users["member"], status=AttendanceStatus.PRESENT)
    member_name = world.users["member"].get_full_name()

    pages = [
        _page(client, reverse("attendance:attendance_csv", args=[session.pk])),
        _page(client, reverse("attendance:group_attendance_csv", args=[world.group.pk])),
        _page(client, reverse("attendance:network_attendance_csv") + f"?network={world.network.pk}"),
    ]
    _status, certificates = _page(client, reverse("attendance:certificates"))

    assert [status for status, _body in pages] == [404, 404, 403]
    for _status, body in [*pages, (None, certificates)]:
        assert member_name not in body
        assert "member@example.test" not in body
        assert GROUP_NAME not in body
    assert f"?network={world.network.pk}" not in certificates  # no export offered


def test_a_superusers_feed_carries_no_meeting_of_the_network(client, world, superuser):
    _subscription, token = subscription_create(user=superuser, label="Téléphone")

    feed = client.get(reverse("calendar:feed", args=[token])).content.decode()

    assert "BEGIN:VCALENDAR" in feed
    assert "BEGIN:VEVENT" not in feed
    for title in (SESSION_TITLE, THEMATIC_TITLE, "Concertation clinique"):
        assert title not in feed


def test_a_superuser_coordinates_no_network_for_being_one(client, world, superuser):
    _status, home = _page(client, reverse("home"))
    create_group = client.get(reverse("meetings:group_create"))

    assert "Réseau Marolles" not in home
    assert create_group.status_code == 403


# What a superuser keeps: the directory's administration, as a coordinator has it in their networks.


def test_a_superuser_edits_a_directory_entry(client, world, superuser):
    organisation = world.users["member"].professional.organisations.get()

    response = client.post(
        reverse("accounts:organisation_edit", args=[organisation.pk]),
        {"name": "SSM Les Marolles asbl", "kind": "mental_health", "commune": "Bruxelles"},
    )

    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).name == "SSM Les Marolles asbl"


def test_a_superuser_invites_a_colleague_into_any_network(
    client, world, superuser, django_capture_on_commit_callbacks
):
    organisation = world.users["member"].professional.organisations.get()
    form = client.get(reverse("accounts:invite")).context["form"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "email": "els@example.test",
                "first_name": "Els",
                "last_name": "Peeters",
                "profession": "psychologist",
                "network": world.network.pk,
                "organisation": organisation.pk,
                "language": "fr",
            },
        )

    assert list(form.fields["network"].queryset.order_by("pk")) == list(Network.objects.order_by("pk"))
    assert response.status_code == 302
    invited = User.objects.get(email="els@example.test")
    assert list(invited.professional.organisations.all()) == [organisation]
    assert [message.to for message in mail.outbox] == [["els@example.test"]]
    # Inviting someone opens nothing to the superuser themselves.
    assert client.get(reverse("meetings:meeting", args=[world.thematic.pk])).status_code == 404
