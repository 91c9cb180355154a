"""Bounds on what people enter: the window of days a meeting, a series, an action or a period
falls in, and the length of the free texts that travel into e-mails and calendars.

Dates. From EARLIEST_DAY to YEARS_AHEAD years after today, in Brussels. Nothing the networks
organise lies outside it, and what does is a typing slip ("0026" for "2026", "9999" to mean "no
end"); such a date also breaks the arithmetic of the pages that show it (a roll call open until
seven days after a meeting on 31 December 9999 ends after the last day Python knows). Forms
refuse it beside the field, services refuse it for every other caller. Rows stored before the
bounds existed still display: `shifted` keeps their windows and retention dates inside the
calendar.

- EARLIEST_DAY, 1 January 2000: older than any meeting the application may be told about
  (imports of past attendance included), yet it catches a year typed with two digits.
- YEARS_AHEAD, 5: a group plans its sessions a year or two ahead, an accreditation cycle runs
  for a year; five years leaves room for any real plan. An open-ended series is not bounded by it:
  its occurrences are created a horizon at a time (SERIES_HORIZON_DAYS).

Texts. Each free text has a length chosen for what it holds (the constants below); forms give it as
max_length, so the message appears beside the field.
"""

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EARLIEST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 5

# The free texts of meetings and groups, in characters. A meeting's purpose goes into every
# invitation, reminder and calendar event: a few sentences. A charter is read and accepted by each
# member: a page or two. The rest are notes of a few lines.
PURPOSE_MAX_LENGTH = 2_000
GROUP_DESCRIPTION_MAX_LENGTH = 2_000
CHARTER_MAX_LENGTH = 10_000
# One address per line, for at most 500 guests at a time (InviteForm).
GUEST_LIST_MAX_LENGTH = 40_000
# The names a vignette's author asks to remove, one per line.
NAMES_TO_REMOVE_MAX_LENGTH = 2_000
# An online meeting's link, as the model stores it.
LINK_MAX_LENGTH = 200


def latest_day(today: date | None = None) -> date:
    """The last day a meeting may be set on: YEARS_AHEAD years after TODAY (Brussels)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def is_within(day: date, today: date | None = None) -> bool:
    return EARLIEST_DAY <= day <= latest_day(today)


def out_of_range_message(today: date | None = None) -> str:
    return _("Choisissez une date entre le %(earliest)s et le %(latest)s.") % {
        "earliest": formats.date_format(EARLIEST_DAY, "j F Y"),
        "latest": formats.date_format(latest_day(today), "j F Y"),
    }


def check_day(day: date, *, today: date | None = None) -> None:
    """Refuse a day outside the window (code "date_out_of_range")."""
    if not is_within(day, today):
        raise ValidationError(out_of_range_message(today), code="date_out_of_range")


def check_moment(moment: datetime, *, today: date | None = None) -> None:
    """Refuse an instant whose Brussels day is outside the window."""
    check_day(timezone.localdate(moment), today=today)


# The ends of the calendar a computed instant is kept within: a day inside Python's, so that it
# still converts to any time zone for display.
FIRST_INSTANT = datetime(1, 1, 2, tzinfo=UTC)
LAST_INSTANT = datetime(9999, 12, 30, tzinfo=UTC)


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """MOMENT + DELTA, kept inside the calendar: a row stored before the bounds (a meeting on
    31 December 9999) still has a roll call window and a retention date, and its page displays."""
    try:
        result = moment + delta
    except OverflowError:
        result = LAST_INSTANT if delta > timedelta(0) else FIRST_INSTANT
    if result > LAST_INSTANT:
        return max(moment, LAST_INSTANT)
    if result < FIRST_INSTANT:
        return min(moment, FIRST_INSTANT)
    return result
