#!/usr/bin/env python3
"""Cost of the mangled variants of a log, per MB, against the clean log (wall-clock ratios belong here,
not in the test suite: they depend on the machine and its load).

    python benchmarks/bench_mangled.py [--size-mb 5] [--runs 3]

The clean log is the CB sample's op lines repeated inside its own program (~5 MB) with its failure tail;
each mangling of tests/test_mangled.py (CRLF, ANSI, quoted, pytest E, mojibake, NUL, 80-column wrap) is
applied to it and ``ttdiag triage --format json --no-advice`` is timed in-process (median of --runs).
Target: every variant within 2x of the clean log per MB; the 80-column wrap per line (it multiplies the
lines by ~8 and its fragments are read line by line, the clean op lines in bulk).

One JSON line per variant on stdout; exit 1 when a variant is over 2x.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests.test_mangled import ALL, CB_LOG  # noqa: E402  (the manglings the tests check for correctness)


def big_log(target: int) -> str:
    with open(os.path.join(ROOT, "sample_logs", CB_LOG), encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(True)
    ops = [ln for ln in lines if "Executing operation:" in ln]
    start = next(i for i, ln in enumerate(lines) if "Starting execution of program: main" in ln
                 and "const_eval" not in ln)
    crit = next(i for i, ln in enumerate(lines) if "| critical |" in ln)
    block = "".join(ops)
    reps = max(1, target // len(block.encode("utf-8")))
    return "".join(lines[:start + 1]) + block * reps + "".join(lines[start + 1:crit]) + "".join(lines[crit:])


def triage_seconds(path: str, runs: int) -> float:
    from typer.testing import CliRunner

    from ttdiag.cli import app

    runner = CliRunner()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = runner.invoke(app, ["triage", path, "--format", "json", "--no-advice"])
        times.append(time.perf_counter() - t0)
        assert r.exit_code == 1, r.output[-500:]
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    text = big_log(int(args.size_mb * 1e6))
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        clean = os.path.join(d, "clean.log")
        with open(clean, "wb") as f:
            f.write(text.encode("utf-8"))
        triage_seconds(clean, 1)  # warm up imports and caches
        clean_s = triage_seconds(clean, args.runs)
        clean_mb, clean_lines = os.path.getsize(clean) / 1e6, text.count("\n")
        for name, fn in ALL.items():
            data = fn(text)
            p = os.path.join(d, f"{name}.log")
            with open(p, "wb") as f:
                f.write(data)
            s = triage_seconds(p, args.runs)
            per = "line" if name == "wrap80" else "MB"
            ratio = (s / data.count(b"\n")) / (clean_s / clean_lines) if per == "line" else \
                (s / (len(data) / 1e6)) / (clean_s / clean_mb)
            worst = max(worst, ratio)
            print(json.dumps({"variant": name, "seconds": round(s, 3), "clean_seconds": round(clean_s, 3),
                              "ratio": round(ratio, 2), "per": per}), flush=True)
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
