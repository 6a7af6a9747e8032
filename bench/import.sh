#!/usr/bin/env bash
# The import benchmark (issue 6): a deterministic 1,000,000-row Luma guest CSV, imported
# into SQLite and into PostgreSQL by the release binary (whole process, identity work
# included), beside the raw bulk loaders with no identity work at all: `sqlite3 .import`
# into one untyped table and PostgreSQL's COPY (through psql \copy). Wall time and peak
# memory (/usr/bin/time) for each.
#
# Usage: bash bench/import.sh [postgres-admin-url]
#   default URL: $TRELLIS_TEST_POSTGRES, else postgres://postgres@127.0.0.1:5432/postgres
#   ROWS / PEOPLE override the file's size (default 1000000 rows over 250000 people).
# Needs: sqlite3 and psql (Debian: apt-get install sqlite3 postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
pg_admin=${1:-${TRELLIS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}}
rows=${ROWS:-1000000}
people=${PEOPLE:-250000}
for tool in sqlite3 psql /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install sqlite3 postgresql-client time)"; exit 1; }
done

cargo build --release -q -p trellis
cargo build --release -q -p trellis-import --example luma_gen
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/trellis
gen=$target/release/examples/luma_gen
dir=${IMPORT_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
trap 'rm -rf "$dir"/*.db "$dir"/*.db-*' EXIT
csv=$dir/luma-bench-$rows.csv
if [[ ! -s $csv ]]; then "$gen" "$rows" "$people" >"$csv"; fi
size_mb=$(( $(stat -c %s "$csv") / 1000000 ))
export TRELLIS_NOW=2026-11-24T12:00:00Z TRELLIS_ACTOR=bench

# Runs a command under /usr/bin/time; prints "seconds peak_kib".
timed() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/out.txt" 2>"$dir/err.txt" || {
    cat "$dir/err.txt"; exit 1; }
  cat "$dir/time.txt" | tail -1
}

prepare() { # $1 = db: a program with one held event (id 1)
  "$bin" --db "$1" program add "Bench" --tz Europe/Berlin >/dev/null
  "$bin" --db "$1" event new --program 1 --title "Bench night" --at "2025-03-11 18:30" >/dev/null
  "$bin" --db "$1" event announce 1 --override "benchmark" >/dev/null 2>&1
  "$bin" --db "$1" event held 1 >/dev/null
}

pg_db() { # a fresh database named $1 on the server; prints its URL
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "${pg_admin%/*}/$1"
}

declare -a lines
row() { # name seconds peak_kib
  local rps mb
  rps=$(echo "$rows / $2" | bc)
  mb=$(echo "$3 / 1024" | bc)
  lines+=("$(printf '%-34s %8.2f s %10s rows/s %8s MiB' "$1" "$2" "$rps" "$mb")")
}

echo "file: $csv ($rows rows, $people people, ${size_mb} MB); load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

bench_trellis() { # label db report-name: the import, then the same file again (the no-op path)
  local sec kib
  prepare "$2"
  read -r sec kib < <(timed "$bin" --db "$2" --json import luma "$csv" --event 1)
  cp "$dir/out.txt" "$dir/report-$3.json"
  row "trellis import → $1" "$sec" "$kib"
  last_sec=$sec
  read -r sec kib < <(timed "$bin" --db "$2" --json import luma "$csv" --event 1)
  row "  same file again (no changes)" "$sec" "$kib"
}

bench_trellis SQLite "$dir/trellis.db" sqlite
s_sec=$last_sec
bench_trellis PostgreSQL "$(pg_db trellis_bench_import)" postgres
p_sec=$last_sec

# --- the raw loaders: no identity work, one untyped table
raw=$dir/raw.db
read -r q_sec q_kib < <(timed sqlite3 "$raw" -cmd ".mode csv" ".import $csv guests")
row "sqlite3 .import (untyped table)" "$q_sec" "$q_kib"
rawurl=$(pg_db trellis_bench_raw)
cols=$(head -1 "$csv" | sed 's/^\xEF\xBB\xBF//; s/\r$//' | awk -F, '{for(i=1;i<=NF;i++) printf "%sc%d text", (i>1?", ":""), i}')
psql -q "$rawurl" -c "CREATE TABLE guests ($cols)" >/dev/null
read -r c_sec c_kib < <(timed psql -q "$rawurl" -c "\\copy guests FROM '$csv' WITH (FORMAT csv, HEADER true)")
row "PostgreSQL COPY (psql \\copy)" "$c_sec" "$c_kib"

echo
printf '%s\n' "${lines[@]}"
echo
python3 - "$dir/report-sqlite.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"report (SQLite): rows {r['rows']}, people_new {r['people_new']}, combined {r['combined']}, "
      f"attendances added {r['added']}, answers {r['answers']}, skipped {len(r['skipped'])}")
EOF
ratio() { echo "scale=1; $1 / $2" | bc; }
echo "trellis/SQLite is $(ratio "$s_sec" "$q_sec")× sqlite3 .import; trellis/PostgreSQL is $(ratio "$p_sec" "$c_sec")× COPY (goal: within 5×)"
echo "targets: ≥ 100000 rows/s each, peak < 200 MiB"
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS trellis_bench_import WITH (FORCE)" -c "DROP DATABASE IF EXISTS trellis_bench_raw WITH (FORCE)" >/dev/null
