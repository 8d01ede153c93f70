"""Reduction CB models (ops_reduce): tt-metal-computed OpModel ``cbSize`` figures from the corpus, and
hand-computed cases from the late-2025 reduce factories (figures worked out in the comments)."""

from __future__ import annotations

import re

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_reduce import reduce_kind
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"
L1 = "#ttnn.buffer_type<l1>"


def ctx(era: str = "2025-12"):
    return make_context(WH, get_era(era), 102_656)


def tiled(shape: str, memref: str, dtype: str = "bf16", mem: str = DRAM) -> str:
    dims = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    elem = "f32" if dtype == "f32" else "bf16"
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {mem}>, <interleaved>>>")


def reduce_op(name: str, src: str, dst: str, dims: str | None, keep: bool = True):
    attrs = (f"dim_arg = [{dims}], " if dims is not None else "") + f"keep_dim = {'true' if keep else 'false'}"
    return OpLineParser().parse(f'%1 = "ttnn.{name}"(%0) <{{{attrs}}}> : ({src}) -> {dst}', 1, "main")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


# -- tt-metal-computed figures: tt-mlir @78b9ce3d (2025-11-27) OpModel tests (corpus/memory/graph-capture) ---------
def _lib_reduction_params(corpus) -> list[tuple[list[int], bool, int]]:
    """(dim_arg, legal, cbSize) of each ``reductionParams`` tuple in TestOpModelLib.cpp."""
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("static const auto reductionParams"):]
    block = block[:block.index("INSTANTIATE_TEST_SUITE_P")]
    out = []
    for m in re.finditer(r"SmallVector<int64_t>\{([\d, ]+)\}\},\s*(true|false),\s*"
                         r"detail::ExpectedResult\{(true|false), (\d+)", block):
        out.append(([int(d) for d in m.group(1).split(",")], m.group(3) == "true", int(m.group(4))))
    return out


def test_opmodel_lib_reduction_params_cb_size(corpus):
    # reductionParams: input [workerCoresN300 = 64, 1024] bf16 tiled interleaved (DRAM or L1), Sum/Mean/Max/Min.
    # dim [1] -> W factory: c_0 2 x 2,048 + c_2 2 x 2,048 + c_3 2 x 2,048 = 12,288 B per core.
    # dims [1, 0] -> H and W of 2 x 32 = 64 tiles > 1: W pass (12,288 B) then H pass
    #   (c_0 2 x 2,048 + c_2 1 x 2,048 + c_3 2 x 2,048 = 10,240 B); the peak is the W pass's 12,288 B.
    cases = [c for c in _lib_reduction_params(corpus) if c[1]]
    assert len(cases) == 3
    for dims, _, expected in cases:
        for name in ("sum", "mean", "max", "min"):
            for mem in (DRAM, L1):
                o = reduce_op(name, tiled("64x1024", "2x32", mem=mem), tiled("64x1", "2x1"),
                              ", ".join(f"{d} : i32" for d in dims))
                r = analyze_op(o, ctx())
                assert r.confidence == "read-factory", r.formula
                assert peak(r) == expected == 12_288


@pytest.mark.parametrize("name, test", [("mean", "MeanOpInterface"), ("max", "MaxOpInterface"),
                                        ("min", "MinOpInterface"), ("sum", "SumOpInterface")])
def test_opmodel_interface_reduction_cb_size(corpus, name, test):
    # TestOpModelInterface.cpp testReductionOp: [2048, 1024] bf16, dim_arg [1], keep_dim -> W factory,
    # NC·Ht = 64 tile rows on 64 cores; c_0 4,096 + c_2 4,096 + c_3 4,096 = 12,288 B per core.
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelInterface.cpp").read_text()
    start = text.index(f"TEST_F(OpModelBase, {test})")
    case = text[start:text.index("TEST_F(", start + 10)]
    assert "tensorShapeA = {2048, 1024}" in case
    expected = int(re.search(r"expectedCbSize=\*/(\d+)", case).group(1))
    r = analyze_op(reduce_op(name, tiled("2048x1024", "64x32"), tiled("2048x1", "64x1"), "1 : i32"), ctx())
    assert r.factory == "ReduceMultiCoreWProgramFactory"
    assert peak(r) == expected == 12_288
    assert sum(len(g.cores) for g in r.core_groups) == 64


