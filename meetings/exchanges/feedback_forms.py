"""The feedback form after a visit: what I discovered, what I change, and whether the network's
report may quote it. The service checks again (feedback_write)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from meetings.exchanges.models import Feedback

TEXT_MAX_LENGTH = 4_000


def _label(name: str) -> str:
    return capfirst(Feedback._meta.get_field(name).verbose_name)


class FeedbackForm(forms.Form):
    discovered = forms.CharField(
        label=_label("discovered"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Dites en quelques mots ce que vous avez découvert.")},
    )
    will_change = forms.CharField(
        label=_label("will_change"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_excerpt = forms.BooleanField(
        label=_label("share_excerpt"),
        required=False,
        help_text=_("Sans votre accord, vos lignes ne sont lues que comme un nombre de retours."),
    )
