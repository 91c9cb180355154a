"""Demo directory: a Brussels addiction-care network, its services and about thirty people.

All names, addresses and numbers are invented. `seed_directory()` is idempotent: rows are found by
their natural key (name, e-mail) and left alone when they already exist.
"""

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Network, Organisation, OrganisationKind, Profession, Professional, User

# The demo's published password (README), given only to the accounts seed_demo creates.
DEMO_PASSWORD = "concertation-demo"  # nosec B105
DEMO_DOMAIN = "demo.concertation.test"
NETWORK_NAME = "Coordination toxicomanie Anderlecht"

K = OrganisationKind
ORGANISATIONS = [
    # name, kind, address, postcode, commune, public served, sector
    (
        "CPAS d'Anderlecht — Service social général",
        K.CPAS,
        "Avenue de l'Aviation 70",
        "1070",
        "Anderlecht",
        "Adultes en difficulté sociale, personnes sans revenu",
        "Aide sociale",
    ),
    (
        "Service de santé mentale Les Tilleuls",
        K.MENTAL_HEALTH,
        "Rue du Chapelain 12",
        "1070",
        "Anderlecht",
        "Adultes, adolescents, familles",
        "Santé mentale",
    ),
    (
        "Service de santé mentale Entre-Deux",
        K.MENTAL_HEALTH,
        "Rue de la Clinique 45",
        "1070",
        "Anderlecht",
        "Adultes, usagers de drogues, exilés",
        "Santé mentale",
    ),
    (
        "Maison médicale du Peterbos",
        K.MEDICAL_HOUSE,
        "Parc du Peterbos 3",
        "1070",
        "Anderlecht",
        "Habitants du quartier, tous âges",
        "Première ligne de soins",
    ),
    (
        "Maison médicale La Clé",
        K.MEDICAL_HOUSE,
        "Chaussée de Mons 320",
        "1070",
        "Anderlecht",
        "Habitants du quartier Cureghem, tous âges",
        "Première ligne de soins",
    ),
    (
        "Cabinet de médecine générale Wayez",
        K.GENERAL_PRACTICE,
        "Rue Wayez 88",
        "1070",
        "Anderlecht",
        "Patientèle générale, traitements de substitution",
        "Première ligne de soins",
    ),
    (
        "Antenne bas seuil Le Passage",
        K.LOW_THRESHOLD,
        "Rue Brogniez 41",
        "1070",
        "Anderlecht",
        "Usagers de drogues, personnes sans abri",
        "Réduction des risques",
    ),
    (
        "Hôpital du Sud-Ouest — Unité de psychiatrie",
        K.HOSPITAL,
        "Route de Lennik 801",
        "1070",
        "Anderlecht",
        "Adultes en crise psychiatrique, sevrages hospitaliers",
        "Soins hospitaliers",
    ),
    (
        "Service communal de prévention des assuétudes (SCAT)",
        K.MUNICIPAL,
        "Place de la Vaillance 1",
        "1070",
        "Anderlecht",
        "Habitants, jeunes, familles d'usagers",
        "Prévention",
    ),
    (
        "Réseau d'aide aux toxicomanes — antenne Anderlecht",
        K.ADDICTION,
        "Rue de Fiennes 22",
        "1070",
        "Anderlecht",
        "Usagers de drogues, médecins généralistes",
        "Assuétudes",
    ),
    (
        "Agence immobilière sociale Logis-Cureghem",
        K.HOUSING,
        "Rue Eloy 17",
        "1070",
        "Anderlecht",
        "Ménages à faibles revenus, sortants d'institution",
        "Logement",
    ),
    (
        "Maison de justice de Bruxelles — Aide aux justiciables",
        K.JUSTICE,
        "Rue de la Régence 63",
        "1000",
        "Bruxelles",
        "Personnes sous mandat judiciaire, victimes",
        "Justice",
    ),
    (
        "Service d'aide à la jeunesse — Section Sud",
        K.YOUTH,
        "Rue des Deux Gares 51",
        "1070",
        "Anderlecht",
        "Jeunes de 0 à 18 ans et leurs familles",
        "Aide à la jeunesse",
    ),
    (
        "Groupe d'entraide Narcotiques Anonymes Bruxelles-Ouest",
        K.SELF_HELP,
        "Rue Van Lint 5",
        "1070",
        "Anderlecht",
        "Personnes dépendantes, proches",
        "Entraide",
    ),
    (
        "Centre de jour Le Canal — santé mentale",
        K.MENTAL_HEALTH,
        "Rue de Ribaucourt 30",
        "1080",
        "Molenbeek-Saint-Jean",
        "Adultes avec troubles psychiques chroniques",
        "Santé mentale",
    ),
]

