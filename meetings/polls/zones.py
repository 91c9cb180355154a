"""The time zone a person reads a poll's times in: their own (an IANA name), or Brussels, where
polls are proposed, when it is missing or no longer exists. One rule for the pages and e-mails."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BRUSSELS_ZONE = "Europe/Brussels"


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or BRUSSELS_ZONE)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo(BRUSSELS_ZONE)
