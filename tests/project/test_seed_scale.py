"""`seed_scale` at a two-hundredth of the federation: the shapes the benchmarks rely on, rows that the
pages and feeds show like the services' own, and the refusal to fill a database that has people."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Professional, User
from meetings.attendance.models import Attendance
from meetings.calendar.services.subscriptions import subscription_create
from meetings.followup.models import Action, Outcome
from meetings.kinds import Kind
from meetings.models import GroupMembership, Invitation, Meeting, MeetingStatus, MembershipStatus, MessageKind
from meetings.services.meetings import meeting_cancel
from meetings.situations.models import Situation
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories import ProfessionalFactory

SCALE = 0.005  # 25 professionals, 500 meetings, about 5,000 invitations; one network


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_scale", "--scale", str(SCALE), stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()


def invitation_counts(**meetings):
    return list(
        Meeting.objects.filter(**meetings).annotate(n=Count("invitations")).values_list("n", flat=True)
    )


def test_the_federation_at_a_two_hundredth_has_the_shapes_of_the_full_one(seeded):
    assert Professional.objects.count() == 25
    assert Organisation.objects.count() == 2
    assert Meeting.objects.count() == 500
    assert seeded[-2].startswith(f"Scale data ({SCALE:g})") and "Invitation " in seeded[-2]

    per_person = (
        GroupMembership.objects.filter(status=MembershipStatus.ACTIVE)
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert len(per_person) == 25 and set(per_person) <= {2, 3, 4}

    # Network meetings: 20 to 80 invitees, as many as the network has (25 here).
    network_meetings = invitation_counts(kind=Kind.THEMATIC)  # its coordination series too
    assert network_meetings and min(network_meetings) >= 20 and max(network_meetings) <= 25
    concertations = invitation_counts(kind=Kind.CONCERTATION)
    assert len(concertations) > 250 and min(concertations) >= 2 and max(concertations) <= 6

    # Occurrences: their series' UID and a RECURRENCE-ID; moved or cancelled ones a SEQUENCE above.
    occurrences = Meeting.objects.filter(series__isnull=False)
    assert not occurrences.exclude(uid=F("series__uid")).exists()
    assert not occurrences.filter(recurrence_id__isnull=True).exists()
    moved = occurrences.exclude(start=F("recurrence_id"))
    cancelled = occurrences.filter(status=MeetingStatus.CANCELLED)
    assert moved.exists() and cancelled.exists()
    assert not moved.filter(sequence=0).exclude(status=MeetingStatus.CANCELLED).exists()
    assert not cancelled.filter(sequence=0).exists()
    # Every occurrence invitation comes from its series invitation.
    assert not Invitation.objects.filter(
        meeting__series__isnull=False, series_invitation__isnull=True
    ).exists()
    nonces = Invitation.objects.values_list("nonce", flat=True)
    assert len(set(nonces)) == len(nonces)

    # Roll calls, outcomes and actions only where a meeting took place.
    took_place = [MeetingStatus.HELD, MeetingStatus.CLOSED]
    assert (
        Attendance.objects.exists()
        and not Attendance.objects.exclude(meeting__status__in=took_place).exists()
    )
    assert (
        Outcome.objects.filter(meeting__status=MeetingStatus.CLOSED).count()
        == Meeting.objects.filter(status=MeetingStatus.CLOSED).count()
    )
    assert Action.objects.exists() and not Action.objects.exclude(origin__status__in=took_place).exists()
    assert Situation.objects.count() == 2


def test_the_busiest_professional_is_printed_last_and_their_pages_render(seeded, client):
    busiest = User.objects.annotate(n=Count("invitations")).order_by("-n", "pk").first()
    assert seeded[-1] == f"busiest: {busiest.email}"
    assert busiest.check_password("concertation-demo")

    client.force_login(busiest)
    groups = list(busiest.group_memberships.select_related("group"))
    agenda = client.get(reverse("meetings:agenda"))
    assert agenda.status_code == 200
    assert any(m.group.name in agenda.content.decode() for m in groups)

    group = groups[0].group
    page = client.get(reverse("meetings:group", args=[group.pk]))
    assert page.status_code == 200 and group.name in page.content.decode()

    _subscription, token = subscription_create(user=busiest, label="Test")
    feed = client.get(reverse("calendar:feed", args=[token]))
    body = b"".join(feed.streaming_content if feed.streaming else [feed.content]).decode()
    body = body.replace("\r\n ", "")  # unfolded
    assert feed.status_code == 200 and body.count("BEGIN:VEVENT") > 10
    assert any(m.group.name in body for m in groups)


def test_who_was_invited_to_a_meeting_to_come_hears_of_its_cancellation(
    seeded, django_capture_on_commit_callbacks
):
    meeting = (
        Meeting.objects.filter(
            kind=Kind.CONCERTATION, status=MeetingStatus.SCHEDULED, start__gt=timezone.now()
        )
        .order_by("start")
        .first()
    )
    invited = set(meeting.invitations.values_list("email", flat=True))
    assert OutboxMessage.objects.filter(kind=MessageKind.REQUEST, status=OutboxStatus.SENT).about(
        meeting=meeting.pk
    ).count() == len(invited)

    with django_capture_on_commit_callbacks(execute=False):
        meeting_cancel(meeting=meeting)

    cancels = OutboxMessage.objects.filter(kind=MessageKind.CANCEL).about(meeting=meeting.pk)
    assert set(cancels.values_list("recipient_email", flat=True)) == invited


def test_a_database_with_professionals_is_refused(db):
    ProfessionalFactory()
    with pytest.raises(CommandError, match="already has professionals"):
        call_command("seed_scale", "--scale", "0.002", stdout=StringIO(), stderr=StringIO())
    assert Professional.objects.count() == 1 and not Meeting.objects.exists()
