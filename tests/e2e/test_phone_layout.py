"""No page scrolls sideways on a phone: every page of the URLconf, opened in Chromium at
360 × 740 by the person who may see it, is no wider than the screen.

The list of pages is tests/e2e/phone_pages.py; a first test holds it to the URLconf, so that a
new URL without a row fails. Each person logs in once, in a browser context of their own that
every one of their pages reuses.

Chromium emulating a phone zooms out a page wider than its screen, and window.innerWidth then
grows with the page: a page fits when its scrollWidth is within innerWidth *and* innerWidth is
still the screen's 360 pixels.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.e2e import phone_pages as pages
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, log_in
from tests.factories import UserFactory

SCREEN = {"width": 360, "height": 740}
PHONE_360 = {"viewport": SCREEN, "is_mobile": True, "has_touch": True}

# The page's width, the window's, and when the page is too wide, the outermost elements that
# stick out (those not inside a box that scrolls or clips them): what to fix.
MEASURE = """(screen) => {
  const root = document.documentElement;
  const result = {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide: []};
  if (result.scrollWidth <= result.innerWidth && result.innerWidth === screen) return result;
  const limit = screen + 0.5;
  const over = (e) => e.getBoundingClientRect().right > limit;
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const e of document.body.querySelectorAll("*")) {
    if (over(e) && !(e.parentElement && over(e.parentElement)) && !clipped(e)) {
      const id = e.id ? "#" + e.id : "";
      const classes = typeof e.className === "string" && e.className.trim()
        ? "." + e.className.trim().split(/\\s+/).join(".") : "";
      const right = Math.round(e.getBoundingClientRect().right);
      result.wide.push(`${e.tagName.toLowerCase()}${id}${classes} (${right}px)`);
      if (result.wide.length >= 4) break;
    }
  }
  return result;
}"""


def test_every_url_of_the_urlconf_is_visited_or_is_not_a_page():
    listed = {v.name for v in pages.PAGES + pages.NOT_PAGES + pages.admin_visits()}

    assert listed == pages.named_urls()
    # What is not visited answers no HTML page: a file, a feed, or a form's target.
    for visit in pages.NOT_PAGES:
        assert visit.expect in pages.NON_HTML_ANSWERS, visit


def _phone(browser, live_server, role):
    context = browser.new_context(locale="fr-BE", base_url=live_server.url, **PHONE_360)
    page = context.new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    if role != pages.ANONYMOUS:
        log_in(page, pages.ROLES[role], DEMO_PASSWORD)
    if role in pages.REAUTHENTICATED:
        # The pages of the second factor ask for the password again first: given here once.
        page.goto("/accounts/reauthenticate/")
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/reauthenticate/")
    return page


@pytest.fixture
def phones(browser, live_server, transactional_db, settings, tmp_path):
    """A page per role, logged in, on the demo with every page's objects; and their URLs."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    arguments = pages.build_demo()
    opened = {}

    def phone(role):
        if role not in opened:
            opened[role] = _phone(browser, live_server, role)
            if role == "coordinator":
                pages.secure(pages.ROLES[role])
        return opened[role]

    yield phone, arguments
    for page in opened.values():
        page.context.close()


def _too_wide(page, url) -> list[str]:
    measured = page.evaluate(MEASURE, SCREEN["width"])
    if measured["scrollWidth"] <= measured["innerWidth"] == SCREEN["width"]:
        return []
    return [
        f"{url}: {measured['scrollWidth']}px in {measured['innerWidth']}px — {', '.join(measured['wide'])}"
    ]


def _visit(page, visit, url) -> tuple[list[str], list[str]]:
    """Opens URL; returns what is wrong with its answer, and with its width."""
    response = page.goto(url)
    landed = urlsplit(page.url).path
    if visit.expect == pages.REDIRECT:
        wrong = [] if response.status == 200 and landed != urlsplit(url).path else [f"{url}: not redirected"]
    elif response.status != visit.expect or landed != urlsplit(url).path:
        wrong = [f"{url} as {visit.role}: {response.status} at {landed}, expected {visit.expect}"]
    else:
        wrong = []
    return wrong, _too_wide(page, url)


