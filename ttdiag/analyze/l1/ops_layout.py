"""CB models for layout conversions: untilize, untilize_with_unpadding, tilize, tilize_with_val_padding,
and ``ttnn.to_layout`` decomposed into the one it runs.

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/data_movement``; ttnn-facts.md §3.1–3.2):
* selection: ``untilize_with_unpadding/device/untilize_with_unpadding_device_operation.cpp``,
  ``untilize/device/untilize_device_operation.cpp`` @01656bf7 (``get_pf_type``),
  ``tilize_with_val_padding/device/tilize_with_val_padding_device_operation.cpp`` @761b0ba3;
  space checks ``common/common.cpp`` @00555207 (``get_max_l1_space``, ``is_enough_space``: strict ``>``);
* block (WH-split) factories: ``untilize_with_unpadding_multi_core_block_interleaved_program_factory.cpp``
  (Dec-2025 copy with ``available_grid``; @0cb8f4da after PR #35806), CBs c_0/c_16 created for the
  full, cliff-col-row, cliff-row and cliff-col cores in that order;
* interleaved factories: untilize_with_unpadding @019b681e (c_0 = Wt·T_in, c_16 = Wt·T_out,
  single-buffered, column-major cores) and tilize_with_val_padding @05a1c9f6 (c_0 = Wt tiles of the
  **input** dtype); default untilize @005c3528 (row-major cores from the CoreCoord
  ``split_blocks_for_tilize``; c_0 / c_16 doubled when a full core gets more than one tile row, the
  cliff core included); default tilize @050f24fa (``ntpb = ceil(W / 32)`` tiles, c_0 of the input dtype);
* the space check before the choice (``untilize.cpp`` / ``untilize_with_unpadding.cpp`` invoke) uses
  the input tile for both CBs (``MetalEra.untilize_space_check_input_tile``); tilize's uses T_in + T_out.
"""

from __future__ import annotations

from ...ir.graph import Op
from ..layout import tile_bytes
from .generic import generic_estimate, no_program
from .model import CB, CoreGroup, L1Context, OpL1
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import (
    compute_ncores,
    compute_ncores_wh,
    split_blocks_for_tilize,
    split_blocks_for_tilize_rows,
    split_blocks_for_tilize_wh,
)

_BLOCK_SOURCES_PRE = "untilize_with_unpadding_multi_core_block_interleaved_program_factory.cpp (Dec-2025 copy)"
_BLOCK_SOURCES_POST = "untilize_with_unpadding_multi_core_block_interleaved_program_factory.cpp @0cb8f4da (PR #35806)"


def _is_enough_space(ctx: L1Context, t_in: int, t_out: int, ntiles: int) -> bool:
    """``is_enough_space``: ``max_l1_space > (T_in + T_out)·n`` (common.cpp, strict)."""
    return ctx.max_l1_space > (t_in + t_out) * ntiles


def _wh_split_wins(ctx: L1Context, wt: int, ht: int, ht_total: int) -> bool:
    """The second route to the block factory: ``Wt > 32 and (Ht > 32 or Wt > Ht)`` and the row split
    uses fewer cores than ``compute_ncores_wh``."""
    area = ctx.grid[0] * ctx.grid[1]
    if not (wt > 32 and (ht > 32 or wt > ht)):
        return False
    ncores, _ = compute_ncores(area, ht_total)
    return ncores < compute_ncores_wh(area, wt * ht, wt, ht).ncores


