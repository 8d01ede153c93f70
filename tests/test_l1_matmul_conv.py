"""Matmul and convolution CB models (issue 13): every expected figure is derived by hand from the tt-metal
factory source named in the comment, or read from tt-metal's own numbers (tt-mlir OpModel tests in
shared/corpus/memory); none is computed with ttdiag's code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_matmul import matmul_shape
from ttdiag.analyze.l1.tensors import operand
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
MEMORY = Path("/work/shared/corpus/memory/graph-capture")
DEC, FEB = "2025-12", "2026-02"


def ctx(era: str = DEC, base: int | None = None):
    return make_context(WH, get_era(era), base or {DEC: 102_656, FEB: 103_712}[era])


def tile(shape: str, dtype: str = "bf16", mem: str = "dram", layout: str = "interleaved") -> str:
    dims = [int(d) for d in shape.split("x")]
    rank = len(dims)
    rows = -(-dims[-2] // 32) if rank > 1 else 1
    for d in dims[:-2]:
        rows *= d
    memref = f"{rows}x{-(-dims[-1] // 32)}"
    names = ", ".join(f"d{i}" for i in range(rank))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, #ttnn.buffer_type<{mem}>>, <{layout}>>>")


def rm(shape: str, dtype: str = "bf16", mem: str = "dram") -> str:
    dims = shape.split("x")
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<1x{dims[-1]}x{dtype}, #ttnn.buffer_type<{mem}>>, <interleaved>>>")


def op(text: str):
    return OpLineParser().parse(text, 1, "main")


def matmul(a: str, b: str, out: str, attrs: str = "", name: str = "matmul", bias: str | None = None):
    operands = "%0, %1, %2" if bias else "%0, %1"
    types = f"{a}, {b}, {bias}" if bias else f"{a}, {b}"
    return op(f'%3 = "ttnn.{name}"({operands}) <{{{attrs}}}> : ({types}) -> {out}')


def cbs(r):
    return [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs if not cb.globally_allocated]


# -- matmul: create_simple_matmul_program_config -----------------------------------------------------------------

def test_all_dram_interleaved_uses_the_grid_recipe():
    # create_simple_matmul_program_config (Dec-2025 copy): 2048^3 bf16, A, B and output DRAM-interleaved, 8x8 grid.
    # Mt = Nt = Kt = 64. get_per_core_factor(in0_block_w 2): 16 -> 16*2*2*2048 (A) + 16*2*2*2048 (B)
    # + 256*2048 (out, A's tile) + 256*2048 (interm) = 1,310,720 < 1,396,480 B, so 16; 4 x 4 blocks.
    # All DRAM-interleaved -> 2-D with in0_block_w = Kt / 8 = 8, per_core_M = per_core_N = ceil(64 / 8) = 8;
    # get_multi_dim_per_core_factor(8, 8, 8): 8*8*2*2048 * 2 + 64*2048 * 2 = 786,432 fits, kept.
    # 2-D factory: 64 / 8 = 8 K blocks -> double buffers: c_0 = 8*8*2 = 128 tiles, c_1 = 128, c_4 = 64 tiles.
    # 256 * 2,048 = 524,288 + 131,072 = 655,360 B on 8 x 8 cores (= tt-mlir OpModel MatmulInterleavedTests).
    r = analyze_op(matmul(tile("2048x2048"), tile("2048x2048"), tile("2048x2048")), ctx())
    assert r.factory == "MatmulMultiCoreReuseMultiCast (2D)" and r.confidence == "read-factory"
    assert cbs(r) == [(0, 128, 2048), (1, 128, 2048), (4, 64, 2048)]
    assert r.core_groups[0].static_bytes == 655_360 and len(r.core_groups[0].cores) == 64


def test_an_l1_output_keeps_the_per_core_factor():
    # Same product, output L1-interleaved: not all DRAM, so the 2-D config keeps per_core = out_block =
    # get_per_core_factor = 16 and in0_block_w = 2 (Kt even). Blocks: 64 / 16 = 4 x 4 -> 16 cores.
    # c_0 = 16*2*2 = 64 tiles = 131,072 B, c_1 = 131,072 B, c_4 = 16*16 = 256 tiles = 524,288 B: 786,432 B
    # (tt-mlir OpModel: 786432; tt-metal graph capture matmul_l1_out.json: the same three CB sizes on 2 x 2).
    r = analyze_op(matmul(tile("2048x2048"), tile("2048x2048"), tile("2048x2048", mem="l1")), ctx())
    assert cbs(r) == [(0, 64, 2048), (1, 64, 2048), (4, 256, 2048)]
    assert r.core_groups[0].static_bytes == 786_432 and len(r.core_groups[0].cores) == 16


def test_one_block_off_dram_is_the_multicore_factory():
    # L1-interleaved [64, 128] @ [128, 256]: Mt 2, Kt 4, Nt 8; per_core_factor 16 -> 1 x 1 block, so the
    # block grid is (0, 0); not all DRAM (no forced 2-D), not narrow (256 / 64 = 4) ->
    # MatmulMultiCoreProgramConfig. Its factory: split_work_to_cores(8x8, B*Mt*Nt = 16 tiles) -> 16 cores,
    # c_0 = 2 A tiles, c_1 = 2 B tiles, c_16 = 2 output tiles = 3 * 4,096 = 12,288 B each.
    r = analyze_op(matmul(tile("64x128", mem="l1"), tile("128x256", mem="l1"), tile("64x256", mem="l1")), ctx())
    assert r.factory == "MatmulMultiCore (no mcast)" and r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 2048), (1, 2, 2048), (16, 2, 2048)]
    assert sum(len(g.cores) for g in r.core_groups) == 16


def test_the_bias_term_of_the_config_estimate_follows_the_era():
    # linear [1024, 512] @ [512, 1024] + bias [1, 1024] bf16, all L1-interleaved, L1 base 169,136 so
    # get_max_l1_space = 1,499,136 - 169,136 = 1,330,000 B. Mt = Nt = 32, Kt = 16.
    # get_estimated_size_of_cbs(16, 16, 2) without bias = 1,310,720 B (see above).
    # Dec 2025 (bias = in0_block_w * T_bias): + 2 * 2,048 = 1,314,816 < 1,330,000 -> factor 16, 2 x 2 blocks:
    #   c_0 = 16*2*2 = 64 tiles, c_1 = 64, c_4 = 256 tiles on 4 cores.
    # After tt-metal PR #38309 (bias = per_core_N * T_bias): + 16 * 2,048 = 1,343,488 >= 1,330,000; 8 gives
    #   8*2*2*2048*2 + 64*2048*2 + 8*2048 = 409,600 -> factor 8, 4 x 4 blocks: c_0 = 32, c_1 = 32, c_4 = 64 tiles.
    # The output is in L1, so get_post_process_bias adds the bias after the matmul: no c_3 in either era.
    o = matmul(tile("1024x512", mem="l1"), tile("512x1024", mem="l1"), tile("1024x1024", mem="l1"),
               name="linear", bias=tile("1x1024", mem="l1"))
    dec, feb = analyze_op(o, ctx(DEC, 169_136)), analyze_op(o, ctx(FEB, 169_136))
    assert cbs(dec) == [(0, 64, 2048), (1, 64, 2048), (4, 256, 2048)] and len(dec.core_groups[0].cores) == 4
    assert cbs(feb) == [(0, 32, 2048), (1, 32, 2048), (4, 64, 2048)] and len(feb.core_groups[0].cores) == 16


def test_a_fused_bias_cb_holds_bias_dtype_tiles():
    # linear [256, 256] @ [256, 256] + bias [1, 256] bfp_bf8, all DRAM-interleaved: Mt = Nt = Kt = 8, factor 16,
    # one block -> block grid (0, 0) but all DRAM-interleaved forces 2-D: in0_block_w = 8 / 8 = 1,
    # per_core_M = per_core_N = ceil(8 / 8) = 1. 8 K blocks -> c_0 = 1*1*2 = 2 tiles, c_1 = 2, c_4 = 1.
    # The bias is fused (padded [32, 256], output DRAM, all DRAM-interleaved): c_3 = out_block_w = 1 tile of
    # bfp_bf8 = 1,024 + 64 = 1,088 B (2-D factory: in3_CB_size = out_block_w * bias_single_tile_size).
    # Region: 102,656 + 4,096 + 4,096 + 2,048 + 1,088 = 113,984 B; 8 x 8 blocks of one tile -> 64 cores.
    o = matmul(tile("256x256"), tile("256x256"), tile("256x256"), name="linear", bias=tile("1x256", "bfp_bf8"))
    r = analyze_op(o, ctx())
    assert cbs(r) == [(0, 2, 2048), (1, 2, 2048), (4, 1, 2048), (3, 1, 1088)]
    assert r.worst(ctx())[1] == 113_984 and len(r.core_groups[0].cores) == 64


def test_transposed_operands_swap_their_last_two_dims():
    # get_matmul_tensor_padded_shape: transpose_b reads B [768, 512] as [512, 768] -> N = 768, 24 tiles.
    o = matmul(tile("32x512", mem="l1"), tile("768x512", mem="l1"), tile("32x768", mem="l1"),
               attrs="transpose_a = false, transpose_b = true")
    s = matmul_shape(operand(o, 0), operand(o, 1), False, True)
    assert (s.mt, s.kt, s.nt) == (1, 16, 24)


_TESTS = {"interleaved2048X2048Dram": "dram", "inerleaved2048X2048L1": "l1"}


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
def test_matmul_cb_totals_match_tt_mlir_op_model():
    # tt-mlir @78b9ce3d (2025-11-27) TestOpModelLib.cpp, MatmulInterleavedTests: cbSize per core computed by
    # tt-metal's own op code for 2048x2048 bf16 A, B, output in each DRAM / L1 combination on an 8x8 grid.
    text = (MEMORY / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("MatmulInterleavedTests"):text.index("MatmulShardedTests")]
    cases = re.findall(r"detail::(\w+),\s*detail::(\w+),\s*detail::(\w+),\s*llvm::SmallVector<int64_t>\{8, 8\},\s*"
                       r"detail::ExpectedResult\{true, (\d+)", block)
    assert len(cases) == 8
    for a, b, out, cb in cases:
        r = analyze_op(matmul(tile("2048x2048", mem=_TESTS[a]), tile("2048x2048", mem=_TESTS[b]),
                              tile("2048x2048", mem=_TESTS[out])), ctx())
        assert r.core_groups[0].static_bytes == int(cb), (a, b, out)
    # TestOpModelInterface.cpp MatmulOpInterface: A [2048, 1024] @ B [1024, 2048], L1-interleaved -> 786432
    assert "EXPECT_EQ(cbSize, 786432);" in (MEMORY / "tt-mlir_TestOpModelInterface.cpp").read_text()
    r = analyze_op(matmul(tile("2048x1024", mem="l1"), tile("1024x2048", mem="l1"), tile("2048x2048", mem="l1")),
                   ctx())
    assert r.core_groups[0].static_bytes == 786_432


# -- conv3d --------------------------------------------------------------------------------------------------------

def conv3d(c_in: int, block: tuple[int, int, int], c_in_block: int, extra: str = "", kernel: str = "3, 3, 3"):
    tb, hb, wb = block
    cfg = (f"#ttnn.conv3d_config<t_out_block = {tb}, h_out_block = {hb}, w_out_block = {wb}, c_out_block = 32, "
           f"c_in_block = {c_in_block}, compute_with_storage_grid_size = #ttcore.grid<8x8>>")
    return op(f'%2 = "ttnn.conv3d"(%0, %1, %d) <{{batch_size = 1 : i32, conv3d_config = {cfg}, in_channels = '
              f'{c_in} : i32, out_channels = 32 : i32, kernel_size = array<i32: {kernel}>, {extra}groups = 1 : i32}}>'
              f' : ({rm(f"1x8x28x28x{c_in}")}, {tile(f"{27 * c_in}x32")}, !ttnn.device) -> {rm("1x6x26x26x32")}')


def test_conv3d_dec_2025_vol2col_holds_every_patch():
    # conv3d_program_factory.cpp before PR #38579 (library id 565601345): C_in 32 = C_in_block, 3x3x3, blocks
    # 2 x 4 x 12 = 96 patches; patch = 27 * 32 = 864 (27 tiles), row = 864 * 2 = 1,728 B; M_t = 3, N_t = 1.
    # vol2col_rm = num_patches = 96 rows (165,888 B); vol2col_tiled = M_t*K_t = 81 tiles; weights K_t*N_t = 27;
    # interm and result M_t*N_t = 3 each. One C_in block, no bias.
    # Static: 165,888 + (81 + 27 + 3 + 3) * 2,048 = 165,888 + 233,472 = 399,360 B.
    r = analyze_op(conv3d(32, (2, 4, 12), 32), ctx(DEC))
    assert cbs(r) == [(0, 96, 1728), (1, 81, 2048), (2, 27, 2048), (3, 3, 2048), (4, 3, 2048)]
    assert r.core_groups[0].static_bytes == 399_360 and r.confidence == "read-factory"


def test_conv3d_2026_adds_the_l1_prefetch_shard_when_it_fits():
    # @015c7ffa: vol2col_rm = min(96, 64) = 64 rows (110,592 B); vol2col_tiled = K_t = 27; weights 27;
    # interm 3; result 3 -> other CBs 110,592 + 60 * 2,048 = 233,472 B. Prefetch (kernel > 1x1x1, no dilation):
    # ((2-1)*1+3) * ((4-1)*1+3) * ((12-1)*1+3) = 4 * 6 * 14 = 336 positions of 32 * 2 = 64 B = 21,504 B.
    # Limit: max_worker_l1_unreserved (1,499,136 - 103,712 + 69 KiB = 1,466,080) - 200 KiB = 1,261,280,
    # minus 233,472 = 1,027,808, capped at 500 KiB = 512,000 -> 21,504 fits: CB c_5 of 336 x 64 B.
    r = analyze_op(conv3d(32, (2, 4, 12), 32), ctx(FEB))
    assert cbs(r) == [(0, 64, 1728), (1, 27, 2048), (2, 27, 2048), (3, 3, 2048), (4, 3, 2048), (5, 336, 64)]
    assert r.core_groups[0].static_bytes == 254_976


def test_conv3d_1x1x1_kernel_has_no_prefetch_shard():
    # @015c7ffa: the prefetch needs kT, kH or kW > 1. 1x1x1, C_in 32, blocks 1x1x1: patch 32 (1 tile),
    # vol2col_rm = 1 row of 64 B, vol2col_tiled 1, weights 1, interm 1, result 1 -> no c_5.
    r = analyze_op(conv3d(32, (1, 1, 1), 32, kernel="1, 1, 1"), ctx(FEB))
    assert cbs(r) == [(0, 1, 64), (1, 1, 2048), (2, 1, 2048), (3, 1, 2048), (4, 1, 2048)]


def test_conv3d_fp32_partials_with_two_c_in_blocks():
    # C_in 64 in two blocks of 32, fp32_dest_acc_en (PR #40462, @015c7ffa): interm and reduction M_t*N_t = 3
    # tiles of fp32 (4,096 B); a zero tile (input tile, 2,048 B) before the reduction; ack 1 tile.
    # Order: vol2col_rm 64 x 1,728, vol2col_tiled 27, weights 27, interm 3 x 4,096, result 3, zero 1,
    # reduction 3 x 4,096, ack 1, then the prefetch shard (336 x 64 B, well under its limit).
    cc = "compute_config = #ttnn.device_compute_kernel_config<fp32_dest_acc_en = true>, "
    r = analyze_op(conv3d(64, (2, 4, 12), 32, extra=cc), ctx(FEB))
    assert cbs(r) == [(0, 64, 1728), (1, 27, 2048), (2, 27, 2048), (3, 3, 4096), (4, 3, 2048), (5, 1, 2048),
                      (6, 3, 4096), (7, 1, 2048), (8, 336, 64)]
    # Dec 2025: no fp32 partials, no zero tile: interm, reduction in bf16 tiles, no prefetch.
    old = analyze_op(conv3d(64, (2, 4, 12), 32, extra=cc), ctx(DEC))
    assert cbs(old) == [(0, 96, 1728), (1, 81, 2048), (2, 27, 2048), (3, 3, 2048), (4, 3, 2048), (5, 3, 2048),
                        (6, 1, 2048)]


# -- conv2d --------------------------------------------------------------------------------------------------------

def conv2d(h: int, config: str = "", compute: str = "", bias: bool = True, l1_full: bool = False):
    cfg = f"conv2d_config = #ttnn.conv2d_config<{config}>, " if config else ""
    if l1_full:  # conv2d_slice_config L1_FULL: the conv2d_L1 path even for a DRAM input (output layout kept)
        cfg += "conv2d_slice_config = #ttnn.conv2d_slice_config<l1_full, 0>, "
    cc = f"compute_config = #ttnn.device_compute_kernel_config<{compute}>, " if compute else ""
    ho = h - 2
    operands, types = ("%0, %1, %2, %d", f"{rm(f'1x1x{h * h}x64')}, {rm('64x64x3x3')}, {rm('1x1x1x64')}") if bias \
        else ("%0, %1, %d", f"{rm(f'1x1x{h * h}x64')}, {rm('64x64x3x3')}")
    return op(f'%3 = "ttnn.conv2d"({operands}) <{{batch_size = 1 : i32, {cfg}{cc}in_channels = 64 : i32, '
              f'out_channels = 64 : i32, input_height = {h} : i32, input_width = {h} : i32, kernel_size = '
              f'array<i32: 3, 3>, stride = array<i32: 1, 1>, padding = array<i32: 0, 0>, dilation = array<i32: 1, 1>,'
              f' groups = 1 : i32}}> : ({types}, !ttnn.device) -> {tile(f"1x1x{ho * ho}x64")}')


def test_conv2d_partials_live_in_the_output_buffer():
    # get_cb_info (@f3c1ee7e) after get_conv_configs (conv2d_utils.cpp @71ff3c1d), height-sharded by the config:
    # 32x32 input, 3x3, 64 -> 64, bias; Ho = Wo = 30 -> 900 pixels -> ceil(900/32) = 29 tile rows; cores =
    # closest divisor with padding from 64: 64 .. 30 leave a core idle, 29 -> 29 cores, shard rows =
    # round_up(900, 29 * 32) / 29 = 32 -> pM = 1, pN = 2; abh = 1; abw = round_up(64 * 3, 32) / 32 = 6.
    # WEIGHTS pN*abw = 12 tiles (one activation block: no x kH); MATMUL_PARTIALS pM*pN = 2 tiles, partials dtype
    # = output dtype (bf16; no packer_l1_acc) and a tiled output -> globally allocated; ACT 6; ACT_TILIZED 6;
    # BIAS pN = 2 weights tiles; OUT global; READER_INDICES global (config tensors not in DRAM); L1_ARRAY 64 B.
    # Static: (12 + 6 + 6 + 2) * 2,048 + 64 = 53,312 B.
    hs = "shard_layout = height_sharded"
    r = analyze_op(conv2d(32, hs), ctx())
    by = {cb.name: cb for cb in r.core_groups[0].cbs}
    assert by["matmul partials"].globally_allocated and by["matmul partials"].pages == 2
    assert r.core_groups[0].static_bytes == 53_312
    # output_layout = row_major (untilize_out) on the L1 path: the partials are static again, + 2 * 2,048 B.
    # (On the DRAM path Conv2dSliceAttr::run_L1_op forces a tiled conv output: unchanged.)
    assert analyze_op(conv2d(32, f"{hs}, output_layout = row_major", l1_full=True),
                      ctx()).core_groups[0].static_bytes == 57_408
    assert analyze_op(conv2d(32, f"{hs}, output_layout = row_major"), ctx()).core_groups[0].static_bytes == 53_312
    # packer_l1_acc with bias and K in kH = 3 blocks (> 1): determine_packer_l1_acc is true; fp32 accumulation
    # -> FLOAT32 partials != bf16 output: static 2 x 4,096 B.
    r = analyze_op(conv2d(32, hs, compute="fp32_dest_acc_en = true, packer_l1_acc = true"), ctx())
    assert [(cb.pages, cb.page_bytes, cb.globally_allocated) for cb in r.core_groups[0].cbs
            if cb.name == "matmul partials"] == [(2, 4096, False)]


def test_conv2d_weights_are_fully_buffered_with_several_activation_blocks():
    # 64x64 input -> 62 x 62 = 3,844 pixels -> 121 tile rows; height-sharded: 64 .. 62 cores leave more than one
    # core of padding, 61: round_up(121, 61) = 122, 1 < 2 -> 61 cores, rows round_up(3844, 61 * 32) / 61 = 64
    # -> pM = 2. act_block_h_override = 32 -> abh = 1 tile -> 2 activation blocks; no activation reuse:
    # WEIGHTS = pN * abw * kH = 2 * 6 * 3 = 36 tiles. Without the override abh = pM = 2: one block, 12 tiles;
    # with enable_weights_double_buffer (one block) 24 tiles.
    def weights(config: str) -> int:
        r = analyze_op(conv2d(64, f"shard_layout = height_sharded, {config}", bias=False), ctx())
        return next(cb.pages for cb in r.core_groups[0].cbs if cb.name == "weights")

    assert weights("act_block_h_override = 32") == 36
    assert weights("act_block_h_override = 0") == 12
    assert weights("enable_weights_double_buffer = true") == 24


def test_conv2d_without_a_bias_operand_has_no_bias_cb():
    # (input, weight, device): the third operand is the device, not a bias.
    r = analyze_op(conv2d(32, bias=False), ctx())
    assert "bias" not in {cb.name for cb in r.core_groups[0].cbs}


def test_conv_transpose2d_output_size_is_the_transposed_one():
    # torch / tt-metal ConvTranspose2d: Ho = (H - 1) * s - (top + bottom) + d * (k - 1) + output_padding + 1
    # = (8 - 1) * 2 - 2 + 3 + 1 + 1 = 17 for H = 8, k = 4, s = 2, padding 1, output_padding 1.
    from ttdiag.ir.ttnn import ConvTranspose2d, decode

    o = op(f'%2 = "ttnn.conv_transpose2d"(%0, %1, %d) <{{batch_size = 1 : i32, in_channels = 64 : i32, '
           f'out_channels = 32 : i32, input_height = 8 : i32, input_width = 8 : i32, kernel_size = array<i32: 4, 4>, '
           f'stride = array<i32: 2, 2>, padding = array<i32: 1, 1>, output_padding = array<i32: 1, 1>, '
           f'dilation = array<i32: 1, 1>, groups = 1 : i32}}> : ({rm("1x1x64x64")}, {rm("64x32x4x4")}, '
           f'!ttnn.device) -> {tile("1x1x289x32")}')
    c = decode(o)
    assert isinstance(c, ConvTranspose2d) and c.output_hw() == (17, 17) and c.verify() == [] and not c.has_bias
