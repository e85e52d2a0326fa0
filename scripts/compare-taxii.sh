#!/usr/bin/env bash
# TAXII side by side, in one run on this machine: the same indicators posted (envelopes of
# 1000) and paged back (pages of 100) through medallion, the OASIS reference server with its
# memory backend, and through Concord (release build, SQLite store, journal on), both driven
# by the OASIS taxii2-client. Prints each server's rates and the ratios.
#
#   scripts/compare-taxii.sh [COUNT]       (default 10000; needs scripts/reference/requirements-compare.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000}
BIN=.build/release/concord
WORK=$(mktemp -d)
MEDALLION_PORT=${MEDALLION_PORT:-18095}
CONCORD_PORT=${CONCORD_PORT:-18096}
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
wait_for() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $COUNT indicators"
swift build -c release --product concord 2>&1 | tail -n 1

# medallion: one API root with one collection, in memory, Basic authentication.
COLLECTION=$(python3 -c 'import uuid; print(uuid.uuid4())')
BASE="http://127.0.0.1:$MEDALLION_PORT"
cat > "$WORK/medallion-data.json" <<JSON
{
  "/discovery": {"title": "medallion", "default": "$BASE/bench/", "api_roots": ["$BASE/bench/"]},
  "bench": {
    "information": {"title": "bench", "versions": ["application/taxii+json;version=2.1"],
                    "max_content_length": 104857600},
    "status": [],
    "collections": [{"id": "$COLLECTION", "title": "bench", "can_read": true, "can_write": true,
                     "media_types": ["application/stix+json;version=2.1"], "objects": [], "manifest": []}]
  }
}
JSON
cat > "$WORK/medallion.json" <<JSON
{"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
             "filename": "$WORK/medallion-data.json"},
 "users": {"bench": "bench-password"}, "taxii": {"max_page_size": 100}}
JSON
python3 -m medallion.scripts.run --port "$MEDALLION_PORT" "$WORK/medallion.json" > "$WORK/medallion.log" 2>&1 &
PIDS+=($!)
wait_for "$BASE/taxii2/"
medallion=$(python3 scripts/reference/taxii_throughput.py --api-root "$BASE/bench/" --collection "$COLLECTION" \
    --user bench --password bench-password --count "$COUNT")
echo "medallion: $medallion"

# Concord: a trust group with one collection, and a partner key under a Gateway agreement.
"$BIN" keys create --data "$WORK/concord" --role secretariat.admin --json > "$WORK/admin.json"
ADMIN=$(json_field '["key"]' < "$WORK/admin.json")
"$BIN" serve --data "$WORK/concord" --port "$CONCORD_PORT" > "$WORK/concord.log" 2>&1 &
PIDS+=($!)
BASE="http://127.0.0.1:$CONCORD_PORT"
wait_for "$BASE/health"
post() { curl -sf -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$3" "$BASE$2"; }
AGREEMENT=$(post POST /v1/agreements \
    '{"partner":"Bench Co","services":["gateway"],"country":"NLD","validUntil":"2099-01-01T00:00:00Z"}' | json_field '["id"]')
PARTNER=$(post POST "/v1/agreements/$AGREEMENT/keys" '{"label":"bench"}' | json_field '["key"]')
COLLECTION=$(post PUT /v1/gateway/roots/bench \
    "{\"title\":\"bench\",\"participants\":[\"$AGREEMENT\"],\"collections\":[{\"title\":\"bench\",\"readers\":[\"participants\"],\"writers\":[\"participants\"]}]}" \
    | json_field '["collections"][0]["id"]')
concord=$(python3 scripts/reference/taxii_throughput.py --api-root "$BASE/taxii2/bench/" --collection "$COLLECTION" \
    --user bench --password "$PARTNER" --count "$COUNT")
echo "concord:   $concord"

python3 - "$medallion" "$concord" <<'PY'
import json, sys
medallion, concord = (json.loads(text) for text in sys.argv[1:3])
for label, key in (("post", "postPerSecond"), ("page", "pagePerSecond")):
    print(f"{label}: medallion {medallion[key]:8.0f} objects/s, concord {concord[key]:8.0f} objects/s, "
          f"ratio {concord[key] / medallion[key]:.1f}x")
PY
