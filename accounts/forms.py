from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts import inami
from accounts.models import Network, Organisation, Profession, User


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)


# The directory's free texts, in characters: what a professional reads on a phone before calling
# a service. The other fields are bounded by their model.
DIRECTORY_TEXT_LIMITS = {"missions": 3_000, "access_conditions": 2_000, "contact_persons": 1_000}


class OrganisationForm(forms.ModelForm):
    verified = forms.BooleanField(
        label=_("J'ai vérifié ces informations aujourd'hui"), required=False, initial=True
    )
    website = forms.URLField(
        label=_("site web"),
        required=False,
        assume_scheme="https",
        max_length=Organisation._meta.get_field("website").max_length,
    )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in DIRECTORY_TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)


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


class InamiNumberForm(forms.Form):
    """The professional's INAMI/RIZIV number, typed as printed (dashes and spaces allowed);
    left empty, it is removed."""

    inami_number = forms.CharField(
        label=_("Numéro INAMI / RIZIV"),
        required=False,
        max_length=30,
        help_text=_(
            "Facultatif. 11 chiffres, par exemple 1-23456-78-901 : il figure sur vos attestations "
            "de présence et dans les listes transmises pour l'accréditation."
        ),
    )

    def clean_inami_number(self):
        number = inami.normalise(self.cleaned_data["inami_number"])
        if number:
            inami.validate(number)
        return number
