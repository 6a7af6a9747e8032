#!/usr/bin/env bash
# `trellis metrics` on the small and the large sample, whole process, on SQLite (and on
# PostgreSQL when a server URL is given): one program, and org-wide.
# Usage: bash bench/metrics.sh [postgres-admin-url]   (e.g. postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p trellis
bin=$PWD/target/release/trellis
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TRELLIS_NOW=2026-11-24T12:00:00Z

run() { # label db args...
  local label=$1 db=$2; shift 2
  local best=999999
  for _ in 1 2 3; do
    local s e ms
    s=$(date +%s%N); "$bin" --db "$db" --json metrics "$@" >/dev/null; e=$(date +%s%N)
    ms=$(( (e - s) / 1000000 )); (( ms < best )) && best=$ms
  done
  printf '%-44s %6d ms (best of 3)\n' "$label" "$best"
}

dbs=("sqlite:$dir/small.db" "sqlite:$dir/large.db")
if [[ $# -ge 1 ]]; then
  base=${1%/*}
  for n in small large; do
    psql "$1" -qc "DROP DATABASE IF EXISTS trellis_bench_$n" -c "CREATE DATABASE trellis_bench_$n" >/dev/null
    dbs+=("$base/trellis_bench_$n")
  done
fi
for db in "${dbs[@]}"; do
  case $db in *small*) size=small ;; *) size=large ;; esac
  "$bin" --db "$db" --json sample --size "$size" >/dev/null
  attendances=$("$bin" --db "$db" --json metrics --program 1 | python3 -c 'import json,sys; print(sum(e["attended"] for e in json.load(sys.stdin)["returning_builder_rate"]["per_event"]))')
  echo "== $db ($size sample)"
  run "metrics --program 1 (target < 300 ms)" "$db" --program 1
  run "metrics org-wide (target < 2 s)" "$db"
done
