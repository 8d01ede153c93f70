"""``ttdiag diff --format json`` (schema ``ttdiag.diff/1``; keys documented in the README). A dump's
outcome is null: it never ran."""

from __future__ import annotations

from ..analyze.diff import AlignedOp, DiffResult, Side
from ..ir.graph import Op
from .common import dumps


def _op(op: Op | None, program: str | None) -> dict | None:
    if op is None:
        return None
    return {"id": op.id, "name": op.name, "program": program, "line": op.line}


def _aligned(x: AlignedOp) -> dict:
    d = {"status": x.status, "a": _op(x.a, x.program_a), "b": _op(x.b, x.program_b)}
    if x.field:
        d["field"] = x.field
    if x.detail:
        d["detail"] = x.detail
    return d


def _outcome(s: Side) -> dict:
    d: dict = {"path": s.path, "input_kind": s.kind, "outcome": s.outcome}
    if s.failure is not None:
        f = s.failure.failure
        op = s.failure.localization.failing.op if s.failure.localization else None
        d.update(line=f.line, message=f.message, op=_op(op, s.failure.localization.failing.program if op else None))
    return d


def render(r: DiffResult) -> str:
    d = r.first_divergence
    return dumps({
        "schema": "ttdiag.diff/1",
        "ir_identical": r.ir_identical,
        "first_divergence": None if d is None else {
            "a": _op(d.a, d.program_a), "b": _op(d.b, d.program_b), "field": d.field or d.status,
            "detail": d.detail or d.status},
        "outcome": {"a": r.a.outcome, "b": r.b.outcome},
        "sides": {"a": _outcome(r.a), "b": _outcome(r.b)},
        "verdict": r.verdict,
        "upstream": r.upstream,
        "aligned_ops": [_aligned(x) for x in r.aligned],
    })
