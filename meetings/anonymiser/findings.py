"""Finding what identifies a person in a case vignette, and proposing what to write instead.

    findings = find(text, names_to_remove=["Sylvie Verstraeten"])
    anonymised = replace(text, findings)          # or: anonymised, findings = anonymise(text)

Detection runs the engine (engine.py: Presidio's AnalyzerEngine with spaCy's small French model for
person names and places) and our recognisers for Belgian identifiers, addresses, dates and names
(recognizers/); replacements are consistent pseudonyms and vague generalisations (replacements.py).
The author's "names to remove" are always found, in any case and with or without accents.

A finding's span is what was recognised, with the few words that must change with it for the
sentence to stay French: the article of a date ("le 3 mars 2024" → "au printemps 2024"), the
participle of a date of birth ("née le 14/03/1987" → "âgée d'une trentaine d'années"), an elided
"d'" before a name ("d'Ahmed" → "de Monsieur B."). A place keeps the words before it, and its
replacement fits them ("le CPAS d'Anderlecht" → "le CPAS d'une commune de l'ouest de Bruxelles").
An employer or a school takes its article ("à l'athénée Fernand Blum" → "à une école secondaire",
"au Collège Saint-Pierre" → "dans une école secondaire", "op het Sint-Jozefscollege" → "op een
secundaire school").

Importing this module loads neither Presidio nor spaCy: the recognisers, which import Presidio,
are imported where they are used, once the engine is built.
"""

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from meetings.anonymiser import generalisations, replacements
from meetings.anonymiser.cleaning import clean_text
from meetings.anonymiser.engine import get_engine
from meetings.anonymiser.entities import (
    ADDRESS,
    COMPANY_NUMBER,
    DATE,
    DATE_OF_BIRTH,
    EMAIL,
    FILE_NUMBER,
    IBAN,
    IDENTITY_CARD,
    INAMI,
    LABELS,
    LICENCE_PLATE,
    LISTED_NAME,
    NISS,
    PASSPORT,
    PERSON,
    PHONE,
    PLACE,
    WORKPLACE,
)
from meetings.anonymiser.languages import DUTCH, FRENCH


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    replacement: str

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def is_listed(self) -> bool:
        """One of the names the author asked to remove: always replaced, never kept."""
        return self.kind == LISTED_NAME


# Finding.

# The more specific wins an overlap: identifiers, then addresses, then dates; names and places come
# after, the longer first. Among the identifiers:
# - a valid national number stays one, even after "INAMI" (eleven digits both);
# - an identity card is reported unless a bank word is nearer before it than any identity cue, and
#   then wins over the old bank account number of the same form and checksum (592-1234567-89);
# - a company number (checksum, and dotted, BE-prefixed or after a cue) wins over the phone number
#   its digits also make: 0412.345.679;
# - INAMI numbers and passports have forms or cues no phone has, and come before it: a passport
#   number all in digits is reported only right after its cue ("paspoort, nummer 054829173"),
#   where the landline its digits could make is not one; one further from its cue must have
#   letters, and no other number between (a phone after "passeport" elsewhere in the sentence
#   stays a phone);
# - a file number is a guess from the word before it or from its form: it loses to every other
#   identifier, to an address ("rue Haute n° 122") and to a date ("réf. 12/03/2024").
IDENTIFIER_ORDER = (
    NISS,
    IDENTITY_CARD,
    IBAN,
    EMAIL,
    COMPANY_NUMBER,
    INAMI,
    PASSPORT,  # before the phone: see above
    PHONE,
    LICENCE_PLATE,
    ADDRESS,
    DATE_OF_BIRTH,
    DATE,
    FILE_NUMBER,
)
# Numbers whose placeholder names them: the word right before that names them too goes with them.
REGISTRATIONS = (LICENCE_PLATE, INAMI, IDENTITY_CARD, PASSPORT, FILE_NUMBER, COMPANY_NUMBER)


@dataclass
class _Span:
    kind: str
    start: int
    end: int
    gazetteer: bool = False  # a place from our list of communes, more certain than spaCy's
    # A workplace: the language of the words that found it ("werkt bij": Dutch), and whether
    # they make it a school ("élève à Saint-Joseph").
    language: str | None = None
    school: bool = False
    number_start: int | None = None  # where the number starts when the span starts at its cue


