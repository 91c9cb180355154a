"""Numbers given by registers and administrations: licence plates, INAMI/RIZIV numbers of care
providers, identity and residence card numbers, passport numbers, file and record numbers, company
numbers (BCE/KBO).

A few have a form that tells them wherever they are written (a current plate 1-HKP-371, a grouped
INAMI number 1-23456-78-901, a dotted company number 0412.345.679 with its checksum, a grouped
identity card number 592-1234567-32 with its checksum and no bank word before it). The others
look like too many other things (an old plate ABC-123 like a code, eleven digits like any number,
a passport number like a reference): they are reported only after a word that announces them, a
cue, a few words before in the same sentence ("passeport marocain n° AB1234567"). File numbers
are in file_numbers.

When the cue right before a number names it ("nummerplaat 1-HKP-371", "n° INAMI 1-23456-78-901"),
the finder replaces both with the placeholder (naming_cue_length): "[nummerplaat verwijderd]"
reads, "nummerplaat [nummerplaat verwijderd]" does not. The recognisers report the number only.
"""

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from meetings.anonymiser.entities import (
    COMPANY_NUMBER,
    FILE_NUMBER,
    IDENTITY_CARD,
    INAMI,
    LICENCE_PLATE,
    PASSPORT,
)
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE
from meetings.anonymiser.recognizers.identifiers import is_valid_belgian_account

# Checksums.


def is_valid_company_number(value: str) -> bool:
    """BCE/KBO enterprise number, 0412.345.679 or BE0412345679: ten digits starting with 0 or 1, the
    last two being 97 minus the first eight mod 97."""
    digits = "".join(c for c in value if c.isdigit())
    return len(digits) == 10 and digits[0] in "01" and 97 - int(digits[:8]) % 97 == int(digits[8:])


def is_valid_identity_card(value: str) -> bool:
    """Belgian eID card number, 592-1234567-89: the first ten digits mod 97 (97 for 0) give the last
    two, the rule of the old bank account numbers (which is why a cue tells them apart)."""
    return is_valid_belgian_account(value)


# Cues: the words that announce a number, within a few words before it in the same sentence.

WORD_START = r"(?<![\p{L}\p{N}])"
CUE_END = r"(?:(?<=[.°º])|(?![\p{L}]))"  # "n°AB123" and "nr.12" are cued, "CIRÉ" is not "CI"
# A sentence ends between the cue and the number: the cue was about something else. Not after an
# abbreviation: "la carte d'identité du Dr. Mukendi".
_SENTENCE_END = regex.compile(
    r"(?<!(?<!\p{L})(?i:dr|mme|mr|m|pr|me|st|ste|réf|ref|nr|no|art|av|bd|tél|tel))[.!?;](?=\s+[\p{Lu}\p{N}])|\n"
)
NUMBER_WORDS = r"n[°º]|nr\.?|no\.|num[ée]ro|nummer"
# Between a cue and its number: "dossier n° 2023/4517", "réf. : SSM-2024-118", "INAMI-nr.: …".
SEPARATOR = rf"\s*(?::\s*)?(?:(?:{NUMBER_WORDS})\s*:?\s*)?"

