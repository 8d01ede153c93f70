"""``ttdiag l1 --format json``: one object (schema ``ttdiag.l1/1``; README documents the keys)."""

from __future__ import annotations

from ..analyze.l1.run import L1Report
from .common import dumps
from .l1_common import op_l1_dict

SCHEMA = "ttdiag.l1/1"


def render(report: L1Report, threshold: float) -> str:
    ctx = report.ctx
    ops = sorted(report.ops, key=lambda r: -r.worst(ctx)[1])
    return dumps({
        "schema": SCHEMA,
        "source": report.source,
        "arch": ctx.arch.name,
        "era": ctx.era.name,
        "era_reason": report.era_reason,
        "l1_limit_bytes": ctx.l1_limit,
        "l1_unreserved_base_bytes": ctx.l1_unreserved_base,
        "cb_alignment_bytes": ctx.cb_alignment,
        "threshold": threshold,
        "ops": [op_l1_dict(r, ctx, threshold) for r in ops],
        "warnings": report.warnings,
    })