def block_interleaved(op: Op, ctx: L1Context, src: TensorFacts, t_in: int, t_out: int, factory: str) -> OpL1:
    """The WH-split block factory (untilize/tilize, with or without (un)padding).

    Dec 2025: ``split_blocks_for_tilize_wh(grid, Wt·Ht, Wt, Ht)`` with no limit; CB pages = block
    (full, cliff-col cores) or cliff_row (cliff-row, cliff-col-row cores). After PR #35806:
    ``cb_block_size_limit = max_l1_space / (T_in + T_out)`` caps the block at n sub-blocks of
    ``sub_block`` tiles, and full / cliff-col CBs hold one sub-block.
    """
    wt, ht = src.Wt, src.Ht
    limit = ctx.max_l1_space // (t_in + t_out) if ctx.era.tilize_block_subblock_cap else None
    s = split_blocks_for_tilize_wh(ctx, wt * ht, wt, ht, limit)
    big = s.sub_block if limit is not None else s.block
    groups = []
    # CB creation order of the factory: full, cliff_col_row, cliff_row, cliff_col
    for label, pages in (("full", big), ("cliff_col_row", s.cliff_row), ("cliff_row", s.cliff_row),
                         ("cliff_col", big)):
        cores = s.groups[label]
        if not cores:
            continue
        groups.append(CoreGroup(label, cores, [CB(0, pages, t_in, "input tiles"), CB(16, pages, t_out, "output tiles")]))
    formula = [f"Wt = {wt:,}, Ht = {ht:,} tiles per 2-D matrix; {s.ncores} cores; block {s.block:,} tiles"
               + (f" = {s.block // s.sub_block} x sub-block {s.sub_block}" if limit is not None else "")
               + f"; cliff_row {s.cliff_row:,} tiles"]
    if limit is not None:
        formula.append(f"cb_block_size_limit = {ctx.max_l1_space:,} B / ({t_in:,} + {t_out:,}) B = {limit:,} tiles")
    for g in groups:
        pages = g.cbs[0].pages
        formula.append(f"{g.label} ({len(g.cores)} cores): c_0 + c_16 = {pages:,} x ({t_in:,} + {t_out:,}) B "
                       f"= {pages * (t_in + t_out):,} B")
    return OpL1(op.id, op.name, op.program, factory, "read-factory", groups, formula,
                [_BLOCK_SOURCES_POST if limit is not None else _BLOCK_SOURCES_PRE, "work_split_tilize.hpp"])


def _rows_split_groups(ctx: L1Context, nblocks: int, make_cbs) -> list[CoreGroup]:
    """``split_blocks_for_tilize`` over a CoreRangeSet (column-major), CBs per group from its block count."""
    s = split_blocks_for_tilize(ctx, nblocks)
    groups = [CoreGroup(f"full ({s.per_core} tile rows/core)", s.full, make_cbs(s.per_core))]
    if s.cliff_core:
        groups.append(CoreGroup(f"cliff ({s.cliff} tile rows)", s.cliff_core, make_cbs(s.cliff)))
    return groups


def untilize_output_tile(src: TensorFacts, dst: TensorFacts) -> int:
    """Bytes of the output CB's tile: the result dtype's, except that a block-float input untilizes to
    bfloat16 (``UntilizeWithUnpaddingDeviceOperation::compute_output_specs``: ``BFLOAT8_B -> BFLOAT16``;
    a row-major tensor cannot be a block float)."""
    if dst.es or not dst.dtype_known:
        return dst.tile_bytes
    return tile_bytes("bf16")