# The cues of each kind; "n° INAMI", "code INAMI", "INAMI-nummer", "n° de passeport" contain them.
# "CI" (carte d'identité) in capitals only: "celle-ci".
CUE_WORDS = {
    LICENCE_PLATE: (
        r"plaques?|immatriculations?|immatricul[ée]e?s?|voitures?|v[ée]hicules?|nummerplaat|nummerplaten"
        r"|kentekens?|kentekenplaat|autos?|auto's|wagens?|plaat"
    ),
    INAMI: r"INAMI|RIZIV",
    # The plain "carte"/"kaart" too ("il m'a montré sa carte : 592-…"): a bank card is written
    # "carte bancaire", whose bank word is the nearer cue.
    IDENTITY_CARD: (
        r"cartes? d['’]identit[ée]|(?-i:CI)|e-?ID|identiteitskaart(?:nummer)?|ID-kaart|kaartnummer"
        r"|cartes? de s[ée]jour|titres? de s[ée]jour|verblijfskaart|verblijfstitel|vreemdelingenkaart"
        r"|cartes?|kaart(?:en)?"
    ),
    PASSPORT: r"passeports?|paspoort(?:en|nummer)?|passports?",
    COMPANY_NUMBER: (
        r"BCE|KBO|TVA|BTW|n[°º]\s*d['’]entreprise|num[ée]ro\s+d['’]entreprise|ondernemingsnummer"
    ),
    # Right before the number, or a few words before (FILE_NUMBER_FILLER): the longer first.
    FILE_NUMBER: (
        r"(?:n[°º]|num[ée]ro)\s+de\s+(?:dossier|patiente?|r[ôo]le|notice)|dossiernummer|dossiernr\.?"
        r"|patiëntnummer|patientnummer|cliëntnummer|clientnummer|rolnummer|notitienummer"
        r"|intern\s+nummer|(?:ons|uw)\s+kenmerk|kenmerk|(?:votre|notre)\s+r[ée]f[ée]rence|[nv]/r[ée]f\.?"
        r"|dossier|r[ée]f[ée]rence|referentie|r[ée]f\.?|r[ôo]le|RX|PV|notice|num[ée]ro|nummer|n[°º]|no\.|nr\.?"
    ),
}
# The old bank accounts have the form and the checksum of identity cards: a bank word before the
# number makes it one, unless an identity cue is nearer. They went out of use with IBAN (2008)
# and identity cards did not: without any cue, the grouped form is a card.
BANK_CUE_WORDS = (
    r"comptes?|(?:bank)?rekening(?:nummer)?|IBAN|virements?|versements?|overschrijvingen|overschrijving"
    r"|bancaires?|banques?|bank"
)

# Between a file number's cue and the number, up to two short words that say whose file it is:
# "réf. interne", "numéro de rôle de la JP", "Référence dossier CPAS :", "Dossiernummer CAW:",
# "nummer van het parket". Each is a service's acronym in capitals or one of a few words, after an
# article or not; an article alone is not one ("un dossier de 150 pages" is no file number). A
# court's prefix (RG, PV…) is not one either: it is part of the number.
COURT_PREFIX = r"(?-i:RG|RN|AR|RK|PV|A\.R\.|R\.G\.|Not\.)"
_FILLER_WORD = (
    rf"(?-i:(?!{COURT_PREFIX}(?!\p{{L}}))\p{{Lu}}{{2,6}})(?![\p{{L}}\p{{N}}])"
    r"|(?:interne?|tribunal|parket|dossier|r[ôo]le)(?!\p{L})"
)
_FILLER_ARTICLE = r"(?:de\s+la|de\s+l['’]|du|des|de|van\s+het|van\s+de|van|bij\s+het|het)\s+"
FILE_NUMBER_FILLER = rf"(?:\s+(?:{_FILLER_ARTICLE})?(?:{_FILLER_WORD})){{0,2}}"


def _cue(words: str) -> regex.Pattern:
    return regex.compile(rf"(?i){WORD_START}(?:{words}){CUE_END}")


CUES = {kind: _cue(words) for kind, words in CUE_WORDS.items()}
BANK_CUES = _cue(BANK_CUE_WORDS)
CUE_REACH = 40  # characters: "sa voiture, une Golf grise immatriculée 1-ABC-123"
IDENTITY_CARD_CUE_REACH = 50  # "carte d'identité belge, valable jusqu'en 2031 : 592-…"
BANK_CUE_REACH = 60  # "les montants sont versés sur le compte 001-…"
PASSPORT_CUE_REACH = 70  # "les passeports sont périmés ; celui de Monsieur porte le n° N0…"


def cue_before(text: str, start: int, cue: regex.Pattern, reach: int = CUE_REACH) -> regex.Match | None:
    """The last cue within reach before start, in the same sentence."""
    last = None
    for match in cue.finditer(text, max(0, start - reach), start):
        last = match
    # To start + 1: the sentence that ends may be the number's ("… sa voiture. ABC-123 est …").
    if last is None or _SENTENCE_END.search(text, last.end(), start + 1):
        return None
    return last


