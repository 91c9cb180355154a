"""Feeds read by ical.js, Mozilla's iCalendar parser (Thunderbird), besides Python's icalendar.

ical.js comes from npm into tools/icaljs (`npm install --prefix tools/icaljs ical.js@2`). Without
node or the module the test is skipped with a message, except on CI (CI=true) where it must run.
"""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.calendar.services.subscriptions import subscription_create
from tests.feeds_world import WINDOW, expected_personal_occurrences, public_feed_path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "js" / "parse_ics.mjs"
MODULE = ROOT / "tools" / "icaljs" / "node_modules" / "ical.js"


def _node() -> str:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not MODULE.is_dir():
        missing = f"ical.js is not installed in {MODULE.parent} (npm install --prefix tools/icaljs ical.js@2)"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true requires the ical.js check: {missing}")
        pytest.skip(missing)
    return node


def icaljs(body: bytes, window=None) -> dict:
    arguments = [_node(), str(SCRIPT)]
    if window:
        arguments += [moment.astimezone(UTC).isoformat() for moment in window]
    result = subprocess.run(arguments, input=body, capture_output=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_personal_feed_parsed_and_expanded_by_icaljs(client, feed_world):
    _node()
    _subscription, token = subscription_create(user=feed_world.member, label="Thunderbird")
    body = client.get(reverse("calendar:feed", args=[token])).content

    parsed = icaljs(body, WINDOW)

    assert parsed["timezones"] == ["Europe/Brussels"]
    found = {(o["uid"], _instant(o["start"])) for o in parsed["occurrences"]}
    assert found == expected_personal_occurrences(feed_world, *WINDOW)
    masters = {e["uid"]: e for e in parsed["events"] if e["rrule"]}
    assert masters[feed_world.intervision_series.uid]["rrule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert masters[feed_world.intervision_series.uid]["summary"] == "Intervision — Groupe du jeudi"
    assert masters[feed_world.intervision_series.uid]["exdates"] == [
        feed_world.cancelled_occurrence.recurrence_id.astimezone(UTC).isoformat().replace("+00:00", ".000Z")
    ]
    moved = feed_world.moved
    (override,) = [
        e
        for e in parsed["events"]
        if e["uid"] == moved.uid and e["recurrenceId"] and _instant(e["recurrenceId"]) == moved.recurrence_id
    ]
    assert _instant(override["start"]) == moved.start
    assert override["sequence"] == moved.sequence
    (cancelled,) = [e for e in parsed["events"] if e["uid"] == feed_world.cancelled_single.uid]
    assert cancelled["status"] == "CANCELLED"
    (concertation,) = [e for e in parsed["events"] if e["uid"] == feed_world.concertation.uid]
    assert concertation["summary"] == "Concertation clinique"


def test_group_and_public_feeds_parse_with_icaljs(client, feed_world):
    _node()
    world = feed_world.world
    _subscription, token = subscription_create(user=feed_world.member, label="Thunderbird", group=world.group)
    group_body = client.get(reverse("calendar:feed", args=[token])).content
    public_body = client.get(public_feed_path(world.network, by=world.users["coordinator"])).content

    group = icaljs(group_body)
    public = icaljs(public_body)

    assert {e["summary"] for e in group["events"]} == {"Groupe Balint — Balint des Marolles"}
    assert {e["uid"] for e in public["events"]} == {world.thematic.uid, feed_world.thematic_series.uid}
    assert group["timezones"] == public["timezones"] == ["Europe/Brussels"]
