"""Employers, schools and workplaces that identify a person: "magasinier chez Colruyt", "en 3e à
l'athénée Fernand Blum", "werkt bij ISS", "zit op het Sint-Jozefscollege".

Two rules, both for French and Dutch whatever the text's language (the words tell which it is):

- after a cue that says someone works or studies there ("travaille chez", "élève à", "werkt bij",
  "zit op"), a name: capitalised words with their links ("de", "du", "van", "der"), numbers
  ("Athénée Royal 2"), after an optional article and kind ("l'athénée", "het", "de firma");
- anywhere, a kind of school followed by a capitalised name ("l'école Saint-Joseph", "Basisschool
  De Regenboog"), and the Dutch compounds that name one school ("Sint-Lukasschool").

What is reported is the kind and the name ("athénée Fernand Blum"); the article before it stays
for the finder, which fits the replacement to it. Each result says in its metadata the language of
the words that found it and whether they make it a school, for the replacement.

Not reported: a name-less phrase ("travaille chez un garagiste", "zit op de lagere school"); a
commune or a country alone ("travaille à Anderlecht": the place recogniser's); a person ("chez
Madame Dupont"); a service the vignette names on purpose (CPAS, OCMW, STIB, Forem: data/keep/).
Hospitals are protected too, because patients are treated there and the vignette says so; but
after a cue of work ("travaille à l'hôpital Érasme", "werkt in het UZ Brussel") the hospital is the
person's employer and is reported: one rule, the cue, rather than guessing who is treated where.
"""

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from meetings.anonymiser.entities import WORKPLACE
from meetings.anonymiser.generalisations import DUTCH, FRENCH, HOSPITAL, school_kind, sector
from meetings.anonymiser.recognizers import companies, kept
from meetings.anonymiser.recognizers.constants import LANGUAGE, SCORE
from meetings.anonymiser.recognizers.tokenizer import tokens_of
from meetings.anonymiser.recognizers.words import COUNTRIES_AND_REGIONS, FUNCTION_WORDS
from meetings.anonymiser.recognizers.workplace_names import ARTICLE as _ARTICLE
from meetings.anonymiser.recognizers.workplace_names import NAME
from meetings.anonymiser.recognizers.workplace_names import S as _S
from meetings.anonymiser.recognizers.workplace_names import alternatives as _alternatives
from meetings.anonymiser.replacements import (
    CIVILITIES,
    PROFESSIONAL_TITLES,
    area_of_place,
    fold,
    is_first_name,
)

WORK, SCHOOL = "work", "school"


def _gendered(word: str) -> str:
    """ "employé" → employé, employée, employé·e, employé(e), employés…"""
    return rf"{word}(?:e|·e|\(e\)|-e)?s?"


