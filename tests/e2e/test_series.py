import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory, professional_in


def test_coordinator_creates_an_intervision_series_and_sees_its_next_dates(page, transactional_db, password):
    from meetings.kinds import Kind
    from meetings.models import Series
    from meetings.services.groups import group_create

    coordinator = UserFactory(email="nadia@example.test")
    organisation = OrganisationFactory(name="Maison médicale du Peterbos", kind="medical_house")
    network = NetworkFactory(coordinators=[coordinator], organisations=[organisation])
    facilitator = professional_in(organisation, first_name="Pieter", last_name="Van den Bossche")
    group = group_create(
        network=network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[facilitator],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )

    log_in(page, "nadia@example.test", password)
    page.goto(f"/groups/{group.pk}/")
    page.get_by_role("link", name="Programmer une série de séances").click()
    # Only the fields of the chosen end of the series show.
    expect(page.get_by_label("Nombre de séances", exact=True)).to_be_hidden()
    expect(page.get_by_label("Dernier jour", exact=True)).to_be_hidden()
    page.get_by_label("après un nombre de séances").check()
    expect(page.get_by_label("Nombre de séances", exact=True)).to_be_visible()
    expect(page.get_by_label("Dernier jour", exact=True)).to_be_hidden()
    page.get_by_label("pas de fin prévue").check()
    expect(page.get_by_label("Nombre de séances", exact=True)).to_be_hidden()

    page.get_by_label("Première séance").fill("2026-12-03")
    page.get_by_label("Début").fill("12:30")
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Répétition").select_option("monthly_nth")
    page.get_by_label("Le", exact=True).select_option("3")
    page.get_by_label("Jour", exact=True).select_option("3")
    page.get_by_label("Lieu (adresse)").fill("Parc du Peterbos 3, 1070 Anderlecht")

    # The preview follows the form as it changes (htmx); expect() waits for the last state.
    expect(page.locator("#series-rule-preview")).to_have_text("Le 3e jeudi de chaque mois, à 12:30")
    expect(page.locator("#next-dates li")).to_have_text(
        [
            "jeudi 17 décembre 2026 à 12:30",
            "jeudi 21 janvier 2027 à 12:30",
            "jeudi 18 février 2027 à 12:30",
            "jeudi 18 mars 2027 à 12:30",
            "jeudi 15 avril 2027 à 12:30",
        ]
    )

    # The 3 December is not a third Thursday: the preview says so, and the form refuses it.
    expect(page.locator("#first-session-off-rule")).to_contain_text(
        "la première séance serait le jeudi 17 décembre"
    )
    page.get_by_role("button", name="Enregistrer la série").click()
    expect(page.locator(".field.has-error")).to_contain_text("ne suit pas la règle")
    assert not Series.objects.filter(group=group).exists()
    # htmx listens once the page has loaded: a person does not type before, a test might.
    page.wait_for_load_state("load")

    page.get_by_label("Première séance").fill("2026-12-17")
    expect(page.locator("#first-session-off-rule")).to_have_count(0)
    page.get_by_role("button", name="Enregistrer la série").click()

    # Saved, the series leads straight to inviting people to its sessions.
    page.wait_for_url(re.compile(r"/meetings/\d+/invitations/$"))
    expect(page.get_by_text("Choisissez maintenant qui inviter")).to_be_visible()
    series = Series.objects.get(group=group)
    assert series.rrule == "FREQ=MONTHLY;BYDAY=+3TH"
    assert page.url.endswith(f"/meetings/{series.occurrences.order_by('start').first().pk}/invitations/")
    page.goto(f"/groups/{group.pk}/")
    assert "jeudi 17 décembre 2026, 12:30" in page.locator("#session-list li").first.inner_text()
