"""CB models for element-wise ops: unary (relu, exp, log, neg, abs, sigmoid ...), typecast, and binary
(add, subtract, multiply, maximum / minimum, comparisons, logical and bitwise ops).

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/eltwise``):

* unary: ``unary/device/unary_program_factory.cpp`` ``UnaryProgramFactory::create``, a 2025 copy (the
  tensor-accessor / bitcast era, before the 2026 descriptor rewrite). Work: ``num_pages`` (tiles, or rows
  for row-major) split with ``split_work_to_cores(compute_with_storage_grid_size, num_pages)``
  (column-major); CBs on ``all_cores`` (the cores that get work): c_0 = 2 input pages, c_1 = 2 input pages
  only for HARDSHRINK / CBRT / LOGIT (none of the ops modelled here), c_2 = 2 output pages. A page is the
  32x32 tile of the tensor's dtype (``tt::tile_size``), or the buffer's page (one row, ``W x element
  size``) for row-major tensors.
  The 2026 rewrite (``UnaryDeviceOperation::ProgramFactory::create_descriptor`` @019b681e) keeps the same
  CB sizes but creates them on the whole worker grid and uses tile-sized pages for row-major data; that is
  an era switch this model does not make (figures per core are unchanged for tiled tensors).
* typecast: ``copy/typecast/device/typecast_program_factory.cpp`` ``TypecastProgramFactory::create_descriptor``
  @0021b0dc: the unary CB shape (c_0 / c_2 of 2 pages, input / output dtype) on the ``split_work_to_cores``
  cores.
* binary: ``binary_ng/device/binary_ng_program_factory.cpp`` ``BinaryNgDeviceOperation::ProgramFactory::create``
  @00635679 (2025): on every core of the worker grid, c_0 = 2 tiles of a's dtype, c_3 = 1 tile when the
  op pre-processes the left input (``process_lhs``), c_1 = 2 tiles of b's dtype, c_4 = 1 tile when it
  pre-processes the right input, c_2 = 2 tiles of the output dtype. The logical ops (and / or / xor)
  pre-process both inputs (non-zero test), so they add c_3 and c_4; add / subtract / multiply /
  comparisons / maximum / minimum / bitwise ops add neither. A broadcast b (row, column, scalar tensor)
  changes the reader kernel, not the CB sizes.

Checked against tt-mlir's OpModel tests (tt-mlir @78b9ce3d, 2025-11-27: CB bytes per core computed by
tt-metal's own graph capture): 64x1024 bf16 unary = 8,192 B, binary = 12,288 B, logical binary = 16,384 B,
int32 bitwise binary = 24,576 B, bf16 -> f32 typecast = 12,288 B.

Estimates (not read from a factory): sharded tensors (unary: c_0 / c_2 backed by the shards; binary: backed
only when all three tensors are sharded alike, otherwise the interleaved CBs, as the OpModel mixed-sharding
cases show) and row-major binary operands (fallback estimate).
"""

from __future__ import annotations

from ...ir.graph import Op
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, grid_cores
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import split_work_to_cores

UNARY_SOURCE = "unary/device/unary_program_factory.cpp UnaryProgramFactory::create (2025 copy)"
TYPECAST_SOURCE = "copy/typecast/device/typecast_program_factory.cpp TypecastProgramFactory::create_descriptor @0021b0dc"
BINARY_SOURCE = "binary_ng/device/binary_ng_program_factory.cpp BinaryNgDeviceOperation::ProgramFactory::create @00635679"