def _visit_all(phones, visits):
    phone, arguments = phones
    wrong, too_wide = [], []
    for visit in visits:
        answer, width = _visit(phone(visit.role), visit, pages.url_of(visit, arguments))
        wrong += answer
        too_wide += width
    return wrong, too_wide


def _fetch(page, url):
    """URL as PAGE's person (the context's cookies), without following a redirect."""
    return page.request.get(url, max_redirects=0)


def _fragments_in_their_pages(phones) -> list[str]:
    """Each fragment as htmx shows it: fetched, and put in its place in its page."""
    phone, arguments = phones
    too_wide = []
    for visit in pages.NOT_PAGES:
        if visit.expect != pages.FRAGMENT:
            continue
        host, target = pages.FRAGMENTS[visit.name]
        page = phone(host.role)
        page.goto(pages.url_of(host, arguments))
        url = pages.url_of(visit, arguments)
        page.locator(target).evaluate("(e, html) => { e.innerHTML = html; }", _fetch(page, url).text())
        too_wide += _too_wide(page, f"{url} in {page.url}")
    return too_wide


def _not_pages(phones) -> list[str]:
    """Fetches each of NOT_PAGES as its person: it answers what its row says, never a page."""
    phone, arguments = phones
    wrong = []
    for visit in pages.NOT_PAGES:
        url = pages.url_of(visit, arguments)
        response = _fetch(phone(visit.role), url)
        content_type = response.headers.get("content-type", "").split(";")[0]
        if visit.expect == pages.FRAGMENT:
            if response.status != 200 or content_type != "text/html" or "<html" in response.text():
                wrong.append(f"{url}: {response.status} {content_type}, expected a part of a page")
        elif isinstance(visit.expect, int):
            if response.status != visit.expect:
                wrong.append(f"{url}: {response.status}, expected {visit.expect}")
        elif response.status != 200 or content_type != visit.expect:
            wrong.append(f"{url}: {response.status} {content_type}, expected {visit.expect}")
    return wrong


def test_no_page_scrolls_sideways_on_a_phone(phones):
    phone, _arguments = phones
    wrong, too_wide = _visit_all(phones, pages.PAGES + pages.admin_visits())
    # A new calendar subscription shows its address, once: a long URL, on the page after the form.
    page = phone("professional")
    page.goto("/calendar/")
    page.get_by_label("Nom de l'appareil").fill("Téléphone de garde")
    with page.expect_navigation():  # to the page's "load": its style sheet applied
        page.get_by_role("button", name="Ajouter à mon agenda").click()
    page.locator("#personal-feed-url").wait_for()
    too_wide += _too_wide(page, "/calendar/ (new subscription)")
    too_wide += _fragments_in_their_pages(phones)
    wrong += _not_pages(phones)

    assert (wrong, too_wide) == ([], []), "\n".join(
        ["unexpected answers:", *wrong, "pages wider than a 360 px screen:", *too_wide]
    )


@pytest.fixture
def phone_360(browser, live_server):
    page = _phone(browser, live_server, pages.ANONYMOUS)
    yield page
    page.context.close()


def test_on_a_phone_the_menu_folds_under_one_button_reached_by_the_keyboard(
    phone_360, transactional_db, password
):
    UserFactory(email="nadia@example.test", first_name="Nadia", last_name="El Khattabi")
    page = phone_360
    log_in(page, "nadia@example.test", password)
    navigation = page.get_by_role("navigation", name="Navigation principale")
    button = page.locator("#site-menu > summary")

    # One row: the brand and the button; the pages are folded away.
    assert page.locator(".site-header").bounding_box()["height"] < 70
    expect(navigation).to_be_hidden()
    page.keyboard.press("Tab")  # "Aller au contenu"
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    assert button.evaluate("(e) => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(navigation.get_by_role("link", name="Répertoire")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name="Agenda")).to_be_focused()
    page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(button).to_be_focused()

    # On a wide screen, the menu is open and its button gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(navigation.get_by_role("link", name="Répertoire")).to_be_visible()
    expect(button).to_be_hidden()
