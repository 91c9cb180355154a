"""Benchmark: the anonymiser on the labelled corpora, bench/vignettes.jsonl (124 French vignettes)
and bench/vignettes-second.jsonl (written afresh: half French, half Dutch, a few mixing both, and
already anonymised vignettes with no identifier at all).

    .venv/bin/python bench/anonymise.py [--details]

Prints:

- the model load time (warm_up() in a fresh process: imports of Presidio and spaCy included),
  judged by the process's CPU time, like the throughput: on a shared machine the wall clock also
  counts the time other processes held the cores (it is printed beside it);
- for each corpus and each language of its vignettes, per kind, the recall (a labelled entity is
  found when a finding of a compatible kind overlaps it: a person by a person or a listed name,
  every other kind by its own kind) and the precision (a finding is right when it overlaps a
  labelled entity of a compatible kind), against the targets;
- the entities found as another kind, separately: they do not count as found;
- the share of must-keep words (the corpus's "keep" lists, every occurrence) that no finding
  touches;
- over-redaction: on the vignettes with no identifier at all, the share of their characters that
  a finding changes (and how many come back unchanged);
- the throughput on one core, after warm-up: the long vignettes (1,800 characters or more) of both
  corpora run in turns until 5 seconds have passed, each pass timed by the process's CPU time,
  alternating with passes of spaCy's French model alone on the same texts: in vignettes of 2,000
  characters per second, and as a ratio to the model alone (the target, which a machine's speed
  does not move).

Targets hold on each corpus and each language (a vignette without a "language" is French); a kind
a group has no entity of is not judged there. Exits with status 1 when a target is missed.
--details lists every miss and every wrong finding.
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {
    "first": ROOT / "bench" / "vignettes.jsonl",
    "second": ROOT / "bench" / "vignettes-second.jsonl",
}
CORPUS = CORPORA["first"]
KINDS = (
    "person",
    "niss",
    "phone",
    "email",
    "iban",
    "identity_card",
    "inami",
    "passport",
    "licence_plate",
    "file_number",
    "company_number",
    "address",
    "date_of_birth",
    "date",
    "place",
    "workplace",
)
RECALL_TARGETS = {
    "niss": 0.97,
    "phone": 0.97,
    "email": 0.97,
    "iban": 0.97,
    "identity_card": 0.97,
    "inami": 0.97,
    "person": 0.95,
    "address": 0.95,
    "date_of_birth": 0.95,
    "licence_plate": 0.95,
    "file_number": 0.95,
    "workplace": 0.85,
}
LANGUAGES_JUDGED = ("fr", "nl")  # vignettes mixing both are reported, not judged
KEEP_TARGET = 0.98
UNCHANGED_TARGET = 0.98  # of the characters of vignettes with no identifier
THROUGHPUT_TARGET = 20.0  # vignettes of 2,000 characters per second, on the reference machine
# The machine is shared and its speed varies from day to day: the target holds as a ratio to
# spaCy's French model alone, which the anonymiser runs on every text, measured in the same run.
# On the machine where the first pass did 30.4 vignettes/s, at 0.82 of the model alone (so the
# model alone did about 37), 20 vignettes/s is 0.54 of the model alone.
THROUGHPUT_RATIO_TARGET = 0.54
LOAD_TARGET = 5.0  # seconds
LONG = 1_800  # characters: the vignettes timed
TIMED_SECONDS = 5.0


def compatible(entity_kind: str, finding_kind: str) -> bool:
    if entity_kind == "person":
        return finding_kind in ("person", "listed_name")
    return entity_kind == finding_kind


def overlaps(a, b) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def load_corpus(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def language_of(record: dict) -> str:
    return record.get("language", "fr")


def keep_occurrences(record: dict) -> list[tuple[str, int, int]]:
    import regex

    found = []
    for word in record["keep"]:
        pattern = r"(?<![\p{L}\p{N}])" + regex.escape(word) + r"(?![\p{L}\p{N}])"
        found += [(word, m.start(), m.end()) for m in regex.finditer(pattern, record["text"], flags=regex.I)]
    return found


def evaluate(corpus: list[dict], find, details: bool) -> dict:
    found, total = Counter(), Counter()
    right, reported = Counter(), Counter()
    confusion = Counter()
    kept = keep_total = 0
    clean_count = clean_characters = clean_changed = clean_unchanged = 0
    misses, wrong, removed = [], [], []
    for number, record in enumerate(corpus, 1):
        text = record["text"]
        findings = [{"kind": f.kind, "start": f.start, "end": f.end, "text": f.text} for f in find(text)]
        for entity in record["entities"]:
            total[entity["kind"]] += 1
            touching = [f for f in findings if overlaps(entity, f)]
            if any(compatible(entity["kind"], f["kind"]) for f in touching):
                found[entity["kind"]] += 1
            else:
                for f in touching:
                    confusion[(entity["kind"], f["kind"])] += 1
                misses.append((number, entity["kind"], entity["text"], [f["kind"] for f in touching]))
        for finding in findings:
            reported[finding["kind"]] += 1
            if any(
                overlaps(finding, e) and compatible(e["kind"], finding["kind"]) for e in record["entities"]
            ):
                right[finding["kind"]] += 1
            else:
                context = text[max(0, finding["start"] - 25) : finding["end"] + 25].replace("\n", " ")
                wrong.append((number, finding["kind"], finding["text"], context))
        if not record["entities"]:
            changed = _covered(findings)
            clean_count += 1
            clean_characters += len(text)
            clean_changed += changed
            clean_unchanged += not findings
            if details and findings:
                print(f"  changed  #{number:<3} clean vignette: {[f['text'] for f in findings]}")
        for word, start, end in keep_occurrences(record):
            keep_total += 1
            if any(f["start"] < end and start < f["end"] for f in findings):
                removed.append((number, word))
            else:
                kept += 1
    if details:
        for number, kind, text, others in misses:
            print(
                f"  missed   #{number:<3} {kind:<14} {text!r}"
                + (f" (found as {', '.join(others)})" if others else "")
            )
        for number, kind, text, context in wrong:
            print(f"  wrong    #{number:<3} {kind:<14} {text!r}  …{context}…")
        for number, word in removed:
            print(f"  removed  #{number:<3} {word!r}")
        print()
    return {
        "found": found,
        "total": total,
        "right": right,
        "reported": reported,
        "confusion": confusion,
        "kept": kept,
        "keep_total": keep_total,
        "clean_count": clean_count,
        "clean_characters": clean_characters,
        "clean_changed": clean_changed,
        "clean_unchanged": clean_unchanged,
    }


def _covered(findings: list[dict]) -> int:
    """How many characters the findings cover, each counted once."""
    covered, reach = 0, 0
    for finding in sorted(findings, key=lambda f: f["start"]):
        start = max(finding["start"], reach)
        if finding["end"] > start:
            covered += finding["end"] - start
        reach = max(reach, finding["end"])
    return covered


def throughput(corpus: list[dict], find, baseline) -> tuple[float, float, float, int]:
    """Characters per second on the long vignettes, on one core, of find and of baseline (spaCy's
    French model alone, which find runs on every text), in alternate passes: the median of each,
    every pass timed by the CPU time this process used, so that another process sharing the
    machine's cores does not decide the figures. Returns find's vignettes/s and characters/s,
    baseline's characters/s, and how many vignettes were timed."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    long = [r["text"] for r in corpus if len(r["text"]) >= LONG]
    characters = sum(map(len, long))

    def one_pass(function) -> float:
        began = time.process_time()
        for text in long:
            function(text)
        return time.process_time() - began

    found, base = [], []
    start = time.perf_counter()
    while time.perf_counter() - start < TIMED_SECONDS or len(found) < 3:
        base.append(one_pass(baseline))
        found.append(one_pass(find))
    seconds, base_seconds = sorted(found)[len(found) // 2], sorted(base)[len(base) // 2]
    return len(long) / seconds, characters / seconds, characters / base_seconds, len(long)


def report(name: str, language: str, results: dict) -> list[str]:
    """One group's table; returns the targets it misses."""
    failures = []
    total_entities = sum(results["total"].values())
    print(
        f"\n## {name} corpus, {language}: {results['vignettes']} vignettes, "
        f"{total_entities} labelled entities"
    )
    print(
        f"{'kind':<15}{'entities':>9}{'found':>7}{'recall':>8}{'target':>8}{'findings':>10}{'right':>7}{'precision':>11}"
    )
    judged = language in LANGUAGES_JUDGED
    for kind in (*KINDS, "listed_name"):
        total, found = results["total"][kind], results["found"][kind]
        reported, right = results["reported"][kind], results["right"][kind]
        if not total and not reported:
            continue
        recall = found / total if total else float("nan")
        precision = right / reported if reported else float("nan")
        target = RECALL_TARGETS.get(kind) if judged else None
        mark = ""
        if target is not None and total and recall < target:
            failures.append(f"{name}/{language}: recall of {kind}")
            mark = "  MISSED"
        target_text = f"{target:.2f}" if target else "-"
        print(
            f"{kind:<15}{total:>9}{found:>7}{recall:>8.3f}{target_text:>8}{reported:>10}{right:>7}{precision:>11.3f}{mark}"
        )
    confusion = results["confusion"]
    if confusion:
        print(
            "Found with another kind (not counted as found): "
            + ", ".join(
                f"{entity_kind} as {finding_kind}: {count}"
                for (entity_kind, finding_kind), count in sorted(confusion.items())
            )
        )
    kept, keep_total = results["kept"], results["keep_total"]
    if keep_total:
        share = kept / keep_total
        mark = ""
        if judged and share < KEEP_TARGET:
            failures.append(f"{name}/{language}: must-keep words")
            mark = "  MISSED"
        print(f"Must-keep words kept: {kept}/{keep_total} = {share:.3f} (target ≥ {KEEP_TARGET}){mark}")
    if results["clean_count"]:
        changed = results["clean_changed"] / results["clean_characters"]
        mark = ""
        if judged and 1 - changed < UNCHANGED_TARGET:
            failures.append(f"{name}/{language}: clean text changed")
            mark = "  MISSED"
        print(
            f"Over-redaction: {changed:.1%} of the characters of {results['clean_count']} vignettes without "
            f"identifiers changed, {results['clean_unchanged']} of them unchanged "
            f"(target ≥ {UNCHANGED_TARGET:.0%} unchanged){mark}"
        )
    return failures


def by_language(records: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(language_of(record), []).append(record)
    return dict(sorted(groups.items(), key=lambda item: (item[0] not in LANGUAGES_JUDGED, item[0])))


def main() -> int:
    # Here rather than at import: the unit tests import evaluate() and the targets from this module.
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from meetings import anonymiser
    from meetings.anonymiser import engine

    details = "--details" in sys.argv
    started, started_cpu = time.perf_counter(), time.process_time()
    anonymiser.warm_up()
    wall_seconds = time.perf_counter() - started
    load_seconds = time.process_time() - started_cpu

    failures = []
    print(
        f"Model load (warm_up, cold process): {load_seconds:.2f} s of CPU time"
        f" (target < {LOAD_TARGET:.0f} s), {wall_seconds:.2f} s by the wall clock"
    )
    if load_seconds >= LOAD_TARGET:
        failures.append("model load")

    everything = []
    for name, path in CORPORA.items():
        records = load_corpus(path)
        everything += records
        for language, group in by_language(records).items():
            if details:
                print(f"\n# {name} corpus, {language}")
            results = evaluate(group, anonymiser.find, details)
            results["vignettes"] = len(group)
            failures += report(name, language, results)

    nlp = engine.get_engine().analyzer.nlp_engine.nlp["fr"]
    per_second, characters_per_second, model_per_second, long_count = throughput(
        everything, anonymiser.find, nlp
    )
    standard_per_second = characters_per_second / 2_000
    ratio = characters_per_second / model_per_second
    print(
        f"\nThroughput, one core, median of passes over {long_count} vignettes of {LONG:,}+ characters "
        f"for {TIMED_SECONDS:.0f} s: {per_second:.1f} vignettes/s, {characters_per_second:,.0f} characters/s"
    )
    print(
        f"= {standard_per_second:.1f} vignettes of 2,000 characters per second on this machine, where "
        f"spaCy's model alone reads {model_per_second / 2_000:.1f}"
    )
    mark = "" if ratio >= THROUGHPUT_RATIO_TARGET else "  MISSED"
    print(
        f"Ratio to spaCy's model alone: {ratio:.2f} (target ≥ {THROUGHPUT_RATIO_TARGET}: "
        f"{THROUGHPUT_TARGET:.0f} vignettes/s on the reference machine){mark}"
    )
    if mark:
        failures.append("throughput")

    if failures:
        print("\nTargets missed: " + ", ".join(failures))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