# TTNN ops that run the unary factory with a single UnaryOpType and no c_1 temporary CB
UNARY_OPS = ("ttnn.relu", "ttnn.relu6", "ttnn.silu", "ttnn.sqrt", "ttnn.rsqrt", "ttnn.sigmoid", "ttnn.hardsigmoid",
             "ttnn.sin", "ttnn.cos", "ttnn.tan", "ttnn.atan", "ttnn.exp", "ttnn.expm1", "ttnn.log", "ttnn.log1p",
             "ttnn.tanh", "ttnn.abs", "ttnn.ceil", "ttnn.floor", "ttnn.sign", "ttnn.erf", "ttnn.erfc", "ttnn.gelu",
             "ttnn.isfinite", "ttnn.logical_not", "ttnn.neg", "ttnn.reciprocal", "ttnn.bitwise_not",
             "ttnn.leaky_relu")

# binary ops without input pre-processing: c_0, c_1, c_2
BINARY_PLAIN = ("ttnn.add", "ttnn.subtract", "ttnn.multiply", "ttnn.maximum", "ttnn.minimum", "ttnn.eq", "ttnn.ne",
                "ttnn.gt", "ttnn.ge", "ttnn.lt", "ttnn.le", "ttnn.bitwise_and", "ttnn.bitwise_or", "ttnn.bitwise_xor")
# binary ops that pre-process both inputs (non-zero test): c_3 and c_4 of one tile each as well
BINARY_LHS_RHS = ("ttnn.logical_and", "ttnn.logical_or", "ttnn.logical_xor")


def _on_host(*ts: TensorFacts) -> bool:
    """Any tensor in host (system) memory: no device program of this family runs (the fallback says so)."""
    return any(t.buffer_type in ("system_memory", "system") for t in ts)


def _page(t: TensorFacts) -> int:
    """CB page bytes of the unary factory: the dtype's 32x32 tile, or one row (``W x element size``) of a
    row-major tensor (``buffer()->page_size()``)."""
    return t.tile_bytes if t.tiled else t.width * max(t.es, 1)


