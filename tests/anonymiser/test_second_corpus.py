"""The second labelled corpus checks itself: well-formed, labelled consistently, numbers valid.

No anonymiser runs here. The corpus was written without looking at the anonymiser, so these
checks only guard against a corpus that would measure nonsense: an offset one character off,
a NISS with a wrong checksum (which no recogniser should accept), a must-keep word that is in
fact inside a labelled identifier.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "vignettes-second.jsonl"

KINDS = {
    "person",
    "niss",
    "phone",
    "email",
    "iban",
    "address",
    "date_of_birth",
    "date",
    "place",
    "licence_plate",
    "inami",
    "identity_card",
    "passport",
    "file_number",
    "company_number",
    "workplace",
}
NEW_KINDS = {
    "licence_plate",
    "inami",
    "identity_card",
    "passport",
    "file_number",
    "company_number",
    "workplace",
}


def _digits(text):
    return re.sub(r"\D", "", text)


def niss_is_valid(text):
    """Belgian national number: 97 - (first nine digits mod 97), with a '2' in front after 1999."""
    digits = _digits(text)
    if len(digits) != 11:
        return False
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


def iban_is_valid(text):
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"BE\d{14}", compact):
        return False
    return int(compact[4:] + "1114" + compact[2:4]) % 97 == 1


def identity_card_is_valid(text):
    """eID card number: the last two digits are the first ten mod 97 (97 when it is 0)."""
    digits = _digits(text)
    return len(digits) == 12 and (int(digits[:10]) % 97 or 97) == int(digits[10:])


def company_number_is_valid(text):
    """BCE/KBO number: ten digits from 0 or 1, the last two are 97 - (first eight mod 97)."""
    digits = _digits(text)
    return len(digits) == 10 and digits[0] in "01" and 97 - int(digits[:8]) % 97 == int(digits[8:])


CHECKSUMS = {
    "niss": niss_is_valid,
    "iban": iban_is_valid,
    "identity_card": identity_card_is_valid,
    "company_number": company_number_is_valid,
}


def _load():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


RECORDS = _load()


def _ids():
    return [f"{i}-{record['language']}" for i, record in enumerate(RECORDS)]


def _whole_word(word):
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)


def test_every_line_is_a_record_with_the_expected_fields():
    for record in RECORDS:
        assert set(record) == {"text", "language", "entities", "keep"}
        assert isinstance(record["text"], str) and record["text"].strip()


def test_languages_are_balanced():
    languages = Counter(record["language"] for record in RECORDS)
    assert set(languages) <= {"fr", "nl", "mixed"}
    assert languages["fr"] >= 20
    assert languages["nl"] >= 20


def test_at_least_five_clean_vignettes_per_language():
    clean = Counter(r["language"] for r in RECORDS if not r["entities"])
    assert clean["fr"] >= 5
    assert clean["nl"] >= 5


def test_every_kind_appears_in_both_languages_and_new_kinds_often_enough():
    for language in ("fr", "nl"):
        kinds = Counter(
            entity["kind"]
            for record in RECORDS
            if record["language"] == language
            for entity in record["entities"]
        )
        assert set(kinds) == KINDS, (language, KINDS - set(kinds))
        for kind in NEW_KINDS:
            assert kinds[kind] >= 4, (language, kind, kinds[kind])


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_entities_match_their_offsets_and_do_not_overlap(record):
    text = record["text"]
    previous_end = 0
    for entity in sorted(record["entities"], key=lambda e: e["start"]):
        assert entity["kind"] in KINDS
        assert text[entity["start"] : entity["end"]] == entity["text"]
        assert entity["start"] >= previous_end, entity
        previous_end = entity["end"]


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_numbers_with_a_checksum_pass_it(record):
    for entity in record["entities"]:
        check = CHECKSUMS.get(entity["kind"])
        if check:
            assert check(entity["text"]), entity


@pytest.mark.parametrize("record", RECORDS, ids=_ids())
def test_keep_words_occur_and_never_touch_an_entity(record):
    text = record["text"]
    spans = [(e["start"], e["end"]) for e in record["entities"]]
    assert 4 <= len(record["keep"]) <= 10
    for word in record["keep"]:
        occurrences = [(m.start(), m.end()) for m in _whole_word(word).finditer(text)]
        assert occurrences, word
        for start, end in occurrences:
            assert not any(start < e_end and e_start < end for e_start, e_end in spans), word


def test_the_checksums_themselves():
    # The examples of the field: valid ones pass, a digit changed fails.
    assert niss_is_valid("79.02.04-123.72")
    assert not niss_is_valid("79.02.04-123.73")
    assert niss_is_valid("01.12.05-240.35")  # born after 1999
    assert iban_is_valid("BE71 0961 2345 6769")
    assert not iban_is_valid("BE71 0961 2345 6768")
    assert identity_card_is_valid("591-1534730-01")
    assert not identity_card_is_valid("591-1534730-02")
    assert company_number_is_valid("0837.572.927")
    assert not company_number_is_valid("0837.572.928")
