"""The tests' clock: every test starts at FIXED_NOW, whatever the machine's date.

FIXED_NOW is Thursday 19 November 2026, 10:00 in Brussels. The world tests/world.py builds from
"today" then holds a thematic meeting on Tuesday the 24th, a concertation on the 25th and its first
Balint session on Tuesday 1 December (the first Tuesday after "today + 3 days"): twelve days on,
inside the 14-day life of a login session, so a test that logs in and travels to that session is
still logged in, and far enough from the other two that a reminder due for the session is the only
one due. Its 400-day series horizon reaches December 2027, a year of sessions for a series begun
in December 2026. Mid-morning on a weekday, weeks from a change of time, a test's own minutes
never cross a day. The feed tests keep their own instant (tests.feeds_world.NOW) through `travel`.

The clock ticks from FIXED_NOW (time_machine's tick=True): a live server, a real worker and the
browser see time pass as they do in production; tests that need it stopped use `travel`.

Only this process's Python is moved. What reads the machine's clock itself follows it in the
ways below; a test that means to read the machine's clock is marked `real_clock` (rare, and the
reason written beside it).

- the browser (tests/e2e): its cookies expire by its own clock. Django sends Max-Age with every
  cookie it sets, which browsers prefer to Expires, and the Date header, by which Chromium
  corrects Expires for a server's skew: a server clock a year behind the browser's logs nobody
  out.
- the Celery worker and the web processes of the integration tests run at this clock too
  (shift_seconds; tests/integration/clocked_celery.py).
- SQLite's and PostgreSQL's own clocks write the feed change clock, and are only compared with
  themselves.

TEST_CLOCK_AHEAD_DAYS=N moves the whole run N days ahead of the machine's clock, to prove that
the suite passes on any day (CI runs it with 400): what runs outside a test (collection, session
fixtures), `real_clock` tests, the Celery worker and, through libfaketime, Chromium all live N days
later. Python itself is moved with time_machine rather than libfaketime: Debian's libfaketime
(0.9.10) either makes Python 3.11's time.sleep() fail with EINVAL (DONT_FAKE_MONOTONIC=1) or its
timed lock waits hang (sem_clockwait is not intercepted). Not moved: SQLite's own clock (compared
only with itself) and the short-lived programs some tests start (settings checks in a fresh
Python, node reading a feed), which read no date.
"""

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

FIXED_NOW = datetime(2026, 11, 19, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))

AHEAD_VARIABLE = "TEST_CLOCK_AHEAD_DAYS"
LIBFAKETIME = Path(os.environ.get("LIBFAKETIME", "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"))


def ahead_days() -> int:
    """TEST_CLOCK_AHEAD_DAYS as a whole number of days (0 when unset); a bad value stops the run."""
    value = os.environ.get(AHEAD_VARIABLE, "").strip()
    if not value:
        return 0
    try:
        days = int(value)
    except ValueError:
        raise ValueError(f"{AHEAD_VARIABLE} must be a whole number of days, not {value!r}") from None
    if days < 0:
        raise ValueError(f"{AHEAD_VARIABLE} moves the clock ahead: {days} is below 0")
    return days


def start_ticking(travel: time_machine.travel) -> time_machine.Traveller:
    """Starts TRAVEL with its clock ticking from now: time_machine starts a ticking clock at its
    first read, not at start(), and a process that starts slowly would lag behind. Returns the
    traveller, which can shift() the clock later."""
    traveller = travel.start()
    time.time()
    return traveller


def machine_ahead():
    """A traveller putting this process N days ahead of the machine (None without the variable)."""
    days = ahead_days()
    if not days:
        return None
    return time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)


def fixed():
    """A traveller to FIXED_NOW, ticking."""
    return time_machine.travel(FIXED_NOW, tick=True)


def shift_seconds() -> float:
    """How far this process's clock is from the machine's, in seconds (for a child process)."""
    if not time_machine.escape_hatch.is_travelling():
        return 0.0
    return time.time() - time_machine.escape_hatch.time.time()


def browser_environment() -> dict | None:
    """Chromium's environment: the machine's clock, or N days ahead of it through libfaketime."""
    days = ahead_days()
    if not days:
        return None
    if not LIBFAKETIME.exists():
        raise RuntimeError(
            f"{AHEAD_VARIABLE}={days} moves the browser's clock with libfaketime, not found at "
            f"{LIBFAKETIME}: install Debian's libfaketime package (or set LIBFAKETIME)"
        )
    preload = " ".join(filter(None, [os.environ.get("LD_PRELOAD"), str(LIBFAKETIME)]))
    # Monotonic clocks are moved too: with DONT_FAKE_MONOTONIC=1 Chromium's pages take 15 s to load.
    return {**os.environ, "LD_PRELOAD": preload, "FAKETIME": f"+{days}d"}
