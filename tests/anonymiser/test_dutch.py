"""Dutch vignettes: each paragraph read in its own language, Dutch ordinary words that are not
names, the Dutch name rules, replacements written in Dutch, and texts in neither language."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from meetings import anonymiser
from meetings.anonymiser import engine

TODAY = date(2026, 12, 1)
pytestmark = pytest.mark.slow  # the engine loads spaCy's model once per process


def anonymised(text: str) -> str:
    return anonymiser.anonymise(text, today=TODAY)[0]


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in anonymiser.find(text, today=TODAY)]


# The language of each paragraph.


def paragraph_languages(text: str) -> list[str | None]:
    return [p.language for p in engine.get_engine().lexicon.paragraphs(text).paragraphs]


def test_each_paragraph_has_its_own_language_and_short_lines_follow_their_neighbours():
    text = (
        "Objet :\n"
        "Madame A. est venue hier au service avec sa fille, elle était très fatiguée.\n\n"
        "Naam:\n\n"
        "Gisteren kwam ze langs op het onthaal van het wijkgezondheidscentrum met haar zus.\n\n"
        "Ok."
    )

    assert paragraph_languages(text) == ["fr", "fr", "nl", "nl"]
    assert anonymiser.language_of(text) in ("fr", "nl")


@pytest.mark.parametrize(
    "text",
    [
        "Yesterday she came to the centre with her sister and said she could not pay the rent.",
        "Dün annesiyle birlikte merkeze geldi ve kirayı ödeyemediğini söyledi.",
        "جاءت أمس إلى المركز مع أختها وقالت إنها لا تستطيع دفع الإيجار",
    ],
)
def test_a_text_in_neither_language_is_not_recognised_and_its_identifiers_are_still_found(text):
    text += " Tel. 0475 12 34 56, ali@example.test, NN 87.03.14-123.44"

    assert anonymiser.language_of(text) is None
    kinds = [kind for kind, _text in found(text)]
    assert {"phone", "email", "niss"} <= set(kinds)
    # Without a language of its own, the French rules and placeholders apply.
    assert "[téléphone retiré]" in anonymised(text)


def test_a_text_with_too_few_letters_to_tell_is_read_as_french():
    assert anonymiser.language_of("Dossier n° 2023/4567, ref. AB-12345") == "fr"


def test_the_caches_holding_a_texts_words_are_emptied_after_each_text():
    from meetings.anonymiser.recognizers.lexicon import _paragraphs
    from meetings.anonymiser.recognizers.tokenizer import tokens_of

    anonymiser.find("Gisteren kwam mevrouw Zqxwyvbrechtje langs met haar zus.", today=TODAY)

    assert tokens_of.cache_info().currsize == 0
    assert _paragraphs.cache_info().currsize == 0


def test_a_sentence_mixing_french_and_dutch_is_read_without_error():
    text = "Madame Hilde Wouters est venue met haar zus Ilse naar de consultation, elle était fatiguée."

    result = anonymised(text)

    assert "Wouters" not in result and "Ilse" not in result
    assert result.endswith("fatiguée.")


# Dutch ordinary words and names.


@pytest.mark.parametrize(
    "sentence",
    [
        "Gisteren kwam ze langs op het onthaal.",
        "Volgens de huisarts gaat het beter.",
        "Daarna hebben we samen gegeten.",
        "Nadien belde de school nog eens.",
        "Ondertussen volgt Kind en Gezin de baby op.",
        "Bovendien is er een schuld bij de huisbaas.",
        "Wijkgezondheidscentrum en huisartsenpraktijk werken samen.",
    ],
)
def test_capitalised_dutch_words_at_a_sentence_start_are_not_names(sentence):
    text = f"Het gaat om een moeilijke situatie.\n\n{sentence} Ze is moe en heeft weinig contact met familie."

    assert found(text) == []
    assert anonymised(text) == text


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Ze kwam samen met mevrouw Wouters naar het onthaal.", "mevrouw Wouters"),
        ("We belden met dhr. Peeters van het OCMW.", "dhr. Peeters"),
        ("Haar huisarts, dr. Claes, stuurde haar door.", "dr. Claes"),
        ("Zijn zus Ilse komt elke week langs.", "Ilse"),
        ("Haar zoon Bram (14 jaar) zit op de lagere school.", "Bram"),
        ("Goossens, de bewindvoerder, wil de rekeningen zien.", "Goossens"),
    ],
)
def test_dutch_names_are_found_by_titles_relations_roles_and_ages(sentence, name):
    text = f"Het gaat om een moeilijke situatie.\n\n{sentence} Ze is moe en heeft weinig contact."

    texts = [finding_text for _kind, finding_text in found(text)]
    surname = name.split()[-1]  # the name itself, not only its title
    assert any(surname in finding_text for finding_text in texts), texts


def test_names_listed_with_en_are_all_found():
    text = "Op de vergadering waren Karim, Bertrand en Tuncay aanwezig, samen met hun begeleider."

    texts = [finding_text for kind, finding_text in found(text) if kind == "person"]

    assert {"Karim", "Bertrand", "Tuncay"} <= set(" ".join(texts).split())


# Replacements in Dutch.


def test_the_done_when_sentence_answers_in_dutch():
    text = (
        "Mevrouw Hilde Wouters, geboren op 4 februari 1979, woont in de Ninoofsesteenweg 220 bus 4, "
        "1080 Molenbeek."
    )

    assert anonymised(text) == (
        "Mevrouw A., een veertiger, woont in een gemeente in het noordwesten van Brussel."
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Op 3 maart 2024 kwam meneer Jan Peeters langs.",
            "In de lente van 2024 kwam meneer A. langs.",
        ),
        (
            "Sinds 12 oktober 2023 woont zijn vriendin Katrien in Schaarbeek.",
            "Sinds de herfst van 2023 woont zijn vriendin A. in een gemeente in het noorden van Brussel.",
        ),
        (
            "Het OCMW van Anderlecht volgt mevrouw Claes (°05/10/1995) op.",
            "Het OCMW van een gemeente in het westen van Brussel volgt mevrouw A. "
            "([leeftijd: een dertiger]) op.",
        ),
        (
            "Ze woont aan de Kerkstraat 12, 1030 Schaarbeek, sinds de zomer.",
            "Ze woont in een gemeente in het noorden van Brussel, sinds de zomer.",
        ),
        (
            "De persoon kwam met Robin Verstraeten naar de afspraak.",
            "De persoon kwam met de persoon A. naar de afspraak.",
        ),
    ],
)
def test_replacements_are_written_in_dutch(sentence, expected):
    text = f"Het gaat om een moeilijke situatie van een gezin.\n\n{sentence}"

    assert anonymised(text) == f"Het gaat om een moeilijke situatie van een gezin.\n\n{expected}"


def test_french_and_dutch_paragraphs_each_get_replacements_in_their_own_language():
    text = (
        "Madame Sylvie Peeters est suivie chez nous depuis trois ans, elle vit à Anderlecht.\n\n"
        "Gisteren belde mevrouw Peeters naar het CAW: ze verhuist naar Schaarbeek."
    )

    assert anonymised(text) == (
        "Madame A. est suivie chez nous depuis trois ans, "
        "elle vit à [une commune de l'ouest de Bruxelles].\n\n"
        "Gisteren belde mevrouw A. naar het CAW: ze verhuist naar een gemeente in het noorden van Brussel."
    )


# Clean text stays as it is.


@pytest.mark.parametrize(
    "text",
    [
        "Mevrouw A., een dertiger, woont in een gemeente in het noorden van Brussel. Gisteren kwam ze met "
        "haar zoon B. langs bij de huisarts. Volgens Meneer C. is de schuld bij het OCMW afbetaald.",
        "Madame A., une trentaine d'années, vit dans une commune du nord de Bruxelles. Hier, elle est "
        "venue avec son fils B. Selon Monsieur C., la dette au CPAS est remboursée au printemps 2024.",
    ],
)
def test_text_already_anonymised_comes_back_unchanged(text):
    assert found(text) == []
    assert anonymised(text) == text


def test_the_command_answers_in_dutch_with_the_language_of_the_text():
    out = io.StringIO()
    text = (
        "Mevrouw Hilde Wouters, geboren op 4 februari 1979, woont in de Ninoofsesteenweg 220 bus 4, "
        "1080 Molenbeek"
    )

    call_command("anonymise", "--json", stdin=io.StringIO(text), stdout=out)

    result = json.loads(out.getvalue())
    assert result["language"] == "nl"
    kinds = {f["kind"]: f["text"] for f in result["findings"]}
    assert kinds["person"] == "Mevrouw Hilde Wouters"
    assert "4 februari 1979" in kinds["date_of_birth"]
    assert "Ninoofsesteenweg 220 bus 4, 1080 Molenbeek" in kinds["address"]
    assert result["anonymised"].startswith("Mevrouw A., een veertiger, woont in een gemeente")


@pytest.mark.parametrize(
    "sentence",
    [
        "In de Balintgroep van de huisartsen bespraken we het opnieuw.",
        "Ze werd opgenomen in het Sint-Pietersziekenhuis na de val.",
        "De Alzheimerpatiënt woont nog thuis met zijn vrouw.",
    ],
)
def test_a_kept_term_glued_to_a_care_noun_stays(sentence):
    text = f"Het gaat om een moeilijke situatie.\n\n{sentence}"

    assert anonymised(text) == text