def find(
    text: str, names_to_remove: Iterable[str] = (), *, keep: Iterable[str] = (), today: date | None = None
) -> list[Finding]:
    """What identifies someone in text, sorted and without overlaps, each with a replacement.

    keep are terms to keep in this text besides the package's lists (a network's services, say):
    nothing inside them is a person or a place. The names to remove are found even there.
    today is the day ages are counted on (a date of birth becomes an age bracket): the caller's
    local date, the machine's by default."""
    today = today or date.today()
    engine = get_engine()  # first: it quiets Presidio's logger before Presidio is imported
    from meetings.anonymiser import recognizers

    try:
        with recognizers.keeping(keep):
            return _find(engine, text, names_to_remove, today)
    finally:
        # The recognisers cache what they read of a text; once its findings are out, the text
        # must not stay in the process's memory (it may be purged from the database meanwhile).
        recognizers.forget_texts()


def _find(engine, text: str, names_to_remove: Iterable[str], today: date) -> list[Finding]:
    from meetings.anonymiser import recognizers

    spans = []
    # spaCy's vocabulary keeps the words it has read (not the texts): reading each text in a
    # memory zone would drop them, at a fifth of the throughput; not done yet (README).
    for result in engine.analyzer.analyze(text=text, language=recognizers.LANGUAGE):
        metadata = result.recognition_metadata or {}
        spans.append(
            _Span(
                result.entity_type,
                result.start,
                result.end,
                gazetteer=metadata.get("recognizer_name", "") == "PlaceRecognizer",
                language=metadata.get("language"),
                school=bool(metadata.get("school")),
            )
        )
    spans = _without_guesses_inside_workplaces(spans)
    spans = _with_naming_cues(text, spans)
    listed = _listed_names(text, names_to_remove)
    spans += [_Span(LISTED_NAME, start, end) for start, end in listed]
    spans = _complete_names(text, spans, listed, engine.lexicon)
    spans = _outside_kept_words(spans, recognizers.protected_spans(text, engine.lexicon))
    _dates_after_names_are_births(text, spans)
    chosen = _without_overlaps(text, spans)
    return _findings(text, chosen, listed, names_to_remove, today, engine.lexicon.paragraphs(text))


def language_of(text: str) -> str | None:
    """The language most of text is written in, "fr" or "nl"; None when neither (the French rules
    then apply, and the check page says the language was not recognised)."""
    engine = get_engine()
    from meetings.anonymiser import recognizers

    try:
        return engine.lexicon.paragraphs(text).main
    finally:
        recognizers.forget_texts()


def replace(text: str, findings: Sequence[Finding]) -> str:
    """text with each finding's span (offsets into text) replaced by its replacement."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            raise ValueError(f"Overlapping findings at {finding.start}.")
        pieces += [text[position : finding.start], finding.replacement]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def anonymise(
    text: str, names_to_remove: Iterable[str] = (), *, keep: Iterable[str] = (), today: date | None = None
) -> tuple[str, list[Finding]]:
    """The cleaned text with every finding replaced, and the findings (offsets into the cleaned
    text). Raises TextRefused for an empty or too long text."""
    text = clean_text(text)
    findings = find(text, names_to_remove, keep=keep, today=today)
    return replace(text, findings), findings


# Names: the author's list, and what one mention of a name tells about the rest of the text.


def _listed_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where the listed names appear, whole words, whatever the case and accents."""
    names = [name for name in names if name.strip()]
    if not names:
        return []
    folded = "".join(_fold_character(c) for c in text)  # same length as text: offsets carry over
    spans = []
    for name in names:
        for variant in _listed_variants(name):
            words = [re.escape(replacements.fold(w)) for w in variant]
            pattern = r"(?<![\w'’-])" + r"[\s-]+".join(words) + r"(?![\w-])"
            spans += [m.span() for m in re.finditer(pattern, folded)]
    return sorted(set(spans))


