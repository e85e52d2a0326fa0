#!/usr/bin/env bash
# Measures `concord import documents` on generated fictional documents:
#   scripts/measure-import.sh [LINES] [ndjson|csv] [--postgres URL]
# Builds the release binary, writes LINES documents of one member to a temporary file,
# imports them into a fresh data folder (or the given PostgreSQL database), prints the
# report and the rate, and verifies the journal.
set -euo pipefail
cd "$(dirname "$0")/.."

lines="${1:-1000000}"
format="${2:-ndjson}"
shift $(( $# > 2 ? 2 : $# ))

swift build -c release --product concord >/dev/null
concord="$(swift build -c release --show-bin-path)/concord"
work="$(mktemp -d "${TMPDIR:-/tmp}/concord-import-XXXXXX")"
trap 'rm -rf "$work"' EXIT

store=(--data "$work/data")
if [ "${1:-}" = "--postgres" ]; then store=(--postgres "$2"); fi

echo "generating $lines $format lines ..."
"$concord" import generate --member FRA --lines "$lines" --format "$format" >"$work/documents.$format"
ls -l "$work/documents.$format"
echo "cores: $(nproc)"
echo "importing ..."
/usr/bin/time -v "$concord" import documents --member FRA "${store[@]}" "$work/documents.$format" \
    2> >(grep -E 'Elapsed|Maximum resident|import:' >&2)
"$concord" journal verify "${store[@]}"
