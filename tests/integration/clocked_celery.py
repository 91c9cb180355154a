"""`python -m tests.integration.clocked_celery …`: the `celery` command, at the tests' clock.

A test runs from tests.clock.FIXED_NOW, which only its own process sees; a worker in another
process would read the machine's clock, and due dates, reminders and the sweeper's "stuck since"
would disagree between the two. The test passes how far its clock is from the machine's
(TEST_CLOCK_SHIFT_SECONDS, see tests.clock.shift_seconds); the worker moves by as much before
Celery starts, and ticks, so both read the same time as a web process and a worker would.
"""

import os
import sys
from datetime import UTC, datetime, timedelta

import time_machine

from tests.clock import start_ticking

SHIFT_VARIABLE = "TEST_CLOCK_SHIFT_SECONDS"


def main() -> None:
    shift = float(os.environ.get(SHIFT_VARIABLE, "0"))
    if shift:
        start_ticking(time_machine.travel(datetime.now(UTC) + timedelta(seconds=shift), tick=True))
    from celery.__main__ import main as celery

    sys.argv = ["celery", *sys.argv[1:]]
    celery()


if __name__ == "__main__":
    main()
