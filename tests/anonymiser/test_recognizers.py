"""The anonymiser's recognisers one by one: Belgian identifiers and their checksums, phone numbers,
e-mail addresses, street addresses, dates (of birth or not), places and names."""

from datetime import date

import pytest

from meetings import anonymiser
from meetings.anonymiser import recognizers

# A national register number and an IBAN with their checksums worked out by hand:
# 87031412344: 97 - 870314123 % 97 = 44. Born in 2005: 97 - 2050120124 % 97 = 96.
NISS_1987 = "87031412344"
NISS_2005 = "05012012496"
IBAN = "BE68 5390 0754 7034"  # the usual Belgian example: 539007547034 BE68 passes mod 97


def found(text: str, kind: str | None = None) -> list[tuple[str, str]]:
    """(kind, text) of each finding, of one kind or all."""
    return [(f.kind, f.text) for f in anonymiser.find(text) if kind is None or f.kind == kind]


def kinds_of(text: str) -> set[str]:
    return {f.kind for f in anonymiser.find(text)}


# National register numbers.


@pytest.mark.slow
@pytest.mark.parametrize(
    "written",
    [
        "87.03.14-123.44",
        "87031412344",
        "870314 123 44",
        "870314-123-44",
        "87 03 14 123 44",
        "87.03.14.123.44",
    ],
)
def test_a_national_number_is_found_however_it_is_written(written):
    assert found(f"Son numéro national est le {written}, noté au dossier.") == [("niss", written)]


@pytest.mark.slow
def test_the_checksum_of_people_born_from_2000_on_is_prefixed_with_2():
    assert recognizers.is_valid_niss(NISS_2005)
    assert not recognizers.is_valid_niss("05012012461")  # the pre-2000 checksum of the same digits
    assert found(
        f"NN {NISS_2005[:2]}.{NISS_2005[2:4]}.{NISS_2005[4:6]}-{NISS_2005[6:9]}.{NISS_2005[9:]}"
    ) == [("niss", "05.01.20-124.96")]


@pytest.mark.slow
@pytest.mark.parametrize("wrong", ["87.03.14-123.45", "87031412343", "05.01.20-124.95"])
def test_a_national_number_with_a_wrong_checksum_is_not_reported(wrong):
    assert not recognizers.is_valid_niss(wrong)
    assert found(f"Le numéro noté, {wrong}, est erroné.") == []


@pytest.mark.slow
def test_a_national_number_is_not_a_phone_number():
    assert kinds_of(f"Registre national : {NISS_1987}.") == {"niss"}


# Bank accounts.


@pytest.mark.slow
@pytest.mark.parametrize("written", [IBAN, "BE68539007547034", "be68 5390 0754 7034"])
def test_a_belgian_iban_is_found_grouped_or_not(written):
    assert recognizers.is_valid_iban(written)
    assert found(f"Virement sur le compte {written} avant la fin du mois.") == [("iban", written)]


@pytest.mark.slow
@pytest.mark.parametrize("wrong", ["BE69 5390 0754 7034", "BE68 5390 0754 7035", "BE68539007547043"])
def test_an_iban_with_a_wrong_checksum_is_not_reported(wrong):
    assert not recognizers.is_valid_iban(wrong)
    assert found(f"Virement sur le compte {wrong} avant la fin du mois.") == []


@pytest.mark.slow
def test_a_foreign_iban_and_the_old_belgian_account_number_are_checked_too():
    assert found("Compte en France : FR76 3000 6000 0112 3456 7890 189.") == [
        ("iban", "FR76 3000 6000 0112 3456 7890 189")
    ]
    assert found("Ancien compte 539-0075470-34.") == [("iban", "539-0075470-34")]
    assert found("Ancien compte 539-0075470-35.") == []


# Phone numbers.


@pytest.mark.slow
@pytest.mark.parametrize(
    "written",
    [
        "0475 12 34 56",
        "0475/12.34.56",
        "0475-12-34-56",
        "0475123456",
        "+32 475 12 34 56",
        "+32475123456",
        "0032 475 12 34 56",
        "02 512 34 56",
        "02/512.34.56",
        "+32 (0)2 512 34 56",
        "0032 2 512 34 56",
        "04 223 45 67",
        "071/31.45.67",
        "+31 6 12345678",
    ],
)
def test_a_phone_number_is_found_in_every_usual_form(written):
    assert found(f"Joignable au {written} le matin.") == [("phone", written)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "not_a_phone",
    [
        "né le 03/03/1987 à Liège",
        "une dette de 2 300 euros",
        "70 mg de méthadone",
        "dossier 2024/0456",
        "1.263,17 €",
    ],
)
def test_numbers_that_are_not_phone_numbers_are_not_reported_as_such(not_a_phone):
    assert "phone" not in kinds_of(not_a_phone)


