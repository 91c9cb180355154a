"""The thresholds of the network's health flags, as data with their source (DESIGN.md: rules are
data in one place, with where they come from), so that the queries in health.py hold no literal."""

from dataclasses import dataclass

from meetings.kinds import policy_for

# Issue 17, item 5: the thresholds the coordinators asked for.
PREPARATION_BEFORE_HOURS = 48  # purpose and agenda written 48 h before
ATTENDANCE_FLOOR_PERCENT = 50  # attendance under 50 % ...
ATTENDANCE_SESSIONS = 3  # ... for the last 3 held sessions
NO_RESULT_SESSIONS = 4  # no decision and no action in the last 4 sessions
OVERLAP_PERCENT = 70  # two series sharing 70 % of their participants
USEFULNESS_FLOOR = 2.5  # feedback under 2.5 / 5 ...
USEFULNESS_SESSIONS = 5  # ... over the last 5 held sessions
USEFULNESS_MIN_ANSWERS = 5  # and only with 5 answers at least (an average of fewer says little)
ABSENT_IN_A_ROW = 5  # FIELD.md (GLEM): "absent 5 successive times without reason"
# Past meetings nobody closed are looked for this far back (older ones are history).
UNCLOSED_LOOKBACK_DAYS = 365
# The last sessions of a series or group are looked for within this many days (a series whose
# last three sessions span more than a year has stopped, which its yearly review asks about).
LAST_SESSIONS_LOOKBACK_DAYS = 365
# A dashboard lists at most this many meetings of one flag (the oldest open ones come last).
MEETINGS_PER_FLAG = 50
# Participants of a series for the overlap: invitees of its sessions within these days of now.
RECENT_DAYS = 180


@dataclass(frozen=True)
class AccreditationRule:
    """What recognition of an accreditation group asks, per calendar year."""

    label: str
    min_sessions_per_year: int
    min_participants_per_session: int
    min_members: int
    max_members: int
    source: str


# FIELD.md, "Accreditation groups (GLEM, peer review)": 8 to 25 members; recognition and its
# yearly subsidy need at least 4 meetings a year, each with at least 3 participants.
GLEM = AccreditationRule(
    label="GLEM",
    min_sessions_per_year=4,
    min_participants_per_session=3,
    min_members=8,
    max_members=25,
    source="INAMI, groupes locaux d'évaluation médicale (FIELD.md)",
)
# Every accredited group is judged by the GLEM rules: the only accreditation the networks use.
ACCREDITATION_RULE = GLEM


def merge_reason(first: str, second: str):
    """Why series of kinds FIRST and SECOND could merge (both of one family of kinds.py's
    merge_family), or None when they may not."""
    family = policy_for(first).merge_family
    return family if family is not None and family == policy_for(second).merge_family else None
