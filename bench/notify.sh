#!/usr/bin/env bash
# Issue 17's figures, whole process, on SQLite:
# 1. planning the due messages on the large sample (`notify run --dry-run`; target < 200 ms);
# 2. the outbox's drain rate over one SMTP connection to the local aiosmtpd sink
#    (target >= 200 messages/s), printed beside a raw smtplib client's rate on the same sink.
# Needs python3-aiosmtpd. Usage: bash bench/notify.sh [extra-organizers (default 300)]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p trellis
bin=$PWD/target/release/trellis
dir=$(mktemp -d)
sink_pid=
cleanup() { [[ -n $sink_pid ]] && kill "$sink_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export TRELLIS_NOW=2026-11-24T12:00:00Z
# Debian's interpreter: the one python3-aiosmtpd is installed for.
py=python3; [[ -x /usr/bin/python3 ]] && py=/usr/bin/python3
db=sqlite:$dir/large.db
"$bin" --db "$db" --json sample --size large >/dev/null

ms() { echo $(( ($2 - $1) / 1000000 )); }
best=999999
for _ in 1 2 3 4 5; do
  s=$(date +%s%N); "$bin" --db "$db" --json notify run --dry-run >"$dir/due.json"; e=$(date +%s%N)
  t=$(ms "$s" "$e"); (( t < best )) && best=$t
done
due=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["due"]))' "$dir/due.json")
printf '%-58s %6d ms (best of 5; %d messages due)\n' "plan the due messages, large sample (target < 200 ms)" "$best" "$due"

# More organizers on program 1, so the drain has enough messages to time.
for i in $(seq 1 "${1:-300}"); do
  "$bin" --db "$db" organizer add --name "Bench $i" --email "bench$i@example.org" --program 1 >/dev/null 2>&1
done
planned=$("$bin" --db "$db" --json notify run 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["planned"])')

# Starts the sink writing to $1; sets $port and $sink_pid (not in a subshell, so that
# the pid is this shell's to stop).
start_sink() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$1"
  "$py" crates/trellis/tests/smtp/sink.py "$port" "$1" >"$1.out" &
  sink_pid=$!
  until grep -q ready "$1.out" 2>/dev/null; do
    kill -0 "$sink_pid" 2>/dev/null || { echo "the SMTP sink did not start (python3-aiosmtpd?)" >&2; exit 1; }
    sleep 0.05
  done
}

start_sink "$dir/trellis"
s=$(date +%s%N)
sent=$(TRELLIS_SMTP_URL=smtp://127.0.0.1:$port TRELLIS_MAIL_FROM='Trellis <trellis@example.org>' \
  "$bin" --db "$db" --json notify run | python3 -c 'import json,sys; print(json.load(sys.stdin)["sent"]["sent"])')
e=$(date +%s%N)
t=$(ms "$s" "$e")
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; sink_pid=
stored=$(ls "$dir/trellis" | grep -c '\.eml$' || true)
printf '%-58s %6d msg/s (%d planned, %d sent, %d stored, %d ms whole pass incl. planning)\n' \
  "drain the outbox over one SMTP connection (target >= 200/s)" "$(( sent * 1000 / (t > 0 ? t : 1) ))" "$planned" "$sent" "$stored" "$t"

start_sink "$dir/raw"
read -r n secs rate < <("$py" bench/notify_raw_smtp.py "$port" "$sent")
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; sink_pid=
printf '%-58s %6d msg/s (%d messages in %s s)\n' "raw smtplib client, one connection, same sink" "$rate" "$n" "$secs"