# E-mail addresses.


@pytest.mark.slow
@pytest.mark.parametrize(
    "written", ["s.verstraeten@gmail.com", "k.benali@cpas-anderlecht.be", "élise.noël+suivi@exemple.be"]
)
def test_an_email_address_is_found(written):
    assert found(f"Écrire à {written}.") == [("email", written)]


# Street addresses.


@pytest.mark.slow
@pytest.mark.parametrize(
    "address",
    [
        "rue de la Loi 16",
        "avenue de Stalingrad 12",
        "av. Louise 54",
        "chaussée de Waterloo 212",
        "chée de Mons 567",
        "place Flagey 18",
        "boulevard Anspach 10",
        "bd du Midi 100",
        "quai du Commerce 4",
        "square Ambiorix 7",
        "clos des Lilas 3",
        "allée Verte 15",
        "impasse du Pré 2",
        "drève du Duc 7",
        "sentier des Vignes 9",
        "chemin du Moulin 5",
        "rond-point Schuman 6",
        "galerie Ravenstein 3",
        "rue de la Tête d'Or 9",
        "Kerkstraat 12",
        "Koningin Astridlaan 3",
        "Vlaamsesteenweg 45",
        "Sint-Jansplein 2",
        "Frankrijklei 5",
        "Kasteeldreef 4",
        "Scheldekaai 11",
        "Molenweg 7",
    ],
)
def test_a_street_address_is_found_for_every_kind_of_street(address):
    assert found(f"Il habite {address} depuis mars.", "address") == [("address", address)]


@pytest.mark.slow
@pytest.mark.parametrize("box", ["bte 3", "boîte 3", "bus 3", "/3", ", bte 12"])
def test_the_box_number_belongs_to_the_address(box):
    glue = "" if box.startswith(("/", ",")) else " "
    address = f"rue Haute 122{glue}{box}, 1000 Bruxelles"
    assert found(f"Domicile : {address}.", "address") == [("address", address)]


@pytest.mark.slow
def test_an_address_with_its_postcode_and_commune_is_one_finding():
    text = "domiciliée avenue de Stalingrad 12, 1000 Bruxelles, depuis mars"
    [finding] = anonymiser.find(text)
    assert finding.kind == "address"
    assert finding.text.endswith("avenue de Stalingrad 12, 1000 Bruxelles")
    assert finding.replacement == "dans une commune du centre de Bruxelles"


@pytest.mark.slow
def test_a_street_without_number_or_a_visit_is_not_an_address():
    assert "address" not in kinds_of("Il dort sous le pont de la rue Neuve.")
    assert "address" not in kinds_of("Passage de Monsieur Florian Mertens, 41 ans, ouvrier.")


# Dates.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, written",
    [
        ("Monsieur Dupont, né le 3 mars 1987, vit seul.", "3 mars 1987"),
        ("Madame Dupont, née le 14/03/1987, vit seule.", "14/03/1987"),
        ("Date de naissance : 03/03/1987.", "03/03/1987"),
        ("DDN 3.3.1987, suivi au SSM.", "3.3.1987"),
        ("Jean Dupont (° 03-03-87) est suivi.", "03-03-87"),
        ("Elle est née le 1er janvier 1990 à Namur.", "1er janvier 1990"),
        ("Ik ben geboren op 12 maart 1979.", "12 maart 1979"),
        ("Il est né à Liège le 22.11.1940.", "22.11.1940"),
    ],
)
def test_a_date_near_a_birth_cue_is_a_date_of_birth(sentence, written):
    [finding] = [f for f in anonymiser.find(sentence) if f.kind in ("date", "date_of_birth")]
    assert finding.kind == "date_of_birth"
    assert written in finding.text


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    ["La réunion a eu lieu le 12 janvier 2024.", "Entretien du 03/04/2023.", "Note du 2024-01-15."],
)
def test_other_full_dates_are_dates(sentence):
    assert [k for k in kinds_of(sentence) if "date" in k] == ["date"]


