"""Numbers given by registers and administrations: licence plates, INAMI/RIZIV numbers, identity
and residence cards, passports, file numbers and company numbers; their checksums, the cues that
announce them, which reading wins an overlap, and their placeholders."""

import pytest

from meetings import anonymiser
from meetings.anonymiser import recognizers, replacements
from meetings.anonymiser.entities import LABELS
from meetings.anonymiser.recognizers import registrations

# Checksums worked out by hand.
# Company numbers: 97 - 04031707 % 97 = 01; 97 - 04174971 % 97 = 06; 97 - 10000000 % 97 = 21.
COMPANY = "0403.170.701"
COMPANY_LIKE_A_MOBILE = "0417 497 106"  # the digits of a mobile number too: 0417 49 71 06
# Identity card (and old bank account): 5921234567 % 97 = 32.
CARD = "592-1234567-32"
NISS = "87031412344"  # 97 - 870314123 % 97 = 44
INAMI_UNGROUPED = "12345678901"  # not a national number: 97 - 123456789 % 97 = 58, not 01


def found(text: str, kind: str | None = None) -> list[tuple[str, str]]:
    """(kind, text) of each finding, of one kind or all."""
    return [(f.kind, f.text) for f in anonymiser.find(text) if kind is None or f.kind == kind]


def kinds_of(text: str) -> set[str]:
    return {f.kind for f in anonymiser.find(text)}


# Checksums.


@pytest.mark.parametrize("valid", [COMPANY, "BE 0403.170.701", "BE0417497106", "0202239951", "1000.000.021"])
def test_a_valid_company_number_passes_its_checksum(valid):
    assert recognizers.is_valid_company_number(valid)


@pytest.mark.parametrize(
    "invalid",
    ["0403.170.702", "0412.345.679", "2403.170.701", "403.170.701", "04031707011", "0403.170.70"],
)
def test_an_invalid_company_number_fails_its_checksum(invalid):
    """A wrong check digit, a first digit other than 0 or 1, too few or too many digits."""
    assert not recognizers.is_valid_company_number(invalid)


@pytest.mark.parametrize("valid", [CARD, "592123456732", "000-0000097-97"])
def test_a_valid_identity_card_number_passes_its_checksum(valid):
    """The check is the first ten digits mod 97, and 97 when that is 0."""
    assert recognizers.is_valid_identity_card(valid)


@pytest.mark.parametrize("invalid", ["592-1234567-33", "592-1234567-00", "592-123456-32", "5921234567321"])
def test_an_invalid_identity_card_number_fails_its_checksum(invalid):
    assert not recognizers.is_valid_identity_card(invalid)


# The cue right before a number that names it, replaced with it.


@pytest.mark.parametrize(
    "kind, before, cue",
    [
        ("licence_plate", "Hij heeft een wagen met nummerplaat ", "nummerplaat "),
        ("licence_plate", "sa voiture immatriculée ", "immatriculée "),
        ("licence_plate", "la plaque d'immatriculation : ", "plaque d'immatriculation : "),
        ("inami", "le Dr Mukendi, n° INAMI ", "n° INAMI "),
        ("inami", "huisarts, RIZIV-nummer: ", "RIZIV-nummer: "),
        ("identity_card", "sa carte d'identité n° ", "carte d'identité n° "),
        ("identity_card", "zijn identiteitskaart ", "identiteitskaart "),
        ("passport", "son n° de passeport ", "n° de passeport "),
        ("passport", "haar paspoortnummer ", "paspoortnummer "),
        ("passport", "son passeport marocain n° ", "n° "),
        ("file_number", "Dossier n° ", "Dossier n° "),
        ("file_number", "patiëntnummer ", "patiëntnummer "),
        ("company_number", "l'employeur (BCE ", "BCE "),
        ("company_number", "de werkgever, KBO-nummer ", "KBO-nummer "),
    ],
)
def test_a_naming_cue_right_before_a_number_goes_with_it(kind, before, cue):
    assert recognizers.naming_cue_length(kind, before) == len(cue)


