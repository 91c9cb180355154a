"""What the anonymiser proposes in place of what it finds.

Persons become pseudonyms that stay consistent within one text ("Madame A.", "Monsieur B.", "la
personne C."); addresses and places become a part of Brussels or a region; a date of birth becomes
an age bracket and any other date a season. The tables it needs (Belgian communes and postcodes,
first names with their usual gender, civility titles) are also what the recognisers read.

The replacements are written in the language of the paragraph they go into, French or Dutch
(languages.py), whatever the interface language: they replace words of that sentence. A paragraph
in neither language gets the French ones.
"""

import functools
import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from meetings.anonymiser.entities import (
    COMPANY_NUMBER,
    EMAIL,
    FILE_NUMBER,
    IBAN,
    IDENTITY_CARD,
    INAMI,
    LICENCE_PLATE,
    NISS,
    PASSPORT,
    PHONE,
)
from meetings.anonymiser.languages import DUTCH, FRENCH

FEMININE = "f"
MASCULINE = "m"


@functools.lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """Lower case without accents, for comparing names typed carelessly ("ÖZTÜRK", "ozturk"), with
    one apostrophe ("d’Ahmed", "d'Ahmed"). Cached: the recognisers fold every word they read; the
    anonymiser empties the cache after each text (recognizers.forget_texts)."""
    decomposed = unicodedata.normalize("NFKD", word or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'")


# Places. Brussels communes are told apart by the part of the city they are in; so are the
# communes around it, which Brussels people name by their direction too. Elsewhere the region is
# vague enough.

BRUSSELS_CENTRE = "brussels-centre"
BRUSSELS_NORTH = "brussels-north"
BRUSSELS_NORTH_EAST = "brussels-north-east"
BRUSSELS_NORTH_WEST = "brussels-north-west"
BRUSSELS_WEST = "brussels-west"
BRUSSELS_SOUTH = "brussels-south"
BRUSSELS_SOUTH_EAST = "brussels-south-east"
BRUSSELS_EAST = "brussels-east"
WALLONIA = "wallonia"
FLANDERS = "flanders"


def area_phrase(area: str, language: str = FRENCH) -> str:
    if language == DUTCH:
        return _DUTCH_AREA_PHRASES[area]
    return {
        BRUSSELS_CENTRE: "une commune du centre de Bruxelles",
        BRUSSELS_NORTH: "une commune du nord de Bruxelles",
        BRUSSELS_NORTH_EAST: "une commune du nord-est de Bruxelles",
        BRUSSELS_NORTH_WEST: "une commune du nord-ouest de Bruxelles",
        BRUSSELS_WEST: "une commune de l'ouest de Bruxelles",
        BRUSSELS_SOUTH: "une commune du sud de Bruxelles",
        BRUSSELS_SOUTH_EAST: "une commune du sud-est de Bruxelles",
        BRUSSELS_EAST: "une commune de l'est de Bruxelles",
        WALLONIA: "une commune de Wallonie",
        FLANDERS: "une commune de Flandre",
    }[area]


_DUTCH_AREA_PHRASES = {
    BRUSSELS_CENTRE: "een gemeente in het centrum van Brussel",
    BRUSSELS_NORTH: "een gemeente in het noorden van Brussel",
    BRUSSELS_NORTH_EAST: "een gemeente in het noordoosten van Brussel",
    BRUSSELS_NORTH_WEST: "een gemeente in het noordwesten van Brussel",
    BRUSSELS_WEST: "een gemeente in het westen van Brussel",
    BRUSSELS_SOUTH: "een gemeente in het zuiden van Brussel",
    BRUSSELS_SOUTH_EAST: "een gemeente in het zuidoosten van Brussel",
    BRUSSELS_EAST: "een gemeente in het oosten van Brussel",
    WALLONIA: "een gemeente in Wallonië",
    FLANDERS: "een gemeente in Vlaanderen",
}


# Each line: an area, then its communes and their sections (French and Dutch names). The districts
# of Brussels (Marolles, Matonge, Cureghem…) are not here: named alone they are too wide to tell
# who, and stay (data/keep/districts.txt).
_PLACES_BY_AREA = f"""
{BRUSSELS_CENTRE}: Bruxelles-Ville, Ville de Bruxelles, Brussel-Stad, Saint-Josse-ten-Noode, Saint-Josse,
    Sint-Joost-ten-Node, Sint-Joost, Saint-Gilles, Sint-Gillis
{BRUSSELS_NORTH}: Schaerbeek, Schaarbeek, Laeken, Laken, Neder-Over-Heembeek, Haren, Vilvorde, Vilvoorde,
    Machelen, Grimbergen, Diegem
{BRUSSELS_NORTH_EAST}: Evere
{BRUSSELS_NORTH_WEST}: Jette, Ganshoren, Koekelberg, Berchem-Sainte-Agathe, Sint-Agatha-Berchem,
    Molenbeek-Saint-Jean, Sint-Jans-Molenbeek, Molenbeek, Wemmel, Asse
{BRUSSELS_WEST}: Anderlecht, Dilbeek, Sint-Pieters-Leeuw, Zellik
{BRUSSELS_SOUTH}: Uccle, Ukkel, Forest, Vorst, Watermael-Boitsfort, Watermaal-Bosvoorde, Boitsfort,
    Drogenbos, Linkebeek, Rhode-Saint-Genèse, Sint-Genesius-Rode, Beersel
{BRUSSELS_SOUTH_EAST}: Ixelles, Elsene, Auderghem, Oudergem, Overijse, Hoeilaart
{BRUSSELS_EAST}: Etterbeek, Woluwe-Saint-Lambert, Sint-Lambrechts-Woluwe, Woluwe-Saint-Pierre,
    Sint-Pieters-Woluwe, Woluwe, Kraainem, Wezembeek-Oppem, Zaventem, Tervuren
{WALLONIA}: Charleroi, Marcinelle, Marchienne-au-Pont, Jumet, Gilly, Montignies-sur-Sambre, Couillet,
    Gosselies, Mont-sur-Marchienne, Châtelet, Fleurus, Courcelles, Farciennes, Fontaine-l'Évêque,
    Liège, Luik, Seraing, Herstal, Ans, Flémalle, Saint-Nicolas, Chaudfontaine, Droixhe, Grivegnée,
    Jupille, Angleur, Verviers, Eupen, Malmedy, Spa, Huy, Hoei, Waremme, Hannut, Namur, Namen, Jambes,
    Salzinnes, Andenne, Gembloux, Sambreville, Dinant, Ciney, Philippeville, Couvin, Mons, Bergen,
    La Louvière, Tournai, Doornik, Mouscron, Moeskroen, Ath, Soignies, Binche, Frameries, Quaregnon,
    Boussu, Saint-Ghislain, Péruwelz, Lessines, Enghien, Manage, Morlanwelz, Chimay, Thuin,
    Braine-le-Comte, Wavre, Waver, Nivelles, Nijvel, Ottignies-Louvain-la-Neuve, Ottignies,
    Louvain-la-Neuve, Braine-l'Alleud, Waterloo, Tubize, Rixensart, Genval, Jodoigne, La Hulpe,
    Court-Saint-Étienne, Rebecq, Arlon, Aarlen, Bastogne, Marche-en-Famenne, Libramont, Virton
{FLANDERS}: Anvers, Antwerpen, Gand, Gent, Bruges, Brugge, Louvain, Leuven, Malines, Mechelen, Hasselt,
    Genk, Ostende, Oostende, Courtrai, Kortrijk, Alost, Aalst, Termonde, Dendermonde, Hal, Halle,
    Ninove, Saint-Nicolas-Waes, Sint-Niklaas, Turnhout, Lierre, Lier, Roulers, Roeselare, Ypres, Ieper
"""


def _places_by_area() -> dict[str, str]:
    places = {}
    for line in " ".join(_PLACES_BY_AREA.split("\n    ")).strip().splitlines():
        area, names = line.split(":", 1)
        for name in names.split(","):
            places[name.strip()] = area.strip()
    return places


PLACE_NAMES = list(_places_by_area())  # as written, for the recogniser
PLACE_AREAS = {fold(name): area for name, area in _places_by_area().items()}
# "Bruxelles" names the whole city (or the region) in most sentences: it says too little to be
# removed, but after a postcode in an address it is the commune of the City of Brussels.
CITY_OF_BRUSSELS = {"bruxelles", "brussel", "brussels"}

# Postcodes of the Brussels communes and of the communes around them; the others tell the region.
_BRUSSELS_POSTCODES = {
    BRUSSELS_CENTRE: (1000, 1060, 1210),
    BRUSSELS_NORTH: (1020, 1030, 1120, 1130, 1800, 1830, 1831, 1850, 1851, 1852, 1853),
    BRUSSELS_NORTH_EAST: (1140,),
    BRUSSELS_NORTH_WEST: (1080, 1081, 1082, 1083, 1090, 1730, 1731, 1780),
    BRUSSELS_WEST: (1070, 1600, 1700, 1701, 1702),
    BRUSSELS_SOUTH: (1170, 1180, 1190, 1620, 1630, 1640, 1650, 1651, 1652, 1653, 1654),
    BRUSSELS_SOUTH_EAST: (1050, 1160, 1560, 3090),
    BRUSSELS_EAST: (1040, 1150, 1200, 1930, 1932, 1933, 1950, 1970, 3080),
}
POSTCODE_AREAS = {code: area for area, codes in _BRUSSELS_POSTCODES.items() for code in codes}


def area_of_postcode(postcode: int) -> str | None:
    if postcode in POSTCODE_AREAS:
        return POSTCODE_AREAS[postcode]
    if 1300 <= postcode <= 1499 or 4000 <= postcode <= 7999:
        return WALLONIA
    if 1500 <= postcode <= 3999 or 8000 <= postcode <= 9999:
        return FLANDERS
    return None


def area_of_place(name: str) -> str | None:
    folded = fold(name)
    if folded in CITY_OF_BRUSSELS:
        return BRUSSELS_CENTRE
    # "Charleroi-Sud", "Namur-Ville": the station or district of a commune.
    for suffix in ("-sud", "-nord", "-ouest", "-est", "-ville", "-centre"):
        if folded.endswith(suffix) and folded.removesuffix(suffix) in PLACE_AREAS:
            return PLACE_AREAS[folded.removesuffix(suffix)]
    return PLACE_AREAS.get(folded)


# How a generalisation fits the words before the place, which stay: "Anderlecht a …" and
# "Adresse : …" (bare), "domiciliée rue …" ("dans une commune …"), "le CPAS d'Anderlecht" (bare
# again: "d'une commune …"), "vit à Anderlecht" (in brackets: "à [une commune …]", the preposition
# being the author's).
BARE, LOCATIVE, AFTER_ELISION, BRACKETED = "bare", "locative", "elision", "bracketed"


def place_replacement(name: str, form: str = BARE, language: str = FRENCH) -> str:
    area = area_of_place(name)
    if area is None:
        return "[plaats]" if language == DUTCH else "[lieu]"
    return _with_form(area_phrase(area, language), form, language)


def address_replacement(
    postcode: int | None, commune: str | None, form: str = LOCATIVE, language: str = FRENCH
) -> str:
    area = area_of_postcode(postcode) if postcode else None
    if area is None and commune:
        area = area_of_place(commune)
    if area is None:
        if language == DUTCH:
            return _with_form("een adres in Brussel", form, language)
        return _with_form("une adresse à Bruxelles", form, language, locative="à une adresse à Bruxelles")
    return _with_form(area_phrase(area, language), form, language)


def _with_form(phrase: str, form: str, language: str = FRENCH, locative: str | None = None) -> str:
    if language == DUTCH:
        # Dutch needs no brackets: "in een gemeente …" reads after "in", "uit", "van" alike.
        return f"in {phrase}" if form == LOCATIVE else phrase
    if form == LOCATIVE:
        return locative or f"dans {phrase}"
    if form == BRACKETED:
        return f"[{phrase}]"
    return phrase


# Dates.


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_bracket(age: int, *, after_de: bool = False) -> str:
    """ "une trentaine d'années" for 30 to 39 (after "âgée de": "d'une trentaine d'années")."""
    if age < 18:
        return "de moins de 18 ans" if after_de else "moins de 18 ans"
    if age < 20:
        return "de 18 ou 19 ans" if after_de else "18 ou 19 ans"
    if age >= 80:
        return "de plus de 80 ans" if after_de else "plus de 80 ans"
    decade = {
        20: ("une vingtaine d'années", "d'une vingtaine d'années"),
        30: ("une trentaine d'années", "d'une trentaine d'années"),
        40: ("une quarantaine d'années", "d'une quarantaine d'années"),
        50: ("une cinquantaine d'années", "d'une cinquantaine d'années"),
        60: ("une soixantaine d'années", "d'une soixantaine d'années"),
        70: ("une septantaine d'années", "d'une septantaine d'années"),
    }[age // 10 * 10]
    return decade[1] if after_de else decade[0]


def dutch_age_bracket(age: int) -> str:
    """ "een dertiger" for 30 to 39."""
    if age < 18:
        return "minderjarig"
    if age < 20:
        return "18 of 19 jaar oud"
    if age >= 80:
        return "ouder dan 80"
    return {
        20: "een twintiger",
        30: "een dertiger",
        40: "een veertiger",
        50: "een vijftiger",
        60: "een zestiger",
        70: "een zeventiger",
    }[age // 10 * 10]


def birth_date_replacement(
    birth: date | None, *, today: date, aged_as: str | None = None, language: str = FRENCH
) -> str:
    """An age bracket on today instead of a date of birth.

    aged_as is the participle the date followed ("née le …" → "âgée"): it then replaces the whole
    "née le 14/03/1987" with "âgée d'une trentaine d'années". In Dutch, "geboren op 4 februari
    1979" becomes "een veertiger" (aged_as "geboren")."""
    if birth is None or birth > today:
        return "[geboortedatum]" if language == DUTCH else "[date de naissance]"
    age = age_on(birth, today)
    if language == DUTCH:
        return dutch_age_bracket(age) if aged_as == "geboren" else f"[leeftijd: {dutch_age_bracket(age)}]"
    if aged_as == FEMININE:
        return f"âgée {age_bracket(age, after_de=True)}"
    if aged_as == MASCULINE:
        return f"âgé {age_bracket(age, after_de=True)}"
    if aged_as == "plural":
        return f"âgés {age_bracket(age, after_de=True)}"
    return f"[âge : {age_bracket(age)}]"


def _season(day: date) -> str:
    return {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring"}.get(
        day.month, "summer" if day.month <= 8 else "autumn"
    )


# How the date was introduced: "le 3 mars" (its own complement), "depuis le 3 mars" (after a
# preposition), "du 3 mars", "(jusqu')au 3 mars", or nothing.
AS_COMPLEMENT, AFTER_PREPOSITION, AFTER_DU, AFTER_AU, ALONE = "complement", "preposition", "du", "au", "alone"


# Each season as it reads after each way of introducing a date, in the order of INTRODUCED; the
# year follows. Alone, the season and year stand in brackets: "[hiver 2024]".
INTRODUCED = (AS_COMPLEMENT, AFTER_PREPOSITION, AFTER_AU, AFTER_DU, ALONE)
SEASON_PHRASES = {
    "spring": ("au printemps", "le printemps", "au printemps", "du printemps", "printemps"),
    "summer": ("en été", "l'été", "à l'été", "de l'été", "été"),
    "autumn": ("en automne", "l'automne", "à l'automne", "de l'automne", "automne"),
    "winter": ("en hiver", "l'hiver", "à l'hiver", "de l'hiver", "hiver"),
}


# Dutch: "op 3 maart 2024" → "in de lente van 2024" (complement), "sinds 3 maart 2024" → "sinds
# de lente van 2024" (after a preposition), or alone "[lente 2024]".
DUTCH_SEASONS = {"spring": "lente", "summer": "zomer", "autumn": "herfst", "winter": "winter"}


def date_replacement(day: date | None, introduced: str = ALONE, language: str = FRENCH) -> str:
    """The season and the year: "le 3 mars 2024" → "au printemps 2024"."""
    if day is None:
        return "[datum]" if language == DUTCH else "[date]"
    if language == DUTCH:
        season = DUTCH_SEASONS[_season(day)]
        if introduced == AS_COMPLEMENT:
            return f"in de {season} van {day.year}"
        if introduced == AFTER_PREPOSITION:
            return f"de {season} van {day.year}"
        return f"[{season} {day.year}]"
    phrase = f"{SEASON_PHRASES[_season(day)][INTRODUCED.index(introduced)]} {day.year}"
    return f"[{phrase}]" if introduced == ALONE else phrase


# What replaces an identifier, in the language of the text around it. When the word before the
# number names the same thing ("nummerplaat 1-HKP-371"), the finder replaces it with the number,
# so each text reads on its own: "[nummerplaat verwijderd]".
PLACEHOLDERS = {
    "fr": {
        PHONE: "[téléphone retiré]",
        EMAIL: "[e-mail retiré]",
        NISS: "[numéro national retiré]",
        IBAN: "[compte bancaire retiré]",
        LICENCE_PLATE: "[plaque retirée]",
        INAMI: "[numéro INAMI retiré]",
        IDENTITY_CARD: "[numéro de carte d'identité retiré]",
        PASSPORT: "[numéro de passeport retiré]",
        FILE_NUMBER: "[numéro de dossier retiré]",
        COMPANY_NUMBER: "[numéro d'entreprise retiré]",
    },
    "nl": {
        PHONE: "[telefoon verwijderd]",
        EMAIL: "[e-mail verwijderd]",
        NISS: "[rijksregisternummer verwijderd]",
        IBAN: "[bankrekening verwijderd]",
        LICENCE_PLATE: "[nummerplaat verwijderd]",
        INAMI: "[RIZIV-nummer verwijderd]",
        IDENTITY_CARD: "[identiteitskaartnummer verwijderd]",
        PASSPORT: "[paspoortnummer verwijderd]",
        FILE_NUMBER: "[dossiernummer verwijderd]",
        COMPANY_NUMBER: "[ondernemingsnummer verwijderd]",
    },
}


def placeholder(kind: str, language: str = "fr") -> str:
    """The placeholder of an identifier; French for a text in neither language, as its rules are."""
    return PLACEHOLDERS.get(language, PLACEHOLDERS["fr"])[kind]


# Persons.

CIVILITIES = {
    "madame": FEMININE,
    "mme": FEMININE,
    "mademoiselle": FEMININE,
    "mlle": FEMININE,
    "mevrouw": FEMININE,
    "mevr": FEMININE,
    "monsieur": MASCULINE,
    "m": MASCULINE,
    "mr": MASCULINE,
    "meneer": MASCULINE,
    "dhr": MASCULINE,
    "juffrouw": FEMININE,
    "juf": FEMININE,
}
# Titles a pseudonym keeps as written ("le Dr Mukendi" → "le Dr C."): they tell the role, not who.
PROFESSIONAL_TITLES = {"dr", "docteur", "docteure", "maitre", "me", "pr", "professeur", "professeure"}
# Surname particles: "Van den Bossche", "El Amrani", "Da Silva", "Ait Taleb".
PARTICLES = {
    "van", "von", "de", "den", "der", "del", "della", "di", "da", "das", "dos", "du", "des", "el", "al",
    "ben", "bin", "ait", "ter", "ten", "op", "vanden", "vander", "vande", "ver", "mc", "le", "la", "d'",
}  # fmt: skip

_FEMININE_FIRST_NAMES = """
Marie Anne Sophie Julie Claire Catherine Isabelle Nathalie Sylvie Valérie Véronique Christine Martine
Monique Nicole Françoise Jacqueline Josiane Chantal Brigitte Sandrine Céline Aurélie Caroline Émilie
Laura Léa Emma Chloé Manon Sarah Sara Inès Lina Louise Alice Juliette Charlotte Pauline Mathilde Élise
Margaux Océane Jessica Vanessa Mélanie Stéphanie Audrey Virginie Delphine Laurence Pascale Annick Carine
Karine Patricia Fabienne Muriel Murielle Nadine Béatrice Geneviève Danielle Michèle Michelle Colette
Ginette Renée Odette Simone Jeanne Marcelle Germaine Yvonne Paulette Denise Lucienne Huguette Andrée
Claudine Bernadette Thérèse Marguerite Madeleine Suzanne Hélène Agnès Cécile Florence Corinne Sabine
Amélie Coralie Sabrina Laetitia Marine Morgane Jennifer Cindy Kimberley Priscilla Annie Lise Lucie Zoé
Jade Clara Eva Nina Aurore Léna Mila Lou Romane Anaïs Elodie Élodie Gaëlle Noémie Justine Adeline Ophélie
Els Katrien Griet Ria An Ann Annemie Hilde Inge Lieve Sofie Lotte Lien Marleen Nele Kaat Veerle Ilse
Tine Greet Liesbeth Joke Wendy Kelly Evelien Femke Elke Leen Mieke Hanne Ine Sien Jana Fien Marijke
Fatima Fatma Aïcha Khadija Naïma Samira Nadia Malika Karima Latifa Leïla Amina Yasmina Yasmine Nora
Noura Houria Hanane Bouchra Rachida Zohra Zineb Salma Imane Siham Souad Meryem Myriam Nour Sofia Soumaya
Ikram Hafsa Hajar Ilham Kaoutar Loubna Najat Saïda Fatiha Khadidja Asmae Asma Hind Houda Jamila Laila
Nawal Rim Sanae Wafa Widad Dounia Inaya Samia Malak Fatima-Zahra Hanae Chaïma Aya Rania Naïla Kenza
Ayşe Elif Zeynep Emine Hatice Gül Gülsüm Merve Büşra Esra Selin Defne Ebru Özlem Sevgi Derya Hülya Sibel
Yasemin Nurcan Songül Dilek Melek Hacer Sultan Tuba Kübra Sevim
Grace Précieuse Gracia Christelle Mireille Aminata Fatou Awa Mariama Kadiatou Aïssatou Bintou
Nafissatou Fanta Djeneba Ramata Odile Prisca Ruth Esther Rebecca Rachel Déborah Judith Naomi Ornella
Sandra Mélissa Natacha Tatiana Flore Nicole Ange-Marie Falone Nelly Solange Clarisse Josephine
Agnieszka Agata Zuzanna Katarzyna Magdalena Małgorzata Joanna Aleksandra Ewa Barbara Krystyna Monika
Dorota Marta Justyna Karolina Natalia Beata Iwona Anna Elena Ana-Maria Ioana Andreea Florentina
Mihaela Cristina Gabriela Alina Daniela Georgiana Roxana Simona Oana Raluca Irina Larisa Denisa
Olga Svetlana Oksana Esperanza Carmen Rosa Lucia Teresa Maria Isabel Ana Giulia Giuseppina Francesca
Chiara Paola Silvia Rita Graziella Carla Dolores Pilar Mercedes Ivana Jelena Mirela Arta Drita
"""
_MASCULINE_FIRST_NAMES = """
Jean Pierre Paul Jacques Michel André Philippe Alain Bernard Daniel Marc Luc Patrick Didier Thierry
Christian Éric Eric Pascal Olivier Laurent Nicolas Stéphane Frédéric Sébastien Christophe Vincent
Julien Thomas Guillaume Benoît Antoine Mathieu Matthieu Maxime Alexandre Romain Jérôme Arnaud Fabrice
Cédric Grégory Xavier Bruno Serge Roger Gilbert Georges Marcel René Robert Raymond Henri Louis Lucien
Albert Joseph Émile Francis Guy Yves Jean-Pierre Jean-Marc Jean-Luc Jean-Paul Jean-Claude
Jean-François Jean-Louis Jean-Michel Jean-Marie Jean-Philippe Jean-Baptiste Lucas Noah Arthur Jules
Hugo Théo Nathan Enzo Adam Liam Gabriel Raphaël Rafaël Tom Victor Sacha Baptiste Dylan Kevin Kévin
Jordan Bryan Steve Steven Anthony Jonathan David Jérémy Loïc Ludovic Gaëtan Quentin Florian Corentin
Simon Martin Jonas Timothée Mathis Léo Ethan Axel Ivan Igor Gauthier Damien Geoffrey Grégoire
Jan Johan Koen Bart Geert Pieter Peter Dirk Wim Kris Stijn Wouter Jeroen Joris Jef Jozef Frank
Rudy Rudi Filip Erik Hans Gert Kurt Marnix Sander Thijs Lars Ruben Jasper Bram Wannes Senne Warre
Lowie Toon Staf Guido Willy Freddy Eddy Danny Luk Jos Pieterjan Tijs Gilles
Mohamed Mohammed Mohammad Ahmed Ahmad Youssef Yousef Rachid Karim Hamid Hassan Hicham Mustapha
Mustafa Abdelkader Abdellah Abdallah Abdel Said Saïd Omar Ali Khalid Khaled Mehdi Bilal Ilyas Ilias
Anas Amine Yassine Walid Nabil Samir Sofiane Soufiane Hakim Tarik Tarek Driss Jamal Jamel Nassim
Redouane Reda Zakaria Ayoub Hamza Ismail Ismaël Idriss Brahim Ibrahim Abdoulaye Moussa Mamadou Ousmane
Oumar Amadou Souleymane Boubacar Ibrahima Cheikh Moustapha Lamine Alassane Issa Aliou Sekou Modou
Adil Aziz Younes Yunus Zakaria Nordine Noureddine Mounir Fouad Farid Rachid Abderrahim Lahcen
Mehmet Ahmet Emre Murat Hüseyin Ömer Kemal Tuncay Burak Hakan Cem Serkan Volkan Erkan Oğuz Yusuf
Halil Osman Recep Selim Orhan Kaan Emir Efe Tolga Uğur Cengiz Levent Metin Erdal
Trésor Glody Patrice Dieudonné Fiston Héritier Gédéon Yannick Papy Blaise Ferdinand Koffi Kwame Kofi
Arsène Didace Jocelyn Junior Christ Cédrick Guylain Rodrigue Landry Bienvenu-Jean
Marek Tomasz Łukasz Lukasz Piotr Paweł Krzysztof Andrzej Jakub Michał Wojciech Kamil Mateusz Grzegorz
Marcin Janusz Zbigniew Dariusz Dorin Ionuț Ionut Florin Mihai Ion Ionel Andrei Nicolae Marius
Gheorghe Vasile Constantin Adrian Cristian Bogdan Alexandru Radu Sorin Ovidiu Costel Iulian Cosmin
Viorel Sergio Tiago Salvatore Giuseppe Antonio Francesco Mario Luigi Marco Paolo Giovanni Carlos José
Juan Manuel Pedro Miguel Rafael Luis Jorge Fernando João Rui Nuno Dmitri Sergei Oleg Aleksandr Omid
Reza Hussein Mahmoud Abdul Wahid Ilir Arben Besnik
"""
_UNISEX_FIRST_NAMES = "Camille Dominique Claude Deniz Sacha Alex Charlie Morgan Noa Eden Adama"


def _first_names(words: str) -> set[str]:
    return {fold(word) for word in words.split()}


FEMININE_FIRST_NAMES = _first_names(_FEMININE_FIRST_NAMES)
MASCULINE_FIRST_NAMES = _first_names(_MASCULINE_FIRST_NAMES) - FEMININE_FIRST_NAMES
FIRST_NAMES = FEMININE_FIRST_NAMES | MASCULINE_FIRST_NAMES | _first_names(_UNISEX_FIRST_NAMES)


SURNAMES_FILE = Path(__file__).resolve().parent / "data" / "surnames-be.txt"


@functools.cache
def frequent_surnames() -> frozenset[str]:
    """The most frequent Belgian surnames, folded, without their particles (data/surnames-be.txt)."""
    surnames = set()
    for line in SURNAMES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            surnames.update(fold(word) for word in line.split() if fold(word) not in PARTICLES)
    return frozenset(surnames)


def looks_like_a_person(term: str) -> bool:
    """Whether every word of term is a first name or a frequent surname ("Sylvie", "Peeters",
    "Jan Peeters"): such a term kept from the anonymiser would hide a person."""
    words = [w for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", term) if fold(w) not in PARTICLES]
    return bool(words) and all(is_first_name(w) or fold(w) in frequent_surnames() for w in words)


def is_first_name(word: str) -> bool:
    folded = fold(word)
    return folded in FIRST_NAMES or ("-" in folded and all(p in FIRST_NAMES for p in folded.split("-")))


def first_name_gender(word: str) -> str | None:
    folded = fold(word)
    head = folded.split("-")[0]  # "Jean-Marie", "Marie-Louise": the first part tells
    for name in (folded, head):
        if name in FEMININE_FIRST_NAMES:
            return FEMININE
        if name in MASCULINE_FIRST_NAMES:
            return MASCULINE
    return None


@dataclass
class NameMention:
    """One mention of a person in the text, parsed: "Mme Sylvie Verstraeten", "Verstraeten", "Dr Mukendi"."""

    start: int
    end: int
    title: str = ""  # a professional title as written ("Dr"), kept in the pseudonym
    civility: str | None = None
    given: tuple[str, ...] = ()  # folded given names
    surname: str | None = None  # folded surname, particles included
    single: str | None = None  # the folded word of a one-word mention: a given name or a surname
    agreement: str | None = None  # "née"/"né" right after the mention
    bare: bool = False  # after "son fils", "l'inspecteur": the letter alone reads better
    language: str = FRENCH  # of the paragraph the mention is in: its pseudonym's language


def _title_key(word: str) -> str:
    return fold(word).rstrip(".")


def split_titles(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """The civilities and professional titles a name starts with, and its other words:
    "Mme Dr Mukendi" → ["Mme", "Dr"], ["Mukendi"]."""
    words = list(words)
    count = 0
    while count < len(words) and (
        _title_key(words[count]) in CIVILITIES or _title_key(words[count]) in PROFESSIONAL_TITLES
    ):
        count += 1
    return words[:count], words[count:]


def parse_mention(words: Sequence[str], start: int, end: int) -> NameMention:
    """Split the words of a mention into title, given names and surname.

    "Sylvie Verstraeten" and "VERSTRAETEN Sylvie" both give the surname "verstraeten"; a single
    word is left undecided until the other mentions tell what it is."""
    mention = NameMention(start, end)
    titles, words = split_titles(words)
    for title in titles:
        key = _title_key(title)
        if key in CIVILITIES:
            mention.civility = CIVILITIES[key]
        else:
            mention.title = title
    names = [w for w in words if w]
    if not names:
        return mention
    if len(names) == 1:
        mention.single = fold(names[0])
        return mention
    # A surname written in capitals, or first names at the end ("Van Rompaey Katrien"): the
    # order is surname first.
    upper = [i for i, w in enumerate(names) if w.isupper() and len(w) > 1]
    if fold(names[0]) in PARTICLES:  # "Van den Bossche", "El Amrani": a surname alone
        given_words, surname_words = [], names
    elif upper and upper[0] == 0 and not names[-1].isupper():
        surname_words, given_words = names[: upper[-1] + 1], names[upper[-1] + 1 :]
    elif is_first_name(names[-1]) and not is_first_name(names[0]):
        surname_words, given_words = names[:-1], names[-1:]
    else:
        given_words, surname_words = names[:1], names[1:]
        while (
            len(surname_words) > 1
            and is_first_name(surname_words[0])
            and fold(surname_words[0]) not in PARTICLES
        ):
            given_words.append(surname_words.pop(0))  # "Jean Pierre Dupont"
    mention.given = tuple(fold(w) for w in given_words)
    mention.surname = " ".join(fold(w) for w in surname_words)
    return mention


@dataclass
class _Person:
    first_seen: int
    surnames: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)
    singles: set[str] = field(default_factory=set)
    civilities: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)

    def gender(self) -> str | None:
        for evidence in (self.civilities, self.agreements):
            if evidence:
                return max(set(evidence), key=evidence.count)
        genders = {first_name_gender(name) for name in self.given | self.singles} - {None}
        return genders.pop() if len(genders) == 1 else None

    def names(self) -> set[str]:
        return self.surnames | self.given | self.singles


def _find_person(people: list[_Person], mention: NameMention) -> _Person | None:
    if mention.surname:
        same = [p for p in people if mention.surname in p.surnames]
        if mention.given:
            # Two persons may share a surname (a couple, siblings): the given names tell them apart.
            exact = [p for p in same if p.given & set(mention.given)]
            if exact:
                return exact[0]
            same = [p for p in same if not p.given]
        if same:
            return same[0]
        # "Sylvie" was seen alone before "Sylvie Verstraeten": the same person.
        earlier = [p for p in people if not p.surnames and p.singles & set(mention.given)]
        return earlier[0] if earlier else None
    if mention.single:
        for names in ("surnames", "given", "singles"):
            matches = [p for p in people if mention.single in getattr(p, names)]
            if mention.civility and len(matches) > 1:
                matches = [p for p in matches if p.gender() in (mention.civility, None)] or matches
            if matches:
                return matches[0]
    return None


def _letter(index: int) -> str:
    letter = string.ascii_uppercase[index % 26]
    return letter if index < 26 else f"{letter}{index // 26 + 1}"


def assign_pseudonyms(mentions: Sequence[NameMention], known: Iterable[NameMention] = ()) -> list[str]:
    """One pseudonym per mention; mentions of the same person get the same letter.

    known are names the author listed ("Sylvie Verstraeten"): they tell that "Sylvie" and
    "Verstraeten" are one person even when the text never writes them together. Letters follow
    the order in which persons first appear in the text."""
    people: list[_Person] = []

    def attach(mention: NameMention, position: int) -> _Person:
        person = _find_person(people, mention)
        if person is None:
            person = _Person(first_seen=position)
            people.append(person)
        person.first_seen = min(person.first_seen, position)
        if mention.surname:
            person.surnames.add(mention.surname)
            person.given.update(mention.given)
            # The surname's own words, for mentions that write it alone.
            person.surnames.update(w for w in mention.surname.split() if w not in PARTICLES)
        if mention.single:
            person.singles.add(mention.single)
        if mention.civility:
            person.civilities.append(mention.civility)
        if mention.agreement:
            person.agreements.append(mention.agreement)
        return person

    for mention in known:
        attach(mention, position=1 << 62)
    # Full names first, so that a first name seen alone earlier joins its person.
    ordered = sorted(mentions, key=lambda m: (m.surname is None, m.start))
    owners = {id(mention): attach(mention, mention.start) for mention in ordered}
    seen = sorted({id(p): p for p in owners.values()}.values(), key=lambda p: p.first_seen)
    letters = {id(person): _letter(index) for index, person in enumerate(seen)}
    return [
        _pseudonym(mention, owners[id(mention)], letters[id(owners[id(mention)])]) for mention in mentions
    ]


def _pseudonym(mention: NameMention, person: _Person, letter: str) -> str:
    if mention.title:
        return f"{mention.title} {letter}."
    if mention.bare and not mention.civility:
        return f"{letter}."
    gender = person.gender()
    dutch = mention.language == DUTCH
    # Dutch writes "mevrouw" and "meneer" in lower case inside a sentence; the finder capitalises
    # a replacement that starts one.
    if gender == FEMININE:
        return f"mevrouw {letter}." if dutch else f"Madame {letter}."
    if gender == MASCULINE:
        return f"meneer {letter}." if dutch else f"Monsieur {letter}."
    return f"de persoon {letter}." if dutch else f"la personne {letter}."
