"""File and record numbers: after a cue and the few words that may follow it, with a court's prefix,
and the codes that are file numbers by their form alone."""

import pytest

from meetings import anonymiser


def file_numbers(text: str) -> list[str]:
    return [f.text for f in anonymiser.find(text) if f.kind == "file_number"]


def kinds_of(text: str) -> set[str]:
    return {f.kind for f in anonymiser.find(text)}


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Demande du SSM, réf. interne PSY-2023-0077, pour un bilan.", "PSY-2023-0077"),
        ("Référence dossier CPAS : 2023/AND/4410", "2023/AND/4410"),
        ("Nous avons un numéro de rôle de la JP : 23B0456 depuis juin.", "23B0456"),
        ("Le numéro de rôle du tribunal : 22/1234/A.", "22/1234/A"),
        ("La requête porte le numéro RG 22/457/A.", "numéro RG 22/457/A"),
        ("Le jugement (A.R. 21/3312) est attendu.", "A.R. 21/3312"),
        ("Le n° de notice 23/0815 est chez l'avocat.", "n° de notice 23/0815"),
        ("Votre référence : 7781/AS/23, courrier du 4 mars.", "7781/AS/23"),
        ("N/réf. 45A2210 – à rappeler dans le courrier.", "45A2210"),
        ("Notre référence 2023-AS-771 figure en haut à droite.", "2023-AS-771"),
        ("Le rôle 23A4410 a été fixé à l'audience de mai.", "23A4410"),
    ],
)
def test_a_french_file_number_is_found_a_few_words_after_its_cue(sentence, expected):
    assert file_numbers(sentence) == [expected]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Dossiernummer CAW: 23/0771", "23/0771"),
        (
            "Het dossier heeft als notitienummer AN.55.L7.012345/2023.",
            "notitienummer AN.55.L7.012345/2023",
        ),
        ("Het nummer van het parket: 23/4412/C.", "23/4412/C"),
        ("Ons kenmerk 2023/OCMW/1187, brief van 3 mei.", "2023/OCMW/1187"),
        ("Uw kenmerk: AB-7721-K, graag vermelden.", "AB-7721-K"),
        ("Intern nummer 55123 bij de dienst.", "Intern nummer 55123"),
        ("Het rolnummer RK 23/115 staat op de oproeping.", "rolnummer RK 23/115"),
        # "PV" is the cue here, and says more than the number: it stays.
        ("Het PV werd opgesteld onder PV 23/AN/5512.", "23/AN/5512"),
    ],
)
def test_a_dutch_file_number_is_found_a_few_words_after_its_cue(sentence, expected):
    assert file_numbers(sentence) == [expected]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Le suivi SSM-2023-118 continue.", "SSM-2023-118"),
        ("Le jugement (A.R. 21/3312) est attendu.", "A.R. 21/3312"),
        ("De zaak RG 22/457/A werd uitgesteld.", "RG 22/457/A"),
        ("Aanvraag VAPH-2023-207731 is goedgekeurd.", "VAPH-2023-207731"),
        ("Het attest PSY/2022/0045 werd bezorgd.", "PSY/2022/0045"),
        ("Le courrier 2023/AND/4410 est parti lundi.", "2023/AND/4410"),
    ],
)
def test_codes_of_services_and_courts_are_file_numbers_without_a_cue(sentence, expected):
    assert file_numbers(sentence) == [expected]


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Le COVID-19 a tout retardé cette année.",
        "Elle travaille sous contrat article 60 au CPAS.",
        "Il boit de l'eau, H2O, dit-il en riant.",
        "Le formulaire A4 est joint.",
        "Il habite B-1000 Bruxelles.",
        "De COVID-19-crisis heeft alles vertraagd.",
        "Hij werkt met een artikel 60 bij het OCMW.",
        "Un dossier de 150 pages est arrivé.",
        "Het dossier van 120 bladzijden ligt klaar.",
        "La référence du CPAS 2024 a changé.",
        "Ons kenmerk is nog niet bekend.",
        "Le rôle de la JP est de trancher.",
        "Zijn rol in het gezin is belangrijk, al 25 jaar.",
        "Le dossier de la JP de 2023 est clos.",
        "La norme ISO 9001 est citée.",
        "Il est en RG 1 depuis 2023.",
        "AR 2023 : rapport annuel.",
    ],
)
def test_words_dates_counts_and_codes_without_a_cue_are_not_file_numbers(sentence):
    assert "file_number" not in kinds_of(sentence)


@pytest.mark.slow
def test_the_words_between_a_cue_and_its_number_stay():
    assert anonymiser.anonymise("Dossiernummer CAW: 23/0771.")[0] in {
        "Dossiernummer CAW: [numéro de dossier retiré].",
        "Dossiernummer CAW: [dossiernummer verwijderd].",
    }
    assert anonymiser.anonymise("Le n° de notice 23/0815 est à l'avocat.")[0] == (
        "Le [numéro de dossier retiré] est à l'avocat."
    )
    assert anonymiser.anonymise("Référence dossier CPAS : 2023/AND/4410.")[0] == (
        "Référence dossier CPAS : [numéro de dossier retiré]."
    )
