#!/usr/bin/env bash
# Loads the large sample (50 programs × 60 events × ~150 attendees) into a fresh SQLite
# file with the release binary, reports wall time and peak memory, then times `event show`
# as a whole process. Usage: bash bench/sample_large.sh [postgres-url]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p trellis
bin=target/release/trellis
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=${1:-$dir/large.db}
export TRELLIS_NOW=2026-11-24T12:00:00Z

echo "== trellis sample --size large (db: $db)"
start=$(date +%s.%N)
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -f "peak RSS %M KiB" "$bin" --db "$db" --json sample --size large >"$dir/loaded.json"
else
  "$bin" --db "$db" --json sample --size large >"$dir/loaded.json"
fi
end=$(date +%s.%N)
printf 'loaded: %s\nwall: %.2f s (target < 60 s)\n' "$(tr -d ' \n' <"$dir/loaded.json")" "$(echo "$end - $start" | bc)"

# A draft event (gates evaluated) in the middle of the id range.
event=$("$bin" --db "$db" --json event list --program 25 | python3 -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin) if e["status"]=="draft"][0])')
echo "== trellis event show $event (whole process, 20 runs)"
start=$(date +%s.%N)
for _ in $(seq 20); do "$bin" --db "$db" event show "$event" >/dev/null; done
end=$(date +%s.%N)
printf 'event show: %.1f ms per run, process start-up included\n' "$(echo "($end - $start) * 1000 / 20" | bc -l)"
