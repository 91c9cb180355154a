"""Every page under the Content-Security-Policy, in Chromium: the demo's pages, as the people who
use them, load without a single violation (no inline script, style or handler slipped in), and the
behaviour moved out of inline handlers (confirmations, htmx) still works."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

DEMO_PASSWORD = "concertation-demo"


def _visit_all(page, paths, violations):
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        assert "Content-Security-Policy" in {
            k.title(): v for k, v in response.headers.items()
        } or response.headers.get("content-security-policy"), path
    assert violations == [], violations


def test_the_demo_pages_load_without_a_policy_violation(page, live_server, transactional_db):
    from meetings.models import Meeting, StandingGroup
    from meetings.situations.models import Situation

    call_command("seed_demo")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    session = Meeting.objects.filter(group__name="Intervision du jeudi").order_by("start").last()
    group = StandingGroup.objects.get(name="Intervision du jeudi")
    situation = Situation.objects.get(code="M.B. 2026-07")
    held = situation.concertations.get()
    s = f"/situations/{situation.pk}"

    log_in(page, "animateur@demo.concertation.test", DEMO_PASSWORD)
    _visit_all(
        page,
        [
            "/",
            "/agenda/",
            "/groups/",
            f"/groups/{group.pk}/",
            f"/meetings/{session.pk}/",
            "/directory/",
            "/calendar/",
            "/certificates/",
            "/actions/",
            f"/groups/{group.pk}/series/new/",
            "/meetings/new/",
        ],
        violations,
    )
    # htmx still works under the policy: the directory filters as one types.
    page.goto("/directory/")
    page.get_by_label("Rechercher").fill("santé")
    expect(page.locator("#directory-results")).not_to_contain_text("CPAS d'Anderlecht")
    expect(page.locator("#directory-results")).to_contain_text("Service de santé mentale Les Tilleuls")
    assert violations == [], violations

    page.goto("/accounts/logout/")
    page.get_by_role("button").last.click()
    log_in(page, "sophie.lambert@demo.concertation.test", DEMO_PASSWORD)
    _visit_all(
        page,
        [
            "/situations/",
            f"{s}/",
            f"{s}/notes/",
            f"{s}/network/",
            f"{s}/plan/",
            f"{s}/consent/",
            f"{s}/log/",
            f"{s}/concertations/new/",
            f"{s}/concertations/{held.pk}/report/",
            f"{s}/network/add/",
            f"{s}/handover/",
            f"/meetings/{held.meeting_id}/",
        ],
        violations,
    )
    # A confirmation moved out of its inline handler still asks, and a refusal sends nothing.
    page.goto(f"{s}/consent/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="La personne retire son accord").click()
    expect(page).to_have_url(f"{live_server.url}{s}/consent/")
    assert situation.consents.filter(withdrawn_at__isnull=False).count() == 0
    assert violations == [], violations
