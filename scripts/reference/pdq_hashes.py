#!/usr/bin/env python3
"""Hashes raw RGB images with the reference PDQ implementation (the `pdqhash` package).

Usage: pdq_hashes.py FILE...    Each FILE holds "WIDTH HEIGHT\n" then WIDTH*HEIGHT*3 bytes.
Prints one JSON object per file: {"file", "quality", "hashes": [8 hex hashes]}, the hashes
in the order original, rotate-90, rotate-180, rotate-270, flip-x, flip-y, flip-plus-1,
flip-minus-1, and "single": the hex of pdqhash.compute (which skips the filter at 64x64).
"""
import json
import sys

import numpy as np
import pdqhash


def hex_of(bits):
    return bytes(np.packbits(np.asarray(bits, dtype=np.uint8))).hex()


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        width, height = (int(v) for v in f.readline().split())
        pixels = np.frombuffer(f.read(), dtype=np.uint8).reshape(height, width, 3)
    single, quality = pdqhash.compute(pixels)
    hashes, dihedral_quality = pdqhash.compute_dihedral(pixels)
    print(json.dumps({
        "file": path,
        "single": hex_of(single),
        "quality": int(quality),
        "hashes": [hex_of(h) for h in hashes],
        "dihedralQuality": int(dihedral_quality),
    }))
