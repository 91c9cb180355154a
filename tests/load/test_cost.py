"""What a meeting costs in person-hours: the live region of the meeting and series forms (htmx,
load:cost), the same region without JavaScript, and the meeting page's cost from its invitees."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from meetings.load.models import TravelEstimate
from meetings.load.panels import meeting_cost
from meetings.models import Invitation, InvitationRole, MembershipStatus, PartStat
from meetings.services import invitations as inv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def region(client, **values):
    response = client.get(reverse("load:cost"), values)
    assert response.status_code == 200
    return response.context["panel"]["cost"], unescape(response.content.decode())


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.users["coordinator"])
    return world.users["coordinator"]


def test_in_person_capacity_times_duration_plus_thirty_minutes_of_travel(client, coordinator):
    cost, text = region(client, duration="90", place="Rue Haute 12", capacity="10")

    assert (cost.participants, cost.source, cost.travel_minutes) == (10, "capacity", 30)
    assert cost.per_session == Decimal("20.0")  # 10 × (90 + 30) minutes
    assert "20,0 heures-personnes : 10 participant·e·s" in text
    assert "Participant·e·s : le nombre de places." in text


def test_online_only_has_no_travel(client, coordinator):
    cost, text = region(client, duration="60", online_link="https://visio.example.be/x", capacity="6")

    assert cost.travel_minutes == 0 and cost.online
    assert cost.per_session == Decimal("6.0")
    assert "En ligne : pas de trajet." in text


def test_without_capacity_the_typed_number_counts_and_is_asked_for_until_then(client, coordinator):
    waiting, waiting_text = region(client, duration="60", place="CPAS")
    typed, typed_text = region(client, duration="60", place="CPAS", cost_participants="4")

    assert waiting.per_session is None
    assert "Indiquez le nombre de places, ou le nombre de participant·e·s attendu·e·s" in waiting_text
    assert 'name="cost_participants"' in waiting_text
    assert (typed.participants, typed.source, typed.per_session) == (4, "typed", Decimal("6.0"))
    assert "Participant·e·s : le nombre indiqué ci-dessous." in typed_text


def test_a_groups_sessions_count_its_active_members(client, world):
    client.force_login(world.users["facilitator"])
    members = world.group.memberships.filter(status=MembershipStatus.ACTIVE).count()

    cost, text = region(
        client, duration="90", place="Rue Haute 100", capacity="40", cost_group=str(world.group.pk)
    )

    assert members >= 2
    assert (cost.participants, cost.source) == (members, "group")
    assert cost.per_session == Decimal(members * 120) / 60
    assert "les membres actifs du groupe" in text


def test_someone_who_does_not_run_the_group_gets_no_figure_from_it(client, world):
    client.force_login(world.users["outsider"])

    cost, text = region(client, duration="90", place="Rue Haute 100", cost_group=str(world.group.pk))

    assert cost.source == "" and cost.per_session is None
    assert "Ce groupe n'est pas l'un de ceux dont vous programmez les séances." in text


@pytest.mark.parametrize("group", ["²", "12a", "-3"])
def test_a_group_that_is_not_a_number_gets_the_same_calm_answer(client, coordinator, group):
    cost, text = region(client, duration="90", place="Rue Haute 100", cost_group=group)

    assert cost.per_session is None
    assert "Ce groupe n'est pas l'un de ceux dont vous programmez les séances." in text


SERIES = {
    "cost_series": "1",
    "first_day": "2026-12-01",
    "start_time": "20:00",
    "duration": "90",
    "frequency": "monthly_nth",
    "interval": "1",
    "nth": "1",
    "weekday": "1",
    "ends": "never",
    "place": "Rue Haute 100",
    "capacity": "8",
}


def test_a_series_shows_its_yearly_total_over_the_first_twelve_months(client, coordinator):
    cost, text = region(client, **SERIES)

    assert cost.per_session == Decimal("16.0")  # 8 × (90 + 30) minutes
    assert cost.sessions_in_year == 12
    assert cost.yearly == Decimal("192.0")
    assert "Sur un an : 192,0 heures-personnes (12 séances les douze premiers mois)." in text


def test_a_series_ending_early_counts_its_sessions_only(client, coordinator):
    cost, _text = region(client, **{**SERIES, "ends": "after", "count": "3"})

    assert cost.sessions_in_year == 3 and cost.yearly == Decimal("48.0")


def test_an_incomplete_rule_says_the_total_comes_later(client, coordinator):
    cost, text = region(client, **{**SERIES, "first_day": ""})

    assert cost.yearly is None and cost.per_session == Decimal("16.0")
    assert "Le total sur un an s'affiche une fois la répétition complète." in text


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"duration": "abc", "capacity": "4"}, "La durée s'indique en minutes, par un nombre."),
        ({"duration": "-30", "capacity": "4"}, "La durée doit être d'au moins une minute."),
        ({"duration": "60", "cost_participants": "-3"}, "Le nombre de participant·e·s est d'au moins 1."),
        ({"duration": "60", "cost_participants": "douze"}, "s'indique par un nombre entier."),
        ({"duration": "60", "cost_participants": "99999"}, "Au plus 1000 participant·e·s."),
        ({}, "Indiquez la durée (en minutes) pour voir le coût."),
    ],
)
def test_bad_values_get_a_calm_message_and_no_figure(client, coordinator, values, message):
    cost, text = region(client, place="CPAS", **values)

    assert cost.per_session is None
    assert message in text
    assert "heures-personnes :" not in text


def test_the_meeting_form_shows_the_region_without_javascript_and_after_a_refused_post(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:meeting_create")

    opened = unescape(client.get(url).content.decode())
    refused = client.post(url, {"duration": "120", "place": "CPAS", "capacity": "5", "title": ""})
    text = unescape(refused.content.decode())

    assert 'hx-get="/load/cost/"' in opened and 'id="meeting-cost"' in opened
    assert "Indiquez le nombre de places" in opened
    assert refused.status_code == 200
    assert "12,5 heures-personnes : 5 participant·e·s" in text  # 5 × (120 + 30) minutes


def test_the_series_form_of_a_group_counts_its_members(client, world):
    client.force_login(world.users["facilitator"])
    members = world.group.memberships.filter(status=MembershipStatus.ACTIVE).count()

    page = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]), {**SERIES, "title": ""}
    )
    text = unescape(page.content.decode())

    assert f'name="cost_group" value="{world.group.pk}"' in text
    assert f"{members} participant·e·s" in text
    assert "Sur un an :" in text


def test_the_meeting_page_costs_its_invitees_with_their_own_travel(client, world):
    people = [UserFactory() for _ in range(5)]
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(u) for u in people])
    TravelEstimate.objects.create(user=people[0], place="CPAS", place_key="cpas", minutes=60)
    declined = UserFactory()
    Invitation.objects.create(
        meeting=world.thematic, user=declined, email=declined.email, partstat=PartStat.DECLINED
    )
    minutes = UserFactory()
    Invitation.objects.create(
        meeting=world.thematic, user=minutes, email=minutes.email, role=InvitationRole.MINUTES_ONLY
    )
    client.force_login(world.users["coordinator"])

    text = unescape(client.get(reverse("meetings:meeting", args=[world.thematic.pk])).content.decode())

    # 5 × 2 h of meeting + 60 + 4 × 30 minutes of travel
    assert "13,0 heures-personnes pour 5 personnes invitées, dont 3,0 h de trajet." in text


def test_below_five_invitees_everyones_travel_is_the_default(client, world):
    people = [UserFactory() for _ in range(2)]
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(u) for u in people])
    TravelEstimate.objects.create(user=people[0], place="CPAS", place_key="cpas", minutes=60)
    client.force_login(people[1])

    text = unescape(client.get(reverse("meetings:meeting", args=[world.thematic.pk])).content.decode())

    # 2 × 2 h + 2 × 30 minutes: nobody's own time can be read from the total.
    assert "5,0 heures-personnes pour 2 personnes invitées, dont 1,0 h de trajet." in text


@pytest.mark.parametrize("count", [1, 40])
def test_the_meeting_page_cost_reads_two_queries_whatever_the_invitees(
    world, django_assert_num_queries, count
):
    people = [UserFactory() for _ in range(count)]
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(u) for u in people])
    for person in people[: count // 2]:
        TravelEstimate.objects.create(user=person, place="CPAS", place_key="cpas", minutes=10)
    organiser = world.users["coordinator"]
    organiser.__dict__["_invitations"] = {world.thematic.pk: []}

    with django_assert_num_queries(2):
        panel = meeting_cost(world.users["coordinator"], world.thematic, show_details=True)

    assert panel.data["cost"].participants == count


def test_the_meeting_page_cost_is_not_shown_to_who_neither_runs_nor_is_invited(client, world):
    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.invitee_for(world.users["member"])])
    client.force_login(world.users["outsider"])

    text = unescape(client.get(reverse("meetings:meeting", args=[world.thematic.pk])).content.decode())

    assert "heures-personnes" not in text
    assert world.thematic.end - world.thematic.start == timedelta(hours=2)


def test_the_cost_endpoint_asks_for_login_and_changes_nothing(client, world):
    from meetings.models import Meeting

    before = (Meeting.objects.count(), Invitation.objects.count())
    anonymous = client.get(reverse("load:cost"), {"duration": "60", "capacity": "3"})
    refused = client.post(reverse("load:cost"), {"duration": "60", "capacity": "3"})

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert refused.status_code in {302, 405}
    assert (Meeting.objects.count(), Invitation.objects.count()) == before


def test_the_edit_form_costs_a_groups_session_from_its_start_and_end(client, world):
    client.force_login(world.users["facilitator"])
    members = world.group.memberships.filter(status=MembershipStatus.ACTIVE).count()

    page = client.get(reverse("meetings:meeting_edit", args=[world.session.pk]))
    cost = page.context["panels"][0].data["cost"]
    live, _text = region(
        client, start_time="20:00", end_time="21:30", place="Rue Haute 100", cost_group=str(world.group.pk)
    )
    backwards, backwards_text = region(client, start_time="21:30", end_time="20:00", capacity="3")

    assert (cost.participants, cost.duration_minutes, cost.travel_minutes) == (members, 90, 30)
    assert live.per_session == cost.per_session == Decimal(members * 120) / 60
    assert backwards.per_session is None
    assert "La durée doit être d'au moins une minute." in backwards_text
