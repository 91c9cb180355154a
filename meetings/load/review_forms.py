"""The yearly review's answer: validation only (the service checks again what it decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.load.models import ReviewAnswer


class ReviewAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Que faire de cette série ?"),
        choices=[
            (ReviewAnswer.KEEP, _("La garder telle quelle")),
            (ReviewAnswer.SHORTEN, _("La raccourcir (moins longue ou moins souvent)")),
            (ReviewAnswer.MERGE, _("La fusionner avec une autre série")),
            (ReviewAnswer.STOP, _("L'arrêter")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez garder, raccourcir, fusionner ou arrêter.")},
    )
    merge_with = forms.IntegerField(
        label=_("Fusionner avec"),
        required=False,
        widget=forms.Select,
        help_text=_("Pour une fusion : une autre série du même réseau, encore active."),
    )
    reason = forms.CharField(
        label=_("Pourquoi"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire, sauf pour garder la série telle quelle."),
    )

    def __init__(self, *args, mergeable, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is read, so that a series of another network gets its own message from the
        # service; the list offers only those that may be chosen.
        self.fields["merge_with"].widget.choices = [("", "—")] + [(s.pk, s.title) for s in mergeable]

    def clean(self):
        data = super().clean()
        answer = data.get("answer")
        if answer and answer != ReviewAnswer.KEEP and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Dites en quelques mots pourquoi."))
        if answer == ReviewAnswer.MERGE and not data.get("merge_with"):
            self.add_error("merge_with", _("Choisissez la série avec laquelle fusionner."))
        return data
