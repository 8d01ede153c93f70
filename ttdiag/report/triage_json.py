"""Triage report as one JSON object (schema ``ttdiag.triage/1``, documented in the README)."""

from __future__ import annotations

from typing import Any

from ..analyze.triage import FailureReport, TriageReport
from ..parse.log import KEEP_RUNS
from .common import dump_candidate_dicts, dumps, op_dict, tensor_dict

SCHEMA = "ttdiag.triage/1"



def _failure(fr: FailureReport) -> dict[str, Any]:
    f = fr.failure
    loc = fr.localization
    op = None
    producers = []
    if loc is not None:
        rec = loc.failing.record
        if loc.failing.op is not None:
            o = loc.failing.op
            op = {"id": o.id, "name": o.name, "source": "op-line", "program": loc.failing.program, "line": rec.line,
                  "loc": o.loc.to_json() if o.loc else None}
        else:
            op = {"id": (rec.result_ids or [None])[0], "name": rec.name, "source": "op-line",
                  "program": loc.failing.program, "line": rec.line, "loc": None, "parse_error": loc.failing.parse_error}
        for operand, lo in loc.producers.items():
            d = op_dict(lo.op) if lo.op is not None else {"id": (lo.record.result_ids or [None])[0],
                                                            "name": lo.record.name, "line": lo.record.line}
            d["operand"] = operand
            d["line"] = lo.record.line
            producers.append(d)
    if op is None and fr.op_ref is not None:
        r = fr.op_ref
        op = {"id": None, "name": r.name, "source": r.source, "program": None, "line": r.line, "loc": None,
              "family": r.family, "factory": r.factory, "how": r.how, "evidence": r.evidence}
    out = {
        "kind": f.kind,
        "severity": f.severity,
        "component": fr.component,
        "component_evidence": fr.component_evidence,
        "message": f.message,
        "line": f.line,
        "figures": f.figures,
        "op": op,
        "producers": producers,
        "tensors": [{"op": t.op_id, "role": t.role, "value": t.value, **tensor_dict(t.type, t.figures)}
                    for t in fr.tensors],
        "notes": fr.notes,
        "model": None if fr.model is None else {k: v for k, v in fr.model.items() if k != "explanation"},
        "advice": [a.to_json() for a in fr.advice],
        "evidence": [{"line": e.line, "kind": e.kind, "text": e.text} for e in f.evidence],
    }
    if fr.dump_search is not None:  # only when the --ir dump was searched for the failing op (no op line)
        out["dump_candidates"] = dump_candidate_dicts(fr.dump_search)
    if fr.memory is not None:  # only when a memory record was at hand (MemoryView lines, --memory)
        out["memory"] = fr.memory
    return out


def render(report: TriageReport) -> str:
    trace = report.trace
    runs = trace.programs
    warnings = list(report.warnings)
    if trace.runs_total > len(runs):
        warnings.append(f"programs: {trace.runs_total:,} runs; the first and last {KEEP_RUNS} and the runs with "
                        f"failures are listed")
    obj = {
        "schema": SCHEMA,
        "source": report.source,
        "arch": report.arch.name,
        "stats": {"lines": trace.lines, "bytes": trace.bytes, "op_lines": trace.op_lines,
                  "program_runs": trace.runs_total,
                  "program_runs_finished": trace.runs_finished, "first_timestamp": trace.first_timestamp},
        "programs": [{"index": r.index, "name": r.name, "start_line": r.start_line, "end_line": r.end_line,
                      "ops": r.ops, "finished": r.finished} for r in runs],
        "failures": [_failure(fr) for fr in report.failures],
        "warnings": warnings,
    }
    return dumps(obj)
