"""Panels that capability apps add to the core's pages (the meeting page, the group page)
without the core importing them: each app registers its panels when it is ready
(`AppConfig.ready()` imports its `panels` module), and the page renders them in order.

Other core pages have named slots of their own (`page_panel("invitations", order=…)`: the
organiser's invitations page, subject the meeting; "answer": the invitee's answer, on the answer
page and the meeting page, subject the invitation; "meeting_form" and "series_form": the forms
that schedule, subject the form itself, unbound or bound: the meeting's creation and edit
forms, the series form; the edit and series forms carry the group they schedule for as
`scheduling_group`, None outside a group).

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
_page_panels: dict[str, list[tuple[int, PanelFunction]]] = {}
PAGES = ("invitations", "answer", "meeting_form", "series_form")


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


def page_panel(page: str, *, order: int):
    """Register a panel of one of the core's other PAGES; lower ORDER comes first."""
    if page not in PAGES:
        raise ValueError(f"No panels on the page {page!r}: {PAGES}")

    def register(function: PanelFunction) -> PanelFunction:
        panels = _page_panels.setdefault(page, [])
        panels.append((order, function))
        panels.sort(key=lambda pair: pair[0])
        return function

    return register


def page_panels(page: str, user, subject, *, show_details: bool = True) -> list[Panel]:
    """The panels of PAGE, in order, whatever their slot."""
    slots = _render(_page_panels.get(page, []), user, subject, show_details)
    return [panel for panels in slots.values() for panel in panels]


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