P = Profession
# e-mail local part, first name, last name, profession, organisation index, FTE, languages
PEOPLE = [
    ("coordinatrice", "Nadia", "El Khattabi", P.COORDINATOR, 9, "0.80", "français, arabe"),
    ("animateur", "Pieter", "Van den Bossche", P.PSYCHOLOGIST, 1, "0.50", "français, néerlandais"),
    ("medecin", "Claire", "Dubois", P.GP, 5, "1.00", "français, anglais"),
    ("externe", "Mehmet", "Yilmaz", P.SOCIAL_WORKER, 0, "1.00", "français, turc"),
    ("sophie.lambert", "Sophie", "Lambert", P.SOCIAL_WORKER, 0, "0.80", "français"),
    ("karim.benali", "Karim", "Benali", P.EDUCATOR, 6, "1.00", "français, arabe"),
    ("anna.kowalska", "Anna", "Kowalska", P.NURSE, 7, "0.80", "français, polonais"),
    ("jean.mukendi", "Jean", "Mukendi", P.PSYCHIATRIST, 7, "0.60", "français, lingala"),
    ("els.peeters", "Els", "Peeters", P.PSYCHOLOGIST, 2, "0.50", "néerlandais, français"),
    ("fatima.ouali", "Fatima", "Ouali", P.GP, 3, "0.80", "français, arabe"),
    ("thomas.renard", "Thomas", "Renard", P.GP, 4, "1.00", "français"),
    ("ioana.popescu", "Ioana", "Popescu", P.NURSE, 4, "0.50", "français, roumain"),
    ("marc.janssens", "Marc", "Janssens", P.PHARMACIST, 5, "1.00", "français, néerlandais"),
    ("aicha.diallo", "Aïcha", "Diallo", P.SOCIAL_WORKER, 8, "0.80", "français, peul"),
    ("luc.martin", "Luc", "Martin", P.LAWYER, 11, "0.50", "français"),
    ("sarah.cohen", "Sarah", "Cohen", P.PSYCHOLOGIST, 1, "0.80", "français, anglais"),
    ("youssef.amrani", "Youssef", "Amrani", P.EDUCATOR, 8, "1.00", "français, arabe"),
    ("hilde.maes", "Hilde", "Maes", P.SOCIAL_WORKER, 10, "0.80", "néerlandais, français"),
    ("patrick.lemaire", "Patrick", "Lemaire", P.PSYCHIATRIST, 2, "0.40", "français"),
    ("emine.demir", "Emine", "Demir", P.NURSE, 3, "0.80", "français, turc"),
    ("olivier.dupont", "Olivier", "Dupont", P.SOCIAL_WORKER, 12, "1.00", "français"),
    ("grace.kabila", "Grâce", "Kabongo", P.EDUCATOR, 6, "0.50", "français, lingala"),
    ("bart.claes", "Bart", "Claes", P.GP, 3, "0.60", "néerlandais, français"),
    ("julie.leroy", "Julie", "Leroy", P.PSYCHOLOGIST, 14, "0.80", "français"),
    ("rachid.tahiri", "Rachid", "Tahiri", P.SOCIAL_WORKER, 9, "1.00", "français, arabe"),
    ("magdalena.nowak", "Magdalena", "Nowak", P.NURSE, 7, "1.00", "français, polonais"),
    ("vincent.gerard", "Vincent", "Gérard", P.EDUCATOR, 13, "0.50", "français"),
    ("ines.ferreira", "Inês", "Ferreira", P.SOCIAL_WORKER, 2, "0.80", "français, portugais"),
    ("david.vermeulen", "David", "Vermeulen", P.GP, 4, "0.80", "néerlandais, français"),
    ("leila.haddad", "Leïla", "Haddad", P.PSYCHOLOGIST, 3, "0.50", "français, arabe"),
    ("stefan.ionescu", "Stefan", "Ionescu", P.OTHER, 10, "0.50", "français, roumain"),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def _organisation(index: int, row) -> Organisation:
    name, kind, address, postcode, commune, public, sector = row
    organisation = Organisation.objects.filter(name=name).first()
    if organisation:
        return organisation
    return Organisation.objects.create(
        name=name,
        kind=kind,
        address=address,
        postcode=postcode,
        commune=commune,
        public_served=public,
        sector=sector,
        phone=f"02 520 {10 + index:02d} {30 + index:02d}",
        email=f"contact{index}@services.{DEMO_DOMAIN}",
        missions=(
            f"{sector} : accueil, orientation et accompagnement. "
            "Travail en réseau avec les services du quartier."
        ),
        access_conditions="Sur rendez-vous ; permanence sans rendez-vous le mardi matin.",
        languages="français, néerlandais",
        waiting_time="1 à 3 semaines",
        last_verified=None,
    )


def _person(row, organisations: list[Organisation]) -> User:
    local_part, first_name, last_name, profession, org_index, fte, languages = row
    email = demo_email(local_part)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    profile, _created = Professional.objects.get_or_create(
        user=user,
        defaults={
            "profession": profession,
            "fte": Decimal(fte),
            "languages": languages,
            "bound_by_secrecy": profession != P.OTHER,
        },
    )
    profile.organisations.add(organisations[org_index])
    return user


@transaction.atomic
def seed_directory() -> Network:
    organisations = [_organisation(i, row) for i, row in enumerate(ORGANISATIONS)]
    network, _created = Network.objects.get_or_create(
        name=NETWORK_NAME,
        defaults={
            "description": "Médecins généralistes, services spécialisés et structures locales autour "
            "des usagers de drogues d'Anderlecht."
        },
    )
    network.organisations.add(*organisations)
    people = {row[0]: _person(row, organisations) for row in PEOPLE}
    network.coordinators.add(people["coordinatrice"])
    # A second, neighbouring network: a coordinator's powers stop at its border.
    other, _created = Network.objects.get_or_create(
        name="Réseau santé mentale Bruxelles-Ouest",
        defaults={"description": "Services de santé mentale de l'ouest de Bruxelles."},
    )
    other.organisations.add(organisations[14])
    other_coordinator = _person(
        ("coordination.ouest", "Hélène", "Vandamme", P.COORDINATOR, 14, "0.80", "français"), organisations
    )
    other.coordinators.add(other_coordinator)
    return network
