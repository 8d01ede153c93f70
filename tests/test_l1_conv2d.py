"""conv2d / conv_transpose2d CB model (ops_conv.conv2d over analyze/l1/conv2d_config): tt-metal-computed figures
from the corpus (a Blackhole graph capture, tt-mlir's OpModel interface test) and hand-computed cases from
tt-metal's conv2d_utils.cpp @71ff3c1d / conv2d_op_program_factory_common.cpp @f3c1ee7e (arithmetic in the
comments)."""

from __future__ import annotations

import json
import re

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1 import conv2d_config as cc
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
BH = get_arch("blackhole")


def _rm(shape: tuple[int, ...], mem: str) -> str:
    """A row-major 4-D tensor type in ``mem`` (dram / system_memory)."""
    n, c, h, w = shape
    inter = ", <interleaved>" if mem == "dram" else ""
    return (f"tensor<{n}x{c}x{h}x{w}xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * {c * h} + d1 * {h} + d2, d3), "
            f"<1x1>, memref<{n * c * h}x{w}xbf16, #ttnn.buffer_type<{mem}>>{inter}>>")


def _tiled(shape: tuple[int, ...], mem: str = "dram") -> str:
    n, c, h, w = shape
    return (f"tensor<{n}x{c}x{h}x{w}xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * {c * h} + d1 * {h} + d2, d3), "
            f"<1x1>, memref<{(n * c * h + 31) // 32}x{(w + 31) // 32}x!ttcore.tile<32x32, bf16>, "
            f"#ttnn.buffer_type<{mem}>>, <interleaved>>>")


def _conv(name: str, x: str, w: str, y: str, attrs: str, bias: str | None = None):
    operands = "%0, %w, %b, %d" if bias else "%0, %w, %d"
    types = f"{x}, {w}, {bias}, !ttnn.device" if bias else f"{x}, {w}, !ttnn.device"
    return OpLineParser().parse(f'%1 = "ttnn.{name}"({operands}) <{{{attrs}}}> : ({types}) -> {y}', 1, "main")


def _attrs(cin, cout, h, w, k, s, p, extra: str = "") -> str:
    return (f"batch_size = 1 : i32, in_channels = {cin} : i32, out_channels = {cout} : i32, "
            f"input_height = {h} : i32, input_width = {w} : i32, kernel_size = array<i32: {k}, {k}>, "
            f"stride = array<i32: {s}, {s}>, padding = array<i32: {p}, {p}>, dilation = array<i32: 1, 1>, "
            f"groups = 1 : i32{extra}")


def _static(r) -> list[int]:
    return [cb.bytes for cb in r.core_groups[0].cbs if not cb.globally_allocated]


def _cb(r, name: str):
    return next(cb for cb in r.core_groups[0].cbs if cb.name == name)


# -- tt-metal-computed: the Blackhole graph capture (corpus/memory/graph-capture/conv2d.json) --------------------
def _capture_conv_cbs(corpus) -> tuple[list[int], list[int]]:
    """(non-global, global) CB sizes of the Conv2dDeviceOperation program in conv2d.json."""
    nodes = json.loads((corpus / "memory" / "graph-capture" / "conv2d.json").read_text())
    inside, static, glob = False, [], []
    for n in nodes:
        name = (n.get("params") or {}).get("name")
        if n["node_type"] == "function_start" and name == "Conv2dDeviceOperation":
            inside = True
        elif n["node_type"] == "function_end" and name == "Conv2dDeviceOperation":
            break
        elif inside and n["node_type"] == "circular_buffer_allocate":
            (glob if n["params"]["globally_allocated"] == "1" else static).append(int(n["params"]["size"]))
    return static, glob


