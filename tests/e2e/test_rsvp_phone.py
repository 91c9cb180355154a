"""The answer page a guest opens from their e-mail, on a small phone (360 px wide): nothing
scrolls sideways, the choices and the button fit, and one tap records the answer."""

import pytest
from playwright.sync_api import expect

from meetings import rsvp
from meetings.models import PartStat
from meetings.services import invitations as inv

SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# What guests' invitations hold: a long address without spaces, a long title and place.
LONG_PLACE = (
    "Centre public d'action sociale d'Anderlecht, salle du conseil, Avenue Raymond Vander Bruggen 62-64"
)


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(locale="fr-BE", base_url=live_server.url, **SMALL_PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def assert_fits(page) -> None:
    # Against the screen's width, not window.innerWidth: a phone zooms out on a page wider than
    # the screen, and its inner width then grows with the page.
    width = page.evaluate("document.scrollingElement.scrollWidth")
    screen = SMALL_PHONE["viewport"]["width"]
    assert width <= screen, f"{page.url} scrolls sideways: {width}px wide on a {screen}px screen"


@pytest.mark.parametrize("scope", ["meeting", "series"])
def test_the_answer_page_fits_a_360_px_screen(small_phone, transactional_db, scope):
    from tests.world import build_world

    world = build_world()
    if scope == "meeting":
        world.thematic.place = LONG_PLACE
        world.thematic.save(update_fields=["place"])
        [target] = inv.invite_to_meeting(
            meeting=world.thematic,
            invitees=[inv.guest("jean.vandenbroucke-de-la-riviere@cpas-anderlecht.irisnet.be")],
        )
    else:
        # A video link pasted as the place: one long word that must wrap, not widen the page.
        series = world.session.series
        series.place = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmQ5NzA0ZTgtYjM2Ny00ZDc1LWE2"
        series.save(update_fields=["place"])
        [target] = inv.invite_to_series(series=series, invitees=[inv.guest("jean.vandenbroucke@example.be")])
    page = small_phone
    path = rsvp.link_path(target, "accept")

    page.goto(path)
    assert_fits(page)
    page.get_by_text("Ajouter un commentaire").click()
    assert_fits(page)
    button = page.get_by_role("button", name="Enregistrer ma réponse")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    button.click()

    expect(page.get_by_role("heading", name="Votre réponse est enregistrée")).to_be_visible()
    page.wait_for_load_state("load")
    assert_fits(page)
    target.refresh_from_db()
    assert target.partstat == PartStat.ACCEPTED
