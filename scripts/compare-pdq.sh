#!/usr/bin/env bash
# PDQ hashing side by side with the reference C++ (through the pdqhash package), on the same
# decoded pixels, one thread, decoding excluded:
#   scripts/compare-pdq.sh [SIZE] [REPETITIONS]      (default 1024 pixels square, 50 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1024}
REPETITIONS=${2:-50}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK/image.rgb" "$SIZE" <<'PY'
import sys
import numpy as np
path, size = sys.argv[1], int(sys.argv[2])
y, x = np.mgrid[0:size, 0:size]
rng = np.random.RandomState(7)
image = np.stack([
    (127 + 60 * np.sin(x / 37.0) + 50 * np.cos(y / 23.0)),
    (110 + 40 * np.sin((x + y) / 51.0)),
    (90 + 30 * np.cos(x / 13.0)),
], axis=-1) + rng.randint(0, 24, (size, size, 3))
pixels = np.clip(image, 0, 255).astype(np.uint8)
with open(path, "wb") as f:
    f.write(f"{size} {size}\n".encode())
    f.write(pixels.tobytes())
PY

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd Benchmarks && swift build -c release --product PDQMeasure 2>&1 | tail -n 1)
Benchmarks/.build/release/PDQMeasure "$WORK/image.rgb" "$REPETITIONS"

python3 - "$WORK/image.rgb" "$REPETITIONS" <<'PY'
import sys, time
import numpy as np
import pdqhash
path, repetitions = sys.argv[1], int(sys.argv[2])
with open(path, "rb") as f:
    width, height = (int(v) for v in f.readline().split())
    pixels = np.frombuffer(f.read(), dtype=np.uint8).reshape(height, width, 3).copy()
times = []
for _ in range(repetitions):
    start = time.perf_counter()
    bits, quality = pdqhash.compute(pixels)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print("hash " + bytes(np.packbits(bits)).hex() + f" quality {quality}")
print(f"reference pdq {width}x{height}: median {times[len(times) // 2]:.3f} ms, best {times[0]:.3f} ms over {repetitions}")
PY
