"""L1 CB models of memory / data-movement ops (ops_memory.py): tt-metal's own figures from tt-mlir's OpModel
tests where they cover the op, and figures worked out by hand from the factory source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
MEMORY = Path("/work/shared/corpus/memory/graph-capture")
L1 = "#ttnn.buffer_type<l1>"
DRAM = "#ttnn.buffer_type<dram>"
MAP4 = "(d0, d1, d2, d3) -> (d0 * 512 + d1 * 64 + d2, d3)"


def ctx():
    return make_context(WH, get_era("2025-12"), 102_656)


def op(text: str):
    return OpLineParser().parse(text, 1, "main")


def t4(shape: str, grid: str, memref: str, mem: str, layout: str, dtype: str = "bf16", tiled: bool = True) -> str:
    elem = f"!ttcore.tile<32x32, {dtype}>" if tiled else dtype
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<{MAP4}, <{grid}>, memref<{memref}x{elem}, {mem}>, "
            f"<{layout}>>>")


def to_mem(src: str, dst: str) -> str:
    return (f'%1 = "ttnn.to_memory_config"(%0) <{{memory_config = #ttnn.memory_config<{L1}, <height_sharded>>}}> : '
            f"({src}) -> {dst}")


def _opmodel_block(name: str) -> str:
    text = (MEMORY / "tt-mlir_TestOpModelLib.cpp").read_text()
    start = text.index(f"TEST_F(OpModelTest, {name})")
    return text[start:text.index("TEST_", start + 10)]


# tt-mlir TestOpModelLib.cpp ToMemoryConfig, second case: [1, 8, 64, 128] bf16 tiled, L1 interleaved ->
# L1 height-sharded, shard [64, 128] on cores (0,0)-(7,0).
I2S_SRC = t4("1x8x64x128", "1x1", "16x4", L1, "interleaved")
I2S_DST = t4("1x8x64x128", "8x1", "2x4", L1, "height_sharded")


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
def test_interleaved_to_sharded_matches_op_model_cb_size():
    block = _opmodel_block("ToMemoryConfig")
    assert "ShapeAttr::get(&context, {64, 128})" in block
    expected = int(re.findall(r"EXPECT_EQ\(opCstr\.cbL1PeakSize, (\d+)\);", block)[0])
    assert expected == 8192
    r = analyze_op(op(to_mem(I2S_SRC, I2S_DST)), ctx())
    assert r.factory == "InterleavedToShardedProgramFactory"
    assert r.core_groups[0].static_bytes == expected


def test_interleaved_to_sharded_hand_computed():
    # Factory: output CB c_0 = 2x4 = 8 tiles x 2,048 B on the L1 shard (globally allocated, 0 B static);
    # c_1 scratch = 4 pages x align(2,048, 32) = 8,192 B; one group of the 8 shard cores.
    r = analyze_op(op(to_mem(I2S_SRC, I2S_DST)), ctx())
    (g,) = r.core_groups
    assert len(g.cores) == 8
    out = [cb for cb in g.cbs if cb.index == 0][0]
    assert (out.pages, out.page_bytes, out.globally_allocated) == (8, 2048, True)
    assert g.static_bytes == 8192
    assert r.confidence == "read-factory"


def test_interleaved_to_sharded_with_dtype_change():
    # f32 DRAM interleaved -> bf16 L1 height-sharded, shard 2x4 tiles: convert_df, so
    # c_0 (input, not global) = 8 x align(4,096, 32) = 32,768 B; c_16 output = 8 x 2,048 on the shard;
    # c_1 scratch = 4 x align(4,096 (the input unit), 32) = 16,384 B -> 49,152 B static.
    src = t4("1x8x64x128", "1x1", "16x4", DRAM, "interleaved", "f32")
    r = analyze_op(op(to_mem(src, I2S_DST)), ctx())
    g = r.core_groups[0]
    assert [(cb.index, cb.pages, cb.page_bytes, cb.globally_allocated) for cb in g.cbs] == [
        (0, 8, 4096, False), (16, 8, 2048, True), (1, 4, 4096, False)]
    assert g.static_bytes == 49_152


def test_interleaved_to_sharded_row_major():
    # row-major [1, 8, 64, 100] bf16, height-sharded shard [64, 100] on 8 cores: unit = 100 x 2 = 200 B,
    # 64 units; output page = align(200, 16) = 208 B on the shard; scratch = 4 x align(200, 32) = 4 x 224 = 896 B.
    src = t4("1x8x64x100", "1x1", "512x100", L1, "interleaved", tiled=False)
    dst = t4("1x8x64x100", "8x1", "64x100", L1, "height_sharded", tiled=False)
    g = analyze_op(op(to_mem(src, dst)), ctx()).core_groups[0]
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in g.cbs] == [(0, 64, 208), (1, 4, 224)]
    assert g.static_bytes == 896


def test_to_memory_config_other_directions_stay_estimates():
    src = t4("1x8x64x128", "8x1", "2x4", L1, "height_sharded")
    dst = t4("1x8x64x128", "4x1", "4x4", L1, "height_sharded")
    r = analyze_op(op(to_mem(src, dst)), ctx())
    assert r.confidence == "estimate" and "reshard" in r.factory


def test_to_memory_config_interleaved_to_interleaved_runs_the_copy_factory():
    # ToMemoryConfig::invoke (2025 @03262d9c; 2026 to_memory_config_op.cpp @040a27c1): neither side sharded ->
    # CopyDeviceOperation{memory_config, dtype} -> CopyProgramFactory: [64, 128] bf16 tiles = 2 x 4 = 8 tiles,
    # split_work_to_cores(8x8, 8) -> 8 cores with 1 tile each, column-major (0,0)..(0,7);
    # c_0 = 2 x align(2,048 B, DRAM 32 B) = 4,096 B; same dtype -> no c_16.
    src, dst = tile2("64x128", "2x4", DRAM), tile2("64x128", "2x4", L1)
    r = analyze_op(op(f'%1 = "ttnn.to_memory_config"(%0) : ({src}) -> {dst}'), ctx())
    assert r.confidence == "read-factory" and r.factory.endswith("CopyProgramFactory")
    assert [(len(g.cores), g.static_bytes) for g in r.core_groups] == [(8, 4_096)]
    assert r.core_groups[0].cores == [(0, y) for y in range(8)]
    # dtype change bf16 -> f32: c_16 = 2 x 4,096 B (f32 tile) = 8,192 B more: 12,288 B per core
    dst32 = tile2("64x128", "2x4", L1, "f32")
    r = analyze_op(op(f'%1 = "ttnn.to_memory_config"(%0) : ({src}) -> {dst32}'), ctx())
    assert [(c.index, c.bytes) for c in r.core_groups[0].cbs] == [(0, 4_096), (16, 8_192)]


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
@pytest.mark.parametrize("test,line", [
    ("FullOp", '%1 = "ttnn.full"(%0) <{fill_value = 0.0 : f32, shape = #ttnn.shape<56x1024>}> : (!ttnn.device) -> '),
    ("ArangeOp", '%1 = "ttnn.arange"(%0) <{start = 0 : i64, end = 10 : i64, step = 1 : i64}> : (!ttnn.device) -> '),
])
def test_creation_ops_have_no_cbs_like_op_model(test, line):
    # OpModel: EXPECT_EQ(cbSize, 0) for FullOp and ArangeOp.
    assert "EXPECT_EQ(cbSize, 0);" in _opmodel_block(test)
    r = analyze_op(op(line + t4("1x1x56x1024", "1x1", "2x32", DRAM, "interleaved")), ctx())
    assert r.core_groups == [] and r.factory == "none"


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
def test_constant_has_no_cbs_like_op_model():
    text = (MEMORY / "tt-mlir_TestOpModelLib.cpp").read_text()
    # every ConstantOp case: ExpectedResult{true, 0 (cbSize), ...}
    block = text[text.index("const auto constantOpUInt32TestData"):text.index("INSTANTIATE_TEST_SUITE_P(ConstantOpUInt32")]
    cases = re.findall(r"ExpectedResult\{true, (\d+),", block)
    assert len(cases) == 5 and set(cases) == {"0"}
    r = analyze_op(op('%0 = "ttnn.constant"() <{value = dense<1> : tensor<2x2xui32>}> : () -> '
                      + t4("1x1x2x2", "1x1", "1x1", L1, "interleaved", "u32")), ctx())
    assert r.core_groups == []


def test_write_tensor_is_a_transfer():
    # tt-mlir runtime write_tensor.cpp: tensor_impl::copy_to_device, no program.
    r = analyze_op(op('"ttnn.write_tensor"(%0, %1) <{blocking = false, cq_id = 0 : ui32}> : ('
                      + t4("1x1x32x32", "1x1", "1x1", "#ttnn.buffer_type<system_memory>", "interleaved") + ", "
                      + t4("1x1x32x32", "1x1", "1x1", DRAM, "interleaved") + ") -> ()"), ctx())
    assert r.core_groups == [] and r.confidence == "read-factory"


def test_sharded_to_interleaved_hand_computed():
    # sharded_to_interleaved_multi_core: c_0 = 8 tiles x 2,048 B on the L1 input shard (globally allocated);
    # same dtype, so no c_16: 0 B of static CBs on the 8 shard cores.
    r = analyze_op(op(to_mem(I2S_DST, t4("1x8x64x128", "1x1", "16x4", DRAM, "interleaved"))), ctx())
    assert r.factory == "ShardedToInterleavedProgramFactory" and r.confidence == "read-factory"
    (g,) = r.core_groups
    assert [(cb.index, cb.pages, cb.page_bytes, cb.globally_allocated) for cb in g.cbs] == [(0, 8, 2048, True)]
    assert g.static_bytes == 0 and len(g.cores) == 8


def test_sharded_to_interleaved_with_dtype_change():
    # bf16 shard of 2x4 tiles -> f32 DRAM interleaved: c_16 = 8 tiles x align(4,096, 32) = 32,768 B static.
    r = analyze_op(op(to_mem(I2S_DST, t4("1x8x64x128", "1x1", "16x4", DRAM, "interleaved", "f32"))), ctx())
    assert r.core_groups[0].static_bytes == 32_768


def tile2(shape: str, rows_cols: str, mem: str, dtype: str = "bf16") -> str:
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
            f"memref<{rows_cols}x!ttcore.tile<32x32, {dtype}>, {mem}>, <interleaved>>>")


def concat_op(a: str, b: str, out: str, dim: int) -> str:
    return f'%2 = "ttnn.concat"(%0, %1) <{{dim = {dim} : si32}}> : ({a}, {b}) -> {out}'


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
def test_concat_matches_op_model_cb_size():
    # TestOpModelLib.cpp Concat: two [56, 1024] bf16 tiled L1-interleaved inputs, dim 0, DRAM output -> cbSize 4096.
    block = _opmodel_block("Concat")
    expected = int(re.findall(r"EXPECT_EQ\(opCstr\.cbL1PeakSize, (\d+)\);", block)[0])
    assert "workerCoresN300, 1024" in block and expected == 4096
    a = tile2("56x1024", "2x32", L1)
    r = analyze_op(op(concat_op(a, a, tile2("112x1024", "4x32", DRAM), 0)), ctx())
    assert r.factory.startswith("ConcatProgramFactory")
    assert {g.static_bytes for g in r.core_groups} == {expected}


def test_concat_hand_computed_work_split():
    # [64, 1024] x 2 along dim 0 -> [128, 1024]: 4 x 32 = 128 output tiles over min(128, 64) = 64 cores,
    # 2 tiles each; every core: c_0 = 2 x 2,048 B.
    a = tile2("64x1024", "2x32", DRAM)
    r = analyze_op(op(concat_op(a, a, tile2("128x1024", "4x32", DRAM), 0)), ctx())
    assert r.confidence == "read-factory"
    assert sum(len(g.cores) for g in r.core_groups) == 64
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 2, 2048)]


def test_concat_row_major_page():
    # row-major [8, 100] + [8, 100] on dim 1 -> [8, 200] bf16 in DRAM: page = align(200 x 2, 32) = 416 B,
    # 8 output rows on 8 cores; c_0 = 2 x 416 = 832 B.
    def rm2(shape: str) -> str:
        return (f"tensor<{shape}xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<{shape}xbf16, {DRAM}>, "
                "<interleaved>>>")
    r = analyze_op(op(concat_op(rm2("8x100"), rm2("8x100"), rm2("8x200"), 1)), ctx())
    assert sum(len(g.cores) for g in r.core_groups) == 8
    assert r.core_groups[0].static_bytes == 832


def slice_op(src: str, dst: str, begins: str, ends: str, step: str) -> str:
    return (f'%1 = "ttnn.slice_static"(%0) <{{begins = [{begins}], ends = [{ends}], step = [{step}]}}> : '
            f"({src}) -> {dst}")


def test_slice_tiled_aligned_hand_computed():
    # [128, 1024] bf16 tiled -> rows 32..96, cols 0..512: output [64, 512] = 2 x 16 = 32 tiles, split over
    # min(32, 64) = 32 cores, 1 tile each; SliceTileProgramFactory: c_0 = 2 x 2,048 B = 4,096 B per core.
    r = analyze_op(op(slice_op(tile2("128x1024", "4x32", DRAM), tile2("64x512", "2x16", DRAM),
                               "32 : i32, 0 : i32", "96 : i32, 512 : i32", "1 : i32, 1 : i32")), ctx())
    assert r.factory == "SliceTileProgramFactory" and r.confidence == "read-factory"
    assert sum(len(g.cores) for g in r.core_groups) == 32
    assert {g.static_bytes for g in r.core_groups} == {4096}


def test_slice_strided_stays_estimate():
    r = analyze_op(op(slice_op(tile2("128x1024", "4x32", DRAM), tile2("64x1024", "2x32", DRAM),
                               "0 : i32, 0 : i32", "128 : i32, 1024 : i32", "2 : i32, 1 : i32")), ctx())
    assert r.confidence == "estimate"


def test_slice_tiled_unaligned_end_is_tile_factory():
    # slice.cpp SliceOperation::invoke: only the begins of the last two dims must be tile-aligned; the ends are
    # rounded up to tiles. [128, 1024] bf16 -> [0:100, 0:1024]: begins (0, 0) aligned -> SliceTileProgramFactory
    # on the padded output [128, 1024] = 4 x 32 = 128 tiles over 64 cores (2 each); c_0 = 2 x 2,048 = 4,096 B.
    r = analyze_op(op(slice_op(tile2("128x1024", "4x32", DRAM), tile2("100x1024", "4x32", DRAM),
                               "0 : i32, 0 : i32", "100 : i32, 1024 : i32", "1 : i32, 1 : i32")), ctx())
    assert r.factory == "SliceTileProgramFactory" and r.confidence == "read-factory"
    assert sum(len(g.cores) for g in r.core_groups) == 64
    assert {g.static_bytes for g in r.core_groups} == {4096}


def rm2(shape: str, mem: str = DRAM, dtype: str = "bf16") -> str:
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<{shape}x{dtype}, {mem}>, "
            "<interleaved>>>")


def test_slice_row_major_hand_computed():
    # SliceRmProgramFactory (slice_program_factory_rm.cpp compute_cb_size): [64, 100] bf16 row-major DRAM ->
    # [0:64, 2:66] = [64, 64]: 64 sticks -> 64 cores, 1 stick each. begins[-1] x 2 B = 4 B, 4 % 32 (DRAM) != 0
    # -> alignment 2 x 32 = 64; row = 64 x 2 = 128 B -> page round_up(128, 64) = 128 B.
    # pad32 = 32 sticks; merge_num_sticks_to_read(32, round_up(128, 32) = 128, 4,096): 32 x 128 = 4,096 B is one
    # 4,096-B read -> 1 read; num_read_per_barrier = 32 / 1 = 32 -> c_0 = 2 x 32 x 128 = 8,192 B per core.
    r = analyze_op(op(slice_op(rm2("64x100"), rm2("64x64"), "0 : i32, 2 : i32", "64 : i32, 66 : i32",
                               "1 : i32, 1 : i32")), ctx())
    assert r.factory == "SliceRmProgramFactory" and r.confidence == "read-factory"
    assert sum(len(g.cores) for g in r.core_groups) == 64
    assert [(c.index, c.pages, c.page_bytes) for c in r.core_groups[0].cbs] == [(0, 64, 128)]
    assert r.core_groups[0].static_bytes == 8192


def test_slice_tiled_unaligned_begin_runs_row_major_slice():
    # the tt-mlir slice_static_workaround.mlir case: [6, 3, 258112] f32 tiled DRAM, begins [0, 2, 0] -> begins[-2]
    # = 2 is not tile-aligned: ttnn untilizes, slices row-major, tilizes. The row-major slice: output [6, 1, 258112],
    # 6 sticks -> 6 cores, 1 each; begin 0 aligned -> alignment 32; row = 258,112 x 4 = 1,032,448 B (a multiple of
    # 32); pad32 = 32 sticks; one stick > 4,096 B so no merge: 32 reads, num_read_per_barrier = 32 / 32 = 1 ->
    # c_0 = 2 x 1 x 1,032,448 = 2,064,896 B > the 1,499,136 B of L1 (why tt-mlir's workaround permutes first).
    lay = ("#ttnn.ttnn_layout<(d0, d1, d2) -> (d0 * 32 + d1, d2), <1x1>, memref<6x8066x!ttcore.tile<32x32, f32>, "
           f"{DRAM}>, <interleaved>>")
    r = analyze_op(op(slice_op(f"tensor<6x3x258112xf32, {lay}>", f"tensor<6x1x258112xf32, {lay}>",
                               "0 : i32, 2 : i32, 0 : i32", "6 : i32, 3 : i32, 258112 : i32",
                               "1 : i32, 1 : i32, 1 : i32")), ctx())
    assert "SliceRmProgramFactory" in r.factory
    sl = [g for g in r.core_groups if g.label.startswith("slice: ")]
    assert sum(len(g.cores) for g in sl) == 6
    assert [(c.pages, c.page_bytes) for c in sl[0].cbs] == [(2, 1_032_448)]
    assert sl[0].static_bytes == 2_064_896
    assert not r.fits(ctx())


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
@pytest.mark.parametrize("dtype,mem", [("bf16", DRAM), ("bf16", L1), ("f32", DRAM)])
def test_rand_matches_op_model_cb_size(dtype, mem):
    # TestOpModelLib.cpp RandOp: [56, 1024] tiled, bf16 and f32, DRAM and L1 outputs -> cbSize 12288 every time
    # (uniform program in float32: c_24 = 2 x 4,096 + c_0 = 1 x 4,096).
    block = _opmodel_block("RandOp")
    figures = set(re.findall(r"EXPECT_EQ\(opCstr\.cbL1PeakSize, (\d+)\);", block))
    assert figures == {"12288"}
    line = ('%1 = "ttnn.rand"(%0) <{high = 1.0 : f32, layout = #ttnn.layout<tile>, low = 0.0 : f32, seed = 0 : ui32, '
            f'size = #ttnn.shape<56x1024>}}> : (!ttnn.device) -> {tile2("56x1024", "2x32", mem, dtype)}')
    r = analyze_op(op(line), ctx())
    assert r.confidence == "read-factory"
    assert {g.static_bytes for g in r.core_groups} == {12288}
    # 2 x 32 = 64 output tiles over the 64 cores of the 8x8 grid
    assert sum(len(g.cores) for g in r.core_groups) == 64


def test_interleaved_to_dram_sharded_counts_the_output_cb():
    # dst in DRAM: the output CB is not bound to a buffer, so c_0 = 8 x align(2,048, 32) = 16,384 B is static,
    # plus c_1 scratch 8,192 B = 24,576 B; the cores are not read (estimate).
    dst = t4("1x8x64x128", "8x1", "2x4", DRAM, "height_sharded")
    r = analyze_op(op(to_mem(I2S_SRC, dst)), ctx())
    assert r.core_groups[0].static_bytes == 24_576 and r.confidence == "estimate"
