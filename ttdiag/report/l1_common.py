"""Plain-dict and table forms of an L1 report (shared by the JSON, CSV and text renderers)."""

from __future__ import annotations

from typing import Any

from ..analyze.l1.model import L1Context, OpL1


def op_l1_dict(r: OpL1, ctx: L1Context, threshold: float) -> dict[str, Any]:
    """One op's L1 prediction in the JSON contract of ``ttdiag l1`` (README: "ttdiag l1 JSON")."""
    group, end = r.worst(ctx)
    limit = ctx.l1_limit
    return {
        "op": {"id": r.op_id, "name": r.op_name, "program": r.program, "line": r.line},
        "factory": r.factory,
        "confidence": r.confidence,
        "validated": r.validated,
        "validated_by": r.validated_by or None,
        "era": r.era,
        "core_groups": [{
            "label": g.label,
            "cores": [list(c) for c in g.cores],
            "cbs": [{"index": cb.index, "name": cb.name, "pages": cb.pages, "page_bytes": cb.page_bytes,
                     "bytes": cb.bytes, "globally_allocated": cb.globally_allocated} for cb in g.cbs],
            "cb_region_end_bytes": g.region_end(ctx.l1_unreserved_base, ctx.cb_alignment),
        } for g in r.core_groups],
        "worst": {"core": list(group.cores[0]) if group and group.cores else None, "cb_region_end_bytes": end,
                  "cores": len(group.cores) if group else 0},
        "l1_tensor_bytes_per_bank": r.l1_tensor_bytes_per_bank,
        "headroom_bytes": limit - r.l1_tensor_bytes_per_bank - end,
        "fraction_of_limit": round(end / limit, 6) if limit else None,
        "fits": r.fits(ctx),
        "at_risk": bool(limit) and end / limit >= threshold,
        "formula": r.formula,
        "sources": r.sources,
    }


def l1_frame(ops: list[OpL1], ctx: L1Context, threshold: float):
    """A pandas DataFrame, one row per op, riskiest (highest fraction of the L1 limit) first."""
    import pandas as pd

    rows = []
    for r in ops:
        d = op_l1_dict(r, ctx, threshold)
        rows.append({
            "op": d["op"]["id"] or "", "name": d["op"]["name"], "program": d["op"]["program"] or "",
            "line": d["op"]["line"], "factory": r.factory, "confidence": r.confidence,
            "validated": r.validated, "worst_core": tuple(d["worst"]["core"]) if d["worst"]["core"] else None,
            "cores": d["worst"]["cores"],
            "cb_region_end_bytes": d["worst"]["cb_region_end_bytes"],
            "fraction_of_limit": d["fraction_of_limit"],
            "l1_tensor_bytes_per_bank": r.l1_tensor_bytes_per_bank,
            "headroom_bytes": d["headroom_bytes"], "fits": d["fits"], "at_risk": d["at_risk"],
        })
    df = pd.DataFrame(rows)
    if not df.empty:
        df = df.sort_values(["fraction_of_limit", "line"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return df


def against_dict(a) -> dict[str, Any]:
    """``ttdiag l1 --against``'s comparison in the JSON contract (README: "ttdiag l1 JSON", ``against``)."""
    def op_ref(r: OpL1) -> dict[str, Any]:
        return {"id": r.op_id, "name": r.op_name, "program": r.program, "line": r.line}

    def rec_ref(r) -> dict[str, Any]:
        return {"index": r.index, "name": r.name, "node": r.node, "operation_id": r.operation_id,
                "output_shape": list(r.output_shape) if r.output_shape else None,
                "programs": [{"name": p.name, "node": p.node, "cbs": len(p.cbs)} for p in r.programs]}

    def pair(p) -> dict[str, Any]:
        prog = p.program
        return {
            "op": op_ref(p.op), "record": rec_ref(p.record), "matched_by": p.matched_by,
            "shapes_agree": p.shapes_agree,
            "device_program": None if prog is None else {"name": prog.name, "node": prog.node,
                                                         "factory": prog.factory},
            "program_choice": p.program_choice,
            "cbs": [{"tensor_backed": c.tensor_backed,
                     "predicted": None if c.predicted is None else {
                         "index": c.predicted.index, "name": c.predicted.name, "bytes": c.predicted.bytes},
                     "recorded": None if c.recorded is None else {
                         "node": c.recorded.node, "kind": c.recorded.kind, "bytes": c.recorded.bytes},
                     "delta_bytes": c.delta} for c in p.cbs],
            "predicted_static_bytes": p.predicted_static, "recorded_static_bytes": p.recorded_static,
            "delta_bytes": p.delta, "cb_multiset_equal": p.multiset_equal,
            "tensor_backed_equal": p.tensor_backed_equal,
            "cores": {"predicted": p.predicted_cores, "recorded": p.recorded_cores},
            "agree": p.agree, "verdict": p.reason,
        }

    return {
        "source": a.source, "kind": a.kind,
        "matched": [pair(p) for p in a.matched],
        "unmatched_ir": [op_ref(r) for r in a.unmatched_ir],
        "unmatched_records": [rec_ref(r) for r in a.unmatched_records],
        "ir_without_program": a.ir_without_program,
        "records_without_program": a.records_without_program,
        "agree": a.agree, "total": a.total,
        "warnings": a.warnings,
    }
