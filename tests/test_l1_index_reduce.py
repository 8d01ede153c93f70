"""Index / running reduction CB models (ops_index_reduce): tt-metal-computed OpModel ``cbSize`` figures from the
corpus and hand-computed cases (arithmetic in the comments, factories cited in the module docstring)."""

from __future__ import annotations

import re

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")


def ctx(era: str = "2025-12"):
    return make_context(WH, get_era(era), 102_656)


def _dims(shape: str) -> str:
    return ", ".join(f"d{i}" for i in range(shape.count("x") + 1))


def rm(shape: str, dt: str = "bf16", buf: str = "dram") -> str:
    dims = shape.split("x")
    rows = 1
    for d in dims[:-1]:
        rows *= int(d)
    return (f"tensor<{shape}x{dt}, #ttnn.ttnn_layout<({_dims(shape)}) -> (0, 0), <1x1>, "
            f"memref<{rows}x{dims[-1]}x{dt}, #ttnn.buffer_type<{buf}>>, <interleaved>>>")


def tiled(shape: str, memref: str, dt: str = "bf16", buf: str = "dram") -> str:
    elem = {"bf16": "bf16", "f32": "f32"}[dt]
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({_dims(shape)}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dt}>, #ttnn.buffer_type<{buf}>>, <interleaved>>>")


def argmax(src: str, dst: str, attrs: str):
    return OpLineParser().parse(f'%1 = "ttnn.argmax"(%0) <{{{attrs}}}> : ({src}) -> {dst}', 1, "main")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


# -- tt-metal-computed: tt-mlir @78b9ce3d (2025-11-27) TestOpModelLib.cpp ``ArgMax`` ------------------------------
def test_opmodel_lib_argmax_cb_size(corpus):
    # [64, 64] bf16 row-major DRAM, dim 1, use_multicore false -> ArgMaxSingleCoreProgramFactory, one core:
    #   c_0 = 64 x 2 B = 128; c_1 = output_last_dim (H = 64) x 4 B = 256 -> 384 B.
    # keepDim: c_1 = 1 x 4 B = 4 -> 128 + 4 = 132 B.
    # [32, 128]: c_0 = 128 x 2 = 256; c_1 = 32 x 4 = 128 -> 384 B.
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelLib.cpp").read_text()
    start = text.index("TEST_F(OpModelTest, ArgMax)")
    case = text[start:text.index("TEST_F(", start + 10)]
    expected = [int(x) for x in re.findall(r"cbL1PeakSize, (\d+)", case)]
    assert expected == [384, 132, 384]
    cases = [("64x64", "64xui32", "dim = 1 : i32, keep_dim = false"),
             ("64x64", "64x1xui32", "dim = 1 : i32, keep_dim = true"),
             ("32x128", "32xui32", "dim = 1 : i32, keep_dim = false")]
    for (shape, out, attrs), want in zip(cases, expected, strict=True):
        r = analyze_op(argmax(rm(shape), f"tensor<{out}>", attrs), ctx())
        assert r.factory == "ArgMaxSingleCoreProgramFactory" and r.confidence == "read-factory", r.formula
        assert peak(r) == want
        assert r.core_groups[0].cores == [(0, 0)]


# -- hand-computed -----------------------------------------------------------------------------------------------
def test_argmax_tiled_last_dim_hand_computed():
    # [1, 1, 32, 32] f32 tiled, dim -1, keep_dim false (the EmitC negative_dim case): single-core factory,
    # c_0 = one f32 tile = 32 x 32 x 4 = 4,096 B; c_1 = the row-major uint32 output row, output_last_dim = H = 32:
    # 32 x 4 = 128 B -> 4,224 B on core (0, 0).
    r = analyze_op(argmax(tiled("1x1x32x32", "1x1", "f32"), "tensor<1x1x32xui32>",
                          "dim = -1 : si32, keep_dim = false, use_multicore = false"), ctx())
    assert r.confidence == "read-factory"
    assert [(c.index, c.pages, c.page_bytes) for c in r.core_groups[0].cbs] == [(0, 1, 4096), (1, 1, 128)]
    assert peak(r) == 4_224


def test_argmax_estimates():
    # use_multicore: multi-core factory not read; a tiled input reduced along H: not the copy read
    r = analyze_op(argmax(rm("64x64"), "tensor<64xui32>", "dim = 1 : i32, use_multicore = true"), ctx())
    assert r.confidence == "estimate"
    r = analyze_op(argmax(tiled("64x32", "2x1"), "tensor<32xui32>", "dim = 0 : si32"), ctx())
    assert r.confidence == "estimate"
    # 2026 era: row-major factory choice not read
    r = analyze_op(argmax(rm("64x64"), "tensor<64xui32>", "dim = 1 : i32"), ctx("2026-02"))
    assert r.confidence == "estimate"
