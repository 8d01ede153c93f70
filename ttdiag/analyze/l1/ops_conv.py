"""CB models for convolutions: conv3d (``experimental/conv3d``) and conv2d / conv_transpose2d (``get_cb_info``).

Sources (ttnn-facts.md §3.9, §3.10), tt-metal:

* ``ttnn/cpp/ttnn/operations/experimental/conv3d/device/conv3d_program_factory.cpp``
  ``Conv3dProgramFactory::create``: @015c7ffa (2026: chunked vol2col and L1 prefetch of PR #38579, Feb 2026;
  fp32 partials of PR #40462, Mar 2026) for the ``2026-02`` era, and the copy before PR #38579 (library id
  565601345, the TMP-infra factory; the same sizing as the first conv3d, library id 5519064882) for the
  Dec-2025 era;
* ``ttnn/cpp/ttnn/operations/conv/conv2d/conv2d_op_program_factory_common.cpp`` ``get_cb_info`` (read copy
  @003324fc), ``determine_packer_l1_acc`` (conv2d_op_program_factory_common / device operation).
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import Conv2d, Conv3d, decode
from ..layout import ceil_div, tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import operand, result
from .work_split import all_grid_cores

TILE = 32
# conv3d_program_factory.cpp @015c7ffa: L1_KERNEL_CODE_RESERVE and L1_PREFETCH_HARD_CAP
_PREFETCH_RESERVE = 200 * 1024
_PREFETCH_CAP = 500 * 1024
# hal::get_max_worker_l1_unreserved_size() is l1_end - KERNEL_CONFIG (the budget with a zero-size
# kernel-config ring buffer); the CB region starts after the ring buffer, 69 KiB by default
# (DEFAULT_KERNEL_CONFIG_BUFFER_SIZE = 69 * 1024 of tt-metal's dispatch tests, "the typical production
# configuration"). So max_worker_l1_unreserved = (l1_size - base) + 69 KiB.
_KERNEL_CONFIG_RING = 69 * 1024


def _prefetch_limit(other_cbs: int, max_worker_l1: int) -> int:
    """``l1_prefetch_max_bytes`` = min(usable − other CBs, 500 KiB) with usable = max_worker_l1 − 200 KiB;
    0 when the other CBs do not leave room."""
    usable = max_worker_l1 - _PREFETCH_RESERVE
    return min(usable - other_cbs, _PREFETCH_CAP) if other_cbs < usable else 0


@cb_model("ttnn.conv3d")
def conv3d(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.conv3d``: C_out_block = config.c_out_block or round_up(C_out, 32); C_in_block =
    config.c_in_block or C_in; patch = kT·kH·kW·C_in_block; P = T_blk·H_blk·W_blk patches;
    M_t = ceil(P / 32), K_t = ceil(patch / 32), N_t = ceil(C_out_block / 32); tiles of the input dtype.

    CBs in creation order, all on every core of the config grid:

    * Dec 2025 (before PR #38579): vol2col_rm = P rows of round_up(patch, 32)·es; vol2col_tiled = M_t·K_t;
      weights K_t·N_t; interm and result M_t·N_t; with more than one C_in block a reduction CB (M_t·N_t)
      and an ack tile; bias N_t.
    * 2026 (@015c7ffa): vol2col_rm = min(P, 64) rows; vol2col_tiled = K_t (one tile row); weights; interm
      M_t·N_t of the partials tile (fp32 when ``fp32_dest_acc_en`` and more than one C_in block, else the
      input's); result; a zero tile with fp32 partials; reduction (partials tile) and ack with more than one
      C_in block; bias; then, for a kernel larger than 1x1x1 without dilation, the L1 prefetch shard of
      ((T_blk−1)·sT + kT)·((H_blk−1)·sH + kH)·((W_blk−1)·sW + kW) pages of C_in_block·es bytes, created
      whenever its bytes are at most min(max_worker_l1 − 200 KiB − the other CBs, 500 KiB).
    """
    c = decode(op)
    src = operand(op, 0)
    if not isinstance(c, Conv3d) or src is None:
        return generic_estimate(op, ctx)
    kt, kh, kw = c.kernel
    c_in = c.in_channels or src.width
    c_out = c.out_channels or c_in
    c_out_block = c.block("c_out_block") or round_up(c_out, TILE)
    c_in_block = c.block("c_in_block") or c_in
    tb, hb, wb = c.block("t_out_block", 1), c.block("h_out_block", 1), c.block("w_out_block", 1)
    es = src.es or 2
    tile = tile_bytes(src.dtype if src.es else "bf16")
    patch = kt * kh * kw * c_in_block
    patch_pad = round_up(patch, TILE)
    patches = tb * hb * wb
    M_t, K_t, N_t = ceil_div(patches, TILE), ceil_div(patch, TILE), ceil_div(c_out_block, TILE)
    c_in_blocks = ceil_div(c_in, c_in_block)
    old = not ctx.era.conv3d_vol2col_tiled_one_row
    fp32_partials = ctx.era.conv3d_fp32_partials and c.fp32_dest_acc() and c_in_blocks > 1
    t_part = tile_bytes("f32") if fp32_partials else tile
    specs: list[tuple[int, int, str]] = [
        (patches if old else min(patches, 2 * TILE), patch_pad * es, "vol2col_rm"),
        (M_t * K_t if old else K_t, tile, "vol2col_tiled"),
        (K_t * N_t, tile, "weight_tiled"),
        (M_t * N_t, t_part, "matmul_interm"),
        (M_t * N_t, tile, "matmul_result_rm"),
    ]
    if fp32_partials:
        specs.append((1, tile, "zero (fp32 reduction)"))
    if c_in_blocks > 1:
        specs += [(M_t * N_t, t_part, "reduction"), (1, tile, "ack")]
    if c.has_bias:
        specs.append((N_t, tile, "bias"))
    formula: list[str] = []
    confidence = "read-factory"
    if not old and (kt > 1 or kh > 1 or kw > 1) and c.dilations == (1, 1, 1):
        (st, sh, sw) = c.strides
        positions = ((tb - 1) * st + kt) * ((hb - 1) * sh + kh) * ((wb - 1) * sw + kw)
        shard = positions * c_in_block * es
        other = sum(pages * size for pages, size, _ in specs)
        limit = _prefetch_limit(other, ctx.max_l1_space + _KERNEL_CONFIG_RING)
        if shard <= limit:
            specs.append((positions, c_in_block * es, "input_shard (L1 prefetch)"))
        formula.append(f"L1 prefetch shard {positions} x {c_in_block * es:,} B = {shard:,} B "
                       f"{'<=' if shard <= limit else '>'} limit {limit:,} B: "
                       f"{'created' if shard <= limit else 'not created'}")
        if (shard <= _prefetch_limit(other, ctx.max_l1_space)) != (shard <= limit):
            confidence = "estimate"
            formula.append("the prefetch choice depends on the kernel-config ring buffer size (69 KiB assumed)")
    cbs = [CB(i, pages, size, name) for i, (pages, size, name) in enumerate(specs)]
    grid = c.conv3d_config.grid("compute_with_storage_grid_size") if c.conv3d_config else None
    group = CoreGroup("all conv3d cores", all_grid_cores(ctx, grid), cbs)
    weight = cbs[2]
    formula.insert(0, f"weight_tiled = K_t x N_t = {K_t} x {N_t} = {weight.pages:,} tiles x {tile:,} B = "
                      f"{weight.bytes:,} B (K_t = ceil({kt}x{kh}x{kw}x{c_in_block} / 32), "
                      f"N_t = ceil({c_out_block} / 32))")
    if c.conv3d_config is None:
        formula.append("no conv3d_config: C_in_block = C_in and C_out_block = all output channels")
    if fp32_partials:
        formula.append("fp32_dest_acc_en with more than one C_in block: fp32 interm / reduction tiles")
    source = ("conv3d_program_factory.cpp before PR #38579 (Dec 2025)" if old
              else "conv3d_program_factory.cpp @015c7ffa")
    return OpL1(op.id, op.name, op.program, "Conv3dProgramFactory", confidence, [group], formula, [source])


