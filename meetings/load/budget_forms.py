"""The forms of one's own load settings (FTE, monthly budget, travel per place) and of an
organisation's budget per FTE. They refuse out-of-range values beside the field, with the
services' own messages (services/budgets.py), so that a form and any other caller agree."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.load.models import DEFAULT_TRAVEL_MINUTES, MAX_TRAVEL_MINUTES
from meetings.load.services import budgets


def decimal_input() -> forms.TextInput:
    """A text box for "0,5" as much as "0.5" (a number box refuses the comma in some browsers);
    a phone shows its decimal keypad."""
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6})


def travel_field_name(key: str) -> str:
    """A stable field name for a place key (the key itself holds spaces and any letter)."""
    return "travel_" + hashlib.blake2s(key.encode(), digest_size=6).hexdigest()


class LoadSettingsForm(forms.Form):
    """FTE and budget (for a professional), then one minutes field per place of PLACES, a list
    of (place key, place as written, minutes or None)."""

    fte = forms.DecimalField(
        label=_("Temps de travail (ETP)"),
        localize=True,
        widget=decimal_input(),
        help_text=_("1 pour un temps plein, 0,5 pour un mi-temps."),
    )
    monthly_budget = forms.DecimalField(
        label=_("Budget mensuel de réunions (heures)"),
        required=False,
        localize=True,
        widget=decimal_input(),
    )

    def __init__(self, *args, places, has_profile: bool, default_budget: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        if has_profile:
            self.fields["monthly_budget"].help_text = _(
                "Vide : le budget par défaut (%(default)s h pour votre temps de travail)."
            ) % {"default": default_budget}
        else:
            del self.fields["fte"], self.fields["monthly_budget"]
        for key, place, minutes in places:
            self.fields[travel_field_name(key)] = forms.IntegerField(
                label=place,
                required=False,
                initial=minutes,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_TRAVEL_MINUTES}),
                help_text=_("minutes, aller et retour ; vide : %(default)s")
                % {"default": DEFAULT_TRAVEL_MINUTES},
            )

    @property
    def travel_fields(self):
        return [self[travel_field_name(key)] for key, _place, _minutes in self.places]

    @property
    def profile_fields(self):
        return [self[name] for name in ("fte", "monthly_budget") if name in self.fields]

    def _check(self, name: str, check) -> object:
        value = self.cleaned_data.get(name)
        try:
            check(value)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return value

    def clean_fte(self):
        return self._check("fte", budgets.check_fte)

    def clean_monthly_budget(self):
        return self._check("monthly_budget", budgets.check_budget)

    def clean(self):
        cleaned = super().clean()
        for key, _place, _minutes in self.places:
            name = travel_field_name(key)
            if name in cleaned:
                try:
                    budgets.check_travel(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error.messages)
        return cleaned

    @property
    def travel(self) -> dict[str, int | None]:
        return {place: self.cleaned_data.get(travel_field_name(key)) for key, place, _minutes in self.places}


class OrganisationBudgetForm(forms.Form):
    hours_per_fte = forms.DecimalField(
        label=_("Heures de réunion par mois pour un temps plein"),
        required=False,
        localize=True,
        widget=decimal_input(),
        help_text=_("Vide : 8 heures. Le budget d'un membre est ce chiffre × son temps de travail."),
    )

    def clean_hours_per_fte(self):
        value = self.cleaned_data.get("hours_per_fte")
        try:
            budgets.check_budget(value)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return value
