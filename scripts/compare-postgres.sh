#!/usr/bin/env bash
# Side by side, in one run on this machine: N travel documents checked one SELECT per document
# through PostgreSQL with a B-tree index (pgbench, prepared statements, local socket), and the
# same N documents checked through Concord's in-memory index and over its HTTP API.
#
#   scripts/compare-postgres.sh [N]        (default 10000000; needs wrk, pgbench, PostgreSQL binaries)
#
# Mostly misses, one hit in HIT_EVERY (default 1000), as at a border. Prints one line per
# system and the ratios. The machine is shared and noisy: compare ratios, not absolutes.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000000}
DURATION=${DURATION:-20}
HIT_EVERY=${HIT_EVERY:-1000}
CLIENTS=${CLIENTS:-2}
BIN=.build/release/concord
WORK=$(mktemp -d)
chmod 755 "$WORK"
PGPORT=${PGPORT:-15433}
SERVER=

# The server's own folder, where initdb, pg_ctl, psql and pgbench of one version live together.
bindir=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")")
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    as_postgres "$bindir/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores; $N documents; 1 hit in $HIT_EVERY; ${DURATION}s per run"
swift build -c release --product concord 2>&1 | tail -n 1

# PostgreSQL: one table, one B-tree over the lookup key, as most systems would store it.
mkdir -p "$WORK/pg" && [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_postgres "$bindir/initdb" -D "$WORK/pg" -U postgres -A trust >/dev/null
as_postgres "$bindir/pg_ctl" -D "$WORK/pg" -o "-p $PGPORT -k $WORK/pg -c shared_buffers=1GB -c fsync=off" \
    -l "$WORK/pg/log" -w start >/dev/null
PSQL=("$bindir/psql" -q -h "$WORK/pg" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1)
start=$(date +%s)
as_postgres "${PSQL[@]}" <<SQL
CREATE TABLE documents (issuer text, type text, number text, owner text, status text, id uuid);
INSERT INTO documents
    SELECT 'FRA', 'passport', 'L' || lpad(i::text, 9, '0'), 'FRA', 'stolen', md5(i::text)::uuid
    FROM generate_series(0, $N - 1) AS i;
CREATE INDEX documents_key ON documents (issuer, type, number);
VACUUM ANALYZE documents;
SQL
echo "postgresql: loaded and indexed in $(( $(date +%s) - start )) s"
cat > "$WORK/miss.sql" <<'SQL'
\set n random(0, 999999999)
SELECT owner, status, id FROM documents WHERE issuer = 'FRA' AND type = 'passport' AND number = 'M' || lpad(:n::text, 9, '0');
SQL
cat > "$WORK/hit.sql" <<SQL
\set n random(0, $N - 1)
SELECT owner, status, id FROM documents WHERE issuer = 'FRA' AND type = 'passport' AND number = 'L' || lpad(:n::text, 9, '0');
SQL
chmod 644 "$WORK"/*.sql
pg_rate=$(as_postgres "$bindir/pgbench" -h "$WORK/pg" -p "$PGPORT" -U postgres -n -M prepared -c "$CLIENTS" -j "$CLIENTS" \
    -T "$DURATION" -f "$WORK/miss.sql@$((HIT_EVERY - 1))" -f "$WORK/hit.sql@1" postgres | awk '/^tps/ {print int($3)}')
echo "postgresql: $pg_rate lookups/s (one SELECT per document, $CLIENTS clients)"
as_postgres "$bindir/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null

# Concord: the same documents, imported, then checked in batches of 100 over HTTP.
python3 scripts/load/generate.py "$N" > "$WORK/documents.ndjson"
start=$(date +%s)
"$BIN" import documents --data "$WORK/concord" --member FRA "$WORK/documents.ndjson" >/dev/null
echo "concord: imported in $(( $(date +%s) - start )) s"
KEY=$("$BIN" keys create --data "$WORK/concord" --role frontline --member ITA --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
"$BIN" serve --data "$WORK/concord" --port 18091 > "$WORK/serve.log" 2>&1 &
SERVER=$!
until curl -sf http://127.0.0.1:18091/health >/dev/null; do sleep 1; done
echo "concord: serving after $(( $(date +%s) - start )) s from the start of the import"
http_line=$(CONCORD_KEY=$KEY BATCH=100 RECORDED=$N HIT_EVERY=$HIT_EVERY CONNECTIONS=16 \
    wrk -t2 -c16 -d"${DURATION}s" --timeout 5s -s scripts/load/check.lua http://127.0.0.1:18091 | tail -n 1)
echo "concord http: $http_line"
http_rate=$(echo "$http_line" | awk '{print int($4)}')
echo "ratio: concord over HTTP checks $(python3 -c "print(f'{$http_rate / max($pg_rate, 1):.1f}')")x the documents/s of PostgreSQL"
