#!/usr/bin/env python3
"""Benchmark the dump path: parse a generated N-op TTNN dump, against xDSL, and how `l1` / `inspect` scale.

    python benchmarks/bench_dump.py [--ops 10000,100000] [--no-xdsl] [--locs top|bottom|inline] [--keep DIR]

For each size a dump is generated with ``gen_dump.py`` (``loc(#locN)`` on every op and one ``#locN``
definition per op; by default before the module, which xDSL needs, ``--locs bottom`` for tt-mlir's
order), then, each in a fresh child process
(no warm caches; wall time and the child's own peak RSS via ``os.wait4``):

* **parse**: ``ttdiag.parse.mlir.parse_mlir`` on the file's text, timed inside the child from the
  read to the finished ``Module`` (grammar construction included, interpreter start-up and imports
  excluded); the child checks that it found every generated op;
* **xdsl** (when ``import xdsl`` works and not ``--no-xdsl``): xDSL's parser on the same text, with
  unregistered dialects allowed (``ttnn`` ops and ``#ttnn.ttnn_layout`` attributes are not xDSL
  dialects, so xDSL keeps them generic), timed the same way; ``ratio_vs_xdsl`` = xDSL seconds / ttdiag
  seconds;
* **l1** and **inspect**: the whole ``ttdiag l1 FILE --format json`` and ``ttdiag inspect FILE --format
  json`` commands, stdout to a temp file; ``us_per_op`` is wall time per generated op.

One JSON line per measurement, then one ``scaling`` line per command comparing the largest size with the
smallest: ``time_ratio`` / ``ops_ratio`` is 1.0 for exactly linear (start-up makes small sizes look
slower, so it lands below 1). ``ops`` counts the TTNN ops the generator wrote (func.func / return
excluded). Exit status: 0, or 1 when a child failed or found the wrong number of ops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_dump  # noqa: E402
from bench_triage import run_measured  # noqa: E402

CHILD_TTDIAG = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from ttdiag.parse.mlir import parse_mlir
t0 = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
module = parse_mlir(text)
seconds = time.perf_counter() - t0
ops = sum(1 for op in module.all_ops() if op.name not in ("return", "func.return"))
print(json.dumps({"seconds": seconds, "ops": ops, "diagnostics": len(module.diagnostics)}))
"""

