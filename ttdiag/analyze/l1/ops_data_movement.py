"""CB models for data-movement ops: pad, permute, transpose, reshape, embedding.

Sources (ttnn-facts.md §3.3–3.7; tt-metal paths under ``ttnn/cpp/ttnn/operations/data_movement``):
``pad/device/pad_device_operation.cpp`` (select), ``pad_rm_reader_writer_multi_core_v2_program_factory.cpp``
@2b1ea16b, ``pad_tile_multicore_program_factory.cpp`` @0e438e22; ``permute/device/permute_rm_program_factory.cpp``
@01c8afed; ``transpose/device/transpose_program_factory.cpp`` (2024 copy); ``reshape_view/reshape.cpp``
@00bbd1e0; ``embedding/device/embeddings_rm_program_factory.cpp`` @0021b0dc.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import Pad, Permute, Transpose, decode
from .generic import generic_estimate, no_program
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import operand, result
from .work_split import all_grid_cores, split_work_to_cores


def _groups_from_split(split, make_cbs) -> list[CoreGroup]:
    groups = []
    for label, cores, units in split:
        groups.append(CoreGroup(f"{label} ({units} units/core)", cores, make_cbs(units)))
    return groups


@cb_model("ttnn.pad")
def pad(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.pad``. Row-major interleaved → ``PadRmReaderWriterMultiCoreV2``: work = N·C·H output
    sticks split with ``split_work_to_cores``; ``npb = ceil(2048 / (W_in·es))`` sticks per block;
    c_0 = 16·npb·round_up(W_pad·es, L1 align); c_1 = round_up(W_pad·es, DRAM align); c_2 = c_1 when
    W has front padding or the L1-aligned stick is not DRAM-aligned. Tiled → ``PadTileMulticore``:
    c_0 = 2, c_1 = 2, c_2 = 1 tiles on every grid core. Sharded inputs: not modelled (estimate)."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    srcs = ["pad_device_operation.cpp select_program_factory"]
    if src.sharded:
        est = generic_estimate(op, ctx)
        est.formula.insert(0, "sharded pad (PadRmSharded*): not modelled")
        return est
    if src.tiled:
        cbs = [CB(0, 2, src.tile_bytes, "input"), CB(1, 2, src.tile_bytes, "pad value"), CB(2, 1, src.tile_bytes, "output")]
        return OpL1(op.id, op.name, op.program, "PadTileMulticore", "read-factory",
                    [CoreGroup("all grid cores", all_grid_cores(ctx), cbs)],
                    [f"5 tiles x {src.tile_bytes:,} B on every core"], srcs + ["pad_tile_multicore_program_factory.cpp"])
    es = src.es or 2
    w_in, w_pad = src.width, dst.width
    stick_pad = w_pad * es
    npb = max(1, -(-2048 // max(w_in * es, 1)))
    l1a, dra = ctx.arch.l1_alignment, ctx.arch.dram_alignment
    c0 = 16 * npb * round_up(stick_pad, l1a)
    c1 = round_up(stick_pad, dra)
    typed = decode(op)
    pairs = typed.pairs() if isinstance(typed, Pad) else []
    front_w = pairs[-1][0] if pairs else 0
    need_c2 = front_w > 0 or round_up(stick_pad, l1a) % dra != 0
    sticks = 1
    for d in dst.shape[:-1]:
        sticks *= d
    # creation order (= L1 order): c_1, c_2, c_0
    cbs = [CB(1, 1, c1, "pad stick")]
    if need_c2:
        cbs.append(CB(2, 1, c1, "front-pad staging"))
    cbs.append(CB(0, 1, c0, "input sticks"))
    groups = _groups_from_split(split_work_to_cores(ctx, sticks), lambda _: cbs)
    formula = [f"c_0 = 16 x npb {npb} x round_up({w_pad} x {es} B, {l1a}) = {c0:,} B",
               f"c_1 = round_up({stick_pad:,} B, {dra}) = {c1:,} B"]
    if len(src.shape) > 4:
        formula.append(f"note: ttnn.pad requires rank <= 4; this input has rank {len(src.shape)}")
    return OpL1(op.id, op.name, op.program, "PadRmReaderWriterMultiCoreV2", "read-factory", groups, formula,
                srcs + ["pad_rm_reader_writer_multi_core_v2_program_factory.cpp @2b1ea16b"])


@cb_model("ttnn.permute")
def permute(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.permute`` (row-major factories, permute_rm_program_factory.cpp @01c8afed):
    last dim unchanged → RowInvariant, c_0 = 2·round_up(W·es, align); otherwise BlockedGeneric,
    c_0 = c_2 = 2·(32·es)·32 and c_1 = 2·32·32·es. Tiled inputs: see ``_permute_tiled``."""
    src = operand(op)
    typed = decode(op)
    perm = typed.permutation if isinstance(typed, Permute) else None
    if src is None or not perm:
        return generic_estimate(op, ctx)
    rank = len(perm)
    last_stays = perm[-1] == rank - 1
    if src.tiled:
        return _permute_tiled(op, ctx, src, perm)
    es = src.es or 2
    align = ctx.arch.alignment(src.buffer_type)
    if last_stays:
        page = round_up(src.width * es, align)
        cbs = [CB(0, 2, page, "row")]
        formula = [f"c_0 = 2 x round_up({src.width} x {es} B, {align}) = {2 * page:,} B"]
        factory = "PermuteDeviceOperation::MultiCoreRowInvariant"
    else:
        blk = 2 * (32 * es) * 32
        cbs = [CB(0, 1, blk, "input block"), CB(1, 1, 2 * 32 * 32 * es, "transpose"), CB(2, 1, blk, "output block")]
        formula = [f"3 CBs of 2 x 32 x 32 x {es} B = {3 * blk:,} B"]
        factory = "PermuteDeviceOperation::MultiCoreBlockedGeneric"
    rows = src.volume // max(src.width, 1)
    groups = _groups_from_split(split_work_to_cores(ctx, rows), lambda _: cbs)
    return OpL1(op.id, op.name, op.program, factory, "read-factory", groups, formula,
                ["permute_rm_program_factory.cpp @01c8afed"])


