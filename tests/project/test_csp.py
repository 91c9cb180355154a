"""The Content-Security-Policy: on every page, without 'unsafe-inline', and no template relies on
what it forbids (inline scripts, styles or event handlers). tests/e2e/test_csp.py loads the pages in
Chromium and watches for violations."""

import re
from pathlib import Path

from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
# E-mails are read by mail clients and the PDFs are drawn by WeasyPrint: no browser applies the
# policy to them, and their HTML needs inline styles.
NOT_PAGES = {"emails", "report_pdf.html", "certificate.html"}
INLINE = re.compile(
    r"\son[a-z]+\s*=|\sstyle\s*=|<style\b|<script(?![^>]*\bsrc=)(?![^>]*application/json)", re.I
)


def test_every_page_carries_the_policy_without_inline_allowances(client, db):
    client.force_login(UserFactory())

    for url in [
        reverse("home"),
        reverse("meetings:agenda"),
        reverse("situations:situations"),
        "/accounts/login/",
    ]:
        policy = client.get(url)["Content-Security-Policy"]
        assert (
            "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        )
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_an_inline_script_style_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if NOT_PAGES & set(path.relative_to(ROOT / "templates").parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")

    assert offenders == []
