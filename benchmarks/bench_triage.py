#!/usr/bin/env python3
"""Benchmark ``ttdiag triage`` on large synthetic Mochi VAE decoder logs, against ``grep -c``.

    python benchmarks/bench_triage.py [--size-mb 200] [--sizes 100,1000] [--keep] [--seed 0]
    python benchmarks/bench_triage.py --log PATH

For each size a log is generated with ``gen_decoder_log.py`` into a fresh temporary directory (or the
existing ``--log PATH`` is used), then:

* ``sys.executable -m ttdiag triage LOG --format json`` runs as a child process; its wall time and its
  own peak RSS are measured (``os.wait4`` on that child, so earlier or larger children do not leak into
  the figure; Linux reports ``ru_maxrss`` in KiB);
* ``grep -c 'Executing operation' LOG`` (``zgrep -c`` for a gzip log) is timed on the same file as the
  baseline for "just reading the file once".

The triage is correct when ttdiag exits 1 (failure found) and its first reported failure is of kind
``cb-exceeds-l1``, names op id ``%9`` (for ``--log``: the result id of the last op line before the
``critical`` line), gives that ``Executing operation:`` line as the op's line, and gives the
``critical`` line as the failure's line. Further failures are reported on stderr; ``--strict`` makes
them count as incorrect (the generated log has exactly one failure).

One JSON line per log goes to stdout; generator statistics and diagnostics go to stderr. Sizes are
MiB (2**20 bytes). Exit status: 0 all correct, 1 some result incorrect, 2 bad usage.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_decoder_log as gen  # noqa: E402

MIB = 1 << 20
EXEC_MARK = b"Executing operation: "
CB_TEXT = b"Statically allocated circular buffers"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def run_measured(cmd: list[str], stdout_path: str) -> tuple[float, float, int, str]:
    """Run ``cmd`` with stdout to ``stdout_path``; return (wall seconds, peak RSS MiB, exit code, stderr)."""
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        err_text = err.read().decode("utf-8", errors="replace")
    rss = usage.ru_maxrss / (MIB if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux
    return seconds, rss, p.returncode, err_text


def time_grep(path: str) -> tuple[float, int | None]:
    cmd = ["zgrep" if is_gzip(path) else "grep", "-c", "Executing operation", path]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    try:
        count = int(r.stdout.split()[0])
    except (IndexError, ValueError):
        count = None
    return seconds, count


def scan_expected(path: str) -> dict:
    """Expected answer for an arbitrary log: the first ``critical`` CB line and the last op line before it.
    Also returns the uncompressed size (``bytes``)."""
    opener = gzip.open if is_gzip(path) else open
    last_line = last_text = crit = None
    nbytes = 0
    with opener(path, "rb") as f:
        for n, line in enumerate(f, 1):
            nbytes += len(line)
            if crit is not None:
                continue
            if EXEC_MARK in line:
                last_line, last_text = n, line
            elif CB_TEXT in line and b"| critical |" in line:
                crit = n
    op_id = None
    if last_text is not None:
        text = last_text.split(EXEC_MARK, 1)[1].decode("utf-8", errors="replace")
        if text.startswith("%"):
            op_id = text.split(" = ", 1)[0].strip()
    return {"fail_op_line": last_line, "critical_line": crit, "op_id": op_id, "bytes": nbytes}


def check(report: dict | None, rc: int, exp: dict, strict: bool) -> tuple[bool, list[str], list[str]]:
    """Compare ttdiag's JSON with the expected answer.

    Returns (correct, differences, notes). The first reported failure must be right; further failures
    are a note, or a difference with ``strict``."""
    diffs: list[str] = []
    notes: list[str] = []
    if rc != 1:
        diffs.append(f"exit code {rc}, expected 1 (failure found)")
    if report is None:
        return False, diffs + ["no JSON on stdout"], notes
    failures = report.get("failures") or []
    if len(failures) > 1:
        msg = (f"{len(failures)} failures reported, expected 1: "
               + "; ".join(f"{f.get('kind')} at line {f.get('line')} (op {(f.get('op') or {}).get('id')} "
                           f"line {(f.get('op') or {}).get('line')})" for f in failures[:5]))
        (diffs if strict else notes).append(msg)
    if not failures:
        return False, diffs + ["no failure reported"], notes
    f = failures[0]
    op = f.get("op") or {}
    for what, got, want in (
        ("kind", f.get("kind"), "cb-exceeds-l1"),
        ("op id", op.get("id"), exp["op_id"]),
        ("op line", op.get("line"), exp["fail_op_line"]),
        ("failure line", f.get("line"), exp["critical_line"]),
    ):
        if got != want:
            diffs.append(f"{what}: got {got!r}, expected {want!r}")
    return not diffs, diffs, notes


def bench_one(path: str, size_mb: float, exp: dict, gen_stats: dict | None, out_dir: str, strict: bool) -> dict:
    nbytes = exp.get("bytes") or os.path.getsize(path)  # uncompressed size
    json_path = os.path.join(out_dir, os.path.basename(path) + ".triage.json")
    # throughput of reading and triaging; advice (a fixed few seconds per failure, verification included) is off
    cmd = [sys.executable, "-m", "ttdiag", "triage", path, "--format", "json", "--no-advice"]
    seconds, rss_mb, rc, err = run_measured(cmd, json_path)
    grep_seconds, grep_count = time_grep(path)
    try:
        with open(json_path, "rb") as f:
            report = json.load(f)
    except (OSError, ValueError):
        report = None
    correct, diffs, notes = check(report, rc, exp, strict)
    for n in notes:
        log(f"note: {n}")
    if not correct:
        log(f"INCORRECT triage of {path}:")
        for d in diffs:
            log(f"  - {d}")
        if err.strip():
            log("  ttdiag stderr: " + err.strip()[-2000:])
    elif err.strip():
        log(f"ttdiag stderr: {err.strip()[-500:]}")
    # Cross-checks that do not decide "correct" but are worth knowing.
    if gen_stats is not None and report is not None:
        st = report.get("stats") or {}
        for key, gkey in (("lines", "lines"), ("op_lines", "op_lines"), ("program_runs", "programs"), ("bytes", "bytes")):
            if st.get(key) != gen_stats.get(gkey):
                log(f"note: ttdiag stats.{key} = {st.get(key)!r}, generator wrote {gen_stats.get(gkey)!r}")
        if grep_count is not None and grep_count != gen_stats.get("op_lines"):
            log(f"note: grep counted {grep_count} op lines, generator wrote {gen_stats.get('op_lines')}")
    if report is not None and report.get("warnings"):
        log(f"note: ttdiag warnings: {report['warnings'][:5]}")
    return {
        "benchmark": "triage",
        "size_mb": size_mb,
        "bytes": nbytes,
        "seconds": round(seconds, 3),
        "mb_per_s": round(nbytes / MIB / seconds, 1) if seconds > 0 else None,
        "peak_rss_mb": round(rss_mb, 1),
        "grep_seconds": round(grep_seconds, 3),
        "ratio_vs_grep": round(seconds / grep_seconds, 1) if grep_seconds > 0 else None,
        "correct": correct,
    }


def parse_sizes(text: str) -> list[float]:
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if part:
            v = float(part)
            if v <= 0:
                raise ValueError(part)
            sizes.append(int(v) if v.is_integer() else v)
    if not sizes:
        raise ValueError(text)
    return sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark `ttdiag triage` on large synthetic decoder logs.")
    ap.add_argument("--size-mb", type=float, default=200.0, help="log size in MiB (default 200)")
    ap.add_argument("--sizes", help="comma-separated sizes in MiB, e.g. 100,1000 (overrides --size-mb)")
    ap.add_argument("--log", help="benchmark this existing log instead of generating one")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--tmpdir", help="where to create the temporary directory (default: system temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the generated logs and ttdiag's JSON output")
    ap.add_argument("--strict", action="store_true", help="also require that exactly one failure is reported")
    args = ap.parse_args(argv)

    if args.log is not None:
        if not os.path.isfile(args.log):
            ap.error(f"--log {args.log}: no such file")
        sizes: list[float] = []
    elif args.sizes:
        try:
            sizes = parse_sizes(args.sizes)
        except ValueError:
            ap.error(f"--sizes {args.sizes!r}: expected positive numbers separated by commas")
    else:
        if args.size_mb <= 0:
            ap.error("--size-mb must be positive")
        sizes = [int(args.size_mb) if float(args.size_mb).is_integer() else args.size_mb]

    work = tempfile.mkdtemp(prefix="ttdiag-bench-", dir=args.tmpdir)
    all_correct = True
    try:
        if args.log is not None:
            exp = scan_expected(args.log)
            log(f"expected (scanned): {json.dumps(exp)}")
            size = round(exp["bytes"] / MIB, 1)
            res = bench_one(args.log, size, exp, None, work, args.strict)
            print(json.dumps(res), flush=True)
            all_correct &= res["correct"]
        for size in sizes:
            path = os.path.join(work, f"decoder_{size}mb.log")
            stats = gen.generate(path, size, args.seed)
            log("gen: " + json.dumps(stats))
            exp = {"fail_op_line": stats["fail_op_line"], "critical_line": stats["critical_line"], "op_id": "%9",
                   "bytes": stats["bytes"]}
            res = bench_one(path, size, exp, stats, work, args.strict)
            print(json.dumps(res), flush=True)
            all_correct &= res["correct"]
            if not args.keep:
                os.remove(path)
    finally:
        if args.keep:
            log(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all_correct else 1


if __name__ == "__main__":
    sys.exit(main())
