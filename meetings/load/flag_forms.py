"""The form that sets a health flag aside: which flag, about what, and why (required)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.load.health import CODES


class DismissFlagForm(forms.Form):
    flag = forms.ChoiceField(choices=[(code, code) for code in CODES], widget=forms.HiddenInput)
    subject_key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Pourquoi l'écarter ?"),
        max_length=300,
        error_messages={"required": _("Dites pourquoi vous écartez ce signal.")},
    )
