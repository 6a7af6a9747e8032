#!/usr/bin/env bash
# The dashboard under load on the large sample: wrk, 64 connections, 30 s.
#   SQLite: one `trellis serve`.
#   PostgreSQL (when a server URL is given): two `trellis serve` processes on the same
#   database, each taking half the connections.
# Usage: bash bench/web.sh [postgres-admin-url]      (needs Debian's wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release -q -p trellis
bin=$PWD/target/release/trellis
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
export TRELLIS_NOW=2026-11-24T12:00:00Z
duration=${TRELLIS_BENCH_SECONDS:-30}

prepare() { # db
  "$bin" --db "$1" --json sample --size large >/dev/null
  printf 'a long enough password\n' | "$bin" --db "$1" user add bench@trellis.example --name Bench --role organizer --password-stdin >/dev/null
}
serve() { # db port
  "$bin" --db "$1" serve --addr "127.0.0.1:$2" >"$dir/serve-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/login" && return; sleep 0.1; done
  echo "server on port $2 did not start" >&2; cat "$dir/serve-$2.log" >&2; exit 1
}
cookie() { # port
  curl -s -o /dev/null -D - -d 'email=bench@trellis.example&password=a+long+enough+password' "http://127.0.0.1:$1/login" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
}
load() { # port connections
  wrk -t1 -c"$2" -d"${duration}s" --latency -H "Cookie: $(cookie "$1")" "http://127.0.0.1:$1/" >"$dir/wrk-$1.txt"
  local p99 reqs errors
  p99=$(awk '/ 99%/ {print $2}' "$dir/wrk-$1.txt")
  reqs=$(awk '/Requests\/sec/ {print $2}' "$dir/wrk-$1.txt")
  errors=$(grep -E 'Non-2xx|Socket errors' "$dir/wrk-$1.txt" || echo "none")
  printf '  port %s: %s req/s, p99 %s, errors: %s\n' "$1" "$reqs" "$p99" "$errors"
}

echo "== SQLite, one server, 64 connections, ${duration}s (target: p99 < 100 ms, zero errors)"
prepare "$dir/large.db"
serve "$dir/large.db" 18181
load 18181 64

if [[ $# -ge 1 ]]; then
  base=${1%/*}
  psql "$1" -qc "DROP DATABASE IF EXISTS trellis_bench_web" -c "CREATE DATABASE trellis_bench_web" >/dev/null
  pg="$base/trellis_bench_web"
  echo "== PostgreSQL, two servers on one database, 32 connections each, ${duration}s"
  prepare "$pg"
  serve "$pg" 18182
  serve "$pg" 18183
  load 18182 32 &
  w=$!
  load 18183 32
  wait $w
fi
