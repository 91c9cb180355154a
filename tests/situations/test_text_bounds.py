"""Every free text of the situations' forms has a maximum length (as tests/meetings/test_text_bounds.py
asks of the other apps): nothing unbounded reaches the database, a PDF or an e-mail."""

import inspect

import pytest
from django import forms

from meetings.situations import forms as situation_forms
from tests.situations.world import fresh

# Built as their views build them; the forms that need the situation get the world's.
NEEDS_SITUATION = {
    "StatusForm",
    "ConsentRecordForm",
    "ConcertationForm",
    "ReportForm",
    "ActionForm",
    "HandoverForm",
}


def _forms_of_the_module():
    return {
        name: value
        for name, value in vars(situation_forms).items()
        if inspect.isclass(value)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == situation_forms.__name__
        and value.base_fields
    }


def _build(name, cls, sworld):
    situation = fresh(sworld.situation)
    if name == "SituationForm":
        return cls(networks=type(sworld.network).objects.filter(pk=sworld.network.pk))
    if name == "MemberEditForm":
        return cls(member=sworld.members["nurse"])
    if name == "MemberForm":
        return cls(network=sworld.network)
    if name in NEEDS_SITUATION:
        return cls(situation=situation)
    return cls()


@pytest.mark.parametrize("name", sorted(_forms_of_the_module()))
def test_every_free_text_of_the_situations_has_a_maximum_length(sworld, name):
    form = _build(name, _forms_of_the_module()[name], sworld)

    unbounded = [
        field_name
        for field_name, field in form.fields.items()
        if type(field) in (forms.CharField, forms.URLField, forms.EmailField)
        and not isinstance(field.widget, forms.HiddenInput)
        and not any(v.__class__.__name__ == "MaxLengthValidator" for v in field.validators)
    ]

    assert unbounded == []


def test_a_goal_longer_than_its_column_is_refused_by_the_form(sworld):
    form = situation_forms.ReportForm(
        {"participants": [sworld.members["referent"].pk], "goals": "x" * 301},
        situation=fresh(sworld.situation),
    )

    assert not form.is_valid()
    assert "300 caractères" in str(form.errors["goals"])