# -- hand-computed ---------------------------------------------------------------------------------------------
def test_reduce_h_bf16_hand_computed():
    # [64, 1024] bf16, dim 0 -> H factory: NC·Wt = 32 tile columns -> 32 cores, 1 column each.
    # c_0 = 2 x 2,048 = 4,096; c_2 = 1 x 2,048 = 2,048; c_3 = 2 x 2,048 = 4,096 -> 10,240 B per core.
    r = analyze_op(reduce_op("sum", tiled("64x1024", "2x32"), tiled("1x1024", "1x32"), "0 : i32"), ctx())
    assert r.factory == "ReduceMultiCoreHProgramFactory"
    assert [(c.index, c.pages, c.page_bytes) for c in r.core_groups[0].cbs] == [(0, 2, 2048), (2, 1, 2048),
                                                                               (3, 2, 2048)]
    assert peak(r) == 10_240
    assert sum(len(g.cores) for g in r.core_groups) == 32


def test_reduce_w_bfp8_input_hand_computed():
    # [4, 64, 96] bfp_bf8 -> bfp_bf8, dim -1 -> W: NC·Ht = 4 x 2 = 8 tile rows -> 8 cores.
    # c_0 = 2 x 1,088 = 2,176; c_2 = 2 x 2,048 (bf16 scaler) = 4,096; c_3 = 2 x 1,088 = 2,176 -> 8,448 B.
    src = tiled("4x64x96", "8x3", "bfp_bf8")
    r = analyze_op(reduce_op("max", src, tiled("4x64x1", "8x1", "bfp_bf8"), "2 : i32"), ctx())
    assert r.factory == "ReduceMultiCoreWProgramFactory"
    assert peak(r) == 8_448
    assert sum(len(g.cores) for g in r.core_groups) == 8


def test_reduce_single_tile_all_dims_is_single_core_hw():
    # [32, 32] f32, all dims -> 1 tile: single-core HW factory on core (0, 0):
    # c_0 = 2 x 4,096 + c_2 = 2 x 2,048 + c_3 = 2 x 4,096 = 20,480 B.
    r = analyze_op(reduce_op("sum", tiled("32x32", "1x1", "f32"), tiled("1x1", "1x1", "f32"), None), ctx())
    assert r.factory == "ReduceSingleCoreHwProgramFactory"
    assert r.confidence == "read-factory"
    assert r.core_groups[0].cores == [(0, 0)]
    assert peak(r) == 20_480


def test_reduce_f32_latest_era_is_estimate():
    # 2026 copies size the scaler in float32 for float32 inputs: not the factory read, so an estimate.
    r = analyze_op(reduce_op("sum", tiled("32x32", "1x1", "f32"), tiled("1x1", "1x1", "f32"), None),
                   ctx("2026-02"))
    assert r.confidence == "estimate"


def test_reduce_outer_dim_not_modelled():
    r = analyze_op(reduce_op("sum", tiled("4x64x96", "8x3"), tiled("1x64x96", "2x3"), "0 : i32"), ctx())
    assert r.confidence == "estimate"
    assert r.factory == "generic (no model)"


def test_reduce_kind():
    assert reduce_kind(2, (1,)) == "W" and reduce_kind(2, (0,)) == "H" and reduce_kind(2, (0, 1)) == "HW"
    assert reduce_kind(1, (0,)) == "W" and reduce_kind(4, (2, 3)) == "HW" and reduce_kind(4, (1,)) is None


# -- softmax ---------------------------------------------------------------------------------------------------------
def softmax_op(src: str, dst: str, dim: int = -1, stable: bool = False):
    extra = ", numericStable = true" if stable else ""
    return OpLineParser().parse(f'%1 = "ttnn.softmax"(%0) <{{dimension = {dim} : si32{extra}}}> : ({src}) -> {dst}',
                                1, "main")


