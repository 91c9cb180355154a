"""Words that must stay (issue 16, item 5): the package's lists of care words, services,
hospitals, medicines, eponymous diseases and Brussels districts, the terms passed for one call,
and a street named without a house number."""

import pytest

from meetings import anonymiser
from meetings.anonymiser import replacements
from meetings.anonymiser.recognizers import kept
from meetings.anonymiser.recognizers.tokenizer import tokens_of

LISTS = kept.read_lists()
CATEGORIES = (
    "abbreviations",
    "care-words-fr",
    "care-words-nl",
    "diseases",
    "districts",
    "hospitals",
    "medicines",
    "services-fr",
    "services-nl",
)


def sample(terms: tuple[str, ...], count: int = 8) -> list[str]:
    """Terms spread over the whole file: its first, its last and evenly between."""
    if len(terms) <= count:
        return list(terms)
    step = (len(terms) - 1) / (count - 1)
    return [terms[round(i * step)] for i in range(count)]


SAMPLES = [(category, term) for category in CATEGORIES for term in sample(LISTS[category])]


def touched(text: str, start: int, end: int, **options) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in anonymiser.find(text, **options) if f.start < end and start < f.end]


def capitalised(term: str) -> str:
    return term[:1].upper() + term[1:]


# The lists as data.


def test_every_category_is_a_file_with_its_sources_and_many_terms():
    assert set(CATEGORIES) == set(LISTS)
    for category in CATEGORIES:
        text = (kept.DATA / f"{category}.txt").read_text(encoding="utf-8")
        assert text.startswith("#"), f"{category}.txt names its sources in a comment first"
        assert len(LISTS[category]) >= 40, category
        assert all(not term.startswith("#") and term == term.strip() for term in LISTS[category])


def test_no_single_word_on_the_lists_is_a_first_name_of_the_pseudonym_tables():
    """A word kept everywhere would hide a person who bears it: the lists hold no first name
    alone. Multi-word service names may hold one ("Pierre d'Angle", "AZ Jan Portaels")."""
    conflicts = [
        (category, term)
        for category, terms in LISTS.items()
        for term in terms
        if len(term.split()) == 1 and replacements.is_first_name(term)
    ]
    assert conflicts == []


def test_no_term_is_also_a_commune_the_anonymiser_generalises():
    communes = [
        (category, term)
        for category, terms in LISTS.items()
        for term in terms
        if replacements.area_of_place(term) is not None
    ]
    assert communes == []


def test_the_districts_are_no_longer_places_but_the_communes_are():
    for district in ("Matonge", "Marolles", "Marollen", "Cureghem", "Kuregem"):
        assert replacements.area_of_place(district) is None
    assert replacements.area_of_place("Anderlecht") == replacements.BRUSSELS_WEST
    assert replacements.area_of_place("Saint-Gilles") == replacements.BRUSSELS_CENTRE


def test_terms_in_capitals_match_as_written_and_the_others_in_any_case_and_accents():
    terms = kept.KeptTerms(["ONE", "Méthadone", "Institut Bordet", "Kind en Gezin"])
    text = "one One ONE methadone MÉTHADONE l'institut bordet L'Institut Bordet Kind en  Gezin Kind"
    spans = [text[start:end] for start, end in terms.spans(text, tokens_of(text))]
    assert spans == ["ONE", "methadone", "MÉTHADONE", "institut bordet", "Institut Bordet", "Kind en  Gezin"]


def test_a_term_matches_whole_words_only():
    terms = kept.KeptTerms(["Saint-Pierre", "Dune"])
    text = "Woluwe-Saint-Pierre, Dunes, Saint-Pierre."
    assert [text[s:e] for s, e in terms.spans(text, tokens_of(text))] == ["Saint-Pierre"]


# Kept in sentences.


@pytest.mark.slow
@pytest.mark.parametrize(("category", "term"), SAMPLES, ids=[f"{c}:{t}" for c, t in SAMPLES])
def test_a_term_of_each_list_stays_in_a_sentence_and_at_its_start(category, term):
    inside = f"Depuis l'hiver, Madame Sylvie Verstraeten est suivie par {term} pour son fils."
    start = inside.index(term)
    assert touched(inside, start, start + len(term)) == []
    assert any(f.kind == "person" for f in anonymiser.find(inside))  # the person is still found

    first = term if kept._as_written(term) else capitalised(term)
    opening = f"{first} a rappelé Monsieur Kevin Dubois hier soir."
    assert touched(opening, 0, len(first)) == []


