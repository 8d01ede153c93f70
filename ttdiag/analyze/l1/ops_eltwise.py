"""CB models for element-wise ops: unary (relu, exp, log, neg, abs, sigmoid ...), typecast, binary (add,
subtract, multiply, divide, maximum / minimum, comparisons, logical and bitwise ops) and where (ternary).

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
  @00635679 (2025) and ``create_descriptor`` (library id 54495781093, a 2026 copy: row-major path, Metal 2.0
  descriptors): on every core of the worker grid, c_0 = 2 tiles of a's dtype, c_3 = 1 tile when the op
  pre-processes the left input (``process_lhs``), c_1 = 2 tiles of b's dtype, c_4 = 1 tile when it
  pre-processes the right input, c_2 = 2 tiles of the output dtype; a page is ``tt::tile_size(format)`` in every
  path, row-major ones included (the row-major reader streams rows into tile-sized pages). The logical ops
  (and / or / xor) pre-process both inputs (non-zero test), so they add c_3 and c_4; add / subtract / multiply /
  divide (an SFPU DIV, ``OpConfig`` @007bfbfa) / comparisons / maximum / minimum / bitwise ops add neither.
  The 2026 copy adds c_5 = 2 tiles of a (ROW_A, ROW_A_COL_B, COL_A, SCALAR_A) or c_6 = 2 tiles of b (the B
  variants) for a broadcast (``get_subtile_broadcast_type`` on the logical H / W); the 2025 copies add none
  for scalar / column broadcasts (era switch ``binary_ng_bcast_cbs``). Sharding (``get_shard_volumes``):
  under native L1 sharding (``binary_ng_utils.cpp`` ``is_native_L1_sharding``, library id 471216358: c
  sharded, a and b of one shape and one memory config, even shards, no DRAM, one grid, something L1-sharded)
  the CB of each sharded tensor holds its shard (shard volume in tiles) and is backed by it; otherwise every
  tensor is read as interleaved. The output layout is the inputs' (TILE unless a and b are both row-major),
  whatever layout the IR gives the result. tt-mlir's runtime calls ``::ttnn::add`` / ``multiply`` /
  ``subtract`` / ``divide`` / ``eq`` ... (``runtime/lib/ttnn/operations/eltwise/binary/binary.cpp``), which run
  binary_ng.
* unary, sharded input: ``unary/device/unary_sharded_program_factory.cpp`` ``UnaryShardedProgramFactory::create``
  @6e62c116: c_0 / c_2 of the shard's tiles, backed by the input / output buffers (era switch
  ``unary_sharded_factory``; the 2026 unary sharding path was not read).
* where: ``ternary/device/ternary_program_factory.cpp`` ``TernaryProgramFactory::create`` @b75493ad (TTT):
  c_0 predicate, c_1 true, c_2 false, c_3 output, 2 tiles each, on every worker-grid core.

Checked against tt-mlir's OpModel tests (tt-mlir @78b9ce3d, 2025-11-27: CB bytes per core computed by
tt-metal's own graph capture): 64x1024 bf16 unary = 8,192 B, binary (divide too) = 12,288 B, logical binary =
16,384 B, int32 bitwise binary = 24,576 B, bf16 -> f32 typecast = 12,288 B, where = 16,384 B.

Estimates (not read from a factory): sharded unary ops in the 2026 era, mixed tile / row-major binary operands,
row-major binaries and ROW-type broadcasts in the Dec-2025 era, where with a row / column / scalar broadcast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...ir.graph import Op
from ...ir.types import Type
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, grid_cores, round_up
from .registry import cb_model
from .tensors import TensorFacts, facts, operand, result
from .work_split import split_work_to_cores

UNARY_SOURCE = "unary/device/unary_program_factory.cpp UnaryProgramFactory::create (2025 copy)"
TYPECAST_SOURCE = "copy/typecast/device/typecast_program_factory.cpp TypecastProgramFactory::create_descriptor @0021b0dc"
BINARY_SOURCE = "binary_ng/device/binary_ng_program_factory.cpp BinaryNgDeviceOperation::ProgramFactory::create @00635679"
BINARY_2026_SOURCE = ("binary_ng/device/binary_ng_program_factory.cpp ProgramFactory::create_descriptor "
                      "(commit not recorded, 2026; row-major path, c_5 / c_6 broadcast CBs)")
BINARY_SHARDING_SOURCE = "binary_ng/device/binary_ng_utils.cpp is_native_L1_sharding (commit not recorded)"
BINARY_DIV_SOURCE = "binary_ng/device/binary_ng_utils.cpp OpConfig @007bfbfa (DIV: SfpuBinaryOp::DIV, no process_rhs)"
UNARY_SHARDED_SOURCE = "unary/device/unary_sharded_program_factory.cpp UnaryShardedProgramFactory::create @6e62c116"
TERNARY_SOURCE = "ternary/device/ternary_program_factory.cpp TernaryProgramFactory::create @b75493ad"
TERNARY_BCAST_SOURCE = "ternary/device/ternary_op_utils.cpp get_broadcast_type (commit not recorded)"

# TTNN ops that run the unary factory with a single UnaryOpType and no c_1 temporary CB
UNARY_OPS = ("ttnn.relu", "ttnn.relu6", "ttnn.silu", "ttnn.sqrt", "ttnn.rsqrt", "ttnn.sigmoid", "ttnn.hardsigmoid",
             "ttnn.sin", "ttnn.cos", "ttnn.tan", "ttnn.atan", "ttnn.exp", "ttnn.expm1", "ttnn.log", "ttnn.log1p",
             "ttnn.tanh", "ttnn.abs", "ttnn.ceil", "ttnn.floor", "ttnn.sign", "ttnn.erf", "ttnn.erfc", "ttnn.gelu",
             "ttnn.isfinite", "ttnn.logical_not", "ttnn.neg", "ttnn.reciprocal", "ttnn.bitwise_not",
             "ttnn.leaky_relu")

# binary ops without input pre-processing: c_0, c_1, c_2. DIV is an SFPU op (OpConfig: SfpuBinaryOp::DIV; the
# FPU branch, RECIP on b in c_4, is a TT_FATAL), so divide has no c_4.
BINARY_PLAIN = ("ttnn.add", "ttnn.subtract", "ttnn.multiply", "ttnn.divide", "ttnn.maximum", "ttnn.minimum", "ttnn.eq",
                "ttnn.ne", "ttnn.gt", "ttnn.ge", "ttnn.lt", "ttnn.le", "ttnn.bitwise_and", "ttnn.bitwise_or",
                "ttnn.bitwise_xor")
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
                    ["sharded: c_0 / c_2 backed by the shard buffers where the tensor is sharded (2026 unary "
                     "sharding path not read)"], sources)
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
    if src.sharded and ctx.era.unary_sharded_factory:
        s_in, s_out = _spec(op.operand_types[0]), _spec(op.result_types[0])
        if s_in is not None and s_out is not None:
            return unary_sharded_model(op, ctx, s_in, s_out)
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


# --- shard specs, as the binary_ng / ternary / unary sharded factories compare them --------------------


@dataclass(frozen=True, slots=True)
class _Spec:
    """A tensor's memory config as ``MemoryConfig::operator==`` sees it (layout, buffer type and, when
    sharded, the shard spec: grid and shard shape), plus the facts the factories derive from it."""

    facts: TensorFacts
    key: tuple
    shard: tuple[int, int] | None  # shard shape in elements (height, width)
    cores: int                     # cores of the shard grid (1 when interleaved)

    @property
    def sharded(self) -> bool:
        return self.shard is not None

    @property
    def l1(self) -> bool:
        return self.facts.buffer_type in ("l1", "l1_small")

    @property
    def shard_tiles(self) -> int:
        """``shard_spec.numel() / tile_hw``: the pages of a shard-backed CB (``get_shard_volumes``)."""
        return self.shard[0] * self.shard[1] // 1024 if self.shard else 0

    def uneven(self) -> bool:
        """``is_uneven``: the padded volume above the last dim, or the padded width, is not a multiple of the
        shard's height / width."""
        if self.shard is None:
            return False
        shape = self.facts.padded if self.facts.tiled else self.facts.shape
        above = math.prod(shape[:-1]) if len(shape) > 1 else 1
        return above % self.shard[0] != 0 or (shape[-1] if shape else 1) % self.shard[1] != 0


