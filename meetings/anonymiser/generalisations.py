"""What an employer, a school or a workplace becomes: its kind, or its sector, never its name.

    workplace_replacement("athénée Fernand Blum")            → "une école secondaire"
    workplace_replacement("Colruyt", "nl")                   → "een supermarktketen"
    workplace_replacement("Saint-Joseph", school=True)       → "une école"
    workplace_replacement("Garage Dubois")                   → "une entreprise"

A school is told by the kind of school its name says (athénée, basisschool, hogeschool…); an
employer by its sector when the table below knows its name or a word of it; anything else is "une
entreprise" / "een bedrijf". The phrases are indefinite ("une …", "een …"): the finder fits them to
the words before them ("au Collège Saint-Pierre" → "dans une école secondaire").

Like the other replacements, the phrases are the text's own language, not the interface's: they go
into the author's sentence in place of the words they replace.
"""

import regex

from meetings.anonymiser.languages import DUTCH, FRENCH
from meetings.anonymiser.replacements import fold

# Schools, by the words of their name, the most specific first: "Haute École Galilée" is higher
# education before it is an "école", "Institut Saint-Joseph" secondary, "École 7" just a school.
HIGHER, SECONDARY, PRIMARY, NURSERY, SCHOOL = "higher", "secondary", "primary", "nursery", "school"
SCHOOL_KINDS = (
    (HIGHER, ("haute école", "haute-école", "hogeschool", "université", "universiteit", "universitaire")),
    (
        SECONDARY,
        (
            "athénée", "athenee", "atheneum", "lycée", "lyceum", "collège", "college", "institut",
            "instituut", "école secondaire", "secundaire school", "middelbare school", "humanités",
        ),
    ),
    (
        PRIMARY,
        (
            "école fondamentale", "école primaire", "école communale", "basisschool", "lagere school",
            "gemeenteschool", "gemeentelijke school",
        ),
    ),
    (NURSERY, ("école maternelle", "kleuterschool")),
    (SCHOOL, ("école", "school")),
)  # fmt: skip
SCHOOL_PHRASES = {
    HIGHER: ("un établissement d'enseignement supérieur", "een instelling voor hoger onderwijs"),
    SECONDARY: ("une école secondaire", "een secundaire school"),
    PRIMARY: ("une école primaire", "een basisschool"),
    NURSERY: ("une école maternelle", "een kleuterschool"),
    SCHOOL: ("une école", "een school"),
}

# Employers, by sector: a name, or a word the name starts with ("Schoonmaakbedrijf Janssens"
# starts with "schoonmaak"); a trailing * marks a word's beginning ("restaurant*": "Restaurants").
# Names are compared without case and accents. To add an employer, add its name to its sector's
# line; a new sector needs its French and Dutch phrases in SECTOR_PHRASES.
SUPERMARKETS, CLEANING, LOGISTICS, CONSTRUCTION, HORECA, INTERIM, SHOP, HOSPITAL = (
    "supermarkets", "cleaning", "logistics", "construction", "horeca", "interim", "shop", "hospital",
)  # fmt: skip
# Care homes and crèches first: "maison de repos Les Jardins", "kinderdagverblijf De Pinguïn" say
# their kind before any other word of their name (a crèche "Les Petits Boulangers" is no shop).
CARE_HOME, CRECHE = "care home", "crèche"
SECTORS = {
    CARE_HOME: """maison de repos, maison de repos et de soins, MRS, MR/MRS, MR-MRS, home, résidence-services,
        woonzorgcentrum, woonzorgcentra, wzc, rusthuis, rust- en verzorgingstehuis""",
    CRECHE: """crèche, crèches, kinderdagverblijf, kinderdagverblijven, kribbe, kinderopvang""",
    SUPERMARKETS: """Colruyt, Delhaize, Louis Delhaize, AD Delhaize, Aldi, Lidl, Carrefour, Intermarché,
        Match, Cora, Okay, Spar, Proxy Delhaize, Albert Heijn, Jumbo, Makro, Bio-Planet, supermarché*,
        supermarkt*, hypermarché*""",
    CLEANING: """ISS, ISS Facility Services, Atalian, Vebego, Samsic, Onet, nettoyage, titres-services,
        titre-service, dienstencheque*, poetsbedrijf, poetsdienst, schoonmaak*""",
    LOGISTICS: """Brussels Airport, aéroport, airport, luchthaven, bpost, DHL, UPS, FedEx, TNT, GLS, DPD,
        Amazon, Swissport, Aviapartner, WFS, logisti*, transport*, entrepôt, magazijn""",
    CONSTRUCTION: """construct*, bâtiment, bouw, bouwbedrijf, bouwfirma, BESIX, Jan De Nul,
        Willemen, rénovation*, renovatie*""",
    HORECA: """restaurant*, brasserie, café, snack, friterie, frituur, taverne, hôtel, hotel, McDonald's,
        Quick, Burger King, KFC, Exki, Pain Quotidien, Le Pain Quotidien, horeca""",
    INTERIM: """Randstad, Adecco, Start People, Tempo-Team, Manpower, Trace, intérim*, interim*, uitzend*""",
    SHOP: """magasin, winkel, boulangerie, bakkerij, boucherie, slagerij, Action, Zeeman, Primark, Kruidvat,
        Hema, Inno, Fnac, Decathlon, IKEA, Brico, Gamma, Hubo""",
    HOSPITAL: """hôpital, hôpitaux, clinique, cliniques, ziekenhuis, AZ, UZ, CHU, CHR, CHS, CHIREC, HUDERF,
        Brugmann, Érasme, Bordet, Titeca, Sanatia, Fond'Roy, Epsylon, Bracops, Molière, Saint-Luc, Delta,
        Jolimont, ISPPC, Iris Sud""",
}
SECTOR_PHRASES = {
    CARE_HOME: ("une maison de repos", "een woonzorgcentrum"),
    CRECHE: ("une crèche", "een kinderdagverblijf"),
    SUPERMARKETS: ("une chaîne de supermarchés", "een supermarktketen"),
    CLEANING: ("une entreprise de nettoyage", "een schoonmaakbedrijf"),
    LOGISTICS: ("une entreprise de logistique", "een logistiek bedrijf"),
    CONSTRUCTION: ("une entreprise de construction", "een bouwbedrijf"),
    HORECA: ("un établissement horeca", "een horecazaak"),
    INTERIM: ("une agence d'intérim", "een uitzendkantoor"),
    SHOP: ("un commerce", "een winkel"),
    HOSPITAL: ("un hôpital", "een ziekenhuis"),
}
ANY_EMPLOYER = ("une entreprise", "een bedrijf")


