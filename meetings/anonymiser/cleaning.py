"""The text as the anonymiser reads it: line ends as \\n, no control or invisible characters, and
neither empty nor longer than MAX_LENGTH."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 30_000

# Control characters (tab and line feed excepted) and the invisible format characters that can hide
# a name from the recognisers ("Verst\u200braeten") or reorder what a reader sees.
INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def clean_text(text: str) -> str:
    """The text as the anonymiser reads it: line ends as \\n, without control characters."""
    text = INVISIBLE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ValidationError(
            _("Le texte est vide : écrivez la situation avant de la vérifier."), code="empty"
        )
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _(
                "Le texte compte %(length)s caractères, %(maximum)s au plus : raccourcissez-le ou "
                "partagez la situation en deux parties."
            )
            % {"length": len(text), "maximum": MAX_LENGTH},
            code="too_long",
        )
    return text