@pytest.mark.parametrize(
    "kind, before",
    [
        ("licence_plate", "sa voiture "),  # says more than the number: it stays
        ("licence_plate", "l'immatriculation "),  # "l'[plaque retirée]" would not read
        ("file_number", "PV "),
        ("file_number", "RX "),
        ("inami", "INAMI, puis "),  # not right before
        ("passport", "le dossier "),  # another kind's word
    ],
)
def test_other_words_before_a_number_stay(kind, before):
    assert recognizers.naming_cue_length(kind, before) == 0


def test_every_cue_of_a_kind_is_kept_off_the_name_rules():
    assert recognizers.cue_length("file_number", "une RX ") == len("RX ")
    assert recognizers.cue_length("file_number", "PV n° ") == len("PV n° ")
    assert recognizers.cue_length("licence_plate", "sa voiture ") == len("voiture ")
    assert recognizers.cue_length("licence_plate", "sa maison ") == 0


@pytest.mark.parametrize(
    "text, announced",
    [
        ("Sa voiture : ABC-123.", True),
        ("La voiture du Dr. Mukendi, ABC-123.", True),  # an abbreviation does not end the sentence
        ("Il a vendu sa voiture. ABC-123 est le code.", False),
        ("Sa voiture.\nABC-123", False),
        ("Une voiture, un vélo, une trottinette et un bus scolaire : ABC-123.", False),  # out of reach
    ],
)
def test_a_cue_announces_a_number_within_reach_in_the_same_sentence(text, announced):
    cue = registrations.cue_before(text, text.index("ABC"), registrations.CUES["licence_plate"])
    assert (cue is not None) == announced


# Placeholders.


def test_every_identifier_has_a_french_and_a_dutch_placeholder():
    identifiers = {"phone", "email", "niss", "iban"} | {
        "licence_plate",
        "inami",
        "identity_card",
        "passport",
        "file_number",
        "company_number",
    }
    assert set(replacements.PLACEHOLDERS["fr"]) == set(replacements.PLACEHOLDERS["nl"]) == identifiers
    assert replacements.placeholder("phone") == "[téléphone retiré]"
    assert replacements.placeholder("niss", "nl") == "[rijksregisternummer verwijderd]"
    assert replacements.placeholder("licence_plate", "fr") == "[plaque retirée]"
    assert replacements.placeholder("licence_plate", "nl") == "[nummerplaat verwijderd]"
    assert replacements.placeholder("inami", "nl") == "[RIZIV-nummer verwijderd]"
    assert replacements.placeholder("company_number", "fr") == "[numéro d'entreprise retiré]"
    assert replacements.placeholder("passport", "en") == "[numéro de passeport retiré]"  # neither: French


def test_the_new_kinds_have_french_labels():
    assert str(LABELS["licence_plate"]) == "Plaque d'immatriculation"
    assert str(LABELS["inami"]) == "Numéro INAMI"
    assert str(LABELS["identity_card"]) == "Numéro de carte d'identité"
    assert str(LABELS["passport"]) == "Numéro de passeport"
    assert str(LABELS["file_number"]) == "Numéro de dossier"
    assert str(LABELS["company_number"]) == "Numéro d'entreprise (BCE)"


# Licence plates.


