"""``ttdiag l1 --format json``: one object (schema ``ttdiag.l1/1``; README documents the keys)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analyze.l1.run import L1Report
from .common import iter_json_listing
from .l1_common import against_dict, op_l1_dict

SCHEMA = "ttdiag.l1/1"


def render_pieces(report: L1Report, threshold: float) -> Iterator[str]:
    """The JSON text in pieces, one op per line, riskiest first (streamed by the CLI)."""
    ctx = report.ctx
    ops = sorted(report.ops, key=lambda r: -r.worst(ctx)[1])
    return iter_json_listing({
        "schema": SCHEMA,
        "source": report.source,
        "arch": ctx.arch.name,
        "era": ctx.era.name,
        "era_reason": report.era_reason,
        "l1_limit_bytes": ctx.l1_limit,
        "l1_unreserved_base_bytes": ctx.l1_unreserved_base,
        "cb_alignment_bytes": ctx.cb_alignment,
        "threshold": threshold,
        "ops": (op_l1_dict(r, ctx, threshold) for r in ops),
        "warnings": report.warnings,
        **({"against": against_dict(report.against)} if report.against is not None else {}),
    }, ("ops",))


def render(report: L1Report, threshold: float) -> str:
    return "".join(render_pieces(report, threshold))
