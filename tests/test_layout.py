"""Layout model: figures from ttnn-facts.md §0-§2 and hand-computed volumes."""

from __future__ import annotations

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.layout import (
    analyze_tensor,
    collapsed_row_strides,
    padded_shape,
    physical_shape,
    tile_size_bytes,
)
from ttdiag.ir.types import decode_type
from ttdiag.parse.mlir import parse_statement

WH = get_arch("wormhole_b0")


def tensor(text: str):
    """Decode a tensor type through the real grammar (as the op line parser does)."""
    raw = parse_statement(f'"test.op"() : () -> {text}')
    return decode_type(raw.type_items[2:])


# ttnn-facts.md §1.6 table (tile.cpp Tile::get_tile_size)
@pytest.mark.parametrize("h,w,dtype,expected", [
    (32, 32, "bf16", 2048), (32, 32, "f32", 4096), (32, 32, "bfp_bf8", 1088), (32, 32, "bfp_bf4", 576),
    (32, 32, "bfp_bf2", 320), (32, 32, "u8", 1024), (16, 32, "bf16", 1024), (16, 32, "bfp_bf8", 544),
    (16, 32, "bfp_bf4", 288), (16, 16, "bfp_bf8", 272), (8, 32, "bfp_bf4", 144), (4, 32, "bfp_bf8", 144),
    (4, 32, "bfp_bf4", 80), (4, 32, "bfp_bf2", 48), (1, 32, "bfp_bf8", 48), (1, 32, "bfp_bf4", 32),
    (1, 32, "bfp_bf2", 24), (1, 32, "f32", 128), (1, 32, "u8", 32),
])
def test_tile_size_bytes_matches_facts_table(h, w, dtype, expected):
    assert tile_size_bytes(h, w, dtype) == expected


def test_tile_size_unknown_dtype_raises():
    with pytest.raises(ValueError):
        tile_size_bytes(32, 32, "f8e4m3")