def _spec(t: Type | None) -> _Spec | None:
    f = facts(t)
    if f is None:
        return None
    lay = t.layout  # type: ignore[union-attr]
    if not f.sharded or lay is None or len(lay.memref_shape) < 2:
        return _Spec(f, (f.memory_layout, f.buffer_type), None, 1)
    h, w = lay.memref_shape[-2:]
    shard = (h * 32, w * 32) if lay.is_tiled else (h, w)
    cores = math.prod(lay.grid) if lay.grid else 1
    return _Spec(f, (f.memory_layout, f.buffer_type, tuple(lay.grid), shard, lay.extras.get("core_ranges")), shard,
                 cores)


def _hw(shape: tuple[int, ...]) -> tuple[int, int]:
    """(logical_shape[-2], logical_shape[-1]), 1 for a missing dim."""
    return (shape[-2] if len(shape) >= 2 else 1, shape[-1] if shape else 1)


# --- binary_ng -------------------------------------------------------------------------------------------

# SubtileBroadcastType (binary_ng_device_operation.cpp get_subtile_broadcast_type) -> the broadcast CB it adds
# in the 2026 create_descriptor: c_5 (2 tiles of a) or c_6 (2 tiles of b)
_BCAST_CB = {"SCALAR_A": 5, "ROW_A": 5, "COL_A": 5, "ROW_A_COL_B": 5,
             "SCALAR_B": 6, "ROW_B": 6, "COL_B": 6, "ROW_B_COL_A": 6}