def test_opmodel_softmax_cb_size(corpus):
    # TestOpModelInterface.cpp SoftmaxOpInterface: [workerCoresN300 = 64, 1024] bf16, dim -1.
    # Wt = 32, bf16 -> no fp32 accumulation, block_size = find_max_divisor(32, 8) = 8:
    # c_0 16 + c_11 16 + c_7 1 + c_2 1 + c_6 32 + c_5 1 = 67 tiles x 2,048 B = 137,216 B per core.
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelInterface.cpp").read_text()
    start = text.index("TEST_F(OpModelBase, SoftmaxOpInterface)")
    case = text[start:text.index("TEST_F(", start + 10)]
    assert "tensorShape = {workerCoresN300, 1024}" in case
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    r = analyze_op(softmax_op(tiled("64x1024", "2x32"), tiled("64x1024", "2x32")), ctx())
    assert r.factory == "SoftmaxProgramFactoryAttentionOptimized" and r.confidence == "read-factory"
    assert peak(r) == expected == 137_216


def test_softmax_f32_small_row_hand_computed():
    # [1, 10] f32, dim 1 (the corpus case): Wt = 1, f32 -> fp32 accumulation, block_size = 1, intermediates f32:
    # c_0 2 x 4,096 + c_11 2 x 4,096 + c_7 4,096 + c_2 2,048 + c_6 1 x 4,096 + c_5 2,048 = 28,672 B.
    r = analyze_op(softmax_op(tiled("1x10", "1x1", "f32"), tiled("1x10", "1x1", "f32"), 1), ctx())
    assert peak(r) == 28_672


def test_softmax_numeric_stable_hand_computed():
    # [2, 4, 64, 160] bf16, numeric-stable: Wt = 5, block_size = find_max_divisor(5, 8) = 1 (5 and 7 skipped).
    # c_0 Wt 5 + c_11 2 + c_7 1 + c_2 1 + c_6 5 + c_5 1 + c_8 1 + c_10 5 = 21 tiles x 2,048 = 43,008 B.
    r = analyze_op(softmax_op(tiled("2x4x64x160", "16x5"), tiled("2x4x64x160", "16x5"), 3, stable=True), ctx())
    assert peak(r) == 43_008


def test_softmax_large_kernel_hand_computed():
    # [32, 32768] bf16: Wt = 1,024, block_size 8; the factory's estimate (16 + 1,024 + 16 + 5) x 2,048 B
    # = 2,172,928 B > 0.9 x 1,499,136 -> large kernel: c_0 80 + c_11 16 + c_7 1 + c_12 1 + c_15 1 + c_16 1
    # + c_2 1 + c_6 80 + c_5 1 + c_10 80 = 262 tiles x 2,048 = 536,576 B.
    r = analyze_op(softmax_op(tiled("32x32768", "1x1024"), tiled("32x32768", "1x1024")), ctx())
    assert peak(r) == 536_576


def test_softmax_other_dim_is_estimate():
    r = analyze_op(softmax_op(tiled("64x1024", "2x32"), tiled("64x1024", "2x32"), 0), ctx())
    assert r.confidence == "estimate"


# -- layer_norm / rms_norm -------------------------------------------------------------------------------------------
def _dims(shape: list[int]) -> str:
    return "x".join(str(d) for d in shape)


def _tiles(shape: list[int]) -> str:
    # memref of a tiled tensor: (outer dims x padded H / 32) x (padded W / 32)
    h = shape[-2] if len(shape) > 1 else 1
    outer = 1
    for d in shape[:-2]:
        outer *= d
    return f"{outer * -(-h // 32)}x{-(-shape[-1] // 32)}"


def norm_op(name: str, shape: list[int], weight: list[int] | None, bias: list[int] | None):
    ops = ["%0"] + (["%1"] if weight else []) + (["%2"] if bias else [])
    types = [tiled(_dims(shape), _tiles(shape))]
    types += [tiled(_dims(t), _tiles(t)) for t in (weight, bias) if t]
    seg = f"1, {1 if weight else 0}, {1 if bias else 0}"
    text = (f'%3 = "ttnn.{name}"({", ".join(ops)}) <{{epsilon = 9.99999996E-13 : f32, '
            f'operandSegmentSizes = array<i32: {seg}>}}> : ({", ".join(types)}) -> {types[0]}')
    return OpLineParser().parse(text, 1, "main")