def test_graph_capture_conv2d_blackhole(corpus):
    # conv2d.json (Blackhole p150b, 11x10 workers): 1x128x128x32 -> 64, 3x3, stride 1, pad 1, bias, bf16, DRAM
    # interleaved row-major input, default Conv2dConfig. Auto shard: height (the capture's halo/conv run
    # HEIGHT_SHARDED). Cores: out_nhw = 16384 / 32 = 512 tiles; closest divisor with padding from 110:
    # round_up(512, 103) = 515, 3 < 515 / 103 = 5 -> 103 cores; shard rows = round_up(16384, 103 * 32) / 103
    # = 160 -> M = 5 tiles, N = 64 / 32 = 2 (the capture's Conv2dParallelizationConfig(.., 103, 1, 1, 5, 2)).
    # act_block_h = 5, act_block_w = round_up(32 * 3, 32) / 32 = 3 (Conv2dBlockConfig(5, 3, 1, 2)).
    # Split reader (BH cost model): unit 2 * 32 * 3 = 192 B -> act 9,120 cycles; weights 6 tiles 1,720;
    # tilize 72 * 15 = 1,080: 9,120 / 2 + 1,720 < 9,120 + 1,080 -> split 3 + 2 rows of blocks.
    # CBs: weights 2 x 3 = 6 tiles 12,288; partials 10 tiles (global); act 3 x 3 = 9 tiles 18,432;
    # act second reader 2 x 3 = 6 tiles 12,288; act tilized 15 tiles 30,720; bias 2 tiles 4,096; output 10 tiles
    # 20,480 (global); reader indices (global); L1 array 64 -> 77,888 B static (README: peak_cb 77,888 B).
    # Halo output: core 0's rows 0..159 need input sticks 0 .. (1 * 130 + 31) + (2 * 130 + 2) = 423 -> 424 x 32.
    x = _rm((1, 1, 16384, 32), "dram")
    w = _rm((64, 32, 3, 3), "system_memory")
    b = _rm((1, 1, 1, 64), "system_memory")
    y = _tiled((1, 1, 16384, 64))
    op = _conv("conv2d", x, w, y, _attrs(32, 64, 128, 128, 3, 1, 1), bias=b)
    r = analyze_op(op, make_context(BH, get_era("2026-02")))
    assert r.confidence == "read-factory"
    static, glob = _capture_conv_cbs(corpus)
    assert static == [12288, 18432, 12288, 30720, 4096, 64]
    assert _static(r) == static
    assert sum(_static(r)) == 77_888
    assert _cb(r, "output").bytes == 20_480 and _cb(r, "matmul partials").bytes == 20_480
    assert _cb(r, "act sharded (halo output)").bytes == 424 * 32 * 2 == 27_136
    assert sorted(g for g in glob if g != 20) == sorted(cb.bytes for cb in r.core_groups[0].cbs
                                                        if cb.globally_allocated and cb.name != "reader indices")
    assert len(r.core_groups[0].cores) == 110  # CBs on the bounding box {[0-0 - 10-9]}
    assert r.core_groups[0].label == "all conv2d cores (height_sharded, 103 used)"


