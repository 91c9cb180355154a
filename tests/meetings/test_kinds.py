import re
from datetime import timedelta
from pathlib import Path

import pytest

from meetings.kinds import POLICIES, FeedDetail, Kind, Membership, policy_for

ROOT = Path(__file__).resolve().parents[2]

# kind: membership, written case material, clinical minutes, purpose, agenda, feed, max size
EXPECTED = {
    Kind.THEMATIC: (Membership.OPEN_TO_NETWORK, True, False, True, True, FeedDetail.FULL, None),
    Kind.INTERVISION: (Membership.CLOSED_GROUP, True, False, False, True, FeedDetail.KIND_AND_GROUP, None),
    Kind.BALINT: (Membership.CLOSED_GROUP, False, False, False, False, FeedDetail.KIND_AND_GROUP, 12),
    Kind.SUPERVISION: (Membership.CLOSED_GROUP, True, False, False, False, FeedDetail.KIND_AND_GROUP, None),
    Kind.EXCHANGE: (Membership.INVITED_ONLY, False, False, True, False, FeedDetail.FULL, None),
    Kind.CONCERTATION: (Membership.INVITED_ONLY, False, True, True, False, FeedDetail.KIND_ONLY, None),
}


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_states_its_policy(kind):
    policy = policy_for(kind)

    assert (
        policy.membership,
        policy.written_case_material,
        policy.clinical_minutes,
        policy.requires_purpose,
        policy.requires_agenda,
        policy.feed_detail,
        policy.max_group_size,
    ) == EXPECTED[kind]
    assert timedelta(minutes=30) <= policy.default_duration <= timedelta(hours=8)
    assert timedelta(hours=12) <= policy.reminder_before <= timedelta(hours=96)
    assert len(str(policy.explanation).split(".")) <= 2  # one sentence


def test_every_kind_has_a_policy():
    assert set(POLICIES) == set(Kind.values)


def test_code_branches_on_policies_not_on_kind_names():
    """Outside kinds.py (and the demo and scale data, which choose a mix of kinds), no code
    compares against a particular kind."""
    pattern = re.compile(
        r"Kind\.(THEMATIC|INTERVISION|BALINT|SUPERVISION|EXCHANGE|CONCERTATION)|[\"'](balint|intervision|concertation|supervision|thematic|exchange)[\"']"
    )
    offenders = []
    for path in (ROOT / "meetings").rglob("*.py"):
        demo_data = path.name in {"demo.py", "scale.py"} or path.name.startswith("demo_")
        if path.name == "kinds.py" or demo_data or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert offenders == []


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_says_what_its_outcome_holds_and_why_it_takes_no_vignette(kind):
    policy = policy_for(kind)

    assert str(policy.outcome_label) and str(policy.outcome_guidance)
    # A kind that keeps no written case material says why where a vignette would be written.
    assert (policy.no_vignette_reason is None) == policy.written_case_material
    # Outcomes that may not hold clinical content and are confidential go through the anonymiser.
    assert policy.checks_outcome_for_identities == (policy.is_confidential and not policy.clinical_minutes)


def test_balint_keeps_themes_only():
    policy = policy_for(Kind.BALINT)

    assert not policy.records_decisions
    assert "Pas de contenu clinique" in str(policy.outcome_guidance)
