#!/usr/bin/env bash
# The dashboard under load on the large sample: wrk, 64 connections, 30 s; the
# all-programs dashboard likewise; the stylesheet alone and during a login flood.
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
  # On the wall clock: a pinned TRELLIS_NOW would keep the dashboard's cached block
  # fresh for ever, and the recompute every 10 s is what is measured.
  env -u TRELLIS_NOW "$bin" --db "$1" serve --addr "127.0.0.1:$2" >"$dir/serve-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$2/login" && return; sleep 0.1; done
  echo "server on port $2 did not start" >&2; cat "$dir/serve-$2.log" >&2; exit 1
}
login_token() { # port -> "cookie token": the login form's double-submit pair
  local page
  page=$(curl -s -D - "http://127.0.0.1:$1/login" | tr -d '\r')
  printf '%s %s\n' \
    "$(printf '%s' "$page" | sed -n 's/^[Ss]et-[Cc]ookie: \(trellis_login=[^;]*\).*/\1/p' | head -1)" \
    "$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
}
cookie() { # port
  local pair
  read -r -a pair <<<"$(login_token "$1")"
  curl -s -o /dev/null -D - -b "${pair[0]}" \
    -d "email=bench@trellis.example&password=a+long+enough+password&csrf=${pair[1]}" "http://127.0.0.1:$1/login" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
}
report() { # label file
  local p99 reqs errors
  p99=$(awk '/ 99%/ {print $2}' "$2")
  reqs=$(awk '/Requests\/sec/ {print $2}' "$2")
  errors=$(grep -E 'Non-2xx|Socket errors' "$2" || echo "none")
  printf '  %s: %s req/s, p99 %s, errors: %s\n' "$1" "$reqs" "$p99" "$errors"
}
load() { # port connections [path]
  local path=${3:-/}
  wrk -t2 -c"$2" -d"${duration}s" --latency -H "Cookie: $(cookie "$1")" "http://127.0.0.1:$1$path" >"$dir/wrk-$1.txt"
  report "port $1 $path" "$dir/wrk-$1.txt"
}
css_path() { # port
  curl -s "http://127.0.0.1:$1/login" | sed -n 's/.*rel="stylesheet" href="\([^"]*\)".*/\1/p' | head -1
}
# The stylesheet alone, then during a flood of wrong logins (8 connections, as fast as
# they go; from one address, so the throttle soon answers most of them with 429).
css_during_login_flood() { # port
  local css pair
  css=$(css_path "$1")
  wrk -t1 -c8 -d10s --latency "http://127.0.0.1:$1$css" >"$dir/css-alone.txt"
  report "CSS alone" "$dir/css-alone.txt"
  read -r -a pair <<<"$(login_token "$1")"
  cat >"$dir/flood.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "${pair[0]}"
wrk.body = "email=bench%40trellis.example&password=wrong&csrf=${pair[1]}"
LUA
  wrk -t1 -c8 -d12s -s "$dir/flood.lua" "http://127.0.0.1:$1/login" >"$dir/flood.txt" &
  local flood=$!
  sleep 1
  wrk -t1 -c8 -d10s --latency "http://127.0.0.1:$1$css" >"$dir/css-flood.txt"
  wait "$flood"
  report "CSS during the login flood" "$dir/css-flood.txt"
  report "the login flood itself (401 and 429 count as non-2xx)" "$dir/flood.txt"
}
rss() { # pid
  awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"
}

echo "== SQLite, one server, 64 connections, ${duration}s (target: p99 < 100 ms, zero errors)"
prepare "$dir/large.db"
serve "$dir/large.db" 18181
load 18181 64
echo "== the all-programs dashboard, same server (first computation done before the run)"
curl -s -o /dev/null -H "Cookie: $(cookie 18181)" "http://127.0.0.1:18181/?program=all"
echo "  memory before: $(rss "${pids[0]}")"
load 18181 64 "/?program=all"
echo "  memory after: $(rss "${pids[0]}")"
echo "== the stylesheet, alone and during a login flood"
css_during_login_flood 18181

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
