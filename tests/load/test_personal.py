""" "Ma charge de réunions" (/load/): the chart of twelve months with its data, this month's
meetings under the agenda's headings, overlaps, last month over budget; its CSV; its settings,
which refuse bad input and change nothing."""

import csv
import io
import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Professional
from meetings.attendance.models import AttendanceStatus
from meetings.kinds import Kind
from meetings.load.accounting import place_key
from meetings.load.budget_forms import travel_field_name
from meetings.load.models import TravelEstimate
from meetings.services.groups import group_create
from tests.load.people import PLACE, People

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Concertation autour de Madame R."


@pytest.fixture
def people():
    return People()


@pytest.fixture
def half_time(people):
    """A half-time social worker (budget 4 h): 11 h in October, two meetings overlapping; this
    month a concertation she is invited to and a closed group's session whose details she does not
    see (she has not accepted its charter)."""
    worker = people.member(fte="0.50", email="worker@example.test")
    people.went(worker, date(2026, 10, 6), at=time(9, 0), minutes=150, kind=Kind.THEMATIC)  # + 30
    people.went(worker, date(2026, 10, 6), at=time(11, 0), minutes=90, kind=Kind.THEMATIC, place="")
    for day in (13, 20, 27):
        people.went(worker, date(2026, 10, day), at=time(14, 0), minutes=150, kind=Kind.CONCERTATION)  # + 30
    people.went(worker, date(2026, 5, 12), minutes=90, kind=Kind.THEMATIC)
    people.went(worker, date(2026, 11, 10), minutes=60, kind=Kind.CONCERTATION, title=SECRET_TITLE)
    group = group_create(
        network=people.network,
        kind=Kind.BALINT,
        name="Balint du jeudi",
        facilitators=[people.member()],
        members=[worker],
        charter="Ce qui se dit ici reste ici.",
        by=people.coordinator,
    )
    people.went(
        worker,
        date(2026, 11, 12),
        minutes=90,
        kind=Kind.BALINT,
        group=group,
        title="Balint : Monsieur T.",
        place="",
    )
    return worker


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("load:mine"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_draws_twelve_months_by_kind_under_the_budget_line(client, half_time):
    body = page(client, half_time)

    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and '<title id="my-load-title">' in svg
    # October: 11 h (6 h 30 thematic + travel, 7 h 30 of concertations + travel) against 4 h.
    assert "octobre 2026 — Réunion thématique de réseau : 4,5\u00a0h" in svg
    assert "octobre 2026 — Concertation clinique : 9\u00a0h" in svg
    assert ">13,5 ▲</text>" in svg
    assert "mai 2026 — Réunion thématique de réseau : 2\u00a0h" in svg
    assert "<title>Budget : 4\u00a0h</title>" in svg
    assert re.findall(r'<text x="[^"]+" y="[^"]+" text-anchor="middle" fill="#1f2933">([^<]+)</text>', svg)[
        -12:
    ] == [
        "déc.",
        "jan.",
        "fév.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
    ]
    table = body[body.index('<table class="chart-table"') : body.index("</table>")]
    october = re.search(r"<tr class=\"over\"><th scope=\"row\">octobre 2026 .*?</tr>", table).group(0)
    assert re.findall(r">([^<]*)</td>", october) == ["4,5", "0", "9", "13,5", "4", "2", "0,5"]
    assert "au-dessus du budget" in october


def test_last_month_over_budget_is_said_in_words(client, half_time, people):
    body = page(client, half_time)

    organisation = reverse("load:organisation", args=[people.organisation.pk])
    assert f'<a href="{organisation}">Charge de réunions — SSM Les Marolles</a>' in body

    warning = body[
        body.index('id="last-month-over"') : body.index("</div>", body.index('id="last-month-over"'))
    ]
    assert "En octobre 2026, vous avez passé 13,5 h en réunion" in warning
    assert "pour un budget de 4 h : 9,5 h de trop" in warning


def test_this_month_lists_meetings_under_the_agendas_headings_with_per_fte_figures(client, half_time):
    body = page(client, half_time)

    month = body[body.index('id="this-month"') : body.index("</section>", body.index('id="this-month"'))]
    assert "3 h sur un budget de 4 h" in month  # 1 h + 30 min of travel, 1 h 30 with none
    assert "6 h par ETP" in month and "0,5 ETP" in month and "budget : 8 h par ETP" in month
    # Invited to the concertation, she reads its title; the closed group's session shows its
    # kind and group only, as in her agenda.
    assert SECRET_TITLE in month
    assert "Monsieur T." not in body
    assert "Groupe Balint — Balint du jeudi" in month


def test_overlapping_meetings_are_listed_with_their_shared_minutes(client, half_time):
    body = page(client, half_time)

    overlaps = body[body.index('id="overlaps"') : body.index("</ul>", body.index('id="overlaps"'))]
    assert overlaps.count("<li>") == 1
    assert "30 min comptées deux fois" in overlaps
    assert "6 octobre, 09:00–11:30" in overlaps and "6 octobre, 11:00–12:30" in overlaps


def test_the_csv_has_a_column_per_kind_present_travel_total_budget_and_overlaps(client, half_time):
    client.force_login(half_time)

    response = client.get(reverse("load:mine_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ma-charge-de-reunions-2026-11.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "mois",
        "Réunion thématique de réseau",
        "Groupe Balint",
        "Concertation clinique",
        "trajets (h)",
        "total (h)",
        "budget (h)",
        "chevauchements (h)",
    ]
    assert [row[0] for row in rows[1:]] == [
        f"{y}-{m:02d}" for y, m in [(2025, 12), *((2026, m) for m in range(1, 12))]
    ]
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert by_month["2026-10"] == ["4,5", "0,0", "9,0", "2,0", "13,5", "4,0", "0,5"]
    assert by_month["2026-11"] == ["0,0", "1,5", "1,5", "0,5", "3,0", "4,0", "0,0"]
    assert by_month["2026-01"] == ["0,0", "0,0", "0,0", "0,0", "0,0", "4,0", "0,0"]


def test_the_csv_headers_speak_the_persons_language(client, half_time):
    client.force_login(half_time)

    body = client.get(reverse("load:mine_csv"), HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")

    with translation.override("en"):
        thematic = str(Kind.THEMATIC.label)
    assert thematic != "Réunion thématique de réseau"
    header, *rows = body.splitlines()
    assert header.split(";")[1] == thematic
    assert "2026-10;4.5;0.0;9.0;2.0;13.5;4.0;0.5" in rows


def test_the_page_asks_as_many_queries_for_one_meeting_as_for_many(client, people, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = people.member(fte="0.50")
    people.went(worker, date(2026, 11, 3), title="Réunion numéro 0")
    client.force_login(worker)
    client.get(reverse("load:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("load:mine"))
    for day in range(4, 28):
        people.went(worker, date(2026, 11, day), title=f"Réunion numéro {day}", place=f"Lieu {day}")
        people.went(worker, date(2026, 11, day), at=time(10, 30), title=f"Chevauche {day}")
        people.went(worker, date(2026, 3, day), kind=Kind.INTERVISION, place="")

    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("load:mine")).content.decode()

    assert len(many) == len(few)
    assert "Réunion numéro 27" in body and "Chevauche 27" in body
    assert "mars 2026 — Intervision : 24\u00a0h" in body


# Settings


def settings_page(client, user):
    client.force_login(user)
    return client.get(reverse("load:settings")).content.decode()


def test_settings_list_the_places_of_the_last_twelve_months(client, half_time, people):
    people.went(half_time, date(2025, 10, 1), place="Un lieu d'il y a longtemps")
    session = people.meeting(date(2026, 9, 1), place="Salle du groupe, Rue Blaes 3")
    people.roll_call(session, half_time, AttendanceStatus.PRESENT)  # came, with no invitation

    body = settings_page(client, half_time)

    assert PLACE in body and "Salle du groupe, Rue Blaes 3" in body
    assert "Un lieu d'il y a longtemps" not in body
    assert f'name="{travel_field_name(place_key(PLACE))}"' in body
    assert 'name="fte" value="0,50"' in body
    assert "Vide : le budget par défaut (4 h pour votre temps de travail)." in body


def test_settings_save_fte_budget_and_travel(client, half_time):
    client.force_login(half_time)
    field = travel_field_name(place_key(PLACE))

    response = client.post(reverse("load:settings"), {"fte": "0,8", "monthly_budget": "6,5", field: "45"})

    assert response.status_code == 302 and response["Location"] == reverse("load:mine")
    profile = Professional.objects.get(user=half_time)
    assert (profile.fte, profile.monthly_meeting_budget) == (Decimal("0.80"), Decimal("6.5"))
    assert TravelEstimate.objects.get(user=half_time, place_key=place_key(PLACE)).minutes == 45
    body = client.get(reverse("load:mine")).content.decode()
    assert "Vos réglages sont enregistrés." in body
    assert "octobre 2026 — Concertation clinique : 9,8\u00a0h" in body  # 3 × (150 + 45) min

    # Empty: back to the defaults.
    client.post(reverse("load:settings"), {"fte": "0,8", "monthly_budget": "", field: ""})

    assert Professional.objects.get(user=half_time).monthly_meeting_budget is None
    assert not TravelEstimate.objects.filter(user=half_time).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"monthly_budget": "-1"}, "entre 0 et 160"),
        ({"monthly_budget": "160,5"}, "entre 0 et 160"),
        ({"fte": "0"}, "entre 0,05 et 1"),
        ({"fte": "1,01"}, "entre 0,05 et 1"),
        ({"fte": ""}, "Ce champ est obligatoire."),
        ({"travel": "481"}, "de 0 à 480 (8 heures)"),
        ({"travel": "-5"}, "de 0 à 480 (8 heures)"),
    ],
)
def test_settings_refuse_bad_input_and_change_nothing(client, half_time, change, message):
    TravelEstimate.objects.create(user=half_time, place_key=place_key(PLACE), place=PLACE, minutes=20)
    client.force_login(half_time)
    field = travel_field_name(place_key(PLACE))
    data = {"fte": "0,6", "monthly_budget": "5", field: "40"}
    data.update({(field if key == "travel" else key): value for key, value in change.items()})

    response = client.post(reverse("load:settings"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    profile = Professional.objects.get(user=half_time)
    assert (profile.fte, profile.monthly_meeting_budget) == (Decimal("0.50"), None)
    assert TravelEstimate.objects.get(user=half_time).minutes == 20


def test_the_service_refuses_what_the_form_refuses(half_time):
    from django.core.exceptions import ValidationError

    from meetings.load.services.budgets import load_settings_save

    for values in (
        {"fte": Decimal("0"), "monthly_budget": None},
        {"fte": Decimal("1"), "monthly_budget": Decimal("161")},
        {"fte": Decimal("1"), "monthly_budget": None, "travel": {PLACE: 481}},
    ):
        with pytest.raises(ValidationError):
            load_settings_save(user=half_time, **values)

    assert Professional.objects.get(user=half_time).fte == Decimal("0.50")
    assert not TravelEstimate.objects.exists()


def test_settings_ask_as_many_queries_for_one_place_as_for_many(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = people.member()
    people.went(worker, date(2026, 10, 1), place="Lieu 0")
    client.force_login(worker)
    client.get(reverse("load:settings"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("load:settings"))
    for day in range(2, 20):
        people.went(worker, date(2026, 10, day), place=f"Lieu {day}")
        TravelEstimate.objects.create(
            user=worker, place_key=place_key(f"Lieu {day}"), place=f"Lieu {day}", minutes=day
        )

    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("load:settings")).content.decode()

    assert len(many) == len(few)
    assert "Lieu 19" in body and 'value="19"' in body