def _fold_character(character: str) -> str:
    folded = replacements.fold(character)
    return folded if len(folded) == 1 else character.lower()


def _listed_words(name: str) -> list[str]:
    """The words of a listed name, without the titles before it: "Dr Mukendi" → ["Mukendi"]."""
    _titles, words = replacements.split_titles(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name))
    return words


def _listed_variants(name: str) -> list[list[str]]:
    """ "Sylvie Van den Bossche" → the full name, "Van den Bossche Sylvie", "Van den Bossche",
    "Sylvie" and "Bossche"; particles are never looked for alone."""
    words = _listed_words(name)
    if not words:
        return []
    variants = [words]
    # The surname starts at the first particle ("Van den Bossche"), or is the last word.
    particles = [i for i, w in enumerate(words) if replacements.fold(w) in replacements.PARTICLES]
    split = particles[0] if particles and particles[0] > 0 else max(len(words) - 1, 0)
    given, surname = words[:split], words[split:]
    if given and surname:
        variants += [surname + given, surname]
    variants += [[w] for w in words if replacements.fold(w) not in replacements.PARTICLES and len(w) > 1]
    return variants


def _complete_names(text, spans, listed, lexicon) -> list[_Span]:
    """Grow each name over its adjacent surname or first name, then find every other mention of
    its words: "Sylvie" found by spaCy becomes "Sylvie Verstraeten", and "Verstraeten" alone two
    paragraphs later is found too."""
    from meetings.anonymiser import recognizers

    names = [(s.start, s.end) for s in spans if s.kind == PERSON] + list(listed)
    grown = recognizers.extend_names(text, names, lexicon)
    grown += recognizers.coordinated_names(text, grown, lexicon)
    anywhere, as_written = recognizers.name_words_of(text, grown, lexicon)
    mentions = recognizers.other_mentions(text, anywhere, as_written, lexicon)
    mentions = recognizers.extend_names(text, mentions, lexicon)
    others = [s for s in spans if s.kind not in (PERSON, LISTED_NAME)]
    persons = [_Span(PERSON, start, end) for start, end in grown + mentions]
    return others + persons + [_Span(LISTED_NAME, start, end) for start, end in listed]


def _outside_kept_words(spans: list[_Span], protected: list[tuple[int, int]]) -> list[_Span]:
    """Without the persons and places inside words that must stay: "CHU de Charleroi", "chaussée
    de Gand", a network's own services. Identifiers and addresses stay findings wherever they are."""

    def kept(span: _Span) -> bool:
        return span.kind in (PERSON, PLACE) and any(s <= span.start and span.end <= e for s, e in protected)

    return [span for span in spans if not kept(span)]


def _dates_after_names_are_births(text: str, spans: list[_Span]) -> None:
    """ "Jessica Van Damme (05.10.2001, NN …)": a date in brackets or after a comma right after a
    name is the person's date of birth."""
    name_ends = {s.end for s in spans if s.kind in (PERSON, LISTED_NAME)}
    for span in spans:
        if span.kind != DATE:
            continue
        before = re.search(r"\s*(?:\(|,)\s*$", text[max(0, span.start - 4) : span.start])
        if before and span.start - len(before.group()) in name_ends:
            span.kind = DATE_OF_BIRTH


def _overlap(a: _Span, b: _Span) -> bool:
    return a.start < b.end and b.start < a.end


def _without_guesses_inside_workplaces(spans: list[_Span]) -> list[_Span]:
    """Without the persons, and spaCy's places, that overlap a workplace: "Colruyt" or "Fernand
    Blum" (of the athénée Fernand Blum) taken for a person would be looked for, as a name,
    everywhere else in the text (_complete_names). The workplace is the better reading of those
    words. Our communes stay, for _without_overlaps to give to the workplace."""
    workplaces = [s for s in spans if s.kind == WORKPLACE]
    if not workplaces:
        return spans
    return [
        s
        for s in spans
        if not (
            (s.kind == PERSON or (s.kind == PLACE and not s.gazetteer))
            and any(_overlap(s, w) for w in workplaces)
        )
    ]


