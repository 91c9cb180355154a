"""Forms of the calendar pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscriptionForm(forms.Form):
    """A calendar subscription for one device: which feed, and a name to recognise it by."""

    PERSONAL = "personal"

    feed = forms.ChoiceField(label=_("Agenda"))
    label = forms.CharField(
        label=_("Nom de l'appareil"),
        max_length=80,
        required=False,
        help_text=_(
            "Pour le reconnaître dans la liste, par exemple « Téléphone » ou « Ordinateur du cabinet »."
        ),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        self.fields["feed"].choices = [
            (self.PERSONAL, _("Mes réunions (invitations et séances de mes groupes)")),
            *((pk, _("Le groupe « %(name)s »") % {"name": group.name}) for pk, group in self.groups.items()),
        ]
        self.fields["feed"].initial = self.PERSONAL

    def clean(self):
        cleaned = super().clean()
        feed = cleaned.get("feed")
        cleaned["group"] = self.groups.get(feed) if feed and feed != self.PERSONAL else None
        return cleaned
