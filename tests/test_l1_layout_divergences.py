"""Layout-conversion CB models against tt-metal's factory source: each expected figure is worked out by
hand in the comment above it from the factory named there (tt-metal ``ttnn/cpp/ttnn/operations/...``)."""

from __future__ import annotations

import re

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.model import CB
from ttdiag.analyze.l1.work_split import split_blocks_for_tilize, split_blocks_for_tilize_rows
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"


def ctx(era: str = "2025-12", base: int | None = None):
    e = get_era(era)
    return make_context(WH, e, base or e.wh_unreserved_base)


def tiled(shape: str, memref: str, dtype: str = "bf16", elem: str = "bf16") -> str:
    dims = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {DRAM}>, <interleaved>>>")


def rm(shape: str, memref: str, dtype: str = "bf16") -> str:
    dims = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, "
            f"memref<{memref}x{dtype}, {DRAM}>, <interleaved>>>")


def op(text: str):
    return OpLineParser().parse(text, 1, "main")


def to_layout(src: str, dst: str, layout: str):
    return op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<{layout}>}}> : ({src}) -> {dst}')


# -- untilize_with_unpadding: the space check uses the input tile for the output too --------------------------
BF8_WIDE = to_layout(tiled("2040x16000", "64x500", "bfp_bf8"), rm("2040x16000", "2040x16000"), "row_major")


def test_bf8_untilize_takes_the_interleaved_factory_and_overflows_dec_2025():
    # untilize_with_unpadding.cpp ExecuteUntilizeWithUnpadding::invoke (Dec 2025 copy):
    #   input_single_tile_size = tile_size(Bfp8_b) = 1,088; output_single_tile_size = input_single_tile_size
    #   enough_space_height = is_enough_space(in, 1,088, 1,088, Wt = 16000 / 32 = 500)
    #     = max_l1_space 1,499,136 - 102,656 = 1,396,480 > (1,088 + 1,088) x 500 = 1,088,000 -> true
    # untilize_with_unpadding_device_operation.cpp select_program_factory: enough space; Wt 500 > 32 and
    #   Ht = 2048 / 32 = 64 > 32: compute_ncores(64, 64 tile rows) = 64 cores vs compute_ncores_wh(64, 32,000,
    #   500, 64): npc 500, isqrt 22 -> s = 23: ceil(500/23) x ceil(64/23) = 22 x 3 = 66 >= 64; s = 24: 21 x 3
    #   = 63 < 64 -> 63 cores; 64 < 63 is false -> MultiCoreInterleaved.
    # untilize_with_unpadding_multi_core_interleaved_program_factory.cpp: c_0 = 500 x 1,088 = 544,000 B,
    #   c_16 = 500 x tile_size(bf16 output) 2,048 = 1,024,000 B on each of the 64 cores (1 tile row each).
    # Region: 102,656 + 544,000 = 646,656 (32-aligned) + 1,024,000 = 1,670,656 B > 1,499,136 B.
    c = ctx("2025-12")
    r = analyze_op(BF8_WIDE, c)
    assert r.factory == "UntilizeWithUnpaddingMultiCoreInterleavedProgramFactory"
    assert [len(g.cores) for g in r.core_groups] == [64]
    g = r.core_groups[0]
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in g.cbs] == [(0, 500, 1088), (16, 500, 2048)]
    assert r.worst(c)[1] == 1_670_656
    assert r.first_over_limit(c) == (g, 1_670_656)
    assert not r.fits(c)


def test_bf8_untilize_after_pr_35806_same_choice_on_the_2026_base():
    # The 2026 copies of untilize.cpp read still set output_single_tile_size = input_single_tile_size, so the
    # choice is the same: 1,499,136 - 103,712 = 1,395,424 > 1,088,000 -> interleaved factory.
    # Region: 103,712 + 544,000 = 647,712 (= 20,241 x 32) + 1,024,000 = 1,671,712 B.
    c = ctx("2026-02")
    r = analyze_op(BF8_WIDE, c)
    assert r.factory == "UntilizeWithUnpaddingMultiCoreInterleavedProgramFactory"
    assert r.worst(c)[1] == 1_671_712


