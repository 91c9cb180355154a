"""The anonymiser: what identifies a person in a case vignette, and what to write instead.

    from meetings import anonymiser

    findings = anonymiser.find(text, names_to_remove=["Sylvie Verstraeten"])
    anonymised = anonymiser.replace(text, findings)    # or: anonymised, findings = anonymiser.anonymise(text)

A plain Python package: no models, and no import from the rest of the project.
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
