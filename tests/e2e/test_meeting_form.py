import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory


def test_a_coordinator_schedules_a_meeting_and_lands_on_its_invitations(page, transactional_db, password):
    from meetings.models import Meeting

    coordinator = UserFactory(email="nadia@example.test")
    NetworkFactory(
        name="Coordination toxicomanie Anderlecht",
        coordinators=[coordinator],
        organisations=[OrganisationFactory()],
    )

    log_in(page, "nadia@example.test", password)
    page.goto("/meetings/new/")
    # One network: chosen already, and said.
    expect(page.get_by_text("Coordination toxicomanie Anderlecht")).to_be_visible()
    page.get_by_label("Type de réunion").select_option("thematic")
    # The kind's usual length is offered until the person types one.
    expect(page.get_by_label("Durée (minutes)")).to_have_value("120")
    page.get_by_label("Type de réunion").select_option("concertation")
    expect(page.get_by_label("Durée (minutes)")).to_have_value("60")
    page.get_by_label("Type de réunion").select_option("thematic")
    page.get_by_label("Titre").fill("Logement d'abord")
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Début").fill("09:30")
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_role("button", name="Enregistrer").click()

    # Neither a place nor a link: the rule is said beside the place.
    expect(page.locator("#id_place_error")).to_have_text(
        "Indiquez un lieu, un lien de visioconférence, ou les deux."
    )
    page.get_by_label("Lien de visioconférence").fill("https://visio.example/logement")
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url(re.compile(r"/meetings/\d+/invitations/$"))
    expect(page.get_by_text("La réunion est enregistrée. Choisissez maintenant qui inviter.")).to_be_visible()
    meeting = Meeting.objects.get(title="Logement d'abord")
    assert (meeting.end - meeting.start).total_seconds() == 90 * 60
    assert meeting.online_link == "https://visio.example/logement"
