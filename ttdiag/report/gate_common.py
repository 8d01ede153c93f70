"""Shared pieces of the ``ttdiag gate`` renderers: one row per failure and the aggregate by kind, op and
source location (pandas), paths relative to the working directory, and the failing op as text."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pandas as pd

from ..analyze.gate import GateResult

FAILURE_COLUMNS = ["path", "status", "kind", "severity", "line", "op_id", "op_name", "program", "op_line", "loc",
                   "message", "fingerprint", "suppressed", "gating", "figures"]
AGGREGATE_COLUMNS = ["kind", "op", "loc", "failures", "suppressed", "logs", "example"]


def failure_frame(result: GateResult) -> pd.DataFrame:
    """One row per failure (the ``--export`` table). ``figures`` is a JSON string; ``line`` is 1-based."""
    rows = []
    for log, f in result.failures():
        op = f["op"] or {}
        rows.append({"path": log["path"], "status": log["status"], "kind": f["kind"], "severity": f["severity"],
                     "line": f["line"], "op_id": op.get("id"), "op_name": op.get("name"),
                     "program": op.get("program"), "op_line": op.get("line"), "loc": op.get("loc"),
                     "message": f["message"], "fingerprint": f["fingerprint"], "suppressed": f["suppressed"],
                     "gating": f["gating"], "figures": json.dumps(f["figures"], sort_keys=True, default=str)})
    df = pd.DataFrame(rows, columns=FAILURE_COLUMNS)
    return df.astype({"line": "Int64", "op_line": "Int64", "suppressed": bool, "gating": bool})


def aggregate_frame(result: GateResult) -> pd.DataFrame:
    """Failures grouped by kind, op name and source location (the op's module path, else its source
    ``file:line``): how many, how many suppressed, in how many logs, and a first ``path:line`` example.
    Most frequent first."""
    df = failure_frame(result)
    if df.empty:
        return pd.DataFrame(columns=AGGREGATE_COLUMNS)
    df = df.assign(op=df["op_name"].fillna(""), loc=df["loc"].fillna(""),
                   example=df["path"] + ":" + df["line"].astype(str))
    agg = (df.groupby(["kind", "op", "loc"], sort=False)
             .agg(failures=("kind", "size"), suppressed=("suppressed", "sum"), logs=("path", "nunique"),
                  example=("example", "first"))
             .reset_index())
    agg = agg.sort_values(["failures", "kind", "op", "loc"], ascending=[False, True, True, True], kind="stable")
    return agg[AGGREGATE_COLUMNS].reset_index(drop=True)


def aggregate_records(result: GateResult) -> list[dict]:
    """The aggregate as JSON-ready dicts (plain ints, not numpy)."""
    return [{"kind": r.kind, "op": r.op or None, "loc": r.loc or None, "failures": int(r.failures),
             "suppressed": int(r.suppressed), "logs": int(r.logs), "example": r.example}
            for r in aggregate_frame(result).itertuples(index=False)]


def relative_path(path: str) -> str:
    """``path`` relative to the working directory with ``/`` separators when it lies below it, else the
    absolute POSIX path; ``-`` (stdin) unchanged."""
    if path == "-":
        return path
    p = Path(os.path.abspath(path))
    try:
        return PurePosixPath(*p.relative_to(Path.cwd()).parts).as_posix()
    except ValueError:
        return p.as_posix()


def op_text(op: dict | None) -> str:
    """``%9 ttnn.to_layout in program 'main' (line 42)``, or empty when no op was executing."""
    if not op:
        return ""
    ident = " ".join(x for x in (op.get("id"), op.get("name")) if x)
    where = f" in program '{op['program']}'" if op.get("program") else ""
    line = f" (line {op['line']})" if op.get("line") else ""
    return f"{ident}{where}{line}"


def failure_text(f: dict) -> str:
    """``kind: message [op ...]`` on one line; the op part is left out when no op was executing."""
    op = op_text(f["op"])
    return f"{f['kind']}: {f['message']}" + (f" [op {op}]" if op else "")


def verdict(result: GateResult) -> str:
    """``passed`` | ``failed`` | ``error``: the gate's outcome, as its exit code says."""
    return {0: "passed", 1: "failed", 2: "error"}[result.exit_code]
