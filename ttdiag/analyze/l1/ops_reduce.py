"""CB models for reductions (``ttnn.sum``, ``mean``, ``max``, ``min``), ``ttnn.softmax``, ``ttnn.layer_norm`` /
``rms_norm`` and the pre-all-gather halves of the distributed norms (``layer_norm_pre_all_gather`` /
``rms_norm_pre_all_gather``).

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/reduction/generic/device``), the late-2025 copies in the
``ttnn::operations::reduction::generic::program`` namespace (the device-operation port of Nov/Dec 2025,
the factories that produced tt-mlir @78b9ce3d's (2025-11-27) OpModel ``cbSize`` figures):

* ``reduce_op_multi_core_w_program_factory.cpp`` ``ReduceMultiCoreWProgramFactory::create``:
  ``split_work_to_cores(grid, NC·Ht)``; c_0 = 2 input tiles, c_2 = 2 scaler tiles (bfloat16, "hardcoded
  bfloat16 due to tile creation in reader"), c_3 = 2 output tiles;
* ``reduce_op_multi_core_h_program_factory.cpp`` ``ReduceMultiCoreHProgramFactory::create``:
  ``split_work_to_cores(grid, NC·Wt)``; c_0 = 2 input tiles, c_2 = **1** scaler tile (bfloat16),
  c_3 = 2 output tiles (interleaved; width-sharded in and out backs c_1 / c_3 with the tensors);
* ``reduce_op_single_core_hw_program_factory.cpp`` ``ReduceSingleCoreHwProgramFactory::create``: one core,
  c_0 = 2 input tiles, c_2 = 2 scaler tiles, c_3 = 2 output tiles;
* chaining (``reduce_op.cpp`` ``reduce``, ``get_parallelization_strategy``): a reduction over H and W of a
  tensor with more than one tile runs the W factory, then the H factory on its result (each program's CBs
  are freed before the next one's are made); a one-tile tensor runs the single-core HW factory. A row-major
  input is first tilized (``tilize_with_val_padding``; not modelled here: estimate).

All byte figures are per core. Later (2026) copies size the scaler CB in float32 for float32 inputs and
add negate CBs for ``min``; for the 2026-02 era those cases are labelled ``estimate``.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import LayerNorm, NormPreAllGather, Reduction, Softmax, decode
from ..layout import tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum, grid_cores
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import split_work_to_cores

_SRC = "ttnn/cpp/ttnn/operations/reduction/generic/device/"
SOURCES = {
    "W": _SRC + "reduce_op_multi_core_w_program_factory.cpp ReduceMultiCoreWProgramFactory::create (late-2025 copy)",
    "H": _SRC + "reduce_op_multi_core_h_program_factory.cpp ReduceMultiCoreHProgramFactory::create (late-2025 copy)",
    "HW": _SRC + "reduce_op_single_core_hw_program_factory.cpp ReduceSingleCoreHwProgramFactory::create "
                 "(late-2025 copy)",
    "chain": _SRC + "reduce_op.cpp reduce / get_parallelization_strategy (W then H when more than one tile)",
}
# the scaler CB's tile: bfloat16 in the late-2025 factories
SCALER_TILE_BYTES = tile_bytes("bf16")
_FACTORY = {"W": "ReduceMultiCoreWProgramFactory", "H": "ReduceMultiCoreHProgramFactory",
            "HW": "ReduceSingleCoreHwProgramFactory"}
# scaler pages per factory (c_2): W and single-core HW double-buffer it, H holds one tile
_SCALER_PAGES = {"W": 2, "H": 1, "HW": 2}
_INT_DTYPES = ("si32", "i32", "u32", "ui32", "u16", "ui16", "u8", "ui8", "int32", "uint32", "uint16", "uint8")


def reduce_cbs(kind: str, t_in: int, t_out: int) -> list[CB]:
    """The CBs of one reduce program (``kind`` W, H or HW), in creation order; page sizes in bytes."""
    return [CB(0, 2, t_in, "input tiles"),
            CB(2, _SCALER_PAGES[kind], SCALER_TILE_BYTES, "scaler (bfloat16)"),
            CB(3, 2, t_out, "output tiles")]


def reduce_kind(rank: int, dims: tuple[int, ...]) -> str | None:
    """Which factory ``dims`` (sorted, non-negative) of a rank-``rank`` tensor select once ttnn views it as
    4-D (outer dims folded into N·C): ``W`` (last dim only), ``H`` (second last only), ``HW`` (both); None
    when an outer dim is reduced (ttnn then permutes or reduces N/C by other ops: not modelled)."""
    if not dims:
        return None
    w, h = rank - 1, rank - 2
    if any(d not in (w, h) for d in dims):
        return None
    if set(dims) == {w, h} or (rank == 1 and dims == (0,)):
        return "HW" if rank >= 2 else "W"
    return "W" if dims == (w,) else "H"


def _program(kind: str, ctx: L1Context, units: int, t_in: int, t_out: int, label: str) -> list[CoreGroup]:
    cbs = reduce_cbs(kind, t_in, t_out)
    if kind == "HW":
        return [CoreGroup(f"{label}single core", grid_cores(ctx, 1), cbs)]
    return [CoreGroup(f"{label}{g} ({n} {'tile rows' if kind == 'W' else 'tile columns'}/core)", cores, list(cbs))
            for g, cores, n in split_work_to_cores(ctx, units)]


def _estimate_reasons(op: Op, ctx: L1Context, src: TensorFacts, dst: TensorFacts) -> list[str]:
    why = []
    if not src.tiled:
        why.append("row-major input: ttnn tilizes it first (tilize_with_val_padding, not modelled)")
    if src.sharded or dst.sharded:
        why.append("sharded input/output: the sharded variants are not modelled")
    if src.dtype in _INT_DTYPES or not src.dtype_known:
        why.append(f"{src.dtype} input: integer reductions take other paths in later copies (not read)")
    if ctx.era.reduce_2026_cbs:
        if src.dtype in ("f32", "float32"):
            why.append("2026 copies size the scaler CB in float32 for float32 inputs (era not matched)")
        if op.name == "ttnn.min":
            why.append("2026 copies add negate CBs (c_4, c_5) for min (era not matched)")
    return why


@cb_model("ttnn.sum", "ttnn.mean", "ttnn.max", "ttnn.min")
def reduction(op: Op, ctx: L1Context) -> OpL1:
    """CBs of ``ttnn.sum`` / ``mean`` / ``max`` / ``min`` over the last one or two dims (module docstring).

    A reduction over H and W of more than one tile is two programs, W then H; both are reported (groups
    labelled ``W pass`` / ``H pass``) and the larger region is the op's peak.
    """
    src, dst = operand(op), result(op)
    typed = decode(op)
    if src is None or dst is None or not isinstance(typed, Reduction):
        return generic_estimate(op, ctx)
    rank = len(src.shape)
    dims = typed.dims(rank)
    kind = reduce_kind(rank, dims)
    if kind is None:
        res = generic_estimate(op, ctx)
        res.formula.insert(0, f"reduced dims {list(dims)} include an outer dim of a rank-{rank} tensor: not modelled")
        return res
    t_in, t_out = src.tile_bytes, dst.tile_bytes
    nc = src.Ht_total // max(src.Ht, 1)
    tiles = nc * src.Ht * src.Wt
    formula = [f"input {list(src.shape)} {src.dtype}: NC = {nc:,}, Ht = {src.Ht:,}, Wt = {src.Wt:,} tiles; "
               f"reduced dims {list(dims)} -> reduce {kind}"]
    sources = []
    if kind == "HW" and tiles > 1:
        # W pass writes an [NC, Ht, 1]-tile tensor of the output dtype; H pass reduces it over Ht
        groups = (_program("W", ctx, nc * src.Ht, t_in, t_out, "W pass: ")
                  + _program("H", ctx, nc * 1, t_out, t_out, "H pass: "))
        factory = "ReduceMultiCoreWProgramFactory + ReduceMultiCoreHProgramFactory"
        formula.append(f"{tiles:,} tiles > 1: W pass on {min(nc * src.Ht, ctx.grid[0] * ctx.grid[1])} cores then "
                       f"H pass on {min(nc, ctx.grid[0] * ctx.grid[1])} cores")
        sources += [SOURCES["chain"], SOURCES["W"], SOURCES["H"]]
        for k, ti in (("W", t_in), ("H", t_out)):
            formula.append(_cb_line(k, ti, t_out))
    else:
        units = nc * src.Ht if kind == "W" else nc * src.Wt
        groups = _program(kind, ctx, units, t_in, t_out, "")
        factory = _FACTORY[kind]
        sources += ([SOURCES["chain"]] if kind == "HW" else []) + [SOURCES[kind]]
        formula.append(_cb_line(kind, t_in, t_out))
    why = _estimate_reasons(op, ctx, src, dst)
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, factory, "estimate" if why else "read-factory", groups, formula,
                sources)


def _cb_line(kind: str, t_in: int, t_out: int) -> str:
    s = _SCALER_PAGES[kind]
    total = 2 * t_in + s * SCALER_TILE_BYTES + 2 * t_out
    return (f"reduce {kind}: c_0 = 2 x {t_in:,} B + c_2 = {s} x {SCALER_TILE_BYTES:,} B (bf16 scaler) + "
            f"c_3 = 2 x {t_out:,} B = {total:,} B per core")


# -- softmax ---------------------------------------------------------------------------------------------------------
SOFTMAX_SOURCES = [
    "ttnn/cpp/ttnn/operations/normalization/softmax/device/softmax_program_factory_attention_optimized.cpp "
    "SoftmaxProgramFactoryAttentionOptimized::create @003544fc",
    "ttnn/cpp/ttnn/operations/normalization/softmax/device/softmax_device_operation.cpp select_program_factory "
    "(Softmax, dim = rank - 1, rank 4 -> attention-optimized factory)",
    "ttnn/cpp/ttnn/operations/normalization/softmax/softmax.cpp softmax (unsqueeze_to_4D; "
    "fp32_dest_acc_en = input is float32 when no compute config is given)",
    "tt_metal work_split.cpp find_max_divisor (skips 5 and 7)",
]


def find_max_divisor(val: int, start_max_div: int) -> int:
    """tt-metal ``find_max_divisor``: the largest divisor of ``val`` from ``start_max_div`` down, skipping 5
    and 7; 1 when none."""
    for d in range(start_max_div, 0, -1):
        if d in (5, 7):
            continue
        if val % d == 0:
            return d
    return 1


def softmax_cbs(ctx: L1Context, wt: int, t_in: int, t_out: int, fp32_acc: bool,
                numeric_stable: bool) -> tuple[list[CB], int, bool]:
    """The attention-optimized factory's CBs for a row of ``wt`` tiles, in creation order (no mask, no scale).

    ``block_size = find_max_divisor(Wt, 4 if fp32_dest_acc_en else 8)``; intermediates are float32 tiles with
    fp32 accumulation, else bfloat16; the reduce scaler and the (absent) mask CB are bfloat16 tiles.
    c_0 = 2·block (numeric-stable: Wt), c_11 = 2·block, c_7 = 1, c_2 = 1, c_6 = Wt, c_5 = 1,
    numeric-stable adds c_8 = 1 and c_10 = Wt. When the factory's own estimate
    ``c_0 + c_6 + c_11 + 5 intermediate tiles (+ c_10)`` passes 90 % of ``l1_size`` the large kernel is used:
    c_0, c_6, c_10 = 80 tiles and c_12, c_15, c_16 of one tile are added.
    Returns (CBs, block_size, large kernel)."""
    t_im = tile_bytes("f32") if fp32_acc else tile_bytes("bf16")
    t_bf16 = tile_bytes("bf16")
    bs = find_max_divisor(wt, 4 if fp32_acc else 8)
    in0 = -(-wt // bs) * bs if numeric_stable else 2 * bs
    out0 = 2 * bs
    im0 = im4 = -(-wt // bs) * bs
    est = in0 * t_in + im0 * t_im + out0 * t_out + 5 * t_im + (im4 * t_im if numeric_stable else 0)
    large = ctx.arch.l1_size * 0.9 < est
    if large:
        in0 = im0 = im4 = 80
    cbs = [CB(0, in0, t_in, "input"), CB(11, out0, t_out, "output"), CB(7, 1, t_im, "1/sum(exp(x))")]
    if large:
        cbs += [CB(12, 1, t_im, "sum"), CB(15, 1, t_im, "max"), CB(16, 1, t_im, "reciprocal")]
    cbs += [CB(2, 1, t_bf16, "reduce scaler"), CB(6, im0, t_im, "exp(x)"), CB(5, 1, t_bf16, "mask tile (bf16)")]
    if numeric_stable:
        cbs.append(CB(8, 1, t_im, "max"))
    if numeric_stable or large:
        cbs.append(CB(10, im4, t_im, "x"))
    return cbs, bs, large


@cb_model("ttnn.softmax")
def softmax(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.softmax`` over the last dim of a tiled, interleaved tensor of rank <= 4: the attention-optimized
    interleaved factory on every worker core (its CBs are created on the whole grid; rows are split
    row-wise over ``NC·Ht`` tile rows). Other dims (general H / C factories), row-major or sharded inputs
    and an explicit compute config are estimates."""

    src, dst = operand(op), result(op)
    typed = decode(op)
    if src is None or dst is None or not isinstance(typed, Softmax) or not src.shape:
        return generic_estimate(op, ctx)
    rank = len(src.shape)
    dim = typed.dimension if typed.dimension is not None else -1
    if dim % rank != rank - 1 or rank > 4:
        res = generic_estimate(op, ctx)
        res.formula.insert(0, f"softmax over dim {dim} of a rank-{rank} tensor: general factories, not modelled")
        return res
    fp32_acc = src.dtype in ("f32", "float32")
    cbs, bs, large = softmax_cbs(ctx, src.Wt, src.tile_bytes, dst.tile_bytes, fp32_acc, typed.numeric_stable)
    formula = [f"Wt = {src.Wt:,}; fp32_dest_acc_en = {str(fp32_acc).lower()} (input {src.dtype}); "
               f"block_size = find_max_divisor({src.Wt}, {4 if fp32_acc else 8}) = {bs}"
               + ("; large-tensor kernel (the factory's CB estimate passes 90 % of L1)" if large else ""),
               cb_sum(cbs)]
    why = []
    if not src.tiled:
        why.append("row-major input: ttnn tilizes it first (not modelled)")
    if src.sharded or dst.sharded:
        why.append("sharded input/output: the sharded factory is not modelled")
    if typed.compute_config is not None:
        why.append("explicit compute config: fp32 accumulation assumed from the input dtype")
    if not src.dtype_known:
        why.append(f"{src.dtype} input: tile size assumed")
    formula += [f"estimate: {w}" for w in why]
    group = CoreGroup("all worker cores", grid_cores(ctx, ctx.grid[0] * ctx.grid[1]), cbs)
    return OpL1(op.id, op.name, op.program, "SoftmaxProgramFactoryAttentionOptimized",
                "estimate" if why else "read-factory", [group], formula, list(SOFTMAX_SOURCES))


