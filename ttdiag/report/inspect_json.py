"""Inspect report as one JSON object (schema ``ttdiag.inspect/1``, documented in the README)."""

from __future__ import annotations

from ..analyze.inspect import InspectReport
from .common import dumps, op_dict, tensor_dict

SCHEMA = "ttdiag.inspect/1"


def render(report: InspectReport) -> str:
    m = report.module
    ops = [op_dict(op) for op in m.all_ops()]
    tensors = []
    for e in report.tensors:
        d = tensor_dict(e.type, e.figures)
        d.update(program=e.program, value=e.value, defined_by=e.defined_by, line=e.line)
        tensors.append(d)
    sd = m.system_desc
    obj = {
        "schema": SCHEMA,
        "source": report.source,
        "input_kind": report.kind,
        "arch": report.arch.name,
        "system_desc": None if sd is None else [
            {"arch": c.arch, "grid": list(c.grid) if c.grid else None, **c.ints} for c in sd.chips],
        "programs": [{"name": p.name, "line": p.line, "ops": sum(1 for _ in p.walk()),
                      "args": [a for a, _ in p.args]} for p in m.programs],
        "ops": ops,
        "tensors": tensors,
        "diagnostics": [{"line": d.line, "message": d.message, "text": d.text} for d in m.diagnostics],
        "warnings": report.warnings,
    }
    return dumps(obj)
