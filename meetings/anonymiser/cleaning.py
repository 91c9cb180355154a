"""The text as the anonymiser reads it: line ends as \\n, no control or invisible characters, and
neither empty nor longer than MAX_LENGTH. A text that is not is refused with TextRefused, whose
message tells the author what to do; the caller turns it into its own kind of error."""

import re

from django.utils.translation import gettext as _

MAX_LENGTH = 30_000
# A run of characters without a space longer than any word or web address: spaCy's tokenizer
# takes seconds on one ("d'd'd'…"), and nothing in a vignette needs it.
MAX_WORD = 300
LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")

# Control characters (tab and line feed excepted) and the invisible format characters that can hide
# a name from the recognisers ("Verst\u200braeten") or reorder what a reader sees.
INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


class TextRefused(ValueError):
    """A text the anonymiser does not read: its message says why in the active language, its code
    ("empty", "too_long") tells the cases apart."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def clean_text(text: str) -> str:
    """The text as the anonymiser reads it: line ends as \\n, without control characters."""
    text = INVISIBLE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise TextRefused(_("Le texte est vide : écrivez la situation avant de la vérifier."), code="empty")
    if len(text) > MAX_LENGTH:
        raise TextRefused(
            _(
                "Le texte compte %(length)s caractères, %(maximum)s au plus : raccourcissez-le ou "
                "partagez la situation en deux parties."
            )
            % {"length": len(text), "maximum": MAX_LENGTH},
            code="too_long",
        )
    long_word = LONG_WORD.search(text)
    if long_word:
        raise TextRefused(
            _(
                "Le texte contient une suite de %(length)s caractères sans espace (« %(start)s… ») : "
                "coupez-la ou retirez-la."
            )
            % {"length": len(long_word.group()), "start": long_word.group()[:20]},
            code="long_word",
        )
    return text