# -- tt-metal-computed: tt-mlir OpModel interface tests (TestOpModelInterface.cpp, Conv2dInterface*) -----------
def test_opmodel_interface_conv2d_cb_size(corpus):
    # Conv2dInterface: input 1x1x50176x3 bf16 (default tiled DRAM layout), weights 64x3x7x7 in system memory,
    # 224x224, 7x7, stride 2, pad 3 -> 112 x 112; no conv2d_config, no compute config. WH 8x8.
    # Height: out_nhw = 12544 / 32 = 392 tiles; from 64: round_up(392, 64) = 448, 56 >= 7 ... 56 cores:
    # 392 = 7 x 56 -> M = 7, N = 2. Tiled input: channels aligned to 32 -> act_block_w = round_up(32 x 7, 32)
    # / 32 = 7. Split reader (WH cost model): on, 4 + 3 rows. CBs: weights 2 x 7 = 14 tiles 28,672; act
    # 4 x 7 = 28 tiles 57,344; second reader 3 x 7 = 21 tiles 43,008; tilized 49 tiles 100,352; L1 array 64
    # -> 229,440 B; output 7 x 2 = 14 tiles = 28,672 B per core (Conv2dInterfaceNullOutput's outputSize).
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelInterface.cpp").read_text()
    block = text[text.index("TEST_F(OpModelBase, Conv2dInterface)"):]
    expected_cb = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", block).group(1))
    null_block = text[text.index("TEST_F(OpModelBase, Conv2dInterfaceNullOutput)"):]
    expected_out = int(re.search(r"EXPECT_EQ\(outputSize, (\d+)\)", null_block).group(1))
    x = _tiled((1, 1, 50176, 3))
    w = _rm((64, 3, 7, 7), "system_memory")
    y = _tiled((1, 1, 12544, 64))
    op = _conv("conv2d", x, w, y, _attrs(3, 64, 224, 224, 7, 2, 3))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert expected_cb == 229_440 and expected_out == 28_672
    assert _static(r) == [28_672, 57_344, 43_008, 100_352, 64]
    assert sum(_static(r)) == expected_cb
    assert _cb(r, "output").bytes == expected_out
    assert r.confidence == "read-factory"


# -- hand-computed ----------------------------------------------------------------------------------------------
def test_height_sharded_l1_full_single_act_block():
    # WH 8x8; 1x32x32x64 -> 64, 3x3, pad 1, bias, tiled L1 input, conv2d_slice_config l1_full (L1 path).
    # out 1024 px = 32 tiles -> 32 cores (round_up(32, 32) - 32 = 0 < 1), M = 1, N = 2; act_block_w =
    # round_up(64 x 3, 32) / 32 = 6; act_block_h = 1 (no split reader: needs more than one tile row).
    # CBs: weights 2 x 6 = 12 tiles 24,576 (one act block: not x kH); act 6 tiles 12,288; tilized 6 tiles
    # 12,288; bias 2 tiles 4,096; L1 array 64 -> 53,312 B.
    x = _tiled((1, 1, 1024, 64), "l1")
    op = _conv("conv2d", x, _tiled((64, 64, 3, 3), "l1"), _tiled((1, 1, 1024, 64), "l1"),
               _attrs(64, 64, 32, 32, 3, 1, 1, ", conv2d_slice_config = #ttnn.conv2d_slice_config<l1_full, 0>"),
               bias=_tiled((1, 1, 1, 64), "l1"))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert _static(r) == [24_576, 12_288, 12_288, 4_096, 64]
    assert r.confidence == "read-factory"
    assert len(r.core_groups[0].cores) == 32


def test_block_sharded_config_overlaps_im2col():
    # WH; 1x64x64x256 -> 256, 3x3, pad 1, tiled DRAM input, conv2d_config shard_layout = block_sharded.
    # nhw cores: 128 tiles over 8 rows -> 8; channel cores: ceil(256 / 32) = 8 blocks over 8 columns -> 8.
    # Output shard 4096 / 8 = 512 rows -> M = 16, N = 256 / 8 / 32 = 1; act_block_h = 16; act_block_w =
    # round_up(256 / 8 x 3, 32) / 32 = 3. Block sharding: split reader always viable -> 8 + 8 rows; ACT holds
    # both halves: (8 + 8) x 3 = 48 output tiles 98,304; bf16 in and out -> second reader and row-major CBs
    # overlap ACT (0 pages). Weights 1 x 3 = 3 tiles 6,144; tilized 48 tiles 98,304; L1 array 64
    # -> 202,816 B; cores = the 8 x 8 input/output rectangle.
    x = _tiled((1, 1, 4096, 256))
    cfg = ", conv2d_config = #ttnn.conv2d_config<weights_dtype = bf16, shard_layout = block_sharded>"
    op = _conv("conv2d", x, _rm((256, 256, 3, 3), "system_memory"), _tiled((1, 1, 4096, 256)),
               _attrs(256, 256, 64, 64, 3, 1, 1, cfg))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert _static(r) == [6_144, 98_304, 98_304, 64]
    assert r.confidence == "read-factory"
    assert len(r.core_groups[0].cores) == 64