# Kinds before a name, matched in any case: schools anywhere, employers after a cue only.
SCHOOL_KINDS = _alternatives(
    """école fondamentale, école primaire, école maternelle, école secondaire, école communale,
    école libre, école technique, école professionnelle, école spécialisée, école, athénée royal,
    athénée, lycée, collège, institut technique, institut, haute école, université, centre scolaire,
    basisschool, lagere school, kleuterschool, middelbare school, secundaire school, gemeentelijke
    basisschool, gemeenteschool, school, koninklijk atheneum, atheneum, instituut, lyceum, hogeschool,
    universiteit"""
)
EMPLOYER_KINDS = _alternatives(
    """société, entreprise, firme, magasin, supermarché, restaurant, hôtel, brasserie, café, snack,
    boulangerie, garage, usine, entrepôt, agence d'intérim, agence, hôpital, clinique, cliniques,
    firma, bedrijf, winkel, supermarkt, hotel, bakkerij, fabriek, magazijn, uitzendkantoor,
    interimkantoor, ziekenhuis, maison de repos et de soins, maison de repos, home, mrs, crèche,
    woonzorgcentrum, rusthuis, kinderdagverblijf, asbl, vzw, aisbl, ivzw, sprl, srl, bvba, nv, bv"""
)
_ANY_WORDS = r"(?-i:(?:[ \u00a0]+[\p{Ll}\d'’-]+){0,4}?)"  # "travaille depuis 2019 chez", "werkt al jaren bij"
# Between "zit" and "op", or a grade and "aan": "zit in het zesde jaar op", "3de jaar BSO aan".
_GRADE_WORDS = r"(?-i:(?:[ \u00a0]+(?:[\p{Ll}\d'’-]+|[BTAK]SO|BuSO|OKAN)){0,5}?)"
_DUTCH_GRADE = (
    r"(?:\d{1,2}[ \u00a0]?(?:de|e|ste)|eerste|tweede|derde|vierde|vijfde|zesde|zevende)"
    r"[ \u00a0]+(?:jaar|leerjaar|graad|middelbaar)(?:[ \u00a0]+(?:[BTAK]SO|BuSO|secundair|lager))?"
)
# "comme aide-soignante à", "als poetsvrouw bij": a role, not a time ("comme chaque jeudi au …",
# "als hij in …").
_NOT_ROLES = (
    "chaque|tous|toutes|tout|d['’]habitude|prévu|convenu|souvent|toujours|avant|après|déjà|habituellement"
    "|hij|ze|zij|het|er|ik|we|wij|je|u|dat|die|altijd|vroeger|afgesproken|eerste|gewoonlijk|gevolg|ook"
)
_ROLE = rf"(?!(?:{_NOT_ROLES})(?![\p{{L}}'’-]))(?-i:[\p{{Ll}}'’-]+)(?:[ \u00a0]+(?-i:[\p{{Ll}}'’-]+))?"

