import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.situations.world import CODE, NOTE_TEXT, RELATIVE_NOTE_TEXT, build_situation_world


def assert_no_sideways_scroll(page) -> None:
    # A click that navigates returns before the new document exists; measure the loaded page.
    page.wait_for_load_state("load")
    width, viewport = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px wide in a {viewport}px window"


def test_the_referent_plans_a_concertation_despite_warnings_and_a_relative_reads_only_her_notes(
    phone_page, live_server, transactional_db, password
):
    world = build_situation_world()
    situation = world.situation
    nurse = world.members["nurse"]

    page = phone_page()
    log_in(page, "referente@midi.test", password)
    page.goto("/situations/")
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name=f"Situation {CODE}").click()
    expect(page).to_have_url(f"{live_server.url}/situations/{situation.pk}/")
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Organiser une concertation").click()
    expect(page).to_have_url(f"{live_server.url}/situations/{situation.pk}/concertations/new/")
    assert_no_sideways_scroll(page)

    page.get_by_label("Concertation multidisciplinaire à domicile (SISD)").check()
    page.get_by_label("Date", exact=True).fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Début", exact=True).fill("14:00")
    page.get_by_label("Lieu (adresse)").fill("Au domicile de la personne")
    # Only the nurse: the SISD frame also wants the GP and three professionals.
    page.locator("#id_invited").get_by_label(nurse.display_name).check()
    page.get_by_role("button", name="Vérifier et envoyer les invitations").click()

    warnings = page.locator("#concertation-warnings")
    expect(warnings).to_contain_text("le médecin généraliste")
    assert_no_sideways_scroll(page)
    assert not situation.concertations.exists()
    page.get_by_role("button", name="Envoyer quand même").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))

    concertation = situation.concertations.get()
    expect(page).to_have_url(f"{live_server.url}/meetings/{concertation.meeting_id}/")
    expect(page.locator("#situation-panel")).to_contain_text(CODE)
    assert_no_sideways_scroll(page)

    sister = phone_page()
    log_in(sister, "soeur@midi.test", password)
    sister.goto("/situations/")
    assert_no_sideways_scroll(sister)
    sister.get_by_role("link", name=f"Situation {CODE}").click()
    expect(sister).to_have_url(f"{live_server.url}/situations/{situation.pk}/")
    assert_no_sideways_scroll(sister)
    sister.get_by_role("navigation", name="Parties de la situation").get_by_role("link", name="Notes").click()
    expect(sister).to_have_url(f"{live_server.url}/situations/{situation.pk}/notes/")
    notes = sister.locator("#notes")
    expect(notes).to_contain_text(RELATIVE_NOTE_TEXT)
    expect(notes).not_to_contain_text(NOTE_TEXT)
    assert_no_sideways_scroll(sister)