def test_width_sharded_config():
    # WH; 1x16x16x256 -> 128, 3x3, pad 1, tiled DRAM input, conv2d_config shard_layout = width_sharded.
    # Input channel cores: ceil(256 / 32) = 8 tiles -> 8 cores; output: ceil(128 / 32) = 4 tiles -> 4 cores.
    # C_in padded round_up(256, 8 x 32) = 256; output rows 256 on one nhw core -> M = 8; N = 128 / 4 / 32 = 1;
    # act_block_h = 8, act_block_w = 256 x 9 / 8 / 32 = 9 tiles. No split reader (width), skip_act_cb_create =
    # (8 channel cores in) false. CBs (get_cb_info @f3c1ee7e, width factory @9568a92c): weights 1 x 9 tiles
    # 18,432; act 8 x 9 = 72 output tiles 147,456; tilized 72 tiles 147,456; row-major act 2 x 9 = 18 tiles
    # 36,864; L1 array 64 -> 350,272 B on the 8 x 1 box of the larger (input) grid.
    x = _tiled((1, 1, 256, 256))
    cfg = ", conv2d_config = #ttnn.conv2d_config<weights_dtype = bf16, shard_layout = width_sharded>"
    op = _conv("conv2d", x, _rm((128, 256, 3, 3), "system_memory"), _tiled((1, 1, 256, 128)),
               _attrs(256, 128, 16, 16, 3, 1, 1, cfg))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert _static(r) == [18_432, 147_456, 147_456, 36_864, 64]
    assert r.confidence == "read-factory"
    assert len(r.core_groups[0].cores) == 8


def test_conv_transpose2d_runs_conv2d_on_dilated_input():
    # WH; conv_transpose2d 1x8x8x64 -> 32, 4x4, stride 2, pad 1: Ho = 7 x 2 - 2 + 3 + 1 = 16; the conv2d runs
    # over the zero-dilated 19 x 19 input (16 + 3), stride 1, no padding. Height (conv2d_config): 256 px =
    # 8 tiles -> 8 cores, M = 1, N = 1; act_block_w = round_up(64 x 4, 32) / 32 = 8. CBs: weights 8 tiles
    # 16,384; act 8 tiles 16,384; tilized 8 tiles 16,384; L1 array 64 -> 49,216 B.
    # Halo: Wp = 19, core 0 rows 0..31 end at (19 + 15) + (3 x 19 + 3) = 94 -> 95 sticks of 64 channels.
    # An L1 input runs conv_transpose2d_L1; a DRAM one goes through ConvT2DSliceAttr, whose one-slice check fits
    # easily here (then L1_FULL: conv_transpose2d_L1 on the input sharded as that slice, 64 channels -> the same CBs).
    cfg = (", output_padding = array<i32: 0, 0>, conv2d_config = #ttnn.conv2d_config<weights_dtype = bf16, "
           "shard_layout = height_sharded>")
    for mem in ("l1", "dram"):
        op = _conv("conv_transpose2d", _tiled((1, 1, 64, 64), mem), _rm((64, 32, 4, 4), "system_memory"),
                   _tiled((1, 1, 256, 32)), _attrs(64, 32, 8, 8, 4, 2, 1, cfg))
        r = analyze_op(op, make_context(WH, get_era("2026-02")))
        assert _static(r) == [16_384, 16_384, 16_384, 64]
        assert _cb(r, "act sharded (halo output)").pages == 95
        assert r.confidence == "read-factory"
        assert (mem == "dram") == any("one slice" in line for line in r.formula)


