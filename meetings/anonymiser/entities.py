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
WORKPLACE = "workplace"  # an employer, a school or a workplace that tells who the person is
LISTED_NAME = "listed_name"  # one of the names the author asked to remove
# Numbers given by registers and administrations (recognizers/registrations.py).
LICENCE_PLATE = "licence_plate"
INAMI = "inami"  # a care provider's INAMI/RIZIV number
IDENTITY_CARD = "identity_card"  # identity and residence cards
PASSPORT = "passport"
FILE_NUMBER = "file_number"  # a file or record number of a service, a hospital, the police
COMPANY_NUMBER = "company_number"  # BCE/KBO

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
    WORKPLACE: gettext_lazy("Employeur ou école"),
    LISTED_NAME: gettext_lazy("Nom à retirer"),
    LICENCE_PLATE: gettext_lazy("Plaque d'immatriculation"),
    INAMI: gettext_lazy("Numéro INAMI"),
    IDENTITY_CARD: gettext_lazy("Numéro de carte d'identité"),
    PASSPORT: gettext_lazy("Numéro de passeport"),
    FILE_NUMBER: gettext_lazy("Numéro de dossier"),
    COMPANY_NUMBER: gettext_lazy("Numéro d'entreprise (BCE)"),
}