def _with_naming_cues(text: str, spans: list[_Span]) -> list[_Span]:
    """ "nummerplaat 1-HKP-371" → "[nummerplaat verwijderd]": the word right before a number that
    names it goes with it, and the span keeps the number's kind. No name or place is found in the
    cue right before a number ("Nummerplaat", "RX" are not names)."""
    from meetings.anonymiser import recognizers

    cues = []
    for span in spans:
        if span.kind in REGISTRATIONS:
            before = text[max(0, span.start - 60) : span.start]
            cues.append((span.start - recognizers.cue_length(span.kind, before), span.start))
            naming = recognizers.naming_cue_length(span.kind, before)
            if naming:
                span.number_start, span.start = span.start, span.start - naming
    return [
        span
        for span in spans
        if span.kind not in (PERSON, PLACE) or not any(s <= span.start and span.end <= e for s, e in cues)
    ]


def _without_overlaps(text: str, spans: list[_Span]) -> list[_Span]:
    chosen: list[_Span] = []

    def free(start: int, end: int) -> bool:
        return all(end <= c.start or c.end <= start for c in chosen)

    identifiers = [s for s in spans if s.kind in IDENTIFIER_ORDER]
    for span in sorted(identifiers, key=lambda s: (IDENTIFIER_ORDER.index(s.kind), s.start - s.end)):
        if free(span.start, span.end):
            chosen.append(span)
        elif span.number_start is not None and free(span.number_start, span.end):
            chosen.append(_Span(span.kind, span.number_start, span.end))  # its cue is another's

    # Workplaces next, whole or not at all, the longer first: found after a cue ("travaille chez",
    # "zit op"), they are more specific than a person or a place guessed from the same words. A
    # person or a place that overlaps one goes, whether spaCy guessed it or a name found elsewhere
    # brought it here; so does a commune of our list inside one ("Delhaize Anderlecht", "Koninklijk
    # Atheneum Etterbeek"): the commune is part of the workplace's name, and its replacement says
    # the kind of place instead. Only the author's listed names keep what the workplace leaves.
    workplaces = []
    for span in sorted((s for s in spans if s.kind == WORKPLACE), key=lambda s: (s.start - s.end, s.start)):
        if free(span.start, span.end):
            chosen.append(span)
            workplaces.append(span)
    spans = [s for s in spans if s.kind == LISTED_NAME or not any(_overlap(s, w) for w in workplaces)]

    # Names and places: overlapping mentions of persons make one; then the longer wins, and on a
    # tie a commune of our list wins over a name, a name over a place guessed by spaCy.
    names = _merged_persons([s for s in spans if s.kind in (PERSON, LISTED_NAME)])
    places = [s for s in spans if s.kind == PLACE]

    def rank(span: _Span) -> tuple:
        order = 0 if span.gazetteer else 1 if span.kind in (PERSON, LISTED_NAME) else 2
        return (span.start - span.end, order, span.start)

    for span in sorted(names + places, key=rank):
        for start, end in _free_parts(text, span, chosen):
            if free(start, end):
                chosen.append(_Span(span.kind, start, end, span.gazetteer))
                break
    return sorted(chosen, key=lambda s: s.start)


def _merged_persons(spans: list[_Span]) -> list[_Span]:
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, span.end)
            if span.kind == LISTED_NAME:
                last.kind = LISTED_NAME
        else:
            merged.append(_Span(span.kind, span.start, span.end))
    return merged


def _free_parts(text: str, span: _Span, chosen: list[_Span]) -> list[tuple[int, int]]:
    """The parts of span outside the spans already chosen, longest first, trimmed of spaces."""
    parts, start = [], span.start
    for other in sorted(chosen, key=lambda c: c.start):
        if other.end <= start or other.start >= span.end:
            continue
        parts.append((start, other.start))
        start = max(start, other.end)
    parts.append((start, span.end))
    trimmed = []
    for part_start, part_end in parts:
        piece = text[part_start:part_end]
        stripped = piece.strip(" \t\n,;:.()«»\"'’-–")
        if len(stripped) >= 2:
            offset = part_start + piece.index(stripped)
            trimmed.append((offset, offset + len(stripped)))
    return sorted(trimmed, key=lambda p: p[0] - p[1])


