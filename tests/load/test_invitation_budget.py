"""The invitees' meeting budgets on the organiser's invitations page, the role switch it
suggests, and the invitee's own month beside their answer."""

from datetime import time, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import rsvp
from meetings.kinds import Kind
from meetings.load.models import TravelEstimate
from meetings.load.panels import FINE, OVER, PUSHES
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus, PartStat
from meetings.recurrence import local_start
from meetings.services import invitations as inv
from outbox.models import OutboxMessage
from tests.factories import UserFactory, professional_in

pytestmark = pytest.mark.django_db

# The test world lives on Thursday 19 November 2026; its thematic meeting (2 h, at the CPAS)
# is on Tuesday 24 November.


def set_budget(user, hours) -> None:
    user.professional.monthly_meeting_budget = Decimal(hours)
    user.professional.save()


def accepted_meeting(world, user, *, day: int, hours: int, minutes: int = 0) -> Meeting:
    """A November meeting USER accepted, at a place (30 minutes of travel by default)."""
    start = local_start(world.thematic.start.date().replace(day=day), time(8, 0))
    meeting = Meeting.objects.create(
        network=world.network,
        kind=Kind.THEMATIC,
        title=f"Réunion du {day}",
        start=start,
        end=start + timedelta(hours=hours, minutes=minutes),
        organiser=world.users["coordinator"],
        place="Rue Haute 12",
        status=MeetingStatus.SCHEDULED,
    )
    Invitation.objects.create(meeting=meeting, user=user, email=user.email, partstat=PartStat.ACCEPTED)
    return meeting


@pytest.fixture
def invited(world):
    """Three professionals invited to the thematic meeting, each with a budget of 8 h: one over
    it already (9 h), one whom this meeting pushes over (6 h + 2 h 30), one with room (2 h)."""
    organisation = world.users["member"].professional.organisations.first()
    people = {
        "over": professional_in(organisation, first_name="Olga", last_name="Over", email="over@example.test"),
        "pushed": professional_in(
            organisation, first_name="Paul", last_name="Pushed", email="pushed@example.test"
        ),
        "fine": professional_in(
            organisation, first_name="Fanny", last_name="Fine", email="fine@example.test"
        ),
    }
    for user in people.values():
        set_budget(user, 8)
    accepted_meeting(world, people["over"], day=10, hours=8, minutes=30)  # + 30 min travel: 9 h
    accepted_meeting(world, people["pushed"], day=10, hours=5, minutes=30)  # 6 h
    accepted_meeting(world, people["fine"], day=10, hours=1, minutes=30)  # 2 h
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(u) for u in people.values()])
    return people


def budget_rows(response) -> dict:
    [panel] = [p.data for p in response.context["panels"] if p.template == "load/_invitations_budget.html"]
    return {row["invitation"].user.email.split("@")[0]: row for row in panel["rows"]}


def test_the_invitations_page_says_who_is_over_who_would_be_and_who_is_fine(client, world, invited):
    client.force_login(world.users["coordinator"])

    page = client.get(reverse("meetings:invitations", args=[world.thematic.pk]))

    rows = budget_rows(page)
    text = unescape(page.content.decode())
    assert rows["over"]["status"] == OVER and rows["over"]["hours"] == Decimal("9.0")
    assert rows["pushed"]["status"] == PUSHES
    assert rows["pushed"]["with_meeting"] == Decimal("8.5")  # 6 h + 2 h of meeting + 30 min of travel
    assert rows["fine"]["status"] == FINE
    assert [rows[k]["suggest"] for k in ("over", "pushed", "fine")] == [True, True, False]
    assert "au-dessus du budget ce mois-ci" in text
    assert "cette réunion le ferait dépasser" in text
    assert "9,0 h sur un budget de 8,0 h ; 11,5 h avec cette réunion" in text
    assert "2 personnes dépassent ou dépasseraient leur budget" in text
    assert "Suggestion : rôle facultatif, ou compte rendu seulement." in text
    # Nothing else of their meetings: no titles.
    assert "Réunion du 10" not in text


def test_a_meeting_already_accepted_counts_once_and_their_own_travel_estimate_counts(client, world, invited):
    pushed = invited["pushed"]
    Invitation.objects.filter(meeting=world.thematic, user=pushed).update(partstat=PartStat.ACCEPTED)
    TravelEstimate.objects.create(user=pushed, place="CPAS", place_key="cpas", minutes=0)
    client.force_login(world.users["coordinator"])

    rows = budget_rows(client.get(reverse("meetings:invitations", args=[world.thematic.pk])))

    assert rows["pushed"]["hours"] == Decimal("6.0")
    assert rows["pushed"]["with_meeting"] == Decimal("8.0")  # no travel to the CPAS: within 8 h
    assert rows["pushed"]["status"] == FINE


def test_the_organiser_makes_an_over_budget_invitee_optional_quietly(client, world, invited):
    invitation = Invitation.objects.get(meeting=world.thematic, user=invited["over"])
    OutboxMessage.objects.all().delete()
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:invitation_role", args=[world.thematic.pk, invitation.pk])

    page = client.post(url, {"role": InvitationRole.OPTIONAL}, follow=True)

    invitation.refresh_from_db()
    assert invitation.role == InvitationRole.OPTIONAL
    assert "Olga Over : facultatif pour cette réunion." in unescape(page.content.decode())
    assert not OutboxMessage.objects.exists()


