from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, ProfessionalFactory, UserFactory


def test_coordinator_finds_a_service_and_who_works_there(page, transactional_db, password):
    coordinator = UserFactory(email="nadia@example.test")
    ssm = OrganisationFactory(
        name="Service de santé mentale Les Tilleuls", kind="mental_health", commune="Anderlecht"
    )
    OrganisationFactory(name="CPAS de Forest", kind="public_welfare", commune="Forest")
    colleague = UserFactory(first_name="Els", last_name="Peeters")
    ProfessionalFactory(user=colleague, organisations=[ssm], profession="psychologist")
    NetworkFactory(coordinators=[coordinator], organisations=[ssm])

    log_in(page, "nadia@example.test", password)
    page.get_by_role("link", name="Répertoire").click()
    page.get_by_label("Rechercher par nom, commune, type de service ou public").fill("sante")
    page.get_by_role("button", name="Chercher").click()

    # The list first shows every service; wait for the search to replace it
    # instead of counting whatever is on screen at that instant.
    results = page.locator("#organisation-list li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Les Tilleuls")
    page.get_by_role("link", name="Service de santé mentale Les Tilleuls").click()
    assert page.locator("h1").inner_text() == "Service de santé mentale Les Tilleuls"
    assert "Els Peeters" in page.locator("#professional-list").inner_text()