def test_a_bf16_untilize_of_the_same_shape_still_takes_the_block_factory():
    # bf16 input: (2,048 + 2,048) x 500 = 2,048,000 >= 1,396,480 -> not enough space -> BlockInterleaved.
    o = to_layout(tiled("2040x16000", "64x500"), rm("2040x16000", "2040x16000"), "row_major")
    assert analyze_op(o, ctx()).factory == "UntilizeWithUnpaddingMultiCoreBlockInterleavedProgramFactory"


# -- tilize / tilize_with_val_padding: c_0 holds tiles of the input dtype ------------------------------------
def test_tilize_default_sizes_c0_with_the_input_dtype():
    # tilize_multi_core_default_program_factory.cpp @050f24fa: input_single_tile_size = tile_size(a.dtype()).
    # f32 row-major [64, 1024] -> bf16 tile: ntpb = ceil(1024 / 32) = 32; nblocks = 64 tiles / 32 = 2 over
    # compute_ncores(64, 2) = 2 cores. c_0 = 32 x tile_size(Float32) 4,096 = 131,072 B;
    # c_16 = 32 x 2,048 = 65,536 B. Space check (tilize.cpp): (4,096 + 2,048) x 32 = 196,608 < 1,396,480.
    # Region: 102,656 + 131,072 + 65,536 = 299,264 B.
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<tile>, dtype = #ttcore.supportedDataTypes<bf16>}}>'
           f' : ({rm("64x1024", "64x1024", "f32")}) -> {tiled("64x1024", "2x32")}')
    c = ctx()
    r = analyze_op(o, c)
    assert r.factory == "TilizeMultiCoreDefaultProgramFactory"
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 32, 4096), (16, 32, 2048)]
    assert r.worst(c)[1] == 299_264


def test_tilize_with_val_padding_sizes_c0_with_the_input_dtype():
    # tilize_with_val_padding_multi_core_interleaved_program_factory.cpp (@05a1c9f6): c_0 = num_tiles_per_row x
    # tile_size(a.dtype()). f32 [1, 768] -> bf16 tile [32, 768] padded: Wt = 24, one tile row, one core.
    # c_0 = 24 x 4,096 = 98,304 B, c_16 = 24 x 2,048 = 49,152 B; region 102,656 + 98,304 + 49,152 = 250,112 B.
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<tile>, dtype = #ttcore.supportedDataTypes<bf16>}}>'
           f' : ({rm("1x768", "1x768", "f32")}) -> {tiled("1x768", "1x24")}')
    c = ctx()
    r = analyze_op(o, c)
    assert r.factory == "TilizeWithValPaddingMultiCoreInterleavedProgramFactory"
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 24, 4096), (16, 24, 2048)]
    assert r.worst(c)[1] == 250_112


# -- untilize default factory: row-major cores, the cliff core gets the full cores' CBs ----------------------
def test_untilize_default_fills_cores_row_major_and_the_cliff_core_gets_double_buffers():
    # untilize_multi_core_program_factory.cpp @005c3528: split_blocks_for_tilize(CoreCoord grid_size (8, 8),
    # num_tiles_per_col = 3168 / 32 = 99): npc = ceil(99 / 64) = 2, ncores = ceil(99 / 2) = 50, cliff = 99 % 2 = 1.
    # work_split_tilize.hpp CoreCoord overload: ncores_y = ceil(50 / 8) = 7, ncores_x_cliff = 50 - 6 x 8 = 2;
    # full cores (0,0)-(7,5) and (0,6) = 49 cores, cliff core (1, 6).
    # CBs are created once over all 50 cores with num_input_blocks_per_full_core = 2 > 1: c_0 = 2 x Wt =
    # 2 x 2 = 4 tiles x 2,048 = 8,192 B, c_16 the same, on the cliff core too (it untilizes one row).
    # Space: (2,048 + 2,048) x 2 < 1,396,480; Wt = 2 <= 32 (no WH split); get_pf_type: max_tiles_per_cb =
    # (749,568 - 102,656) / 4,096 = 157 >= 2 -> MultiCore (default). Region: 102,656 + 8,192 + 8,192 = 119,040 B.
    o = to_layout(tiled("3168x64", "99x2"), rm("3168x64", "3168x64"), "row_major")
    c = ctx()
    r = analyze_op(o, c)
    assert r.factory == "UntilizeMultiCoreProgramFactory"
    full, cliff = r.core_groups
    assert len(full.cores) == 49 and full.cores[:9] == [(x, 0) for x in range(8)] + [(0, 1)]
    assert full.cores[-1] == (0, 6) and cliff.cores == [(1, 6)]
    assert cliff.cbs == full.cbs == [CB(0, 4, 2048, "input tile row"), CB(16, 4, 2048, "output tile row")]
    assert r.region_ends(c) == [119_040, 119_040]