@pytest.mark.slow
def test_a_birth_cue_in_the_previous_sentence_does_not_make_a_date_of_birth():
    text = "Sa fille est née en mai. Le rendez-vous du 12/03/2024 a été annulé."
    assert ("date", "du 12/03/2024") in found(text)


@pytest.mark.slow
@pytest.mark.parametrize("not_a_date", ["le 12 mars", "le 31/02/2024", "14/03", "en mars 2024"])
def test_incomplete_or_impossible_dates_are_not_reported(not_a_date):
    assert found(f"Rendez-vous {not_a_date} au centre.", "date") == []


def test_parse_date_reads_each_form():
    assert recognizers.parse_date("1er janvier 1990") == date(1990, 1, 1)
    assert recognizers.parse_date("03-03-87") == date(1987, 3, 3)
    assert recognizers.parse_date("3.3.1987") == date(1987, 3, 3)
    assert recognizers.parse_date("lundi 5 février 2024") == date(2024, 2, 5)
    assert recognizers.parse_date("2024-01-15") == date(2024, 1, 15)
    assert recognizers.parse_date("31/02/2024") is None


# Places.


@pytest.mark.slow
def test_a_commune_is_a_place_and_bruxelles_alone_is_not():
    assert found("Elle a grandi à Anderlecht puis à Liège.", "place") == [
        ("place", "Anderlecht"),
        ("place", "Liège"),
    ]
    assert found("Il est arrivé à Bruxelles en 2015.", "place") == []


@pytest.mark.slow
def test_an_elided_commune_is_found():
    assert found("Le CPAS d'Anderlecht a répondu.", "place") == [("place", "Anderlecht")]


# Names.


@pytest.mark.slow
@pytest.mark.parametrize(
    "written",
    [
        "Madame Verstraeten",
        "Mme Peeters",
        "Monsieur Benali",
        "M. Janssens",
        "Mr El Amrani",
        "Mlle Popescu",
        "Dr Mukendi",
        "Docteur Kabasele",
        "Maître Kowalski",
        "Madame Öztürk",
        "Monsieur Van den Bossche",
        "Monsieur De Vos",
    ],
)
def test_a_civility_title_and_the_name_after_it_are_a_person(written):
    assert found(f"Nous avons reçu {written} hier.", "person") == [("person", written)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "Sylvie Verstraeten",
        "Youssef El Amrani",
        "Ayşe Öztürk",
        "Jean-Pierre Van den Bossche",
        "Grace Mukendi",
        "Marek Kowalski",
        "Dorin Popescu",
        "Fatma Yilmaz",
        "Pieter Janssens",
    ],
)
def test_a_first_name_and_a_surname_are_one_person(name):
    assert found(f"Hier, {name} est venu au rendez-vous.", "person") == [("person", name)]


@pytest.mark.slow
def test_a_surname_in_capitals_before_a_first_name_is_part_of_the_name():
    assert found("Patient : KOWALCZYK Marek, suivi au SSM.", "person") == [("person", "KOWALCZYK Marek")]


@pytest.mark.slow
def test_a_name_found_once_is_found_everywhere_even_in_lower_case():
    text = (
        "Madame Verstraeten est venue. Plus tard, verstraeten a rappelé. "
        "Kabasele aussi, avec Mme Kabasele, le soir."
    )
    assert [t for _, t in found(text, "person")] == [
        "Madame Verstraeten",
        "verstraeten",
        "Kabasele",
        "Mme Kabasele",
    ]


@pytest.mark.slow
def test_names_listed_with_a_name_found_are_names():
    assert [t for _, t in found("Ses filles, Malika et Sevara, vont à l'école.", "person")] == [
        "Malika",
        "Sevara",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Son traitement de méthadone est prescrit par le psychiatre du SSM.",
        "La buprénorphine est délivrée à la maison médicale.",
        "Le médecin généraliste et l'assistant social du CPAS se sont parlé.",
        "Hospitalisation au CHU Saint-Pierre, puis à l'hôpital Brugmann.",
        "Depuis janvier, Lors des visites, Chez elle : rien de neuf.",
        "Madame la juge demande un rapport au SSM.",
        "Le Samusocial et Fedasil ont été contactés ; la MASS aussi.",
        "Elle souffre de la maladie d'Alzheimer.",
    ],
)
def test_clinical_and_service_words_roles_and_sentence_starts_are_kept(sentence):
    assert anonymiser.find(sentence) == []