def untilize_model(op: Op, ctx: L1Context, src: TensorFacts, dst: TensorFacts, unpad: bool) -> OpL1:
    """Factory choice and CBs for untilize (``unpad=False``) / untilize_with_unpadding.

    Choice (``untilize_with_unpadding_device_operation.cpp`` ``select_program_factory``; the untilize
    device operation likewise): the block factory when ``is_enough_space`` fails for one tile row, or when
    the WH split uses more cores than the row split; otherwise the interleaved factory. The space check
    is made at the ttnn level with the **input** tile for both CBs in both eras
    (``MetalEra.untilize_space_check_input_tile``), while the CBs hold the real output tile, so a
    bfloat8_b input (1,088 B tiles, bf16 output of 2,048 B) can pass the check and overflow.

    Interleaved factories: untilize_with_unpadding (``..._multi_core_interleaved_program_factory.cpp``)
    splits tile rows with the CoreRangeSet ``split_blocks_for_tilize`` (column-major) and gives every core
    c_0 = Wt·T_in, c_16 = Wt·T_out; plain untilize (``untilize_multi_core_program_factory.cpp``
    @005c3528) splits with the CoreCoord overload (row-major cores) and creates c_0 / c_16 once over all
    its cores, doubled when a full core gets more than one tile row, so the cliff core gets the full
    cores' CBs.
    """
    t_in = src.tile_bytes
    t_out = untilize_output_tile(src, dst)
    if src.sharded:
        est = generic_estimate(op, ctx)
        est.factory = "untilize sharded (c_0 backed by the shard; not modelled)"
        return est
    name = "UntilizeWithUnpadding" if unpad else "Untilize"
    t_check = t_in if ctx.era.untilize_space_check_input_tile else t_out
    enough_h = _is_enough_space(ctx, t_in, t_check, src.Wt)
    if not enough_h or _wh_split_wins(ctx, src.Wt, src.Ht, src.Ht_total):
        op_l1 = block_interleaved(op, ctx, src, t_in, t_out,
                                  f"{name}MultiCore{'BlockInterleaved' if unpad else 'Block'}ProgramFactory")
        op_l1.formula.insert(0, "block factory: " + ("not enough L1 for a full tile row "
                             f"({src.Wt:,} x {t_in + t_check:,} B >= {ctx.max_l1_space:,} B)" if not enough_h
                             else "the WH split uses more cores than the row split"))
        return op_l1
    if not unpad:
        max_tiles_per_cb = (ctx.arch.l1_size // 2 - ctx.l1_unreserved_base) // (2 * t_in)
        if src.Wt > max_tiles_per_cb:
            est = generic_estimate(op, ctx)
            est.factory = "UntilizeParallelizeColumn/SingleCore (CBs not read)"
            return est
    wt = src.Wt
    check = (f"space check: {wt:,} x ({t_in:,} + {t_check:,}) B = {wt * (t_in + t_check):,} B < "
             f"{ctx.max_l1_space:,} B" + (" (the input tile stands for the output tile)" if t_check != t_out else ""))
    if unpad:
        def cbs(_rows: int) -> list[CB]:
            return [CB(0, wt, t_in, "input tile row"), CB(16, wt, t_out, "output tile row")]

        groups = _rows_split_groups(ctx, src.Ht_total, cbs)
        formula = [check, f"c_0 = Wt = {wt:,} tiles x {t_in:,} B; c_16 = {wt:,} tiles x {t_out:,} B "
                          "(single-buffered, every core)"]
        source = "untilize_with_unpadding_multi_core_interleaved_program_factory.cpp @019b681e"
    else:
        s = split_blocks_for_tilize_rows(ctx, src.Ht_total)
        k = 2 if s.per_core > 1 else 1
        full_cbs = [CB(0, k * wt, t_in, "input tile row"), CB(16, k * wt, t_out, "output tile row")]
        groups = [CoreGroup(f"full ({s.per_core} tile rows/core)", s.full, full_cbs)]
        if s.cliff_core:
            groups.append(CoreGroup(f"cliff ({s.cliff} tile rows)", s.cliff_core, list(full_cbs)))
        formula = [check, f"c_0 = {'2 x ' if k == 2 else ''}Wt = {k * wt:,} tiles x {t_in:,} B, c_16 = {k * wt:,} "
                          f"tiles x {t_out:,} B on every core ({'doubled: ' if k == 2 else ''}{s.per_core} tile "
                          "row(s) per full core; the cliff core gets the same CBs); cores filled row-major"]
        source = "untilize_multi_core_program_factory.cpp @005c3528"
    return OpL1(op.id, op.name, op.program, f"{name}MultiCore{'Interleaved' if unpad else ''}ProgramFactory",
                "read-factory", groups, formula, [source, "work_split_tilize.hpp @02ed05c7"])


def tilize_model(op: Op, ctx: L1Context, src: TensorFacts, dst: TensorFacts, pad: bool) -> OpL1:
    """Factory choice and CBs for tilize / tilize_with_val_padding (row-major input, tiled output).

    c_0 holds 32x32 tiles of the **input** dtype and c_16 tiles of the output dtype
    (``tilize_multi_core_default_program_factory.cpp`` @050f24fa and
    ``tilize_with_val_padding_multi_core_interleaved_program_factory.cpp`` @05a1c9f6: ``input_single_tile_size
    = tt::tile_size(a.dtype())``); the ttnn-level space check (``tilize.cpp``,
    ``tilize_with_val_padding.cpp``) adds the two: ``(T_in + T_out)·Wt < max_l1_space``.
    """
    t_out = dst.tile_bytes
    t_in = src.tile_bytes
    if src.sharded:
        est = generic_estimate(op, ctx)
        est.factory = "tilize sharded (not modelled)"
        return est
    name = "TilizeWithValPadding" if pad else "Tilize"
    wt = dst.Wt
    if not _is_enough_space(ctx, t_in, t_out, wt) or (pad and _wh_split_wins(ctx, wt, dst.Ht, dst.Ht_total)):
        op_l1 = block_interleaved(op, ctx, dst, t_in, t_out, f"{name}MultiCoreBlockInterleavedProgramFactory")
        if pad:
            op_l1.confidence = "estimate"
            op_l1.formula.append("tilize_with_val_padding block factory CBs assumed equal to untilize's (UNVERIFIED)")
        else:
            op_l1.formula.append("tilize block factory: 2026 code adds a c_1 staging CB (tt-metal #50748), not counted")
        return op_l1
    ntpb = wt if pad else -(-src.width // 32)

    def cbs(_rows: int) -> list[CB]:
        return [CB(0, ntpb, t_in, "input sticks (tile width)"), CB(16, ntpb, t_out, "output tiles")]

    groups = _rows_split_groups(ctx, dst.Ht_total, cbs)
    return OpL1(op.id, op.name, op.program,
                f"{name}MultiCore{'Interleaved' if pad else 'Default'}ProgramFactory", "read-factory", groups,
                [f"c_0 = {ntpb:,} tiles x {t_in:,} B (input dtype), c_16 = {ntpb:,} tiles x {t_out:,} B "
                 "(one tile row, single-buffered)"],
                ["tilize_with_val_padding_multi_core_interleaved_program_factory.cpp @05a1c9f6" if pad
                 else "tilize_multi_core_default_program_factory.cpp @050f24fa"])


def _needs_padding(t: TensorFacts) -> bool:
    return t.padded != t.shape


@cb_model("ttnn.untilize", "ttnn.untilize_with_unpadding")
def untilize(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.untilize`` / ``ttnn.untilize_with_unpadding``."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    return untilize_model(op, ctx, src, dst, unpad=op.name.endswith("unpadding"))


@cb_model("ttnn.tilize", "ttnn.tilize_with_val_padding", "ttnn.tilize_with_zero_padding")
def tilize(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.tilize`` / ``ttnn.tilize_with_val_padding`` / ``ttnn.tilize_with_zero_padding``."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    return tilize_model(op, ctx, src, dst, pad=op.name != "ttnn.tilize")


@cb_model("ttnn.to_layout")
def to_layout(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.to_layout`` runs on the device only when its input is on the device:
    TILE → ROW_MAJOR is ``untilize_with_unpadding`` when the logical shape is not tile-aligned
    (``output_tensor_end = logical - 1``), else ``untilize``; ROW_MAJOR → TILE is
    ``tilize_with_val_padding`` when padding is needed, else ``tilize`` (ttnn ``ToLayout::invoke``;
    ttnn-facts.md §0). Host tensors are converted on the host: no CBs."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    if src.buffer_type in ("system_memory", "system"):
        return no_program(op, "input on the host: to_layout converts on the host (no CBs)")
    if src.tiled == dst.tiled:
        return no_program(op, "no layout change (dtype / memory-config changes are separate ops)")
    if src.tiled:
        unpad = _needs_padding(src)
        res = untilize_model(op, ctx, src, dst, unpad)
        res.formula.insert(0, f"to_layout TILE -> ROW_MAJOR runs untilize{'_with_unpadding' if unpad else ''}"
                           + (f" (logical {list(src.shape)} != padded {list(src.padded)})" if unpad else ""))
        return res
    pad = _needs_padding(dst)
    res = tilize_model(op, ctx, src, dst, pad)
    res.formula.insert(0, f"to_layout ROW_MAJOR -> TILE runs tilize{'_with_val_padding' if pad else ''}")
    return res