def _permute_tiled(op: Op, ctx: L1Context, src, perm: tuple[int, ...]) -> OpL1:
    """Tiled permute factories (permute_device_operation.cpp @9d2e6ed7, permute_tiled_program_factory.cpp
    @5de044f5): the last two dims kept or swapped → TileInvariant (c_0 = 2 tiles, c_16 = 2 tiles when
    swapped); the last dim stays within the last two → TileRowInvariant (c_0 = 2 tiles, c_1 = a 16-element
    face row when the output H is not tile-aligned, c_16 = 2 tiles when swapped); otherwise TiledGeneric
    (c_0 = c_1 = c_2 = 2 pages of a tile plus the read misalignment, c_3 = 16·es when H is not aligned)."""
    rank = len(perm)
    t = src.tile_bytes
    es = src.es or 2
    swap = perm[-2] == rank - 1 and perm[-1] == rank - 2
    out_h = src.shape[perm[-2]] if rank >= 2 else 1
    tiles = src.Ht_total * src.Wt
    if {perm[-1], perm[-2]} == {rank - 1, rank - 2}:
        cbs = [CB(0, 2, t, "input")] + ([CB(16, 2, t, "output")] if swap else [])
        factory = "PermuteDeviceOperation::MultiCoreTileInvariant"
    elif perm[-1] in (rank - 1, rank - 2):
        cbs = [CB(0, 2, t, "input")]
        if out_h % 32:
            cbs.append(CB(1, 1, 16 * es, "face row padding"))
        if perm[-1] == rank - 2:
            cbs.append(CB(16, 2, t, "output"))
        factory = "PermuteDeviceOperation::MultiCoreTileRowInvariant"
    else:
        read_align = ctx.arch.alignment(src.buffer_type)
        page = t + max(0, read_align - 16 * es)
        cbs = [CB(0, 2, page, "input"), CB(1, 2, page, "transpose"), CB(2, 2, page, "output")]
        if out_h % 32:
            cbs.append(CB(3, 1, 16 * es, "face row padding"))
        factory = "PermuteDeviceOperation::MultiCoreTiledGeneric"
    groups = _groups_from_split(split_work_to_cores(ctx, tiles), lambda _: cbs)
    return OpL1(op.id, op.name, op.program, factory, "read-factory", groups,
                [f"{len(cbs)} CBs, {sum(c.bytes for c in cbs):,} B per core"],
                ["permute_tiled_program_factory.cpp @5de044f5"])


