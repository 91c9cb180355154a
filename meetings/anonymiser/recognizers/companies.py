"""Workplaces their own words name, without a cue of work: a company with its legal form
("Construct Forest sprl", "NV Van Hool"), a sector noun and a name ("Bouwbedrijf Verstraeten",
"la boulangerie Vandevelde"), a name in apposition to a company or school noun ("un
maatwerkbedrijf, Manufast"), the company a subcontractor works for ("een onderaannemer van DHL"),
a care home or a crèche named ("la maison de repos Les Glycines", "kinderdagverblijf De Pinguïn"),
and school names the kind-first rule misses ("l'école communale n°7", "het Sint-Jan
Berchmanscollege", "het Don Bosco Technisch Instituut").

A named care home is found wherever it stands, like a school: it is where the person works, or
where they live, and either way it tells who they are as an employer does; its replacement says
the kind ("une maison de repos", "een woonzorgcentrum"), as a school's does.

Each rule gives candidates; the recogniser (workplaces.py) drops those that name a protected
service, a person or nothing.
"""

from typing import NamedTuple

import regex

from meetings.anonymiser.recognizers.workplace_names import (
    ARTICLE,
    CAPITALISED,
    NAME,
    OPENING_QUOTE,
    S,
    alternatives,
)

WORK, SCHOOL = "work", "school"


class Candidate(NamedTuple):
    start: int
    end: int
    name_start: int  # after the kind or form before the name ("NV ", "Bouwbedrijf "): start if none
    cue: str = WORK
    person_possible: bool = False  # a name alone, which may be a person's ("une école, Ahmed …")


# Legal forms. Those that are no word of French or Dutch in any case; the others ("SA": "sa mère",
# "BV": "bv." for "bijvoorbeeld", "CV") only as written by companies, in capitals.
_FORMS_ANY_CASE = r"(?i:sprl|srl|scrl|scri|scs|snc|bvba|cvba|gmbh|comm\.[ ]?v\.?|scomm)"
_FORMS_CAPITALS = r"SA|S\.A\.|SNC|NV|N\.V\.|BV|B\.V\.|CV|VOF|Ltd|LTD|SComm"
FORMS = rf"(?:{_FORMS_ANY_CASE}|{_FORMS_CAPITALS})"
# Before a name: the Dutch forms ("NV Van Hool", "BVBA Peeters") and "SPRL Dupont".
_FORMS_BEFORE = r"(?:(?i:bvba|cvba|sprl|srl|comm\.[ ]?v\.?)|NV|BV|VOF|SA)"
LEGAL_FORM = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{FORMS})(?![\p{{L}}\p{{N}}])")
_NAME_BEFORE_FORM = regex.compile(rf"(?P<name>{NAME})[ \u00a0]*,?[ \u00a0]*$")
_NAME_AFTER_FORM = regex.compile(rf"{S}{OPENING_QUOTE}(?P<name>{NAME})")
_FORM_BEFORE = regex.compile(rf"(?:{_FORMS_BEFORE})$")
# Associations are care services as often as employers: only after a cue of work (workplaces.py).
ASSOCIATION_FORMS = {"asbl", "vzw", "aisbl", "ivzw"}
FORM_WORDS = {"sprl", "srl", "scrl", "scri", "scs", "snc", "bvba", "cvba", "gmbh", "scomm", "sa", "nv",
              "bv", "cv", "vof", "ltd", "comm.v", "comm", "v"} | ASSOCIATION_FORMS  # fmt: skip
# Words at a sentence's start that are no part of the name before a form: "Hier Renovbat SRL".
_LEADING = regex.compile(r"^(?:(?:Le|La|Les|L['’]|De|Het|Een|Un|Une|Chez|Bij|Voor|Hier|Gisteren)[ \u00a0]+)+")


def legal_forms(text: str) -> list[Candidate]:
    candidates = []
    for form in LEGAL_FORM.finditer(text):
        after = _NAME_AFTER_FORM.match(text, form.end()) if _FORM_BEFORE.match(form.group()) else None
        if after:
            candidates.append(Candidate(form.start(), after.end("name"), after.start("name")))
            continue
        window_start = max(0, form.start() - 80)
        before = _NAME_BEFORE_FORM.search(text, window_start, form.start())
        if before is None:
            continue
        start = before.start("name")
        leading = _LEADING.match(text, start, form.start())
        if leading:
            start = leading.end()
        if start < form.start():
            candidates.append(Candidate(start, form.end(), start))
    return candidates


