"""CB models for convolutions: conv3d (``experimental/conv3d``) and conv2d (``get_cb_info``).

Sources (ttnn-facts.md §3.9, §3.10): tt-metal
``ttnn/cpp/ttnn/operations/experimental/conv3d/device/conv3d_program_factory.cpp`` @015c7ffa (2026,
"fused tilize" version); ``ttnn/cpp/ttnn/operations/conv/conv2d/device/conv2d_op_program_factory_common.cpp``
``get_cb_info`` (read copy).
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.items import Atom, Body, as_int, find_body, int_list, key_values
from ..layout import tile_size_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import operand
from .work_split import all_grid_cores, grid_from_attr


def _int_attr(op: Op, name: str) -> int | None:
    return as_int(op.attr(name))


def _config(op: Op, name: str) -> dict:
    items = op.attr(name)
    body = find_body(items or (), f".{name}") if items else None
    return key_values(body.items) if isinstance(body, Body) else {}


@cb_model("ttnn.conv3d")
def conv3d(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.conv3d`` (experimental conv3d program factory @015c7ffa).

    C_out_block = config.c_out_block or round_up(C_out, 32); C_in_block = config.c_in_block or C_in;
    patch = kT·kH·kW·C_in_block; M_t = ceil(T_blk·H_blk·W_blk / 32), K_t = ceil(patch / 32),
    N_t = ceil(C_out_block / 32). CBs: vol2col_rm = min(patches, 64) rows of round_up(patch, 32)·es;
    vol2col_tiled = K_t tiles (older code: M_t·K_t, UNVERIFIED); weights = K_t·N_t tiles;
    matmul interm and result = M_t·N_t tiles each; with C_in blocks > 1 a reduction CB (M_t·N_t) and
    an ack tile; bias = N_t tiles. The optional L1 prefetch shard is not counted.
    """
    src = operand(op, 0)
    if src is None:
        return generic_estimate(op, ctx)
    cfg = _config(op, "conv3d_config")
    kernel = int_list(op.attr("kernel_size") or ()) or [1, 1, 1]
    c_in = _int_attr(op, "in_channels") or src.width
    c_out = _int_attr(op, "out_channels") or c_in
    c_out_pad = round_up(c_out, 32)
    c_out_block = as_int(cfg.get("c_out_block")) or c_out_pad
    c_in_block = as_int(cfg.get("c_in_block")) or c_in
    tb = as_int(cfg.get("t_out_block")) or 1
    hb = as_int(cfg.get("h_out_block")) or 1
    wb = as_int(cfg.get("w_out_block")) or 1
    es = src.es or 2
    tile = tile_size_bytes(32, 32, src.dtype if src.es else "bf16")
    patch = kernel[0] * kernel[1] * kernel[2] * c_in_block
    patch_pad = round_up(patch, 32)
    patches = tb * hb * wb
    M_t, K_t, N_t = -(-patches // 32), -(-patch // 32), -(-c_out_block // 32)
    c_in_blocks = -(-c_in // c_in_block)
    older = not ctx.era.untilize_subblock_cap
    cbs = [
        CB(0, min(patches, 64), patch_pad * es, "vol2col_rm"),
        CB(1, M_t * K_t if older else K_t, tile, "vol2col_tiled"),
        CB(2, K_t * N_t, tile, "weight_tiled"),
        CB(3, M_t * N_t, tile, "matmul_interm"),
        CB(4, M_t * N_t, tile, "matmul_result_rm"),
    ]
    if c_in_blocks > 1:
        cbs += [CB(5, M_t * N_t, tile, "reduction"), CB(6, 1, tile, "ack")]
    if len(op.operands) >= 4 or op.attr("bias") is not None:
        cbs.append(CB(7, N_t, tile, "bias"))
    grid = grid_from_attr(cfg.get("compute_with_storage_grid_size"), ctx)
    group = CoreGroup("all conv3d cores", all_grid_cores(ctx, grid), cbs)
    weight = cbs[2]
    formula = [f"weight_tiled = K_t x N_t = {K_t} x {N_t} = {weight.pages:,} tiles x {tile:,} B = {weight.bytes:,} B "
               f"(K_t = ceil({kernel[0]}x{kernel[1]}x{kernel[2]}x{c_in_block} / 32), N_t = ceil({c_out_block} / 32))"]
    if not cfg:
        formula.append("no conv3d_config: C_in_block = C_in and C_out_block = all output channels")
    return OpL1(op.id, op.name, op.program, "Conv3dProgramFactory", "estimate" if older else "exact-model",
                [group], formula, ["conv3d_program_factory.cpp @015c7ffa"])


@cb_model("ttnn.conv2d", "ttnn.conv_transpose2d")
def conv2d(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.conv2d`` after ``get_cb_info``, with the block configuration guessed (estimate): height
    sharding over the worker grid, ``act_block_h`` = the per-core output rows (or the
    ``act_block_h_override``), ``act_block_w`` = kW·C_in (tiles), ``per_core_N`` = all output channels.
    CBs: weights pN·abw (x2 when weights double-buffering), act abh·abw, act tilized abh·abw, partials
    pM·pN (global when the output dtype is the partial dtype), bias pN, reader indices pM·32·2 B,
    L1 array 64 B."""
    src = operand(op, 0)
    if src is None:
        return generic_estimate(op, ctx)
    cfg = _config(op, "conv2d_config")
    kernel = int_list(op.attr("kernel_size") or ()) or [1, 1]
    stride = int_list(op.attr("stride") or ()) or [1, 1]
    pad = int_list(op.attr("padding") or ()) or [0, 0]
    c_in = _int_attr(op, "in_channels") or src.width
    c_out = _int_attr(op, "out_channels") or c_in
    n = _int_attr(op, "batch_size") or 1
    h = _int_attr(op, "input_height") or 1
    w = _int_attr(op, "input_width") or 1
    ph, pw = (pad[0], pad[1]) if len(pad) == 2 else (pad[0] + pad[1], pad[2] + pad[3]) if len(pad) == 4 else (0, 0)
    pw_total = 2 * pw if len(pad) == 2 else pw
    ph_total = 2 * ph if len(pad) == 2 else ph
    h_out = (h + ph_total - kernel[0]) // stride[0] + 1
    w_out = (w + pw_total - kernel[1]) // stride[1] + 1
    cores = ctx.grid[0] * ctx.grid[1]
    M_t = -(-(n * h_out * w_out) // 32)
    pM = -(-M_t // cores)
    override = as_int(cfg.get("act_block_h_override")) or 0
    abh = min(pM, override // 32) if override else pM
    abw = -(-(kernel[1] * round_up(c_in, 32)) // 32)
    pN = -(-c_out // 32)
    tile = 2048
    cbs = [CB(0, pN * abw, tile, "weights"), CB(1, abh * abw, tile, "act"), CB(2, abh * abw, tile, "act tilized"),
           CB(3, pM * pN, tile, "matmul partials"), CB(4, 1, pM * 32 * 2, "reader indices"), CB(5, 1, 64, "L1 array")]
    if len(op.operands) >= 3 and not isinstance(op.attr("bias"), type(None)) or _has_bias(op):
        cbs.insert(4, CB(6, pN, tile, "bias"))
    group = CoreGroup("all conv2d cores (height sharded, assumed)", all_grid_cores(ctx), cbs)
    return OpL1(op.id, op.name, op.program, "Conv2d (get_cb_info; block config guessed)", "estimate", [group],
                [f"estimate: output {n}x{h_out}x{w_out}x{c_out}, pM = {pM} tiles/core, abw = {abw}, pN = {pN}"],
                ["conv2d_op_program_factory_common.cpp get_cb_info (read copy)"])


def _has_bias(op: Op) -> bool:
    v = op.attr("has_bias")
    return bool(v) and isinstance(v[0], Atom) and v[0].text == "true"
