#!/usr/bin/env bash
# Benchmarks `trellis chat stats` against the peer parsers on generated exports, in one
# run, and checks the targets of the chat-exports issue. See bench/README.md.
#
#   bash bench/chat/run.sh                # 100k and 1M messages
#   bash bench/chat/run.sh 100000         # other sizes
#
# Generates WhatsApp (Android, and iOS with CRLF) and Telegram exports with the
# deterministic generator (crates/trellis-chat/examples/chat_gen.rs), installs the peers
# (chat-miner and whatstk from PyPI, whatsapp-chat-parser from npm) into a scratch folder
# outside the repo, then times each tool as a whole process: wall time, and peak memory
# from /usr/bin/time, plus the CPU time (user + system) for reading results taken on a
# busy machine. trellis and the memchr newline scan (the floor) run 5 times and keep the
# best wall time; the peers, which take seconds to minutes, run once.
#
# Env: CHAT_BENCH_DIR (scratch folder, default /tmp/trellis-chat-bench; kept between runs
#      so the peers and the data are not fetched or generated twice), CARGO_TARGET_DIR,
#      CHAT_BENCH_NO_PEERS=1 (only trellis and the scan).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
scratch=${CHAT_BENCH_DIR:-/tmp/trellis-chat-bench}
target=${CARGO_TARGET_DIR:-$repo/target}
sizes=("$@")
((${#sizes[@]})) || sizes=(100000 1000000)
mkdir -p "$scratch/data"
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is needed (Debian package 'time')" >&2; exit 1; }

echo "== build (release)"
cargo build --release -q -p trellis --bin trellis
cargo build --release -q -p trellis-chat --example chat_gen --example newline_scan
trellis=$target/release/trellis
gen=$target/release/examples/chat_gen
scan=$target/release/examples/newline_scan

peers=1
[[ -z ${CHAT_BENCH_NO_PEERS:-} ]] || peers=
if [[ -n $peers ]]; then
  echo "== peers (into $scratch)"
  if ! "$scratch/venv/bin/python" -c 'import chatminer, whatstk' 2>/dev/null; then
    python3 -m venv "$scratch/venv"
    "$scratch/venv/bin/pip" install -q chat-miner whatstk
  fi
  if [[ ! -d $scratch/node/node_modules/whatsapp-chat-parser ]]; then
    mkdir -p "$scratch/node"
    (cd "$scratch/node" && npm init -y >/dev/null && npm install --silent whatsapp-chat-parser)
  fi
  echo "chat-miner $("$scratch/venv/bin/pip" show chat-miner | sed -n 's/^Version: //p'), whatstk $("$scratch/venv/bin/pip" show whatstk | sed -n 's/^Version: //p'), whatsapp-chat-parser $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$scratch/node/node_modules/whatsapp-chat-parser/package.json")"
fi
export WCP=$scratch/node/node_modules/whatsapp-chat-parser

echo "== data"
files=()
for n in "${sizes[@]}"; do
  for f in "wa-android-$n.txt" "wa-ios-$n.txt" "tg-json-$n.json"; do
    if [[ ! -s $scratch/data/$f ]]; then
      case $f in
        wa-android-*) "$gen" whatsapp-android "$n" "$scratch/data/$f" ;;
        wa-ios-*) "$gen" whatsapp-ios "$n" "$scratch/data/$f" ;;
        tg-json-*) "$gen" telegram "$n" "$scratch/data/$f" ;;
      esac
    fi
    files+=("$f")
  done
done
ls -l "$scratch/data"

results=$scratch/results.tsv
: >"$results"
# measure FILE TOOL RUNS CMD...: appends "file bytes tool wall peak messages cpu" (best wall).
measure() {
  local f=$1 tool=$2 runs=$3
  shift 3
  local best="" peak="-" cpu="-" found="-" i start end wall
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    if ! /usr/bin/time -f "%M %U %S" -o "$scratch/time.out" "$@" >"$scratch/out.txt" 2>"$scratch/err.txt"; then
      echo "  $tool failed on $f: $(tail -n 1 "$scratch/err.txt")"
      printf '%s\t%s\t%s\t-\t-\tfailed\t-\n' "$f" "$(stat -c %s "$scratch/data/$f")" "$tool" >>"$results"
      return
    fi
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc -l)
    if [[ -z $best ]] || (($(echo "$wall < $best" | bc -l))); then
      best=$wall
      read -r peak user sys < <(tail -n 1 "$scratch/time.out")
      cpu=$(echo "$user + $sys" | bc -l)
    fi
  done
  if [[ $tool == trellis ]]; then
    found=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["messages"] + d["system"])' <"$scratch/out.txt")
  else
    found=$(tr -d '\n' <"$scratch/out.txt" | head -c 40)
  fi
  printf '  %-22s %-26s %8.3f s %8s KiB  %s\n' "$tool" "$f" "$best" "$peak" "$found"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$(stat -c %s "$scratch/data/$f")" "$tool" "$best" "$peak" "$found" "$cpu" >>"$results"
}

echo "== runs (load: $(cut -d' ' -f1-3 /proc/loadavg))"
py=$scratch/venv/bin/python
for f in "${files[@]}"; do
  p=$scratch/data/$f
  cat "$p" >/dev/null   # every tool reads from the page cache
  measure "$f" memchr-scan 5 "$scan" "$p"
  measure "$f" trellis 5 "$trellis" --json chat stats "$p"
  [[ -n $peers ]] || continue
  case $f in
    wa-*)
      measure "$f" whatsapp-chat-parser 1 node "$repo/bench/chat/peer.cjs" "$p"
      measure "$f" chat-miner 1 "$py" "$repo/bench/chat/peers.py" chat-miner-whatsapp "$p"
      measure "$f" whatstk 1 "$py" "$repo/bench/chat/peers.py" whatstk "$p"
      ;;
    tg-*) measure "$f" chat-miner 1 "$py" "$repo/bench/chat/peers.py" chat-miner-telegram "$p" ;;
  esac
done
echo "== (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
echo
python3 "$repo/bench/chat/report.py" "$results"
