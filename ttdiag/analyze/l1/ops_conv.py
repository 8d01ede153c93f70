"""CB models for convolutions: conv3d (``experimental/conv3d``) and conv2d / conv_transpose2d (``get_cb_info``).

Sources (ttnn-facts.md §3.9, §3.10), tt-metal:

* ``ttnn/cpp/ttnn/operations/experimental/conv3d/device/conv3d_program_factory.cpp``
  ``Conv3dProgramFactory::create``: @015c7ffa (2026: chunked vol2col and L1 prefetch of PR #38579, Feb 2026;
  fp32 partials of PR #40462, Mar 2026) for the ``2026-02`` era, and the copy before PR #38579 (library id
  565601345, the TMP-infra factory; the same sizing as the first conv3d, library id 5519064882) for the
  Dec-2025 era;
* conv2d / conv_transpose2d: tt-metal's auto-configuration and ``get_cb_info``, transcribed in
  :mod:`.conv2d_config` (conv2d_utils.cpp @71ff3c1d, conv2d_op_program_factory_common.cpp @f3c1ee7e,
  conv2d.cpp @645aa768, device/conv2d_op_sharded_program_factory.cpp @55e3268f,
  device/conv2d_op_width_sharded_program_factory.cpp @9568a92c, conv_transpose2d.cpp @00b0fa3f).
"""

from __future__ import annotations

from dataclasses import replace

