"""The INAMI/RIZIV number of a care professional: how it is typed, checked and printed.

Eleven digits: six for the person, two check digits, three for the qualification (e.g. 1-23456-78-
901 for a doctor). Only the format is checked: INAMI changed how the check digits are computed
(modulo 97, then modulo 89 for new numbers, for doctors since 2019), and refusing a genuine
number on a certificate would cost the person their accreditation points.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LENGTH = 11
# What people type between the digits: the printed form's dashes, spaces, dots, slashes.
SEPARATORS = re.compile(r"[\s./-]")


def normalise(raw: str) -> str:
    """ "1-23456-78-901" or "1 23456 78 901" → "12345678901"; other characters are kept, for the
    validator to refuse."""
    return SEPARATORS.sub("", raw or "")


def _digits_only(value: str) -> bool:
    """Only 0 to 9: str.isdigit() also takes "²" or Arabic-Indic digits."""
    return value.isascii() and value.isdigit()


def validate(value: str) -> None:
    if _digits_only(value) and len(value) == LENGTH:
        return
    if not _digits_only(value):
        raise ValidationError(
            _("Le numéro INAMI ne contient que des chiffres (11), par exemple 1-23456-78-901."),
            code="inami_not_digits",
        )
    raise ValidationError(
        _("Le numéro INAMI compte 11 chiffres, par exemple 1-23456-78-901 : vous en avez saisi %(count)d.")
        % {"count": len(value)},
        code="inami_length",
    )


def display(number: str) -> str:
    """ "12345678901" → "1-23456-78-901", as INAMI prints it; anything else as it is."""
    if len(number) != LENGTH or not _digits_only(number):
        return number
    return f"{number[0]}-{number[1:6]}-{number[6:8]}-{number[8:]}"
