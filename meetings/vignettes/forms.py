"""The vignette form, and the author's decisions on the check page. Length and control
characters of the text are checked by the anonymiser's clean_text, whose messages say what to do;
replacements and reasons are cleaned (and cut to their length) by the service, and the page caps
them; the names to remove are bounded here."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings import bounds


class VignetteForm(forms.Form):
    title = forms.CharField(
        label=_("Titre"),
        max_length=120,
        help_text=_("Un titre qui n'identifie personne, par exemple « Un refus de soins »."),
    )
    text = forms.CharField(
        label=_("Vignette"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        strip=False,
        help_text=_(
            "Écrivez la situation comme elle vous vient : l'étape suivante repère les noms, dates, "
            "adresses, numéros et comptes, et vous propose de les remplacer."
        ),
    )
    names = forms.CharField(
        label=_("Noms à retirer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=bounds.NAMES_TO_REMOVE_MAX_LENGTH,
        help_text=_(
            "Les noms de la personne, de ses proches ou de lieux à ne jamais laisser, un par ligne. "
            "Ils sont toujours remplacés, puis oubliés au partage."
        ),
    )


REPLACE, CUSTOM, KEEP = "replace", "custom", "keep"


class DecisionForm(forms.Form):
    """One finding of the check page, where it is in the text, and what the author chose: the
    proposed replacement, their own, or keeping it with a reason."""

    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[(REPLACE, REPLACE), (CUSTOM, CUSTOM), (KEEP, KEEP)])
    custom = forms.CharField(required=False)
    reason = forms.CharField(required=False)

    def clean(self):
        cleaned = super().clean()
        if "start" in cleaned and "end" in cleaned and cleaned["start"] >= cleaned["end"]:
            # Never shown: the check page answers any malformed row with one message (STALE).
            raise ValidationError("empty span", code="span")
        return cleaned


# A malformed row (a forged or outdated form) makes the whole formset invalid: nothing is applied
# halfway.
DecisionFormSet = forms.formset_factory(DecisionForm, extra=0)
