"""`python -m tests.integration.clocked_gunicorn …`: the `gunicorn` command, at the tests' clock.

As for the worker (clocked_celery.py): the test's sessions, answer links and meetings are dated
from tests.clock.FIXED_NOW, and a web process reading the machine's clock would find them
expired or in the past. The arbiter moves before it forks its workers, which inherit its clock;
gunicorn's heartbeats use the monotonic clock, which time_machine leaves alone.
"""

import sys

from tests.integration.clocked_celery import follow_the_tests_clock


def main() -> None:
    follow_the_tests_clock()
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", *sys.argv[1:]]
    run()


if __name__ == "__main__":
    main()