def _patterns(names: str) -> regex.Pattern:
    """One pattern for a sector's names, matched on a folded name, each as whole words."""
    alternatives = []
    for name in (n.strip() for n in names.split(",")):
        if name.endswith("*"):
            alternatives.append(regex.escape(fold(name[:-1])) + r"[\p{L}-]*")
        else:
            alternatives.append(regex.escape(fold(name)))
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{N}])")


SECTOR_PATTERNS = {sector: _patterns(names) for sector, names in SECTORS.items()}
SCHOOL_PATTERNS = [
    (kind, regex.compile(r"(?<![\p{L}])(?:" + "|".join(regex.escape(fold(w)) for w in words) + r")"))
    for kind, words in SCHOOL_KINDS
]
# Dutch school names are compounds: "Sint-Jozefscollege", "Sint-Lukasschool".
_SCHOOL_COMPOUND_ENDINGS = (("college", SECONDARY), ("atheneum", SECONDARY), ("lyceum", SECONDARY),
                            ("instituut", SECONDARY), ("school", SCHOOL))  # fmt: skip


def school_kind(name: str) -> str | None:
    """The kind of school a name says it is, or None when it does not name a school."""
    folded = fold(name)
    for kind, pattern in SCHOOL_PATTERNS:
        if pattern.search(folded):
            return kind
    for word in folded.split():
        for ending, kind in _SCHOOL_COMPOUND_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                return kind
    return None


def sector(name: str) -> str | None:
    """The sector of an employer the table knows by its name or a word of it, or None."""
    folded = fold(name)
    for sector_name, pattern in SECTOR_PATTERNS.items():
        if pattern.search(folded):
            return sector_name
    return None


_MR = regex.compile(r"MR[ /-]")  # in capitals: "Mr Bricolage" is a shop


def workplace_replacement(name: str, language: str = FRENCH, *, school: bool = False) -> str:
    """The kind of school or the sector of the employer a name says, indefinite, in the text's
    language (French unless "nl"). school: the words around the name say it is a school ("élève à
    Saint-Joseph") even if its name does not."""
    index = 1 if language == DUTCH else 0
    sector_name = sector(name)
    if sector_name is None and _MR.match(name):
        sector_name = CARE_HOME  # "MR Les Tilleuls"
    if sector_name in (CARE_HOME, CRECHE):
        return SECTOR_PHRASES[sector_name][index]
    # A hospital first: "Institut Bordet", "Hôpital universitaire des enfants" are no schools.
    if sector_name == HOSPITAL:
        return SECTOR_PHRASES[HOSPITAL][index]
    kind = school_kind(name)
    if kind is not None:
        return SCHOOL_PHRASES[kind][index]
    if sector_name is not None:
        return SECTOR_PHRASES[sector_name][index]
    if school:
        return SCHOOL_PHRASES[SCHOOL][index]
    return ANY_EMPLOYER[index]
