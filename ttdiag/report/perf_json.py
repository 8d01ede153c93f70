"""``ttdiag perf --format json``: one object (schema ``ttdiag.perf/1``; README documents the keys)."""

from __future__ import annotations

import math
from typing import Any

from ..analyze.perf import ConvInfo, PerfReport
from .common import dumps

SCHEMA = "ttdiag.perf/1"


def _n(v: Any) -> Any:
    """JSON-safe number: NaN -> None, integral floats -> int."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    if math.isnan(f):
        return None
    return int(f) if f.is_integer() else f


def conv_dict(c: ConvInfo) -> dict[str, Any]:
    return {
        "row": c.row, "line": c.line, "op_code": c.op_code, "device_id": c.device_id,
        "device_kernel_ns": _n(c.device_kernel_ns),
        "batch": c.batch, "input_hw": list(c.input_hw) if c.input_hw else None,
        "output_hw": list(c.output_hw) if c.output_hw else None,
        "in_channels": c.in_channels, "out_channels": c.out_channels,
        "kernel": list(c.kernel) if c.kernel else None, "stride": list(c.stride) if c.stride else None,
        "padding": list(c.padding) if c.padding else None, "dilation": list(c.dilation) if c.dilation else None,
        "weight_shape": list(c.weight_shape) if c.weight_shape else None,
        "groups": c.groups, "groups_source": c.groups_source, "expansion_factor": c.expansion_factor,
        "useful_macs": c.useful_macs, "executed_macs": c.executed_macs,
        "ideal_ns": None if c.ideal_ns is None else round(c.ideal_ns, 3),
        "wasted_ns": None if c.wasted_ns is None else round(c.wasted_ns, 3),
        "notes": c.notes,
    }


def report_dict(r: PerfReport, top: int = 20) -> dict[str, Any]:
    total = r.total_device_kernel_ns
    top_ops = r.ops.sort_values(["device_kernel_ns", "row"], ascending=[False, True], kind="stable").head(top)
    d: dict[str, Any] = {
        "schema": SCHEMA,
        "source": r.source,
        "csv_variant": r.csv_variant,
        "rows": r.rows, "device_ops": r.device_rows, "signposts": r.signposts, "python_fallback": r.python_fallback,
        "total_device_kernel_ns": _n(total),
        "device_fw_ns": _n(r.device_fw_ns),
        "host_ns": _n(r.host_ns),
        "python_fallback_host_ns": _n(r.fallback_host_ns),
        "op_to_op_gap_ns": _n(r.op_to_op_gap_ns),
        "max_op_to_op_gap_ns": _n(r.max_op_to_op_gap_ns),
        "by_op_code": [{"op_code": x.op_code, "count": int(x.count), "device_kernel_ns": _n(x.device_kernel_ns),
                        "share": round(float(x.share), 6)} for x in r.by_op_code.itertuples()],
        "top_ops": [{"row": int(x.row), "line": int(x.line), "op_code": x.op_code,
                     "call_count": _n(x.call_count), "device_id": _n(x.device_id),
                     "device_kernel_ns": _n(x.device_kernel_ns), "share": round(float(x.share), 6),
                     "category": x.category} for x in top_ops.itertuples()],
        "devices": [{"device_id": None if int(x.device_id) < 0 else int(x.device_id), "ops": int(x.ops),
                     "device_kernel_ns": _n(x.device_kernel_ns), "op_to_op_gap_ns": _n(x.op_to_op_gap_ns),
                     "share": round(float(x.share), 6)} for x in r.devices.itertuples()],
        "layout_conversion_share": round(r.layout_conversion_share, 6),
        "layout_conversion_ns": _n(r.layout_conversion_ns),
        "layout_conversion": {k: {"device_kernel_ns": _n(v), "share": round(v / total, 6) if total else 0.0}
                              for k, v in r.layout_ns.items()},
        "compute_ns": _n(r.compute_ns),
        "convs": [conv_dict(c) for c in r.convs],
        "grouped_conv_waste": {k: {kk: _n(round(vv, 6)) if isinstance(vv, float) else vv for kk, vv in v.items()}
                               for k, v in (("confirmed", r.waste(("attributes", "ir"))),
                                            ("suspected", r.waste(("suspected",))))},
        "warnings": r.warnings,
    }
    if r.vs is not None:
        v = r.vs
        d["vs"] = {
            "other": v.other, "total_device_kernel_ns": _n(v.total_ns), "other_total_device_kernel_ns": _n(v.other_total_ns),
            "speedup": None if v.speedup is None else round(v.speedup, 6),
            "by_op_code": [{"op_code": x.op_code, "count": int(x.count), "other_count": int(x.other_count),
                            "device_kernel_ns": _n(x.device_kernel_ns),
                            "other_device_kernel_ns": _n(x.other_device_kernel_ns),
                            "speedup": None if x.speedup is None or x.speedup != x.speedup else round(float(x.speedup), 6)}
                           for x in v.by_op_code.itertuples()],
        }
    return d


def render(r: PerfReport, top: int = 20) -> str:
    return dumps(report_dict(r, top))
