"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import clock

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
DEFAULT_TIMEOUT_MS = 15000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (factories) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message + "; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            # With TEST_CLOCK_AHEAD_DAYS, the browser lives that many days ahead (tests/clock.py).
            env=clock.browser_environment(),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_page(context):
    page = context.new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return page


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-BE", base_url=live_server.url)
    yield _new_page(context)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """Makes pages as on a phone, each in its own browser context: one per person logged in."""
    contexts = []

    def new_phone_page():
        context = browser.new_context(locale="fr-BE", base_url=live_server.url, **PHONE)
        contexts.append(context)
        return _new_page(context)

    yield new_phone_page
    for context in contexts:
        context.close()


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    # Not "**/": the login page's own address ends with "/" too, and the next step could then
    # interrupt the login still on its way.
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login/")