# Replacements.

SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*|[«\"“(]\s*)$")
PREPOSITIONS = {
    "depuis",
    "dès",
    "avant",
    "après",
    "pour",
    "vers",
    "pendant",
    "durant",
    "jusqu'à",
    "à",
    "sauf",
}
ELIDED_BEFORE_NAME = re.compile(r"(?i)(?<![\w])(d|qu|lorsqu|puisqu)['’]$")


def _findings(
    text: str, spans: list[_Span], listed, names_to_remove, today: date, paragraphs
) -> list[Finding]:

    person_spans = [s for s in spans if s.kind in (PERSON, LISTED_NAME)]
    pseudonyms = dict(
        zip(
            map(id, person_spans),
            _pseudonyms(text, person_spans, names_to_remove, paragraphs),
            strict=True,
        )
    )
    findings, previous_end = [], 0
    for span in spans:
        start, end = span.start, span.end
        language = paragraphs.rules_at(start)  # each replacement in its paragraph's language
        # Words before a span may join it ("le 3 mars" → "au printemps"), never those of another.
        before = text[previous_end:start]
        if span.kind in (PERSON, LISTED_NAME):
            start, replacement = _person_replacement(before, start, pseudonyms[id(span)], language)
        elif span.kind in (ADDRESS, PLACE):
            start, replacement = _place_replacement(text, before, span, language)
        elif span.kind == DATE_OF_BIRTH:
            start, replacement = _birth_date_replacement(text, before, start, end, today, language)
        elif span.kind == DATE:
            start, replacement = _date_replacement(text, before, start, end, today, language)
        elif span.kind == WORKPLACE:
            # The words that found a workplace tell its language better than the text's.
            start, replacement = _workplace_replacement(
                text[start:end], before, start, span.language or language, school=span.school
            )
        else:
            replacement = replacements.placeholder(span.kind, language)
        if _starts_sentence(text, start) and text[start].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
        if replacement.endswith(".") and text[end : end + 1] == ".":
            replacement = replacement[:-1]  # "… de Lucas." → "… de Monsieur B.", not "B.."
        kind = LISTED_NAME if any(s < span.end and span.start < e for s, e in listed) else span.kind
        findings.append(Finding(kind, start, end, text[start:end], replacement))
        previous_end = end
    return findings


def _starts_sentence(text: str, start: int) -> bool:
    return SENTENCE_START.search(text[max(0, start - 40) : start]) is not None


def _pseudonyms(text: str, spans: list[_Span], names_to_remove, paragraphs) -> list[str]:
    from meetings.anonymiser import recognizers

    tokens = recognizers.tokens_of(text)
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    mentions = []
    for span in spans:
        first = bisect.bisect_left(starts, span.start)
        words = [t.text for t in tokens[first:] if t.end <= span.end and t.start < span.end]
        mention = replacements.parse_mention(words, span.start, span.end)
        mention.agreement = _agreement_after(text, span.end)
        mention.bare = _after_relation_word(text, tokens, ends, span.start)
        mention.language = paragraphs.rules_at(span.start)
        mentions.append(mention)
    known = [replacements.parse_mention(_listed_words(name), 0, 0) for name in names_to_remove]
    return replacements.assign_pseudonyms(mentions, known)


def _agreement_after(text: str, end: int) -> str | None:
    """ "Sylvie Verstraeten, née le …": the participle tells the gender."""
    match = re.match(r"\s*,?\s*(née|né)(?![\w])", text[end : end + 12], flags=re.IGNORECASE)
    if match is None:
        return None
    return replacements.FEMININE if match.group(1).lower() == "née" else replacements.MASCULINE


def _after_relation_word(text: str, tokens, ends: list[int], start: int) -> bool:
    """ "son fils Lucas" → "son fils C.": after a relation, the letter alone reads better."""
    from meetings.anonymiser import recognizers

    index = bisect.bisect_right(ends, start)
    if not index or tokens[index - 1].text.lower() not in recognizers.RELATION_WORDS:
        return False
    return re.fullmatch(r"[ \t\u00a0,]{1,3}", text[tokens[index - 1].end : start]) is not None


