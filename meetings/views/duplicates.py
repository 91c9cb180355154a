"""Scheduling something that may already exist: the form is shown again with the possible
duplicates (queries.possible_duplicates), and sending it once more saves anyway."""

from collections.abc import Callable

from django import forms

from meetings.queries import PossibleDuplicate


def unseen(duplicates: list[PossibleDuplicate], seen: frozenset[int]) -> list[PossibleDuplicate]:
    """The duplicates not shown yet: changing the time after a warning checks again."""
    return [d for d in duplicates if d.meeting.pk not in seen]


def ask_to_confirm(
    form: forms.Form, duplicates: list[PossibleDuplicate], make_form: Callable[[dict], forms.Form]
) -> forms.Form:
    """The same form, bound again with DUPLICATES marked as seen."""
    data = form.data.copy()
    data[form.add_prefix("seen_duplicates")] = ",".join(str(d.meeting.pk) for d in duplicates)
    again = make_form(data)
    again.is_valid()
    return again
