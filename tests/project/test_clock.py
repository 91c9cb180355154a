"""The tests' clock (tests/clock.py): each test starts at FIXED_NOW, unless marked real_clock."""

import time

import pytest
from django.utils import timezone

from tests import clock


def test_a_test_starts_on_the_fixed_day_and_its_clock_ticks():
    start = timezone.now()
    time.sleep(0.01)

    assert timezone.localdate() == clock.FIXED_NOW.date()
    assert clock.FIXED_NOW <= start < timezone.now()


# It tests what the marker does: give back the machine's clock (moved by TEST_CLOCK_AHEAD_DAYS).
@pytest.mark.real_clock
def test_a_real_clock_test_reads_the_machine_clock_moved_by_the_days_ahead():
    assert round(clock.shift_seconds() / 86400) == clock.ahead_days()
    assert timezone.now() > clock.FIXED_NOW


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a year", "TEST_CLOCK_AHEAD_DAYS must be a whole number of days, not 'a year'"),
        ("-3", "TEST_CLOCK_AHEAD_DAYS moves the clock ahead: -3 is below 0"),
    ],
)
def test_a_bad_number_of_days_ahead_stops_the_run_naming_the_variable(monkeypatch, value, message):
    monkeypatch.setenv("TEST_CLOCK_AHEAD_DAYS", value)

    with pytest.raises(ValueError) as error:
        clock.ahead_days()

    assert str(error.value) == message


def test_no_days_ahead_leave_the_machine_clock_and_the_browser_alone(monkeypatch):
    monkeypatch.delenv("TEST_CLOCK_AHEAD_DAYS", raising=False)

    assert (clock.ahead_days(), clock.machine_ahead(), clock.browser_environment()) == (0, None, None)


def test_days_ahead_reach_the_browser_through_libfaketime(monkeypatch, tmp_path):
    library = tmp_path / "libfaketime.so.1"
    library.touch()
    monkeypatch.setattr(clock, "LIBFAKETIME", library)
    monkeypatch.setenv("TEST_CLOCK_AHEAD_DAYS", "400")
    monkeypatch.delenv("LD_PRELOAD", raising=False)

    environment = clock.browser_environment()

    assert (environment["LD_PRELOAD"], environment["FAKETIME"]) == (str(library), "+400d")
    assert "DONT_FAKE_MONOTONIC" not in environment


def test_days_ahead_without_libfaketime_say_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(clock, "LIBFAKETIME", tmp_path / "missing.so")
    monkeypatch.setenv("TEST_CLOCK_AHEAD_DAYS", "400")

    with pytest.raises(RuntimeError) as error:
        clock.browser_environment()

    assert "install Debian's libfaketime package" in str(error.value)