from ...ir.graph import Op
from ...ir.ttnn import Conv2d, Conv3d, ConvTranspose2d, decode
from ..layout import ceil_div, tile_bytes
from . import conv2d_config as cc
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import facts, operand, result
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
    """``ttnn.conv2d`` / ``ttnn.conv_transpose2d``: tt-metal's own configuration, then ``get_cb_info``
    (``conv2d_config``: :mod:`.conv2d_config` has the transcription and its commits).

    * Path (``determine_conv2d_execution_path``, conv2d.cpp @645aa768): an input in L1 (or an ``l1_full``
      slice config) runs ``conv2d_L1``; an input in DRAM or on the host runs ``conv2d_DRAM``: the fewest
      height or width slices whose largest max(halo input + halo output, CBs + output + halo output) fits the
      free L1 (op_slicing.cpp @0205dffd ``determine_slice_config``, ``Conv2dSliceAttr``; free L1 taken as
      l1_size − base − L1_SMALL, nothing else allocated), each slice a tiled-output ``conv2d_L1``; the CBs
      shown are the largest slice's. conv_transpose2d's slicer (``ConvT2DSliceAttr``) is transcribed for the
      one-slice check only (more slices: estimate).
    * A 1x1 stride-1 unpadded conv, or one folded by ``enable_kernel_stride_folding`` (auto: stride =
      kernel > 1 on a DRAM input), runs as ``ttnn::linear`` (matmul): generic estimate.
    * Shard layout: ``conv2d_config.shard_layout``, else ``determine_conv_config_for_auto_shard`` (height;
      block when its L1 total is smaller and it spans at least grid-x cores; width when smaller still).
    * ``get_conv_configs``: output shard rows = round_up(N·Ho·Wo, nhw_cores·32) / nhw_cores, per-core M
      = rows / 32 tiles, N = padded C_out / channel cores / 32; act_block_h = M (or the override),
      act_block_w = round_up(C_in_padded·kW, 32) / 32 (height), C_in_padded / c_cores·kW (block).
    * CBs (``get_cb_info`` @f3c1ee7e, bytes per core on every core of the grid's bounding box): WEIGHTS
      pN·abw weights tiles (x kH when height-sharded with more than one act block); MATMUL_PARTIALS pM·pN
      (global in the output unless untilized or packer-L1-accumulated); ACT abh·abw input tiles, halved
      between ACT and ACT_SECOND_READER when the split-reader cost model says so; ACT_TILIZED abh·abw
      output tiles; BIAS pN; OUT pM·pN (global); READER_INDICES (global); L1_ARRAY 64 B; the halo output
      (global). conv_transpose2d is the conv2d over its zero-dilated input (stride 1, no padding;
      conv_transpose2d.cpp @00b0fa3f).
    """
    c = decode(op)
    src = operand(op, 0)
    if not isinstance(c, Conv2d) or src is None or not c.input_height or not c.input_width:
        return generic_estimate(op, ctx)
    out = result(op)
    arch = "blackhole" if ctx.arch.name.startswith("blackhole") else ctx.arch.name
    kind = op.name.split(".")[-1]
    p, real = _conv_params(c, src, out)
    cfg = _conv_config(c)
    if isinstance(c, ConvTranspose2d):  # conv_transpose2d_L1 runs the conv2d prim without activation reuse
        cfg = replace(cfg, enable_activation_reuse=False)
    notes: list[str] = []
    confidence = "read-factory"
    sources = ["conv2d_utils.cpp @71ff3c1d", "conv2d_op_program_factory_common.cpp @f3c1ee7e",
               "conv2d.cpp @645aa768", "conv2d_op_sharded_program_factory.cpp @55e3268f"]
    if isinstance(c, ConvTranspose2d):
        sources.append("conv_transpose2d.cpp @00b0fa3f")
        sources.append("sliding_window/op_slicing/op_slicing.cpp @0205dffd")
    # determine_conv2d_execution_path: an L1_FULL slice config, or an L1 input without one, runs conv2d_L1
    slicing = c.slice_config()
    l1_path = (slicing is not None and slicing[0] == "l1_full") or (slicing is None and src.buffer_type == "l1")
    in_dram = src.buffer_type != "l1"
    folding = c.setting("enable_kernel_stride_folding", "bool", None) if c.conv2d_config and \
        c.conv2d_config.has("enable_kernel_stride_folding") else None
    if isinstance(c, ConvTranspose2d):
        folding = False  # conv_transpose2d_L1 does not fold
    elif folding is None:
        folding = cc.auto_kernel_folding(real, in_dram, src.memory_layout == cc.HEIGHT)
    mm = cc.use_matmul_for_1x1(real, cfg) or (folding and real.stride != (1, 1) and real.stride == real.kernel)
    if mm:
        r = generic_estimate(op, ctx)
        why = "kernel-stride folding makes it a 1x1 conv" if folding and real.kernel != (1, 1) else "a 1x1 conv"
        r.formula.insert(0, f"{why}: runs as ttnn::linear (matmul), not the conv2d factory")
        return r
    if arch not in ("blackhole", "wormhole_b0"):
        return generic_estimate(op, ctx)
    if folding and real.stride != (1, 1):  # folded to (H/s, W/s, C·s·s) with a ceil(k/s) kernel: not modelled
        confidence = "estimate"
        notes.append("kernel-stride folding (stride < kernel) not modelled: sized unfolded")
    if c.groups > 1 and c.groups == p.c_in == p.c_out and not cc.is_1d_depthwise(p):
        confidence = "estimate"
        notes.append("depthwise conv: the 2026 depthwise factory was not read; sized as conv2d")
    grid = ctx.grid
    usages: dict[str, cc.Usage] = {}
    if cfg.shard_layout:
        layout, how = cfg.shard_layout, "conv2d_config"
    elif src.sharded and not in_dram:
        layout, how = src.memory_layout, "the input's"
        confidence = "estimate"
        notes.append("input already sharded: its own grid assumed to be the one conv2d would pick")
    else:
        layout, usages = cc.auto_shard(p, cfg, grid, arch, ctx.arch.l1_alignment)
        how = "auto"
    u = usages.get(layout) or cc.l1_usage(p, layout, cfg, grid, arch, ctx.arch.l1_alignment)
    b = u.blocking
    run = p
    sticks = cc.halo_max_sticks(p, b.input_pc.nhw)
    shard_cols = b.in_channels_padded // b.input_pc.c
    budget = ctx.max_l1_space - ctx.arch.l1_small_size
    if not l1_path and isinstance(c, ConvTranspose2d) and slicing is not None and slicing[1] == 1:
        notes.append(f"{slicing[0]}: one slice (the L1 path)")
    elif not l1_path and isinstance(c, ConvTranspose2d):
        # determine_conv_transpose2d_execution_path: DRAM -> run_sliced_op over ConvT2DSliceAttr
        need, t_layout, t_pc, t_shard = cc.convt_one_slice_need(p, real, cfg, grid, arch, ctx.arch.l1_alignment)
        if need <= budget and not (slicing is not None and slicing[1] > 1):
            # one slice -> L1_FULL -> conv_transpose2d_L1 on the input sharded as that DRAM slice
            layout, how = t_layout, ("auto (DRAM slicer)" if not cfg.shard_layout else how)
            b = cc.slice_run(cc.Slice((0, 0), (p.out_h, p.out_w), p, need, t_layout, t_pc, t_shard), cfg, grid,
                             ctx.arch.l1_alignment)
            shard_cols = t_shard[1]
            sticks = cc.halo_max_sticks(p, b.input_pc.nhw)
            usages = {}
            notes.append(f"DRAM input, one slice: needs {need:,} B of {budget:,} B free L1 "
                         "(L1 otherwise empty assumed)")
        else:
            confidence = "estimate"
            notes.append("DRAM slicing of conv_transpose2d in more than one slice not modelled;")
            notes.append("figures are for the unsliced conv")
    elif not l1_path:
        slice_kind = slicing[0] if slicing is not None and slicing[0] != "l1_full" else None
        if slicing is not None and slicing[1] > 0:
            chosen = (slicing[0], cc.slices_for(p, cfg, slicing[0], slicing[1], grid, arch, ctx.arch.l1_alignment))
            how_sliced = "given"
        else:
            chosen = cc.determine_slices(p, cfg, grid, arch, ctx.arch.l1_alignment, budget, slice_kind)
            how_sliced = "auto"
        if chosen is None:
            confidence = "estimate"
            notes.append(f"DRAM slicing: no slice count fits {budget:,} B of free L1 (tt-metal raises);")
            notes.append("figures are for the unsliced conv")
        elif len(chosen[1]) == 1:
            notes.append(f"DRAM input, one slice: needs {chosen[1][0].need:,} B of {budget:,} B free L1 "
                         "(L1 otherwise empty assumed)" if how_sliced == "auto" else f"{chosen[0]}: one slice")
        else:
            slice_kind, sl = chosen
            worst = max(sl, key=lambda x: cc.get_cb_info(
                x.conv, replace(cfg, shard_layout=x.layout, output_layout="tile"),
                cc.slice_run(x, cfg, grid, ctx.arch.l1_alignment), arch, ctx.arch.l1_alignment, 1, 1).static_bytes)
            run, layout, how = worst.conv, worst.layout, "auto per slice" if not cfg.shard_layout else how
            usages = {}
            b = cc.slice_run(worst, cfg, grid, ctx.arch.l1_alignment)
            sticks = cc.halo_max_sticks(run, b.input_pc.nhw)
            shard_cols = worst.shard[1]
            (h0, w0), (h1, w1) = worst.out_start, worst.out_end
            span = f"rows {h0}..{h1 - 1}" if slice_kind == "dram_height" else f"columns {w0}..{w1 - 1}"
            notes.append(f"DRAM {slice_kind.split('_')[1]} slicing ({how_sliced}): {len(sl)} slices, the largest "
                         f"needs {max(x.need for x in sl):,} B of {budget:,} B free L1")
            notes.append(f"CBs of the slice of output {span} ({run.in_h} x {run.in_w} input)")
    w_h = round_up(run.c_in, cc.input_channels_alignment(layout, run.row_major_input, False,
                                                         ctx.arch.l1_alignment)) * run.kernel[0] * run.kernel[1] // TILE
    w_w = round_up(run.c_out, TILE) // TILE
    final_cfg = replace(cfg, shard_layout=layout)
    if not l1_path:  # Conv2dSliceAttr::run_L1_op forces a tiled conv output (its L1 check does not)
        final_cfg = replace(final_cfg, output_layout="tile")
    # Conv2dShardedProgramFactory::create (@55e3268f) and Conv2dWidthShardedProgramFactory::create (@9568a92c)
    # pass skip_activation_mcast (conv_skip_mcast: one channel core in and out for block/width, one core in
    # all for height) as skip_act_cb_create
    skip = (b.input_pc.c == 1 and b.output_pc.c == 1) if layout != cc.HEIGHT else b.input_pc.nhw == 1
    plan = cc.get_cb_info(run, final_cfg, b, arch, ctx.arch.l1_alignment, w_h, w_w, (sticks, shard_cols), skip)
    if run.packer_l1_acc:
        # the prepared weights hold kH blocks of act_block_w (height) - not read: check the choice holds
        alt = cc.get_cb_info(run, final_cfg, b, arch, ctx.arch.l1_alignment, run.kernel[0] * b.act_block_w,
                             w_w, (sticks, shard_cols), skip)
        if alt.packer_l1_acc != plan.packer_l1_acc:
            confidence = "estimate"
            notes.append("packer_l1_acc depends on the prepared weights' padding (not read)")
    if (layout in (cc.HEIGHT, cc.BLOCK) and b.act_block_h > 1 and cfg.force_split_reader is None
            and not cfg.enable_activation_reuse):
        if not ctx.era.conv2d_split_reader_cost_model:
            confidence = "estimate"
            notes.append("split reader: this era's rule was not read (2026 cost model used)")
        elif not cc.split_reader_known(run, arch):
            confidence = "estimate"
            notes.append("split reader: no tilize cost for this dtype pair (guessed)")
    cbs = [CB(i, x.pages, x.page_bytes, x.name, x.globally_allocated) for i, x in enumerate(plan.cbs)]
    bbox = _bbox(b.input_pc, grid, cfg.transpose_shards)
    if layout != cc.HEIGHT:  # block: input cores merged with output cores; width: the larger of the two
        out_box = _bbox(b.output_pc, grid, cfg.transpose_shards)
        bbox = (max(bbox[0], out_box[0]), max(bbox[1], out_box[1]))
    group = CoreGroup(f"all {kind} cores ({layout}, {b.input_pc.cores} used)", all_grid_cores(ctx, bbox), cbs)
    formula = [f"{layout} ({how}): {b.input_pc.nhw} x {b.input_pc.c} cores (nhw x c), "
               f"{b.out_shard_h} output rows per core",
               f"per-core M x N = {b.per_core_h} x {b.per_core_w} tiles; act block {b.act_block_h} x "
               f"{b.act_block_w} tiles",
               f"split reader {'on' if plan.split_reader else 'off'}; partials {plan.partial_dtype}"
               f"{' (packer L1 acc)' if plan.packer_l1_acc else ''}; halo output {sticks} x {shard_cols}"]
    if usages:
        formula.append("auto shard (CBs + output + halo per core): " + ", ".join(
            f"{k.split('_')[0]} {v.total:,} B" for k, v in usages.items()))
    formula += notes
    if c.conv2d_config is not None and c.conv2d_config.has("enable_split_reader"):
        formula.append("enable_split_reader is not a 2026 Conv2dConfig field: ignored")
    return OpL1(op.id, op.name, op.program, "Conv2d (get_cb_info)", confidence, [group], formula, sources)


