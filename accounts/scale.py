"""The directory of the scale data (`seed_scale`): a regional federation of networks, its services
and its professionals, with Belgian names in French and Dutch made from the small lists below.

All names are invented combinations. Every account has the demo password (accounts.demo), hashed
once: hashing it 5,000 times would take longer than writing everything else.
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.bulk import Context
from accounts.demo import DEMO_PASSWORD
from accounts.models import Network, Organisation, OrganisationKind, Profession, Professional, User
from accounts.text import fold

DOMAIN = "federation.concertation.test"
ORGANISATIONS = 200
PROFESSIONALS = 5_000
NETWORKS = 12
COORDINATORS_PER_NETWORK = 2

FIRST_FR = [
    "Marie",
    "Sophie",
    "Claire",
    "Julie",
    "Camille",
    "Nathalie",
    "Isabelle",
    "Céline",
    "Aurélie",
    "Émilie",
    "Hélène",
    "Anne",
    "Chloé",
    "Manon",
    "Lucie",
    "Pauline",
    "Sarah",
    "Léa",
    "Inès",
    "Nadia",
    "Fatima",
    "Aïcha",
    "Leïla",
    "Samira",
    "Yasmina",
    "Malika",
    "Grâce",
    "Ioana",
    "Magdalena",
    "Jean",
    "Pierre",
    "Luc",
    "Marc",
    "Thomas",
    "Nicolas",
    "Olivier",
    "Philippe",
    "Vincent",
    "Laurent",
    "François",
    "Julien",
    "Maxime",
    "Antoine",
    "Hugo",
    "Louis",
    "Karim",
    "Youssef",
    "Rachid",
    "Mehdi",
    "Mohamed",
    "Omar",
    "Mamadou",
    "Emmanuel",
    "Stefan",
    "Tomasz",
]
FIRST_NL = [
    "Els",
    "An",
    "Katrien",
    "Liesbeth",
    "Sofie",
    "Hilde",
    "Inge",
    "Leen",
    "Griet",
    "Nele",
    "Eva",
    "Lotte",
    "Femke",
    "Sanne",
    "Anke",
    "Marieke",
    "Bart",
    "Pieter",
    "Jan",
    "Koen",
    "Wouter",
    "Tom",
    "Geert",
    "Dirk",
    "Stijn",
    "Jeroen",
    "Bram",
    "Joris",
    "Wim",
    "Kris",
    "Lieven",
    "Ruben",
    "Sander",
]
LAST_FR = [
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Leroy",
    "Renard",
    "Lemaire",
    "Gérard",
    "Simon",
    "Laurent",
    "Lejeune",
    "Dumont",
    "Lefèvre",
    "Mercier",
    "Fontaine",
    "Collignon",
    "Delvaux",
    "Hubert",
    "Marchal",
    "Gilson",
    "Thiry",
    "Lecomte",
    "Denis",
    "Henrard",
    "Piron",
    "Wauters",
    "Michaux",
    "Benali",
    "El Khattabi",
    "Ouali",
    "Amrani",
    "Tahiri",
    "Haddad",
    "Diallo",
    "Mukendi",
    "Kabongo",
    "Yilmaz",
    "Demir",
    "Kowalska",
    "Nowak",
    "Popescu",
    "Ferreira",
    "Da Silva",
    "Cohen",
    "Ndiaye",
]
LAST_NL = [
    "Peeters",
    "Janssens",
    "Maes",
    "Claes",
    "Vermeulen",
    "Jacobs",
    "Mertens",
    "Willems",
    "Goossens",
    "Wouters",
    "De Smet",
    "Van den Bossche",
    "Vandamme",
    "De Backer",
    "Hermans",
    "Michiels",
    "Aerts",
    "Verstraete",
    "Desmet",
    "Coppens",
    "Van Damme",
    "Claeys",
    "Segers",
    "Pauwels",
    "Lemmens",
    "Declercq",
    "Van Acker",
    "Smets",
    "Verhoeven",
]
# (commune, postcode, language of the place)
COMMUNES = [
    ("Anderlecht", "1070", "fr"),
    ("Molenbeek-Saint-Jean", "1080", "fr"),
    ("Schaerbeek", "1030", "fr"),
    ("Saint-Gilles", "1060", "fr"),
    ("Forest", "1190", "fr"),
    ("Ixelles", "1050", "fr"),
    ("Bruxelles", "1000", "fr"),
    ("Etterbeek", "1040", "fr"),
    ("Jette", "1090", "fr"),
    ("Liège", "4000", "fr"),
    ("Verviers", "4800", "fr"),
    ("Seraing", "4100", "fr"),
    ("Namur", "5000", "fr"),
    ("Charleroi", "6000", "fr"),
    ("Mons", "7000", "fr"),
    ("Vilvoorde", "1800", "nl"),
    ("Halle", "1500", "nl"),
    ("Leuven", "3000", "nl"),
    ("Gent", "9000", "nl"),
    ("Aalst", "9300", "nl"),
]
STREETS_FR = ["Rue de la Station", "Avenue de la Liberté", "Rue du Midi", "Place communale", "Rue Haute"]
STREETS_NL = ["Stationsstraat", "Kerkstraat", "Molenstraat", "Dorpsplein", "Nieuwstraat"]
K = OrganisationKind
# kind, weight, French name, Dutch name, sector
SERVICE_KINDS = [
    (K.CPAS, 2, "CPAS de {c} — Service social", "OCMW {c} — Sociale dienst", "Aide sociale"),
    (
        K.MENTAL_HEALTH,
        3,
        "Service de santé mentale {n}",
        "Centrum Geestelijke Gezondheidszorg {n}",
        "Santé mentale",
    ),
    (K.MEDICAL_HOUSE, 4, "Maison médicale {n}", "Wijkgezondheidscentrum {n}", "Première ligne de soins"),
    (
        K.GENERAL_PRACTICE,
        3,
        "Cabinet de médecine générale {n}",
        "Huisartsenpraktijk {n}",
        "Médecine générale",
    ),
    (K.HOSPITAL, 1, "Clinique {n} — psychiatrie", "Ziekenhuis {n} — psychiatrie", "Hôpital"),
    (K.ADDICTION, 2, "Projet assuétudes {n}", "Drugpunt {n}", "Assuétudes"),
    (K.LOW_THRESHOLD, 2, "Antenne bas seuil {n}", "Laagdrempelig centrum {n}", "Réduction des risques"),
    (K.MUNICIPAL, 1, "Service de prévention de {c}", "Preventiedienst {c}", "Prévention"),
    (K.HOUSING, 1, "Agence immobilière sociale {n}", "Sociaal verhuurkantoor {n}", "Logement"),
    (K.YOUTH, 1, "Service d'aide en milieu ouvert {n}", "Jongerenwerking {n}", "Aide à la jeunesse"),
]
PLACE_NAMES = [
    "Les Tilleuls",
    "Le Passage",
    "La Clé",
    "Peterbos",
    "Entre-Deux",
    "Le Méridien",
    "La Passerelle",
    "Le Pont",
    "L'Escale",
    "Horizon",
    "Les Marronniers",
    "Le Fil",
    "Het Anker",
    "De Brug",
    "De Schakel",
    "Den Teirling",
    "Ariane",
    "Babel",
    "Sésame",
]
PROFESSIONS = [
    (Profession.GP, 16),
    (Profession.SOCIAL_WORKER, 22),
    (Profession.PSYCHOLOGIST, 15),
    (Profession.NURSE, 15),
    (Profession.EDUCATOR, 12),
    (Profession.PSYCHIATRIST, 5),
    (Profession.PHARMACIST, 5),
    (Profession.LAWYER, 2),
    (Profession.OTHER, 4),
]
FTES = [Decimal(f) for f in ("1.00", "1.00", "0.80", "0.80", "0.50", "0.60", "0.40")]


def pick_weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def inami_number(index: int) -> str:
    """A made-up INAMI number of the format INAMI prints (accounts.inami): 1 and five digits for
    the person, two check digits (97 minus the rest modulo 97), 004 for a general practitioner.
    Drawn from the person's position, not from the random source, so that the other shapes stay
    those of the seed."""
    person = 100_000 + index
    return f"{person}{97 - person % 97:02d}004"


def _organisations(ctx: Context) -> list[dict]:
    rng = ctx.rng
    rows, seen = [], set()
    for index in range(ctx.n(ORGANISATIONS, 2)):
        kind, _w, name_fr, name_nl, sector = rng.choices(
            SERVICE_KINDS, weights=[k[1] for k in SERVICE_KINDS]
        )[0]
        commune, postcode, language = rng.choice(COMMUNES)
        template = name_nl if language == "nl" else name_fr
        name = template.format(c=commune, n=rng.choice(PLACE_NAMES))
        if name in seen:
            name = f"{name} ({commune})"
        if name in seen:
            name = f"{name} {index}"
        seen.add(name)
        street = rng.choice(STREETS_NL if language == "nl" else STREETS_FR)
        organisation = Organisation(
            name=name, kind=kind, sector=sector, commune=commune, postcode=postcode, public_served="Adultes"
        )
        rows.append(
            {
                "name": name,
                "kind": kind,
                "sector": sector,
                "address": f"{street} {rng.randint(1, 180)}",
                "postcode": postcode,
                "commune": commune,
                "phone": f"0{rng.randint(2, 9)} {rng.randint(200, 999)} {rng.randint(10, 99):02d} "
                f"{rng.randint(10, 99):02d}",
                "email": f"contact{index}@services.{DOMAIN}",
                "missions": f"{sector} : accueil, orientation et accompagnement, travail en réseau.",
                "public_served": "Adultes",
                "languages": "néerlandais, français" if language == "nl" else "français",
                "waiting_time": rng.choice(["Sans délai", "1 à 3 semaines", "Un mois", "Deux à trois mois"]),
                "search_text": organisation.build_search_text(),
                "_language": language,
            }
        )
    return rows


def _person(ctx: Context, language: str, taken: set[str]) -> tuple[str, str, str, str]:
    rng = ctx.rng
    dutch = language == "nl" if rng.random() < 0.85 else language != "nl"
    first = rng.choice(FIRST_NL if dutch else FIRST_FR)
    last = rng.choice(LAST_NL if dutch else LAST_FR)
    local = f"{fold(first)}.{fold(last)}".replace(" ", "-").replace("'", "")
    email, number = f"{local}@{DOMAIN}", 1
    while email in taken:
        number += 1
        email = f"{local}{number}@{DOMAIN}"
    taken.add(email)
    ui_language = "nl" if dutch and rng.random() < 0.7 else ("en" if rng.random() < 0.03 else "fr")
    return first, last, email, ui_language


def seed(ctx: Context) -> None:
    rng = ctx.rng
    networks = []
    for index in range(ctx.n(NETWORKS)):
        commune = COMMUNES[index % len(COMMUNES)][0]
        name = f"Réseau santé {commune}" if index < len(COMMUNES) else f"Réseau santé {commune} {index}"
        networks.append(
            ctx.add(
                Network, {"name": name, "description": f"Services de soins et d'aide autour de {commune}."}
            )
        )
    organisations = []
    org_network = {}
    for index, row in enumerate(_organisations(ctx)):
        language = row.pop("_language")
        org_id = ctx.add(Organisation, row)
        organisations.append((org_id, language))
        home = networks[index % len(networks)]
        org_network[org_id] = home
        ctx.add(Network.organisations.through, {"network_id": home, "organisation_id": org_id})
        if len(networks) > 1 and rng.random() < 0.2:
            other = rng.choice([n for n in networks if n != home])
            ctx.add(Network.organisations.through, {"network_id": other, "organisation_id": org_id})

    password = make_password(DEMO_PASSWORD)
    taken: set[str] = set()
    people = []  # (user id, e-mail, full name, language, home network)
    total = ctx.n(PROFESSIONALS, 10)
    coordinators = {network: [] for network in networks}
    bar = ctx.bar(total, "professionals")
    sizes = [rng.paretovariate(1.5) for _o in organisations]  # a few large services, many small
    for index in range(total):
        # Each network's coordinators first, in one of its services; then anyone, anywhere.
        is_coordinator = index < len(networks) * COORDINATORS_PER_NETWORK
        if is_coordinator:
            network = networks[index // COORDINATORS_PER_NETWORK]
            org_id, language = rng.choice([o for o in organisations if org_network[o[0]] == network])
        else:
            org_id, language = rng.choices(organisations, weights=sizes)[0]
            network = org_network[org_id]
        first, last, email, ui_language = _person(ctx, language, taken)
        profession = Profession.COORDINATOR if is_coordinator else pick_weighted(rng, PROFESSIONS)
        joined = ctx.now - timedelta(days=rng.randint(800, 1500))
        user_id = ctx.add(
            User,
            {
                "email": email,
                "password": password,
                "first_name": first,
                "last_name": last,
                "language": ui_language,
                "search_name": f" {fold(first)} {fold(last)} ",
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": joined,
                "last_login": None,
            },
        )
        ctx.add(EmailAddress, {"user_id": user_id, "email": email, "verified": True, "primary": True})
        professional_id = ctx.add(
            Professional,
            {
                "user_id": user_id,
                "profession": profession,
                "fte": rng.choice(FTES),
                "bound_by_secrecy": profession not in {Profession.OTHER, Profession.LAWYER},
                "languages": "néerlandais, français" if ui_language == "nl" else "français",
                "inami_number": inami_number(index) if profession == Profession.GP else "",
            },
        )
        ctx.add(
            Professional.organisations.through,
            {"professional_id": professional_id, "organisation_id": org_id},
        )
        if rng.random() < 0.15:
            second = rng.choice(organisations)[0]
            if second != org_id:
                ctx.add(
                    Professional.organisations.through,
                    {"professional_id": professional_id, "organisation_id": second},
                )
        if is_coordinator:
            coordinators[network].append(user_id)
            ctx.add(Network.coordinators.through, {"network_id": network, "user_id": user_id})
        people.append((user_id, email, f"{first} {last}", ui_language, network))
        bar.update()
    bar.close()
    ctx.flush()
    # What the meetings step builds on (the rest it reads from the database).
    ctx.people = people
    ctx.networks = networks
    ctx.coordinators = coordinators
