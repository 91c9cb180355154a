"""The answer page's two forms: a choice per slot with the time zone, and the calendar address.

The slot fields are not required here: the service refuses a half-filled answer with one
sentence naming the slots left out, which reads better than one "required" per slot.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.polls.models import BRUSSELS_ZONE, Choice

# Where the people of Belgian care networks are most often when they answer: Brussels first.
COMMON_ZONES = [
    BRUSSELS_ZONE,
    "Europe/Amsterdam",
    "Europe/Luxembourg",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Athens",
    "Europe/Istanbul",
    "Africa/Casablanca",
    "Africa/Kinshasa",
    "America/Montreal",
    "America/New_York",
    "UTC",
]


def field_name(slot) -> str:
    return f"slot_{slot.pk}"


class AnswerForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Heures affichées dans le fuseau horaire"),
        help_text=_("Les créneaux restent ceux qui ont été proposés ; seul leur affichage change."),
    )

    def __init__(self, *args, slots, current_zone: str = BRUSSELS_ZONE, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(COMMON_ZONES)
        if current_zone and current_zone not in zones:
            zones.append(current_zone)
        self.fields["time_zone"].choices = [(zone, zone.replace("_", " ")) for zone in zones]
        self.fields["time_zone"].initial = current_zone or BRUSSELS_ZONE
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[field_name(slot)] = forms.ChoiceField(
                label=str(slot),
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                disabled=disabled,
            )
        self.fields["time_zone"].disabled = disabled

    def slot_field(self, slot):
        return self[field_name(slot)]

    def choices(self) -> dict[int, str]:
        """{slot id: choice} of the slots answered (the service names those left out)."""
        return {
            slot.pk: self.cleaned_data[field_name(slot)]
            for slot in self.slots
            if self.cleaned_data.get(field_name(slot))
        }


class CalendarForm(forms.Form):
    address = forms.CharField(
        label=_("Adresse secrète de votre agenda (iCal)"),
        max_length=2000,
        help_text=_(
            "Outlook, Google Agenda et Apple Calendrier donnent une adresse privée au format iCal "
            "(https://… ou webcal://…). Seuls vos moments occupés des jours de ce sondage sont "
            "gardés, sans titre ni lieu, et oubliés à la clôture du sondage. L'adresse n'est pas "
            "enregistrée."
        ),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