SEED1_IN = ("tensor<4x4884480xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
            "memref<1x152640x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
SEED2_IN = ("tensor<1x4x768x60x106xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3, d4) -> "
            "(d0 * 196608 + d1 * 49152 + d2 * 64 + d3, d4), <1x1>, "
            "memref<6144x4x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")


def test_seed1_wide_untilize_input():
    f = analyze_tensor(tensor(SEED1_IN), WH)
    assert f.logical_volume == 19_537_920
    assert f.padded_shape == (32, 4_884_480)
    assert f.physical_shape == (32, 4_884_480)
    assert f.tiles == 152_640
    assert f.bytes == 312_606_720
    # 12 DRAM banks: 12,720 tiles each
    assert f.num_banks == 12
    assert f.bytes_per_bank == 12_720 * 2048 == 26_050_560
    assert f.memref_computed == (1, 152_640) and f.memref_matches is True
    assert f.padding_ratio == pytest.approx(8.0)


def test_seed2_reshape_input_physical_shape_pads_dim_minus_2_first():
    f = analyze_tensor(tensor(SEED2_IN), WH)
    assert f.padded_shape == (1, 4, 768, 64, 128)
    assert f.physical_shape == (196_608, 128)
    assert f.physical_shape != (184_320, 128)  # seed 002's figure forgets the dim -2 padding
    assert f.physical_volume == 25_165_824
    assert f.tiles == 24_576
    assert f.logical_tiles == pytest.approx(19_080)
    assert f.bytes == 50_331_648
    assert f.row_strides == (196_608, 49_152, 64, 1, 0)
    assert f.expected_row_strides == f.row_strides
    assert f.memref_computed == (6144, 4) and f.memref_matches is True


def test_seed2_reshape_target_in_tile():
    shape = (4, 32, 24, 6360)
    assert padded_shape(shape, (32, 32)) == (4, 32, 32, 6368)
    assert physical_shape(shape, (32, 32)) == (4096, 6368)
    h, w = physical_shape(shape, (32, 32))
    assert (h // 32) * (w // 32) == 128 * 199 == 25_472


def test_row_major_has_no_padding_and_logical_memref():
    t = tensor("tensor<4x4884480xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
               "memref<4x4884480xbf16, #ttnn.buffer_type<dram>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.padded_shape == (4, 4_884_480)
    assert f.physical_shape == (4, 4_884_480)
    assert f.tiles is None
    assert f.page_bytes == 4_884_480 * 2
    assert f.bytes == 39_075_840
    # 4 row pages over 12 banks: one page per bank at most
    assert f.bytes_per_bank == 9_768_960
    assert f.memref_matches is True


def test_collapsed_row_strides_of_rm_tensor_use_logical_shape():
    assert collapsed_row_strides((1, 768, 4, 60, 106), None) == (184_320, 240, 60, 1, 0)
    assert collapsed_row_strides((1, 768, 4, 60, 106), (32, 32)) == (196_608, 256, 64, 1, 0)


def test_memref_mismatch_is_reported():
    t = tensor("tensor<32x64xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
               "memref<1x1x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.memref_computed == (1, 2)
    assert f.memref_declared == (1, 1)
    assert f.memref_matches is False


def test_block_sharded_l1_shard_per_core():
    # 8x8 grid over a [256, 512] tile tensor: shard [32, 64] = 1x2 tiles per core
    t = tensor("tensor<256x512xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, "
               "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <block_sharded>>>")
    f = analyze_tensor(t, WH)
    assert f.memref_computed == (1, 2) and f.memref_matches is True
    assert f.bytes_per_bank == 2 * 2048
    assert f.num_banks == 64


def test_l1_interleaved_memref_spreads_tiles_over_cores():
    # 128 tiles over 64 cores -> [1, 2]
    t = tensor("tensor<256x512xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, "
               "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.tiles == 128
    assert f.memref_computed == (1, 2) and f.memref_matches is True
    assert f.bytes_per_bank == 2 * 2048


def test_bfp8_tile_bytes_come_from_the_layout_element():
    t = tensor("tensor<64x64xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
               "memref<2x2x!ttcore.tile<32x32, bfp_bf8>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.dtype == "bfp_bf8"
    assert f.bytes == 4 * 1088


def test_blackhole_dram_alignment_rounds_pages():
    bh = get_arch("blackhole")
    t = tensor("tensor<1x33xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
               "memref<1x33xbf16, #ttnn.buffer_type<dram>>, <interleaved>>>")
    f = analyze_tensor(t, bh)
    assert f.page_bytes == 66
    assert f.bytes_per_bank == 128  # 66 B rounded up to BH's 64 B DRAM alignment


def test_legacy_collapse_then_tile_memref_is_explained():
    # older tt-mlir printed memref<29x2> for [1,30,30,64]: 900 collapsed rows / 32; tt-metal allocates 30x32 rows
    t = tensor("tensor<1x30x30x64xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 900 + d1 * 30 + d2, d3), <1x1>, "
               "memref<29x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.memref_computed == (30, 2) and f.memref_matches is False
    assert "older tt-mlir rule" in f.memref_note
    assert f.row_strides == (900, 30, 1, 0) and f.expected_row_strides == (960, 32, 1, 0)


@pytest.mark.parametrize("grid,memref,expected", [
    # <1x1>: the whole shape in tiles, as tt-mlir's lit tests write L1 interleaved today
    # (test/ttmlir/Dialect/TTNN/optimizer/greedy/l1_spill_reshape_view_alias.mlir: 4096x512 -> 128x16 tiles)
    ("1x1", "128x16", (128, 16)),
    # more cores: the tiles spread over them, [1, ceil(2,048 tiles / 64 cores)] = [1, 32]
    ("8x8", "1x32", (1, 32)),
])
def test_l1_interleaved_memref_follows_the_grid(grid, memref, expected):
    t = tensor(f"tensor<4096x512xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <{grid}>, "
               f"memref<{memref}x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <interleaved>>>")
    f = analyze_tensor(t, WH)
    assert f.memref_computed == expected and f.memref_matches is True