@pytest.mark.slow
@pytest.mark.parametrize("plate", ["1-HKP-371", "1 HKP 371", "1HKP371", "2.ABC.123"])
def test_a_current_plate_is_found_without_a_cue(plate):
    assert found(f"Il est reparti seul, au volant, en {plate} d'après le voisin.", "licence_plate") == [
        ("licence_plate", plate)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Sa voiture, une Golf grise, porte la plaque ABC-123.", "plaque ABC-123"),
        ("Elle conduit un véhicule 123-ABC prêté par son frère.", "123-ABC"),
        ("De auto van haar broer, kenteken ABC 123, stond voor de deur.", "kenteken ABC 123"),
        ("Zijn wagen met nummerplaat 1-HKP-371 werd weggesleept.", "nummerplaat 1-HKP-371"),
    ],
)
def test_an_old_plate_is_found_after_a_cue_and_the_naming_cue_goes_with_it(sentence, expected):
    assert found(sentence, "licence_plate") == [("licence_plate", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Hij gaf de nummerplaat van zijn wagen: 1-ABC-123.", "1-ABC-123"),
        ("De nummerplaat van zijn wagen: ABC-123.", "ABC-123"),
        ("La plaque de sa camionnette blanche : ABC-123.", "ABC-123"),
    ],
)
def test_a_plate_is_found_a_few_words_after_its_cue(sentence, expected):
    assert found(sentence, "licence_plate") == [("licence_plate", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Le code ABC-123 du formulaire est erroné.",  # an old form without a cue
        "Il a vendu sa voiture. ABC-123 est le code du formulaire.",  # a cue of another sentence
        "Sa voiture 1-hkp-371 est au garage.",  # in lower case
        "Sa voiture, une BMW 320, est au garage.",  # a make and a model
        "Le CPAS 123 et l'ASBL 456 ont répondu.",
        "Sa voiture est au garage depuis 2019.",
        "Ze kregen 2 SSM 150 euro terug.",
    ],
)
def test_codes_words_and_counts_are_not_plates(sentence):
    assert "licence_plate" not in kinds_of(sentence)


# INAMI numbers.


@pytest.mark.slow
@pytest.mark.parametrize("written", ["1-23456-78-901", "1.23456.78.901"])
def test_a_grouped_inami_number_is_found_without_a_cue(written):
    assert found(f"Le médecin traitant ({written}) a signé l'attestation.") == [("inami", written)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        (f"Le Dr Mukendi, numéro INAMI {INAMI_UNGROUPED}, a signé.", f"numéro INAMI {INAMI_UNGROUPED}"),
        (f"De huisarts (RIZIV-nummer {INAMI_UNGROUPED}) belde.", f"RIZIV-nummer {INAMI_UNGROUPED}"),
        # Announced, but not right before: the cue stays.
        (f"Code INAMI du prestataire : {INAMI_UNGROUPED}.", INAMI_UNGROUPED),
    ],
)
def test_eleven_digits_are_an_inami_number_after_a_cue(sentence, expected):
    assert found(sentence, "inami") == [("inami", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Le certificat porte le n° INAMI : 1 23456 78 901.", "n° INAMI : 1 23456 78 901"),
        ("Attest van de huisarts (RIZIV 1-51683-25-501).", "RIZIV 1-51683-25-501"),
        ("Het RIZIV-nummer van de tandarts is 1.51683.25.501.", "1.51683.25.501"),
    ],
)
def test_an_inami_number_grouped_with_spaces_dashes_or_dots_is_found_with_its_cue(sentence, expected):
    assert found(sentence, "inami") == [("inami", expected)]
    assert "phone" not in kinds_of(sentence)


@pytest.mark.slow
def test_eleven_digits_without_a_cue_are_not_an_inami_number():
    assert "inami" not in kinds_of(f"Le numéro {INAMI_UNGROUPED} figure sur le courrier.")


@pytest.mark.slow
def test_a_valid_national_number_after_an_inami_cue_stays_a_national_number():
    assert found(f"N° INAMI noté par erreur : {NISS}.") == [("niss", NISS)]


