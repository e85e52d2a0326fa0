#!/usr/bin/env python3
"""Scores a pairs file with nomenklatura's logic-v2 matcher, the reference for Concord's.

    python3 scripts/reference/nomenklatura_pairs.py [PAIRS.csv] [--json] [--repetitions N] [--seconds S]

Reads the same CSV as Benchmarks/ScreeningEvaluation (name_a, dob_a, nationality_a, sex_a,
name_b, ..., label, category), turns each side into a followthemoney Person (name, birthDate,
nationality as ISO alpha-2, gender), compares the two with LogicV2 and its default scoring
configuration, and calls a match at 0.70, the default match threshold of yente, the screening
service built on nomenklatura (the library itself sets none). A name cell may hold several
names separated by ";".

Prints precision, recall and F1 overall and per category, and the time per pair: building both
entities from the row and comparing them, best of the repetitions (default 1, and more until S
seconds of processor time are spent). --json prints the same as JSON, in the shape
ScreeningEvaluation --json uses.
"""

import csv
import json
import sys
import time
from collections import OrderedDict
from pathlib import Path

from followthemoney import model
from nomenklatura.matching import LogicV2, ScoringConfig
from rigour.territories import get_territory

THRESHOLD = 0.70
DEFAULT_PAIRS = Path(__file__).resolve().parents[2] / "Evaluation" / "persons" / "pairs.csv"


def alpha2(code):
    """The ISO alpha-2 code followthemoney keeps for an alpha-3 one, lowercase."""
    code = code.strip()
    if not code:
        return None
    territory = get_territory(code.lower())
    if territory is None:
        from followthemoney.types import registry
        return registry.country.clean(code)
    return territory.code


ALPHA2 = {}


def entity(row, side, counter):
    person = model.make_entity("Person")
    person.id = f"{side}{counter}"
    for name in row[f"name_{side}"].split(";"):
        if name.strip():
            person.add("name", name.strip())
    if row[f"dob_{side}"].strip():
        person.add("birthDate", row[f"dob_{side}"].strip())
    for code in row[f"nationality_{side}"].split(";"):
        code = code.strip()
        if code:
            if code not in ALPHA2:
                ALPHA2[code] = alpha2(code)
            if ALPHA2[code]:
                person.add("nationality", ALPHA2[code])
    sex = row[f"sex_{side}"].strip().lower()
    if sex in ("m", "male"):
        person.add("gender", "male")
    elif sex in ("f", "female"):
        person.add("gender", "female")
    return person


def metrics(counts):
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": tp + fp + fn + tn, "precision": precision, "recall": recall, "f1": f1,
        "truePositives": tp, "falsePositives": fp, "falseNegatives": fn, "trueNegatives": tn,
    }


def main():
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    repetitions = 1
    if "--repetitions" in args:
        index = args.index("--repetitions")
        repetitions = max(1, int(args[index + 1]))
        del args[index:index + 2]
    seconds = 0.0
    if "--seconds" in args:
        index = args.index("--seconds")
        seconds = max(0.0, float(args[index + 1]))
        del args[index:index + 2]
    path = Path(args[0]) if args else DEFAULT_PAIRS
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))

    config = ScoringConfig.defaults()
    # Warm-up: the reference data rigour loads on first use is not part of a pair's time.
    for counter, row in enumerate(rows[:100]):
        LogicV2.compare(entity(row, "a", counter), entity(row, "b", counter), config)
    scores = []
    best = float("inf")
    passes, spent = 0, 0.0
    while passes < repetitions or spent < seconds:
        results = []
        start = time.process_time()
        for counter, row in enumerate(rows):
            left = entity(row, "a", counter)
            right = entity(row, "b", counter)
            results.append(LogicV2.compare(left, right, config).score)
        elapsed = time.process_time() - start
        best, spent, passes = min(best, elapsed), spent + elapsed, passes + 1
        scores = results

    overall = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    categories = OrderedDict()
    for row, score in zip(rows, scores):
        label = row.get("label", "").strip().lower()
        if label not in ("1", "0", "match", "non-match", "true", "false"):
            continue
        truth = label in ("1", "match", "true")
        verdict = score >= THRESHOLD
        key = {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}[(truth, verdict)]
        overall[key] += 1
        counts = categories.setdefault(row.get("category", ""), {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
        counts[key] += 1

    microseconds = best * 1e6 / max(1, len(rows))
    if as_json:
        print(json.dumps({
            "matcher": "nomenklatura logic-v2", "threshold": THRESHOLD, "pairs": len(rows),
            "overall": dict(category="overall", **metrics(overall)),
            "categories": [dict(category=name, **metrics(counts)) for name, counts in categories.items()],
            "microsecondsPerPair": microseconds,
        }, indent=2, sort_keys=True))
        return
    def line(name, m):
        return (f"{name:18}{m['pairs']:6d} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:7.3f} "
                f"{m['falsePositives']:5d} {m['falseNegatives']:5d}")
    print(f"nomenklatura logic-v2, threshold {THRESHOLD:.2f}, {len(rows)} pairs")
    print("category           pairs precision  recall      F1    FP    FN")
    for name, counts in categories.items():
        print(line(name, metrics(counts)))
    print(line("overall", metrics(overall)))
    print(f"time per pair: {microseconds:.1f} µs building both entities and comparing")


if __name__ == "__main__":
    main()