def _rms_norm_cases(corpus) -> list[tuple[list[int], list[int] | None, list[int] | None, int]]:
    """(input shape, weight shape, bias shape, cbSize) of each rmsNormTestValues tuple in TestOpModelLib.cpp."""
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("const auto rmsNormTestValues"):]
    block = block[:block.index("));\n") + 3]
    out = []
    for case in block.split("std::make_tuple(")[1:]:
        shapes = [[int(d) for d in m.split(",")] for m in re.findall(r"TestTensor\{\s*\{([\d, ]+)\}", case)]
        optionals = re.findall(r"(std::make_optional\(detail::TestTensor\{|std::nullopt)", case)
        expected = int(re.search(r"ExpectedResult\{true, (\d+)", case).group(1))
        rest = iter(shapes[2:])
        w, b = (next(rest) if o.startswith("std::make_optional") else None for o in optionals[:2])
        out.append((shapes[0], w, b, expected))
    return out


def test_opmodel_lib_rms_norm_cb_size(corpus):
    # rmsNormTestValues (bf16, tiled, interleaved; weight/bias 1-D tiled). Worked figures (2,048 B tiles):
    # [1,32,128,128] + w + b: Wt 4, block 4: c_0 4 + c_16 8 + c_2 2 + c_3 2 + c_19 2 + c_20 4 + c_21 8 + c_22 8
    #   + c_5 4 + c_6 4 = 46 tiles = 94,208 B;  [1,64,64,64]: Wt 2, block 2: 2+4+2+2+2+2+8 = 22 tiles = 45,056 B;
    # [1,32,32,32] + w + b: Wt 1: 1+2+2+2+2+1+8+2+1+1 = 22 tiles = 45,056 B;
    # [2,16,64,64] + w: Wt 2: 2+4+2+2+2+2+8+4+2 = 28 tiles = 57,344 B;  [1,16,32,32]: 1+2+2+2+2+1+8 = 18 = 36,864 B.
    cases = _rms_norm_cases(corpus)
    assert [c[3] for c in cases] == [94_208, 45_056, 45_056, 57_344, 36_864]
    for shape, w, b, expected in cases:
        r = analyze_op(norm_op("rms_norm", shape, w, b), ctx())
        assert r.confidence == "read-factory", r.formula
        assert peak(r) == expected, (shape, w, b, r.formula)


def test_opmodel_interface_rms_norm_cb_size(corpus):
    # TestOpModelInterface.cpp rmsNormOp: [1, 32, 128, 128] with weight and bias [128] -> 94,208 B (46 tiles, above).
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelInterface.cpp").read_text()
    start = text.index("TEST_F(OpModelBase, rmsNormOp)")
    case = text[start:text.index("TEST_F(", start + 10)]
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    r = analyze_op(norm_op("rms_norm", [1, 32, 128, 128], [128], [128]), ctx())
    assert peak(r) == expected == 94_208


def test_layer_norm_hand_computed():
    # layer_norm [1, 1, 64, 768] bf16 with weight and bias [768]: Wt = 24, block = find_max_divisor(24, 8) = 8.
    # c_0 24 + c_16 16 + c_18 2 + c_2 2 + c_3 2 + c_19 2 + c_24 24 + c_20 24 + c_21 8 + c_22 16 + c_5 24 + c_6 24
    # = 168 tiles x 2,048 = 344,064 B per core; 2 tile rows -> 2 cores, filled row-wise: (0, 0), (1, 0).
    r = analyze_op(norm_op("layer_norm", [1, 1, 64, 768], [768], [768]), ctx())
    assert peak(r) == 344_064
    assert r.core_groups[0].cores == [(0, 0), (1, 0)]


def test_layer_norm_large_tensor_hand_computed():
    # layer_norm [32, 16384] bf16, no weights: Wt = 512, block 8. The factory's fit check sums (in tiles of 2,048 B)
    # in0 512 + out0 16 + im0 512 + im3 512 + in5 512 + in6 512 + im6 16 + im5 16 + im4 8 + 4 x 2 = 2,624 tiles
    # = 5,373,952 B, not below 0.95 x 1,499,136 -> large kernel, WtB = 120 (no weights, bf16 input):
    # c_0 120 + c_16 16 + c_18 2 + c_2 2 + c_3 2 + c_19 2 + c_24 120 + c_20 120 + c_21 8 = 392 tiles = 802,816 B.
    r = analyze_op(norm_op("layer_norm", [32, 16384], None, None), ctx())
    assert peak(r) == 802_816


def test_rms_norm_latest_era_is_estimate():
    r = analyze_op(norm_op("rms_norm", [1, 64, 64, 64], None, None), ctx("2026-02"))
    assert r.confidence == "estimate"
