"""CB models for data-movement ops: pad, permute, transpose, reshape, embedding.

Sources (ttnn-facts.md §3.3–3.7; tt-metal paths under ``ttnn/cpp/ttnn/operations/data_movement``):
``pad/device/pad_device_operation.cpp`` (select), ``pad_rm_reader_writer_multi_core_v2_program_factory.cpp``
@2b1ea16b, ``pad_tile_multicore_program_factory.cpp`` @0e438e22; ``permute/device/permute_rm_program_factory.cpp``
@01c8afed; ``transpose/device/transpose_program_factory.cpp`` (2024 copy); ``reshape_view/reshape.cpp``
@00bbd1e0, ``reshape_view/device/reshape_tiled_program_factory.cpp`` @01840686; ``embedding/device/embeddings_rm_program_factory.cpp`` @0021b0dc.
"""

from __future__ import annotations

from functools import lru_cache

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
    c_0 = 2, c_1 = 2, c_2 = 1 tiles on every grid core; with ``use_multicore = false`` →
    ``PadTileCoreProgramFactory`` on one core (``_pad_tile_single_core``), and row-major with
    ``use_multicore = false`` → ``PadRmReaderWriterProgramFactory`` (``_pad_rm_single_core``). Sharded inputs:
    not modelled (estimate)."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    srcs = ["pad_device_operation.cpp select_program_factory"]
    if src.sharded:
        est = generic_estimate(op, ctx)
        est.formula.insert(0, "sharded pad (PadRmSharded*): not modelled")
        return est
    typed = decode(op)
    if isinstance(typed, Pad) and typed.use_multicore is False:
        return _pad_tile_single_core(op, ctx, src) if src.tiled else _pad_rm_single_core(op, ctx, src, dst)
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


PAD_TILE_CORE_SOURCES = [
    "pad/device/pad_device_operation.cpp PadDeviceOperation::select_program_factory @020e15eb "
    "(TILE layout: use_multicore ? PadTileMulticoreProgramFactory : PadTileCoreProgramFactory)",
    "pad/device/pad_tile_program_factory.cpp PadTileCoreProgramFactory::create @0e45a1c0 (same CBs in the "
    "late-2025 pad::program copy and in the 2024 pad_program_factory.cpp pad_tile)",
]


def _pad_tile_single_core(op: Op, ctx: L1Context, src) -> OpL1:
    """``use_multicore = false`` on a tiled input: ``PadTileCoreProgramFactory`` (PAD_TILE_CORE_SOURCES) runs
    on the single core (0, 0): c_0 = 2 input tiles, c_1 = 1 tile holding the pad value, both of the input
    dtype's tile (``tt::tile_size(cb_data_format)``); the writer sends the input tiles and pad tiles straight
    from them, no output CB."""
    t = src.tile_bytes
    cbs = [CB(0, 2, t, "input tiles"), CB(1, 1, t, "pad value tile")]
    return OpL1(op.id, op.name, op.program, "PadTileCoreProgramFactory", "read-factory",
                [CoreGroup("single core (0, 0)", [(0, 0)], cbs)],
                [f"use_multicore = false: one core; c_0 = 2 x {t:,} B + c_1 = 1 x {t:,} B = {3 * t:,} B"],
                list(PAD_TILE_CORE_SOURCES))


PAD_RM_CORE_SOURCES = [
    "pad/device/pad_device_operation.cpp PadDeviceOperation::select_program_factory @020e15eb "
    "(ROW_MAJOR interleaved: use_multicore false -> PadRmReaderWriterProgramFactory)",
    "pad/device/pad_rm_reader_writer_program_factory.cpp PadRmReaderWriterProgramFactory::create (late-2025 "
    "pad::program copy, code index) and create_program_artifacts @090c6ab0 (2026)",
]


