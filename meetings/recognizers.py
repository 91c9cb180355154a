"""The recognisers of the anonymiser: what identifies a person in a vignette from Brussels or Wallonia.

Belgian identifiers are recognised by their form and, when they have one, their checksum (national
register numbers, IBAN): a number that fails it is a typo or something else, and is not reported.
Names are recognised by spaCy's French model and by patterns, because the small model misses many
of the names heard in Brussels (Verstraeten, El Amrani, Öztürk, Kabasele, Popescu): a civility
title followed by a name, a known first name followed by a surname, a name in capitals, a field
of a form ("Nom : …"), and the capitalised words that are not French next to a name already found.

Everything here reads the text as it is: offsets are those of the text given.
"""

import bisect
import functools
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

import regex
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from meetings.anonymise import ADDRESS, DATE, DATE_OF_BIRTH, EMAIL, IBAN, NISS, PERSON, PHONE, PLACE
from meetings.replacements import (
    CITY_OF_BRUSSELS,
    CIVILITIES,
    PARTICLES,
    PLACE_NAMES,
    PROFESSIONAL_TITLES,
    area_of_place,
    fold,
    is_first_name,
)

LANGUAGE = "fr"
SCORE = 0.9

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
# Not an age: "Passage de Monsieur Mertens, 41 ans" is a visit.
_HOUSE_NUMBER = r"\d{1,4}(?:[A-Za-z](?!\p{L}))?(?:\s?(?:bis|ter)(?!\p{L}))?(?!\s*ans(?!\p{L}))"
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
DUTCH_ADDRESS = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:(?:{_DUTCH_STREET_PREFIXES})\s+)?\p{{Lu}}[\p{{L}}'’-]*(?:{_DUTCH_STREET_ENDINGS})"
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


# Dates.

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fév": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12,
    "decembre": 12, "déc": 12, "dec": 12, "januari": 1, "februari": 2, "maart": 3, "april": 4,
    "mei": 5, "juni": 6, "juli": 7, "augustus": 8, "september": 9, "oktober": 10, "november": 11,
    "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)
NUMERIC_DATE = regex.compile(
    r"(?<![\d/.-])(?P<day>0?[1-9]|[12]\d|3[01])(?P<separator>[/.-])(?P<month>0?[1-9]|1[0-2])"
    r"(?P=separator)(?P<year>\d{4}|\d{2})(?![\d/-]|[.,]\d)"
)
ISO_DATE = regex.compile(
    r"(?<![\d/.-])(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])"
)
WRITTEN_DATE = regex.compile(
    rf"(?i)(?<![\p{{L}}\p{{N}}])(?P<day>1er|0?[1-9]|[12]\d|3[01])\s+"
    rf"(?P<month>{_MONTH_NAMES})\.?\s+(?P<year>(?:1[89]|20)\d{{2}})(?!\d)"
)
WEEKDAY_BEFORE = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{_WEEKDAYS})\s+$")
# "né en 1987": the year alone is a date of birth.
BIRTH_YEAR = regex.compile(r"(?i)(?<![\p{L}])(?:née?s?|nee|geboren)\s+en\s+(?P<year>(?:19|20)\d{2})(?!\d)")
# Words that make a date a date of birth: "née le", "date de naissance", "DDN", "° 3.3.1987".
BIRTH_CUE = regex.compile(
    r"(?i)(?<![\p{L}])(?:née?s?|nee|naissance|d\.?d\.?n|geboren|geb|anniversaire|\d{1,3}\s+ans\s+(?:depuis\s+)?le)"
    r"(?![\p{L}])|(?<![nN])°"
)
SENTENCE_END = regex.compile(r"[.!?;\n](?=\s)|\n")
BIRTH_CUE_REACH = 45  # characters: "née à Liège le 3 mars 1987" but not a cue two lines up


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date written in text (a finding), or None when it is not a valid calendar date."""
    for pattern in (NUMERIC_DATE, ISO_DATE, WRITTEN_DATE, BIRTH_YEAR):
        match = pattern.search(text)
        if match:
            return _date_of(match, today)
    return None


def _date_of(match: regex.Match, today: date | None = None) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        # A year written in two digits is in the past: "03-03-87" is 1987, "05/10/01" 2001.
        this_year = (today or date.today()).year
        year += 2000 if 2000 + year <= this_year else 1900
    if groups.get("month") is None:
        return date(year, 7, 1)  # only the year is known: mid-year is the fairest guess for an age
    month = groups["month"]
    month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    day = groups["day"].lower()
    day = 1 if day == "1er" else int(day)
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateRecognizer(EntityRecognizer):
    """Full dates (day, month and year) in French and Dutch forms; a date near a birth cue is a
    date of birth."""

    def __init__(self):
        super().__init__(supported_entities=[DATE_OF_BIRTH, DATE], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        matches = []
        for pattern in (NUMERIC_DATE, ISO_DATE, WRITTEN_DATE):
            matches += [m for m in pattern.finditer(text) if _date_of(m) is not None]
        matches.sort(key=lambda m: m.start())
        results, previous_end = [], 0
        for match in matches:
            start = match.start()
            weekday = WEEKDAY_BEFORE.search(text[max(0, start - 12) : start])
            if weekday:  # "lundi 5 février 2024"
                start -= len(weekday.group())
            kind = DATE_OF_BIRTH if self._after_birth_cue(text, start, previous_end) else DATE
            results.append(self._result(kind, start, match.end()))
            previous_end = match.end()
        for match in BIRTH_YEAR.finditer(text):
            results.append(self._result(DATE_OF_BIRTH, match.start("year"), match.end("year")))
        return [r for r in results if r.entity_type in entities]

    @staticmethod
    def _after_birth_cue(text: str, start: int, previous_end: int) -> bool:
        reach = max(previous_end, start - BIRTH_CUE_REACH)
        window = text[reach:start]
        ends = list(SENTENCE_END.finditer(window))
        if ends:
            window = window[ends[-1].end() :]
        return BIRTH_CUE.search(window) is not None

    def _result(self, kind: str, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(kind, start, end, SCORE, recognition_metadata=self._metadata())

    def _metadata(self) -> dict:
        return {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }


# Words.


def _words(text: str) -> set[str]:
    return set(text.split())


# Short words that are not in the lemma tables of the model (they are their own lemma) and that
# start sentences: "Depuis", "Lors", "Chez". A capitalised word among them is never a name.
FUNCTION_WORDS = _words(
    """
    à au aux avec chez dans de des du en entre par pour sans sous sur vers après avant depuis dès
    durant pendant selon contre malgré parmi lors hors jusque jusqu envers via le la les l un une et
    ou mais donc or ni car puis ensuite enfin alors ainsi aussi pourtant cependant néanmoins
    toutefois comme si quand lorsque lorsqu puisque parce que qu qui quoi dont où ce cet cette ces
    son sa ses leur leurs mon ma mes ton ta tes notre nos votre vos il elle ils elles on nous vous
    je tu lui eux moi toi se me te y ne pas plus jamais rien personne chaque plusieurs certains
    certaines tout tous toute toutes aucun aucune autre autres même quelque quelques oui non bref
    ici là hier demain aujourd'hui maintenant déjà encore toujours souvent parfois très trop peu
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre objet motif remarque note notes présents présentes
    questions question situation contact contacts adresse téléphone gsm tél fiche dossier courriel
    de het een en van met voor ik hij zij wij
    """
)
# Nouns that follow "Madame" or "Monsieur" without being a name: "Madame la Juge".
ROLE_WORDS = _words(
    """
    juge directeur directrice président présidente ministre maire bourgmestre échevin échevine
    conseiller conseillère procureur procureure substitut commissaire inspecteur inspectrice
    professeur docteur docteure le la les
    """
)
# Institutions and medicines that a vignette names on purpose and that look like names or places.
PROTECTED_TERMS = _words(
    """
    CPAS OCMW SSM CSM CGG CAW MASS CHU CHR CHS CHIREC HUDERF Huderf ONE SAJ SPJ PMS AMO AMU RIS DIS
    GRAPA IPPJ MENA TMS STIB SNCB INAMI SPF ASBL AVIQ IHP SISD ISPPC SMES Smes SPAD HIS ULB
    UCLouvain Forem Actiris Fedasil Samusocial Infor-Drogues Transit Modus Vivendi Lama Rizome Dune
    Alfa Sésame Babel Doucheflux Brugmann Érasme Erasme Bordet Titeca Sanatia Fond'Roy Epsylon
    Bracops Molière Saint-Luc Saint-Pierre Saint-Jean Delta Jolimont Ambroise Housing First
    Croix-Rouge Caritas Suboxone Subutex Méphénon Temesta Xanax Rivotril Seroquel Zyprexa Haldol
    Risperdal Abilify Lyrica Redomex Trazolan Dafalgan Valium Antabuse Naltrexone Nalscue Tramadol
    Alzheimer Parkinson Korsakoff Asperger Crohn Huntington Tourette Diogène Down Wernicke NN RN
    NISS INSZ DDN GSM IBAN BIC
    """
)
PROTECTED = regex.compile(
    r"(?:(?<=(?<!\p{L})[dDlL]['’])|(?<![\p{L}\p{N}'’-]))(?:"
    + "|".join(regex.escape(t) for t in sorted(PROTECTED_TERMS, key=len, reverse=True))
    + r")(?![\p{L}\p{N}-])"
)
COUNTRIES_AND_REGIONS = {
    fold(name)
    for name in _words(
        """
        Belgique België Wallonie Flandre Vlaanderen Europe France Maroc Algérie Tunisie Turquie
        Congo RDC Roumanie Pologne Bulgarie Espagne Portugal Italie Allemagne Pays-Bas Luxembourg
        Albanie Kosovo Syrie Irak Iran Afghanistan Pakistan Érythrée Somalie Guinée Sénégal Cameroun
        Mali Rwanda Burundi Libye Russie Ukraine Géorgie Brésil Grèce Angleterre Royaume-Uni Suisse
        Égypte Liban Palestine Hainaut Brabant Limbourg Luxembourg Anvers Méditerranée
        """
    )
} | CITY_OF_BRUSSELS


class FrenchLexicon:
    """The words of French, to tell a surname ("Verstraeten") from a capitalised word ("Depuis").

    Made of the lemmas and inflected forms of the model's lemmatiser tables, and of the short
    function words above."""

    def __init__(self, lemmas: Container[str], forms: Container[str]):
        self.lemmas = lemmas
        self.forms = forms

    def __contains__(self, word: str) -> bool:
        word = word.lower().replace("’", "'")
        if word in FUNCTION_WORDS or word in self.lemmas or word in self.forms:
            return True
        parts = [part for part in word.split("-") if part]
        return len(parts) > 1 and all(part in self for part in parts)


# Tokens, for the name rules.

# Words: letters, with inner hyphens and apostrophes; not the letters of "BE29" or "2e".
WORD = regex.compile(r"(?<!\p{N})\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*(?!\p{N})")
# Elided words before a word: "d'Ahmed", "L'éducatrice"; not the N' of "N'Diaye".
ELISION = regex.compile(
    r"(?:[dljmnstc]|qu|lorsqu|puisqu|jusqu|quoiqu|presqu)['’](?=\p{L})|(?:[DLJMNSTC]|Qu)['’](?=\p{Ll})"
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool  # capitalised because it starts a sentence, a line or a list item

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def all_capitals(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()


@functools.lru_cache(maxsize=8)
def tokens_of(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in WORD.finditer(text):
        start, word = match.start(), match.group()
        elided = ELISION.match(word)
        if elided:  # "d'Ahmed": the name is Ahmed
            start, word = start + elided.end(), word[elided.end() :]
        before = text[max(0, start - 12) : start].rstrip(' \t\u00a0«"“(')
        tokens.append(Token(word, start, start + len(word), not before or before[-1] in ".!?:;\n•–-—*/"))
    return tuple(tokens)


def _gap(text: str, left: Token, right: Token) -> str:
    return text[left.end : right.start]


def _adjacent(text: str, left: Token, right: Token) -> bool:
    gap = _gap(text, left, right)
    return 0 < len(gap) <= 3 and gap.strip(" \u00a0") == ""


def is_title(token: Token) -> bool:
    key = fold(token.text)
    if key in ("m", "mr", "mme", "mlle", "dr", "pr", "mevr", "dhr"):
        # Abbreviations only as written ("M. Peeters", "Dr Mukendi"), never the pronoun "me".
        return token.capitalised
    if key == "me":
        return token.text == "Me"
    return key in CIVILITIES or key in PROFESSIONAL_TITLES


def _after_title(text: str, title: Token, nxt: Token) -> bool:
    gap = _gap(text, title, nxt)
    return 0 < len(gap) <= 3 and gap.lstrip(".").strip(" \u00a0") == ""


class NameWords:
    """Questions about the words of one text, for the name rules."""

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def of(text: str, lexicon: Container[str]) -> "NameWords":
        return NameWords(text, lexicon)

    def __init__(self, text: str, lexicon: Container[str]):
        self.text = text
        self.lexicon = lexicon
        self.tokens = tokens_of(text)
        self.starts = [t.start for t in self.tokens]
        self.protected = [m.span() for m in PROTECTED.finditer(text)]

    def within(self, start: int, end: int) -> range:
        """The indices of the tokens inside start..end."""
        first = bisect.bisect_left(self.starts, start)
        last = first
        while last < len(self.tokens) and self.tokens[last].end <= end:
            last += 1
        return range(first, last)

    def is_protected(self, token: Token) -> bool:
        return any(s <= token.start < e for s, e in self.protected)

    def is_particle(self, token: Token) -> bool:
        return fold(token.text) in PARTICLES and fold(token.text) not in ("le", "la")

    def is_french(self, token: Token) -> bool:
        return token.text in self.lexicon

    def could_be_name(self, token: Token) -> bool:
        """Capitalised, and not a function word, a title, a role, an institution or a place."""
        folded = fold(token.text)
        return (
            len(token.text) > 1
            and (token.capitalised or token.all_capitals)
            and folded not in FUNCTION_WORDS
            and folded not in ROLE_WORDS
            and not is_title(token)
            and not self.is_protected(token)
            and area_of_place(token.text) is None
            and folded not in COUNTRIES_AND_REGIONS
        )

    def is_unknown_name(self, token: Token) -> bool:
        """A capitalised word that French does not know: most likely a name."""
        return self.could_be_name(token) and not self.is_french(token)

    def is_first_name(self, token: Token) -> bool:
        return token.capitalised and is_first_name(token.text) and not self.is_protected(token)

    def is_first_name_in_lower_case(self, token: Token) -> bool:
        """A first name typed in lower case, when it is not also a French word ("pierre", "rose")."""
        return (
            token.text.islower()
            and len(token.text) >= 4
            and is_first_name(token.text)
            and not self.is_french(token)
        )


# Names.

# Form fields whose value is a name: "Nom : EL KHATTABI", "Patiente : HENDRICKX Marie-Louise".
NAME_FIELD = regex.compile(
    r"(?i)(?<![\p{L}])(?:nom(?: et prénom| de famille)?|prénom|patiente?|demandeu(?:r|se)|bénéficiaire"
    r"|identité(?: déclarée)?|usag(?:er|ère)|résidente?|enfant(?: concernée?)?|conjointe?|naam|voornaam"
    r"|personne concernée)\s*:\s*"
)
# Nouns after which a name reads best as a letter alone: "son fils C.", "l'inspecteur D.".
RELATION_WORDS = _words(
    """
    fils fille frère sœur soeur demi-frère demi-sœur mère père maman papa fils fille enfant bébé
    compagnon compagne conjoint conjointe mari époux épouse femme ami amie copain copine cousin
    cousine oncle tante neveu nièce grand-mère grand-père petit-fils petite-fille beau-père
    belle-mère beau-fils belle-fille voisin voisine collègue patient patiente famille inspecteur
    inspectrice agent juge stagiaire
    """
)
# Roles named next to a name: "notre infirmière, Bérénice", "Gwenaëlle, infirmière", "Nadia (coordinatrice)".
ROLE_WORDS_NEAR_NAMES = _words(
    """
    infirmière infirmier éducatrice éducateur psychologue psychiatre pédopsychiatre médecin docteur
    généraliste sociale social kiné kinésithérapeute ergothérapeute logopède coordinatrice
    coordinateur référente référent tutrice tuteur avocate avocat déléguée délégué animatrice
    animateur directrice directeur pharmacienne pharmacien secrétaire accueillante accueillant
    thérapeute interprète médiatrice médiateur juriste aide-soignante aide-soignant stagiaire
    bénévole collègue
    """
)
# Before a place rather than a person: "restée à Lubumbashi", "arrivée de Kinshasa".
LOCATIVE_WORDS = {
    "à",
    "au",
    "aux",
    "en",
    "de",
    "d",
    "du",
    "des",
    "vers",
    "depuis",
    "près",
    "dans",
    "via",
    "jusqu",
}


ROLE_OR_AGE_AFTER_NAME = regex.compile(
    r"\s*[,(]\s*(?:(?P<age>\d{1,3}\s*ans)\b|(?:(?:l['’]|la |le |notre |son |sa |leur )?(?P<role>[\p{L}-]+)))"
)


class PersonNameRecognizer(EntityRecognizer):
    """Names found by patterns: after a civility title, a known first name with what follows, the
    value of a name field. The small French model misses many of them."""

    MAX_NAME_WORDS = 4

    def __init__(self, lexicon: Container[str]):
        self.lexicon = lexicon
        super().__init__(supported_entities=[PERSON], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if PERSON not in entities:
            return []
        words = NameWords.of(text, self.lexicon)
        spans = (
            self._after_titles(words)
            + self._first_names(words)
            + self._after_relation_words(words)
            + self._before_roles_and_ages(words)
            + self._name_fields(words)
        )
        return [
            RecognizerResult(
                PERSON,
                start,
                end,
                SCORE,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end in spans
        ]

    def _name_after(self, words: NameWords, index: int, *, allow_lowercase: bool = False) -> int:
        """How many tokens from index make a name (particles included); 0 if none."""
        tokens, text = words.tokens, words.text
        taken = names = 0
        while index + taken < len(tokens) and names < self.MAX_NAME_WORDS:
            token = tokens[index + taken]
            if taken and not _adjacent(text, tokens[index + taken - 1], token):
                break
            following = tokens[index + taken + 1] if index + taken + 1 < len(tokens) else None
            if (
                words.is_particle(token)
                and following is not None
                and _adjacent(text, token, following)
                and following.capitalised
                and not is_title(following)
                and not words.is_protected(following)
            ):
                # After a particle, a capitalised word is a surname even if it is French: "De Vos".
                taken, names = taken + 2, names + 1
                continue
            if words.could_be_name(token):
                taken, names = taken + 1, names + 1
                continue
            # "madame öztürk": after a title, a word that is not French is a name even in lower case.
            if allow_lowercase and not names and len(token.text) > 2 and not words.is_french(token):
                taken, names = taken + 1, names + 1
                continue
            break
        while taken and names and words.is_particle(tokens[index + taken - 1]):
            taken -= 1
        return taken if names else 0

    def _after_titles(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens[:-1]):
            if not is_title(token) or not _after_title(words.text, token, tokens[i + 1]):
                continue
            count = self._name_after(words, i + 1, allow_lowercase=True)
            if count:
                spans.append((token.start, tokens[i + count].end))
        return spans

    def _first_names(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens):
            if words.is_first_name_in_lower_case(token):
                spans.append((token.start, token.end))  # "youssef", typed quickly
                continue
            if not words.is_first_name(token):
                continue
            end = token.end
            if i + 1 < len(tokens) and _adjacent(words.text, token, tokens[i + 1]):
                count = self._name_after(words, i + 1)
                if count:
                    end = tokens[i + count].end
            spans.append((token.start, end))
        return spans

    def _after_relation_words(self, words: NameWords) -> list[tuple[int, int]]:
        """ "son frère Rachid", "l'inspecteur Devos", "notre infirmière, Bérénice": the name only."""
        spans = []
        tokens = words.tokens
        for i, token in enumerate(tokens[:-1]):
            word = token.text.lower()
            following = tokens[i + 1]
            gap = _gap(words.text, token, following)
            if word in RELATION_WORDS and gap.strip(" \u00a0") == "" and len(gap) <= 3:
                plausible = words.is_unknown_name(following) or words.is_first_name(following)
            elif (word in RELATION_WORDS or word in ROLE_WORDS_NEAR_NAMES) and gap.strip(" \u00a0") == ",":
                # After "son frère," a capitalised word is a name even when French knows it ("Alpha").
                plausible = words.could_be_name(following) and not following.sentence_start
            else:
                continue
            if plausible:
                count = self._name_after(words, i + 1)
                if count:
                    spans.append((following.start, tokens[i + count].end))
        return spans

    def _before_roles_and_ages(self, words: NameWords) -> list[tuple[int, int]]:
        """ "Gwenaëlle, infirmière", "Nadia (coordinatrice)", "Tiffany, 19 ans": a name."""
        spans = []
        for token in words.tokens:
            if not words.could_be_name(token):
                continue
            if token.sentence_start and not (words.is_unknown_name(token) or words.is_first_name(token)):
                continue  # "Hier, 3 ans après": a French word starting a sentence is that word
            after = words.text[token.end : token.end + 40]
            role = ROLE_OR_AGE_AFTER_NAME.match(after)
            if role and (role["age"] or role["role"].lower() in ROLE_WORDS_NEAR_NAMES):
                spans.append((token.start, token.end))
        return spans

    def _name_fields(self, words: NameWords) -> list[tuple[int, int]]:
        spans = []
        starts = {token.start: i for i, token in enumerate(words.tokens)}
        for field_match in NAME_FIELD.finditer(words.text):
            i = starts.get(field_match.end())
            if i is None:
                continue
            while i < len(words.tokens) - 1 and is_title(words.tokens[i]):
                i += 1
            count = self._name_after(words, i)
            if count:
                span_tokens = words.tokens[i : i + count]
                if any(
                    words.is_unknown_name(t) or words.is_first_name(t) or t.all_capitals for t in span_tokens
                ):
                    spans.append((span_tokens[0].start, span_tokens[-1].end))
        return spans


class PlaceRecognizer(EntityRecognizer):
    """Belgian communes, their sections and districts, and "1030 Schaerbeek"."""

    def __init__(self):
        names = "|".join(regex.escape(name) for name in sorted(PLACE_NAMES, key=len, reverse=True))
        self.pattern = regex.compile(
            # The lookahead lets the engine skip to capitals and digits: seven times faster. An
            # elided article may precede: "le CPAS d'Anderlecht".
            rf"(?=[\p{{Lu}}1-9])(?:(?<=(?<!\p{{L}})[dDlL]['’])|(?<![\p{{L}}\p{{N}}'’-]))"
            rf"(?:(?P<postcode>(?<!\d)[1-9]\d{{3}})\s+)?(?P<name>{names}|Bruxelles|Brussel)"
            rf"(?:-(?:Sud|Nord|Ouest|Est|Ville|Centre))?(?![\p{{L}}\p{{N}}-])"
        )
        super().__init__(supported_entities=[PLACE], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for match in self.pattern.finditer(text):
            if fold(match["name"]) in CITY_OF_BRUSSELS and not match["postcode"]:
                continue  # "Bruxelles" alone is the city or the region: too wide to tell who
            results.append(
                RecognizerResult(
                    PLACE,
                    match.start(),
                    match.end(),
                    SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results


class FilteredSpacyRecognizer(SpacyRecognizer):
    """spaCy's persons and places, without what the small model takes for one: a capitalised
    French word ("Madame", "Lors"), an institution ("CHU Saint-Pierre"), a country."""

    def __init__(self, lexicon: Container[str]):
        self.lexicon = lexicon
        super().__init__(supported_language=LANGUAGE, supported_entities=[PERSON, PLACE])

    def analyze(self, text, entities, nlp_artifacts=None):
        words = NameWords.of(text, self.lexicon)
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            # The model sometimes runs an entity over a line break ("Tournai\n\nDylan"): each line
            # is judged on its own.
            start = result.start
            for line in text[result.start : result.end].split("\n"):
                if line.strip():
                    offset = start + len(line) - len(line.lstrip())
                    part = RecognizerResult(
                        result.entity_type, offset, offset + len(line.strip()), result.score
                    )
                    part.recognition_metadata = result.recognition_metadata
                    if self._plausible(words, part):
                        if self._person_taken_for_a_place(words, part):
                            part.entity_type = PERSON
                        results.append(part)
                start += len(line) + 1
        return results

    @staticmethod
    def _plausible(words: NameWords, result: RecognizerResult) -> bool:
        span = words.text[result.start : result.end]
        if any(s < result.end and result.start < e for s, e in words.protected):
            return False
        tokens = [words.tokens[i] for i in words.within(result.start, result.end)]
        if result.entity_type == PLACE:
            if fold(span) in COUNTRIES_AND_REGIONS:
                return False
            return area_of_place(span) is not None or any(words.is_unknown_name(t) for t in tokens)
        return any(words.is_unknown_name(t) or words.is_first_name(t) for t in tokens)

    @staticmethod
    def _person_taken_for_a_place(words: NameWords, result: RecognizerResult) -> bool:
        """The small model calls many unfamiliar first names places ("Tiffany", "Sevara"). A word it
        calls a place, that is no commune we know, and that no preposition of place precedes
        ("à", "de", "vers") is taken for a name."""
        if result.entity_type != PLACE or area_of_place(words.text[result.start : result.end]) is not None:
            return False
        inside = words.within(result.start, result.end)
        if not inside or not all(words.could_be_name(words.tokens[i]) for i in inside):
            return False
        if inside[0] == 0:
            return True
        previous = words.tokens[inside[0] - 1]
        gap = words.text[previous.end : result.start]
        return previous.text.lower() not in LOCATIVE_WORDS or gap.strip(" '’") != ""


def build_registry(lexicon: Container[str]) -> RecognizerRegistry:
    """Our recognisers only: none of Presidio's predefined ones (some fetch lists at run time)."""
    return RecognizerRegistry(
        recognizers=[
            FilteredSpacyRecognizer(lexicon),
            NationalNumberRecognizer(),
            PhoneNumberRecognizer(),
            EmailAddressRecognizer(),
            BankAccountRecognizer(),
            StreetAddressRecognizer(),
            DateRecognizer(),
            PersonNameRecognizer(lexicon),
            PlaceRecognizer(),
        ],
        supported_languages=[LANGUAGE],
    )


