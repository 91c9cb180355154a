"""Panels that capability apps add to the core's pages (the meeting page, the group page)
without the core importing them: each app registers its panels when it is ready
(`AppConfig.ready()` imports its `panels` module), and the page renders them in order.

A panel is a function (user, subject, *, show_details) that returns a Panel — a template, the
data it reads as `panel`, and the slot of the page it goes in — or several, or None when it has
nothing to show this person. The page renders each slot's panels where the slot stands.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError


@dataclass(frozen=True)
class Panel:
    template: str
    data: dict = field(default_factory=dict)  # the template reads it as `panel`
    slot: str = "main"  # "main": after the meeting's own sections; "agenda": inside its agenda


PanelFunction = Callable[..., Panel | list[Panel] | None]
_meeting_panels: list[tuple[int, PanelFunction]] = []
_group_panels: list[tuple[int, PanelFunction]] = []


def meeting_panel(*, order: int):
    """Register a panel of the meeting page; lower ORDER comes first."""

    def register(function: PanelFunction) -> PanelFunction:
        _meeting_panels.append((order, function))
        _meeting_panels.sort(key=lambda pair: pair[0])
        return function

    return register


def group_panel(*, order: int):
    """Register a panel of the group page; lower ORDER comes first."""

    def register(function: PanelFunction) -> PanelFunction:
        _group_panels.append((order, function))
        _group_panels.sort(key=lambda pair: pair[0])
        return function

    return register


def _render(panels, user, subject, show_details: bool) -> dict[str, list[Panel]]:
    """The panels to show, by slot, in order."""
    slots: dict[str, list[Panel]] = {}
    for _order, function in panels:
        shown = function(user, subject, show_details=show_details)
        for panel in [shown] if isinstance(shown, Panel) else shown or []:
            slots.setdefault(panel.slot, []).append(panel)
    return slots


def meeting_panels(user, meeting, *, show_details: bool) -> dict[str, list[Panel]]:
    return _render(_meeting_panels, user, meeting, show_details)


def group_panels(user, group, *, show_details: bool) -> dict[str, list[Panel]]:
    return _render(_group_panels, user, group, show_details)


def allowed(check, *args) -> bool:
    """Whether a service's check (which raises to refuse) lets this through."""
    try:
        check(*args)
    except (ValidationError, PermissionDenied):
        return False
    return True
