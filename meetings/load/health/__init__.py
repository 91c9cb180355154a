"""The network's health flags, computed from meetings, roll calls and outcomes, never stored.

Each flag is a function of a network and of "now" that asks a fixed number of aggregate queries
(one or two, three for absences) whatever the number of meetings, and returns `Flag`s. What a
coordinator set aside is stored (models.FlagDismissal, keyed by the flag's code and subject_key)
and filtered out by `network_flags`. Thresholds are data (policies.py), with their source.

"Held" sessions are those HELD or CLOSED: someone was marked at the roll call or an outcome was
written (meetings.services.meetings.mark_held); a session left "scheduled" after its end is the
"not closed" flag's business, not the attendance's.
"""

from datetime import datetime

from django.core.cache import cache
from django.utils import translation

from accounts.models import Network
from meetings.load import policies  # noqa: F401  (the thresholds, read by tests and panels as health.policies)
from meetings.load.health.base import CODES, HELD, LABELS, Flag  # noqa: F401
from meetings.load.health.groups import absences, absentees, accreditation_at_risk  # noqa: F401
from meetings.load.health.meetings import unclosed, unprepared
from meetings.load.health.series import last_sessions, low_attendance, low_usefulness, no_results, overlaps
from meetings.load.models import FlagDismissal

# The flags are computed again at most every FRESH_SECONDS per network: on the largest network
# of the scale data they take about 150 ms of queries, and a coordinator's page, its CSV and a
# colleague's visit in the same minutes read the same. What is set aside shows at once.
FRESH_SECONDS = 120


def network_flags(network: Network, *, now: datetime) -> list[Flag]:
    """Every flag of NETWORK that no coordinator dismissed, by kind of flag: the dismissals, and
    the flags as computed in the last FRESH_SECONDS (computed_flags)."""
    dismissed = set(FlagDismissal.objects.filter(network=network).values_list("flag", "subject_key"))
    # Their messages are in the reader's language.
    key = f"load:flags:{network.pk}:{translation.get_language()}:{int(now.timestamp()) // FRESH_SECONDS}"
    found = cache.get(key)
    if found is None:
        found = computed_flags(network, now=now)
        cache.set(key, found, FRESH_SECONDS)
    return [flag for flag in found if (flag.code, flag.subject_key) not in dismissed]


def computed_flags(network: Network, *, now: datetime) -> list[Flag]:
    """Every flag of NETWORK, dismissed or not: a fixed number of queries (one for the series'
    last sessions, one to three per flag)."""
    sessions = last_sessions(network, now=now)
    found = [
        *unprepared(network, now=now),
        *unclosed(network, now=now),
        *low_attendance(network, now=now, sessions=sessions),
        *no_results(network, now=now, sessions=sessions),
        *overlaps(network, now=now),
        *low_usefulness(network, now=now, sessions=sessions),
        *absences(network, now=now),
        *accreditation_at_risk(network, now=now),
    ]
    return found
