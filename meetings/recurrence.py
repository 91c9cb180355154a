"""Recurrence rules: building, checking, expanding and describing them in plain French.

Rules are RFC 5545 RRULE strings (without DTSTART). They are expanded from an aware DTSTART in
Europe/Brussels: dateutil keeps the wall-clock time and zoneinfo gives each date its own offset,
so a weekly 19:00 meeting stays at 19:00 across the changes of time.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from meetings import bounds

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_OCCURRENCES = 500
MAX_DURATION = timedelta(hours=12)
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}


class Frequency:
    WEEKLY = "weekly"
    MONTHLY_NTH_WEEKDAY = "monthly_nth"
    MONTHLY_DAY = "monthly_day"


@dataclass(frozen=True)
class RuleSpec:
    """What the recurrence builder asks: the shape of the rule and how it ends."""

    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday, for weekly rules
    nth: int = 1  # 1..4, or -1 for the last, for monthly_nth
    weekday: int = 0  # for monthly_nth
    month_day: int = 1  # for monthly_day
    until: date | None = None
    count: int | None = None


def local_start(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=BRUSSELS)


def build_rrule(spec: RuleSpec) -> str:
    if spec.frequency == Frequency.WEEKLY:
        days = ",".join(WEEKDAY_CODES[d] for d in sorted(set(spec.weekdays)))
        parts = ["FREQ=WEEKLY", f"INTERVAL={spec.interval}" if spec.interval > 1 else "", f"BYDAY={days}"]
    elif spec.frequency == Frequency.MONTHLY_NTH_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"INTERVAL={spec.interval}" if spec.interval > 1 else ""]
        parts.append(f"BYDAY={spec.nth:+d}{WEEKDAY_CODES[spec.weekday]}")
    elif spec.frequency == Frequency.MONTHLY_DAY:
        parts = ["FREQ=MONTHLY", f"INTERVAL={spec.interval}" if spec.interval > 1 else ""]
        parts.append(f"BYMONTHDAY={spec.month_day}")
    else:
        raise ValidationError(_("Fréquence inconnue."))
    if spec.count:
        parts.append(f"COUNT={spec.count}")
    elif spec.until:
        parts.append(f"UNTIL={until_utc(spec.until):%Y%m%dT%H%M%SZ}")
    return ";".join(p for p in parts if p)


def until_utc(day: date) -> datetime:
    """The last instant of DAY in Brussels, in UTC, as RFC 5545 wants UNTIL with a local DTSTART."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=BRUSSELS).astimezone(ZoneInfo("UTC"))


def parse(rule: str, dtstart: datetime) -> rrule:
    try:
        parsed = rrulestr(rule, dtstart=dtstart.astimezone(BRUSSELS))
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("Cette règle de récurrence est illisible."), code="unreadable") from exc
    if not isinstance(parsed, rrule):
        raise ValidationError(_("Cette règle de récurrence est illisible."), code="unreadable")
    return parsed


def check_rule(rule: str, dtstart: datetime, duration: timedelta) -> list[datetime]:
    """Refuse what cannot be a sensible series; return its occurrences when it ends.

    Open-ended rules are allowed (groups meet for years); their occurrences are created for a
    rolling horizon instead, so the returned list is then the first year only. The first session
    and the UNTIL day are within meetings.bounds; a COUNT may reach further, its later sessions
    being created a horizon at a time too.
    """
    check_duration(duration)
    bounds.check_moment(dtstart)
    parsed = parse(rule, dtstart)
    if parsed._until is not None:
        bounds.check_moment(parsed._until)
    if parsed._freq not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            _("Une réunion ne peut pas se répéter plus d'une fois par jour."), code="too_fine"
        )
    if parsed._count is not None and parsed._count > MAX_OCCURRENCES:
        raise ValidationError(
            _("Une série ne peut pas dépasser %(max)s séances.") % {"max": MAX_OCCURRENCES}, code="too_many"
        )
    if parsed._until is not None and parsed._until < dtstart:
        raise ValidationError(
            _("La date de fin est antérieure à la première séance."), code="until_before_start"
        )
    bounded = parsed._count is not None or parsed._until is not None
    limit = None if bounded else dtstart + timedelta(days=366)
    dates = []
    for occurrence in parsed:
        if limit and occurrence > limit:
            break
        dates.append(occurrence)
        if len(dates) > MAX_OCCURRENCES:
            raise ValidationError(
                _("Une série ne peut pas dépasser %(max)s séances.") % {"max": MAX_OCCURRENCES},
                code="too_many",
            )
    if not dates and parsed._until is not None:
        raise ValidationError(
            _("La date de fin est antérieure à la première séance."), code="until_before_start"
        )
    if not dates:
        raise ValidationError(_("Cette règle ne donne aucune date."), code="empty")
    return dates


