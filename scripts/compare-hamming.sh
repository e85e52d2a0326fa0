#!/usr/bin/env bash
# The PDQ Hamming index side by side with FAISS (faiss-cpu) on the same signatures and
# queries, radius 31, one thread each:
#   scripts/compare-hamming.sh [SIGNATURES] [QUERIES]     (default 10000000 and 1000)
# Half the queries have a stored signature within 20 bits; half are unrelated. Concord is
# timed one query at a time (FAISS gets all the queries in one call).
#
# DATA=realistic (the default) imitates PDQ hashes of real collections: each hash has 128
# bits set (PDQ thresholds at the median), bits are skewed and correlated through a shared
# low-dimensional signal, and a fifth of the signatures are near-duplicates of others, in
# clusters. Uneven buckets are what hurts a multi-index hash. DATA=uniform draws every bit
# at random.
set -euo pipefail
cd "$(dirname "$0")/.."
SIGNATURES=${1:-10000000}
QUERIES=${2:-1000}
DATA=${DATA:-realistic}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" "$SIGNATURES" "$QUERIES" "$DATA" <<'PY'
import sys
import numpy as np
work, n, q, data = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.RandomState(31)

def flip(codes, counts):
    bits = np.unpackbits(codes, axis=1)
    for row, count in enumerate(counts):
        bits[row, rng.choice(256, count, replace=False)] ^= 1
    return np.packbits(bits, axis=1)

if data == "uniform":
    def draw(count):
        return rng.randint(0, 256, (count, 32), dtype=np.uint8)
    signatures = draw(n)
else:
    mixing = rng.normal(0, 1, (24, 256)).astype(np.float32)
    bias = rng.normal(0, 0.8, 256).astype(np.float32)
    def draw(count):
        out = np.empty((count, 32), dtype=np.uint8)
        for start in range(0, count, 250_000):
            rows = min(250_000, count - start)
            values = rng.normal(0, 1, (rows, 24)).astype(np.float32) @ mixing
            values += bias + rng.normal(0, 1.5, (rows, 256)).astype(np.float32)
            median = np.median(values, axis=1, keepdims=True)
            out[start:start + rows] = np.packbits(values > median, axis=1)
        return out
    originals = n - n // 5
    signatures = np.empty((n, 32), dtype=np.uint8)
    signatures[:originals] = draw(originals)
    # Near-duplicates cluster around originals, 20 copies each on average; popularity falls
    # off as 1/sqrt(rank), so the largest clusters hold a few thousand copies.
    popular = rng.randint(0, originals, max(1, (n - originals) // 20))
    weights = 1 / np.sqrt(np.arange(1, len(popular) + 1))
    parents = popular[rng.choice(len(popular), n - originals, p=weights / weights.sum())]
    # Each copy flips each bit with its own small probability: 12 bits on average, up to ~35.
    for start in range(originals, n, 250_000):
        rows = min(250_000, n - start)
        rates = rng.uniform(0, 24 / 256, (rows, 1)).astype(np.float32)
        noise = np.packbits(rng.random_sample((rows, 256)).astype(np.float32) < rates, axis=1)
        signatures[start:start + rows] = signatures[parents[start - originals:start - originals + rows]] ^ noise
queries = draw(q)
near = rng.randint(0, n, q // 2 + 1)
queries[0::2] = flip(signatures[near[:len(queries[0::2])]], [20] * len(queries[0::2]))
signatures.tofile(f"{work}/signatures.bin")
queries.tofile(f"{work}/queries.bin")
PY

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $SIGNATURES $DATA signatures, $QUERIES queries"
(cd Benchmarks && swift build -c release --product PDQMeasure 2>&1 | tail -n 1)
Benchmarks/.build/release/PDQMeasure --index "$WORK/signatures.bin" "$WORK/queries.bin"

# Each FAISS index in a process of its own, so that its resident memory is its own and not
# memory the other index gave back.
for kind in multihash flat; do
python3 - "$WORK" "$kind" <<'PY'
import sys, time
import numpy as np
import faiss
faiss.omp_set_num_threads(1)
work, kind = sys.argv[1], sys.argv[2]
signatures = np.fromfile(f"{work}/signatures.bin", dtype=np.uint8).reshape(-1, 32)
queries = np.fromfile(f"{work}/queries.bin", dtype=np.uint8).reshape(-1, 32)

def resident():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))

before = resident()
if kind == "multihash":
    name, index = "IndexBinaryMultiHash(16 x 16 bits, nflip 1)", faiss.IndexBinaryMultiHash(256, 16, 16)
    index.nflip = 1
else:
    name, index = "IndexBinaryFlat", faiss.IndexBinaryFlat(256)
start = time.perf_counter()
index.add(signatures)
build = time.perf_counter() - start
held = (resident() - before) / len(signatures)
# FAISS's binary range search keeps distances strictly below the radius.
start = time.perf_counter()
lims, distances, labels = index.range_search(queries, 32)
elapsed = time.perf_counter() - start
print(f"faiss {name}: build {build:.2f} s, {held:.1f} bytes/signature resident")
print(f"faiss {name}: {len(queries) / elapsed:.0f} queries/s on one thread, radius 31 ({len(queries)} queries, {len(labels)} matches)")
PY
done