def _conv_params(c: Conv2d, src, out) -> tuple[cc.ConvParams, cc.ConvParams]:
    """(the conv2d the factory runs, the op as written). conv_transpose2d: the conv2d over the
    zero-dilated input ``(Ho + dH·(kH − 1)) x (Wo + dW·(kW − 1))`` with stride 1 and no padding."""
    ho, wo = c.output_hw()  # type: ignore[misc]
    w = facts(c.input(1))
    in_dtype = src.dtype
    out_dtype = out.dtype if out is not None else in_dtype
    w_dtype = c.setting("weights_dtype", "text") or (w.dtype if w is not None else in_dtype)
    if c.compute_config is not None:
        fp32, packer = c.compute_flag("fp32_dest_acc_en"), c.compute_flag("packer_l1_acc")
    else:  # get_conv_default_compute_kernel_config: fp32 accumulation iff input and weights are f32
        fp32, packer = in_dtype == "f32" and w_dtype == "f32", False
    common = dict(batch=c.batch_size or 1, c_in=c.in_channels or src.width, c_out=c.out_channels or src.width,
                  kernel=c.kernel, dilation=c.dilations, out_h=ho, out_w=wo, groups=c.groups,
                  has_bias=c.has_bias, in_dtype=in_dtype, out_dtype=out_dtype, weights_dtype=w_dtype,
                  row_major_input=not src.tiled, fp32_acc=fp32, packer_l1_acc=packer)
    real = cc.ConvParams(in_h=c.input_height, in_w=c.input_width, stride=c.strides, pads=c.pads, **common)
    if isinstance(c, ConvTranspose2d):
        (kh, kw), (dh, dw) = c.kernel, c.dilations
        run = cc.ConvParams(in_h=ho + dh * (kh - 1), in_w=wo + dw * (kw - 1), stride=(1, 1), pads=(0, 0, 0, 0),
                            **common)
        return run, real
    return real, real