# Cues: (pattern, the language it is in, what it makes of the name, whether a kind of school must
# be named too). Matched in any case. "inscrite à" and "zit in" also precede what is no school
# ("inscrite à la Mutualité chrétienne", "zit in De Kempen"): after them, only a named school.
_JOBS_FR = "|".join(
    [
        *(
            _gendered(w)
            for w in (
                "employé", "ouvrier", "ouvrière", "magasinier", "magasinière", "caissier", "caissière",
                "vendeur", "vendeuse", "serveur", "serveuse", "cuisinier", "cuisinière", "livreur",
                "livreuse", "nettoyeur", "nettoyeuse", "plongeur", "plongeuse", "coiffeur", "coiffeuse",
                "mécanicien", "mécanicienne", "technicien", "technicienne", "apprenti", "engagé",
                "embauché", "intérimaire", "stagiaire", "manutentionnaire", "réceptionniste",
                "chauffeur", "chauffeuse", "boulanger", "boulangère", "magasinier-cariste", "cariste",
                "maçon", "peintre", "électricien", "électricienne", "soudeur", "carreleur", "menuisier",
                "plombier", "couvreur", "manœuvre", "barman", "barmaid", "vigile", "gardien", "gardienne",
                "concierge", "facteur", "factrice", "déménageur", "jardinier", "jardinière",
                "aide-soignant", "ouvrier polyvalent",
            )
        ),
        r"aide[- ]ménagère", r"femme de ménage", r"agente? d['’]entretien", r"agente? de sécurité",
        r"préparat(?:eur|rice) de commandes", r"commis", r"jobiste", r"job étudiant", r"boulot",
        r"contrat", r"CDD", r"CDI", r"intérim", r"mission",
    ]
)  # fmt: skip
_JOBS_NL = (
    "magazijnier|magazijnierster|kassier|kassierster|kassiersters|poetsvrouw|poetshulp|schoonmaker|"
    "schoonmaakster|chauffeur|vrachtwagenchauffeur|verkoper|verkoopster|kok|afwasser|bediende|arbeider|"
    "interimair|uitzendkracht|stagiair|stagiaire|vakkenvuller|leerjongen|werknemer|studentenjob|job|contract|"
    "lasser|metser|schilder|elektricien|loodgieter|dakwerker|bouwvakker|kinderverzorgster|kinderbegeleider|"
    "kinderbegeleidster|zorgkundige|medewerker|medewerkster|keukenhulp|ober|kelner|bakker|slager|"
    "heftruckchauffeur|orderpicker|postbode|koerier|bezorger|pakjesbezorger|bewaker|conciërge|tuinman|"
    "kuisvrouw|poetser|logistiek medewerker|productiemedewerker"
)
_WORKS_FR = r"travaill(?:e|es|ent|ait|aient|é|ée|er)"
_WORKS_NL = r"(?:werkt|werkte|werken|werkten|werkzaam)"
CUES = [
    # French: work.
    (rf"{_WORKS_FR}{_ANY_WORDS}{_S}(?:chez|pour|à|au|aux|dans)", FRENCH, WORK, False),
    (rf"(?:comme|en{_S}tant{_S}que){_S}{_ROLE}{_S}(?:chez|pour|à|au|aux|dans)", FRENCH, WORK, False),
    (rf"(?:{_JOBS_FR}){_ANY_WORDS}{_S}(?:chez|pour|à|au|aux|dans)", FRENCH, WORK, False),
    (rf"{_gendered('employé')}{_S}(?:de|du|des|d['’])", FRENCH, WORK, False),
    (rf"stages?(?-i:(?:{_S}[\p{{Ll}}'’-]+){{0,2}}?){_S}(?:chez|à|au|aux|dans)", FRENCH, WORK, False),
    (rf"(?:licencié|renvoyé|remercié)(?:e|·e|\(e\))?s?{_S}(?:de|du|des|d['’]|par)", FRENCH, WORK, False),
    (rf"(?:son|sa|leur|mon|ma|ancien|ancienne|nouvel|nouveau){_S}(?:employeur|employeuse|patron|patronne)"
     r"[ \u00a0]*,?[ \u00a0]*(?:\([ \u00a0]*)?", FRENCH, WORK, False),
    # French: school.
    (rf"élèves?(?:{_S}(?:de|en){_S}\d{{1,2}}[ \u00a0]?(?:e|è|ème|eme|ère|re))?"
     rf"{_S}(?:à|au|aux|de|du|des|d['’])", FRENCH, SCHOOL, False),
    (rf"en{_S}(?:\d{{1,2}}[ \u00a0]?(?:e|è|ème|eme|ère|ere|re|de)|première|deuxième|troisième|quatrième"
     r"|cinquième|sixième|septième|rhéto|rhétorique|maternelle|primaire|secondaire|accueil)"
     rf"(?:{_S}(?:année|primaire|secondaire|maternelle|technique|professionnelle|générale|humanités"
     rf"|rénové|accueil|qualification|transition|différenciée))*{_S}(?:à|au|aux|dans|chez)",
     FRENCH, SCHOOL, False),
    (rf"(?:{_gendered('inscrit')}|{_gendered('scolarisé')}|{_gendered('étudiant')}){_S}(?:à|au|aux|dans|en)",
     FRENCH, SCHOOL, True),
    # Dutch: work.
    (rf"{_WORKS_NL}{_ANY_WORDS}{_S}(?:bij|voor|in|op|aan)", DUTCH, WORK, False),
    (rf"als{_S}{_ROLE}{_S}(?:bij|voor|in|op)", DUTCH, WORK, False),
    (rf"(?:tewerkgesteld|in{_S}dienst|aan{_S}de{_S}slag|ontslagen){_S}(?:bij|in|door)", DUTCH, WORK, False),
    (rf"(?:{_JOBS_NL}){_ANY_WORDS}{_S}(?:bij|in|voor)", DUTCH, WORK, False),
    (rf"(?:stage|stagiair){_S}(?:bij|in|op)", DUTCH, WORK, False),
    (rf"(?:zijn|haar|hun){_S}(?:werkgever|baas)[ \u00a0]*,?[ \u00a0]*", DUTCH, WORK, False),
    # Dutch: school.
    (rf"(?:zit|zat|zitten|zaten){_GRADE_WORDS}{_S}(?:op|aan)", DUTCH, SCHOOL, False),
    (rf"{_DUTCH_GRADE}{_S}(?:aan|op)", DUTCH, SCHOOL, False),
    (rf"(?:zit|zat|zitten|zaten){_S}in", DUTCH, SCHOOL, True),
    (rf"(?:gaat|ging|gaan|gingen){_S}naar{_S}(?:school{_S}(?:in|op)|de{_S}school)", DUTCH, SCHOOL, False),
    (rf"(?:op|naar){_S}(?:de{_S})?school", DUTCH, SCHOOL, False),
    (rf"(?:leerlinge?n?|studente?|studeert){_S}(?:van|in|op|aan)", DUTCH, SCHOOL, False),
    (rf"ingeschreven{_S}(?:in|op|aan)", DUTCH, SCHOOL, True),
]  # fmt: skip
CUE = regex.compile(
    r"(?<![\p{L}\p{N}])(?:"
    + "|".join(f"(?P<cue{i}>(?i:{cue[0]}))" for i, cue in enumerate(CUES))
    + rf")[ \u00a0]*(?P<article>(?i:{_ARTICLE}))?(?P<kind>(?i:{SCHOOL_KINDS}|{EMPLOYER_KINDS})[ \u00a0]+)?"
    rf"(?P<name>{NAME})"
)
# A kind of school and its name, anywhere: "l'école Saint-Joseph", "la Basisschool Klavertje Vier".
SCHOOL_NAMED = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?P<kind>(?i:{SCHOOL_KINDS}))[ \u00a0]+(?P<name>{NAME})"
)
# One Dutch word that names a school: "Sint-Jozefscollege", "Sint-Lukasschool".
SCHOOL_COMPOUND = regex.compile(
    r"(?<![\p{L}\p{N}'’-])\p{Lu}[\p{L}]*-[\p{L}-]*?(?i:s?(?:school|college|atheneum|lyceum|instituut))"
    r"(?![\p{L}\p{N}])"
)
_DUTCH_SCHOOL_WORDS = ("school", "atheneum", "college", "instituut", "lyceum", "hogeschool", "universiteit")
_ARTICLES_IN_NAMES = {"le", "la", "les", "l'", "de", "het", "'t", "den"}
# Words that name no workplace alone: articles, legal forms ("ASBL"), the kinds of school and their
# qualifiers ("het Atheneum", "het Koninklijk Atheneum" are any school of their kind).
_NAMING_NOTHING = (
    _ARTICLES_IN_NAMES
    | companies.FORM_WORDS
    | companies.GENERIC_SCHOOL_WORDS
    | {fold(word) for kind in SCHOOL_KINDS.split("|") for word in kind.split()}
)


