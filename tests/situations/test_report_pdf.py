"""The concertation report as a PDF for the file: what it prints, what it never prints, and who
may download it."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from audit.models import AccessRecord
from meetings.kinds import Kind
from meetings.services.meetings import meeting_create
from meetings.situations.models import Concertation
from meetings.situations.policies import policy_for
from meetings.situations.services import plan as plan_services
from meetings.situations.services import retention
from meetings.situations.services.report_pdf import render_report_pdf
from tests.situations.world import CODE

NEEDS = "Garder le logement.\nReprendre contact avec le médecin traitant."
GOAL_HOUSING = "Éviter l'expulsion du logement"
GOAL_CARE = "Stabiliser le traitement"
ACTION_HOUSING = "Introduire une demande de médiation de dettes"
ACTION_CARE = "Passer le traitement en revue avec la pharmacie"
ACTION_OTHER = "Appeler la sœur après la visite"
ACTION_PERSON = "Noter les rendez-vous dans l'agenda"
PLACE = "Maison médicale du Midi, salle 2"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def french(day: date, pattern: str = "j F Y") -> str:
    with translation.override("fr"):
        return formats.date_format(day, pattern)


def held_concertation(sworld) -> Concertation:
    """A home-care concertation held five days ago, facilitated by the GP."""
    referent = sworld.users["referent"]
    start = timezone.now() - timedelta(days=5)
    meeting = meeting_create(
        network=sworld.network,
        kind=Kind.CONCERTATION,
        title=str(policy_for("home_care").label),
        start=start,
        end=start + timedelta(hours=1),
        organiser=referent,
        place=PLACE,
    )
    return Concertation.objects.create(
        situation=sworld.situation,
        meeting=meeting,
        template="home_care",
        facilitator=sworld.members["professional"],
        created_by=referent,
    )


@pytest.fixture
def written(sworld):
    """The concertation's report, the GP's participation confirmed."""
    concertation = held_concertation(sworld)
    members = sworld.members
    today = timezone.localdate()
    report = plan_services.report_save(
        concertation=concertation,
        by=sworld.users["referent"],
        participants=[members[n] for n in ("referent", "professional", "nurse", "relative", "person")],
        needs=NEEDS,
        next_review=today + timedelta(days=90),
        goals=[GOAL_HOUSING, GOAL_CARE],
        actions=[
            plan_services.NewAction(
                description=ACTION_HOUSING,
                owner=members["referent"],
                due_date=today + timedelta(days=14),
                revision_date=today + timedelta(days=30),
                goal=GOAL_HOUSING,
            ),
            plan_services.NewAction(
                description=ACTION_CARE,
                owner=members["nurse"],
                due_date=today + timedelta(days=7),
                goal=GOAL_CARE,
            ),
            plan_services.NewAction(
                description=ACTION_OTHER, owner=members["relative"], due_date=today + timedelta(days=3)
            ),
            plan_services.NewAction(
                description=ACTION_PERSON, owner=members["person"], due_date=today + timedelta(days=10)
            ),
        ],
    )
    plan_services.confirm_participation(report=report, user=sworld.users["professional"])
    return report


def test_the_pdf_holds_the_report(sworld, written):
    text = pdf_text(render_report_pdf(written, language="fr"))

    users = sworld.users
    today = timezone.localdate()
    start = timezone.localtime(written.concertation.meeting.start)
    assert "Compte rendu de concertation" in text
    assert f"Situation {CODE}" in text
    assert str(policy_for("home_care").label) in text
    assert f"{french(start.date())}, de {start:%H:%M} à {start + timedelta(hours=1):%H:%M}" in text
    assert PLACE in text
    assert f"Animation {users['professional'].get_full_name()}" in text
    assert "Qui a pris part" in text
    for name, discipline in [
        ("referent", "Assistant·e social·e"),
        ("nurse", "Infirmier·e"),
        ("relative", "proche (famille)"),
    ]:
        assert f"{users[name].get_full_name()} {discipline} pas encore confirmé" in text
    assert f"{CODE} la personne accompagnée pas encore confirmé" in text
    assert f"{users['professional'].get_full_name()} Médecin généraliste confirmé le {french(today)}" in text
    assert text.count("pas encore confirmé") == 4
    assert "Garder le logement. Reprendre contact avec le médecin traitant." in text
    assert "Objectifs partagés" in text
    assert f"{GOAL_HOUSING} Action Responsable Pour le À revoir le Statut {ACTION_HOUSING}" in text
    assert (
        f"{ACTION_HOUSING} {users['referent'].get_full_name()} {french(today + timedelta(days=14), 'j N Y')}"
        in text
    )
    assert french(today + timedelta(days=30), "j N Y") in text
    assert f"{ACTION_CARE} {users['nurse'].get_full_name()}" in text
    assert "à faire" in text
    assert f"Autres actions Action Responsable Pour le À revoir le Statut {ACTION_OTHER}" in text
    assert f"{ACTION_PERSON} {CODE}" in text
    assert f"Prochaine révision : {french(today + timedelta(days=90))}" in text
    assert "aucune signature n'est reproduite" in text
    assert "Document confidentiel — secret professionnel partagé." in text
    assert f"Imprimé le {french(today)}" in text


def test_the_person_appears_only_by_the_pseudonym(sworld, written):
    text = pdf_text(render_report_pdf(written, language="fr"))

    person = sworld.members["person"]
    assert person.name == "La personne"
    assert "La personne" not in text
    assert person.email not in text
    assert "@" not in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_pdf_is_made_in_every_language(sworld, written, language):
    content = render_report_pdf(written, language=language)

    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert CODE in text
    assert ACTION_HOUSING in text


def test_a_purged_report_prints_only_dates_and_counts(sworld, written):
    now = timezone.now()
    situation = sworld.situation
    retention.purge_situation(situation, now)
    written.refresh_from_db()

    text = pdf_text(render_report_pdf(written, language="fr"))

    assert "Le contenu a été effacé au terme de la durée de conservation." in text
    assert f"Situation {CODE}" in text
    assert f"Contenu effacé le {french(timezone.localdate())}" in text
    assert "Participant·es 5, dont 1 confirmé·e " in text
    assert "Objectifs 2 Actions 4" in text
    for hidden in (
        "Garder le logement",
        PLACE,
        sworld.users["professional"].get_full_name(),
        "Qui a pris part",
    ):
        assert hidden not in text


def test_the_referent_downloads_it_and_the_read_is_logged(client, sworld, written):
    referent = sworld.users["referent"]
    concertation = written.concertation
    client.force_login(referent)

    response = client.get(
        reverse(
            "situations:report_pdf", kwargs={"pk": sworld.situation.pk, "concertation_id": concertation.pk}
        )
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localtime(concertation.meeting.start).date()
    assert response["Content-Disposition"] == f'attachment; filename="concertation-{day:%Y-%m-%d}.pdf"'
    assert CODE in pdf_text(response.content)
    record = AccessRecord.objects.get(item="report_pdf")
    assert (record.reader, record.subject, record.item_id) == (
        referent,
        sworld.situation.audit_subject,
        written.pk,
    )


@pytest.mark.parametrize(("role", "status"), [("relative", 403), ("outsider", 404)])
def test_who_does_not_read_the_plan_gets_no_pdf(client, sworld, written, role, status):
    client.force_login(sworld.users[role])

    response = client.get(
        reverse(
            "situations:report_pdf",
            kwargs={"pk": sworld.situation.pk, "concertation_id": written.concertation.pk},
        )
    )

    assert response.status_code == status
    assert not AccessRecord.objects.filter(item="report_pdf").exists()