# A sector noun and a name: Dutch compounds ("Bouwbedrijf", "schoonmaakbedrijf"), and the nouns of
# shops and firms ("la boulangerie Vandevelde", "Garage Dewitte"). Groups that are care ("praatgroep
# Vrouwen Samen", "leefgroep De Brug") are no employer.
_SECTOR_NOUNS_FR = alternatives(
    """entreprise, société, firme, garage, boulangerie, boucherie, pâtisserie, restaurant, brasserie,
    friterie, taverne, imprimerie, menuiserie, carrosserie, quincaillerie, épicerie"""
)
_COMPOUND_ENDINGS = "bedrijven|bedrijf|firma|groep|fabriek|winkel|bakkerij|garage|slagerij|drukkerij"
# The noun's end first, then its word back to its start: cheaper than trying "\p{L}*bedrijf" at
# every word of the text.
_SECTOR_END = regex.compile(rf"(?i:{_SECTOR_NOUNS_FR}|{_COMPOUND_ENDINGS})(?=[ \u00a0])")
_FRENCH_NOUN = regex.compile(rf"(?i:{_SECTOR_NOUNS_FR})")
_COMPOUND = regex.compile(rf"(?i:\p{{L}}*(?:{_COMPOUND_ENDINGS}))")
_NAME_AFTER_KIND = regex.compile(rf"{S}{OPENING_QUOTE}(?P<name>{NAME})")
_CARE_GROUPS = regex.compile(
    r"(?i)^(?:leef|praat|steun|zelfhulp|lotgenoten|doel|speel|gespreks|therapie|contact|ouder|jongeren"
    r"|werk|vrouwen|mannen|buurt|leeftijds|risico|beroeps|bevolkings)groep$"
)


def sector_nouns(text: str) -> list[Candidate]:
    candidates = []
    for end in _SECTOR_END.finditer(text):
        start = end.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] == "-"):
            continue
        kind = text[start : end.end()]
        if not (_FRENCH_NOUN.fullmatch(kind) or _COMPOUND.fullmatch(kind)) or _CARE_GROUPS.match(kind):
            continue
        name = _NAME_AFTER_KIND.match(text, end.end())
        if name:
            candidates.append(Candidate(start, name.end("name"), name.start("name")))
    return candidates


# A name in apposition to a company or school noun: "une entreprise de titres-services, Aide & Co",
# "een maatwerkbedrijf, Manufast in Anderlecht", "une maison de repos, Les Jardins du Parc".
_APPOSITION_NOUNS = alternatives(
    """entreprise, société, firme, usine, agence, atelier, magasin, supermarché, restaurant, hôtel,
    maison de repos, crèche, école, athénée, institut, bedrijf, firma, fabriek, winkel, supermarkt,
    uitzendkantoor, woonzorgcentrum, rusthuis, kinderdagverblijf, school, atheneum, instituut"""
)
APPOSITION = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?i:un|une|een)[ \u00a0]+(?i:\p{{L}}*bedrijf|{_APPOSITION_NOUNS})"
    rf"(?-i:(?:{S}[\p{{Ll}}'’-]+){{0,4}}?)[ \u00a0]*,[ \u00a0]*{OPENING_QUOTE}(?P<article>(?i:{ARTICLE}))?"
    rf"(?P<name>{NAME})"
)
# The company a subcontractor, a subsidiary or a franchise works for: "een onderaannemer van DHL".
_DEPENDENT_NOUNS = alternatives(
    """onderaannemer, onderaannemers, sous-traitant, sous-traitants, sous-traitante, filiale, filialen,
    dochterbedrijf, dochteronderneming, franchise, franchisé, franchisée, franchisenemer"""
)
DEPENDENT = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?i:{_DEPENDENT_NOUNS}){S}(?i:van{S}|de{S}|du{S}|des{S}|d['’])"
    rf"(?P<article>(?i:{ARTICLE}))?(?P<name>{NAME})"
)


def appositions(text: str) -> list[Candidate]:
    candidates = []
    for pattern in (APPOSITION, DEPENDENT):
        for m in pattern.finditer(text):
            start = m.start("article") if m["article"] else m.start("name")
            candidates.append(Candidate(start, m.end("name"), m.start("name"), person_possible=True))
    return candidates


# Care homes and crèches, named: "la maison de repos Les Glycines", "MRS Le Grand Chêne",
# "woonzorgcentrum Ter Linde", "kinderdagverblijf De Pinguïn".
CARE_HOME_KINDS = alternatives(
    """maison de repos et de soins, maison de repos, résidence-services, home, crèche, woonzorgcentrum,
    rusthuis, rust- en verzorgingstehuis, kinderdagverblijf, kribbe"""
)
CARE_HOME = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?P<kind>(?i:{CARE_HOME_KINDS})|MR[ \u00a0]?/[ \u00a0]?MRS|MR-MRS|MRS|MR)"
    rf"{S}{OPENING_QUOTE}(?P<name>{NAME})"
)