def _conv_config(c: Conv2d) -> cc.ConvConfig:
    """The ``Conv2dConfig`` tt-mlir's runtime passes: the attribute's fields, else the defaults
    (runtime/lib/ttnn/operations/conv/conv2d.cpp @55bde678 passes a default ``Conv2dConfig``)."""
    if c.conv2d_config is None:
        return cc.ConvConfig()
    g = c.conv2d_config
    split = g.bool("force_split_reader") if g.has("force_split_reader") else None
    return cc.ConvConfig(
        shard_layout=g.text("shard_layout") or None,
        act_block_h_override=g.int("act_block_h_override", 0) or 0,
        act_block_w_div=g.int("act_block_w_div", 1) or 1,
        transpose_shards=g.bool("transpose_shards", False),
        output_layout=g.text("output_layout", "tile") or "tile",
        enable_act_double_buffer=g.bool("enable_act_double_buffer", False),
        enable_weights_double_buffer=g.bool("enable_weights_double_buffer", False),
        full_inner_dim=g.bool("full_inner_dim", False),
        enable_activation_reuse=g.bool("enable_activation_reuse", False),
        config_tensors_in_dram=g.bool("config_tensors_in_dram", False),
        force_split_reader=split)


def _bbox(pc: cc.Parallel, grid: tuple[int, int], col_major: bool) -> tuple[int, int]:
    """The bounding box (x, y) of the cores the CBs are created on: the height-sharded factory's
    ``grid_size`` box of the row-wise ``num_cores_to_corerangeset`` grid; block: the nhw x c rectangle; width:
    the row-wise grid (the caller takes the larger of input and output)."""
    gx = grid[0]
    if pc.layout == cc.BLOCK:
        return (pc.nhw, pc.c) if col_major else (pc.c, pc.nhw)
    n = pc.cores
    return (min(n, gx), ceil_div(n, gx))


def _tile_or_bf16(dtype: str) -> int:
    """A 32x32 tile of ``dtype``, or of bf16 when ttdiag does not know the dtype."""
    try:
        return tile_bytes(dtype)
    except ValueError:
        return tile_bytes("bf16")
