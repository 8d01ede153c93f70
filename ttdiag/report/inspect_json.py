"""Inspect report as one JSON object (schema ``ttdiag.inspect/1``, documented in the README)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analyze.inspect import InspectReport
from .common import iter_json_listing, op_dict, tensor_dict

SCHEMA = "ttdiag.inspect/1"


def _tensor(e) -> dict:
    d = tensor_dict(e.type, e.figures)
    d.update(program=e.program, value=e.value, defined_by=e.defined_by, line=e.line)
    return d


def render_pieces(report: InspectReport) -> Iterator[str]:
    """The JSON text in pieces, one op / tensor per line (streamed by the CLI)."""
    m = report.module
    sd = m.system_desc
    return iter_json_listing({
        "schema": SCHEMA,
        "source": report.source,
        "input_kind": report.kind,
        "arch": report.arch.name,
        "system_desc": None if sd is None else [
            {"arch": c.arch, "grid": list(c.grid) if c.grid else None, **c.ints} for c in sd.chips],
        "programs": [{"name": p.name, "line": p.line, "ops": sum(1 for _ in p.walk()),
                      "args": [a for a, _ in p.args]} for p in m.programs],
        "ops": (op_dict(op) for op in m.all_ops()),
        "tensors": (_tensor(e) for e in report.tensors),
        "diagnostics": [{"line": d.line, "message": d.message, "text": d.text} for d in m.diagnostics],
        "warnings": report.warnings,
    }, ("ops", "tensors"))


def render(report: InspectReport) -> str:
    return "".join(render_pieces(report))
