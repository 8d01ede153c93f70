"""Benchmark `ttdiag l1`: ops/s on the largest corpus dump and on a generated N-op dump.

    python benchmarks/bench_l1.py [--ops 20000] [--corpus ../shared/corpus]

Prints one JSON line per input: {"benchmark": "l1", "input": ..., "ops": N, "seconds": s, "ops_per_s": ...,
"parse_seconds": ..., "model_seconds": ...}. Times are in-process (parse, then model), plus the whole
`ttdiag l1 --format json` command in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def measure(path: str) -> dict:
    from ttdiag.analyze.arch import arch_for
    from ttdiag.analyze.l1 import analyze_module, make_context
    from ttdiag.parse.mlir import parse_mlir

    t0 = time.perf_counter()
    module = parse_mlir(Path(path).read_text(encoding="utf-8"))
    t1 = time.perf_counter()
    ctx = make_context(arch_for(module.system_desc))
    results = analyze_module(module, ctx)
    t2 = time.perf_counter()
    t3 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ttdiag", "l1", path, "--format", "json"], capture_output=True)
    t4 = time.perf_counter()
    n = len(results)
    return {"benchmark": "l1", "input": path, "bytes": os.path.getsize(path), "ops": n,
            "parse_seconds": round(t1 - t0, 3), "model_seconds": round(t2 - t1, 3),
            "ops_per_s": round(n / (t2 - t0), 1) if n else None,
            "command_seconds": round(t4 - t3, 3), "command_exit": proc.returncode}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ops", type=int, default=20_000)
    ap.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if corpus.is_dir():
        largest = max(corpus.rglob("*.mlir"), key=lambda p: p.stat().st_size)
        print(json.dumps(measure(str(largest))))
    import gen_dump

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"dump_{args.ops}.mlir"
        with open(out, "w", encoding="utf-8") as f:
            gen_dump.generate(f, args.ops)
        print(json.dumps(measure(str(out))))


if __name__ == "__main__":
    main()