# The cues that name what the placeholder names, replaced with the number; a bare "n°" too, as
# the placeholders say which number it was. Not "voiture", "PV" or "RX": they say more than the
# number ("sa voiture [plaque retirée]", "PV [numéro de dossier retiré]").
NAMING_CUE_WORDS = {
    LICENCE_PLATE: (
        r"(?:(?:n[°º]|num[ée]ro)\s+d['’])?immatriculation|plaques?(?:\s+d['’]immatriculation)?"
        r"|immatricul[ée]e?s?|nummerplaat|kenteken(?:plaat)?|plaat"
    ),
    INAMI: r"(?:(?:n[°º]|num[ée]ro|code)\s+)?(?:INAMI|RIZIV)(?:[- ]?(?:nummer|nr\.?))?",
    IDENTITY_CARD: (
        r"(?:(?:n[°º]|num[ée]ro)\s+de\s+)?carte\s+d['’]identit[ée](?:\s+[ée]lectronique)?|carte\s+e-?ID"
        r"|e-?ID|(?-i:CI)|identiteitskaart(?:nummer)?|ID-kaart(?:nummer)?|kaartnummer"
    ),
    PASSPORT: r"(?:(?:n[°º]|num[ée]ro)\s+de\s+)?passeport|paspoort(?:nummer)?|passport(?:\s+number)?",
    FILE_NUMBER: (
        r"(?:n[°º]|num[ée]ro)\s+de\s+(?:dossier|patiente?|r[ôo]le|notice)|dossier(?:nummer|nr\.?)?"
        r"|patiëntnummer|patientnummer|cliëntnummer|clientnummer|rolnummer|notitienummer"
        r"|intern\s+nummer"
    ),
    COMPANY_NUMBER: (
        r"(?:(?:n[°º]|num[ée]ro)\s+)?(?:d['’]entreprise|BCE|TVA)|BCE|KBO(?:-nummer)?|TVA"
        r"|BTW(?:-nummer|-nr\.?)?|ondernemingsnummer"
    ),
}


def _at_end(words: str) -> regex.Pattern:
    # Not after an elision: "l'immatriculation [plaque retirée]", not "l'[plaque retirée]".
    return regex.compile(
        rf"(?i){WORD_START}(?<![dl]['’])(?:(?:{words}){CUE_END}{SEPARATOR}|(?:{NUMBER_WORDS})\s*:?\s*)\Z"
    )


_NAMING_CUE_AT_END = {kind: _at_end(words) for kind, words in NAMING_CUE_WORDS.items()}
_CUE_AT_END = {kind: _at_end(words) for kind, words in CUE_WORDS.items()}
# A file number's cue with the words after it ("Dossiernummer CAW: "): kept off the name rules
# whole, "CAW" in capitals is not a name there.
_CUE_AT_END[FILE_NUMBER] = regex.compile(
    rf"(?i){WORD_START}(?<![dl]['’])(?:(?:{CUE_WORDS[FILE_NUMBER]}){CUE_END}{FILE_NUMBER_FILLER}{SEPARATOR}"
    rf"|(?:{NUMBER_WORDS})\s*:?\s*)\Z"
)


def naming_cue_length(kind: str, before: str) -> int:
    """How many characters at the end of before name the number of this kind that follows, to be
    replaced with it: "nummerplaat " → 12, "n° " → 3, "sa voiture " → 0."""
    return _length_at_end(_NAMING_CUE_AT_END.get(kind), before)


def cue_length(kind: str, before: str) -> int:
    """How many characters at the end of before are a cue of this kind, naming it or not: "RX " → 3,
    "PV n° " → 6. The finder keeps the name rules off them ("RX" in capitals is not a name)."""
    return _length_at_end(_CUE_AT_END.get(kind), before)


def _length_at_end(pattern: regex.Pattern | None, before: str) -> int:
    match = pattern.search(before[-60:]) if pattern else None
    return len(match.group()) if match else 0


# Recognisers.

_NOT_AFTER_NUMBER = r"(?<![\p{L}\p{N}+])(?<!\d[. /-])"
_NOT_BEFORE_NUMBER = r"(?![\p{L}\p{N}]|[. /-]?\d)"


class _CuedPatternRecognizer(PatternRecognizer):
    """Patterns that count wherever they are (anywhere) and patterns that count only after a cue
    (cued), both checked by validate_result."""

    def __init__(self, entity: str, anywhere: list[str], cued: list[str], cue: regex.Pattern, reach: int):
        patterns = [Pattern(f"anywhere {i}", p, SCORE) for i, p in enumerate(anywhere)]
        patterns += [Pattern(f"cued {i}", p, SCORE) for i, p in enumerate(cued)]
        super().__init__(
            supported_entity=entity,
            supported_language=LANGUAGE,
            patterns=patterns,
            global_regex_flags=regex.MULTILINE,  # not IGNORECASE: plates and passports are in capitals
        )
        self.compiled = [
            (p.name.startswith("cued"), regex.compile(p.regex, regex.MULTILINE)) for p in patterns
        ]
        self.cue = cue
        self.reach = reach

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # Presidio's own loop cannot look at the words before a match: this one does.
        results = []
        for needs_cue, pattern in self.compiled:
            for match in pattern.finditer(text):
                if needs_cue and not self.announced(text, match.start(), match.group()):
                    continue
                if not needs_cue and not self.allowed(text, match.start()):
                    continue
                if self.validate_result(match.group()) is False:
                    continue
                results.append(self._result(match.start(), match.end()))
        return results

    def announced(self, text: str, start: int, value: str) -> bool:
        return cue_before(text, start, self.cue, self.reach) is not None

    def allowed(self, text: str, start: int) -> bool:
        """Whether a pattern that needs no cue counts here: everywhere, unless a kind says."""
        return True

    def _result(self, start: int, end: int) -> RecognizerResult:
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return RecognizerResult(self.supported_entities[0], start, end, SCORE, recognition_metadata=metadata)