def test_made_minutes_only_an_invitee_who_had_accepted_is_told_by_an_update(client, world, invited):
    invitation = Invitation.objects.get(meeting=world.thematic, user=invited["pushed"])
    inv.answer(target=invitation, partstat=PartStat.ACCEPTED)
    OutboxMessage.objects.all().delete()
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:invitation_role", args=[world.thematic.pk, invitation.pk])

    client.post(url, {"role": InvitationRole.MINUTES_ONLY})
    client.post(url, {"role": InvitationRole.MINUTES_ONLY})
    rows = budget_rows(client.get(reverse("meetings:invitations", args=[world.thematic.pk])))

    invitation.refresh_from_db()
    assert (invitation.role, invitation.partstat) == (InvitationRole.MINUTES_ONLY, PartStat.ACCEPTED)
    assert list(OutboxMessage.objects.values_list("recipient_email", "kind")) == [
        ("pushed@example.test", "update")
    ]
    assert rows["pushed"]["minutes_only"] and not rows["pushed"]["suggest"]


def test_the_role_switch_refuses_other_roles_and_other_people(client, world, invited):
    invitation = Invitation.objects.get(meeting=world.thematic, user=invited["over"])
    url = reverse("meetings:invitation_role", args=[world.thematic.pk, invitation.pk])
    client.force_login(world.users["coordinator"])

    refused = client.post(url, {"role": InvitationRole.FACILITATOR}, follow=True)
    client.force_login(world.users["outsider"])
    forbidden = client.post(url, {"role": InvitationRole.OPTIONAL})

    invitation.refresh_from_db()
    assert "Choisissez un rôle proposé." in unescape(refused.content.decode())
    assert forbidden.status_code in {403, 404}
    assert invitation.role == InvitationRole.PARTICIPANT


def _page_queries(client, world) -> int:
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:invitations", args=[world.thematic.pk])
    client.get(url)  # the session and the like, read once
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return len(captured.captured_queries), len(budget_rows(page))


@pytest.mark.parametrize("many", [79])
def test_the_budget_column_reads_as_many_queries_for_one_as_for_eighty_invitees(client, world, many):
    organisation = world.users["member"].professional.organisations.first()
    first = professional_in(organisation, email="first@example.test")
    accepted_meeting(world, first, day=9, hours=2)
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(first)])
    few, shown_few = _page_queries(client, world)

    people = [professional_in(organisation, email=f"p{i}@example.test") for i in range(many)]
    for person in people[:10]:
        accepted_meeting(world, person, day=12, hours=3)
        TravelEstimate.objects.create(user=person, place="CPAS", place_key="cpas", minutes=20)
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(u) for u in people])
    lots, shown_lots = _page_queries(client, world)

    assert (shown_few, shown_lots) == (1, 80)
    assert lots == few


def test_guests_and_people_without_a_profile_are_not_in_the_budget_column(client, world, invited):
    inv.invite_to_meeting(
        meeting=world.thematic, invitees=[inv.guest("ines@example.be"), inv.invitee_for(UserFactory())]
    )
    client.force_login(world.users["coordinator"])

    rows = budget_rows(client.get(reverse("meetings:invitations", args=[world.thematic.pk])))

    assert sorted(rows) == ["fine", "over", "pushed"]


def test_the_answer_page_says_the_month_and_puts_minutes_only_forward_when_over(client, world, invited):
    over = invited["over"]
    invitation = Invitation.objects.get(meeting=world.thematic, user=over)
    client.force_login(over)

    page = client.get(rsvp.link_path(invitation, "accept"))
    text = unescape(page.content.decode())

    assert (
        "Ce mois-ci : 9,0 h de réunions sur un budget de 8,0 h ; cette réunion vous ferait passer à 11,5 h."
        in text
    )
    assert "vous pouvez répondre « Je ne viens pas : envoyez-moi le compte rendu »" in text


def test_the_answer_page_keeps_the_hours_from_whoever_opens_a_forwarded_link(client, world, invited):
    invitation = Invitation.objects.get(meeting=world.thematic, user=invited["over"])

    anonymous = unescape(client.get(rsvp.link_path(invitation, "accept")).content.decode())
    client.force_login(invited["fine"])
    someone_else = unescape(client.get(rsvp.link_path(invitation, "accept")).content.decode())

    assert "Ce mois-ci" not in anonymous and "Ce mois-ci" not in someone_else


def test_the_meeting_page_answer_section_shows_the_month_without_suggestion_when_there_is_room(
    client, world, invited
):
    client.force_login(invited["fine"])

    text = unescape(client.get(reverse("meetings:meeting", args=[world.thematic.pk])).content.decode())

    assert (
        "Ce mois-ci : 2,0 h de réunions sur un budget de 8,0 h ; cette réunion vous ferait passer à 4,5 h."
        in text
    )
    assert "C'est au-delà de votre budget" not in text


def test_a_meeting_in_another_month_weighs_on_that_month(client, world, invited):
    over = invited["over"]
    december = world.thematic.start + timedelta(days=14)
    Meeting.objects.filter(pk=world.thematic.pk).update(start=december, end=december + timedelta(hours=2))
    invitation = Invitation.objects.get(meeting=world.thematic, user=over)
    client.force_login(over)

    text = unescape(client.get(rsvp.link_path(invitation, "accept")).content.decode())

    assert "En décembre 2026 : 0,0 h de réunions sur un budget de 8,0 h" in text
