#!/usr/bin/env python3
"""Writes N fictional French passports as NDJSON, numbered L000000000 upwards, for load tests."""
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
for i in range(count):
    out.write('{"issuer":"FRA","type":"passport","number":"L%09d","status":"stolen"}\n' % i)
