#!/usr/bin/env bash
# Person screening quality side by side: the labelled pairs of Evaluation/persons scored by
# Concord's PersonMatcher and by nomenklatura's logic-v2 matcher (the reference), each at its
# default threshold, in one run. Prints F1 per category for both and the time per pair
# (processor time, normalising or building both sides and comparing) with its ratio. Each
# program's time is its fastest pass over the pairs in SECONDS_EACH seconds of processor time
# (default 10; at least 20 passes for Concord, each with its caches emptied first, and 3 for
# nomenklatura): on a shared machine the speed of both drifts from one second to the next, and
# the same span gives each the same chance of a quiet moment.
#   scripts/compare-screening.sh [PAIRS.csv]       (default Evaluation/persons/pairs.csv)
# Needs scripts/reference/requirements-compare.txt (pip install -r; PyICU needs libicu-dev).
# PYTHON names the interpreter that has them (default python3), such as a virtual environment's.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:-Evaluation/persons/pairs.csv}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd Benchmarks && swift build -c release --product ScreeningEvaluation 2>&1 | tail -n 1)
SECONDS_EACH=${SECONDS_EACH:-10}
Benchmarks/.build/release/ScreeningEvaluation "$PAIRS" --json --seconds "$SECONDS_EACH" > "$WORK/concord.json"
"${PYTHON:-python3}" scripts/reference/nomenklatura_pairs.py "$PAIRS" --json --repetitions 3 \
    --seconds "$SECONDS_EACH" > "$WORK/nomenklatura.json"

python3 - "$WORK/concord.json" "$WORK/nomenklatura.json" <<'PY'
import json, sys
concord, reference = (json.load(open(path)) for path in sys.argv[1:3])
theirs = {row["category"]: row for row in reference["categories"]}
theirs["overall"] = reference["overall"]
print(f"{len(concord['categories']) and concord['pairs']} pairs; Concord at {concord['threshold']:.2f}, "
      f"nomenklatura {reference['matcher']} at {reference['threshold']:.2f}")
print(f"{'category':18}{'pairs':>6}  {'Concord P/R':>13} {'F1':>6}   {'nomenk. P/R':>13} {'F1':>6}  {'ΔF1':>6}")
worse = []
for row in concord["categories"] + [concord["overall"]]:
    other = theirs[row["category"]]
    delta = row["f1"] - other["f1"]
    if delta < 0:
        worse.append(row["category"])
    print(f"{row['category']:18}{row['pairs']:6d}  {row['precision']:6.3f}/{row['recall']:6.3f} {row['f1']:6.3f}"
          f"   {other['precision']:6.3f}/{other['recall']:6.3f} {other['f1']:6.3f}  {delta:+6.3f}")
ours, reference_time = concord["microsecondsPerPair"], reference["microsecondsPerPair"]
print(f"time per pair: Concord {ours:.1f} µs (comparison of prepared persons alone "
      f"{concord['compareMicrosecondsPerPair']:.1f} µs), nomenklatura {reference_time:.0f} µs: "
      f"{reference_time / ours:.0f}× lower")
print("Concord F1 below nomenklatura in: " + (", ".join(worse) if worse else "no category"))
PY