def test_dram_input_too_big_for_one_slice_is_sliced_by_width():
    # WH, free L1 = 1,499,136 - 102,656 - 65,536 (L1_SMALL) = 1,330,944 B. 1x512x512x32 -> 32, 3x3, pad 1, row-major
    # DRAM input, height_sharded by the config. best_guess_slice_type: tiled output, W 512 >= 200, H <= W -> width.
    # One slice: 8192 tiles over 64 cores -> M = 128, act_block_w = 3; split reader: static 3 x 2,048 +
    # 192 x 2,048 x 2 + 384 x 2,048 + 64 = 1,579,072 B > free L1. Two slices of 256 output columns (a multiple of
    # 32): slice 0 reads input columns 0..256 (257) with padding (1, 1, 1, 0). Its conv: 512 x 256 = 4096 tiles
    # -> 64 cores, 2048 rows, M = 64, N = 1, act block 64 x 3. Split reader (WH cost model): act 393,216 B at
    # 5.58 GB/s = 70,506 cycles, weights 2,527, tilize 61 x 192 = 11,712: 35,253 + 11,712 < 82,218 -> on.
    # CBs: weights 3 tiles 6,144; act 32 x 3 = 96 tiles 196,608; second reader 96 tiles 196,608; tilized 192 tiles
    # 393,216; L1 array 64 -> 792,640 B. Its need: 792,640 + output 64 x 2,048 + halo (7 x 258 + 255 + 2 x 258 + 2
    # + 1 = 2,580 sticks x 32 x 2 = 165,120) = 1,088,832 B <= free L1.
    cfg = ", conv2d_config = #ttnn.conv2d_config<weights_dtype = bf16, shard_layout = height_sharded>"
    op = _conv("conv2d", _rm((1, 1, 512 * 512, 32), "dram"), _rm((32, 32, 3, 3), "system_memory"),
               _tiled((1, 1, 512 * 512, 32)), _attrs(32, 32, 512, 512, 3, 1, 1, cfg))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert r.confidence == "read-factory"
    assert _static(r) == [6_144, 196_608, 196_608, 393_216, 64]
    assert _cb(r, "act sharded (halo output)").pages == 2_580
    assert any("2 slices" in line and "1,088,832 B of 1,330,944 B" in line for line in r.formula)


def test_one_by_one_conv_runs_as_matmul():
    # use_matmul_for_1x1_conv: 1x1, stride 1, no padding -> ttnn::linear, not the conv2d factory.
    x = _tiled((1, 1, 1024, 64))
    op = _conv("conv2d", x, _rm((64, 64, 1, 1), "system_memory"), _tiled((1, 1, 1024, 64)),
               _attrs(64, 64, 32, 32, 1, 1, 0))
    r = analyze_op(op, make_context(WH, get_era("2026-02")))
    assert r.confidence == "estimate"
    assert "matmul" in r.formula[0]


def test_dec_2025_split_reader_is_an_estimate():
    # Same conv as the interface test: act_block_h = 7 > 1, height-sharded; the Dec-2025 split rule was not read.
    x = _tiled((1, 1, 50176, 3))
    op = _conv("conv2d", x, _rm((64, 3, 7, 7), "system_memory"), _tiled((1, 1, 12544, 64)),
               _attrs(3, 64, 224, 224, 7, 2, 3))
    r = analyze_op(op, make_context(WH, get_era("2025-12")))
    assert r.confidence == "estimate"
    assert any("split reader" in line for line in r.formula)


def test_divisor_helpers():
    # find_closest_largest_divisor_with_num_padding_and_mult(512, 110, 1): 110 .. 104 leave >= 1 core idle;
    # 103: round_up(512, 103) = 515, 3 < 5 -> 103.
    assert cc.closest_divisor_with_padding_and_mult(512, 110, 1) == 103
    # find_closest_largest_divisor_with_num_padding(392, 64): 56 -> 392 = 7 x 56, no padding.
    assert cc.closest_divisor_with_padding_and_mult(392, 64, 1) == 56
    assert cc.closest_divisor(12, 8) == 6
