"""``ttdiag memory --format json``: schema ``ttdiag.memory/1`` (README documents the keys). The ``ops``
listing is streamed one op per line (``common.iter_json_listing``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..analyze.memory import MemoryReport, OpMem
from .common import iter_json_listing

SCHEMA = "ttdiag.memory/1"


def op_dict(op: OpMem, graph: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"index": op.index, "name": op.name}
    if op.operation_id is not None:
        d["operation_id"] = op.operation_id
    if graph:
        d["node"] = op.node
        d["programs"] = [{
            "name": p.name, "node": p.node, "cb_bytes": p.cb_bytes, "cb_bytes_per_core": p.cb_bytes_per_core,
            "cbs": [{"node": c.node, "kind": c.kind, "bytes_per_core": c.bytes_per_core, "core_ranges": c.core_ranges,
                     "cores": c.cores, "globally_allocated": c.tensor_backed, "address": c.address} for c in p.cbs],
        } for p in op.programs]
        d["buffers"] = [{
            "node": b.node, "event": "allocate" if b.allocate else "deallocate", "buffer_type": b.buffer_type,
            "bytes_per_bank": b.bytes_per_bank, "size_bytes": b.size, "num_cores": b.num_cores, "layout": b.layout,
            "address": b.address, "counted_in_l1": b.counted, "in": b.frame,
        } for b in op.buffers]
        d["running_after"] = {"cb_bytes": op.cb_bytes, "l1_bytes": op.l1_bytes, "total_bytes": op.total_bytes}
        d["peak"] = {"cb_bytes": op.peak_cb, "l1_bytes": op.peak_l1, "total_bytes": op.peak_total}
        d["peak_per_core"] = {"cb_bytes": op.peak_core_program, "l1_bytes": op.peak_l1,
                              "total_bytes": op.peak_core_total}
    if op.per_bank:
        d["allocated_per_bank"] = dict(op.per_bank)
    if op.bank_size:
        d["bank_bytes"] = dict(op.bank_size)
    if op.approx_bytes:
        d["approx_bytes"] = op.approx_bytes
    if op.when:
        d["when"] = op.when
    if op.loc:
        d["loc"] = op.loc
    return d


def report_dict(r: MemoryReport) -> dict[str, Any]:
    graph = r.peaks_per_core is not None
    return {
        "schema": SCHEMA,
        "file": r.path,
        "source": r.source,
        "detail": r.detail,
        "nodes": r.nodes,
        "complete": r.complete,
        "l1_basis": r.l1_basis,
        "peaks": r.peaks.as_dict(),
        "peaks_per_core": r.peaks_per_core.as_dict() if r.peaks_per_core is not None else None,
        "peaks_by_buffer_type": dict(r.peaks_by_kind),
        "devices": r.devices,
        "warnings": list(r.warnings),
        "ops": (op_dict(op, graph and op.node is not None) for op in r.ops),
    }


def render_pieces(r: MemoryReport) -> Iterator[str]:
    return iter_json_listing(report_dict(r), ("ops",))


def stream_pieces(path: str) -> Iterator[str]:
    """The JSON of ``ttdiag memory PATH``, written while the input is read: each op of a graph capture
    goes out as it is finished and is not kept, so memory stays flat on a million-node capture. The
    summary keys (peaks, warnings, ...) follow the ``ops`` listing; the object is the same as
    :func:`render_pieces` would give."""
    from ..analyze.memory import memory_run

    out: list[OpMem] = []
    run = memory_run(path, sink=out.append)
    head = False
    while True:
        try:
            next(run)
        except StopIteration as stop:
            report = stop.value
            break
        for op in out:
            yield ("{\n  \"ops\": [\n    " if not head else ",\n    ") + json.dumps(op_dict(op, True), sort_keys=True)
            head = True
        out.clear()
    graph = report.peaks_per_core is not None
    for op in out + report.ops:
        yield ("{\n  \"ops\": [\n    " if not head else ",\n    ") + json.dumps(
            op_dict(op, graph and op.node is not None), sort_keys=True)
        head = True
    yield "{\n  \"ops\": []" if not head else "\n  ]"
    d = report_dict(report)
    del d["ops"]
    for k in sorted(d):
        yield ",\n  " + json.dumps(k) + ": " + json.dumps(d[k], indent=2, sort_keys=True).replace("\n", "\n  ")
    yield "\n}"
