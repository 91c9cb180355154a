"""Forms of the attendance pages: roll call corrections, certificate periods, exports."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.attendance.models import AttendanceStatus
from meetings.attendance.services import certificates as certificate_services
from meetings.forms import DATE
from meetings.models import StandingGroup


class CorrectionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Présence"), choices=AttendanceStatus.choices)
    late_minutes = forms.IntegerField(
        label=_("Minutes de retard"),
        min_value=1,
        max_value=1440,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Seulement si la personne est arrivée en retard."),
    )
    reason = forms.CharField(label=_("Motif de la correction"), max_length=500)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=DATE)
    end = forms.DateField(label=_("Au"), widget=DATE)
    group = forms.ModelChoiceField(
        label=_("Groupe"),
        queryset=StandingGroup.objects.none(),
        required=False,
        empty_label=_("Toutes mes réunions"),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end"):
            try:
                certificate_services.check_period(cleaned["start"], cleaned["end"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ExportPeriodForm(forms.Form):
    """A period for an export; both dates may be left out for the default one."""

    start = forms.DateField(label=_("Du"), widget=DATE, required=False)
    end = forms.DateField(label=_("Au"), widget=DATE, required=False)

    def period(self, default: tuple[date, date]) -> tuple[date, date]:
        return self.cleaned_data.get("start") or default[0], self.cleaned_data.get("end") or default[1]


class NetworkExportForm(ExportPeriodForm):
    """A network among those one coordinates, and a period."""

    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none(), empty_label=None)
    field_order = ["network", "start", "end"]

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
