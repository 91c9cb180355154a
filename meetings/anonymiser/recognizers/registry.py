"""The recognisers the analyzer runs: ours only."""

from collections.abc import Container

from presidio_analyzer import RecognizerRegistry

from meetings.anonymiser.recognizers.addresses import StreetAddressRecognizer
from meetings.anonymiser.recognizers.constants import LANGUAGE
from meetings.anonymiser.recognizers.dates import DateRecognizer
from meetings.anonymiser.recognizers.file_numbers import FileNumberRecognizer
from meetings.anonymiser.recognizers.filtered_spacy import FilteredSpacyRecognizer
from meetings.anonymiser.recognizers.identifiers import (
    BankAccountRecognizer,
    EmailAddressRecognizer,
    NationalNumberRecognizer,
    PhoneNumberRecognizer,
)
from meetings.anonymiser.recognizers.kept import package_terms
from meetings.anonymiser.recognizers.names import PersonNameRecognizer
from meetings.anonymiser.recognizers.places import PlaceRecognizer
from meetings.anonymiser.recognizers.registrations import (
    CompanyNumberRecognizer,
    IdentityCardRecognizer,
    InamiNumberRecognizer,
    LicencePlateRecognizer,
    PassportNumberRecognizer,
)
from meetings.anonymiser.recognizers.workplaces import WorkplaceRecognizer


def build_registry(lexicon: Container[str]) -> RecognizerRegistry:
    """Our recognisers only: none of Presidio's predefined ones (some fetch lists at run time)."""
    package_terms()  # the words that must stay, read now rather than on the first vignette
    return RecognizerRegistry(
        recognizers=[
            FilteredSpacyRecognizer(lexicon),
            NationalNumberRecognizer(),
            PhoneNumberRecognizer(),
            EmailAddressRecognizer(),
            BankAccountRecognizer(),
            LicencePlateRecognizer(),
            InamiNumberRecognizer(),
            IdentityCardRecognizer(),
            PassportNumberRecognizer(),
            FileNumberRecognizer(),
            CompanyNumberRecognizer(),
            StreetAddressRecognizer(),
            DateRecognizer(),
            PersonNameRecognizer(lexicon),
            PlaceRecognizer(),
            WorkplaceRecognizer(),
        ],
        supported_languages=[LANGUAGE],
    )
