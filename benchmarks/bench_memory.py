"""Benchmark `ttdiag memory` against a plain `json.load` of the same graph capture, side by side.

    python benchmarks/bench_memory.py [--nodes 1000000] [--repeat 3] [--capture FILE]

Generates a capture with gen_memory_capture.py (unless --capture is given), then runs, alternately and
each in a fresh interpreter: `json.load(open(FILE))`, `ttdiag memory FILE` (text) and `ttdiag memory
FILE --format json` (stdout to /dev/null). Each child reports its own wall time (from before its imports)
and peak RSS (ru_maxrss). Prints one JSON line per run and a summary line with the medians and the
ratios to json.load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
kind, path = sys.argv[1], sys.argv[2]
if kind == "json.load":
    with open(path) as f:
        json.load(f)
else:
    from ttdiag.cli import app
    args = ["memory", path] + (["--format", "json"] if kind == "ttdiag-json" else [])
    try:
        app(args)
    except SystemExit as e:
        assert not e.code, e.code
ru = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write(json.dumps({"seconds": time.perf_counter() - t0, "cpu_seconds": ru.ru_utime + ru.ru_stime,
                             "max_rss_mb": ru.ru_maxrss / 1024}) + "\n")
"""

KINDS = ("json.load", "ttdiag-text", "ttdiag-json")


def run(kind: str, path: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    p = subprocess.run([sys.executable, "-c", CHILD, kind, path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, env=env, check=True)
    return json.loads(p.stderr.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--capture", help="an existing capture instead of a generated one")
    a = ap.parse_args()
    tmp = None
    path = a.capture
    if not path:
        from gen_memory_capture import generate

        tmp = tempfile.mkdtemp(prefix="ttdiag-bench-memory-")
        path = os.path.join(tmp, "capture.json")
        print(json.dumps({"generated": generate(path, a.nodes)}), flush=True)
    try:
        results: dict[str, list[dict]] = {k: [] for k in KINDS}
        for i in range(a.repeat):
            for kind in KINDS:
                r = run(kind, path)
                results[kind].append(r)
                print(json.dumps({"run": i, "kind": kind, **{k: round(v, 2) for k, v in r.items()}}), flush=True)
        med = {k: statistics.median(x["seconds"] for x in v) for k, v in results.items()}
        cpu = {k: statistics.median(x["cpu_seconds"] for x in v) for k, v in results.items()}
        rss = {k: max(x["max_rss_mb"] for x in v) for k, v in results.items()}
        print(json.dumps({"summary": {
            "bytes": os.path.getsize(path), "median_seconds": {k: round(v, 2) for k, v in med.items()},
            "median_cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
            "max_rss_mb": {k: round(v, 1) for k, v in rss.items()},
            "ratio_text": round(med["ttdiag-text"] / med["json.load"], 2),
            "ratio_json": round(med["ttdiag-json"] / med["json.load"], 2),
            "cpu_ratio_text": round(cpu["ttdiag-text"] / cpu["json.load"], 2),
            "cpu_ratio_json": round(cpu["ttdiag-json"] / cpu["json.load"], 2)}}))
    finally:
        if tmp:
            os.unlink(path)
            os.rmdir(tmp)


if __name__ == "__main__":
    main()
