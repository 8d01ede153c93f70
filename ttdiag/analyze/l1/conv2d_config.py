"""tt-metal's conv2d auto-configuration, transcribed: the shard layout, parallel and block configs that
``ttnn::conv2d`` derives when the caller gives no ``Conv2dConfig`` (or one without a shard layout), and
``get_cb_info``'s circular buffers for them.

Sources, tt-metal (2026 copies):

* ``ttnn/cpp/ttnn/operations/conv/conv2d/conv2d_utils.cpp`` @71ff3c1d: ``find_closest_largest_divisor*``,
  ``get_input_channels_alignment``, ``determine_parallel_config``, ``determine_output_parallel_config``,
  ``get_conv_configs``, ``determine_per_core_conv_block_config``, ``calculate_L1_usage_for_conv_op``,
  ``determine_conv_config_for_auto_shard``, ``calculate_L1_usage``, ``determine_packer_l1_acc``,
  ``use_matmul_for_1x1_conv``, ``auto_enable_kernel_folding``, ``get_conv_default_compute_kernel_config``;
* ``conv2d_op_program_factory_common.cpp`` @f3c1ee7e: ``get_cb_info``, ``is_split_reader_supported``,
  ``is_split_reader_viable`` (the NoC / tilize cost model that decides the split reader);
* ``ttnn/cpp/ttnn/operations/sliding_window/sliding_window.cpp`` (read copy, library id 7186334245):
  ``generate_shard_boundaries`` / ``calculate_precise_halo_output_elems`` (the halo output per core that
  the auto-shard choice and the DRAM slicer count);
* ``conv2d.cpp`` @645aa768 (``conv2d_L1``, ``conv2d_DRAM``, ``Conv2dSliceAttr::get_L1_usage``) and
  ``sliding_window/op_slicing/op_slicing.cpp`` @0205dffd (``determine_slice_config``: one slice when the
  whole conv fits the free L1, then run as L1_FULL);
* ``device/conv2d_device_operation_types.hpp`` (library id 108563423): ``Conv2dConfig`` defaults.

Everything here is arithmetic on plain numbers; ``ops_conv`` maps an op onto it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..layout import ceil_div, round_up, tile_bytes

TILE = 32
HEIGHT, BLOCK, WIDTH = "height_sharded", "block_sharded", "width_sharded"


# -- conv2d_utils.cpp @71ff3c1d: divisor searches ------------------------------------------------------------------
def closest_divisor(num: int, start: int) -> int:
    d = start
    while num % d:
        d -= 1
    return d


def closest_common_divisor(num1: int, num2: int, start: int) -> int:
    d = start
    while num1 % d or num2 % d:
        d -= 1
    return d


def closest_divisor_with_padding(num: int, start: int) -> int:
    d = start
    padded = round_up(num, d)
    while padded - num >= padded // d:
        d -= 1
        padded = round_up(num, d)
    return d


def closest_divisor_with_padding_and_mult(num: int, start: int, mult: int) -> int:
    d = start
    padded = round_up(num, d * mult)
    while padded - num >= padded // d and d > 1:
        d -= 1
        padded = round_up(num, d * mult)
    return d


@dataclass(frozen=True, slots=True)
class Parallel:
    """A ``ParallelConfig``: shard scheme, cores along NHW and along channels, and the cores used."""

    layout: str
    nhw: int
    c: int
    cores: int


def _rowwise_cores(n: int, grid: tuple[int, int]) -> Parallel:
    return Parallel(HEIGHT, n, 1, n)


def determine_parallel_config(layout: str, batch: int, c_in: int, out_h: int, out_w: int, c_out: int,
                              c_align: int, grid: tuple[int, int], col_major: bool = False,
                              channels_padding: bool = True, act_block_h_override: int = 0) -> Parallel:
    """``determine_parallel_config`` with shard height and width tile multiples (conv2d's case)."""
    gx, gy = grid
    out_nhw_t = ceil_div(batch * out_h * out_w, TILE)
    out_c_t = ceil_div(c_out, TILE)
    mult = act_block_h_override // TILE if act_block_h_override else 1
    if layout == HEIGHT:
        n = closest_divisor_with_padding_and_mult(out_nhw_t, gx * gy, mult)
        return Parallel(HEIGHT, n, 1, n)
    if layout == BLOCK:
        c_blocks = ceil_div(c_in, c_align)
        nhw = closest_divisor_with_padding_and_mult(out_nhw_t, gx if col_major else gy, mult)
        start_c = gy if col_major else gx
        c = (closest_divisor_with_padding(c_blocks, start_c) if channels_padding
             else closest_common_divisor(out_c_t, c_blocks, start_c))
        return Parallel(BLOCK, nhw, c, nhw * c)
    c_t = ceil_div(c_in, TILE)
    n = closest_divisor_with_padding(c_t, gx * gy) if channels_padding else closest_divisor(c_t, gx * gy)
    return Parallel(WIDTH, 1, n, n)


def determine_output_parallel_config(p: Parallel, grid: tuple[int, int], c_out: int, col_major: bool,
                                     mm_conv: bool) -> Parallel:
    if mm_conv:
        return p
    out_c_t = ceil_div(c_out, TILE)
    if p.layout == WIDTH:
        n = closest_divisor_with_padding(out_c_t, grid[0] * grid[1])
        return Parallel(WIDTH, 1, n, n)
    if p.layout == BLOCK:
        c = closest_divisor_with_padding(out_c_t, grid[1] if col_major else grid[0])
        return Parallel(BLOCK, p.nhw, c, p.nhw * c)
    return p


def input_channels_alignment(layout: str, row_major_input: bool, mm_conv: bool, l1_alignment: int) -> int:
    """``get_input_channels_alignment`` for an unsharded input: half the L1 alignment (8) for a row-major
    input of a non-matmul conv that is not width-sharded, else a tile width. (For the sharded copy the
    shard width is a multiple of it, which gives the same padded channel count.)"""
    if not mm_conv and layout != WIDTH and row_major_input:
        return l1_alignment // 2
    return TILE


# -- the conv as get_cb_info sees it ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ConvParams:
    """One conv2d (for conv_transpose2d: the conv2d over the zero-dilated input, stride 1, padding 0)."""

    batch: int
    in_h: int
    in_w: int
    c_in: int
    c_out: int
    kernel: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[int, int, int, int]
    dilation: tuple[int, int]
    out_h: int
    out_w: int
    groups: int = 1
    has_bias: bool = False
    in_dtype: str = "bf16"
    out_dtype: str = "bf16"
    weights_dtype: str = "bf16"
    row_major_input: bool = True
    fp32_acc: bool = False
    packer_l1_acc: bool = False


@dataclass(frozen=True, slots=True)
class ConvConfig:
    """The ``Conv2dConfig`` fields the CBs depend on, with tt-metal's defaults."""

    shard_layout: str | None = None
    act_block_h_override: int = 0
    act_block_w_div: int = 1
    transpose_shards: bool = False
    output_layout: str = "tile"
    enable_act_double_buffer: bool = False
    enable_weights_double_buffer: bool = False
    full_inner_dim: bool = False
    enable_activation_reuse: bool = False
    config_tensors_in_dram: bool = False
    force_split_reader: bool | None = None


@dataclass(slots=True)
class Blocking:
    """What ``get_conv_configs`` returns, plus the padded input channels it was given."""

    input_pc: Parallel
    output_pc: Parallel
    in_channels_padded: int
    out_shard_h: int          # conv output shard height (rows)
    per_core_h: int           # per_core_out_matrix_height_ntile
    per_core_w: int           # per_core_out_matrix_width_ntile
    act_block_h: int          # act_block_h_ntiles
    act_block_w: int          # act_block_w_ntiles


def is_1d_depthwise(p: ConvParams) -> bool:
    return (p.groups == p.c_in == p.c_out and p.kernel[0] == 1 and p.in_h == 1 and p.kernel[1] == 1
            and not p.has_bias)


def get_conv_configs(p: ConvParams, cfg: ConvConfig, in_pc: Parallel, out_pc: Parallel,
                     in_channels_padded: int) -> Blocking:
    """``get_conv_configs`` → ``determine_conv_op_parallel_config_from_conv_output_mem_config`` and
    ``determine_per_core_conv_block_config``."""
    nhw_out = p.batch * p.out_h * p.out_w
    out_c_padded = round_up(p.c_out, out_pc.c * TILE)
    nhw_padded = nhw_out if out_pc.layout == WIDTH else round_up(nhw_out, out_pc.nhw * TILE)
    shard_h = nhw_padded // out_pc.nhw
    shard_w = out_c_padded // out_pc.c
    per_core_h, per_core_w = ceil_div(shard_h, TILE), ceil_div(shard_w, TILE)
    padded_h_t = shard_h // TILE
    abh = per_core_h
    if cfg.act_block_h_override > 0:
        ov = cfg.act_block_h_override // TILE
        abh = ov if padded_h_t % ov == 0 else closest_divisor(padded_h_t, ov)
    kh, kw = p.kernel
    if in_pc.layout == HEIGHT:
        if is_1d_depthwise(p):
            abw = round_up(in_channels_padded, TILE)
        elif cfg.enable_activation_reuse:
            abw = round_up(in_channels_padded * kh * kw, TILE)
        else:
            abw = round_up(in_channels_padded * kw, TILE)
    elif in_pc.layout == BLOCK:
        abw = round_up(in_channels_padded // in_pc.c * kw * (kh if cfg.full_inner_dim else 1), TILE)
    else:
        abw = (in_channels_padded * kh * kw) // (in_pc.cores * cfg.act_block_w_div)
    return Blocking(in_pc, out_pc, in_channels_padded, shard_h, per_core_h, per_core_w, abh, abw // TILE)


# -- conv2d_op_program_factory_common.cpp @f3c1ee7e: split reader ---------------------------------------------------
_F = np.float32
_LOCAL_L1 = {"blackhole": (4096, 1.124, 80.48), "wormhole_b0": (1024, 0.868, 27.84)}
_ALL_DRAM = {"blackhole": (2048, 0.671, 80.885), "wormhole_b0": (2048, 0.436, 28.411)}
_MCAST = {"blackhole": (65536, 0.182, 57.677), "wormhole_b0": (65536, 0.318, 25.345)}
# get_tilize_cycles_per_tile: [arch][halo dtype][output dtype] = (without, with fp32 dest acc)
_TILIZE = {
    "blackhole": {"f32": {"f32": (132, 132), "bf16": (132, 80), "bfp_bf8": (132, 77)},
                  "bf16": {"f32": (105, 128), "bf16": (72, 72), "bfp_bf8": (60, 60)}},
    "wormhole_b0": {"f32": {"f32": (107, 128), "bf16": (74, 74), "bfp_bf8": (74, 70)},
                    "bf16": {"f32": (92, 117), "bf16": (61, 68), "bfp_bf8": (40, 43)}},
}


def _noc_rate(table: dict, arch: str, size: int, l1_alignment: int) -> np.float32:
    threshold, lo, hi = table[arch]
    eff = min(max(size, l1_alignment), threshold)
    per_byte = (_F(hi) - _F(lo)) / _F(threshold - l1_alignment)
    return _F(lo) + per_byte * _F(eff - l1_alignment)


def split_reader_viable(p: ConvParams, b: Blocking, arch: str, l1_alignment: int, weights_tile: int) -> bool:
    """``is_split_reader_viable``: block-sharded or activation reuse → yes; else split when
    act/2 + max(weights, tilize) < max(act + tilize, weights) (cycles, float32 as in the source)."""
    if b.input_pc.layout == BLOCK:
        return True
    kw = p.kernel[1]
    clock = _F(1.35 if arch == "blackhole" else 1.0)
    es = 4 if p.in_dtype == "f32" else 2
    halo_dtype = "f32" if p.in_dtype == "f32" else "bf16"
    unit = es * b.in_channels_padded * (kw if p.dilation[1] == 1 else 1)
    act_bytes = es * b.act_block_h * TILE * b.in_channels_padded * kw
    act = clock * _F(act_bytes) / _noc_rate(_LOCAL_L1, arch, unit, l1_alignment)
    w_bytes = weights_tile * b.per_core_w * b.act_block_w
    mcast = _noc_rate(_MCAST, arch, w_bytes, l1_alignment)
    dram = _noc_rate(_ALL_DRAM, arch, weights_tile, l1_alignment)
    wcyc = clock * _F(w_bytes) * (_F(1.0) / dram + _F(1.0) / mcast)
    tilize = _F(_TILIZE[arch][halo_dtype][p.out_dtype][1 if p.fp32_acc else 0] * b.act_block_w * b.act_block_h)
    return bool(act / _F(2) + max(wcyc, tilize) < max(act + tilize, wcyc))


def split_reader_known(p: ConvParams, arch: str) -> bool:
    """Whether ttdiag has the cost-model tables for this case (else the split reader is a guess)."""
    halo = "f32" if p.in_dtype == "f32" else "bf16"
    return arch in _TILIZE and p.out_dtype in _TILIZE[arch][halo]


# -- get_cb_info ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ConvCB:
    name: str
    pages: int
    page_bytes: int
    globally_allocated: bool = False

    @property
    def bytes(self) -> int:
        return self.pages * self.page_bytes


@dataclass(slots=True)
class CBPlan:
    cbs: list[ConvCB]
    split_reader: bool
    packer_l1_acc: bool
    partial_dtype: str
    notes: list[str] = field(default_factory=list)

    @property
    def static_bytes(self) -> int:
        return sum(c.bytes for c in self.cbs if not c.globally_allocated)

    def get(self, name: str) -> ConvCB | None:
        return next((c for c in self.cbs if c.name == name), None)


def _tile(dtype: str) -> int:
    try:
        return tile_bytes(dtype)
    except ValueError:
        return tile_bytes("bf16")


def get_cb_info(p: ConvParams, cfg: ConvConfig, b: Blocking, arch: str, l1_alignment: int,
                weight_h_tiles: int, weight_w_tiles: int, input_shard: tuple[int, int] = (0, 0),
                skip_act_cb_create: bool = False, split_override: bool | None = None) -> CBPlan:
    """``get_cb_info`` @f3c1ee7e, CBs in creation order (zero-page ones dropped as ``allocate_cbs`` does).
    ``weight_h_tiles`` / ``weight_w_tiles``: the (padded) weights matrix in tiles (``weights_shape[2] / 32``,
    ``weights_shape[3] / 32``); they only steer ``packer_l1_acc``."""
    layout = cfg.shard_layout or HEIGHT
    untilize_out = cfg.output_layout == "row_major"
    in_dt = "f32" if p.in_dtype == "f32" else "bf16"
    in_es = 4 if in_dt == "f32" else 2
    t_in, t_w, t_out = tile_bytes(in_dt), _tile(p.weights_dtype), _tile(p.out_dtype)
    dw1d = is_1d_depthwise(p)
    abh, abw, pM, pN = b.act_block_h, b.act_block_w, b.per_core_h, b.per_core_w
    num_blocks_act_h = pM // abh
    supported = layout in (HEIGHT, BLOCK) and not dw1d and abh > 1
    if split_override is not None:
        viable = split_override
    elif cfg.force_split_reader is not None:
        viable = cfg.force_split_reader
    elif cfg.enable_activation_reuse:
        viable = True
    else:
        viable = split_reader_viable(p, b, arch, l1_alignment, t_w)
    split = supported and viable
    if not split or dw1d:
        act_tiles, split_tiles = abh * abw, 0
    else:
        last = abh // 2
        first = abh - last
        if cfg.enable_activation_reuse:
            act_tiles = _act_reuse_tiles(first, abw, p, b, t_in)
            split_tiles = _act_reuse_tiles(last, abw, p, b, t_in)
        else:
            act_tiles, split_tiles = first * abw, last * abw
    blocks_w = weight_h_tiles // abw if abw else 0
    in0_blocks_w = blocks_w * (weight_w_tiles // pN) if layout == BLOCK else blocks_w
    packer = p.packer_l1_acc and ((p.has_bias and in0_blocks_w > 1) or in0_blocks_w > 2)
    partial_dtype = ("f32" if p.fp32_acc else "bf16") if packer else p.out_dtype
    cbs: list[ConvCB] = []
    w_tiles = pN * (abh * p.kernel[1] if dw1d else abw)
    if layout == HEIGHT:
        if not cfg.enable_activation_reuse:
            if num_blocks_act_h > 1:
                w_tiles *= p.kernel[0]
            elif cfg.enable_weights_double_buffer:
                w_tiles *= 2
    elif cfg.enable_weights_double_buffer:
        w_tiles *= 2
    cbs.append(ConvCB("weights", w_tiles, t_w))
    cbs.append(ConvCB("matmul partials", 1 if dw1d else pM * pN, _tile(partial_dtype),
                      not untilize_out and partial_dtype == p.out_dtype and not dw1d))
    overlap_im2col = layout == BLOCK and in_dt == p.out_dtype and not skip_act_cb_create
    if cfg.enable_act_double_buffer:
        act_tiles *= 2
        split_tiles *= 2
    act_page = t_in if layout == HEIGHT else t_out
    overlap_act = layout != HEIGHT and skip_act_cb_create
    act_pages = 0 if overlap_act else (act_tiles if layout == HEIGHT else act_tiles + split_tiles)
    cbs.append(ConvCB("act", act_pages, act_page))
    cbs.append(ConvCB("act second reader", 0 if overlap_im2col else split_tiles, t_in))
    cbs.append(ConvCB("temp sum", 1 if dw1d else 0, t_out))
    cbs.append(ConvCB("act tilized", abh * abw, t_out))
    cbs.append(ConvCB("bias", pN if p.has_bias else 0, t_w))
    rm = abw * 2 if layout == WIDTH else act_tiles if layout == BLOCK else 0
    cbs.append(ConvCB("act row major", 0 if overlap_im2col else rm, t_in))
    cbs.append(ConvCB("output", pM * pN, t_out, True))
    cbs.append(ConvCB("reader indices", 1, pM * TILE * 2, not cfg.config_tensors_in_dram))
    cbs.append(ConvCB("L1 array", 1, 64))
    cbs.append(ConvCB("act sharded (halo output)", input_shard[0], input_shard[1] * in_es, True))
    return CBPlan([c for c in cbs if c.pages], split, packer, partial_dtype)


def _act_reuse_tiles(act_h: int, abw: int, p: ConvParams, b: Blocking, t_in: int) -> int:
    """``calculate_act_cb_size_with_reuse``."""
    import math
    w_t = ceil_div(p.out_w, TILE)
    loops = math.ceil(act_h / w_t)
    mod = p.out_w % TILE
    leftover = 0 if mod == 0 else TILE - mod
    es = 4 if p.in_dtype == "f32" else 2
    length = loops * b.in_channels_padded * p.kernel[1] * (1 + leftover * p.kernel[0]) * es
    return w_t * abw + ceil_div(length, t_in)


# -- sliding_window.cpp: halo output per core ------------------------------------------------------------------------
def halo_max_sticks(p: ConvParams, nhw_cores: int) -> int:
    """``generate_shard_boundaries`` → ``generate_max_out_nsticks_per_core``: the most input sticks (halo
    included, padding rows and columns counted) any core's output shard needs."""
    hp = p.in_h + p.pads[0] + p.pads[1]
    wp = p.in_w + p.pads[2] + p.pads[3]
    ho, wo = output_size(p.in_h, p.in_w, p.kernel, p.stride, p.pads, p.dilation)
    n_out = p.batch * ho * wo
    shard = round_up(n_out, nhw_cores * TILE) // nhw_cores
    dh = p.kernel[0] + (p.dilation[0] - 1) * (p.kernel[0] - 1)
    dw = p.kernel[1] + (p.dilation[1] - 1) * (p.kernel[1] - 1)
    halo = (dh - 1) * wp + dw - 1

    def trace(i: int) -> int:
        bb, r = divmod(i, ho * wo)
        h, w = divmod(r, wo)
        return bb * hp * wp + h * p.stride[0] * wp + w * p.stride[1]

    best, start = 0, 0
    for _ in range(nhw_cores):
        end = min(start + shard, n_out) - 1
        i_start = trace(min(start, n_out - 1))
        i_end = trace(end) + halo
        if i_start == 0 and start != 0:
            i_start = trace(end) + 1
            i_end = i_start - 1
        best = max(best, i_end - i_start + 1)
        start = end + 1
    return best


# -- calculate_L1_usage_for_conv_op / determine_conv_config_for_auto_shard -------------------------------------------
@dataclass(slots=True)
class Usage:
    layout: str
    core_count: int
    halo_input: int
    halo_output: int
    cb_static: int
    output: int
    blocking: Blocking
    plan: CBPlan

    @property
    def total(self) -> int:
        return self.cb_static + self.output + self.halo_output


def input_parallel(p: ConvParams, layout: str, cfg: ConvConfig, grid: tuple[int, int], mm_conv: bool,
                   l1_alignment: int) -> tuple[Parallel, int]:
    align = input_channels_alignment(layout, p.row_major_input, mm_conv, l1_alignment)
    pc = determine_parallel_config(layout, p.batch, p.c_in, p.out_h, p.out_w, p.c_out, align, grid,
                                   cfg.transpose_shards, not mm_conv, cfg.act_block_h_override)
    return pc, align


def l1_usage(p: ConvParams, layout: str, cfg: ConvConfig, grid: tuple[int, int], arch: str,
             l1_alignment: int, mm_conv: bool = False,
             halo_input: tuple[Parallel, int, int] | None = None) -> Usage:
    """``calculate_L1_usage_for_conv_op`` for one shard layout; ``halo_input`` = (parallel config, shard rows,
    shard columns) of a given halo input memory config (the DRAM slicer passes one), else derived."""
    cfg = replace(cfg, shard_layout=layout)
    in_pc, align = input_parallel(p, layout, cfg, grid, mm_conv, l1_alignment)
    if halo_input is not None:
        in_pc = halo_input[0]
    out_pc = determine_output_parallel_config(in_pc, grid, p.c_out, cfg.transpose_shards, mm_conv)
    cin_aligned = round_up(p.c_in, align)
    cin_padded = round_up(p.c_in, in_pc.c * align)
    b = get_conv_configs(p, cfg, in_pc, out_pc, cin_padded)
    # "not exact shapes for weights ... good enough for L1 usage estimation"
    w_h = cin_aligned * p.kernel[0] * p.kernel[1] // TILE
    w_w = round_up(p.c_out, TILE) // TILE
    plan = get_cb_info(p, cfg, b, arch, l1_alignment, w_h, w_w)
    out = plan.get("output")
    es = 4 if p.in_dtype == "f32" else 2
    shard_rows = round_up(p.batch * p.in_h * p.in_w, in_pc.nhw * TILE) // in_pc.nhw
    shard_cols = cin_padded // in_pc.c
    if halo_input is not None:
        shard_rows, shard_cols = halo_input[1], halo_input[2]
    halo_out = halo_max_sticks(p, in_pc.nhw) * shard_cols * es
    divider = 2 if p.in_dtype == "bfp_bf8" else 1
    return Usage(layout, max(in_pc.cores, out_pc.cores), shard_rows * shard_cols * es // divider, halo_out,
                 plan.static_bytes, out.bytes if out else 0, b, plan)


def auto_shard(p: ConvParams, cfg: ConvConfig, grid: tuple[int, int], arch: str, l1_alignment: int,
               mm_conv: bool = False) -> tuple[str, dict[str, Usage]]:
    """``determine_conv_config_for_auto_shard``: height unless block is smaller with at least grid-x cores,
    then width if smaller still (not for matmul convs); 1-D depthwise convs stay height-sharded."""
    height = l1_usage(p, HEIGHT, cfg, grid, arch, l1_alignment, mm_conv)
    usages = {HEIGHT: height}
    if is_1d_depthwise(p):
        return HEIGHT, usages
    block = l1_usage(p, BLOCK, cfg, grid, arch, l1_alignment, mm_conv)
    width = l1_usage(p, WIDTH, cfg, grid, arch, l1_alignment, mm_conv)
    usages.update({BLOCK: block, WIDTH: width})
    win = height
    if block.total < win.total and block.core_count >= grid[0]:
        win = block
    if width.total < win.total and not mm_conv:
        win = width
    return win.layout, usages


def use_matmul_for_1x1(p: ConvParams, cfg: ConvConfig) -> bool:
    return (p.kernel == (1, 1) and p.stride[0] == p.stride[1] == 1 and p.pads == (0, 0, 0, 0)
            and p.dilation == (1, 1) and cfg.shard_layout != WIDTH)


def auto_kernel_folding(p: ConvParams, input_dram: bool, input_height_sharded: bool) -> bool:
    """``auto_enable_kernel_folding`` with ``enable_kernel_stride_folding`` unset."""
    if p.stride != p.kernel or p.stride == (1, 1) or p.dilation != (1, 1):
        return False
    if (p.in_h + p.pads[0] + p.pads[1]) % p.stride[0] or (p.in_w + p.pads[2] + p.pads[3]) % p.stride[1]:
        return False
    zero_pad = p.pads == (0, 0, 0, 0)
    return (input_dram and (p.row_major_input or zero_pad)) or input_height_sharded


def output_size(in_h: int, in_w: int, kernel: tuple[int, int], stride: tuple[int, int],
                pads: tuple[int, int, int, int], dilation: tuple[int, int]) -> tuple[int, int]:
    """``calculate_output_image_size``."""
    return ((in_h - kernel[0] - (kernel[0] - 1) * (dilation[0] - 1) + pads[0] + pads[1]) // stride[0] + 1,
            (in_w - kernel[1] - (kernel[1] - 1) * (dilation[1] - 1) + pads[2] + pads[3]) // stride[1] + 1)


# -- conv2d.cpp @645aa768 Conv2dSliceAttr, op_slicing.cpp @0205dffd: the DRAM path -------------------------------------
@dataclass(slots=True)
class Slice:
    """One output slice of the DRAM path and the conv2d_L1 it runs."""

    out_start: tuple[int, int]
    out_end: tuple[int, int]
    conv: ConvParams            # the slice's conv (its input slice, its padding)
    need: int                   # Conv2dSliceAttr::get_L1_usage
    layout: str
    input_pc: Parallel          # the sliced input's shard grid
    shard: tuple[int, int]      # its shard shape (rows, channels)


def _input_slice(p: ConvParams, cfg: ConvConfig, o0: tuple[int, int], o1: tuple[int, int]):
    """``get_input_slice_and_padding``: ((ih0, iw0), (ih1, iw1)), (top, bottom, left, right)."""
    (oh0, ow0), (oh1, ow1) = o0, o1
    (kh, kw), (sh, sw), (dh, dw) = p.kernel, p.stride, p.dilation
    ih0 = oh0 * sh - p.pads[0]
    ih1 = (oh1 - 1) * sh - p.pads[0] + (kh - 1) * (dh - 1) + kh
    iw0 = ow0 * sw - p.pads[2]
    iw1 = (ow1 - 1) * sw - p.pads[2] + (kw - 1) * (dw - 1) + kw
    top, bottom = max(0, -ih0), max(0, ih1 - p.in_h)
    left, right = max(0, -iw0), max(0, iw1 - p.in_w)
    ih0, ih1, iw0, iw1 = max(0, ih0), min(p.in_h, ih1), max(0, iw0), min(p.in_w, iw1)
    ho, wo = output_size(p.in_h, p.in_w, p.kernel, p.stride, p.pads, p.dilation)
    if oh0 == 0:
        top, ih0 = p.pads[0], 0
    if oh1 == ho:
        bottom, ih1 = p.pads[1], p.in_h
    if ow0 == 0:
        left, iw0 = p.pads[2], 0
    if ow1 == wo:
        right, iw1 = p.pads[3], p.in_w
    rounding = TILE if cfg.output_layout == "tile" else 1
    single = ih1 - ih0 == p.in_h and iw1 - iw0 == p.in_w
    if (ow1 - ow0) % rounding and not single:
        right += (rounding - (ow1 - ow0) % rounding) * sw
    return (ih0, iw0), (ih1, iw1), (top, bottom, left, right), single


def slice_usage(p: ConvParams, cfg: ConvConfig, o0: tuple[int, int], o1: tuple[int, int],
                grid: tuple[int, int], arch: str, l1_alignment: int) -> Slice:
    """``Conv2dSliceAttr::get_L1_usage`` with ``get_input_memory_config``: the slice's shard layout (auto shard
    on the slice, full padding), its input memory config, then max(halo in + halo out, CBs + output + halo)."""
    (ih0, iw0), (ih1, iw1), pads, single = _input_slice(p, cfg, o0, o1)
    in_h, in_w = ih1 - ih0, iw1 - iw0
    oh, ow = output_size(in_h, in_w, p.kernel, p.stride, pads, p.dilation)
    layout = cfg.shard_layout
    if layout is None:
        probe = replace(p, in_h=in_h, in_w=in_w, out_h=o1[0] - o0[0], out_w=o1[1] - o0[1])
        layout, _ = auto_shard(probe, cfg, grid, arch, l1_alignment)
    # determine_input_memory_config (buffer type L1 for a single slice, else DRAM: sliced_op alignment)
    align = TILE if layout == WIDTH or not (p.row_major_input or not single) else l1_alignment // 2
    pc = determine_parallel_config(layout, p.batch, p.c_in, o1[0] - o0[0], o1[1] - o0[1], p.c_out, align, grid,
                                   cfg.transpose_shards, True, 0)
    rows_unit = 1 if layout == WIDTH and p.row_major_input else TILE
    rows = round_up(p.batch * in_h * in_w, pc.nhw * rows_unit) // pc.nhw
    cols = round_up(p.c_in, pc.c * align) // pc.c
    conv = replace(p, in_h=in_h, in_w=in_w, pads=pads, out_h=oh, out_w=ow)
    u = l1_usage(conv, layout, cfg, grid, arch, l1_alignment, halo_input=(pc, rows, cols))
    need = max(u.halo_input + u.halo_output, u.total)
    return Slice(o0, o1, conv, need, layout, pc, (rows, cols))


def best_guess_slice_type(in_h: int, in_w: int, output_layout: str) -> str:
    if output_layout == "row_major":
        return "dram_height" if in_h > in_w * 3.0 else "dram_width"
    if in_w < 200 or in_h > in_w:
        return "dram_height"
    return "dram_width"


def slices_for(p: ConvParams, cfg: ConvConfig, kind: str, num: int, grid: tuple[int, int], arch: str,
               l1_alignment: int) -> list[Slice]:
    """``compute_L1_usage_for_slice_config``'s walk over the output slices (empty ones skipped)."""
    ho, wo = output_size(p.in_h, p.in_w, p.kernel, p.stride, p.pads, p.dilation)
    rounding = TILE if cfg.output_layout == "tile" and kind == "dram_width" else 1
    dim = ho if kind == "dram_height" else wo
    units = ceil_div(dim, rounding)
    base, rem = divmod(units, num)
    out: list[Slice] = []
    start = 0
    cache: dict[tuple, Slice] = {}
    for i in range(num):
        if start >= dim:
            break
        size = rounding * (base + (1 if i < rem else 0))
        end = min(dim, start + size)
        if end == start:
            continue
        o0, o1 = ((start, 0), (end, wo)) if kind == "dram_height" else ((0, start), (ho, end))
        (ih0, iw0), (ih1, iw1), pads, _ = _input_slice(p, cfg, o0, o1)
        if (kind == "dram_height" and ih0 >= ih1) or (kind == "dram_width" and iw0 >= iw1):
            continue
        key = (ih1 - ih0, iw1 - iw0, pads, o1[0] - o0[0], o1[1] - o0[1])
        if key not in cache:
            cache[key] = slice_usage(p, cfg, o0, o1, grid, arch, l1_alignment)
        sl = cache[key]
        out.append(Slice(o0, o1, sl.conv, sl.need, sl.layout, sl.input_pc, sl.shard))
        start += size
    return out


def determine_slices(p: ConvParams, cfg: ConvConfig, grid: tuple[int, int], arch: str, l1_alignment: int,
                     free_l1: int, kind: str | None = None, retry: bool = False) -> tuple[str, list[Slice]] | None:
    """``determine_slice_config``: the fewest slices whose largest L1 need fits ``free_l1``, trying the other
    slice direction once; None when no count fits (tt-metal raises)."""
    auto = kind is None
    kind = kind or best_guess_slice_type(p.in_h, p.in_w, cfg.output_layout)
    ho, wo = output_size(p.in_h, p.in_w, p.kernel, p.stride, p.pads, p.dilation)
    rounding = TILE if cfg.output_layout == "tile" and kind == "dram_width" else 1
    dim = ho if kind == "dram_height" else wo
    max_n = ceil_div(dim, rounding) if cfg.output_layout == "tile" else dim
    for n in range(1, max_n + 1):
        sl = slices_for(p, cfg, kind, n, grid, arch, l1_alignment)
        if max((x.need for x in sl), default=0) <= free_l1:
            return kind, sl
    if auto and not retry:
        other = "dram_height" if kind == "dram_width" else "dram_width"
        return determine_slices(p, cfg, grid, arch, l1_alignment, free_l1, other, True)
    return None


def slice_run(sl: Slice, cfg: ConvConfig, grid: tuple[int, int], l1_alignment: int) -> Blocking:
    """The conv2d_L1 a slice runs: its sharded input's grid, channels padded to the shard width's alignment
    (``get_input_channels_alignment`` on a sharded input), its own output size (``Conv2dSliceAttr::run_L1_op``)."""
    cols = sl.shard[1]
    a2 = 32 if cols % 32 == 0 else 16 if cols % 16 == 0 else 8 if cols % 8 == 0 else 32
    if sl.layout == WIDTH:
        a2 = TILE
    cin_p = round_up(sl.conv.c_in, sl.input_pc.c * a2)
    out_pc = determine_output_parallel_config(sl.input_pc, grid, sl.conv.c_out, cfg.transpose_shards, False)
    return get_conv_configs(sl.conv, replace(cfg, shard_layout=sl.layout), sl.input_pc, out_pc, cin_p)


# -- conv_transpose2d.cpp @00b0fa3f ConvT2DSliceAttr: the one-slice L1 check of the DRAM path ----------------------------
def convt_one_slice_need(run: ConvParams, real: ConvParams, cfg: ConvConfig, grid: tuple[int, int], arch: str,
                         l1_alignment: int) -> tuple[int, str, Parallel, tuple[int, int]]:
    """``ConvT2DSliceAttr::get_L1_usage`` for the single slice (the whole output): (need, shard layout, the
    sliced input's grid, its shard shape). ``run`` is the conv2d over the zero-dilated input, ``real`` the op.

    ``get_input_memory_config`` picks the layout with ``determine_conv_config_for_auto_shard`` on the dilated
    input size but the op's own stride and padding, and shards the input as a DRAM slice (8-channel alignment);
    the check pads C_in to 32 x channel cores for the block config and sizes the halo as a transposed halo;
    need = max(halo + output + CBs, input shard + halo)."""
    layout = cfg.shard_layout
    if layout is None:
        probe = replace(run, stride=real.stride, pads=real.pads)
        layout, _ = auto_shard(probe, cfg, grid, arch, l1_alignment)
    align = TILE if layout == WIDTH else l1_alignment // 2
    pc = determine_parallel_config(layout, real.batch, real.c_in, run.out_h, run.out_w, real.c_out, align, grid,
                                   cfg.transpose_shards, True, 0)
    rows_unit = 1 if layout == WIDTH and real.row_major_input else TILE
    rows = round_up(real.batch * real.in_h * real.in_w, pc.nhw * rows_unit) // pc.nhw
    cols = round_up(real.c_in, pc.c * align) // pc.c
    es = 4 if real.in_dtype == "f32" else 2
    input_size = rows * cols * es
    halo = halo_max_sticks(run, pc.nhw) * cols * es
    out_pc = determine_output_parallel_config(pc, grid, real.c_out, cfg.transpose_shards, False)
    padded_in = round_up(real.c_in, TILE * pc.c)
    padded_out = round_up(real.c_out, TILE * out_pc.c)
    cfg_l = replace(cfg, shard_layout=layout)
    b = get_conv_configs(run, cfg_l, pc, out_pc, padded_in)
    # calculate_L1_usage's input_channels_padded: get_input_channels_alignment(layout, conv_config.output_layout,
    # sliced = num_slices > 1 = false): 8 only for a row-major output layout (non-width)
    b.in_channels_padded = round_up(real.c_in, pc.c * (l1_alignment // 2 if cfg.output_layout == "row_major"
                                                       and layout != WIDTH else TILE))
    plan = get_cb_info(run, cfg_l, b, arch, l1_alignment, padded_in * run.kernel[0] * run.kernel[1] // TILE,
                       padded_out // TILE)
    out = plan.get("output")
    return max(halo + (out.bytes if out else 0) + plan.static_bytes, input_size + halo), layout, pc, (rows, cols)
