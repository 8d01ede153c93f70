"""``ttnn.copy`` CB model (ops_copy) against hand-derived figures from ``CopyProgramFactory::create``
(copy_program_factory.cpp @043b5ac2): c_0 = 2 x align(unit, buffer alignment) [+ c_16 likewise on dtype change]
on the cores ``split_work_to_cores`` gives work. No OpModel copy case exists in the corpus test files."""

from __future__ import annotations

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")


def ctx(era="2025-12"):
    return make_context(WH, get_era(era), 102_656)


def tile(shape, memref, dt="bf16", buf="dram"):
    return (f"tensor<{shape}x{dt}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dt}>, #ttnn.buffer_type<{buf}>>, <interleaved>>>")


def rm(shape, memref, dt="bf16", buf="dram"):
    return (f"tensor<{shape}x{dt}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
            f"memref<{memref}x{dt}, #ttnn.buffer_type<{buf}>>, <interleaved>>>")


def copy(a, b):
    return OpLineParser().parse(f'"ttnn.copy"(%0, %1) : ({a}, {b}) -> ()', 1, "main")


def test_tiled_copy_same_dtype():
    # 32x32 bf16: 1 tile -> 1 core; c_0 = 2 x 2,048 B (a tile is already 32-B aligned); no c_16 (same dtype)
    r = analyze_op(copy(tile("32x32", "1x1"), tile("32x32", "1x1")), ctx("2026-02"))
    assert r.factory == "CopyProgramFactory" and r.confidence == "read-factory"
    assert len(r.core_groups) == 1 and len(r.core_groups[0].cores) == 1
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 4096)]


def test_tiled_copy_with_conversion_splits_work():
    # 256x320 = 8 x 10 = 80 tiles over the 8x8 grid: 64 cores, 16 do 2 tiles, 48 do 1;
    # bf16 -> f32: c_0 = 2 x 2,048 B, c_16 = 2 x 4,096 B = 12,288 B per core
    r = analyze_op(copy(tile("256x320", "8x10"), tile("256x320", "8x10", "f32")), ctx())
    assert sorted(len(g.cores) for g in r.core_groups) == [16, 48]
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 4096), (16, 8192)]


def test_row_major_copy():
    # 10 rows of 50 bf16 = 100 B -> align(100, DRAM 32 on Wormhole) = 128; c_0 = 2 x 128 = 256 B on 10 cores
    r = analyze_op(copy(rm("10x50", "10x50"), rm("10x50", "10x50")), ctx())
    assert r.confidence == "read-factory"
    assert sum(len(g.cores) for g in r.core_groups) == 10
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 256)]
    # the 2026 row-major factories were not read
    assert analyze_op(copy(rm("10x50", "10x50"), rm("10x50", "10x50")), ctx("2026-02")).confidence == "estimate"
