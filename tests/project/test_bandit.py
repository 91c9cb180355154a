"""bandit finds exactly the findings justified in docs/security.md, no more.

`make lint` runs bandit with docs/bandit-baseline.json, which bandit matches by file, test and
message only: a second `mark_safe` in a file that has a justified one would pass it unseen. This
test compares the findings with the baseline one for one.
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# As in the Makefile's lint target.
TARGETS = ["accounts", "audit", "concertation", "meetings", "outbox", "worker"]
BASELINE = ROOT / "docs" / "bandit-baseline.json"


def _bandit():
    try:
        from bandit.core import config, manager
    except ImportError:
        message = "bandit is not installed (requirements.lock; `make install`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    return config, manager


def _findings() -> Counter:
    config, manager = _bandit()
    cwd = Path.cwd()
    os.chdir(ROOT)  # file names relative to the root, as in the baseline
    try:
        bandit = manager.BanditManager(config.BanditConfig(config_file="pyproject.toml"), "file", quiet=True)
        bandit.discover_files(TARGETS, recursive=True)
        bandit.run_tests()
        issues = bandit.get_issue_list()
    finally:
        os.chdir(cwd)
    return Counter((issue.fname, issue.test_id, issue.text) for issue in issues)


def test_bandit_finds_only_the_justified_findings():
    justified = Counter(
        (entry["filename"], entry["test_id"], entry["issue_text"])
        for entry in json.loads(BASELINE.read_text())["results"]
    )

    findings = _findings()

    assert findings - justified == Counter(), "new findings: fix them, or justify them (docs/security.md)"
    assert justified - findings == Counter(), "justified findings bandit no longer reports: remove them"


def test_every_justified_finding_has_its_reason_in_docs_security():
    text = (ROOT / "docs" / "security.md").read_text()
    baseline = json.loads(BASELINE.read_text())["results"]

    missing = [
        e["filename"] for e in baseline if f"`{e['filename']}`" not in text or e["test_id"] not in text
    ]

    assert missing == []