# Identity and residence cards.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        (f"Sa carte d'identité n° {CARD} est périmée.", f"carte d'identité n° {CARD}"),
        (f"Zijn identiteitskaart ({CARD}) is vervallen.", CARD),
        ("eID 592123456732, vue au guichet.", "eID 592123456732"),
        ("Sa carte de séjour B 1234567 89 expire en juin.", "B 1234567 89"),
        ("Verblijfskaart: B1234567 89.", "B1234567 89"),
    ],
)
def test_an_identity_card_number_is_found_after_its_cue(sentence, expected):
    assert found(sentence, "identity_card") == [("identity_card", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        f"Il a montré sa carte : {CARD}.",
        f"Le numéro {CARD} figure sur le document du CPAS.",
        f"Hij kende het nummer van zijn kaart uit het hoofd: {CARD.replace('-', '.')}.",
        f"Op het attest staat {CARD.replace('-', ' ')}, zonder meer.",
        # A bank word far before, or before a nearer identity cue, does not make it an account.
        f"Le compte est bloqué depuis des semaines, elle a donc apporté au guichet {CARD}.",
        f"Sur le formulaire de la banque, sa carte d'identité : {CARD}.",
    ],
)
def test_a_grouped_identity_card_number_is_found_without_a_cue(sentence):
    """Old bank accounts have the same form and checksum, but went out of use with IBAN."""
    assert found(sentence, "identity_card") != []
    assert "iban" not in kinds_of(sentence)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        f"Ancien compte {CARD}.",
        f"Ancien compte clôturé : {CARD}.",
        f"Les allocations sont versées sur le compte {CARD} de sa mère.",
        f"Il a montré sa carte d'identité, puis donné son compte {CARD}.",
        f"Virement du CPAS vers {CARD} le mois passé.",
        f"Een overschrijving naar {CARD} werd geweigerd.",
        f"Zijn oude bankrekening {CARD} is afgesloten.",
        f"Het oude rekeningnummer: {CARD}.",
    ],
)
def test_the_same_number_after_a_bank_word_stays_an_old_bank_account(sentence):
    assert found(sentence, "iban") == [("iban", CARD)]
    assert "identity_card" not in kinds_of(sentence)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Sa carte, n° 592123456732, est chez l'assistante sociale.", "n° 592123456732"),
        ("Zijn kaart, nummer 592123456732, is vervallen.", "nummer 592123456732"),
    ],
)
def test_twelve_ungrouped_digits_are_an_identity_card_after_a_plain_card_cue(sentence, expected):
    assert found(sentence, "identity_card") == [("identity_card", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Le numéro 592123456732 figure sur le courrier.",
        "Het nummer 592123456732 staat op de brief.",
        "Sa carte bancaire 592123456732 est bloquée.",  # the bank word is nearer
    ],
)
def test_twelve_ungrouped_digits_need_an_identity_cue(sentence):
    assert "identity_card" not in kinds_of(sentence)


@pytest.mark.slow
def test_an_identity_card_with_a_wrong_checksum_is_not_reported():
    assert found("Carte d'identité 592-1234567-33.") == []
    # After "n°" it is still a number announced: removed, as a file number.
    assert found("Carte d'identité n° 592-1234567-33.") == [("file_number", "n° 592-1234567-33")]


@pytest.mark.slow
def test_a_residence_card_without_a_cue_is_not_reported():
    assert "identity_card" not in kinds_of("Le formulaire B 1234567 89 est joint.")


# Passports.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Son passeport marocain n° AB1234567 a expiré.", "n° AB1234567"),
        ("Paspoort EH123456, afgegeven in Brussel.", "Paspoort EH123456"),
        ("Le n° de passeport, EP0012345, est noté.", "EP0012345"),
        ("Haar Turks paspoort U12345678 is verlopen.", "paspoort U12345678"),
    ],
)
def test_a_passport_number_is_found_after_its_cue(sentence, expected):
    assert found(sentence, "passport") == [("passport", expected)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Son passeport syrien n° N013478526 est périmé.", "n° N013478526"),
        (
            "Les passeports sont périmés ; celui de Monsieur porte le n° N013478526.",
            "n° N013478526",
        ),
        ("Son passeport turc : 054829173, à renouveler.", "054829173"),
        ("Passeport n° 054829173, délivré à Damas.", "Passeport n° 054829173"),
        ("Ze heeft een paspoort, nummer 054829173, dat bij ons ligt.", "nummer 054829173"),
        ("Het paspoort heeft nummer 054829173.", "nummer 054829173"),
        ("Haar paspoortnummer: 0548291735.", "paspoortnummer: 0548291735"),
    ],
)
def test_a_passport_number_of_ten_characters_or_all_digits_is_found_after_its_cue(sentence, expected):
    """All digits, it wins over the landline its digits could make."""
    assert found(sentence, "passport") == [("passport", expected)]
    assert "phone" not in kinds_of(sentence)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, phone",
    [
        ("Son passeport est chez sa sœur, joignable au 0475123456.", "0475123456"),
        ("Son passeport est perdu ; on peut l'appeler au 024567890.", "024567890"),
        ("Son passeport, tél. 024567890, est à renouveler.", "024567890"),
        ("Zijn paspoort ligt bij zijn broer, bereikbaar op 0475123456.", "0475123456"),
        ("Paspoort kwijt. Bel 024567890 voor een afspraak.", "024567890"),
    ],
)
def test_a_phone_number_in_a_sentence_about_a_passport_stays_a_phone(sentence, phone):
    assert ("phone", phone) in found(sentence)
    assert "passport" not in kinds_of(sentence)


