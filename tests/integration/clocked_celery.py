"""`python -m tests.integration.clocked_celery …`: the `celery` command, at the tests' clock.

A test runs from tests.clock.FIXED_NOW, which only its own process sees; a worker in another
process would read the machine's clock, and due dates, reminders and the sweeper's "stuck since"
would disagree between the two. The test passes how far its clock is from the machine's
(TEST_CLOCK_SHIFT_SECONDS, see tests.clock.shift_seconds); the worker moves by as much before
Celery starts, and ticks, so both read the same time as a web process and a worker would.

A test that moves its clock while the worker runs (ten minutes of an outage in seconds) names a
file in TEST_CLOCK_MOVES_FILE and writes there how many seconds it has moved since the worker
started (tests/integration/conftest.py, MovableClock): before each task, the worker moves as far.
"""

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from tests.clock import start_ticking

SHIFT_VARIABLE = "TEST_CLOCK_SHIFT_SECONDS"
MOVES_VARIABLE = "TEST_CLOCK_MOVES_FILE"


def follow_the_tests_clock() -> time_machine.Traveller | None:
    """Put this process at the tests' clock, ticking (None when it needs no moving)."""
    shift = float(os.environ.get(SHIFT_VARIABLE, "0"))
    if not shift and not os.environ.get(MOVES_VARIABLE):
        return None
    return start_ticking(time_machine.travel(datetime.now(UTC) + timedelta(seconds=shift), tick=True))


def read_moves(path: Path) -> float:
    """The seconds the test has moved its clock so far (0 before it writes the file)."""
    try:
        return float(path.read_text() or 0)
    except FileNotFoundError:
        return 0.0


def follow_the_tests_moves(traveller: time_machine.Traveller, path: Path) -> None:
    """Before each task, move this worker's clock as far as the test has moved its own."""
    from celery.signals import task_prerun

    moved = 0.0

    def before_task(**_signal):
        nonlocal moved
        wanted = read_moves(path)
        if wanted != moved:
            traveller.shift(wanted - moved)
            moved = wanted

    task_prerun.connect(before_task, weak=False)


def main() -> None:
    traveller = follow_the_tests_clock()
    if os.environ.get(MOVES_VARIABLE):
        follow_the_tests_moves(traveller, Path(os.environ[MOVES_VARIABLE]))
    from celery.__main__ import main as celery

    sys.argv = ["celery", *sys.argv[1:]]
    celery()


if __name__ == "__main__":
    main()
