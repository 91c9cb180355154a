"""Forms of the attendance pages: roll call corrections, certificate periods, exports."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.attendance.models import AttendanceStatus
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services.roll_call import Mark
from meetings.forms import DayField
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
    start = DayField(label=_("Du"))
    end = DayField(label=_("Au"))
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

    start = DayField(label=_("Du"), required=False)
    end = DayField(label=_("Au"), required=False)

    def period(self, default: tuple[date, date]) -> tuple[date, date]:
        return self.cleaned_data.get("start") or default[0], self.cleaned_data.get("end") or default[1]


class NetworkExportForm(ExportPeriodForm):
    """A network among those one coordinates, and a period."""

    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none(), empty_label=None)
    field_order = ["network", "start", "end"]

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks


class MarkForm(forms.Form):
    """One person's line of the roll call. Its fields are named status-<key> and late-<key>
    (the row's key, "u<user id>" or "g<invitation id>"), as the page has always posted them."""

    status = forms.ChoiceField(choices=AttendanceStatus.choices, required=False)
    late = forms.IntegerField(required=False)  # whether it is needed and in range: the service says

    def add_prefix(self, field_name: str) -> str:
        return f"{field_name}-{self.prefix}"


class BaseRollCallFormSet(forms.BaseFormSet):
    """The roll call: one MarkForm per person expected (ROWS, from services.roll_call). Their
    number is the server's, not the page's, so no management form travels with the page."""

    def __init__(self, data=None, *, rows, **kwargs):
        self.rows = rows
        initial = [{"status": row.status, "late": row.late_minutes} for row in rows]
        super().__init__(data, prefix="roll-call", initial=initial, **kwargs)

    @cached_property
    def management_form(self):
        count = len(self.rows)
        form = ManagementForm(
            {f"{self.prefix}-{TOTAL_FORM_COUNT}": count, f"{self.prefix}-{INITIAL_FORM_COUNT}": count},
            prefix=self.prefix,
        )
        form.full_clean()
        return form

    def get_form_kwargs(self, index):
        return {"prefix": self.rows[index].key, "auto_id": "%s"}

    @property
    def lines(self):
        return list(zip(self.rows, self.forms, strict=True))

    def error_text(self) -> str:
        """What is wrong, line by line, each message after the name of the person it is about."""
        return " ".join(
            f"{row.name} : {message}"
            for row, form in self.lines
            for errors in form.errors.values()
            for message in errors
        )

    def marks(self) -> dict[str, Mark]:
        """The marks set (people left blank are skipped); only once the formset is valid."""
        return {
            row.key: Mark(form.cleaned_data["status"], form.cleaned_data["late"])
            for row, form in self.lines
            if form.cleaned_data["status"]
        }


RollCallFormSet = forms.formset_factory(MarkForm, formset=BaseRollCallFormSet, extra=0)