@cb_model("ttnn.transpose")
def transpose(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.transpose``: WH on tiled interleaved tensors → ``transpose_wh_multi_core``, c_0 = 2·T_in,
    c_16 = 2·T_out on the cores that get tiles (transpose_program_factory.cpp, 2024 copy). Other
    transposes (HC, CN) are estimates."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    typed = decode(op)
    rank = len(src.shape)
    if isinstance(typed, Transpose) and typed.dim0 is not None and typed.dim1 is not None and rank:
        a, b = typed.dim0 % rank, typed.dim1 % rank
    else:
        a, b = rank - 2, rank - 1
    kind = "WH" if {a, b} == {rank - 2, rank - 1} else "HC" if {a, b} == {rank - 3, rank - 2} else "CN"
    if src.sharded:
        est = generic_estimate(op, ctx)
        est.factory = f"transpose {kind} sharded (not read)"
        return est
    t_in, t_out, es = src.tile_bytes, dst.tile_bytes, src.es or 2
    ht, wt = src.Ht, src.Wt
    full = all_grid_cores(ctx)
    if kind == "WH":
        cbs = [CB(0, 2, t_in, "input"), CB(16, 2, t_out, "output")]
        if not src.tiled:
            cbs = [CB(0, 2 * wt, t_in, "input rows"), CB(16, 2 * ht, t_out, "output rows"),
                   CB(24, ht * wt, t_in, "tilized"), CB(25, ht, t_out, "transposed")]
        return OpL1(op.id, op.name, op.program, "TransposeWHProgramFactory", "read-factory",
                    [CoreGroup("full grid", full, cbs)], [f"{'tiled' if src.tiled else 'row-major'} WH transpose"],
                    ["transpose_wh_program_factory.cpp @cc070875"])
    if kind == "HC" and not src.tiled:
        rows = src.volume // max(src.width, 1)
        split = split_work_to_cores(ctx, rows)
        per = max(u for _, _, u in split) if split else 0
        cbs = [CB(0, 1, per * src.width * es, "rows")]
        return OpL1(op.id, op.name, op.program, "TransposeHCRMProgramFactory", "read-factory",
                    [CoreGroup("full grid", full, cbs)],
                    [f"c_0 = {per:,} rows/core x {src.width:,} x {es} B = {cbs[0].bytes:,} B"],
                    ["transpose_hc_rm_program_factory.cpp (read copy)"])
    cbs = [CB(0, 2, t_in, "input")]
    if kind == "HC" and src.shape[a] % 32:
        cbs.append(CB(1, 1, 16 * es, "padding face row"))
    factory = "TransposeHCTiledInterleavedProgramFactory" if kind == "HC" else "TransposeCNProgramFactory"
    return OpL1(op.id, op.name, op.program, factory, "read-factory", [CoreGroup("full grid", full, cbs)],
                [f"{kind} transpose: 2 tiles"], ["transpose_hc_tiled_interleaved / transpose_cn program factories"])


def reshape_is_view(src, dst) -> bool:
    """``reshape.cpp`` @00bbd1e0: a view when the last dim is unchanged, sharded-ness and L1-ness are
    equal, and the layout is row-major, or dim -2 is unchanged, or both dims -2 are multiples of 32."""
    if src.shape == dst.shape or src.volume == 0:
        return True
    if src.buffer_type == "system_memory":
        return True
    if src.width != dst.width or src.sharded != dst.sharded or (src.buffer_type == "l1") != (dst.buffer_type == "l1"):
        return False
    h_old = src.shape[-2] if len(src.shape) >= 2 else 1
    h_new = dst.shape[-2] if len(dst.shape) >= 2 else 1
    return (not src.tiled) or h_old == h_new or (h_old % 32 == 0 and h_new % 32 == 0)


@cb_model("ttnn.reshape")
def reshape(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.reshape``: a view (no program) under ``reshape.cpp``'s rules; otherwise the device copy
    ``ReshapeDeviceOperation`` on 3-D-squeezed shapes, whose CB sizes were not read (estimate)."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    if reshape_is_view(src, dst):
        return no_program(op, "view: last dim and tile rows unchanged, no device copy (reshape.cpp)")
    if not src.tiled and not dst.tiled:
        es = src.es or 2
        src_page, dst_page = src.width * es, dst.width * es
        read = -(-src_page // 64) * 64 + 64
        c1 = -(-dst_page // 64) * 64 + 16
        cbs = [CB(0, 2, read, "source rows"), CB(1, 1, c1, "destination row")]
        return OpL1(op.id, op.name, op.program, "ReshapeRMProgramFactory", "estimate",
                    [CoreGroup("full grid", all_grid_cores(ctx), cbs)],
                    [f"c_0 = 2 x (round_up({src_page:,} B, 64) + 64); c_1 = round_up({dst_page:,} B, 64) + 16 "
                     "(older copy; newer code multiplies c_1 by a write-slot count, not read)"],
                    ["reshape_view reshape_row_major program factory (read copy)"])
    est = generic_estimate(op, ctx)
    est.factory = "ReshapeDeviceOperation tiled (device copy; CBs not read)"
    est.formula.insert(0, f"device copy (tiled, shapes squeezed to 3-D): last dim {src.width} -> {dst.width}")
    est.sources.append("reshape_view/reshape.cpp @00bbd1e0 (view rules)")
    return est


@cb_model("ttnn.embedding")
def embedding(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.embedding`` row-major factory (embeddings_rm_program_factory.cpp @0021b0dc): work =
    output rows over ``split_work_to_cores``; weight page = round_up(W·es, align); c_0 (output) =
    buffering x chunk with buffering 2 when a core gets more than one row, chunk = the page, or 1 MiB
    pieces when the page is larger (``max_l1_budget_bytes``; whether Dec-2025 code chunked is
    UNVERIFIED, so that era's figure is an estimate); c_1 (indices) = (align / es_idx)·round_up(es_idx, 32)."""
    idx = operand(op, 0)
    weight = operand(op, 1)
    dst = result(op)
    if idx is None or weight is None or dst is None:
        return generic_estimate(op, ctx)
    if weight.tiled or dst.tiled:
        est = generic_estimate(op, ctx)
        est.factory = "embeddings tilized/fused factory (not read)"
        return est
    align = ctx.arch.alignment(dst.buffer_type)
    page = round_up(weight.width * (weight.es or 2), align)
    rows = idx.volume
    es_idx = idx.es or 4
    c1 = (align // es_idx) * round_up(es_idx, 32)
    chunked = ctx.era.embedding_rm_chunked
    chunk = min(page, 1 << 20) if chunked else page
    groups = []
    for label, cores, units in split_work_to_cores(ctx, rows):
        buffering = 2 if units > 1 else 1
        groups.append(CoreGroup(f"{label} ({units} rows/core)", cores,
                                [CB(0, buffering, chunk, "output rows"), CB(1, 1, c1, "indices")]))
    conf = "read-factory" if chunked or page <= (1 << 20) else "estimate"
    return OpL1(op.id, op.name, op.program, "EmbeddingsRMProgramFactory", conf, groups,
                [f"c_0 = buffering x chunk, weight row {weight.width:,} x {weight.es or 2} B = {page:,} B"
                 + (" (chunked to 1 MiB)" if chunked and page > (1 << 20) else "")],
                ["embeddings_rm_program_factory.cpp @0021b0dc"])
