"""Forms of the calendar pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscriptionForm(forms.Form):
    """A calendar subscription for one device: which feed, and a name to recognise it by."""

    PERSONAL = "personal"
    NETWORK_PREFIX = "network-"

    feed = forms.ChoiceField(label=_("Agenda"))
    label = forms.CharField(
        label=_("Nom de l'appareil"),
        max_length=80,
        required=False,
        help_text=_(
            "Pour le reconnaître dans la liste, par exemple « Téléphone » ou « Ordinateur du cabinet »."
        ),
    )

    def __init__(self, *args, groups=(), networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        self.networks = {f"{self.NETWORK_PREFIX}{network.pk}": network for network in networks}
        self.fields["feed"].choices = [
            (self.PERSONAL, _("Mes réunions (invitations et séances de mes groupes)")),
            *((pk, _("Le groupe « %(name)s »") % {"name": group.name}) for pk, group in self.groups.items()),
            *(
                (key, _("Les réunions ouvertes du réseau « %(name)s »") % {"name": network.name})
                for key, network in self.networks.items()
            ),
        ]
        self.fields["feed"].initial = self.PERSONAL

    def clean(self):
        cleaned = super().clean()
        feed = cleaned.get("feed") or ""
        cleaned["group"] = self.groups.get(feed)
        cleaned["network"] = self.networks.get(feed)
        return cleaned


class PublicFeedForm(forms.Form):
    """A coordinator's choice about their network's public feed. Publishing needs the box that
    says what the feed publishes to be ticked."""

    PUBLISH = "publish"
    CHANGE = "change"
    WITHDRAW = "withdraw"

    action = forms.ChoiceField(
        choices=[
            (PUBLISH, _("Publier l'agenda public")),
            (CHANGE, _("Changer l'adresse")),
            (WITHDRAW, _("Ne plus publier")),
        ]
    )
    confirm = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.PUBLISH and not cleaned.get("confirm"):
            raise forms.ValidationError(
                _("Cochez la case qui dit ce que l'agenda public publie pour le publier."), code="confirm"
            )
        return cleaned
