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
