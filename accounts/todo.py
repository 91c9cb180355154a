"""The home page's "À faire": what the person logged in has to do now, gathered from the apps
that know it (a roll call open, an outcome to write, a meeting to close, an action due).

Accounts owns the registry because the home page is its own and every app sits above it
(accounts ← meetings ← capability apps): each app registers its sources from its
`AppConfig.ready()` with `register()`, and accounts never imports them. A source is a function
`(user, *, now) -> list[Todo]` that reads in a constant number of queries (one, as a rule),
whatever the number of items, and returns only what that user has to do.

Items come out source by source, in ORDER (lower first), each source's in its own order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.functional import Promise


@dataclass(frozen=True)
class Todo:
    kind: str  # "roll_call", "outcome", "close", "action": what the page and tests tell apart
    label: str | Promise  # what to do, as a tag: "Faire l'appel"
    text: str  # what it is about: a meeting's heading, an action's description
    url: str
    when: datetime | date  # a meeting's start, an action's due date
    overdue: bool = False

    @property
    def is_day(self) -> bool:
        return not isinstance(self.when, datetime)


Source = Callable[..., list[Todo]]
_sources: dict[str, tuple[int, Source]] = {}


def register(name: str, function: Source, *, order: int) -> None:
    """Add FUNCTION's items to every home page. Registering NAME again replaces it (ready() may
    run twice in tests)."""
    _sources[name] = (order, function)


def todos(user, *, now: datetime) -> list[Todo]:
    if not user.is_authenticated:
        return []
    items: list[Todo] = []
    for _order, function in sorted(_sources.values(), key=lambda pair: pair[0]):
        items.extend(function(user, now=now))
    return items