@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_term_of_every_list_stays(category):
    """One text per file, a sentence per term: every term of the file is kept."""
    sentences, positions = [], []
    offset = 0
    for term in LISTS[category]:
        sentence = f"Elle parle de {term} avec l'équipe. "
        positions.append((term, offset + sentence.index(term)))
        sentences.append(sentence)
        offset += len(sentence)
    text = "".join(sentences)
    findings = anonymiser.find(text)
    removed = [
        term
        for term, start in positions
        if any(f.start < start + len(term) and start < f.end for f in findings)
    ]
    assert removed == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("Elle est suivie à l'Institut Bordet depuis l'automne.", "Institut Bordet"),
        ("L'Institut Bordet a envoyé le rapport.", "Institut Bordet"),
        ("Il présente une maladie d'Alzheimer débutante.", "Alzheimer"),
        ("D'Alzheimer, il n'est pas question.", "Alzheimer"),
        ("Elle prend de la methadone et du TEMESTA.", "TEMESTA"),
        ("Hij gaat naar het AZ Sint-Jan en naar Kind en Gezin.", "Kind en Gezin"),
        ("Contact pris avec Modus Vivendi et le Pélican.", "Modus Vivendi"),
        ("Hospitalisée au CHU de Charleroi, puis au Grand Hôpital de Charleroi.", "CHU de Charleroi"),
        ("Elle dort parfois chez Doucheflux ou au Samusocial.", "Doucheflux"),
    ],
)
def test_case_elision_and_words_of_a_term_are_kept(sentence, term):
    start = sentence.index(term)
    assert touched(sentence, start, start + len(term)) == []


@pytest.mark.slow
def test_a_hospital_named_after_a_commune_keeps_the_commune_but_the_commune_alone_goes():
    findings = anonymiser.find("Suivie au CHU de Charleroi, elle vit à Charleroi.")
    assert [(f.kind, f.text) for f in findings] == [("place", "Charleroi")]
    assert findings[0].start > 30


# Streets and districts named alone.


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "Il dort sous le pont du boulevard Lemonnier.",
        "Elle fait la manche dans la rue Haute.",
        "Il travaille dans un bureau avenue Louise.",
        "Le magasin de la chaussée de Gand a fermé.",
        "Hij slaapt soms in de Ninoofsesteenweg.",
        "On se retrouve à la place Flagey.",
        "Rue Haute, il y a un nouveau centre de jour.",
        "Elle vit du côté de Matongé et lui aux Marolles.",
        "In de Marollen en in Kuregem kent iedereen hem.",
        "Il traîne à Cureghem, près de Heyvaert, et à la gare du Midi.",
        "Ils se voient au Parvis de Saint-Gilles ou à Stalingrad.",
        "Elle habite le quartier Nord, près de Bockstael et du Châtelain.",
    ],
)
def test_a_street_or_a_district_named_alone_stays(sentence):
    assert anonymiser.find(sentence) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "address"),
    [
        ("Elle habite boulevard Lemonnier 12, 1000 Bruxelles.", "boulevard Lemonnier 12, 1000 Bruxelles"),
        ("Il vit rue Haute 122/4.", "rue Haute 122/4"),
        ("Domicile : avenue Louise 231.", "avenue Louise 231"),
        (
            "Hij woont in de Ninoofsesteenweg 220 bus 4, 1080 Molenbeek.",
            "de Ninoofsesteenweg 220 bus 4, 1080 Molenbeek",  # its article goes with it
        ),
    ],
)
def test_the_same_street_with_a_house_number_is_an_address(sentence, address):
    assert [(f.kind, f.text) for f in anonymiser.find(sentence)] == [("address", address)]


@pytest.mark.slow
def test_a_commune_is_still_generalised_next_to_a_district():
    findings = anonymiser.find("Elle vit à Matonge, lui à Schaerbeek.")
    assert [(f.kind, f.text) for f in findings] == [("place", "Schaerbeek")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Il a pris la place de Sylvie au travail.", "Sylvie"),
        ("Le passage de Karim au CPAS s'est bien passé.", "Karim"),
        ("Elle cède sa place à Kevin.", "Kevin"),
    ],
)
def test_a_word_that_is_also_a_kind_of_street_does_not_hide_a_name(sentence, name):
    assert ("person", name) in [(f.kind, f.text) for f in anonymiser.find(sentence)]


# Terms passed for one call.


@pytest.mark.slow
def test_terms_passed_with_keep_are_kept_for_that_call_only():
    text = "Elle fréquente le Centre Ozanam de Forest avec Madame Lemaire."
    without = anonymiser.find(text)
    assert {"Forest"} <= {f.text for f in without}
    kept_call = anonymiser.find(text, keep=["Centre Ozanam de Forest"])
    assert [(f.kind, f.text) for f in kept_call] == [("person", "Madame Lemaire")]
    assert [(f.kind, f.text) for f in anonymiser.find(text)] == [(f.kind, f.text) for f in without]


@pytest.mark.slow
def test_a_name_to_remove_is_found_even_inside_a_kept_term():
    text = "Elle fréquente le Centre Ozanam."
    findings = anonymiser.find(text, ["Ozanam"], keep=["Centre Ozanam"])
    assert [(f.kind, f.text) for f in findings] == [("listed_name", "Ozanam")]


@pytest.mark.slow
def test_anonymise_passes_the_terms_to_keep():
    text, findings = anonymiser.anonymise(
        "Rendez-vous à la Maison Kabasele de Jette.", keep=["Maison Kabasele"]
    )
    assert "Maison Kabasele" in text
    assert [f.text for f in findings] == ["Jette"]


@pytest.mark.slow
def test_the_lists_are_read_once_when_the_engine_is_built():
    anonymiser.warm_up()
    assert kept.package_terms.cache_info().currsize == 1
    misses = kept.package_terms.cache_info().misses
    anonymiser.find("Elle prend du Temesta.")
    assert kept.package_terms.cache_info().misses == misses