class LicencePlateRecognizer(_CuedPatternRecognizer):
    """Belgian plates: the current 1-HKP-371 (dashes, dots, spaces or none) anywhere; the older
    ABC-123 and 123-ABC, which look like codes, after a cue (plaque, voiture, nummerplaat, auto…).
    Capitals only: in lower case they are words."""

    def __init__(self):
        before = r"(?<![\p{L}\p{N}-])"
        # Not a count: "2 SSM 150 patients" is not a plate, "1 ABC 123 €" neither.
        after = r"(?![\p{L}\p{N}]|[-.,/]\d)(?!\s*(?:%|€|euros?|ans|jaar|km|kg|mg)(?!\p{L}))"
        current = rf"{before}[1-9](?P<s>[-. ]?)[A-Z]{{3}}(?P=s)\d{{3}}{after}"
        # "sa voiture, une BMW 320": a make and a model are not a plate.
        old = rf"{before}(?!BMW)(?:[A-Z]{{3}}(?P<s>[-. ]?)\d{{3}}|\d{{3}}(?P<t>[-. ]?)[A-Z]{{3}}){after}"
        super().__init__(LICENCE_PLATE, [current], [old], CUES[LICENCE_PLATE], CUE_REACH)


class InamiNumberRecognizer(_CuedPatternRecognizer):
    """A care provider's INAMI/RIZIV number, eleven digits: grouped 1-23456-78-901 (or with dots or
    spaces) anywhere, ungrouped 12345678901 after INAMI or RIZIV.

    The check digits (the 7th and 8th) are not verified: the rule is INAMI's own and we have no
    published source of it at hand to test against; a wrong rule would drop real numbers. Eleven
    digits that are a valid national number are found as one (the finder's order)."""

    def __init__(self):
        digits = r"[1-9](?P<s>[-. ])\d{5}(?P=s)\d{2}(?P=s)\d{3}"
        grouped = rf"{_NOT_AFTER_NUMBER}{digits}{_NOT_BEFORE_NUMBER}"
        ungrouped = rf"{_NOT_AFTER_NUMBER}\d{{11}}{_NOT_BEFORE_NUMBER}"
        super().__init__(INAMI, [grouped], [ungrouped], CUES[INAMI], CUE_REACH)


class IdentityCardRecognizer(_CuedPatternRecognizer):
    """Belgian eID card numbers with their mod-97 checksum: grouped 592-1234567-89 (dashes, dots or
    spaces) unless a bank word before it is nearer than any identity cue (then it is an old bank
    account number, the bank account recogniser's); ungrouped 592123456789, and the electronic
    residence cards of foreigners B 1234567 89, only after an identity or residence card cue that
    is nearer than any bank word."""

    def __init__(self):
        grouped = rf"{_NOT_AFTER_NUMBER}\d{{3}}(?P<s>[-. ])\d{{7}}(?P=s)\d{{2}}{_NOT_BEFORE_NUMBER}"
        ungrouped = rf"{_NOT_AFTER_NUMBER}\d{{12}}{_NOT_BEFORE_NUMBER}"
        residence_card = rf"(?<![\p{{L}}\p{{N}}])B ?\d{{7}} ?\d{{2}}{_NOT_BEFORE_NUMBER}"
        super().__init__(
            IDENTITY_CARD,
            [grouped],
            [ungrouped, residence_card],
            CUES[IDENTITY_CARD],
            IDENTITY_CARD_CUE_REACH,
        )

    def announced(self, text: str, start: int, value: str) -> bool:
        card = cue_before(text, start, self.cue, self.reach)
        return card is not None and not self._bank_nearer(text, start, card)

    def allowed(self, text: str, start: int) -> bool:
        return not self._bank_nearer(text, start, cue_before(text, start, self.cue, self.reach))

    @staticmethod
    def _bank_nearer(text: str, start: int, card: regex.Match | None) -> bool:
        """A bank word within BANK_CUE_REACH before start, in the same paragraph, nearer than the
        identity cue if there is one: "Ancien compte clôturé : 000-…" is an account."""
        window_start = max(0, start - BANK_CUE_REACH, text.rfind("\n", 0, start) + 1)
        banks = list(BANK_CUES.finditer(text, window_start, start))
        return bool(banks) and (card is None or banks[-1].start() > card.start())

    def validate_result(self, pattern_text: str) -> bool:
        if pattern_text.startswith("B"):
            return True  # the residence cards' check digits: no published rule at hand either
        return is_valid_identity_card(pattern_text)


