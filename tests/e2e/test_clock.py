"""The browser's clock against the server's: a server at tests.clock.FIXED_NOW, a browser at the
machine's clock (moved by TEST_CLOCK_AHEAD_DAYS), and cookies that live as long as the server
meant them to, by the browser's clock."""

import time_machine
from django.conf import settings

from tests import clock
from tests.factories import UserFactory


def test_a_browser_ahead_of_the_server_keeps_its_cookies_for_their_whole_life(
    page, transactional_db, password
):
    UserFactory(email="nadia@example.test", first_name="Nadia", last_name="Coordination")

    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill("nadia@example.test")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_label("Se souvenir de moi").check()
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    browser_now = page.evaluate("Date.now()") / 1000
    expires = {c["name"]: c["expires"] for c in page.context.cookies()}
    machine_now = time_machine.escape_hatch.time.time()
    assert round((browser_now - machine_now) / 86400) == clock.ahead_days()
    # The server's clock, from FIXED_NOW, is behind: its Expires alone would be in the past.
    assert clock.FIXED_NOW.timestamp() < browser_now - 86400
    assert (
        round((expires[settings.SESSION_COOKIE_NAME] - browser_now) / 86400)
        == settings.SESSION_COOKIE_AGE // 86400
    )
    assert (
        round((expires[settings.CSRF_COOKIE_NAME] - browser_now) / 86400) == settings.CSRF_COOKIE_AGE // 86400
    )
    page.goto("/")
    assert "/accounts/login/" not in page.url
    assert "Nadia Coordination" in page.content()