def _person_replacement(before: str, start: int, pseudonym: str, language: str) -> tuple[int, str]:
    """ "d'Ahmed" → "de Monsieur B.": the elision goes with the name it was made for."""
    elided = ELIDED_BEFORE_NAME.search(before[-10:]) if language == FRENCH else None
    if (
        elided
        and pseudonym[:1].lower() in "bcdfghjklmnpqrstvwxz"
        and not re.fullmatch(r"[A-Z]\d*\.", pseudonym)
    ):
        full = {"d": "de", "qu": "que", "lorsqu": "lorsque", "puisqu": "puisque"}[elided.group(1).lower()]
        if elided.group(1)[0].isupper():
            full = full.capitalize()
        return start - len(elided.group()), f"{full} {pseudonym}"
    return start, pseudonym


def _place_replacement(text: str, before: str, span: _Span, language: str) -> tuple[int, str]:
    """An address or a place as the part of the country it is in, fitting the words before it."""
    from meetings.anonymiser import recognizers

    start, end = span.start, span.end
    address = span.kind == ADDRESS
    postcode, commune = recognizers.address_parts(text[start:end])  # "1030 Schaerbeek" too
    if language == DUTCH:
        start, form = _dutch_place_form(before, start, address=address)
    else:
        form = _place_form(before, address=address)
    if address or postcode:
        return start, replacements.address_replacement(postcode, commune, form, language)
    return start, replacements.place_replacement(text[start:end], form, language)


DUTCH_ARTICLE_BEFORE_STREET = re.compile(r"(?i)(?<![\w])(?:(in|op|aan)\s+)?(de|het)\s+$")


def _dutch_place_form(before: str, start: int, *, address: bool) -> tuple[int, str]:
    """ "woont in de Kerkstraat 12" → "woont in een gemeente …": the street's article goes with it,
    and "aan de" becomes "in". After "in", "uit", "van", "naar" the phrase reads as it is."""
    tail = before[-12:]
    article = DUTCH_ARTICLE_BEFORE_STREET.search(tail) if address else None
    if article and (article.group(1) or "").lower() in ("op", "aan"):
        return start - (len(tail) - article.start()), replacements.LOCATIVE
    if article:
        return start - (len(tail) - article.start(2)), replacements.BARE
    stripped = before.rstrip()
    if not address or not stripped or stripped[-1] in ":(\n–-•,;":
        return start, replacements.BARE
    if re.search(r"(?i)(?<![\w])(?:in|uit|van|naar|te|op|bij|nabij|rond)$", stripped):
        return start, replacements.BARE
    return start, replacements.LOCATIVE


def _place_form(before: str, *, address: bool) -> str:
    """Which form of the generalisation fits the words before the place, which stay as written."""
    if re.search(r"(?i)(?<![\w])[dl]['’]$", before):
        return replacements.AFTER_ELISION
    if re.search(r"(?i)(?<![\w'’])(?:à|au|aux|à la|de|du|de la|des|en|vers|depuis|près de|sur)\s+$", before):
        return replacements.BRACKETED
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ":(\n–-•,;":
        return replacements.BARE
    return replacements.LOCATIVE if address else replacements.BARE


# Before a workplace: the article goes with it, the preposition stays when the indefinite phrase
# fits after it ("chez une chaîne de supermarchés", "à une école secondaire", "bij een
# supermarktketen"); "au" and "du" hold an article, and become "dans une …", "d'une …"; so does
# "de l'", "de la".
FRENCH_BEFORE_WORKPLACE = re.compile(
    r"(?i)(?<![\w'’])(?:(?P<contracted>au|aux|du|des)\s+|(?P<de>de|d['’])\s*(?:l['’]|la\s+|les\s+)?"
    r"|(?P<article>l['’]|le\s+|la\s+|les\s+))$"
)
DUTCH_BEFORE_WORKPLACE = re.compile(r"(?i)(?<![\w'’])(?:de|het|'t)\s+$")