def test_the_two_split_blocks_for_tilize_overloads_differ_only_in_core_order():
    # Same counts (50 cores, 2 rows per full core, cliff 1); CoreRangeSet -> column-major core 49 = (6, 1),
    # CoreCoord -> row-major core 49 = (1, 6).
    c = ctx()
    col, row = split_blocks_for_tilize(c, 99), split_blocks_for_tilize_rows(c, 99)
    assert (col.ncores, col.per_core, col.cliff) == (row.ncores, row.per_core, row.cliff) == (50, 2, 1)
    assert col.cliff_core == [(6, 1)] and row.cliff_core == [(1, 6)]
    assert sorted(col.full + col.cliff_core) != sorted(row.full + row.cliff_core)


# -- ground truth: tt-mlir OpModel figures computed by tt-metal's own op code (corpus/memory) -----------------
def _opmodel_case(corpus, test: str) -> str:
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelInterface.cpp").read_text()
    start = text.index(f"TEST_F(OpModelBase, {test})")
    return text[start:text.index("TEST_F(", start + 10)]


def test_opmodel_to_layout_row_major_to_tile_cb_size(corpus):
    # TestOpModelInterface.cpp toLayoutOp: [64, 1024] bf16 row-major DRAM -> tile DRAM, cbSize 131,072.
    # tilize default factory: ntpb = 32, nblocks = 2: c_0 = 32 x 2,048 + c_16 = 32 x 2,048 = 131,072 B per core.
    case = _opmodel_case(corpus, "toLayoutOp")
    assert "tensorShape = {64, 1024}" in case
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    r = analyze_op(to_layout(rm("64x1024", "64x1024"), tiled("64x1024", "2x32"), "tile"), ctx())
    assert r.factory == "TilizeMultiCoreDefaultProgramFactory"
    assert max(g.static_bytes for g in r.core_groups) == expected == 131_072


def test_opmodel_transpose_cb_size(corpus):
    # TestOpModelInterface.cpp transposeOp: [64, 1024] -> [1024, 64] tiled bf16, dims 0 and 1, cbSize 8,192.
    # transpose WH factory: c_0 = 2 x 2,048 + c_16 = 2 x 2,048 = 8,192 B per core.
    case = _opmodel_case(corpus, "transposeOp")
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    o = op(f'%1 = "ttnn.transpose"(%0) <{{dim0 = 0 : si32, dim1 = 1 : si32}}> : '
           f'({tiled("64x1024", "2x32")}) -> {tiled("1024x64", "32x2")}')
    r = analyze_op(o, ctx())
    assert max(g.static_bytes for g in r.core_groups) == expected == 8_192


@pytest.mark.parametrize("era", ["2025-12", "2026-02"])
def test_era_switches_are_named_per_factory(era):
    e = get_era(era)
    # PR #35806 (tilize sub-block cap), #38579 (conv3d vol2col), #40462 (conv3d fp32 partials) and #38309
    # (matmul bias estimate) all fall in the 2026 era; the untilize space check used the input tile in both
    late = era == "2026-02"
    assert (e.tilize_block_subblock_cap, e.conv3d_vol2col_tiled_one_row, e.conv3d_fp32_partials,
            e.matmul_bias_estimate_per_core_n) == (late, late, late, late)
    assert not hasattr(e, "untilize_subblock_cap")  # one switch per factory change, no shared alias
    assert e.untilize_space_check_input_tile