# -- layer_norm / rms_norm ------------------------------------------------------------------------------------------
LAYERNORM_SOURCE = ("ttnn/cpp/ttnn/operations/normalization/layernorm/device/multi_core/layernorm_op_multi_core.cpp "
                    "layernorm_multi_core @00eaa3b4 (interleaved)")


def layernorm_cbs(ctx: L1Context, wt: int, t_in: int, t_out: int, rms: bool, gamma: int | None, beta: int | None,
                  fp32_acc: bool, gamma_rm: bool = False) -> tuple[list[CB], int, bool]:
    """The interleaved layernorm factory's CBs (no fused residual ``b``), in creation order.

    ``gamma`` / ``beta``: tile bytes of the weight / bias CB pages, None when absent. ``block_size =
    find_max_divisor(Wt, 4 if fp32 accumulation else 8)``; ``WtB = Wt``. Intermediates (c_18..c_24) are
    float32 tiles with fp32 accumulation, else bfloat16; c_2 / c_3 (scaler, epsilon) bfloat16.
    c_0 = WtB, c_16 = 2·block, c_18 = 2 (layernorm only), c_2 = 2, c_3 = 2, c_19 = 2, c_24 = WtB (layernorm
    only), c_20 = WtB, c_21 = 8, c_22 = 2·block (with weight or bias), c_5 = WtB (weight), c_6 = WtB (bias).
    Layernorm (not RMS) with tile-layout weights switches to the large-tensor kernel when the CB sum is not
    below 95 % of ``l1_size``: WtB = 60 (with weight/bias or a float32 input) or 120.
    Returns (CBs, block_size, large kernel)."""
    t_im = tile_bytes("f32") if fp32_acc else tile_bytes("bf16")
    t_bf16 = tile_bytes("bf16")
    bs = find_max_divisor(wt, 4 if fp32_acc else 8)
    wtb = -(-wt // bs) * bs
    g, b = gamma or t_bf16, beta or t_bf16
    total = (wtb * t_in + 2 * bs * t_out + wtb * t_im + wtb * t_im + wtb * g + wtb * b + 2 * bs * t_im
             + 2 * bs * t_im + 8 * t_im + 2 * t_im + 2 * t_bf16 + 2 * t_bf16 + 2 * t_im)
    large = False
    if not rms and not gamma_rm and not total < ctx.arch.l1_size * 0.95:
        large = True
        wtb = 60 if (gamma or beta or t_in == tile_bytes("f32")) else 120
    cbs = [CB(0, wtb, t_in, "input"), CB(16, 2 * bs, t_out, "output")]
    if not rms:
        cbs.append(CB(18, 2, t_im, "intermediate 1"))
    cbs += [CB(2, 2, t_bf16, "reduce scaler"), CB(3, 2, t_bf16, "epsilon"), CB(19, 2, t_im, "intermediate 2")]
    if not rms:
        cbs.append(CB(24, wtb, t_im, "x - mean"))
    cbs += [CB(20, wtb, t_im, "(x - mean)^2"), CB(21, 8, t_im, "intermediate 4")]
    if gamma or beta:
        cbs.append(CB(22, 2 * bs, t_im, "gamma/beta buffering"))
    if gamma:
        cbs.append(CB(5, wtb, gamma, "gamma"))
    if beta:
        cbs.append(CB(6, wtb, beta, "beta"))
    return cbs, bs, large


@cb_model("ttnn.layer_norm", "ttnn.rms_norm")
def layer_norm(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.layer_norm`` / ``ttnn.rms_norm`` on a tiled, interleaved input: the interleaved layernorm factory
    (``layernorm_multi_core``), rows split row-wise over ``NC·Ht`` tile rows. Read at @00eaa3b4, whose
    figures tt-mlir's 2025-11-27 OpModel ``cbSize`` values reproduce; 2026 copies round the CBs up to a fixed
    block size instead, so under the 2026-02 era the figures are estimates. A float32 input (whose default
    accumulation mode was not read), sharded tensors and an explicit compute config are estimates too."""

    src, dst = operand(op), result(op)
    typed = decode(op)
    if src is None or dst is None or not isinstance(typed, LayerNorm) or not src.shape:
        return generic_estimate(op, ctx)
    slots = typed.operand_slots(len(op.operand_types))
    w = operand(op, slots[1]) if len(slots) > 1 and slots[1] is not None else None
    b = operand(op, slots[2]) if len(slots) > 2 and slots[2] is not None else None
    rms = op.name == "ttnn.rms_norm"
    gamma_rm = bool((w and not w.tiled) or (b and not b.tiled))
    cbs, bs, large = layernorm_cbs(ctx, src.Wt, src.tile_bytes, dst.tile_bytes, rms,
                                   w.tile_bytes if w else None, b.tile_bytes if b else None, False, gamma_rm)
    rows = (src.Ht_total if src.Ht_total else 1)
    cores = grid_cores(ctx, min(rows, ctx.grid[0] * ctx.grid[1]), row_wise=True)
    formula = [f"Wt = {src.Wt:,}; block_size = find_max_divisor({src.Wt}, 8) = {bs}; "
               f"{'weight ' if w else ''}{'bias ' if b else ''}{'(none)' if not (w or b) else ''}"
               + ("; large-tensor kernel" if large else ""),
               cb_sum(cbs)]
    why = []
    if ctx.era.layernorm_fixed_block_cbs:
        why.append("2026 copies size the CBs by a fixed block size (era not matched)")
    if not src.tiled or src.sharded or dst.sharded:
        why.append("row-major or sharded tensors: other paths, not modelled")
    if src.dtype in ("f32", "float32") or not src.dtype_known:
        why.append(f"{src.dtype} input: the default accumulation mode for it was not read (bf16 intermediates "
                   "assumed)")
    if typed.compute_config is not None:
        why.append("explicit compute config: bf16 intermediates assumed")
    formula += [f"estimate: {x}" for x in why]
    return OpL1(op.id, op.name, op.program, "LayerNormMultiCore (interleaved)",
                "estimate" if why else "read-factory",
                [CoreGroup(f"{len(cores)} cores (row-wise)", cores, cbs)], formula,
                [LAYERNORM_SOURCE, "tt_metal work_split.cpp find_max_divisor"])


# -- layer_norm_pre_all_gather / rms_norm_pre_all_gather --------------------------------------------------------------
_LN_DIST = "ttnn/cpp/ttnn/operations/normalization/layernorm_distributed/device/"
PRE_ALL_GATHER_SOURCES = {
    "2025": _LN_DIST + "layernorm_pre_all_gather_program_factory.cpp LayerNormPreAllGatherProgramFactory::create "
                       "@5b9c6716 (no residual; bf16 scaler)",
    "2026": _LN_DIST + "layernorm_pre_all_gather_program_factory.cpp LayerNormPreAllGatherProgramFactory::"
                       "create_descriptor, the 2026 ProgramDescriptor copy (fused residual; the index gave no commit)",
    "select": _LN_DIST + "layernorm_pre_all_gather_device_operation.cpp select_program_factory @00b0fa3f",
}


def pre_all_gather_cbs(wt: int, t_in: int, t_out: int, rms: bool, residual_tile: int | None,
                       scaler_tile: int) -> list[CB]:
    """The 1-D pre-all-gather factory's CBs, in creation order: c_0 = 2·Wt input tiles, c_1 = 1 scaler tile,
    with a residual c_5 = 2·Wt residual tiles and c_3 = Wt bf16 tiles (a + b), c_6 = 2·Wt bf16 tiles (x²),
    c_14 = 2 output tiles (layernorm: sum(x²), sum(x)) or 1 (RMS: sum(x²))."""
    t_bf16 = tile_bytes("bf16")
    cbs = [CB(0, 2 * wt, t_in, "input (double-buffered row)"), CB(1, 1, scaler_tile, "reduce scaler")]
    if residual_tile is not None:
        cbs += [CB(5, 2 * wt, residual_tile, "residual"), CB(3, wt, t_bf16, "input + residual")]
    cbs += [CB(6, 2 * wt, t_bf16, "x^2"), CB(14, 1 if rms else 2, t_out, "statistics out")]
    return cbs


@cb_model("ttnn.layer_norm_pre_all_gather", "ttnn.rms_norm_pre_all_gather")
def norm_pre_all_gather(op: Op, ctx: L1Context) -> OpL1:
    """``LayerNormPreAllGatherProgramFactory`` (the 1-D factory: no 2-D core grid, no Welford), on
    ``split_work_to_cores(grid, NC·Ht, row_wise)`` cores; CBs per :func:`pre_all_gather_cbs`.

    2026-02 era: the 2026 ProgramDescriptor copy, which fuses a residual (c_5, c_3) and sizes the scaler tile in
    float32 for a float32 input. 2025-12 era: the @5b9c6716 copy, with a bf16 scaler and no residual (a residual
    is then an estimate). ``use_2d_core_grid`` (the 2-D factory) and Welford are estimates."""
    typed = decode(op)
    src, dst = operand(op), result(op)
    if not isinstance(typed, NormPreAllGather) or src is None or dst is None or not src.shape:
        return generic_estimate(op, ctx)
    slots = typed.operand_slots(len(op.operand_types))
    res = operand(op, slots[1]) if len(slots) > 1 and slots[1] is not None else None
    if typed.use_2d_core_grid:
        return _pre_ag_estimate(op, ctx, "use_2d_core_grid: the 2-D pre-all-gather factory (not modelled)")
    if typed.use_welford:
        return _pre_ag_estimate(op, ctx, "Welford pre-all-gather factory (not read)")
    new = ctx.era.norm_pre_all_gather_residual
    fp32_in = src.dtype in ("f32", "float32")
    scaler = tile_bytes("f32") if (new and fp32_in) else tile_bytes("bf16")
    cbs = pre_all_gather_cbs(src.Wt, src.tile_bytes, dst.tile_bytes, typed.is_rms,
                             res.tile_bytes if res is not None else None, scaler)
    rows = src.Ht_total or 1
    groups = [CoreGroup(f"{label} ({n} tile rows/core)", cores, list(cbs))
              for label, cores, n in split_work_to_cores(ctx, rows, row_wise=True)]
    formula = [f"Wt = {src.Wt:,}; {rows:,} tile rows" + ("; fused residual" if res is not None else ""),
               cb_sum(cbs)]
    if res is not None and res.shape != src.shape:
        formula.append(f"ttnn rejects this residual: its shape {list(res.shape)} is not the input's "
                       f"{list(src.shape)}")
    why = []
    if res is not None and not new:
        why.append("the Dec-2025 copy read has no fused residual (its CBs follow the 2026 copy)")
    if not src.tiled or src.sharded or dst.sharded:
        why.append("row-major or sharded tensors: ttnn requires tiled, interleaved ones")
    if not src.dtype_known:
        why.append(f"{src.dtype} input: tile size assumed")
    formula += [f"estimate: {w}" for w in why]
    sources = [PRE_ALL_GATHER_SOURCES["select"], PRE_ALL_GATHER_SOURCES["2026" if new else "2025"]]
    return OpL1(op.id, op.name, op.program, "LayerNormPreAllGatherProgramFactory",
                "estimate" if why else "read-factory", groups, formula, sources)


def _pre_ag_estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res
