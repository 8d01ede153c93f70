"""Sharded memrefs: the per-shard memref tt-mlir writes for height-, width- and block-sharded layouts.

Rule (tt-mlir ``lib/Conversion/TTIRToD2M/TTIRToD2M.cpp``, ``D2MNamedRewriterCommon::getLegacyGrid``):
a height-sharded layout on a written grid ``<G0xG1>`` is divided over the virtual grid ``[G0*G1, 1]``,
a width-sharded one over ``[1, G0*G1]``; block-sharded keeps ``[G0, G1]``. Each shard is then
``ceil(physical / grid)`` per dim (``TTNNLayoutAttr::calculateLogicalShardShapeForSharding``,
``lib/Dialect/TTNN/IR/TTNNOpsAttrs.cpp``), in tiles for a tile layout (ceil by 32), in elements for
row-major. Every expected value below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.layout import analyze_tensor, shard_grid
from ttdiag.ir.types import decode_type
from ttdiag.parse.mlir import parse_statement

WH = get_arch("wormhole_b0")


def tensor(shape: str, grid: str, memref: str, memory_layout: str, amap: str = "(d0, d1) -> (d0, d1)"):
    """An L1 bf16 tensor type decoded through the real grammar."""
    text = (f"tensor<{shape}xbf16, #ttnn.ttnn_layout<{amap}, <{grid}>, memref<{memref}, #ttnn.buffer_type<l1>>, "
            f"<{memory_layout}>>>")
    raw = parse_statement(f'"test.op"() : () -> {text}')
    return decode_type(raw.type_items[2:])


TILE = "!ttcore.tile<32x32, bf16>"


@pytest.mark.parametrize("shape,grid,layout,memref", [
    # tt-mlir test/ttmlir/Conversion/TTIRToD2M/ttnn_width_sharded_translation.mlir ("32x384 on 6x2"):
    # 384 / 32 = 12 tile columns over 6*2 = 12 cores -> 1 column each; 32 rows -> 1 tile row
    ("32x384", "6x2", "width_sharded", (1, 1)),
    ("32x384", "2x6", "width_sharded", (1, 1)),
    # 64 rows -> 2 tile rows, kept whole on every core; 12 columns over 12 cores -> 1
    ("64x384", "6x2", "width_sharded", (2, 1)),
    # ..._height_sharded_translation.mlir ("384x32 on 6x2"): 384 rows / 12 cores = 32 -> 1 tile row; 32 cols -> 1
    ("384x32", "6x2", "height_sharded", (1, 1)),
    ("384x32", "2x6", "height_sharded", (1, 1)),
    # 384 rows / 12 = 32 -> 1 tile row; 64 cols kept whole -> 2 tile columns
    ("384x64", "6x2", "height_sharded", (1, 2)),
    # 1-D grids (as tt-mlir's optimizer writes them) are their own virtual grid:
    # 256 rows / 8 = 32 -> 1; 128 cols -> 4
    ("256x128", "8x1", "height_sharded", (1, 4)),
    # 64 rows -> 2; 1024 cols / 8 = 128 -> 4
    ("64x1024", "1x8", "width_sharded", (2, 4)),
    # block-sharded keeps the written grid: 128 / 2 = 64 -> 2 tile rows, 256 / 4 = 64 -> 2 tile columns
    # (flattened to [8, 1] it would be 16 rows -> 1 and 256 cols -> 8: 1x8)
    ("128x256", "2x4", "block_sharded", (2, 2)),
    # block on a 1-D grid: 128 rows whole -> 4; 256 / 4 = 64 -> 2
    ("128x256", "1x4", "block_sharded", (4, 2)),
    # uneven: 100 rows pad to 128 (tile), 128 / 12 = 10.67 -> 11 rows -> 1 tile row; 64 cols -> 2
    ("100x64", "6x2", "height_sharded", (1, 2)),
])
def test_tile_sharded_memref_is_one_shard_of_the_virtual_grid(shape, grid, layout, memref):
    declared = "x".join(map(str, memref))
    f = analyze_tensor(tensor(shape, grid, f"{declared}x{TILE}", layout), WH)
    assert f.memref_computed == memref
    assert f.memref_matches is True


@pytest.mark.parametrize("shape,grid,layout,memref", [
    # row-major memrefs are in elements: 384 cols / 12 cores = 32; 32 rows whole
    ("32x384", "6x2", "width_sharded", (32, 32)),
    # 384 rows / 12 = 32; 64 cols whole
    ("384x64", "2x6", "height_sharded", (32, 64)),
    # 1-D grid: 256 rows / 8 = 32; 100 cols whole (row-major: no tile padding)
    ("256x100", "8x1", "height_sharded", (32, 100)),
    # block keeps the grid: 100 / 2 = 50 rows, 64 / 2 = 32 cols
    ("100x64", "2x2", "block_sharded", (50, 32)),
])
def test_row_major_sharded_memref_is_in_elements(shape, grid, layout, memref):
    declared = "x".join(map(str, memref))
    f = analyze_tensor(tensor(shape, grid, f"{declared}xbf16", layout), WH)
    assert f.memref_computed == memref
    assert f.memref_matches is True


def test_width_sharded_on_a_2d_grid_was_computed_over_the_written_grid_before():
    # the old figure divided 384 columns by the written 2 -> 192 -> 6 tiles and 32 rows by 6 -> 1: 1x6.
    # tt-mlir writes 1x1 (ttnn_width_sharded_translation.mlir), which now matches.
    f = analyze_tensor(tensor("32x384", "6x2", f"1x1x{TILE}", "width_sharded"), WH)
    assert f.memref_computed != (1, 6)
    assert f.memref_declared == (1, 1) and f.memref_matches is True


def test_rank4_height_sharded_collapses_rows_first():
    # ttnn_height_sharded_translation.mlir "2x2x384x32 on 6x2": collapsed rows 2*2*384 = 1536,
    # 1536 / 12 = 128 -> 4 tile rows; 32 cols -> 1: memref 4x1
    f = analyze_tensor(tensor("2x2x384x32", "6x2", f"4x1x{TILE}", "height_sharded",
                          amap="(d0, d1, d2, d3) -> (d0 * 768 + d1 * 384 + d2, d3)"), WH)
    assert f.memref_computed == (4, 1) and f.memref_matches is True


def test_per_shard_bytes_and_cores_of_a_2d_width_sharded_grid():
    # one 32x32 bf16 tile per core (2,048 B; L1 alignment 16 leaves it whole) on 6*2 = 12 cores
    f = analyze_tensor(tensor("32x384", "6x2", f"1x1x{TILE}", "width_sharded"), WH)
    assert f.num_banks == 12
    assert f.bytes_per_bank == 2048
    assert f.bytes == 12 * 2048


def test_a_memref_that_does_not_fit_the_virtual_grid_is_still_reported():
    # ttnn_height_sharded_translation.mlir writes memref 2x1 for "384x64 on 6x2"; its own lowering casts the
    # tensor to 12x1 shards of 1x2 tiles (CHECK: tensor<12x1x1x2x!ttcore.tile<32x32, bf16>>), so 1x2 is right
    f = analyze_tensor(tensor("384x64", "6x2", f"2x1x{TILE}", "height_sharded"), WH)
    assert f.memref_computed == (1, 2)
    assert f.memref_matches is False


@pytest.mark.parametrize("grid,layout,expected", [
    ((6, 2), "height_sharded", (12, 1)),
    ((6, 2), "width_sharded", (1, 12)),
    ((6, 2), "block_sharded", (6, 2)),
    ((8, 1), "height_sharded", (8, 1)),
    ((1, 8), "width_sharded", (1, 8)),
    ((8, 8), "width_sharded", (1, 64)),
])
def test_shard_grid_flattens_height_and_width_sharded_grids(grid, layout, expected):
    assert shard_grid(grid, layout) == expected