@pytest.mark.slow
def test_a_passport_cue_does_not_reach_over_another_number():
    sentence = "Son passeport est périmé depuis 2019 ; la nouvelle référence est AB1234567."
    assert "passport" not in kinds_of(sentence)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "La référence EH123456 est celle du colis.",  # no cue
        "Il n'a plus de passeport depuis 2019.",
        "Son passeport belge, périmé le 12/03/2024, est chez sa mère.",
        "Son passeport est à l'ASBL depuis que le CPAS l'a demandé.",
        "Sans passeport, il a déjà 150000 € de dettes.",
    ],
)
def test_no_passport_number_without_a_cue_or_in_dates_years_and_words(sentence):
    assert "passport" not in kinds_of(sentence)


# File numbers.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Dossier n° 2023/4517 ouvert au SSM.", "Dossier n° 2023/4517"),
        ("Notre réf. : SSM-2024-118.", "SSM-2024-118"),
        ("Le n° 45781 est celui du CPAS.", "n° 45781"),
        ("Het dossiernummer 2024-00871 staat op de brief.", "dossiernummer 2024-00871"),
        ("Le PV BR.12.L3.045678/2024 a été transmis.", "BR.12.L3.045678/2024"),
        ("La RX 24/0193 montre une fracture.", "24/0193"),
        ("Patiëntnummer 778812, afdeling psychiatrie.", "Patiëntnummer 778812"),
        ("Zie referentie AB-2023-17 van het OCMW.", "AB-2023-17"),
    ],
)
def test_a_file_number_is_found_right_after_its_cue(sentence, expected):
    assert found(sentence, "file_number") == [("file_number", expected)]


@pytest.mark.slow
def test_the_cue_of_a_file_number_is_not_a_name():
    assert found("RX 24/0193 : pas de fracture.") == [("file_number", "24/0193")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, kinds",
    [
        ("Réf. 12/03/2024 du courrier.", {"date"}),
        ("Dossier n° 0475 12 34 56 (son portable).", {"phone"}),
        ("Il habite rue Haute n° 12.", {"address"}),
        ("Il habite rue Haute n° 122.", {"address"}),
        ("Hij woont in de Kerkstraat nr. 122.", {"address"}),
        ("Selon l'article 458 du Code pénal, le secret tient.", set()),
        ("Facture n° 1.234,56 € payée.", set()),
        ("Taux nr. 45 % cette année.", set()),
        ("Le dossier 2024 du CPAS est clos.", set()),
        ("Le dossier 03/2024 du CPAS est clos.", set()),
        ("Le dossier CPAS et l'ASBL.", set()),
        ("Elle a appelé le numéro 112.", set()),
        (f"Dossier de Monsieur, NN {NISS}.", {"niss"}),
    ],
)
def test_dates_phones_house_numbers_articles_amounts_years_are_not_file_numbers(sentence, kinds):
    assert kinds_of(sentence) - {"person"} == kinds