CHILD_XDSL = r"""
import json, sys, time
from xdsl.context import Context
from xdsl.dialects.builtin import Builtin
from xdsl.dialects.func import Func
from xdsl.parser import Parser
ctx = Context(allow_unregistered=True)
ctx.load_dialect(Builtin)
ctx.load_dialect(Func)
t0 = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
module = Parser(ctx, text).parse_module()
seconds = time.perf_counter() - t0
ops = sum(1 for op in module.walk() if op.name not in ("builtin.module", "func.func", "func.return"))
print(json.dumps({"seconds": seconds, "ops": ops}))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def have_xdsl() -> bool:
    return subprocess.run([sys.executable, "-c", "import xdsl"], capture_output=True).returncode == 0


def child(code: str, path: str, out_dir: str) -> tuple[dict | None, float, float]:
    """Run a timing child; return (its JSON, wall seconds, peak RSS MiB)."""
    out = os.path.join(out_dir, "child.json")
    wall, rss, rc, err = run_measured([sys.executable, "-c", code, path, os.path.dirname(HERE)], out)
    if rc != 0:
        log(f"child failed ({rc}): {err.strip()[-1000:]}")
        return None, wall, rss
    with open(out, encoding="utf-8") as f:
        return json.loads(f.read()), wall, rss


def bench_size(n_ops: int, out_dir: str, xdsl: bool, locs: str) -> tuple[list[dict], bool]:
    path = os.path.join(out_dir, f"dump_{n_ops}.mlir")
    with open(path, "w", encoding="utf-8") as f:
        stats = gen_dump.generate(f, n_ops, locs=locs)
    nbytes = os.path.getsize(path)
    log(f"generated {path}: {stats}, {nbytes / 2**20:.1f} MiB")
    rows: list[dict] = []
    ok = True
    got, _, rss = child(CHILD_TTDIAG, path, out_dir)
    row = {"benchmark": "dump_parse", "ops": stats["ops"], "bytes": nbytes, "loc_aliases": stats["loc_aliases"]}
    if got is None or got["ops"] != stats["ops"] or got["diagnostics"]:
        log(f"parse: wrong result {got}, expected {stats['ops']} ops and no diagnostics")
        ok = False
    if got is not None:
        row.update(seconds=round(got["seconds"], 3), ops_per_s=round(stats["ops"] / got["seconds"]),
                   peak_rss_mb=round(rss, 1))
    if xdsl:
        x, _, xrss = child(CHILD_XDSL, path, out_dir)
        if x is not None:
            if x["ops"] != stats["ops"]:
                log(f"xdsl found {x['ops']} ops, expected {stats['ops']}")
            row.update(xdsl_seconds=round(x["seconds"], 3), xdsl_ops_per_s=round(stats["ops"] / x["seconds"]),
                       xdsl_peak_rss_mb=round(xrss, 1))
            if got is not None:
                row["ratio_vs_xdsl"] = round(x["seconds"] / got["seconds"], 1)
    rows.append(row)
    for command in ("l1", "inspect"):
        out = os.path.join(out_dir, f"{command}_{n_ops}.json")
        wall, rss, rc, err = run_measured([sys.executable, "-m", "ttdiag", command, path, "--format", "json"], out)
        if rc not in (0, 1):
            log(f"{command} exited {rc}: {err.strip()[-500:]}")
            ok = False
        rows.append({"benchmark": command, "ops": stats["ops"], "seconds": round(wall, 3),
                     "us_per_op": round(wall / stats["ops"] * 1e6, 1), "peak_rss_mb": round(rss, 1),
                     "output_mb": round(os.path.getsize(out) / 2**20, 1), "exit": rc})
    return rows, ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark dump parsing (vs xDSL) and l1/inspect scaling.")
    ap.add_argument("--ops", default="10000,100000", help="comma-separated op counts (default 10000,100000)")
    ap.add_argument("--no-xdsl", action="store_true", help="skip the xDSL comparison")
    ap.add_argument("--locs", choices=("top", "bottom", "inline"), default="top", help="where locations go (gen_dump.py)")
    ap.add_argument("--keep", metavar="DIR", help="write the dumps and outputs to DIR and keep them")
    args = ap.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.ops.split(",") if s.strip()})
    except ValueError:
        ap.error(f"--ops: not a list of integers: {args.ops!r}")
    if not sizes or sizes[0] <= 0:
        ap.error("--ops: need positive op counts")
    xdsl = not args.no_xdsl and have_xdsl()
    if not args.no_xdsl and not xdsl:
        log("xdsl is not installed: no comparison (pip install xdsl)")
    all_ok = True
    by_command: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.keep or tmp
        os.makedirs(out_dir, exist_ok=True)
        for n in sizes:
            rows, ok = bench_size(n, out_dir, xdsl, args.locs)
            all_ok &= ok
            for r in rows:
                print(json.dumps(r), flush=True)
                by_command.setdefault(r["benchmark"], []).append(r)
    if len(sizes) > 1:
        for command in ("dump_parse", "l1", "inspect"):
            rows = [r for r in by_command.get(command, []) if "seconds" in r]
            if len(rows) < 2:
                continue
            small, large = rows[0], rows[-1]
            ops_ratio = large["ops"] / small["ops"]
            time_ratio = large["seconds"] / small["seconds"]
            print(json.dumps({"benchmark": "scaling", "command": command, "ops": [small["ops"], large["ops"]],
                              "seconds": [small["seconds"], large["seconds"]], "time_ratio": round(time_ratio, 2),
                              "ops_ratio": round(ops_ratio, 2),
                              "time_ratio_per_ops_ratio": round(time_ratio / ops_ratio, 2)}), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
