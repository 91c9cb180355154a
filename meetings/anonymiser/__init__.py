"""The anonymiser: what identifies a person in a case vignette, and what to write instead.

    from meetings import anonymiser

    text = anonymiser.clean_text(raw)                # TextRefused when empty or too long
    findings = anonymiser.find(text, names_to_remove=["Sylvie Verstraeten"], keep=["Le Goéland"], today=today)
    anonymised = anonymiser.replace(text, findings)  # or: anonymised, findings = anonymiser.anonymise(raw)
    anonymiser.language_of(text)                     # "fr", "nl", or None: neither was recognised

A plain Python package: no models, and no import from the rest of the project (a test checks it).
Of Django it uses only django.utils.translation, for the words it shows people (the labels of the
kinds, why a text is refused), so that the project's catalogues translate them.

- entities: the kinds of finding and their labels;
- cleaning: the text as the anonymiser reads it, and TextRefused;
- engine: Presidio with spaCy's French model, loaded once per process (warm_up);
- languages: the language of each paragraph (French, Dutch, or neither), whose rules apply there;
- findings: find, replace, anonymise, and the words that change with a finding;
- replacements: pseudonyms and generalisations, and the tables they need;
- generalisations: what an employer or a school becomes (its kind or its sector), and its table;
- recognizers: what the analyzer recognises;
- data/keep/: the words that must stay (care words, services, hospitals, medicines, diseases named
  after a person, Brussels districts), one UTF-8 text file per category, one term a line, its
  sources in the comments at its top. Read when the engine is built; find(keep=...) adds terms
  for one call (a network's own services).
"""

from meetings.anonymiser.cleaning import INVISIBLE, MAX_LENGTH, TextRefused, clean_text
from meetings.anonymiser.engine import warm_up
from meetings.anonymiser.entities import LABELS
from meetings.anonymiser.findings import Finding, anonymise, find, language_of, replace

__all__ = [
    "INVISIBLE",
    "LABELS",
    "MAX_LENGTH",
    "Finding",
    "TextRefused",
    "anonymise",
    "clean_text",
    "find",
    "language_of",
    "replace",
    "warm_up",
]