class WorkplaceRecognizer(EntityRecognizer):
    """Employers and schools after a cue of work or school, and schools named by their kind."""

    def __init__(self):
        super().__init__(supported_entities=[WORKPLACE], supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if WORKPLACE not in entities:
            return []
        results = []
        for match in CUE.finditer(text):
            number = next(
                int(key[3:]) for key, value in match.groupdict().items() if key[:3] == "cue" and value
            )
            _pattern, language, cue, needs_kind = CUES[number]
            start = match.start("kind") if match["kind"] else match.start("name")
            if needs_kind and school_kind(text[start : match.end("name")]) is None:
                continue
            found = self._workplace(text, start, match.end("name"), match["kind"], language, cue)
            if found:
                results.append(found)
        for match in SCHOOL_NAMED.finditer(text):
            kind = match["kind"]
            language = DUTCH if any(w in kind.lower() for w in _DUTCH_SCHOOL_WORDS) else FRENCH
            found = self._workplace(text, match.start(), match.end(), kind, language, SCHOOL)
            if found:
                results.append(found)
        for match in SCHOOL_COMPOUND.finditer(text):
            if not _protected(text, match.start(), match.end()):
                results.append(_result(match.start(), match.end(), DUTCH, SCHOOL))
        for candidate in companies.candidates(text):
            found = self._candidate(text, candidate)
            if found:
                results.append(found)
        return results

    def _candidate(self, text: str, candidate: companies.Candidate) -> RecognizerResult | None:
        """A workplace its own words name (companies.py); in the paragraph's language, which the
        finder knows: a company's name or form says none ("Renovbat SRL", "un maatwerkbedrijf")."""
        start, end, name_start = candidate.start, candidate.end, candidate.name_start
        name = text[name_start:end]
        kind = text[start:name_start] if name_start > start else None
        words = name if kind else text[start:end]
        if not _names_something(words, after_kind=not candidate.person_possible):
            return None
        if _protected(text, start, end):
            return None  # a service named on purpose; a hospital is an employer after a cue of work only
        if candidate.person_possible and _is_a_person(name):
            return None
        return _result(start, end, None, candidate.cue)

    def _workplace(self, text, start, end, kind, language, cue) -> RecognizerResult | None:
        """The result for the words start..end (a kind and a name, or a name), or None when they
        name no workplace."""
        words = text[start:end]
        name = words[len(kind) :] if kind else words
        if not _names_something(name, after_kind=bool(kind)):
            return None
        if _protected(text, start, end):
            # A service named on purpose; a hospital only where someone works ("travaille à
            # l'hôpital Érasme"), and not a school: a school's saint is no hospital ("Collège
            # Saint-Pierre").
            is_school = (cue == SCHOOL and not kind) or (
                school_kind(words) is not None and sector(words) != HOSPITAL
            )
            if not is_school and not (cue == WORK and sector(words) == HOSPITAL):
                return None
        if not kind and _is_a_person(name):
            return None  # "travaille chez Madame Dupont", "aide-ménagère chez Pierre", "élève de M. Diallo"
        return _result(start, end, language, cue)


def _protected(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names nothing but kept terms (data/keep/, or the call's own): "l'ASBL
    Modus Vivendi", "Institut Bordet". A kept word inside a longer name does not keep it: "vzw
    Buurtwerk Noordwijk", "MRS Le Grand Chêne", "la maison de repos Les Glycines" are workplaces
    by the name beside the kept word. Searched there only: the whole text's would cost more than
    the rest of the recogniser."""
    piece = text[start:end]
    left = list(piece)
    for s, e in kept.term_spans(piece, tokens_of(piece)):
        left[s:e] = " " * (e - s)
    rest = "".join(left)
    return rest != piece and not _NAME_WORD.search(rest)


_NAME_WORD = regex.compile(r"(?<![\p{L}'’])\p{Lu}[\p{L}'’-]+")


def _result(start: int, end: int, language: str | None, cue: str) -> RecognizerResult:
    return RecognizerResult(
        WORKPLACE, start, end, SCORE, recognition_metadata={"language": language, "school": cue == SCHOOL}
    )


_WORD = regex.compile(r"[\p{L}\p{M}'’-]+|\d+")


def _names_something(name: str, *, after_kind: bool) -> bool:
    """Whether the capitalised words name something other than a place, a country or nothing:
    "Colruyt", "Saint-Joseph" do; "Anderlecht", "Belgique", "Depuis" do not, unless a kind is named
    before them ("Koninklijk Atheneum Etterbeek", "Hogeschool Gent": the school of that commune)."""
    words = [w for w in _WORD.findall(name) if fold(w) not in _NAMING_NOTHING]
    if after_kind:  # "Basisschool 3": a number names one
        return any(w.isdigit() or fold(w) not in FUNCTION_WORDS for w in words)
    meaningful = [w for w in words if not w.isdigit() and fold(w) not in FUNCTION_WORDS]
    if not meaningful:
        return False
    if area_of_place(name.strip()) is not None:
        return False
    return not all(area_of_place(w) is not None or fold(w) in COUNTRIES_AND_REGIONS for w in meaningful)


def _is_a_person(name: str) -> bool:
    first = _WORD.findall(name)[:1]
    if not first:
        return False
    key = fold(first[0]).rstrip(".")
    return key in CIVILITIES or key in PROFESSIONAL_TITLES or is_first_name(first[0])
