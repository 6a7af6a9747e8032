#!/usr/bin/env bash
# The listening benchmark (issue 8): a deterministic WhatsApp export of just over 1,000,000
# messages (crates/trellis-chat/examples/chat_gen.rs), imported by the release binary into
# SQLite and into PostgreSQL (whole process: parsing, VADER tone, the database), imported
# again (the no-op path), then `listen report` of an event in the middle of the chat (7 days,
# and the longest window, 365 days), and `listen purge` of the channel. Wall time and peak
# memory (/usr/bin/time), best of 3 for the reports. Targets: import under 10 s (SQLite) and
# 20 s (PostgreSQL), report under 0.5 s.
#
# Usage: bash bench/listen.sh [postgres-admin-url]
#   default URL: $TRELLIS_TEST_POSTGRES, else postgres://postgres@127.0.0.1:5432/postgres
#   MESSAGES overrides the generator's count (default 1021000: ~1,000,500 messages from
#   people once system lines are left out). Needs psql and /usr/bin/time.
# Tone alone, on one core: taskset -c 0 cargo bench -p trellis-tone --bench tone
set -euo pipefail
cd "$(dirname "$0")/.."
pg_admin=${1:-${TRELLIS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}}
n=${MESSAGES:-1021000}
for tool in psql /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install postgresql-client time)"; exit 1; }
done

cargo build --release -q -p trellis
cargo build --release -q -p trellis-chat --example chat_gen
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/trellis
gen=$target/release/examples/chat_gen
dir=${LISTEN_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
trap 'rm -rf "$dir"/*.db "$dir"/*.db-*' EXIT
chat=$dir/wa-$n.txt
if [[ ! -s $chat ]]; then "$gen" whatsapp-android "$n" "$chat"; fi
export TRELLIS_NOW=2026-11-24T12:00:00Z TRELLIS_ACTOR=bench
echo "file: $chat ($(( $(stat -c %s "$chat") / 1000000 )) MB); load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# Runs a command under /usr/bin/time; prints "seconds peak_kib".
timed() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || {
    cat "$dir/err.txt"; exit 1; }
  tail -1 "$dir/time.txt"
}
best_of_3() {
  local best=999999 kib sec k
  for _ in 1 2 3; do
    read -r sec k < <(timed "$@")
    if (( $(echo "$sec < $best" | bc) )); then best=$sec; kib=$k; fi
  done
  echo "$best $kib"
}
row() { printf '%-44s %8.2f s %8s MiB   %s\n' "$1" "$2" "$(( $3 / 1024 ))" "${4:-}"; }
export PGOPTIONS="-c client_min_messages=warning"
pg_db() { # a fresh database named $1 on the server; prints its URL
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "${pg_admin%/*}/$1"
}

bench() { # label db import-target-seconds
  local db=$2 sec kib
  "$bin" --db "$db" program add "Bench" --tz Europe/Berlin >/dev/null
  "$bin" --db "$db" event new --program 1 --title "Agents and parsers night" --at "2021-06-10 18:30" >/dev/null
  read -r sec kib < <(timed "$bin" --db "$db" --json listen import "$chat" --program 1 --channel bench)
  local added
  added=$(sed -n 's/.*"added": *\([0-9]*\).*/\1/p' "$dir/out.txt" | head -1)
  row "listen import → $1 ($added messages)" "$sec" "$kib" \
    "$(if (( $(echo "$sec < $3" | bc) )); then echo "ok (< $3 s)"; else echo "OVER $3 s"; fi)"
  read -r sec kib < <(timed "$bin" --db "$db" --json listen import "$chat" --program 1 --channel bench)
  row "  same file again (nothing new)" "$sec" "$kib"
  read -r sec kib < <(best_of_3 "$bin" --db "$db" --json listen report 1)
  row "  listen report, 7 days (best of 3)" "$sec" "$kib" \
    "$(if (( $(echo "$sec < 0.5" | bc) )); then echo "ok (< 0.5 s)"; else echo "OVER 0.5 s"; fi)"
  read -r sec kib < <(best_of_3 "$bin" --db "$db" --json listen report 1 --days 365)
  row "  listen report, 365 days (best of 3)" "$sec" "$kib"
  cp "$dir/out.txt" "$dir/before.json"
  read -r sec kib < <(timed "$bin" --db "$db" --json listen purge bench)
  row "  listen purge" "$sec" "$kib"
  "$bin" --db "$db" --json listen report 1 --days 365 >"$dir/after.json"
  python3 - "$dir/before.json" "$dir/after.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b):
    r.pop("limits")
    for m in r["most_negative"]:
        m.pop("text")
print("  report after the purge: " + ("the same figures" if a == b else "DIFFERENT"))
PY
}

bench SQLite "$dir/listen.db" 10
bench PostgreSQL "$(pg_db trellis_bench_listen)" 20
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS trellis_bench_listen WITH (FORCE)" >/dev/null
