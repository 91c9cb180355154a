"""The recognisers of the anonymiser: what identifies a person in a vignette from Brussels or Wallonia.

Belgian identifiers are recognised by their form and, when they have one, their checksum (national
register numbers, IBAN): a number that fails it is a typo or something else, and is not reported.
Names are recognised by spaCy's French model and by patterns, because the small model misses many
of the names heard in Brussels (Verstraeten, El Amrani, Öztürk, Kabasele, Popescu): a civility
title followed by a name, a known first name followed by a surname, a name in capitals, a field
of a form ("Nom : …"), and the capitalised words that are not French next to a name already found.

Everything here reads the text as it is: offsets are those of the text given. The kinds reported
are those of meetings.anonymiser.entities.

- constants: the language and the score every recogniser reports;
- identifiers: checksums, national register numbers, phone numbers, e-mail addresses, bank accounts;
- registrations: numbers given by registers and administrations (licence plates, INAMI, identity
  cards, passports, file numbers, company numbers), and the cue words that announce them;
- file_numbers: file and record numbers, after their cue or by their form;
- addresses: street addresses, their postcode and commune;
- dates: dates and dates of birth, and reading the date a finding holds;
- words: word lists (function words, roles, countries) and the French lexicon;
- kept: the words that must stay (data/keep/*.txt, the terms of one call, streets named alone);
- tokens: the words of a text, and the questions the name rules ask about them;
- names: the name rules (after a title, a first name, a relation, a role, in a form field);
- places: Belgian communes and their sections;
- workplaces: employers and schools after "travaille chez", "élève à", "werkt bij", "zit op", and
  schools named by their kind;
- filtered_spacy: spaCy's persons and places, without what the small model takes for one;
- registry: the recognisers the analyzer runs;
- name_mentions: after the recognisers, what a name found tells about the words around it.
"""

from meetings.anonymiser.recognizers.addresses import address_parts
from meetings.anonymiser.recognizers.constants import LANGUAGE
from meetings.anonymiser.recognizers.dates import parse_date
from meetings.anonymiser.recognizers.identifiers import is_valid_belgian_account, is_valid_iban, is_valid_niss
from meetings.anonymiser.recognizers.kept import keeping, package_terms
from meetings.anonymiser.recognizers.name_mentions import (
    coordinated_names,
    extend_names,
    name_words_of,
    other_mentions,
)
from meetings.anonymiser.recognizers.registrations import (
    cue_length,
    is_valid_company_number,
    is_valid_identity_card,
    naming_cue_length,
)
from meetings.anonymiser.recognizers.registry import build_registry
from meetings.anonymiser.recognizers.tokens import NameWords, forget_texts, tokens_of
from meetings.anonymiser.recognizers.words import RELATION_WORDS, FrenchLexicon


def protected_spans(text: str, lexicon) -> list[tuple[int, int]]:
    """Where nothing is a person or a place in text (kept.protected_spans), within find()."""
    return NameWords.of(text, lexicon).protected


__all__ = [
    "LANGUAGE",
    "RELATION_WORDS",
    "FrenchLexicon",
    "address_parts",
    "build_registry",
    "coordinated_names",
    "cue_length",
    "extend_names",
    "forget_texts",
    "is_valid_belgian_account",
    "is_valid_company_number",
    "is_valid_iban",
    "is_valid_identity_card",
    "is_valid_niss",
    "keeping",
    "name_words_of",
    "naming_cue_length",
    "other_mentions",
    "package_terms",
    "parse_date",
    "protected_spans",
    "tokens_of",
]
