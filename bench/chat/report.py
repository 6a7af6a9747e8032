#!/usr/bin/env python3
"""Prints bench/chat/run.sh's results as a table and checks the issue's targets.

Input: the TSV run.sh writes (file, bytes, tool, wall_s, peak_kib, messages, cpu_s).
Targets are checked on the largest size of each kind, as the issue states them.
"""
import collections
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
by = collections.defaultdict(dict)
sizes = {}
for f, size, tool, wall, kib, found, cpu in rows:
    by[f][tool] = (
        float(wall) if wall != "-" else None,
        int(kib) if kib != "-" else None,
        found,
        float(cpu) if cpu != "-" else None,
    )
    sizes[f] = int(size)

print(f"{'file':<28} {'MB':>7}  {'tool':<22} {'wall s':>8} {'cpu s':>7} {'MB/s':>8} {'peak MiB':>9}  messages")
for f in by:
    mb = sizes[f] / 1e6
    for tool, (wall, kib, found, cpu) in by[f].items():
        w = f"{wall:.3f}" if wall is not None else "failed"
        c = f"{cpu:.2f}" if cpu is not None else "-"
        rate = f"{mb / wall:.0f}" if wall else "-"
        peak = f"{kib / 1024:.1f}" if kib is not None else "-"
        print(f"{f:<28} {mb:>7.1f}  {tool:<22} {w:>8} {c:>7} {rate:>8} {peak:>9}  {found}")
    print()

checks = []


def ratio(f, slow, fast):
    a, b = by[f].get(slow, (None,))[0], by[f].get(fast, (None,))[0]
    return a / b if a and b else None


def check(name, value, ok, fmt="{:.1f}"):
    shown = "n/a" if value is None else fmt.format(value)
    checks.append((name, shown, "ok" if value is not None and ok(value) else "MISSED"))


largest = {}
for f in by:
    kind = f.split("-")[0] + "-" + f.split("-")[1]
    if kind not in largest or sizes[f] > sizes[largest[kind]]:
        largest[kind] = f
for kind, f in sorted(largest.items()):
    t = by[f].get("trellis")
    if t is None or t[0] is None:
        checks.append((f"{f}: trellis ran", "no", "MISSED"))
        continue
    peak = t[1] / 1024
    if kind.startswith("wa"):
        check(f"{f}: × whatsapp-chat-parser (≥ 10)", ratio(f, "whatsapp-chat-parser", "trellis"), lambda v: v >= 10)
        check(f"{f}: × chat-miner (≥ 100)", ratio(f, "chat-miner", "trellis"), lambda v: v >= 100)
        check(f"{f}: ÷ memchr scan (≤ 3)", ratio(f, "trellis", "memchr-scan"), lambda v: v <= 3)
        # The "i.e. about 500 MB/s", derived from its own peer timings.
        check(f"{f}: MB/s (about 500)", sizes[f] / 1e6 / t[0], lambda v: v >= 450, "{:.0f}")
    else:
        check(f"{f}: × chat-miner (≥ 15)", ratio(f, "chat-miner", "trellis"), lambda v: v >= 15)
    check(f"{f}: peak MiB (< 64)", peak, lambda v: v < 64)

print("targets (largest size of each kind):")
for name, value, verdict in checks:
    print(f"  {verdict:<7} {name}: {value}")
sys.exit(0 if all(v == "ok" for _, _, v in checks) else 1)