# After the recognisers: what a name found tells about the words around it.


def extend_names(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Each name span grown over the adjacent words that are names too: spaCy's "Sylvie" becomes
    "Sylvie Verstraeten", a first name found alone takes the surname in capitals before it."""
    words = NameWords.of(text, lexicon)
    tokens = words.tokens
    grown = []
    for start, end in spans:
        inside = words.within(start, end)
        if not inside:
            grown.append((start, end))
            continue
        first, last = inside[0], inside[-1]
        while last + 1 < len(tokens) and _adjacent(text, tokens[last], tokens[last + 1]):
            nxt = tokens[last + 1]
            after_first_name = words.is_first_name(tokens[last])
            if words.is_unknown_name(nxt) or (after_first_name and words.could_be_name(nxt)):
                last += 1
            elif (
                words.is_particle(nxt) and last + 2 < len(tokens) and words.is_unknown_name(tokens[last + 2])
            ):
                last += 2
            else:
                break
        while first > 0 and _adjacent(text, tokens[first - 1], tokens[first]):
            previous = tokens[first - 1]
            if (words.is_unknown_name(previous) and not is_title(previous)) or (
                previous.capitalised and words.is_particle(previous)
            ):
                first -= 1
            elif (
                words.is_particle(previous)
                and first > 1
                and _adjacent(text, tokens[first - 2], previous)
                and tokens[first - 2].capitalised
                and words.is_particle(tokens[first - 2])
            ):  # "Van den" Bossche
                first -= 2
            elif is_title(previous) and _after_title(text, previous, tokens[first]):
                first -= 1
                break
            else:
                break
        grown.append((min(start, tokens[first].start), max(end, tokens[last].end)))
    return grown


def coordinated_names(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Names listed with a name found: "Malika et Sevara", "Karim, Bertrand et Tuncay"."""
    words = NameWords.of(text, lexicon)
    tokens = words.tokens
    found = set()
    names = {i for start, end in spans for i in words.within(start, end)}
    changed = True
    while changed:
        changed = False
        for i in sorted(names):
            for j in (i - 1, i + 1):
                if not 0 <= j < len(tokens) or j in names:
                    continue
                left, right = (tokens[j], tokens[i]) if j < i else (tokens[i], tokens[j])
                gap = _gap(text, left, right).strip(" \u00a0")
                neighbour = tokens[j]
                if gap not in (",", "et") or not words.could_be_name(neighbour):
                    continue
                if words.is_unknown_name(neighbour) or words.is_first_name(neighbour):
                    names.add(j)
                    found.add((neighbour.start, neighbour.end))
                    changed = True
    return sorted(found)


def name_words_of(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Container[str]
) -> tuple[set[str], set[str]]:
    """The words of the names found, to look for elsewhere in the text: those French does not know
    are looked for in any case ("verstraeten"), the others only as written ("Petit")."""
    words = NameWords.of(text, lexicon)
    anywhere, as_written = set(), set()
    for start, end in spans:
        for token in (words.tokens[i] for i in words.within(start, end)):
            if len(token.text) < 2:
                continue
            if is_title(token) or words.is_particle(token) or not (token.capitalised or token.all_capitals):
                continue
            if words.is_protected(token) or area_of_place(token.text) is not None:
                continue
            if words.is_french(token) or len(token.text) < 3:
                as_written.add(token.text)
            else:
                anywhere.add(fold(token.text))
    return anywhere, as_written


def other_mentions(
    text: str, anywhere: set[str], as_written: set[str], lexicon: Container[str]
) -> list[tuple[int, int]]:
    """Every other place where a word of a name found appears: a name seen once is a name throughout."""
    words = NameWords.of(text, lexicon)
    return [
        (t.start, t.end)
        for t in words.tokens
        if not words.is_protected(t)
        and (
            fold(t.text) in anywhere
            # A name that is also a French word ("Petit", "Vos") only where it cannot be that word.
            or (t.text in as_written and (not t.sentence_start or words.is_first_name(t)))
        )
    ]
