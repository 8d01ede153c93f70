"""Host-side ops (no device program, no CBs) and the fallback estimate for ops without a model."""

from __future__ import annotations

from ...ir.graph import Op
from .model import CB, CoreGroup, L1Context, OpL1, grid_cores, round_up
from .registry import cb_model, fallback_model
from .tensors import facts


def no_program(op: Op, reason: str) -> OpL1:
    return OpL1(op.id, op.name, op.program, "none", "read-factory", [], [reason])


@cb_model("ttnn.get_device", "ttnn.deallocate", "ttnn.from_device", "ttnn.to_device", "ttcore.load_cached",
          "func.return", "ttnn.empty", "ttcore.device_module", "ttnn.capture_or_execute_trace",
          "ttnn.begin_trace_capture", "ttnn.end_trace_capture", "ttnn.execute_trace")
def host_op(op: Op, ctx: L1Context) -> OpL1:
    """Ops that run no device program (allocation, transfers, cache lookups): no CBs."""
    return no_program(op, f"{op.name} runs no device program: no circular buffers")


@fallback_model
def generic_estimate(op: Op, ctx: L1Context) -> OpL1:
    """Estimate for ops without a model: a double-buffered page per input and output on every
    worker core (tile pages for tiled tensors, one aligned row for row-major ones). This mirrors the
    common 2-page CB of tt-metal's eltwise and data-movement factories; it is not read from the op's
    factory, so every figure is an ``estimate``."""
    if op.name in ("return",) or not any(True for _ in op.tensors()):
        return no_program(op, f"{op.name}: no tensors, no device program assumed")
    cbs = []
    idx_in, idx_out = 0, 16
    for role, _, t in op.tensors():
        tf = facts(t)
        if tf is None or tf.buffer_type == "system_memory":
            continue
        page = tf.tile_bytes if tf.tiled else round_up(max(tf.width * max(tf.es, 1), 1), ctx.arch.l1_alignment)
        if role == "operand":
            cbs.append(CB(idx_in, 2, page, f"input {idx_in}"))
            idx_in += 1
        else:
            cbs.append(CB(idx_out, 2, page, f"output {idx_out - 16}"))
            idx_out += 1
    if not cbs:
        return no_program(op, f"{op.name}: only host tensors")
    group = CoreGroup("all", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
    biggest = max(cbs, key=lambda c: c.bytes)
    return OpL1(op.id, op.name, op.program, "generic (no model)", "estimate", [group],
                [f"estimate: 2 pages per input/output; largest c_{biggest.index} = 2 x {biggest.page_bytes:,} B"])
