"""Issue 14's measure of the coordinator's day, on the demo: from the series form, a new
intervision series is scheduled and its whole group invited in at most two screens."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in


def test_the_demo_coordinator_schedules_a_series_and_invites_its_group_in_one_screen_after_the_form(
    page, transactional_db
):
    from meetings.demo import INTERVISION
    from meetings.models import SeriesInvitation, StandingGroup

    call_command("seed_demo")
    group = StandingGroup.objects.get(name=INTERVISION)
    members = set(group.memberships.filter(status="active").values_list("user__email", flat=True))

    log_in(page, "coordinatrice@demo.concertation.test", DEMO_PASSWORD)
    page.goto(f"/groups/{group.pk}/")
    page.get_by_role("link", name="Programmer une série de séances").click()
    page.wait_for_load_state("load")
    page.get_by_label("Titre").fill("Intervision du jeudi — le soir")
    page.get_by_label("Première séance").fill("2027-01-12")
    page.get_by_label("Début").fill("19:00")
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Répétition").select_option("monthly_nth")
    page.get_by_label("Le", exact=True).select_option("2")
    page.get_by_label("Jour", exact=True).select_option("1")
    page.get_by_label("Lieu (adresse)").fill("Rue de Fiennes 77, 1070 Anderlecht")
    page.get_by_role("button", name="Enregistrer la série").click()

    # Screen 1 after the form: the invitations, the whole group already chosen.
    page.wait_for_url(re.compile(r"/meetings/\d+/invitations/$"))
    expect(page.get_by_label(re.compile(r"Tout le groupe"))).to_be_checked()
    # Who of the group would not see the sessions' details is said before sending, on this screen.
    expect(page.locator("#details-check")).to_contain_text("Sophie Lambert")
    page.get_by_role("button", name="Confirmer et envoyer les invitations").click()
    # Screen 2: the same page says they are sent.
    expect(page.locator(".messages")).to_contain_text("invitation(s) envoyée(s)")

    series = group.series.get(title="Intervision du jeudi — le soir")
    invited = set(SeriesInvitation.objects.filter(series=series).values_list("email", flat=True))
    assert members and members <= invited
