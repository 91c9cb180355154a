"""The anonymiser: what identifies a person in a case vignette, and what to write instead.

    from meetings import anonymiser

    text = anonymiser.clean_text(raw)                # TextRefused when empty or too long
    findings = anonymiser.find(text, names_to_remove=["Sylvie Verstraeten"], today=today)
    anonymised = anonymiser.replace(text, findings)  # or: anonymised, findings = anonymiser.anonymise(raw)

A plain Python package: no models, and no import from the rest of the project (a test checks it).
Of Django it uses only django.utils.translation, for the words it shows people (the labels of the
kinds, why a text is refused), so that the project's catalogues translate them.

- entities: the kinds of finding and their labels;
- cleaning: the text as the anonymiser reads it, and TextRefused;
- engine: Presidio with spaCy's French model, loaded once per process (warm_up);
- findings: find, replace, anonymise, and the words that change with a finding;
- replacements: pseudonyms and generalisations, and the tables they need;
- recognizers: what the analyzer recognises.
"""

from meetings.anonymiser.cleaning import INVISIBLE, MAX_LENGTH, TextRefused, clean_text
from meetings.anonymiser.engine import warm_up
from meetings.anonymiser.entities import LABELS
from meetings.anonymiser.findings import Finding, anonymise, find, replace

__all__ = [
    "INVISIBLE",
    "LABELS",
    "MAX_LENGTH",
    "Finding",
    "TextRefused",
    "anonymise",
    "clean_text",
    "find",
    "replace",
    "warm_up",
]
