#!/usr/bin/env python3
"""Scores messages (one JSON string per line on stdin) with the reference, vaderSentiment 3.3.2,
and writes the fixture: provenance lines starting with '#', then one JSON object per line
{"text", "neg", "neu", "pos", "compound"}.

Run in a scratch venv: python3 -m venv v && v/bin/pip install vaderSentiment==3.3.2
"""
import json
import sys
import platform

import vaderSentiment
from importlib.metadata import version
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

assert version("vaderSentiment") == "3.3.2", version("vaderSentiment")
a = SentimentIntensityAnalyzer()
texts = [json.loads(l) for l in sys.stdin if l.strip()]
print("# Expected VADER scores for the tone test (crates/trellis-tone/tests/reference.rs).")
print("# Messages: crates/trellis-tone/scripts/gen_messages.py %d (seeded, written for Trellis)." % len(texts))
print("# Scores: crates/trellis-tone/scripts/reference.py with vaderSentiment 3.3.2 (PyPI, MIT), Python %s." % platform.python_version())
for t in texts:
    s = a.polarity_scores(t)
    print(json.dumps({"text": t, "neg": s["neg"], "neu": s["neu"], "pos": s["pos"], "compound": s["compound"]}, ensure_ascii=False))
