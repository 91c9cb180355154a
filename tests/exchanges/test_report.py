"""The network report: its figures on crafted data (report.py, plain), then the page (figures,
matrix, reciprocity, only the excerpts whose authors agreed) and the coordinators' CSV."""

import csv
import io
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from meetings.exchanges.models import Feedback, Side
from meetings.exchanges.report import VisitRow, figures, reciprocal_ids
from tests.exchanges.conftest import make_application, make_offer
from tests.exchanges.visit_helpers import at, educator_visit, nurse_visit, place, stopped
from tests.factories import professional_in

A, B, C = 1, 2, 3
KIND = {A: "medical_house", B: "low_threshold", C: "mental_health"}


def visit(pk, visitor, host, took_place=True) -> VisitRow:
    return VisitRow(pk, visitor, KIND[visitor], host, KIND[host], took_place)


CRAFTED = [
    visit(1, A, B),
    visit(2, B, A),  # 1 and 2: A and B visited each other
    visit(3, A, C),
    visit(4, C, A),  # 3 and 4: A and C too
    visit(5, A, B),  # A visited B a second time: reciprocal as well (B visited A)
    visit(6, B, C, took_place=False),  # cancelled: counts as confirmed only
    visit(7, C, B),  # B never visited C (6 did not take place): not reciprocal
]


def test_the_figures_count_visits_kinds_and_reciprocity():
    result = figures(CRAFTED)

    assert (result.confirmed, result.took_place) == (7, 6)
    assert result.matrix == {
        ("medical_house", "low_threshold"): 2,
        ("low_threshold", "medical_house"): 1,
        ("medical_house", "mental_health"): 1,
        ("mental_health", "medical_house"): 1,
        ("mental_health", "low_threshold"): 1,
    }
    # In OrganisationKind's order, only the kinds that occur.
    assert result.kinds_rows == ["mental_health", "medical_house", "low_threshold"]
    assert result.kinds_cols == ["mental_health", "medical_house", "low_threshold"]
    assert reciprocal_ids(CRAFTED) == {1, 2, 3, 4, 5}
    assert result.reciprocal_visits == 5
    assert result.reciprocity_rate == pytest.approx(5 / 6)


def test_a_visit_whose_reverse_did_not_take_place_is_not_reciprocal():
    rows = [visit(1, A, B), visit(2, B, A, took_place=False)]
    result = figures(rows)
    assert (result.took_place, result.reciprocal_visits, result.reciprocity_rate) == (1, 0, 0.0)
    assert result.matrix == {("medical_house", "low_threshold"): 1}
    assert (result.kinds_rows, result.kinds_cols) == (["medical_house"], ["low_threshold"])


def test_a_visit_within_one_service_is_not_reciprocal():
    assert figures([visit(1, A, A), visit(2, A, A)]).reciprocal_visits == 0


def test_without_visits_there_is_no_rate():
    result = figures([visit(1, A, B, took_place=False)])
    assert (result.confirmed, result.took_place, result.matrix, result.reciprocity_rate) == (1, 0, {}, None)
    assert figures([]).reciprocity_rate is None


# The page and the CSV, on the exchange world

AFTER = at(date(2027, 3, 20))
SHARED = "On ne fixe pas de rendez-vous dans la rue."
PRIVATE = "Je ne veux pas que cette phrase soit citée."


@pytest.fixture
def reported(exchange_world):
    """The educator's and the nurse's visits took place (reciprocal); a third visitor, from the
    SSM, was placed without accepting the undertaking. The educator shares an excerpt; the host
    of the maison médicale writes without sharing."""
    ew = exchange_world
    educator, nurse = educator_visit(ew), nurse_visit(ew)
    visitor = professional_in(ew.world.network.organisations.get(name="SSM Les Marolles"), first_name="Sam")
    application = make_application(ew.round, visitor, visitor.professional.organisations.first(), days=[])
    third = place(ew, application, ew.mm_offer.dates.order_by("day").last(), accepted=False)
    Feedback.objects.create(
        placement=educator,
        author=ew.educator,
        side=Side.VISITOR,
        discovered=SHARED,
        will_change="Je passe par l'accueil.",
        share_excerpt=True,
        written_at=AFTER,
    )
    Feedback.objects.create(
        placement=educator,
        author=ew.mm_manager,
        side=Side.HOST,
        discovered=PRIVATE,
        share_excerpt=False,
        written_at=AFTER,
    )
    return ew, educator, nurse, third


def page_for(client, user, round) -> tuple[int, str]:
    with stopped(AFTER + timedelta(hours=1)):
        client.force_login(user)
        response = client.get(reverse("exchanges:report", args=[round.pk]))
    return response.status_code, unescape(response.content.decode())


