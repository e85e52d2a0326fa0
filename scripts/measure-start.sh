#!/usr/bin/env bash
# Times how a node's document index is loaded at scale: from the store, then from its snapshot.
#   scripts/measure-start.sh [DOCUMENTS] [STARTS]     (default 10000000 documents, 2 starts each)
#
# Imports DOCUMENTS generated documents of one member into a fresh SQLite data folder (about
# 600 bytes of disk a document), then starts `concord serve` STARTS times without a snapshot and
# STARTS times from the snapshot the last of those wrote when it stopped. Each start prints the
# seconds the server logged for the load, the processor time the server had used by then, and
# its peak resident memory (VmHWM). The first start from the store may have to read it from
# disk; the later ones find it in the page cache, unless COLD=1 (as root) empties the page cache
# before every start, so that each reads from the disk.
# DATA=DIR keeps the data folder there, and reuses it when it already holds documents.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCUMENTS=${1:-10000000}
STARTS=${2:-2}
PORT=${PORT:-18092}

swift build -c release --product concord 2>&1 | tail -n 1
concord="$(swift build -c release --show-bin-path)/concord"
if [ -n "${DATA:-}" ]; then
    data=$DATA
    logs=$(mktemp -d)
    trap 'rm -rf "$logs"' EXIT
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/concord-start-XXXXXX")
    data=$work/data
    logs=$work
    trap 'rm -rf "$work"' EXIT
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) of memory"

if [ ! -e "$data/concord.sqlite" ]; then
    needed=$((DOCUMENTS * 600 / 1048576))
    free=$(df -Pk "$(dirname "$data")" | awk 'NR == 2 {print int($4 / 1024)}')
    if [ "$free" -lt "$needed" ]; then
        echo "about $needed MB of disk are needed for $DOCUMENTS documents; $free MB are free" >&2
        exit 1
    fi
    echo "importing $DOCUMENTS documents ..."
    started=$(date +%s)
    "$concord" import generate --member FRA --lines "$DOCUMENTS" --format ndjson \
        | "$concord" import documents --data "$data" --member FRA --format ndjson - 2>&1 | tail -n 1
    echo "imported in $(($(date +%s) - started)) s; store $(du -sh "$data" | cut -f1)"
fi

if [ "${COLD:-0}" = 1 ] && [ ! -w /proc/sys/vm/drop_caches ]; then
    echo "COLD=1 empties the page cache through /proc/sys/vm/drop_caches, which needs root" >&2
    exit 1
fi

# Starts the server, waits until its index is loaded and it answers, prints the load's line, the
# processor time and the peak memory, and stops it with SIGTERM (the snapshot is written on stop).
start() {
    if [ "${COLD:-0}" = 1 ]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches
    fi
    "$concord" serve --data "$data" --port "$PORT" >"$logs/serve.log" 2>&1 &
    local server=$!
    until grep -q "document index loaded from the" "$logs/serve.log" \
        && curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$logs/serve.log" >&2; exit 1; }
        sleep 0.2
    done
    local peak cpu
    peak=$(awk '/VmHWM/ {printf "%.2f GB", $2 / 1048576}' "/proc/$server/status")
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f s", ($14 + $15) / hz}' "/proc/$server/stat")
    sed -n 's/.*documents=\([0-9]*\).*seconds=\([0-9.]*\).*document index loaded \(from the [a-z]*\).*/\3: \1 documents in \2 s/p' \
        "$logs/serve.log" | sed "s/\$/, processor $cpu, peak memory $peak/"
    kill -TERM "$server"
    wait "$server" || true
}

for _ in $(seq "$STARTS"); do
    rm -f "$data/document-index.snapshot"
    start
done
for _ in $(seq "$STARTS"); do start; done
