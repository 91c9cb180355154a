"""A guest answers a date poll from their e-mail's link on a small phone (360 px wide): each slot
one block with three large choices, nothing scrolls sideways, one button sends, and the answers
are stored and shown back."""

import pytest
from playwright.sync_api import expect

from meetings.polls import tokens
from meetings.polls.models import PollAnswer

SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(locale="fr-BE", base_url=live_server.url, **SMALL_PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def assert_fits(page) -> None:
    # Against the screen's width, not window.innerWidth (see test_rsvp_phone.py).
    width = page.evaluate("document.scrollingElement.scrollWidth")
    screen = SMALL_PHONE["viewport"]["width"]
    assert width <= screen, f"{page.url} scrolls sideways: {width}px wide on a {screen}px screen"


def test_a_guest_answers_each_slot_on_a_360_px_screen(small_phone, transactional_db):
    from tests.polls.conftest import ask, make_poll
    from tests.world import build_world

    world = build_world()
    poll = make_poll(
        world, place="Centre public d'action sociale d'Anderlecht, Avenue Raymond Vander Bruggen 62-64"
    )
    _member, _pending, guest = ask(poll, world)
    first, second, third = poll.slots.all()
    page = small_phone

    page.goto(tokens.link_path(guest))
    assert_fits(page)
    expect(page.get_by_role("heading", name="Vos disponibilités")).to_be_visible()
    assert not PollAnswer.objects.exists()

    for slot_name, choice in (
        ("mardi 24 novembre 2026", "oui"),
        ("jeudi 26 novembre 2026", "si nécessaire"),
        ("mardi 1 décembre 2026", "non"),
    ):
        group = page.get_by_role("group", name=slot_name)
        radio = group.get_by_role("radio", name=choice, exact=True)
        label = group.locator(f"label[for='{radio.get_attribute('id')}']")
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44
        label.tap()
        expect(radio).to_be_checked()
    assert_fits(page)
    button = page.get_by_role("button", name="Enregistrer mes réponses")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    button.click()

    expect(page.get_by_text("Merci, vos réponses sont enregistrées.")).to_be_visible()
    page.wait_for_load_state("load")
    assert_fits(page)
    expect(
        page.get_by_role("group", name="jeudi 26 novembre 2026").get_by_role("radio", name="si nécessaire")
    ).to_be_checked()
    assert dict(PollAnswer.objects.filter(participant=guest).values_list("slot_id", "choice")) == {
        first.pk: "yes",
        second.pk: "maybe",
        third.pk: "no",
    }