def test_a_member_reads_the_figures_the_matrix_and_the_shared_excerpts_only(client, reported):
    ew, *_ = reported
    status, page = page_for(client, ew.world.users["member"], ew.round)
    assert status == 200
    assert 'id="figure-confirmed">3<' in page
    assert 'id="figure-took-place">2<' in page
    assert "100 % (2 visites sur 2" in page
    assert 'id="figure-feedback-visitors">1<' in page and 'id="figure-feedback-hosts">1<' in page
    # Rows and columns: the two kinds that visited each other, one visit in each cell between them.
    assert '<th scope="row">Maison médicale</th><td data-label="Maison médicale">0</td>' in page
    assert '<td data-label="Bas seuil / réduction des risques">1</td>' in page
    assert "Service de santé mentale" not in page  # the SSM's visit did not take place
    assert SHARED in page and "Eddy Éducateur" in page
    assert PRIVATE not in page
    assert "Télécharger (CSV)" not in page


def test_the_coordinator_gets_the_link_to_the_csv(client, reported):
    ew, *_ = reported
    status, page = page_for(client, ew.world.users["coordinator"], ew.round)
    assert status == 200
    assert reverse("exchanges:report_csv", args=[ew.round.pk]) in page and "Télécharger (CSV)" in page


def test_outside_the_network_the_report_is_a_404(client, reported):
    ew, *_ = reported
    assert page_for(client, ew.world.users["other_coordinator"], ew.round)[0] == 404


def csv_for(client, user, round):
    with stopped(AFTER + timedelta(hours=1)):
        client.force_login(user)
        return client.get(reverse("exchanges:report_csv", args=[round.pk]))


def test_the_csv_has_a_row_per_confirmed_visit_and_only_shared_excerpts(client, reported):
    ew, *_ = reported
    response = csv_for(client, ew.world.users["coordinator"], ew.round)
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:10] == [
        "Date",
        "Durée",
        "Service en visite",
        "Type de service en visite",
        "Service d'accueil",
        "Type de service d'accueil",
        "A eu lieu",
        "Réciproque",
        "Retour de la personne en visite",
        "Retour de l'accueil",
    ]
    assert [row[:10] for row in body] == [
        ["2027-03-09", "journée", "Équipe de rue Transit", "Bas seuil / réduction des risques",
         "Maison médicale du Canal", "Maison médicale", "oui", "oui", "oui", "oui"],
        ["2027-03-11", "journée", "Maison médicale du Canal", "Maison médicale",
         "Équipe de rue Transit", "Bas seuil / réduction des risques", "oui", "oui", "non", "non"],
        ["2027-03-16", "journée", "SSM Les Marolles", "Service de santé mentale",
         "Maison médicale du Canal", "Maison médicale", "non", "non", "non", "non"],
    ]  # fmt: skip
    assert body[0][10] == "Eddy Éducateur" and body[0][11].startswith(SHARED)
    assert body[0][12:] == ["", ""]
    assert all(cell == "" for row in body[1:] for cell in row[10:])
    assert PRIVATE not in content
    for name in ("Inès", "Infirmière", "Sam", ew.mm_manager.last_name):
        assert name not in content


def test_a_member_gets_a_404_for_the_csv(client, reported):
    ew, *_ = reported
    assert csv_for(client, ew.world.users["member"], ew.round).status_code == 404


def test_the_report_page_reads_as_many_queries_for_more_visits_and_excerpts(client, reported):
    """The report's page reads the round's visits and their feedback in bulk: a query count that
    does not grow with the visits, their services and the excerpts shared."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ew, *_ = reported
    member = ew.world.users["member"]

    def count() -> int:
        with stopped(AFTER + timedelta(hours=1)):
            client.force_login(member)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("exchanges:report", args=[ew.round.pk])).status_code == 200
        return len(queries)

    before = count()
    for index in range(4):
        visitor = professional_in(ew.street_team, first_name=f"Visiteur {index}")
        application = make_application(ew.round, visitor, ew.street_team, days=[])
        offer = make_offer(ew.round, ew.medical_house, ew.nurse, days=[date(2027, 3, 2 + index)])
        visit = place(ew, application, offer.dates.get())
        Feedback.objects.create(
            placement=visit,
            author=visitor,
            side=Side.VISITOR,
            discovered=f"Découverte {index}",
            share_excerpt=True,
            written_at=AFTER,
        )
    assert count() == before


def test_a_visit_whose_meeting_was_cancelled_on_its_own_page_is_not_counted(client, reported):
    from meetings.services.meetings import meeting_cancel

    ew, educator, *_ = reported
    with stopped(at(date(2027, 3, 1))):
        meeting_cancel(meeting=educator.meeting)
    status, page = page_for(client, ew.world.users["member"], ew.round)
    assert status == 200
    assert 'id="figure-confirmed">2<' in page and 'id="figure-took-place">1<' in page
    assert SHARED not in page