def first_occurrence(rule: str, moment: datetime) -> datetime:
    """The first date RULE gives from MOMENT on, at MOMENT's time: "the first Tuesday after",
    for code that schedules a series itself (demo data, tests) rather than a person choosing."""
    return next(iter(parse(rule, moment)), moment)


def check_first_session(rule: str, dtstart: datetime, dates: list[datetime]) -> None:
    """Refuse a first session that is not one of the rule's dates (DATES, from check_rule).

    RFC 5545 wants DTSTART to be an occurrence; moving it silently to the rule's first date would
    schedule a day nobody chose, so the person picks the date or the rule again."""
    if dates and dates[0] != dtstart:
        raise ValidationError(
            _("Le %(day)s ne suit pas la règle « %(rule)s » : la première séance serait le %(first)s.")
            % {
                "day": formats.date_format(dtstart.astimezone(BRUSSELS), "l j F Y"),
                "rule": describe(rule, dtstart),
                "first": format_date(dates[0]),
            },
            code="first_session_off_rule",
        )


def check_duration(duration: timedelta) -> None:
    if duration <= timedelta(0):
        raise ValidationError(_("La fin doit être après le début."), code="end_before_start")
    if duration > MAX_DURATION:
        raise ValidationError(_("Une réunion ne peut pas durer plus de 12 heures."), code="too_long")


def occurrences_between(rule: str, dtstart: datetime, start: datetime, end: datetime) -> list[datetime]:
    """Occurrence starts in [start, end), as aware Brussels datetimes."""
    parsed = parse(rule, dtstart)
    return [o for o in parsed.between(start, end, inc=True) if o < end]


def next_dates(rule: str, dtstart: datetime, count: int = 5, after: datetime | None = None) -> list[datetime]:
    parsed = parse(rule, dtstart)
    found = []
    moment = after or bounds.shifted(dtstart, -timedelta(seconds=1))
    for _i in range(count):
        moment = parsed.after(moment)
        if moment is None:
            break
        found.append(moment)
    return found


def format_date(moment: datetime) -> str:
    """ "jeudi 19 novembre 2026 à 12:30" in the active language."""
    local = moment.astimezone(BRUSSELS)
    day = formats.date_format(local, "l j F Y")
    return _("%(day)s à %(time)s") % {"day": day, "time": local.strftime("%H:%M")}


def ordinal(nth: int) -> str:
    return {1: _("1er"), 2: _("2e"), 3: _("3e"), 4: _("4e"), -1: _("dernier")}.get(nth, f"{nth}.")


@functools.cache
def _day_names(language: str | None) -> tuple[str, ...]:
    """Monday to Sunday in LANGUAGE, the active one: written once per language (a calendar
    feed describes every series it holds at every build)."""
    return tuple(formats.date_format(date(2024, 1, 1 + d), "l") for d in range(7))


def describe(rule: str, dtstart: datetime) -> str:
    """The rule in one plain sentence: "Le 3e jeudi de chaque mois, à 12:30"."""
    parsed = parse(rule, dtstart)
    local = dtstart.astimezone(BRUSSELS)
    at = local.strftime("%H:%M")
    interval = parsed._interval
    day_names = _day_names(get_language())
    if parsed._freq == WEEKLY:
        days = ", ".join(day_names[d] for d in sorted(parsed._byweekday or [local.weekday()]))
        if interval == 1:
            text = _("Chaque semaine le %(days)s, à %(time)s") % {"days": days, "time": at}
        else:
            text = _("Toutes les %(n)s semaines le %(days)s, à %(time)s") % {
                "n": interval,
                "days": days,
                "time": at,
            }
    elif parsed._freq == MONTHLY and parsed._bynweekday:
        weekday, nth = parsed._bynweekday[0]
        months = _("de chaque mois") if interval == 1 else _("tous les %(n)s mois") % {"n": interval}
        text = _("Le %(nth)s %(day)s %(months)s, à %(time)s") % {
            "nth": ordinal(nth),
            "day": day_names[weekday],
            "months": months,
            "time": at,
        }
    elif parsed._freq == MONTHLY:
        day = parsed._bymonthday[0] if parsed._bymonthday else local.day
        months = _("de chaque mois") if interval == 1 else _("tous les %(n)s mois") % {"n": interval}
        text = _("Le %(day)s %(months)s, à %(time)s") % {"day": day, "months": months, "time": at}
    elif parsed._freq == DAILY:
        text = ngettext("Chaque jour, à %(time)s", "Tous les %(n)s jours, à %(time)s", interval) % {
            "n": interval,
            "time": at,
        }
    else:
        text = _("Chaque année, à %(time)s") % {"time": at}
    if parsed._count:
        text += ngettext(", %(n)s séance", ", %(n)s séances", parsed._count) % {"n": parsed._count}
    elif parsed._until:
        text += _(", jusqu'au %(day)s") % {
            "day": formats.date_format(parsed._until.astimezone(BRUSSELS), "j F Y")
        }
    return text
