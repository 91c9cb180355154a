"""The kinds of thing the anonymiser finds, and what the interface calls each of them.

The recognisers report these kinds and the finder sorts, merges and replaces by them; both import
them from here. The labels are shown next to each finding, translated when they are displayed.
"""

from django.utils.translation import gettext_lazy

PERSON = "person"
NISS = "niss"
PHONE = "phone"
EMAIL = "email"
IBAN = "iban"
ADDRESS = "address"
DATE_OF_BIRTH = "date_of_birth"
DATE = "date"
PLACE = "place"
LISTED_NAME = "listed_name"  # one of the names the author asked to remove

LABELS = {
    PERSON: gettext_lazy("Nom de personne"),
    NISS: gettext_lazy("Numéro de registre national"),
    PHONE: gettext_lazy("Téléphone"),
    EMAIL: gettext_lazy("Adresse e-mail"),
    IBAN: gettext_lazy("Compte bancaire (IBAN)"),
    ADDRESS: gettext_lazy("Adresse"),
    DATE_OF_BIRTH: gettext_lazy("Date de naissance"),
    DATE: gettext_lazy("Date"),
    PLACE: gettext_lazy("Lieu"),
    LISTED_NAME: gettext_lazy("Nom à retirer"),
}
