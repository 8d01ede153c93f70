#!/usr/bin/env python3
"""Benchmark ``ttdiag triage`` with advice (the default) on the sample logs: wall time, peak RSS, per rule.

    python benchmarks/bench_advice.py [--verify-full] [--repeat 3] [LOG ...]

For each log (default: every ``sample_logs/*.log``):

* ``sys.executable -m ttdiag triage LOG --format json [--verify-full]`` runs as a child process ``--repeat``
  times; the best wall time and the largest peak RSS are kept (``os.wait4`` on that child: Linux reports
  ``ru_maxrss`` in KiB);
* a second child (this script with ``--rules LOG``) triages the log once, then times each advice rule on
  each failure (``time.perf_counter``) and reports the statuses it gave. Its first rule pays the imports
  of the reference executor (numpy, ml_dtypes) when it runs the executor.

One JSON line per log on stdout: ``{"log", "verify_full", "seconds", "peak_rss_mib", "exit", "rules":
{rule: {"seconds", "statuses"}}}``. The issue's budget for the default run is 2 s and 300 MB per sample log.
Exit status: 0, or 1 when a child failed (exit other than 0 / 1).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _child(cmd: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS MiB, exit code, stdout) of one child process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": ROOT})
    out = p.stdout.read() if p.stdout else b""
    _, status, ru = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    return secs, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.decode()


def rules_mode(log: str, full: bool) -> None:
    """Triage ``log`` and time each rule on each failure (one JSON object on stdout)."""
    from ttdiag.advise import l1_context
    from ttdiag.advise.context import AdviceContext
    from ttdiag.advise.registry import rules
    from ttdiag.analyze.triage import triage

    rep = triage(log)
    out: dict[str, dict] = {}
    for fr in rep.failures:
        ctx = AdviceContext(fr, rep.trace, l1_context(rep, fr), True, 0, full)
        for name, fn in rules().items():
            t0 = time.perf_counter()
            found = fn(ctx)
            r = out.setdefault(name, {"seconds": 0.0, "statuses": []})
            r["seconds"] = round(r["seconds"] + time.perf_counter() - t0, 3)
            r["statuses"] += [a.verification.status for a in found]
    print(json.dumps(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logs", nargs="*")
    ap.add_argument("--verify-full", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rules", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.rules:
        rules_mode(a.rules, a.verify_full)
        return 0
    logs = a.logs or sorted(glob.glob(os.path.join(ROOT, "sample_logs", "*.log")))
    bad = 0
    for log in logs:
        cmd = [sys.executable, "-m", "ttdiag", "triage", log, "--format", "json"] + (
            ["--verify-full"] if a.verify_full else [])
        runs = [_child(cmd) for _ in range(max(1, a.repeat))]
        code = runs[-1][2]
        bad += code not in (0, 1)
        _, _, _, per_rule = _child([sys.executable, os.path.abspath(__file__), "--rules", log]
                                   + (["--verify-full"] if a.verify_full else []))
        print(json.dumps({"log": os.path.relpath(log, ROOT), "verify_full": a.verify_full,
                          "seconds": round(min(r[0] for r in runs), 3),
                          "peak_rss_mib": round(max(r[1] for r in runs), 1), "exit": code,
                          "rules": json.loads(per_rule or "{}")}), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
