"""Waiting for what other processes do: a deadline for a slow shared machine, never a measure."""

import time


def wait_until(condition, timeout: float = 60, every: float = 0.2):
    """CONDITION's first true answer, asked every EVERY seconds; after TIMEOUT seconds its last
    answer (false), for the caller to assert."""
    deadline = time.monotonic() + timeout
    while not (answer := condition()) and time.monotonic() < deadline:
        time.sleep(every)
    return answer
