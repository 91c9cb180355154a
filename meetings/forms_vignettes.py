"""The vignette form. Length and control characters are checked by the anonymiser's clean_text,
whose messages say what to do."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
        help_text=_(
            "Les noms de la personne, de ses proches ou de lieux à ne jamais laisser, un par ligne. "
            "Ils sont toujours remplacés, puis oubliés au partage."
        ),
    )