@cb_model("ttnn.conv2d", "ttnn.conv_transpose2d")
def conv2d(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.conv2d`` / ``ttnn.conv_transpose2d`` after ``get_cb_info``, with the block configuration guessed
    (estimate): sharding from ``conv2d_config.shard_layout`` (height when absent) over the worker grid,
    per-core output rows pM = ceil(ceil(N·Ho·Wo / 32) / cores) tiles (Ho, Wo of the op: the transposed
    formula for conv_transpose2d), act_block_h = pM or ``act_block_h_override / 32``, act_block_w = kW·C_in
    (tiles, so K takes kH blocks), per_core_N = all output channels.

    CBs in ``get_cb_info`` order: WEIGHTS pN·abw tiles of the weights dtype (height-sharded with more than
    one activation block and no activation reuse: ×kH, "fully buffered weights"; otherwise ×2 with
    ``enable_weights_double_buffer``); MATMUL_PARTIALS pM·pN of the partials dtype (fp32/bf16 when
    ``determine_packer_l1_acc`` holds, else the output's), globally allocated (in the output buffer, not the
    static region) when the output is not untilized and the partials dtype is the output's; ACT abh·abw
    input tiles (×2 with ``enable_act_double_buffer``); ACT_TILIZED abh·abw output tiles; BIAS pN weights
    tiles; OUT pM·pN (global); READER_INDICES pM·32·2 B (global unless ``config_tensors_in_dram``);
    L1_ARRAY 64 B. The split reader and activation reuse are not modelled."""
    c = decode(op)
    src = operand(op, 0)
    if not isinstance(c, Conv2d) or src is None:
        return generic_estimate(op, ctx)
    out = result(op)
    (kh, kw) = c.kernel
    c_in = c.in_channels or src.width
    c_out = c.out_channels or c_in
    n = c.batch_size or 1
    hw = c.output_hw() if c.input_height and c.input_width else None
    h_out, w_out = hw if hw else (1, 1)
    cores = ctx.grid[0] * ctx.grid[1]
    M_t = ceil_div(n * h_out * w_out, TILE)
    pM = ceil_div(M_t, cores)
    override = c.setting("act_block_h_override", "int", 0) or 0
    abh = max(1, min(pM, override // TILE)) if override else pM
    abw = ceil_div(kw * round_up(c_in, TILE), TILE)
    pN = ceil_div(c_out, TILE)
    shard_layout = c.setting("shard_layout", "text") or "height_sharded"
    height = shard_layout == "height_sharded"
    out_dtype = out.dtype if out is not None and out.tiled else "bf16"
    weights_dtype = c.setting("weights_dtype", "text") or (c.input(1).dtype if c.input(1) else "bf16")
    t_w = _tile_or_bf16(weights_dtype)
    t_act = tile_bytes("f32") if src.dtype == "f32" else tile_bytes("bf16")
    t_out = _tile_or_bf16(out_dtype)
    blocks_act_h = pM // abh
    weight_pages = pN * abw
    weight_note = f"{pN} x {abw}"
    if height and blocks_act_h > 1 and not c.setting("enable_activation_reuse", "bool", False):
        weight_pages *= kh
        weight_note += f" x kH {kh} ({blocks_act_h} activation blocks: fully buffered)"
    elif c.setting("enable_weights_double_buffer", "bool", False):
        weight_pages *= 2
        weight_note += " x 2 (double buffer)"
    blocks_w = kh  # K = kH·kW·C_in over act_block_w = kW·C_in
    packer_l1 = c.compute_flag("packer_l1_acc") and ((c.has_bias and blocks_w > 1) or blocks_w > 2)
    partial_dtype = ("f32" if c.compute_flag("fp32_dest_acc_en") else "bf16") if packer_l1 else out_dtype
    untilize_out = (c.setting("output_layout", "text") or "tile") == "row_major"
    partials_global = not untilize_out and partial_dtype == out_dtype
    act_pages = abh * abw * (2 if c.setting("enable_act_double_buffer", "bool", False) else 1)
    indices_in_dram = c.setting("config_tensors_in_dram", "bool", False)
    specs: list[tuple[int, int, str, bool]] = [
        (weight_pages, t_w, "weights", False),
        (pM * pN, _tile_or_bf16(partial_dtype), "matmul partials", partials_global),
        (act_pages, t_act if height else t_out, "act", False),
        (abh * abw, t_out, "act tilized", False),
    ]
    if c.has_bias:
        specs.append((pN, t_w, "bias", False))
    specs += [(pM * pN, t_out, "output", True),
              (1, pM * TILE * 2, "reader indices", not indices_in_dram),
              (1, 64, "L1 array", False)]
    cbs = [CB(i, pages, size, name, glob) for i, (pages, size, name, glob) in enumerate(specs)]
    assumed = "" if c.setting("shard_layout", "text") else ", assumed"
    group = CoreGroup(f"all {op.name.split('.')[-1]} cores ({shard_layout}{assumed})", all_grid_cores(ctx), cbs)
    t_part = _tile_or_bf16(partial_dtype)
    formula = [f"estimate: output {n}x{h_out}x{w_out}x{c_out}, pM = {pM} tiles/core, abh = {abh}, abw = {abw}, "
               f"pN = {pN}",
               f"weights {weight_note} = {weight_pages:,} tiles x {t_w:,} B; partials {pM * pN:,} x {t_part:,} B "
               f"{'in the output buffer (global)' if partials_global else 'static'}"]
    return OpL1(op.id, op.name, op.program, "Conv2d (get_cb_info; block config guessed)", "estimate", [group],
                formula, ["conv2d_op_program_factory_common.cpp get_cb_info (read copy @003324fc)"])


def _tile_or_bf16(dtype: str) -> int:
    """A 32x32 tile of ``dtype``, or of bf16 when ttdiag does not know the dtype."""
    try:
        return tile_bytes(dtype)
    except ValueError:
        return tile_bytes("bf16")
