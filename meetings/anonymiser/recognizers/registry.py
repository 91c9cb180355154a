"""The recognisers the analyzer runs: ours only."""

from collections.abc import Container

from presidio_analyzer import RecognizerRegistry

from meetings.anonymiser.recognizers.addresses import StreetAddressRecognizer
from meetings.anonymiser.recognizers.constants import LANGUAGE
from meetings.anonymiser.recognizers.dates import DateRecognizer
from meetings.anonymiser.recognizers.filtered_spacy import FilteredSpacyRecognizer
from meetings.anonymiser.recognizers.identifiers import (
    BankAccountRecognizer,
    EmailAddressRecognizer,
    NationalNumberRecognizer,
    PhoneNumberRecognizer,
)
from meetings.anonymiser.recognizers.names import PersonNameRecognizer
from meetings.anonymiser.recognizers.places import PlaceRecognizer


def build_registry(lexicon: Container[str]) -> RecognizerRegistry:
    """Our recognisers only: none of Presidio's predefined ones (some fetch lists at run time)."""
    return RecognizerRegistry(
        recognizers=[
            FilteredSpacyRecognizer(lexicon),
            NationalNumberRecognizer(),
            PhoneNumberRecognizer(),
            EmailAddressRecognizer(),
            BankAccountRecognizer(),
            StreetAddressRecognizer(),
            DateRecognizer(),
            PersonNameRecognizer(lexicon),
            PlaceRecognizer(),
        ],
        supported_languages=[LANGUAGE],
    )