def _units(t: TensorFacts) -> int:
    """Pages of the tensor's buffer: tiles (``Ht_total x Wt``) for tiled, rows for row-major."""
    return t.Ht_total * t.Wt if t.tiled else max(t.volume // max(t.width, 1), 1)


def unary_model(op: Op, ctx: L1Context, src: TensorFacts, dst: TensorFacts, factory: str,
                confidence: str, sources: list[str]) -> OpL1:
    """c_0 = 2 input pages, c_2 = 2 output pages on each core that gets work (bytes per core).

    Sharded: both CBs are backed by the shards (``globally_allocated``), so they take no static CB space
    (estimate: the sharded factory was not read; agrees with the OpModel height-sharded case, 0 B)."""
    if src.sharded or dst.sharded:
        cbs = [CB(0, 2, _page(src), "input (shard-backed)" if src.sharded else "input", src.sharded),
               CB(2, 2, _page(dst), "output (shard-backed)" if dst.sharded else "output", dst.sharded)]
        group = CoreGroup("all", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
        return OpL1(op.id, op.name, op.program, factory.replace("ProgramFactory", "ShardedProgramFactory"),
                    "estimate", [group],
                    ["sharded: c_0 / c_2 backed by the shard buffers where the tensor is sharded (not read)"], sources)
    p_in, p_out = _page(src), _page(dst)
    units = _units(src)
    groups = [CoreGroup(f"{label} ({n} {'tiles' if src.tiled else 'rows'}/core)", cores,
                        [CB(0, 2, p_in, "input"), CB(2, 2, p_out, "output")])
              for label, cores, n in split_work_to_cores(ctx, units)]
    formula = [f"{units:,} {'tiles' if src.tiled else 'rows'} over {sum(len(g.cores) for g in groups)} cores "
               f"(split_work_to_cores); c_0 = 2 x {p_in:,} B, c_2 = 2 x {p_out:,} B = {2 * (p_in + p_out):,} B per core"]
    return OpL1(op.id, op.name, op.program, factory, confidence, groups, formula, sources)


@cb_model(*UNARY_OPS)
def unary(op: Op, ctx: L1Context) -> OpL1:
    """The eltwise unary ops: ``UnaryProgramFactory`` (see the module docstring)."""
    src, dst = operand(op), result(op)
    if src is None or dst is None or _on_host(src, dst):
        return generic_estimate(op, ctx)
    return unary_model(op, ctx, src, dst, "UnaryProgramFactory", "read-factory", [UNARY_SOURCE])


@cb_model("ttnn.typecast")
def typecast(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.typecast``: ``copy/typecast/device/typecast_program_factory.cpp``
    ``TypecastProgramFactory::create_descriptor`` @0021b0dc: ``split_work_to_cores(grid, num_pages,
    row_major = is_row_major)``; on the cores with work, c_0 = 2 input-dtype pages, c_2 = 2 output-dtype
    pages (bytes per core). Tiled interleaved tensors are ``read-factory``; row-major ones (cores filled
    row-major there, column-major in this model) and sharded ones (a separate factory, not read) are
    estimates."""
    src, dst = operand(op), result(op)
    if src is None or dst is None or _on_host(src, dst):
        return generic_estimate(op, ctx)
    exact = src.tiled and dst.tiled and not (src.sharded or dst.sharded)
    res = unary_model(op, ctx, src, dst, "TypecastProgramFactory", "read-factory" if exact else "estimate",
                      [TYPECAST_SOURCE])
    if not exact and not (src.sharded or dst.sharded):
        res.formula.append("row-major typecast: cores are filled row-major by the factory (core order not modelled)")
    return res


def _same_sharding(*ts: TensorFacts) -> bool:
    return all(t.sharded for t in ts) and len({(t.shape, t.memory_layout) for t in ts}) == 1


@cb_model(*BINARY_PLAIN, *BINARY_LHS_RHS)
def binary(op: Op, ctx: L1Context) -> OpL1:
    """Binary eltwise ops with two tensor inputs: ``BinaryNgDeviceOperation::ProgramFactory`` (module
    docstring). CBs on every worker-grid core (bytes per core): c_0 = 2·T_a, [c_3 = T_a], c_1 = 2·T_b,
    [c_4 = T_b], c_2 = 2·T_c."""
    a, b, c = operand(op, 0), operand(op, 1), result(op)
    if a is None or b is None or c is None or _on_host(a, b, c):
        return generic_estimate(op, ctx)
    if not (a.tiled and b.tiled and c.tiled):
        res = generic_estimate(op, ctx)
        res.formula.append("binary: only tiled tensor-tensor operands are modelled")
        return res
    pre = op.name in BINARY_LHS_RHS
    sharded = a.sharded or b.sharded or c.sharded
    backed = sharded and _same_sharding(a, b, c)
    cbs = [CB(0, 2, a.tile_bytes, "input a", backed)]
    if pre:
        cbs.append(CB(3, 1, a.tile_bytes, "input a pre-processed"))
    cbs.append(CB(1, 2, b.tile_bytes, "input b", backed))
    if pre:
        cbs.append(CB(4, 1, b.tile_bytes, "input b pre-processed"))
    cbs.append(CB(2, 2, c.tile_bytes, "output", backed))
    group = CoreGroup("all", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
    static = group.static_bytes
    formula = [f"c_0 = 2 x {a.tile_bytes:,} B, c_1 = 2 x {b.tile_bytes:,} B, c_2 = 2 x {c.tile_bytes:,} B"
               + (f", c_3 = {a.tile_bytes:,} B, c_4 = {b.tile_bytes:,} B (input pre-processing)" if pre else "")
               + f" = {static:,} B per core on every worker core"]
    confidence = "read-factory"
    if sharded:
        confidence = "estimate"
        formula.append("sharded: " + ("c_0 / c_1 / c_2 backed by the shards (all three sharded alike)" if backed
                                      else "not all tensors sharded alike: interleaved CBs assumed") + " (not read)")
    return OpL1(op.id, op.name, op.program, "BinaryNgDeviceOperation::ProgramFactory", confidence, [group],
                formula, [BINARY_SOURCE])
