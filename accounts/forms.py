from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, Organisation, Profession, User


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)


class OrganisationForm(forms.ModelForm):
    verified = forms.BooleanField(
        label=_("J'ai vérifié ces informations aujourd'hui"), required=False, initial=True
    )
    website = forms.URLField(label=_("site web"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "sector",
            "address",
            "postcode",
            "commune",
            "phone",
            "email",
            "website",
            "missions",
            "access_conditions",
            "public_served",
            "languages",
            "waiting_time",
            "contact_persons",
        ]
        widgets = {
            "missions": forms.Textarea(attrs={"rows": 3}),
            "access_conditions": forms.Textarea(attrs={"rows": 3}),
            "contact_persons": forms.Textarea(attrs={"rows": 3}),
        }


class InviteProfessionalForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    network = forms.ModelChoiceField(label=_("Réseau"), queryset=Network.objects.none())
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all())
    language = forms.ChoiceField(label=_("Langue des e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["organisation"].queryset = Organisation.objects.filter(networks__in=networks).distinct()

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Cette personne a déjà un compte."))
        return email
