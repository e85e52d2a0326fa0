#!/usr/bin/env bash
# HTTP load on this machine, journal on: batch checks (documents/s), single checks flat out
# (requests/s), then single checks at half that rate (p99 latency), and GET /health/live on
# the same schedule: it does no work, so its latency is what the machine and wrk add to any answer.
#
#   scripts/load-test.sh [RECORDED]        (default 1000000 recorded documents; needs wrk)
#
# wrk and the server share the machine's cores, so the numbers are a floor for the server.
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDED=${1:-1000000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
HIT_EVERY=${HIT_EVERY:-1000}
PORT=${PORT:-18090}
BIN=.build/release/concord
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }

echo "machine: $(nproc) cores; $RECORDED recorded documents; 1 hit in $HIT_EVERY; $DURATION per run"
swift build -c release --product concord 2>&1 | tail -n 1
python3 scripts/load/generate.py "$RECORDED" > "$WORK/documents.ndjson"
"$BIN" import documents --data "$WORK/data" --member FRA "$WORK/documents.ndjson" >/dev/null
KEY=$("$BIN" keys create --data "$WORK/data" --role frontline --member ITA --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
"$BIN" serve --data "$WORK/data" --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 1; done

run() {
    CONCORD_KEY=$KEY RECORDED=$RECORDED HIT_EVERY=$HIT_EVERY THREADS=2 "$@" \
        wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency -s scripts/load/check.lua "http://127.0.0.1:$PORT" \
        | tail -n 1
}
echo "batch of 100:        $(BATCH=100 run env)"
single=$(BATCH=1 run env)
echo "single, flat out:    $single"
half=$(echo "$single" | awk '{print int($2 / 2)}')
echo "single at $half/s: $(BATCH=1 RATE=$half run env)"
echo "no-op at $half/s:  $(TARGET=live RATE=$half run env)"
"$BIN" journal verify --data "$WORK/data" | tail -n 1
