"""Street addresses, in French and Dutch forms, and the postcode and commune they end with."""

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from meetings.anonymiser.entities import ADDRESS
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE

# Street addresses: a kind of street, its name, a number, maybe a box, a postcode and a commune.

_STREET_KINDS = (
    r"rue|avenue|av\.?|chaussée|chée|chaus\.|place|pl\.|boulevard|bd|bld|boul\.|quai|square|clos|allée"
    r"|impasse|drève|sentier|chemin|rond-point|galerie|cité|passage|parvis|esplanade|route|ruelle"
    r"|venelle|voie|promenade|résidence"
)
# Dutch street names are one word: Kerkstraat, Vlaamsesteenweg, Sint-Jansplein, Frankrijklei.
_DUTCH_STREET_ENDINGS = (
    r"straat|laan|steenweg|plein|lei|dreef|kaai|weg|baan|dijk|markt|vest|gracht|singel|kade|wegel|pad"
)
_DUTCH_STREET_PREFIXES = (
    r"Koning|Koningin|Prins|Prinses|Grote|Kleine|Lange|Korte|Oude|Nieuwe|Sint|Onze-Lieve-Vrouw|Graaf"
    r"|Generaal|Burgemeester|Dokter|Pater|Pastoor|Kardinaal|Heilig"
)
_CAPITALISED = r"\p{Lu}[\p{L}'’]*(?:-[\p{L}'’]+)*"
_STREET_LINK = (
    r"(?:(?:de la|de l['’]|de|du|des|la|le|les|l['’]|d['’]|aux|au|à|en|sur|sous|lez|van|der|den|ter|et)\s*)"
)
_NOT_A_TITLE = r"(?!(?:Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.|Mr)(?!\p{L}))"  # "rue Docteur X" is a street
_STREET_WORD = rf"{_NOT_A_TITLE}{_CAPITALISED}"
_STREET_NAME = rf"(?:{_STREET_LINK}?{_STREET_WORD})(?:\s+{_STREET_LINK}?(?:{_STREET_WORD}|[IVX]+))*"
# A number word may come first ("rue Haute n° 12", "Kerkstraat nr. 12"). Not an age: "Passage de
# Monsieur Mertens, 41 ans" is a visit.
_HOUSE_NUMBER = (
    r"(?:(?i:n[°º]|nr\.?|no\.)\s*)?"
    r"\d{1,4}(?:[A-Za-z](?!\p{L}))?(?:\s?(?:bis|ter)(?!\p{L}))?(?!\s*ans(?!\p{L}))"
)
_BOX = (
    r"(?:\s*,?\s*(?i:bte|boîte|boite|bus|bt|b)\.?\s*\d{1,4}[A-Za-z]?(?!\p{L})"
    r"|\s*/\s*\d{1,4}[A-Za-z]?(?!\p{L}))"
)
_COMMUNE = rf"(?:(?:La|Le|Les)\s+)?{_CAPITALISED}"
_POSTCODE_AND_COMMUNE = (
    rf"(?:\s*[,–-]?\s*(?:à\s+)?(?:B-)?(?P<postcode>[1-9]\d{{3}})\s+(?P<commune>{_COMMUNE}))"
)
FRENCH_ADDRESS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?i:{_STREET_KINDS})\s+{_STREET_NAME},?\s+{_HOUSE_NUMBER}{_BOX}?{_POSTCODE_AND_COMMUNE}?"
)
# The street's word is read once, whole (an atomic group), then its ending checked behind it: a
# pattern that backtracked into the word for its ending took seconds on a long hyphenated run.
DUTCH_ADDRESS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’-])(?:(?:{_DUTCH_STREET_PREFIXES})\s+)?\p{{Lu}}(?>[\p{{L}}'’-]*)"
    rf"(?<=[\p{{L}}'’-](?:{_DUTCH_STREET_ENDINGS}))"
    rf",?\s+{_HOUSE_NUMBER}{_BOX}?{_POSTCODE_AND_COMMUNE}?"
)
POSTCODE_AND_COMMUNE = regex.compile(rf"(?<!\d)(?P<postcode>[1-9]\d{{3}})\s+(?P<commune>{_COMMUNE})")


class StreetAddressRecognizer(PatternRecognizer):
    """ "avenue de Stalingrad 12, 1000 Bruxelles", "Kerkstraat 12 bus 3", "rue Haute 122/4"."""

    def __init__(self):
        super().__init__(
            supported_entity=ADDRESS,
            supported_language=LANGUAGE,
            patterns=[
                Pattern("french street", FRENCH_ADDRESS.pattern, SCORE),
                Pattern("dutch street", DUTCH_ADDRESS.pattern, SCORE),
            ],
            global_regex_flags=regex.MULTILINE,
        )


def address_parts(address: str) -> tuple[int | None, str | None]:
    """The postcode and commune of an address, when it has them."""
    matches = list(POSTCODE_AND_COMMUNE.finditer(address))
    if not matches:
        return None, None
    return int(matches[-1]["postcode"]), matches[-1]["commune"]