def care_homes(text: str) -> list[Candidate]:
    return [Candidate(m.start(), m.end(), m.start("name")) for m in CARE_HOME.finditer(text)]


# Schools named by a number after their kind: "l'école communale n°12", "Basisschool 7"; a bare
# number only when no unit follows it ("à l'école 3 jours par semaine").
_SCHOOLS_WITH_NUMBERS = alternatives(
    """école fondamentale, école primaire, école maternelle, école communale, école, athénée royal,
    athénée, lycée, institut, basisschool, gemeentelijke basisschool, gemeenteschool, school,
    lagere school, kleuterschool, atheneum"""
)
_UNITS = r"jours?|fois|semaines?|mois|ans?|heures?|h|dagen|dag|keer|weken|week|maanden|jaar|uur|x"
SCHOOL_NUMBER = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?i:{_SCHOOLS_WITH_NUMBERS}){S}"
    rf"(?P<number>(?i:n[°o]\.?|nr\.?|numéro|nummer)[ \u00a0]?\d{{1,3}}"
    rf"|\d{{1,3}}(?!{S}(?i:{_UNITS})(?!\p{{L}})))"
    r"(?![\p{L}\p{N}])"
)
# Dutch school names whose last word is a compound of the kind, or is the kind, after other
# capitalised words: "Sint-Jan Berchmanscollege", "Don Bosco Technisch Instituut", "Maria
# Boodschaplyceum". Generic words alone before it ("Koninklijk Atheneum") name no school.
SCHOOL_LAST_WORD = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}-])(?P<words>(?:{CAPITALISED}[ \u00a0]+){{1,4}})"
    r"(?P<last>\p{Lu}[\p{L}-]*?(?i:school|college|atheneum|lyceum|instituut|humaniora))(?![\p{L}\p{N}])"
)
GENERIC_SCHOOL_WORDS = {
    "koninklijk", "technisch", "technische", "gemeentelijk", "gemeentelijke", "stedelijk", "stedelijke",
    "vrij", "vrije", "katholiek", "katholieke", "secundair", "secundaire", "middelbare", "lagere",
    "buitengewoon", "buitengewone", "de", "het", "een", "basis", "hoge", "nederlandstalige",
    "franstalige", "officieel", "officiële",
}  # fmt: skip
_SCHOOL_LEADING = regex.compile(r"^(?:(?:De|Het|Een|Op|In|Naar|Aan)[ \u00a0]+)+")


def school_names(text: str) -> list[Candidate]:
    candidates = [
        Candidate(m.start(), m.end(), m.start("number"), cue=SCHOOL) for m in SCHOOL_NUMBER.finditer(text)
    ]
    for m in SCHOOL_LAST_WORD.finditer(text):
        start = m.start()
        leading = _SCHOOL_LEADING.match(text, start, m.start("last"))
        if leading:
            start = leading.end()
        words = text[start : m.start("last")].split()
        if words and not all(w.lower() in GENERIC_SCHOOL_WORDS for w in words):
            candidates.append(Candidate(start, m.end(), start, cue=SCHOOL))
    return candidates


def candidates(text: str) -> list[Candidate]:
    return legal_forms(text) + sector_nouns(text) + appositions(text) + care_homes(text) + school_names(text)
