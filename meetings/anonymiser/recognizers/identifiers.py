"""Belgian identifiers and their checksums: national register numbers (NISS), phone numbers,
e-mail addresses, IBAN and the older Belgian bank account numbers."""

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from meetings.anonymiser.entities import EMAIL, IBAN, NISS, PHONE
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE

# Checksums.


def is_valid_niss(value: str) -> bool:
    """Belgian national register number: 97 minus (the first nine digits mod 97) gives the last
    two; for people born from 2000 on, the nine digits are prefixed with 2."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 11:
        return False
    check = int(digits[9:])
    return any(97 - int(prefix + digits[:9]) % 97 == check for prefix in ("", "2"))


def is_valid_iban(value: str) -> bool:
    compact = "".join(value.split()).upper()
    if not regex.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    if compact.startswith("BE") and len(compact) != 16:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def is_valid_belgian_account(value: str) -> bool:
    """The account number before IBAN, 310-1234567-89: the first ten digits mod 97 (97 for 0)."""
    digits = "".join(c for c in value if c.isdigit())
    return len(digits) == 12 and (int(digits[:10]) % 97 or 97) == int(digits[10:])


# Identifiers.

_NOT_AFTER_NUMBER = r"(?<![\p{L}\p{N}+])(?<!\d[. /-])"
_NOT_BEFORE_NUMBER = r"(?![. /-]?\d)"


class NationalNumberRecognizer(PatternRecognizer):
    """YYMMDD-XXX-CC, with or without dots, dashes and spaces: 87.03.14-123.44, 87031412344."""

    def __init__(self):
        group = r"[. -]?"
        digits = rf"\d{{2}}{group}\d{{2}}{group}\d{{2}}{group}\d{{3}}{group}\d{{2}}"
        number = rf"{_NOT_AFTER_NUMBER}{digits}{_NOT_BEFORE_NUMBER}"
        super().__init__(
            supported_entity=NISS,
            supported_language=LANGUAGE,
            patterns=[Pattern("niss", number, SCORE)],
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_niss(pattern_text)


class PhoneNumberRecognizer(PatternRecognizer):
    """Belgian numbers in national (0475 12 34 56, 02/512.34.56) and international form
    (+32 475 12 34 56, 0032 2 512 34 56, +32 (0)2 512 34 56), and foreign numbers written +NN."""

    def __init__(self):
        separator = r"[ ./-]?"
        before, after = _NOT_AFTER_NUMBER, _NOT_BEFORE_NUMBER
        national = rf"{before}\(?0\d\)?(?:{separator}\d){{7,8}}{after}"
        belgian = rf"{before}(?:\+|00)\s?32\s?(?:\(0\)\s?)?[1-9](?:{separator}\d){{7,8}}{after}"
        foreign = rf"{before}(?:\+|00)(?!32)[1-9]\d{{0,2}}(?:{separator}\(?\d\)?){{7,12}}{after}"
        super().__init__(
            supported_entity=PHONE,
            supported_language=LANGUAGE,
            patterns=[
                Pattern("belgian national", national, SCORE),
                Pattern("belgian international", belgian, SCORE),
                Pattern("foreign", foreign, SCORE * 0.9),
            ],
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = "".join(c for c in pattern_text if c.isdigit())
        if pattern_text.startswith("0") and not pattern_text.startswith("00"):
            subscriber = digits[1:]
        elif digits.startswith(("0032", "32")):
            subscriber = digits.removeprefix("00").removeprefix("32")
            if "(0)" in pattern_text:
                subscriber = subscriber[1:]
        else:
            return 8 <= len(digits) <= 15  # a foreign number: its plan is not checked
        # Fixed lines have 8 digits after the 0 (Liège's 04 too), mobiles 9 starting with 4.
        return len(subscriber) == 8 or (len(subscriber) == 9 and subscriber.startswith("4"))


class EmailAddressRecognizer(PatternRecognizer):
    """E-mail addresses, by their form only: no list of top-level domains is fetched."""

    def __init__(self):
        address = (
            r"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*"
            r"\.\p{L}{2,}(?![\p{L}\p{N}-])"
        )
        super().__init__(
            supported_entity=EMAIL,
            supported_language=LANGUAGE,
            patterns=[Pattern("e-mail", address, SCORE)],
            global_regex_flags=regex.MULTILINE,
        )


class BankAccountRecognizer(PatternRecognizer):
    """IBAN (BE68 5390 0754 7034, grouped or not, other countries too) and the older Belgian
    account number 539-0075470-34, both with their mod-97 checksum."""

    def __init__(self):
        belgian = r"(?<![\p{L}\p{N}])(?i:BE)\d{2}(?:[ ]?\d{4}){3}(?![ ]?\d)"
        other = (
            r"(?<![\p{L}\p{N}])(?!BE)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?"
            r"(?![\p{L}\p{N}])"
        )
        account = r"(?<![\d-])\d{3}-\d{7}-\d{2}(?![\d-])"
        super().__init__(
            supported_entity=IBAN,
            supported_language=LANGUAGE,
            patterns=[
                Pattern("belgian iban", belgian, SCORE),
                Pattern("iban", other, SCORE),
                Pattern("belgian account", account, SCORE),
            ],
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool:
        if "-" in pattern_text:
            return is_valid_belgian_account(pattern_text)
        return is_valid_iban(pattern_text)