# Right after a passport cue, a few words at most: "paspoort, nummer 054829173", "passeport syrien
# n° 054829173", "paspoort heeft nummer 054829173". Not a word about a phone, nor a sentence end.
_PHONE_WORDS = (
    r"t[ée]l|t[ée]l[ée]phone|telefoon(?:nummer)?|gsm|portable|mobile|joignable|appel(?:er|ez|le)?"
    r"|bellen|belt|bereikbaar|fax"
)
_PASSPORT_CUE_RIGHT_BEFORE = regex.compile(
    rf"(?i){WORD_START}(?:{CUE_WORDS[PASSPORT]}|paspoortnummer|passport\s+number)(?!\p{{L}})"
    rf"(?:,?\s+(?!(?:{_PHONE_WORDS})(?!\p{{L}}))\p{{L}}+(?![.\p{{L}}])){{0,3}}"
    rf"\s*[:,]?\s*(?:(?:{NUMBER_WORDS}|number)\s*:?\s*)?\Z"
)


class PassportNumberRecognizer(_CuedPatternRecognizer):
    """Passport numbers after a cue (passeport, paspoort): a token of 6 to 10 capitals and digits
    with at least two digits, EH123456, EP0012345, AB1234567, N013478526, a few words at most
    after the cue, with no other number between; all digits (054829173) only right after the cue,
    as a phone number could be written so. Never without a cue: the form is any reference's."""

    def __init__(self):
        number = (
            r"(?<![\p{L}\p{N}]|\p{N}[./-])[A-Z0-9]{6,10}(?![\p{L}\p{N}]|[./,-]\p{N})"
            r"(?!\s*(?:%|€|EUR(?!\p{L})|euros?(?!\p{L})))"  # "passeport et 150000 € de dettes"
        )
        super().__init__(PASSPORT, [], [number], CUES[PASSPORT], PASSPORT_CUE_REACH)

    def announced(self, text: str, start: int, value: str) -> bool:
        if value.isdigit():
            return bool(_PASSPORT_CUE_RIGHT_BEFORE.search(text, max(0, start - 80), start))
        cue = cue_before(text, start, self.cue, self.reach)
        return cue is not None and not any(c.isdigit() for c in text[cue.end() : start])

    def validate_result(self, pattern_text: str) -> bool:
        return sum(c.isdigit() for c in pattern_text) >= 2


class CompanyNumberRecognizer(_CuedPatternRecognizer):
    """BCE/KBO enterprise numbers with their checksum: 0412.345.679 and BE 0412.345.679 anywhere;
    0412 345 679 and 0412345679 after a cue (BCE, KBO, TVA, BTW, numéro d'entreprise…), as a phone
    number could be written so. A phone written 0412.345.679 whose digits pass the checksum (one in
    97) is taken for a company number: it is removed all the same."""

    def __init__(self):
        digits = r"[01]\d{3}(?P<s>[. ]?)\d{3}(?P=s)\d{3}"
        dotted = rf"{_NOT_AFTER_NUMBER}[01]\d{{3}}\.\d{{3}}\.\d{{3}}{_NOT_BEFORE_NUMBER}"
        prefixed = rf"(?<![\p{{L}}\p{{N}}])BE ?{digits}{_NOT_BEFORE_NUMBER}"
        cued = rf"{_NOT_AFTER_NUMBER}{digits}{_NOT_BEFORE_NUMBER}"
        super().__init__(COMPANY_NUMBER, [dotted, prefixed], [cued], CUES[COMPANY_NUMBER], CUE_REACH)

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_company_number(pattern_text)
