"""An organisation's meeting load: its members see aggregates only, nothing below five members;
its networks' coordinators set its budget per FTE; the same queries for 5 members as for 50."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.kinds import Kind
from meetings.load.accounting import month_loads
from meetings.load.models import OrganisationBudget
from tests.load.people import LAST_MONTH, People

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def staff(people, count: int) -> list:
    """COUNT members: the first half-time; each went to a 2-hour thematic meeting in October
    (30 min of travel), the first also to a concertation of 90 min."""
    members = [
        people.member(fte="0.50" if i == 0 else "1.00", last_name=f"Membre{i:02d}") for i in range(count)
    ]
    meeting = people.meeting(date(2026, 10, 8), minutes=120, kind=Kind.THEMATIC)
    for member in members:
        people.invite(meeting, member)
    people.went(members[0], date(2026, 10, 15), at=time(14, 0), minutes=90, kind=Kind.CONCERTATION)
    return members


def page(client, people, user):
    client.force_login(user)
    return client.get(reverse("load:organisation", args=[people.organisation.pk]))


def test_below_five_members_no_figure_is_shown(client, people):
    members = staff(people, 4)

    response = page(client, people, members[1])

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-figures"' in body and "moins de 5 personnes" in body
    assert "<svg" not in body and "<table" not in body
    assert "octobre 2026" not in body and "2,5" not in body


def test_from_five_members_the_aggregates_by_month_and_kind(client, people):
    members = staff(people, 5)

    body = page(client, people, members[1]).content.decode()

    assert 'id="no-figures"' not in body
    svg = body[body.index("<svg") : body.index("</svg>")]
    # 5 × 2 h 30 thematic + 2 h concertation = 14,5 h, over 4,5 FTE.
    assert "octobre 2026 — Réunion thématique de réseau : 2,8\u00a0h" in svg
    # One member went to a concertation: that kind is not shown as such, its hours join the
    # other kinds (no bar stands for fewer than five colleagues).
    assert "octobre 2026 — autres types de réunion : 0,4\u00a0h" in svg
    assert "Concertation clinique" not in body
    assert "<title>Budget par ETP : 8\u00a0h</title>" in svg
    table = body[body.index('<table class="chart-table"') : body.index("</table>")]
    row = table[table.index("octobre 2026") :]
    row = row[: row.index("</tr>")]
    # thematic, other kinds, hours per FTE, budget per FTE, the average of each one's hours per
    # FTE ((2,5 + 2) / 0,5 and 4 × 2,5, over 5), total hours, share over budget (the first:
    # 4,5 h against 4 h).
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]] == [
        "2,8",
        "0,4",
        "3,2",
        "8",
        "3,8",
        "14,5",
        "20",
    ]
    # No single member's figure: nobody's name, no 4,5 h.
    assert "Membre00" not in body


def test_outsiders_may_not_see_it(client, people):
    staff(people, 5)
    outsider = People("Autre service").member()

    assert page(client, people, outsider).status_code == 403


def test_coordinators_set_the_budget_per_fte_and_it_applies_to_members(client, people):
    members = staff(people, 5)
    client.force_login(people.coordinator)
    url = reverse("load:organisation", args=[people.organisation.pk])

    response = client.post(url, {"hours_per_fte": "6"})

    assert response.status_code == 302
    assert OrganisationBudget.objects.get(organisation=people.organisation).hours_per_fte == Decimal("6")
    (load,) = month_loads(members[0], [LAST_MONTH])
    assert load.budget_hours == Decimal("3.0")
    assert "<title>Budget par ETP : 6\u00a0h</title>" in client.get(url).content.decode()


@pytest.mark.parametrize("value", ["-1", "160,5", "beaucoup"])
def test_a_bad_budget_is_refused_and_changes_nothing(client, people, value):
    staff(people, 5)
    OrganisationBudget.objects.create(organisation=people.organisation, hours_per_fte=Decimal("7"))
    client.force_login(people.coordinator)

    response = client.post(
        reverse("load:organisation", args=[people.organisation.pk]), {"hours_per_fte": value}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "entre 0 et 160" in body or "Saisissez un nombre." in body
    assert OrganisationBudget.objects.get(organisation=people.organisation).hours_per_fte == Decimal("7")


def test_members_may_not_set_the_budget(client, people):
    members = staff(people, 5)
    client.force_login(members[1])
    url = reverse("load:organisation", args=[people.organisation.pk])

    assert 'name="hours_per_fte"' not in client.get(url).content.decode()
    assert client.post(url, {"hours_per_fte": "2"}).status_code == 403
    assert not OrganisationBudget.objects.exists()


def test_as_many_queries_for_five_members_as_for_fifty(client, people):
    members = staff(people, 5)
    client.force_login(members[1])
    url = reverse("load:organisation", args=[people.organisation.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    meeting = people.meeting(date(2026, 9, 3), minutes=60, kind=Kind.INTERVISION, place="")
    for i in range(45):
        person = people.member(last_name=f"Nouveau{i:02d}")
        people.invite(meeting, person)

    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()

    assert len(many) == len(few)
    assert "50 membres" in body
    assert "septembre 2026 — Intervision : 0,9\u00a0h" in body  # 45 h over 49,5 FTE
