"""Deque's axe-core (from npm, tools/axe) over the pages people use most, on the demo: no
violation of WCAG 2.1 A and AA rules, messages list included."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, demo_email
from tests.e2e.conftest import log_in

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed in {AXE.parent} (make install runs npm ci --prefix tools/axe)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    return AXE.read_text()


def violations(page, source: str) -> list[str]:
    """axe's violations of the page as shown now, one line per rule with the elements it names."""
    page.evaluate(source)
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{page.url} {v['id']} ({v['impact']}): " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in found["violations"]
    ]


def test_the_most_used_pages_pass_axe(browser, live_server, transactional_db):
    from meetings.demo import INTERVISION, UNDER_WAY_TITLE
    from meetings.models import Meeting, StandingGroup

    source = _axe_source()
    call_command("seed_demo")
    group = StandingGroup.objects.get(name=INTERVISION)
    under_way = Meeting.objects.get(title=UNDER_WAY_TITLE)
    found = []
    for role, paths in [
        (
            "animateur",
            ["/", f"/meetings/{under_way.pk}/attendance/", f"/meetings/{under_way.pk}/", "/agenda/"],
        ),
        ("coordinatrice", [f"/groups/{group.pk}/", f"/meetings/{under_way.pk}/invitations/", "/calendar/"]),
    ]:
        context = browser.new_context(locale="fr-BE", base_url=live_server.url)
        page = context.new_page()
        page.goto("/accounts/login/")
        found += violations(page, source)
        log_in(page, demo_email(role), DEMO_PASSWORD)
        found += violations(page, source)  # the home page
        for path in paths:
            page.goto(path)
            found += violations(page, source)
        if role == "animateur":
            # A message after an action: the messages list, which axe found outside a list.
            page.goto(f"/meetings/{under_way.pk}/attendance/")
            page.get_by_role("button", name="Tous présents").click()
            page.locator(".messages li").first.wait_for()
            found += violations(page, source)
        context.close()

    assert found == [], "\n".join(found)