# Company numbers.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        (f"Son employeur, une entreprise de nettoyage ({COMPANY}), a répondu.", COMPANY),
        ("Facture au nom de BE 0403.170.701.", "BE 0403.170.701"),
        ("Werkgever BE0417497106 te Vilvoorde.", "BE0417497106"),
        (f"L'employeur, BCE {COMPANY_LIKE_A_MOBILE}, a répondu.", f"BCE {COMPANY_LIKE_A_MOBILE}"),
        ("De werkgever, ondernemingsnummer 0417497106, belde.", "ondernemingsnummer 0417497106"),
    ],
)
def test_a_company_number_is_found_dotted_prefixed_or_after_a_cue(sentence, expected):
    assert found(sentence, "company_number") == [("company_number", expected)]


@pytest.mark.slow
def test_a_company_number_wins_over_the_phone_number_of_its_digits_only_when_it_is_one():
    # Dotted with a valid checksum: a company number; with a wrong one, the mobile number it is.
    assert found("Employeur : 0417.497.106.") == [("company_number", "0417.497.106")]
    assert found("Joignable au 0412.345.679.") == [("phone", "0412.345.679")]
    # Spaced: a phone without a cue, a company number with one.
    assert found(f"Joignable au {COMPANY_LIKE_A_MOBILE}.") == [("phone", COMPANY_LIKE_A_MOBILE)]
    assert found(f"KBO {COMPANY_LIKE_A_MOBILE}.") == [("company_number", f"KBO {COMPANY_LIKE_A_MOBILE}")]


@pytest.mark.slow
def test_a_company_number_with_a_wrong_checksum_is_not_reported():
    assert "company_number" not in kinds_of("BCE 0403.170.702, TVA BE0403170702.")


# End to end: the placeholder replaces the cue and the number, nothing else changes.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "La voiture immatriculée 1-HKP-371 était garée devant le SSM.",
            "La voiture [plaque retirée] était garée devant le SSM.",
        ),
        (
            "Le certificat porte le n° INAMI 1-23456-78-901 et un cachet.",
            "Le certificat porte le [numéro INAMI retiré] et un cachet.",
        ),
        (
            f"Elle a perdu sa carte d'identité ({CARD}) au CPAS.",
            "Elle a perdu sa carte d'identité ([numéro de carte d'identité retiré]) au CPAS.",
        ),
        (
            "Son passeport marocain n° AB1234567 a expiré.",
            "Son passeport marocain [numéro de passeport retiré] a expiré.",
        ),
        (
            "Le dossier n° 2023/4517 est suivi par le SSM, réf. SSM-2024-118.",
            "Le [numéro de dossier retiré] est suivi par le SSM, réf. [numéro de dossier retiré].",
        ),
        (
            f"L'employeur, BCE {COMPANY}, refuse le mi-temps médical.",
            "L'employeur, [numéro d'entreprise retiré], refuse le mi-temps médical.",
        ),
    ],
)
def test_anonymise_replaces_cue_and_number_and_nothing_else(sentence, expected):
    assert anonymiser.anonymise(sentence)[0] == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, kind, expected",
    [
        (
            "Zijn wagen met nummerplaat 1-HKP-371 staat bij de garage.",
            "licence_plate",
            "Zijn wagen met {} staat bij de garage.",
        ),
        (
            "De arts met RIZIV-nummer 1-23456-78-901 tekende het attest.",
            "inami",
            "De arts met {} tekende het attest.",
        ),
        ("Het paspoortnummer EH123456 is vervallen.", "passport", "Het {} is vervallen."),
        (
            "Het dossiernummer 2024-00871 staat op de brief van het OCMW.",
            "file_number",
            "Het {} staat op de brief van het OCMW.",
        ),
        ("De werkgever, KBO 0403.170.701, belde.", "company_number", "De werkgever, {}, belde."),
    ],
)
def test_anonymise_replaces_dutch_cue_and_number_too(sentence, kind, expected):
    """The language of the text is another part's: either placeholder reads after the cue is gone."""
    anonymised = anonymiser.anonymise(sentence)[0]
    placeholders = {replacements.placeholder(kind, language) for language in ("fr", "nl")}
    assert anonymised in {expected.format(placeholder) for placeholder in placeholders}