def _pad_rm_single_core(op: Op, ctx: L1Context, src, dst) -> OpL1:
    """``use_multicore = false`` on a row-major interleaved input: ``PadRmReaderWriterProgramFactory``
    (PAD_RM_CORE_SOURCES) on core (0, 0): one CB c_0 of ``cb_npages`` pages of the padded output row,
    ``round_up(W_out x element size, max(input buffer alignment, 32))``. The late-2025 copy takes 16 pages; the
    2026 copy takes ``clamp((l1_size / 2 - base) / page, 1, 16)`` (``MetalEra.pad_rm_single_core_l1_clamp``)."""
    es = src.es or 2
    row = dst.width * es
    page = round_up(row, max(ctx.arch.alignment(src.buffer_type), 32))
    pages = 16
    note = "16 pages (multi-buffering)"
    if ctx.era.pad_rm_single_core_l1_clamp:
        budget = ctx.arch.l1_size // 2 - ctx.l1_unreserved_base
        pages = max(1, min(16, budget // page))
        note = f"clamp(({ctx.arch.l1_size:,} / 2 - {ctx.l1_unreserved_base:,}) / {page:,}, 1, 16) = {pages} pages"
    cbs = [CB(0, pages, page, "padded rows")]
    return OpL1(op.id, op.name, op.program, "PadRmReaderWriterProgramFactory", "read-factory",
                [CoreGroup("single core (0, 0)", [(0, 0)], cbs)],
                [f"use_multicore = false: one core; c_0 = {note} x round_up({dst.width:,} x {es} B, "
                 f"{max(ctx.arch.alignment(src.buffer_type), 32)}) = {pages * page:,} B"],
                list(PAD_RM_CORE_SOURCES))


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


RESHAPE_TILED_SOURCE = ("reshape_view/device/reshape_tiled_program_factory.cpp ReshapeTiledProgramFactory::create "
                        "+ detail::compute_reshape_mapping_host_tensor @01840686 (mapping-tensor era)")
RESHAPE_VIEW_SOURCE = "reshape_view/reshape.cpp ReshapeViewOperation::invoke + reshape_tiled (3-D squeeze)"


def _to_3d(shape: tuple[int, ...]) -> tuple[int, int, int]:
    """``reshape_tiled``'s ``transform_to_3d``: rank > 3 folds the leading dims into one
    (``squeeze_shape_to_3D``), rank < 3 prepends ones (``unsqueeze_shape_to_3D``)."""
    s = tuple(shape) or (1,)
    if len(s) < 3:
        s = (1,) * (3 - len(s)) + s
    lead = 1
    for d in s[:-2]:
        lead *= d
    return lead, s[-2], s[-1]


def _faced(h: int, w: int) -> int:
    """``tensor_idxs_to_faced_tile_offset`` for 32x32 tiles of 16x16 faces: element offset in the tile."""
    ih, iw = h % 32, w % 32
    return ((ih // 16) * 2 + iw // 16) * 256 + (ih % 16) * 16 + iw % 16


@lru_cache(maxsize=256)
def reshape_max_segments(in3: tuple[int, int, int], out3: tuple[int, int, int], l1_align: int = 16,
                         limit: int = 200_000, budget: int = 500_000) -> int | None:
    """``compute_reshape_mapping_host_tensor``'s padded per-page segment count: for each output tile,
    ``reshape_map_output_page`` lists the segments (runs contiguous in both the input and the output
    tile, merged element by element) per input page; the flattened page holds ``max segments of one input
    page x input pages``; the tensor's row is the max of that over output tiles, plus itself modulo the
    L1 alignment (the factory's ``max_input_segments += max_input_segments % l1_alignment``).
    Runs in pieces (an output face row split at input face / row edges) instead of element by element.
    None when the output has more than ``limit`` tiles or the walk passes ``budget`` pieces (not computed:
    a narrow input, e.g. W = 1, makes every element a piece). Output tiles whose first element falls at the
    same offset of an input plane (and of the same size) have the same counts, so each is walked once; the
    budget keeps one shape pair under about half a second."""
    _, hi_, wi_ = in3
    co_n, ho_, wo_ = out3
    ht_i, wt_i = -(-hi_ // 32), -(-wi_ // 32)
    ht_o, wt_o = -(-ho_ // 32), -(-wo_ // 32)
    n_out = co_n * ht_o * wt_o
    plane_i, plane_o = hi_ * wi_, ho_ * wo_
    # An output tile's segment counts depend only on where its first element falls in an input plane
    # (rows follow at a fixed stride wo_; pages compare by plane, tile row and tile column) and on its
    # size: tiles are walked once per distinct (offset in the plane, rows, columns).
    if n_out > limit:
        return None
    import numpy as np  # only here: a dump without tiled reshapes does not pay numpy's import

    tiles = np.arange(n_out, dtype=np.int64)
    co_a, hw_a = np.divmod(tiles, ht_o * wt_o)
    h0_a, w0_a = (hw_a // wt_o) * 32, (hw_a % wt_o) * 32
    keys = np.stack([(co_a * plane_o + h0_a * wo_ + w0_a) % plane_i,
                     np.minimum(ho_ - h0_a, 32), np.minimum(wo_ - w0_a, 32)], axis=1)
    _, firsts = np.unique(keys, axis=0, return_index=True)
    first = [(int(co_a[i]), int(h0_a[i]), int(w0_a[i]), int(keys[i, 1]), int(keys[i, 2])) for i in np.sort(firsts)]
    # rough piece count first (a row of 32 output elements is 2 face rows, more when input rows are narrow)
    if len(first) * min(ho_, 32) * (2 + 32 // max(1, min(wi_, 16))) > budget:
        return None
    best = 0
    pieces = 0
    for co, h0, w0, h_sz, w_sz in first:
        counts: dict[int, int] = {}
        prev = (-1, -2, -2)  # (input page, last input offset, last output offset)
        for ho in range(h0, h0 + h_sz):
            for a, b in ((w0, min(w0 + 16, w0 + w_sz)), (w0 + 16, w0 + w_sz)):
                f = co * plane_o + ho * wo_ + a
                while a < b:
                    ci, rem = divmod(f, plane_i)
                    hi, wi = divmod(rem, wi_)
                    run = min(b - a, wi_ - wi, 16 - wi % 16)
                    page = ci * ht_i * wt_i + (hi // 32) * wt_i + wi // 32
                    off_i, off_o = _faced(hi, wi), _faced(ho, a)
                    if not (page in counts and page == prev[0] and off_i == prev[1] + 1 and off_o == prev[2] + 1):
                        counts[page] = counts.get(page, 0) + 1
                    prev = (page, off_i + run - 1, off_o + run - 1)
                    a += run
                    f += run
                    pieces += 1
                if pieces > budget:
                    return None
        best = max(best, max(counts.values()) * len(counts))
    return best + best % l1_align


@cb_model("ttnn.reshape")
def reshape(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.reshape``: a view (no program) under ``reshape.cpp``'s rules; otherwise the device copy.

    Tiled → ``reshape_tiled``: shapes squeezed to 3-D, ``ReshapeTiledProgramFactory`` on every grid core
    (``total_cores``): c_0 = one mapping page (4 x max_input_segments x 4 B, ``_tiled_mapping``),
    c_1 = 1 input tile, c_2 = 1 output tile (bfloat8_b is typecast to bfloat16 first, so bf16 tiles).
    Row-major → ``reshape_rm`` 2-D copy (estimate, see ``_reshape_rm``)."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    if reshape_is_view(src, dst):
        return no_program(op, "view: last dim and tile rows unchanged, no device copy (reshape.cpp)")
    if not src.tiled and not dst.tiled:
        return _reshape_rm(op, ctx, src, dst)
    if src.tiled and dst.tiled and src.volume == dst.volume:
        return _reshape_tiled(op, ctx, src, dst)
    est = generic_estimate(op, ctx)
    est.factory = "ReshapeDeviceOperation (layout change or volume mismatch; not modelled)"
    est.sources.append(RESHAPE_VIEW_SOURCE)
    return est


def _reshape_tiled(op: Op, ctx: L1Context, src, dst) -> OpL1:
    in3, out3 = _to_3d(src.shape), _to_3d(dst.shape)
    segs = reshape_max_segments(in3, out3, ctx.arch.l1_alignment)
    # bfloat8_b inputs are typecast to bfloat16 around the copy (reshape_tiled)
    bfp8 = str(src.dtype).lower() in ("bfp_bf8", "bfloat8_b")
    tin = 2048 if bfp8 else src.tile_bytes
    tout = 2048 if bfp8 else dst.tile_bytes
    formula = [f"3-D shapes {in3} -> {out3}; c_1 = 1 x {tin:,} B input tile, c_2 = 1 x {tout:,} B output tile"]
    cbs = []
    if segs is not None:
        map_bytes = 4 * segs * 4
        cbs.append(CB(0, 1, map_bytes, "mapping page"))
        formula.insert(0, f"c_0 = 1 mapping page = 4 words x {segs} segments x 4 B = {map_bytes:,} B")
    else:
        formula.insert(0, "c_0 (mapping page) not computed: too many output tiles or map pieces (cost bound)")
    cbs += [CB(1, 1, tin, "input tile"), CB(2, 1, tout, "output tile")]
    exact = segs is not None and not (src.sharded or dst.sharded)
    if src.sharded or dst.sharded:
        formula.append("sharded: sharded_to_interleaved / interleaved_to_sharded around the copy (their CBs not modelled)")
    # PR #33359 (merged Dec 2025) added ReshapeTiledWithoutDeviceMapping (map as runtime args, no c_0), but
    # kept the mapping-tensor factory as the default (on_device_mappings = true)
    return OpL1(op.id, op.name, op.program, "ReshapeTiledProgramFactory", "read-factory" if exact else "estimate",
                [CoreGroup("full grid", all_grid_cores(ctx), cbs)], formula,
                [RESHAPE_TILED_SOURCE, RESHAPE_VIEW_SOURCE])


RESHAPE_RM_SOURCE = ("reshape_view/device/reshape_rm_program_factory.cpp ReshapeRMProgramFactory::create @d9f28d78 "
                     "(same CBs in the 2026 ProgramDescriptor copy)")


def _reshape_rm(op: Op, ctx: L1Context, src, dst) -> OpL1:
    """``ReshapeRMProgramFactory`` (@d9f28d78), on every grid core (``total_cores``), pages in bytes:
    c_0 = 2 x (round_up(source row, 64) + 64) (``((src - 1) & ~63) + 128``), c_1 = round_up(destination row, 64)
    + 16 (``((dst - 1) & ~63) + 80``); when one row size divides the other (``can_use_dual_kernel``) a second
    kernel copy gets its own c_2 = c_0 and c_3 = c_1. The 2026 ProgramDescriptor copy keeps these CBs; a later
    copy (after tt-metal #50191) stages rows that are not 16-B aligned in up to 8 write slots, and the
    mid-2025 single-kernel copy has no c_2 / c_3. Which copy the Dec-2025 era ran was not pinned down
    (``MetalEra.reshape_rm_dual_kernel_read``): that era shows the mid-2025 copy's c_0 / c_1 as an estimate."""
    es = src.es or 2
    src_page, dst_page = src.width * es, dst.width * es
    read = round_up(src_page, 64) + 64
    c1 = round_up(dst_page, 64) + 16
    dual = bool(src_page and dst_page) and (src_page % dst_page == 0 or dst_page % src_page == 0)
    read_copy = ctx.era.reshape_rm_dual_kernel_read
    cbs = [CB(0, 2, read, "source rows"), CB(1, 1, c1, "destination row")]
    if dual and read_copy:
        cbs += [CB(2, 2, read, "source rows (second kernel)"), CB(3, 1, c1, "destination row (second kernel)")]
    formula = [f"c_0 = 2 x (round_up({src_page:,} B, 64) + 64) = {2 * read:,} B; c_1 = round_up({dst_page:,} B, 64)"
               f" + 16 = {c1:,} B" + ("; rows divide: c_2 / c_3 repeat them for the second kernel"
                                      if dual and read_copy else "")]
    exact = read_copy and not (src.sharded or dst.sharded)
    if not read_copy:
        formula.append("estimate: this era's row-major reshape copy was not identified; the mid-2025 copy's CBs "
                       "are shown" + (" (later copies add c_2 / c_3 here: rows divide)" if dual else ""))
    elif src.sharded or dst.sharded:
        formula.append("estimate: sharded tensors are not modelled")
    if src_page % 16 or dst_page % 16:
        formula.append("rows not 16-B aligned: copies after tt-metal #50191 stage them in up to 8 write slots")
    return OpL1(op.id, op.name, op.program, "ReshapeRMProgramFactory", "read-factory" if exact else "estimate",
                [CoreGroup("full grid", all_grid_cores(ctx), cbs)], formula, [RESHAPE_RM_SOURCE])


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
