"""Forms of the attendance pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.attendance.models import AttendanceStatus


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