def subtile_broadcast_type(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> str:
    """``get_subtile_broadcast_type(a_h, a_w, b_h, b_w)`` on the logical H / W of a and b."""
    (a_h, a_w), (b_h, b_w) = _hw(a_shape), _hw(b_shape)
    if (a_h, a_w) == (b_h, b_w):
        return "NONE"
    if a_h == 1 and a_w == 1:
        return "SCALAR_A"
    if b_h == 1 and b_w == 1:
        return "SCALAR_B"
    if a_h == 1 and b_w == 1:
        return "ROW_A_COL_B"
    if a_w == 1 and b_h == 1:
        return "ROW_B_COL_A"
    if a_h == 1:
        return "ROW_A"
    if a_w == 1:
        return "COL_A"
    if b_h == 1:
        return "ROW_B"
    if b_w == 1:
        return "COL_B"
    return "INVALID"


def binary_native_l1_sharding(a: _Spec, b: _Spec, c: _Spec) -> bool:
    """``binary_ng_utils.cpp`` ``is_native_L1_sharding(a, b, c)``: the output is sharded, a and b have the same
    logical shape and the same memory config, neither is unevenly sharded, nothing is in DRAM, a sharded a / b
    sits on c's shard grid, and one of a / b / c is L1-sharded. Otherwise every tensor is read as interleaved."""
    if not c.sharded:
        return False
    if a.facts.shape != b.facts.shape or a.key != b.key:
        return False
    if a.uneven() or b.uneven():
        return False
    if "dram" in (a.facts.buffer_type, b.facts.buffer_type, c.facts.buffer_type):
        return False
    grid = c.key[2:3] + c.key[4:5]
    if any(t.sharded and t.key[2:3] + t.key[4:5] != grid for t in (a, b)):
        return False
    return any(t.sharded and t.l1 for t in (a, b, c))


def _is_row_type(bcast: str) -> bool:
    return bcast.startswith("ROW")


@cb_model(*BINARY_PLAIN, *BINARY_LHS_RHS)
def binary(op: Op, ctx: L1Context) -> OpL1:
    """Binary eltwise ops with two tensor inputs: ``BinaryNgDeviceOperation::ProgramFactory`` (module
    docstring). CBs on every worker-grid core (bytes per core): c_0 = 2·T_a, [c_3 = T_a], c_1 = 2·T_b,
    [c_4 = T_b], [c_5 = 2·T_a or c_6 = 2·T_b for a broadcast, 2026], c_2 = 2·T_c; a CB of a natively sharded
    tensor holds its shard and is backed by it (no static space)."""
    sa, sb = (_spec(op.operand_types[i]) if i < len(op.operand_types) else None for i in (0, 1))
    sc = _spec(op.result_types[0]) if op.result_types else None
    if sa is None or sb is None or sc is None or _on_host(sa.facts, sb.facts, sc.facts):
        return generic_estimate(op, ctx)
    a, b, c = sa.facts, sb.facts, sc.facts
    era = ctx.era
    why: list[str] = []
    notes: list[str] = []
    bcast = subtile_broadcast_type(a.shape, b.shape)
    if bcast == "INVALID":
        res = generic_estimate(op, ctx)
        res.formula.append("binary: a and b do not broadcast on the last two dims (ttnn rejects it)")
        return res

    # layouts: ttnn's binary_ng writes the layout of its inputs (TILE unless a and b are both row-major)
    rm_a, rm_b = not a.tiled, not b.tiled
    if rm_a != rm_b:
        why.append("a row-major and a tiled operand: how ttnn runs them was not read")
    elif rm_a:
        if not era.binary_ng_row_major_native:
            why.append("row-major operands: the native row-major path (PR #32813) is not known for this era")
        else:
            notes.append("row-major a / b / c: rows are streamed into tile-sized CB pages")
    elif not c.tiled:
        notes.append("result row-major in the IR: binary_ng writes tiles (its inputs' layout)")

    native = (sa.sharded or sb.sharded or sc.sharded) and binary_native_l1_sharding(sa, sb, sc)
    if native and sc.uneven() and not (sa.key == sb.key == sc.key):
        why.append("unevenly sharded output: the native-sharding choice differs between the copies read")
    pre = op.name in BINARY_LHS_RHS
    if pre and native and sa.sharded and sb.sharded and sc.sharded:
        why.append("all three sharded: the pre-processing CBs hold several tiles per cycle (not modelled)")

    def data_cb(index: int, s: _Spec, name: str) -> CB:
        if native and s.sharded:
            return CB(index, s.shard_tiles, s.facts.tile_bytes, f"{name} (shard-backed)", True)
        return CB(index, 2, s.facts.tile_bytes, name)

    cbs = [data_cb(0, sa, "input a")]
    if pre:
        cbs.append(CB(3, 1, a.tile_bytes, "input a pre-processed"))
    cbs.append(data_cb(1, sb, "input b"))
    if pre:
        cbs.append(CB(4, 1, b.tile_bytes, "input b pre-processed"))
    if bcast != "NONE":
        if era.binary_ng_bcast_cbs:
            which = _BCAST_CB[bcast]
            cbs.append(CB(which, 2, (a if which == 5 else b).tile_bytes,
                          f"broadcast {'a' if which == 5 else 'b'} ({bcast})"))
        elif _is_row_type(bcast):
            why.append(f"{bcast} broadcast: the 2025 copies read differ on a c_5 / c_6 CB")
    cbs.append(data_cb(2, sc, "output"))
    group = CoreGroup("all", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
    static = group.static_bytes
    parts = ", ".join(f"c_{cb.index} = {cb.pages} x {cb.page_bytes:,} B" + (" (shard)" if cb.globally_allocated
                                                                             else "") for cb in cbs)
    formula = [parts, f"{static:,} B static per core on every worker core"]
    if native:
        formula.append("native L1 sharding (is_native_L1_sharding): sharded tensors' CBs are their shards")
    elif sa.sharded or sb.sharded or sc.sharded:
        formula.append("sharded, but not native L1 sharding: every tensor read as interleaved (2-tile CBs)")
    formula += notes + [f"estimate: {w}" for w in why]
    sources = [BINARY_SOURCE, BINARY_2026_SOURCE, BINARY_SHARDING_SOURCE]
    if op.name == "ttnn.divide":
        sources.append(BINARY_DIV_SOURCE)
    return OpL1(op.id, op.name, op.program, "BinaryNgDeviceOperation::ProgramFactory",
                "estimate" if why else "read-factory", [group], formula, sources)


# --- unary, sharded ---------------------------------------------------------------------------------------


def unary_sharded_model(op: Op, ctx: L1Context, src: _Spec, dst: _Spec) -> OpL1:
    """``UnaryShardedProgramFactory::create`` @6e62c116 (same CB code @048e7258): on the input's shard grid,
    c_0 = shard tiles x round_up(tile_size(in), 32) backed by the input buffer, c_2 the same size backed by the
    output buffer (both ``set_globally_allocated_address``); c_1 (a static copy of that size) only for
    HARDSHRINK / CBRT / LOGIT, none of the ops modelled here. No static CB space."""
    why = []
    if not (src.l1 and dst.l1):
        why.append("a DRAM-sharded tensor: the sharded factory requires L1 (TT_FATAL); the op fails there")
    if not dst.sharded:
        why.append("sharded input, interleaved output: the sharded factory needs an output shard spec")
    if src.facts.tile_bytes != dst.facts.tile_bytes:
        why.append("input and output tile sizes differ: the sharded factory rejects it (TT_FATAL)")
    if src.sharded and dst.sharded and src.cores != dst.cores:
        why.append("input and output shard grids differ in core count (TT_FATAL)")
    page = round_up(src.facts.tile_bytes, 32)
    n = max(src.shard_tiles, 1)
    cbs = [CB(0, n, page, "input (shard-backed)", True), CB(2, n, page, "output (shard-backed)", True)]
    group = CoreGroup(f"shard grid ({src.cores} cores)", grid_cores(ctx, src.cores), cbs)
    formula = [f"c_0 = c_2 = {n} shard tiles x {page:,} B, both backed by the shards: 0 B static per core"]
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, "UnaryShardedProgramFactory", "estimate" if why else "read-factory",
                [group], formula, [UNARY_SHARDED_SOURCE])


# --- ternary (where) --------------------------------------------------------------------------------------


def ternary_broadcast_type(p: tuple[int, ...], t: tuple[int, ...], f: tuple[int, ...]) -> str:
    """``ternary_op_utils.cpp`` ``get_broadcast_type`` (TTT), the cases read: NONE when the three shapes are
    equal, OUTER_BCAST when their last two dims are; anything else is a row / column / scalar broadcast (the
    rest of the rule was not read)."""
    if p == t == f:
        return "NONE"
    if _hw(p) == _hw(t) == _hw(f):
        return "OUTER_BCAST"
    return "SUBTILE"


def ternary_native_l1_sharding(p: _Spec, t: _Spec, f: _Spec, out: _Spec) -> bool:
    """``ternary_program_factory.cpp`` ``is_native_L1_sharding`` (TTT): the output is sharded, predicate / true /
    false have the same logical shape and memory config, nothing is unevenly sharded or in DRAM, and one tensor
    is L1-sharded."""
    if not out.sharded:
        return False
    if not (p.facts.shape == t.facts.shape == f.facts.shape and p.key == t.key == f.key):
        return False
    if any(s.uneven() for s in (p, t, f, out)):
        return False
    if any(s.facts.buffer_type == "dram" for s in (p, t, f, out)):
        return False
    return any(s.sharded and s.l1 for s in (p, t, f, out))


@cb_model("ttnn.where")
def where(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.where`` with three tensors (the TTT variant; tt-mlir's runtime calls ``ttnn::where(first, second,
    third, memory_config)``): ``TernaryProgramFactory::create`` @b75493ad. On every worker-grid core
    (``worker_grid``): c_0 = predicate, c_1 = true, c_2 = false, c_3 = output, 2 tiles each of the tensor's
    dtype (``num_tiles_per_cb``), or the shard (backed by it) under native L1 sharding; a row broadcast adds
    c_4 / c_5 / c_6 of 2 tiles (not modelled: broadcasts other than outer ones are estimates)."""
    if len(op.operand_types) != 3 or not op.result_types:
        res = generic_estimate(op, ctx)
        res.formula.append("where: three tensor operands expected (ttnn's TTT variant)")
        return res
    specs = [_spec(t) for t in op.operand_types] + [_spec(op.result_types[0])]
    if any(s is None for s in specs) or _on_host(*(s.facts for s in specs)):  # type: ignore[union-attr]
        return generic_estimate(op, ctx)
    sp, st, sf, so = specs  # type: ignore[misc]
    why = []
    if not all(s.facts.tiled for s in (sp, st, sf)):
        why.append("row-major operands: the ternary factory reads tiles (conversion not read)")
    bcast = ternary_broadcast_type(sp.facts.shape, st.facts.shape, sf.facts.shape)
    if bcast == "SUBTILE":
        why.append("row / column / scalar broadcast: the broadcast rule beyond outer dims was not read "
                   "(a row broadcast adds c_4..c_6 of 2 tiles)")
    native = any(s.sharded for s in specs) and ternary_native_l1_sharding(sp, st, sf, so)

    def data_cb(index: int, s: _Spec, name: str) -> CB:
        if native and s.sharded:
            return CB(index, s.shard_tiles, s.facts.tile_bytes, f"{name} (shard-backed)", True)
        return CB(index, 2, s.facts.tile_bytes, name)

    cbs = [data_cb(0, sp, "predicate"), data_cb(1, st, "true value"), data_cb(2, sf, "false value"),
           data_cb(3, so, "output")]
    group = CoreGroup("all", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
    parts = ", ".join(f"c_{cb.index} = {cb.pages} x {cb.page_bytes:,} B" + (" (shard)" if cb.globally_allocated
                                                                             else "") for cb in cbs)
    formula = [parts, f"{group.static_bytes:,} B static per core on every worker core"]
    if bcast == "OUTER_BCAST":
        formula.append("outer-dim broadcast: the reader strides change, not the CBs")
    if any(s.sharded for s in specs) and not native:
        formula.append("sharded, but not native L1 sharding: every tensor read as interleaved (2-tile CBs)")
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, "TernaryProgramFactory", "estimate" if why else "read-factory",
                [group], formula, [TERNARY_SOURCE, TERNARY_BCAST_SOURCE])