def _workplace_replacement(
    name: str, before: str, start: int, language: str, *, school: bool
) -> tuple[int, str]:
    phrase = generalisations.workplace_replacement(name, language, school=school)
    if language == DUTCH:
        article = DUTCH_BEFORE_WORKPLACE.search(before[-8:])
        return (start - len(article.group()), phrase) if article else (start, phrase)
    words = FRENCH_BEFORE_WORKPLACE.search(before[-10:])
    if words is None:
        return start, phrase
    start -= len(words.group())
    if (words["contracted"] or "").lower() in ("au", "aux"):
        return start, f"dans {phrase}"
    if words["contracted"] or words["de"]:
        return start, f"d'{phrase}"  # "du Collège Saint-Pierre" → "d'une école secondaire"
    return start, phrase


def _birth_date_replacement(
    text: str, before: str, start: int, end: int, today: date, language: str
) -> tuple[int, str]:
    from meetings.anonymiser import recognizers

    birth = recognizers.parse_date(text[start:end], today)
    if text[start:end].isdigit() and len(text[start:end]) == 4:  # "né en 1987"
        birth = recognizers.parse_date(f"née en {text[start:end]}", today)
    degree = re.search(r"°\s*$", before)  # "(° 3.3.1987)": the sign goes with the date it announces
    if degree:
        start -= len(degree.group())
    if language == DUTCH:
        # "geboren op 4 februari 1979" → "een veertiger"; "(° 4/2/1979)" → "[leeftijd: …]"
        participle = re.search(r"(?i)(?<![\w])geboren\s+(?:op|in)\s+$", before[-16:])
        if participle:
            return start - len(participle.group()), replacements.birth_date_replacement(
                birth, aged_as="geboren", today=today, language=language
            )
        return start, replacements.birth_date_replacement(birth, today=today, language=language)
    participle = re.search(r"(?i)(?<![\w])(nées|nés|née|né|geboren)\s+(?:le|en|op)\s+$", before[-16:])
    if participle:
        word = participle.group(1).lower()
        aged_as = {"née": replacements.FEMININE, "né": replacements.MASCULINE, "geboren": None}.get(
            word, "plural"
        )
        if aged_as is not None:
            return start - len(participle.group()), replacements.birth_date_replacement(
                birth, aged_as=aged_as, today=today
            )
    return start, replacements.birth_date_replacement(birth, today=today)


DUTCH_PREPOSITIONS_BEFORE_DATE = re.compile(
    r"(?i)(?<![\w])(?P<word>op|sinds|vanaf|tot|voor|na|rond|tegen|tussen|van)\s+$"
)


def _date_replacement(
    text: str, before: str, start: int, end: int, today: date, language: str
) -> tuple[int, str]:
    from meetings.anonymiser import recognizers

    day = recognizers.parse_date(text[start:end], today)
    if language == DUTCH:
        # "op 3 maart 2024" → "in de lente van 2024"; "sinds 3 maart 2024" → "sinds de lente van 2024"
        preposition = DUTCH_PREPOSITIONS_BEFORE_DATE.search(before[-12:])
        if preposition is None:
            return start, replacements.date_replacement(day, replacements.ALONE, language)
        if preposition["word"].lower() == "op":
            start -= len(preposition.group())
            return start, replacements.date_replacement(day, replacements.AS_COMPLEMENT, language)
        return start, replacements.date_replacement(day, replacements.AFTER_PREPOSITION, language)
    article = re.search(r"(?i)(?<![\w'’])(le|du|au)\s+$", before[-24:])
    if article is None:
        return start, replacements.date_replacement(day, replacements.ALONE)
    word = article.group(1).lower()
    start -= len(article.group())
    if word == "du":
        return start, replacements.date_replacement(day, replacements.AFTER_DU)
    if word == "au":
        return start, replacements.date_replacement(day, replacements.AFTER_AU)
    preceding = re.search(r"([\w'’]+)\s*$", before[: len(before) - len(article.group())][-24:])
    if preceding and preceding.group(1).lower().replace("’", "'") in PREPOSITIONS:
        return start, replacements.date_replacement(day, replacements.AFTER_PREPOSITION)
    return start, replacements.date_replacement(day, replacements.AS_COMPLEMENT)
