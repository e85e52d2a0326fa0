#!/usr/bin/env bash
# The PDQ Hamming index side by side with FAISS (faiss-cpu) on the same signatures and
# queries, radius 31, one thread each:
#   scripts/compare-hamming.sh [SIGNATURES] [QUERIES]     (default 10000000 and 1000)
# Half the queries have a stored signature within 20 bits; half are unrelated.
set -euo pipefail
cd "$(dirname "$0")/.."
SIGNATURES=${1:-10000000}
QUERIES=${2:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" "$SIGNATURES" "$QUERIES" <<'PY'
import sys
import numpy as np
work, n, q = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.RandomState(31)
signatures = rng.randint(0, 256, (n, 32), dtype=np.uint8)
queries = rng.randint(0, 256, (q, 32), dtype=np.uint8)
for i in range(0, q, 2):
    near = signatures[rng.randint(n)].copy()
    bits = np.unpackbits(near)
    bits[rng.choice(256, 20, replace=False)] ^= 1
    queries[i] = np.packbits(bits)
signatures.tofile(f"{work}/signatures.bin")
queries.tofile(f"{work}/queries.bin")
PY

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $SIGNATURES signatures, $QUERIES queries"
(cd Benchmarks && swift build -c release --product PDQMeasure 2>&1 | tail -n 1)
Benchmarks/.build/release/PDQMeasure --index "$WORK/signatures.bin" "$WORK/queries.bin"

python3 - "$WORK" <<'PY'
import sys, time
import numpy as np
import faiss
faiss.omp_set_num_threads(1)
work = sys.argv[1]
signatures = np.fromfile(f"{work}/signatures.bin", dtype=np.uint8).reshape(-1, 32)
queries = np.fromfile(f"{work}/queries.bin", dtype=np.uint8).reshape(-1, 32)
# FAISS's binary range search keeps distances strictly below the radius.
for name, index in [("IndexBinaryMultiHash(16 x 16 bits, nflip 1)", faiss.IndexBinaryMultiHash(256, 16, 16)),
                    ("IndexBinaryFlat", faiss.IndexBinaryFlat(256))]:
    if isinstance(index, faiss.IndexBinaryMultiHash):
        index.nflip = 1
    start = time.perf_counter()
    index.add(signatures)
    build = time.perf_counter() - start
    start = time.perf_counter()
    lims, distances, labels = index.range_search(queries, 32)
    elapsed = time.perf_counter() - start
    print(f"faiss {name}: build {build:.2f} s, {len(queries) / elapsed:.0f} queries/s on one thread, radius 31 ({len(queries)} queries, {len(labels)} matches)")
PY
