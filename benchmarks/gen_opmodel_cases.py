"""Write the OpModel agreement cases: tests/data/opmodel/*.mlir and manifest.json.

The cases are the legal ``cbSize`` assertions of tt-mlir's two OpModel gtests at tt-mlir @78b9ce3d
(2025-11-27): ``test/unittests/OpModel/TTNN/Lib/TestOpModelLib.cpp`` and
``test/unittests/OpModel/TTNN/Op/TestOpModelInterface.cpp`` (copies in the developer corpus,
``corpus/memory/graph-capture/``). Their figures are tt-metal's own (``query_op_constraints``, a
NO_DISPATCH graph capture on a Wormhole N300, 8x8 worker grid).

Each case below is transcribed by hand from the test: op, shapes, dtypes, layouts, memory configs and
attributes. Layouts follow the fixture (``OpModelFixture.h``): ``CreateTiledLayout`` is a bf16 32x32
tile layout, ``CreateTiledLayoutInt32`` an si32 (or ui32) tile layout, ``CreateRowMajorLayout`` a
row-major bf16 (or f32) layout; L1 tensors get the grid ``GetVirtualGridShape`` gives (8x8 for
interleaved, [min(n, 64), 1] height-sharded, [1, min(n, 64)] width-sharded, [min(8, Ht), min(8, Wt)]
block-sharded) unless the test passes one; DRAM and host tensors get a 1x1 grid. In the Interface test
an operand without an encoding and every output are L1-interleaved tiles (``OpModelBase``).

Layouts (buffer, memory layout, grid, memref, tile dtype) are what the test's helpers build. Where a test
declares a placeholder result type that tt-metal ignores (it computes the output shape itself; e.g.
``testReductionOp`` declares [2048, 1024] for a reduction over dim 1), the result is written with the
shape the op produces, and the case's note says so.

The expected ``cbSize`` of every case is read from the test text at the cited line (run with the
corpus present): the value after ``ExpectedResult{true,`` / in ``EXPECT_EQ(cbSize, N)`` /
``EXPECT_EQ(opCstr.cbL1PeakSize, N)`` / ``/*expectedCbSize=*/N``, with the generator adjustment the
test applies where it applies one (``extraCbRequirement``, bitwise ``* 2``), cited too.

Cases the test expects to fail (``ExpectedResult{false}``, ``EXPECT_FALSE``), tests that assert only a
bound (``EXPECT_GT`` / ``EXPECT_GE`` / ``EXPECT_LE``) and ``DISABLED_`` instantiations are not cases;
they are counted in the manifest's ``skipped`` section.

Usage: python benchmarks/gen_opmodel_cases.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "opmodel"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "memory" / "graph-capture"
LIB = "TestOpModelLib.cpp"
IFACE = "TestOpModelInterface.cpp"
FILES = {LIB: "tt-mlir_TestOpModelLib.cpp", IFACE: "tt-mlir_TestOpModelInterface.cpp"}
N300 = 64  # OpModelFixture::workerCoresN300
GRID = (8, 8)  # OpModelFixture::gridShapeHwN300


# -- tensors --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class T:
    """A fixture tensor: shape, buffer (dram / l1 / sys), memory layout, dtype, tiled, virtual grid."""

    shape: tuple[int, ...]
    buf: str = "dram"
    mem: str = "interleaved"
    dtype: str = "bf16"
    tiled: bool = True
    vgrid: tuple[int, int] | None = None

    def grid(self) -> tuple[int, int]:
        if self.buf != "l1":
            return (1, 1)
        if self.vgrid is not None:
            return self.vgrid
        # OpModelFixture::GetVirtualGridShape
        ps = _tile_padded(self.shape)
        rows = math.prod(ps[:-1])
        elems = rows * ps[-1]
        if self.mem == "width_sharded":
            return (1, min(elems, GRID[0] * GRID[1]))
        if self.mem == "height_sharded":
            return (min(elems, GRID[0] * GRID[1]), 1)
        if self.mem == "block_sharded":
            return (min(GRID[0], rows // 32), min(GRID[1], ps[-1] // 32))
        return GRID

    def layout(self) -> str:
        r = len(self.shape)
        dims = ", ".join(f"d{i}" for i in range(r))
        if r == 1:
            amap = f"({dims}) -> (0, d0)"
        else:
            terms = []
            for i in range(r - 1):
                stride = math.prod(self.shape[i + 1:r - 1])
                terms.append(f"d{i} * {stride}" if i < r - 2 else f"d{i}")
            amap = f"({dims}) -> ({' + '.join(terms)}, d{r - 1})"
        rows = math.prod(self.shape[:-1]) if r > 1 else 1
        cols = self.shape[-1]
        gy, gx = self.grid()
        if self.tiled:
            h, w = -(-rows // 32), -(-cols // 32)
            elem = f"!ttcore.tile<32x32, {self.dtype}>"
        else:
            h, w = rows, cols
            elem = self.dtype
        if self.buf == "l1" and self.mem == "interleaved":
            memref = (1, -(-(h * w) // (gy * gx)))
        elif self.buf == "l1":
            memref = (-(-h // gy), -(-w // gx))
        else:
            memref = (h, w)
        if self.buf == "l1" and self.mem == "height_sharded":
            grid = f"<{gy}x{gx}, (d0, d1) -> (0, d0 floordiv 8, d0 mod 8)>"
        elif self.buf == "l1" and self.mem == "width_sharded":
            grid = f"<{gy}x{gx}, (d0, d1) -> (0, d1 floordiv 8, d1 mod 8)>"
        else:
            grid = f"<{gy}x{gx}>"
        bt = {"dram": "#dram", "l1": "#l1", "sys": "#system_memory"}[self.buf]
        tail = "" if self.buf == "sys" else f", <{self.mem}>"
        return f"#ttnn.ttnn_layout<{amap}, {grid}, memref<{memref[0]}x{memref[1]}x{elem}, {bt}>{tail}>"

    def type(self) -> str:
        return f"tensor<{'x'.join(map(str, self.shape))}x{self.dtype}, {self.layout()}>"


def _tile_padded(shape: tuple[int, ...]) -> tuple[int, ...]:
    s = list(shape) if len(shape) > 1 else [1, *shape]
    s[-1] = -(-s[-1] // 32) * 32
    s[-2] = -(-s[-2] // 32) * 32
    return tuple(s)


# the fixture's named tensors (TestOpModelLib.cpp 56-75)
DRAM = T((N300, 1024))  # interleavedN300X1024Dram
L1 = T((N300, 1024), "l1")  # interleavedN300X1024L1
D2048 = T((2048, 2048), vgrid=(8, 8))  # interleaved2048X2048Dram (DRAM: grid 1x1)
L2048 = T((2048, 2048), "l1", vgrid=(8, 8))  # inerleaved2048X2048L1


def i32(t: T) -> T:
    return T(t.shape, t.buf, t.mem, "si32", t.tiled, t.vgrid)


def f32(t: T) -> T:
    return T(t.shape, t.buf, t.mem, "f32", t.tiled, t.vgrid)


def il1(*shape: int, dtype: str = "bf16") -> T:
    """The Interface test's default: L1-interleaved tiles."""
    return T(tuple(shape), "l1", dtype=dtype)


# -- cases ----------------------------------------------------------------------------------------------------------
@dataclass
class Case:
    id: str
    test: str  # gtest name
    file: str  # LIB / IFACE
    line: int  # the line holding the expected cbSize
    op: str
    operands: list[T]
    results: list[T]
    attrs: str = ""
    adjust: tuple[str, int] | None = None  # ("+4096" / "*2", line of the adjustment)
    note: str = ""
    device: bool = False  # the op takes the device as its last operand


CASES: list[Case] = []
SKIPPED: list[dict] = []


def case(*a, **k) -> None:
    CASES.append(Case(*a, **k))


def skip(file: str, line: int, test: str, why: str, n: int = 1) -> None:
    SKIPPED.append({"file": file, "line": line, "test": test, "why": why, "count": n})


# ---- TestOpModelLib.cpp: unary eltwise (unaryEltwiseParams 236-276, tanhParams 278-316) ----
UNARY_LIB = [  # (gtest suite, op, params) from the INSTANTIATE_TEST_SUITE_P list 318-401
    ("ReluTests", "relu"), ("Relu6Tests", "relu6"), ("SiluTests", "silu"), ("SqrtTests", "sqrt"),
    ("SigmoidTests", "sigmoid"), ("HardsigmoidTests", "hardsigmoid"), ("SinTests", "sin"), ("CosTests", "cos"),
    ("ExpTests", "exp"), ("TanhTests", "tanh"), ("LogTests", "log"), ("AbsTests", "abs"), ("CeilTests", "ceil"),
    ("SignTests", "sign"), ("ErfTests", "erf"), ("ErfcTests", "erfc"), ("FloorTests", "floor"),
    ("GeluTests", "gelu"), ("IsFiniteTests", "isfinite"), ("LogicalNotTests", "logical_not"),
    ("NegTests", "neg"), ("TanTests", "tan"), ("AtanTests", "atan"), ("RsqrtTests", "rsqrt"),
    ("Log1pTests", "log1p"), ("Expm1Tests", "expm1"), ("ReciprocalTests", "reciprocal"),
]
HS14 = T((14 * N300 * 32, 32), "l1", "height_sharded")
for suite, op in UNARY_LIB:
    rows = ([(282, DRAM, DRAM), (285, DRAM, L1), (288, L1, DRAM), (291, L1, L1), (299, HS14, HS14)] if op == "tanh"
            else [(241, DRAM, DRAM), (244, DRAM, L1), (247, L1, DRAM), (250, L1, L1), (258, HS14, HS14)])
    for line, a, o in rows:
        case(f"lib.{op}.{line}", f"{suite}/{op}", LIB, line, f"ttnn.{op}", [a], [o])
    skip(LIB, 268 if op != "tanh" else 307, f"{suite}/{op}", "expected illegal (interleaved <-> height-sharded)", 2)
skip(LIB, 397, "CbrtTests", "cbSize asserted as a lower bound only (EXPECT_EQ_OR_GE, line 104)", 5)
skip(LIB, 400, "BitwiseNotTests", "cbSize asserted as a lower bound only (EXPECT_EQ_OR_GE, line 149)", 5)

# ---- reductions: reductionParams 472-494 (input [64, 1024], dim_arg, keep_dim) ----
OUT_RED = T((N300, 1))
for suite, op in (("SumTests", "sum"), ("MeanTests", "mean"), ("MaxTests", "max"), ("MinTests", "min")):
    case(f"lib.{op}.478", suite, LIB, 478, f"ttnn.{op}", [DRAM], [T((N300, 1))],
         "dim_arg = [1 : i32], keep_dim = true")
    case(f"lib.{op}.488", suite, LIB, 488, f"ttnn.{op}", [DRAM], [T((1,))],
         "dim_arg = [1 : i32, 0 : i32], keep_dim = false")
    case(f"lib.{op}.493", suite, LIB, 493, f"ttnn.{op}", [L1], [T((N300,))],
         "dim_arg = [1 : i32], keep_dim = false")
    skip(LIB, 483, suite, "expected illegal (dim_arg [1, 2] on a 2-D tensor)")

# ---- ArgMax 503-563: [64, 64] row-major DRAM, dim 1 ----
RM64 = T((64, 64), tiled=False)
case("lib.argmax.521", "OpModelTest.ArgMax", LIB, 521, "ttnn.argmax", [RM64], [T((64,), tiled=False, dtype="ui32")],
     "dim = 1 : i32, keep_dim = false, use_multicore = false", note="output row-major; tt-metal argmax returns uint32")
case("lib.argmax.536", "OpModelTest.ArgMax", LIB, 536, "ttnn.argmax", [RM64],
     [T((64, 1), tiled=False, dtype="ui32")], "dim = 1 : i32, keep_dim = true, use_multicore = false")
case("lib.argmax.555", "OpModelTest.ArgMax", LIB, 555, "ttnn.argmax", [T((32, 128), tiled=False)],
     [T((32,), tiled=False, dtype="ui32")], "dim = 1 : i32, keep_dim = false, use_multicore = false")

# ---- Prod 565-601: [64, 64], dim 0, keep_dim false ----
P64 = T((64, 64))
case("lib.prod.583", "OpModelTest.Prod", LIB, 583, "ttnn.prod", [P64], [T((64,))], "dim_arg = 0 : i64, keep_dim = false")
case("lib.prod.592", "OpModelTest.Prod", LIB, 592, "ttnn.prod", [P64], [T((64,), "l1")],
     "dim_arg = 0 : i64, keep_dim = false")
skip(LIB, 599, "OpModelTest.Prod", "expected illegal (width-sharded output)")

# ---- Softmax 603-687 ----
SMX = "dimension = -1 : si32, numericStable = false"
for line, a, o in ((620, DRAM, DRAM), (629, DRAM, L1), (638, L1, DRAM), (647, L1, L1), (656, DRAM, DRAM)):
    case(f"lib.softmax.{line}", "OpModelTest.SoftmaxInterleaved", LIB, line, "ttnn.softmax", [a], [o], SMX)
HS16 = T((16 * N300 * 32, 32), "l1", "height_sharded")
HS16I = T((16 * N300 * 32, 32), "l1")
for line, a, o in ((1685, HS16, HS16), (1694, HS16, HS16I), (1703, HS16I, HS16)):
    case(f"lib.softmax.{line}", "OpModelTest.SoftmaxSharded", LIB, line, "ttnn.softmax", [a], [o],
         "dimension = -2 : si32, numericStable = false")
skip(LIB, 673, "OpModelTest.SoftmaxNumericStable", "no cbSize asserted")
skip(LIB, 689, "OpModelTest.Scatter", "no cbSize asserted")

# ---- Reshape 747-784: [64, 1024] -> [256, 256] ----
for line, o in ((762, T((256, 256))), (776, T((256, 256), "l1"))):
    case(f"lib.reshape.{line}", "OpModelTest.Reshape", LIB, line, "ttnn.reshape", [DRAM], [o],
         "shape = [256 : i32, 256 : i32]")
skip(LIB, 786, "OpModelTest.Slice", "cbSize asserted > 0 only")

# ---- SliceDynamic 814-848: [4, 32, 32], begins/ends [3] tiled DRAM, step [1, 1, 1] ----
case("lib.slice_dynamic.839", "OpModelTest.SliceDynamic", LIB, 839, "ttnn.slice_dynamic",
     [T((4, 32, 32)), T((3,)), T((3,))], [T((4, 32, 32))], "step = [1 : i32, 1 : i32, 1 : i32]",
     note="begins / ends are bf16 tiles (CreateTiledLayout), as in the test")

# ---- ToLayout 850-902: [64, 1024] tiled DRAM -> row-major DRAM ----
for line in (867, 893):
    case(f"lib.to_layout.{line}", "OpModelTest.ToLayout", LIB, line, "ttnn.to_layout", [DRAM],
         [T((N300, 1024), tiled=False)], "layout = #ttnn.layout<row_major>")
skip(LIB, 879, "OpModelTest.ToLayout", "expected illegal (row-major height-sharded output)")

# ---- ToMemoryConfig 904-958: [1, 8, 64, 128] L1 interleaved -> height-sharded on (0,0)-(7,0), shard 64x128 ----
case("lib.to_memory_config.950", "OpModelTest.ToMemoryConfig", LIB, 950, "ttnn.to_memory_config",
     [T((1, 8, 64, 128), "l1")], [T((1, 8, 64, 128), "l1", "height_sharded")],
     "memory_config = #ttnn.memory_config<#l1, <height_sharded>, #ttnn.shard_spec<<[#ttnn.core_range<(0,0), (7,0)>]>,"
     " <64x128>, <row_major>>>",
     note="output layout as the test builds it: CreateTiledLayout(height_sharded) -> grid [min(512x128, 64), 1] "
          "= 64x1; the memory config's shard spec (8 cores, 64x128) is what tt-metal uses")
skip(LIB, 904, "OpModelTest.ToMemoryConfig", "first call asserts cbSize > 0 only")

# ---- Concat 960-981: two [64, 1024] L1 -> DRAM, dim 0 ----
case("lib.concat.972", "OpModelTest.Concat", LIB, 972, "ttnn.concat", [L1, L1], [T((2 * N300, 1024))],
     "dim = 0 : si32")

# ---- Transpose 983-1032: [64, 1024] dims 0, 1 ----
for line, o in ((1000, T((1024, N300))), (1013, T((1024, N300), "l1"))):
    case(f"lib.transpose.{line}", "OpModelTest.Transpose", LIB, line, "ttnn.transpose", [DRAM], [o],
         "dim0 = 0 : si32, dim1 = 1 : si32")
skip(LIB, 1022, "OpModelTest.Transpose", "expected illegal (width-sharded output)")

# ---- MorehCumSum 1034-1083: [64, 1024], dim 0 ----
for line, o in ((1051, DRAM), (1064, L1)):
    case(f"lib.moreh_cumsum.{line}", "OpModelTest.MorehCumSum", LIB, line, "ttnn.moreh_cumsum", [DRAM], [o],
         "dim = 0 : i64")
skip(LIB, 1073, "OpModelTest.MorehCumSum", "expected illegal (width-sharded output)")

# ---- ConcatenateHeads 1131-1171 ----
for line, a, o in ((1141, T((1, 8, 512, 64), "l1"), T((1, 512, 512), "l1")),
                   (1150, T((2, 12, 1024, 64)), T((2, 1024, 768))),
                   (1159, T((1, 16, 256, 32)), T((1, 256, 512), "l1")),
                   (1168, T((4, 24, 2048, 128)), T((4, 2048, 3072)))):
    case(f"lib.concatenate_heads.{line}", "ConcatenateHeadsTests", LIB, line, "ttnn.concatenate_heads", [a], [o])

# ---- NLPConcatHeadsDecode 1173-1215: [1, 2, 32, 128] HS on [2, 1] -> [1, 1, 32, 1024] WS on [1, 2] ----
case("lib.nlp_concat_heads_decode.1207", "OpModelTest.NLPConcatHeadsDecodeOp", LIB, 1207,
     "ttnn.nlp_concat_heads_decode", [T((1, 2, 32, 128), "l1", "height_sharded", vgrid=(2, 1))],
     [T((1, 1, 32, 1024), "l1", "width_sharded", vgrid=(1, 2))], "num_heads = 8 : ui32")

# ---- SplitQueryKeyValueAndSplitHeads 1279-1378 ----
for line, a, q, nh, tk in ((1304, T((8, 16, 3072), "l1"), T((8, 32, 16, 32), "l1"), 32, False),
                           (1322, T((2, 1024, 2304)), T((2, 12, 1024, 64)), 12, False),
                           (1339, T((1, 256, 1536)), T((1, 16, 256, 32), "l1"), 16, False),
                           (1356, T((4, 2048, 9216)), T((4, 24, 2048, 128)), 24, False),
                           (1372, T((1, 512, 1536), "l1"), T((1, 16, 512, 32), "l1"), 16, True)):
    k = T((q.shape[0], q.shape[1], q.shape[3], q.shape[2]), q.buf) if tk else q
    case(f"lib.split_qkv.{line}", "SplitQueryKeyValueAndSplitHeadsTests", LIB, line,
         "ttnn.split_query_key_value_and_split_heads", [a], [q, k, q],
         f"num_heads = {nh} : ui32, transpose_key = {'true' if tk else 'false'}",
         note="the test passes one output layout (query's) for all three results")

# ---- RepeatInterleave 1380-1432 / Repeat 1434-1490: [64, 1024] ----
WS = T((N300, 1024), "l1", "width_sharded")
for line, a, o in ((1397, DRAM, T((128, 1024))), (1410, DRAM, T((128, 1024), "l1")),
                   (1424, L1, T((128, 1024), "l1", "width_sharded"))):
    case(f"lib.repeat_interleave.{line}", "OpModelTest.RepeatInterleave", LIB, line, "ttnn.repeat_interleave",
         [a], [o], "dim = 0 : si32, repeats = 2 : ui32")
for line, a, o in ((1454, DRAM, T((128, 1024))), (1468, DRAM, T((128, 1024), "l1")),
                   (1482, L1, T((128, 1024), "l1", "width_sharded"))):
    case(f"lib.repeat.{line}", "OpModelTest.Repeat", LIB, line, "ttnn.repeat", [a], [o],
         "repeat_dims = #ttnn.shape<2x1>")

# ---- Pad 1492-1548: [64, 1024], padding {0, 2, 0, 2}, value 1.0 ----
for line, o in ((1514, T((66, 1026))), (1528, T((66, 1026), "l1"))):  # (low, high) per dim: 64+2, 1024+2
    case(f"lib.pad.{line}", "OpModelTest.Pad", LIB, line, "ttnn.pad", [DRAM], [o],
         "padding = array<i32: 0, 2, 0, 2>, use_multicore = false, value = 1.000000e+00 : f32")
skip(LIB, 1537, "OpModelTest.Pad", "expected illegal (width-sharded output)")

# ---- Sort 1550-1601: [64, 64], dim 0 ----
for line, o in ((1568, P64), (1582, T((64, 64), "l1"))):
    case(f"lib.sort.{line}", "OpModelTest.Sort", LIB, line, "ttnn.sort", [P64], [o, T(o.shape, o.buf, dtype="ui16")],
         "descending = false, dim = 0 : si8, stable = false")
skip(LIB, 1591, "OpModelTest.Sort", "expected illegal (width-sharded output)")
skip(LIB, 1603, "OpModelTest.MaxPool2dWithIndices", "cbSize asserted > 0 only", 2)

# ---- Typecast 1713-1756: [32768, 32] bf16 DRAM -> f32 DRAM ----
case("lib.typecast.1733", "OpModelTest.Typecast", LIB, 1733, "ttnn.typecast", [T((16 * N300 * 32, 32))],
     [T((16 * N300 * 32, 32), dtype="f32")], "dtype = #ttcore.supportedDataTypes<f32>")
skip(LIB, 1744, "OpModelTest.Typecast", "expected illegal (height-sharded output)")

# ---- binary eltwise: binaryEltwiseParams 1923-1985, binaryEltwiseParamsForRemainderAndPow 1993-2022 ----
HS8 = T((16 * N300 * 32, 32), "l1", "height_sharded", vgrid=(8, 1))
D32K = T((16 * N300 * 32, 32))
BIN_ROWS = [(1926, DRAM, DRAM, DRAM), (1933, DRAM, L1, DRAM), (1936, L1, DRAM, DRAM), (1939, L1, L1, DRAM),
            (1942, L1, L1, L1), (1945, DRAM, L1, L1), (1948, L1, DRAM, L1), (1951, DRAM, DRAM, L1),
            (1963, HS8, D32K, HS8), (1974, HS8, D32K, D32K), (1985, D32K, D32K, HS8)]
BIN_ROWS_POW = [(1997, DRAM, DRAM, DRAM), (2004, DRAM, L1, DRAM), (2007, L1, DRAM, DRAM), (2010, L1, L1, DRAM),
                (2013, L1, L1, L1), (2016, DRAM, L1, L1), (2019, L1, DRAM, L1), (2022, DRAM, DRAM, L1)]
BINARY_LIB = [  # (suite, op, instantiation line, adjustment)
    ("AddTests", "add", 2071, None), ("MulTests", "multiply", 2074, None), ("SubtractTests", "subtract", 2077, None),
    ("MaximumTests", "maximum", 2086, None), ("MinimumTests", "minimum", 2089, None),
    ("DivideTests", "divide", 2092, None), ("EqualTests", "equal", 2095, None),
    ("NotEqualTests", "not_equal", 2098, None), ("GreaterEqualTests", "greater_equal", 2101, None),
    ("GreaterThanTests", "greater_than", 2104, None), ("LessEqualTests", "less_equal", 2107, None),
    ("LessThanTests", "less_than", 2110, None), ("LogicalAndTests", "logical_and", 2113, ("+4096", 2115)),
    ("LogicalOrTests", "logical_or", 2117, ("+4096", 2119)), ("LogicalXorTests", "logical_xor", 2121, ("+4096", 2123)),
    ("BitwiseAndTests", "bitwise_and", 2125, ("*2", 2049)), ("BitwiseOrTests", "bitwise_or", 2128, ("*2", 2049)),
    ("BitwiseXorTests", "bitwise_xor", 2131, ("*2", 2049)),
]
for suite, op, _, adj in BINARY_LIB:
    for line, a, b, o in BIN_ROWS:
        conv = i32 if op.startswith("bitwise") else (lambda t: t)
        case(f"lib.{op}.{line}", suite, LIB, line, f"ttnn.{op}", [conv(a), conv(b)], [conv(o)], adjust=adj)
    skip(LIB, 1929, suite, "expected illegal (incompatible input shapes)")
for suite, op in (("PowTests", "pow_tensor"),):
    for line, a, b, o in BIN_ROWS_POW:
        case(f"lib.{op}.{line}", suite, LIB, line, f"ttnn.{op}", [a, b], [o])
    skip(LIB, 2000, suite, "expected illegal (incompatible input shapes)")
skip(LIB, 2139, "RemainderTests", "cbSize asserted as a lower bound only (line 1800)", 9)
skip(LIB, 2143, "Atan2Tests", "cbSize asserted as a lower bound only (line 1800)", 12)
skip(LIB, 2080, "LogicalRightShiftTests", "int32; cbSize asserted as a lower bound only (line 1849)", 12)
skip(LIB, 2083, "LogicalLeftShiftTests", "int32; cbSize asserted as a lower bound only (line 1849)", 12)

# ---- PowScalar 2207-2227: [1, 1, 16384, 32] DRAM -> L1 ----
PS_IN, PS_OUT = T((1, 1, 128 * 128, 32)), T((1, 1, 128 * 128, 32), "l1")
case("lib.pow_scalar.2217", "PowScalarTests", LIB, 2217, "ttnn.pow_scalar", [PS_IN], [PS_OUT],
     "rhs = 2.000000e+00 : f32")
case("lib.pow_scalar.2226", "PowScalarTests", LIB, 2226, "ttnn.pow_scalar", [PS_IN], [PS_OUT], "rhs = 3 : ui32")
skip(LIB, 2296, "DISABLED_LinearInterleavedTests", "disabled instantiation", 8)
skip(LIB, 2347, "DISABLED_LinearShardedTests", "disabled instantiation", 6)

# ---- Matmul 2537-2688 ----
for line, a, b, o in ((2544, D2048, D2048, D2048), (2549, D2048, D2048, L2048), (2555, D2048, L2048, D2048),
                      (2560, D2048, L2048, L2048), (2566, L2048, D2048, D2048), (2571, L2048, D2048, L2048),
                      (2577, L2048, L2048, D2048), (2582, L2048, L2048, L2048)):
    case(f"lib.matmul.{line}", "MatmulInterleavedTests", LIB, line, "ttnn.matmul", [a, b], [o],
         "transpose_a = false, transpose_b = false")
BS56 = T((56 * 32, 56 * 32), "l1", "block_sharded", vgrid=(7, 8))
D56 = T((56 * 32, 56 * 32))
WS56 = T((32, 56 * 32), "l1", "width_sharded", vgrid=(1, 56))
HS56 = T((56 * 32, 32), "l1", "height_sharded", vgrid=(56, 1))
HS56o = T((56 * 32, 56 * 32), "l1", "height_sharded", vgrid=(56, 1))
for line, a, b, o in ((2601, BS56, D56, BS56), (2631, D56, D56, BS56), (2646, BS56, D56, D56),
                      (2673, WS56, D56, WS56), (2687, HS56, T((32, 56 * 32)), HS56o)):
    case(f"lib.matmul.{line}", "MatmulShardedTests", LIB, line, "ttnn.matmul", [a, b], [o],
         "transpose_a = false, transpose_b = false")
skip(LIB, 2616, "MatmulShardedTests", "expected illegal", 2)
skip(LIB, 2785, "Conv2dTests", "cbSize asserted > 0 only", 2)
skip(LIB, 2903, "ConvTranspose2dTests", "cbSize asserted > 0 only")
skip(LIB, 3038, "MaxPool2DTests/AvgPool2DTests", "cbSize asserted > 0 only", 8)
skip(LIB, 3157, "GlobalAvgPool2dTests", "cbSize asserted as a lower bound (>= 0) only", 6)
skip(LIB, 3211, "LeakyRelu/ClampScalar/ClampTensor/Permute/Upsample", "cbSize asserted > 0 only", 7)

# ---- Embedding 3567-3587: output [b, s, hidden] L1 interleaved tiles; inputs tiled bf16 ----
case("lib.embedding.3577", "EmbeddingTests", LIB, 3577, "ttnn.embedding", [T((1, 1024)), T((256, 128))],
     [T((1, 1024, 128), "l1")])
case("lib.embedding.3587", "EmbeddingTests", LIB, 3587, "ttnn.embedding",
     [T((2, 512), "l1", vgrid=(2, 1)), T((512, 256))], [T((2, 512, 256), "l1")])

# ---- EmbeddingBackward 3589-3619 ----
case("lib.embedding_backward.3609", "OpModelTest.EmbeddingBackwardOp", LIB, 3609, "ttnn.embedding_bw",
     [T((2, 1024), tiled=False), T((3200, 4096), tiled=False), T((1, 1, 2048, 4096), "l1")],
     [T((1, 1, 2048, 4096), "l1")])

# ---- Where 3621-3643 ----
case("lib.where.3634", "OpModelTest.Where", LIB, 3634, "ttnn.where", [DRAM, DRAM, DRAM], [L1])

# ---- creation ops ----
case("lib.empty.3669", "OpModelTest.EmptyOp", LIB, 3669, "ttnn.empty", [], [T((N300, 1024), "l1")],
     "dtype = #ttcore.supportedDataTypes<f32>, layout = #ttnn.layout<tile>, memory_config = "
     "#ttnn.memory_config<#l1, <interleaved>>, shape = #ttnn.shape<64x1024>", device=True)
case("lib.arange.3704", "OpModelTest.ArangeOp", LIB, 3704, "ttnn.arange", [], [T((10,), dtype="f32", tiled=False)],
     "dtype = #ttcore.supportedDataTypes<f32>, end = 10 : i64, memory_config = #ttnn.memory_config<#dram, "
     "<interleaved>>, start = 0 : i64, step = 1 : i64", device=True)
for suite, op in (("CreationOps/OpModelZerosParam", "zeros"), ("CreationOps/OpModelOnesParam", "ones")):
    case(f"lib.{op}.3753", suite, LIB, 3753, f"ttnn.{op}", [], [T((1024, 256), "l1", "block_sharded")],
         "shape = #ttnn.shape<1024x256>", device=True)
case("lib.full.3772", "OpModelTest.FullOp", LIB, 3772, "ttnn.full", [], [DRAM],
     "fill_value = 0 : i32, shape = #ttnn.shape<64x1024>", device=True)
case("lib.prepare_conv2d_weights.3864", "PrepareConv2dWeightsTests", LIB, 3864, "ttnn.prepare_conv2d_weights",
     [T((64, 3, 7, 7), "sys", dtype="f32", tiled=False)], [T((64, 3, 7, 7))],
     "batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 1 : i32, has_bias = false, input_height = 224 : "
     "i32, input_memory_config = #ttnn.memory_config<#dram, <interleaved>>, input_tensor_layout = "
     "#ttnn.layout<row_major>, input_width = 224 : i32, in_channels = 3 : i32, kernel_size = array<i32: 7, 7>, "
     "out_channels = 64 : i32, padding = array<i32: 3, 3>, stride = array<i32: 2, 2>, weights_format = \"OIHW\", "
     "input_dtype = #ttcore.supportedDataTypes<f32>", device=True)
case("lib.prepare_conv2d_bias.3957", "PrepareConv2dBiasTests", LIB, 3957, "ttnn.prepare_conv2d_bias",
     [T((1, 1, 1, 64), "sys", dtype="f32", tiled=False)], [T((1, 1, 1, 64))],
     "batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 1 : i32, input_height = 224 : i32, "
     "input_memory_config = #ttnn.memory_config<#dram, <interleaved>>, input_tensor_layout = "
     "#ttnn.layout<row_major>, input_width = 224 : i32, in_channels = 3 : i32, kernel_size = array<i32: 7, 7>, "
     "out_channels = 64 : i32, padding = array<i32: 3, 3>, stride = array<i32: 2, 2>, "
     "input_dtype = #ttcore.supportedDataTypes<f32>", device=True)

# ---- BatchNorm 4082-4164 ----
BN1 = [T((1, 32, 1, 1))] * 4
case("lib.batch_norm_inference.4100", "BatchNormTests", LIB, 4100, "ttnn.batch_norm_inference",
     [T((1, 32, 128, 128)), *BN1], [T((1, 32, 128, 128))], "epsilon = 9.99999974E-6 : f32")
case("lib.batch_norm_training.4109", "BatchNormTests", LIB, 4109, "ttnn.batch_norm_training",
     [T((1, 64, 64, 64))], [T((1, 64, 64, 64))], "epsilon = 9.99999974E-6 : f32, momentum = 1.000000e-01 : f32")
case("lib.batch_norm_inference.4145", "BatchNormTests", LIB, 4145, "ttnn.batch_norm_inference",
     [T((1, 32, 32, 32), "l1"), *[T((1, 32, 1, 1), "l1")] * 4], [T((1, 32, 32, 32), "l1")],
     "epsilon = 9.99999974E-6 : f32")
skip(LIB, 4128, "BatchNormTests", "expected illegal", 2)

# ---- RMSNorm 4246-4301 ----
for line, shape, buf, w, b in ((4259, (1, 32, 128, 128), "dram", (128,), (128,)),
                               (4268, (1, 64, 64, 64), "dram", None, None),
                               (4280, (1, 32, 32, 32), "l1", (32,), (32,)),
                               (4290, (2, 16, 64, 64), "dram", (64,), None),
                               (4299, (1, 16, 32, 32), "dram", None, None)):
    ops = [T(shape, buf)] + ([T(w, buf)] if w else []) + ([T(b, buf)] if b else [])
    seg = f"array<i32: 1, {1 if w else 0}, {1 if b else 0}>"
    case(f"lib.rms_norm.{line}", "RMSNormTests", LIB, line, "ttnn.rms_norm", ops, [T(shape, buf)],
         f"epsilon = 9.99999996E-13 : f32, operandSegmentSizes = {seg}")

# ---- Constant 4380-4432: output CreateTiledLayout(L1) (bf16 tiles) or CreateTiledLayoutInt32 for int32 ----
for line, shape, et, tdt in ((4387, (2, 2), "ui32", "bf16"), (4394, (2, 2), "si32", "si32"),
                             (4401, (32, 32), "si32", "si32"), (4412, (2, 3, 4), "ui16", "bf16"),
                             (4423, (4, 4), "ui8", "bf16")):
    out = T(shape, "l1", dtype=tdt)
    txt = out.type().replace(f"x{tdt}, ", f"x{et}, ", 1) if et != tdt else out.type()
    case(f"lib.constant.{line}", "ConstantOpTests", LIB, line, "ttnn.constant", [], [out],
         f"value = dense<1> : tensor<{'x'.join(map(str, shape))}x{et}>", note=f"result element type {et}; {txt}",
         device=True)

# ---- Rand 4434-4490: [64, 1024] ----
for line, o, dt in ((4454, DRAM, "bf16"), (4465, L1, "bf16"), (4476, DRAM, "bf16"), (4487, DRAM, "f32")):
    case(f"lib.rand.{line}", "OpModelTest.RandOp", LIB, line, "ttnn.rand", [], [o],
         f"dtype = #ttcore.supportedDataTypes<{dt}>, high = 1.000000e+00 : f32, layout = #ttnn.layout<tile>, "
         "low = 0.000000e+00 : f32, memory_config = #ttnn.memory_config<#dram, <interleaved>>, seed = 0 : ui32, "
         "size = #ttnn.shape<64x1024>", device=True,
         note="the f32 call keeps the bf16 DRAM output layout, as in the test" if dt == "f32" else "")

# ---- caches 4492-4705 ----
CACHE, CIN = T((1, 32, 64, 512)), T((1, 32, 3, 512))
case("lib.fill_cache.4516", "OpModelTest.FillCacheOp", LIB, 4516, "ttnn.fill_cache", [CACHE, CIN], [],
     "batch_offset = 0 : i32")
case("lib.fill_cache.4545", "OpModelTest.FillCacheOp", LIB, 4545, "ttnn.fill_cache",
     [T((1, 32, 64, 512), "l1"), T((1, 32, 3, 512), "l1")], [], "batch_offset = 0 : i32")
case("lib.update_cache.4589", "OpModelTest.UpdateCacheOp", LIB, 4589, "ttnn.update_cache",
     [CACHE, CIN, T((1,), dtype="ui32")], [], "batch_offset = 0 : i32")
case("lib.update_cache.4618", "OpModelTest.UpdateCacheOp", LIB, 4618, "ttnn.update_cache",
     [T((1, 32, 64, 512), "l1"), T((1, 32, 3, 512), "l1"), T((1,), "l1", dtype="ui32")], [], "batch_offset = 0 : i32")
case("lib.paged_update_cache.4659", "OpModelTest.PagedUpdateCacheOp", LIB, 4659, "ttnn.paged_update_cache",
     [T((128, 4, 32, 256)), T((1, 8, 12, 256), "l1", "height_sharded"), T((8,), dtype="si32", tiled=False),
      T((8, 16), dtype="si32", tiled=False)], [], "share_cache = false")
case("lib.paged_fill_cache.4692", "OpModelTest.PagedFillCacheOp", LIB, 4692, "ttnn.paged_fill_cache",
     [T((128, 4, 32, 256)), T((1, 12, 65, 256)), T((8, 16), dtype="si32", tiled=False),
      T((1,), dtype="si32", tiled=False)], [])

# ---- Quantize 4783-4850 / Requantize 4945-5028 / Dequantize 5106-5190 ----
for line, shp, sc, buf_in, buf_sc, buf_out, axis in (
        (4795, (32, 64), (1,), "l1", "l1", "l1", None), (4807, (32, 64), (64,), "l1", "l1", "l1", 1),
        (4819, (128, 256), (256,), "l1", "l1", "l1", 1), (4833, (512, 1024), (1024,), "dram", "dram", "dram", 1),
        (4846, (64, 128), (128,), "dram", "l1", "l1", 1)):
    ax = "" if axis is None else f"axis = {axis} : i32, "
    case(f"lib.quantize.{line}", "QuantizeTests", LIB, line, "ttnn.quantize",
         [T(shp, buf_in), T(sc, buf_sc), i32(T(sc, buf_sc))], [i32(T(shp, buf_out))],
         ax + "output_dtype = #ttcore.supportedDataTypes<si32>")
for line, shp, sc, buf_in, buf_sc, buf_out, axis in (
        (4961, (32, 64), (1,), "l1", "l1", "l1", None), (4977, (128, 256), (256,), "l1", "l1", "l1", 1),
        (4994, (512, 1024), (1024,), "dram", "dram", "dram", 1), (5008, (256, 512), (1,), "dram", "dram", "dram", None),
        (5025, (64, 128), (128,), "dram", "l1", "l1", 1)):
    ax = "" if axis is None else f"axis = {axis} : i32, "
    case(f"lib.requantize.{line}", "RequantizeTests", LIB, line, "ttnn.requantize",
         [i32(T(shp, buf_in)), T(sc, buf_sc), i32(T(sc, buf_sc)), T(sc, buf_sc), i32(T(sc, buf_sc))],
         [i32(T(shp, buf_out))], ax + "output_dtype = #ttcore.supportedDataTypes<si32>")

# ---- Dequantize: rows read from 5108-5187 ----
for line, shp, sc, buf_in, buf_sc, buf_out, axis in (
        (5118, (32, 64), (1,), "l1", "l1", "l1", None), (5129, (32, 64), (64,), "l1", "l1", "l1", 1),
        (5140, (128, 256), (256,), "l1", "l1", "l1", 1), (5153, (512, 1024), (1024,), "dram", "dram", "dram", 1),
        (5163, (256, 512), (1,), "dram", "dram", "dram", None), (5176, (64, 128), (128,), "dram", "l1", "l1", 1),
        (5187, (32, 64), (1,), "l1", "l1", "dram", None)):
    ax = "" if axis is None else f"axis = {axis} : i32, "
    case(f"lib.dequantize.{line}", "DequantizeTests", LIB, line, "ttnn.dequantize",
         [i32(T(shp, buf_in)), T(sc, buf_sc), i32(T(sc, buf_sc))], [T(shp, buf_out)],
         ax + "output_dtype = #ttcore.supportedDataTypes<bf16>")
# (the last Dequantize row, 5187: [128, 192] L1 in, scale / zero point DRAM, output DRAM)
CASES[-1] = Case("lib.dequantize.5187", "DequantizeTests", LIB, 5187, "ttnn.dequantize",
                 [i32(T((128, 192), "l1")), T((1,)), i32(T((1,)))], [T((128, 192))],
                 "output_dtype = #ttcore.supportedDataTypes<bf16>")
skip(LIB, 5313, "ScaledDotProductAttentionDecodeTests", "cbSize asserted as an upper bound only (EXPECT_LE)", 8)
skip(LIB, 5637, "PagedScaledDotProductAttentionDecodeTests", "cbSize asserted as an upper bound only", 1)
skip(LIB, 5797, "ScaledDotProductAttentionTests", "cbSize asserted as an upper bound only", 4)

# ---- Assign 5801-5877: [64, 64] f32 ----
case("lib.assign.5822", "OpModelTest.AssignOp", LIB, 5822, "ttnn.assign", [f32(P64)], [f32(P64)],
     "memory_config = #ttnn.memory_config<#dram, <interleaved>>")
case("lib.assign.5844", "OpModelTest.AssignOp", LIB, 5844, "ttnn.assign", [f32(T((64, 64), "l1"))],
     [f32(T((64, 64), "l1"))], "memory_config = #ttnn.memory_config<#l1, <interleaved>>")
case("lib.assign.5869", "OpModelTest.AssignOp", LIB, 5869, "ttnn.assign", [f32(T((64, 64), "l1"))],
     [T((64, 64), "l1")], "dtype = #ttcore.supportedDataTypes<bf16>, memory_config = #ttnn.memory_config<#l1, "
     "<interleaved>>")

# ==== TestOpModelInterface.cpp (default: operands and outputs L1-interleaved tiles, OpModelBase 31-52) ====
I64 = il1(N300, 1024)
UNARY_IF = [("Relu", "relu"), ("Relu6", "relu6"), ("Hardsigmoid", "hardsigmoid"), ("Silu", "silu"), ("Sin", "sin"),
            ("Cos", "cos"), ("Exp", "exp"), ("Tanh", "tanh"), ("Log", "log"), ("Abs", "abs"), ("Ceil", "ceil"),
            ("Sign", "sign"), ("Erf", "erf"), ("Erfc", "erfc"), ("Floor", "floor"), ("Reciprocal", "reciprocal"),
            ("Cbrt", "cbrt"), ("Gelu", "gelu"), ("IsFinite", "isfinite"), ("LogicalNot", "logical_not"),
            ("Neg", "neg"), ("Tan", "tan"), ("Atan", "atan"), ("Rsqrt", "rsqrt"), ("Log1p", "log1p"),
            ("Expm1", "expm1")]  # unaryOpTestParams 311-337
for name, op in UNARY_IF:
    line = {"tanh": 200, "cbrt": 199}.get(op, 198)  # expected / cbrtExpected / tanhExpected
    for test in ("TestOpInterface", "TestOpInterfaceNullOutput"):
        case(f"if.{op}.{test}", f"UnaryOpModelTests/UnaryOpModelTest.{test}/{name}", IFACE, line, f"ttnn.{op}",
             [I64], [I64])
BINARY_IF = [("Add", "add", 482), ("Subtract", "subtract", 482), ("Multiply", "multiply", 482),
             ("Divide", "divide", 482), ("Equal", "equal", 482), ("NotEqual", "not_equal", 482),
             ("GreaterEqual", "greater_equal", 482), ("GreaterThan", "greater_than", 482),
             ("LessEqual", "less_equal", 482), ("LessThan", "less_than", 482), ("LogicalAnd", "logical_and", 487),
             ("LogicalOr", "logical_or", 487), ("LogicalXor", "logical_xor", 487), ("Maximum", "maximum", 482),
             ("Minimum", "minimum", 482), ("Pow", "pow_tensor", 482), ("Remainder", "remainder", 491),
             ("Atan2", "atan2", 489)]  # binaryOpTestParams 575-593
for name, op, line in BINARY_IF:
    for test in ("TestOpInterface", "TestOpInterfaceNullOutput"):
        case(f"if.{op}.{test}", f"BinaryOpModelTests/BinaryOpModelTest.{test}/{name}", IFACE, line, f"ttnn.{op}",
             [I64, I64], [I64])
DI32 = i32(DRAM)
for name, op in (("BitwiseAnd", "bitwise_and"), ("BitwiseOr", "bitwise_or"), ("BitwiseXor", "bitwise_xor")):
    case(f"if.{op}", f"BinaryBitwiseOpModelTests/BinaryBitwiseOpModelTest.TestOpInterface/{name}", IFACE, 493,
         f"ttnn.{op}", [DI32, DI32], [DI32])
case("if.pow_scalar", "OpModelBase.PowScalarOp", IFACE, 634, "ttnn.pow_scalar", [I64], [I64],
     "rhs = 2.000000e+00 : f32")
L1I32 = i32(I64)
case("if.bitwise_not", "OpModelBase.BitwiseNotOpInterface", IFACE, 682, "ttnn.bitwise_not", [L1I32], [L1I32])
case("if.logical_right_shift", "OpModelBase.LogicalRightShiftOpInterface", IFACE, 738, "ttnn.logical_right_shift",
     [L1I32, L1I32], [L1I32])
case("if.logical_left_shift", "OpModelBase.LogicalLeftShiftOpInterface", IFACE, 793, "ttnn.logical_left_shift",
     [L1I32, L1I32], [L1I32])
case("if.sqrt", "OpModelBase.SqrtOpInterface", IFACE, 826, "ttnn.sqrt", [I64], [I64])
case("if.sigmoid", "OpModelBase.SigmoidOpInterface", IFACE, 858, "ttnn.sigmoid", [I64], [I64])
case("if.softmax", "OpModelBase.SoftmaxOpInterface", IFACE, 890, "ttnn.softmax", [I64], [I64],
     "dimension = -1 : si32, numericStable = false")
for line, test in ((928, "LinearOpInterface"), (968, "LinearOpInterfaceNullOutput")):
    case(f"if.linear.{line}", f"OpModelBase.{test}", IFACE, line, "ttnn.linear",
         [il1(2048, 1024), il1(1024, 2048), il1(2048, 2048)], [il1(2048, 2048)],
         "transpose_a = false, transpose_b = false")
for line, test in ((1032, "MatmulOpInterface"), (1069, "MatmulOpInterfaceNullOutput")):
    case(f"if.matmul.{line}", f"OpModelBase.{test}", IFACE, line, "ttnn.matmul", [il1(2048, 1024), il1(1024, 2048)],
         [il1(2048, 2048)], "transpose_a = false, transpose_b = false")
skip(IFACE, 1003, "OpModelBase.LinearOpInterfacePartialOutput", "output grid chosen by the op (ignorePhysicalLayout)")
skip(IFACE, 1101, "OpModelBase.MatmulOpInterfacePartialOutput", "output grid chosen by the op (ignorePhysicalLayout)")
for name, op, line in (("Mean", "mean", 1161), ("Max", "max", 1173), ("Min", "min", 1185), ("Sum", "sum", 1197)):
    case(f"if.{op}", f"OpModelBase.{name}OpInterface", IFACE, line, f"ttnn.{op}", [il1(2048, 1024)],
         [il1(2048, 1)], "dim_arg = [1 : i64], keep_dim = true",
         note="the test declares the result type [2048, 1024] (testReductionOp 1116-1150); the op's is [2048, 1]")
case("if.argmax", "OpModelBase.ArgMaxOpInterface", IFACE, 1229, "ttnn.argmax", [RM64],
     [T((64,), tiled=False, dtype="ui32")], "dim = 1 : i32, keep_dim = false, use_multicore = false",
     note="the test declares the result type [64, 64] bf16; the op's is [64] uint32")
case("if.prod", "OpModelBase.ProdOpInterface", IFACE, 1263, "ttnn.prod", [il1(64, 64)], [il1(64)],
     "dim_arg = 0 : i64, keep_dim = false", note="the test declares the result type [64, 64]; the op's is [64]")
skip(IFACE, 1298, "OpModelBase.ScatterOpInterface", "cbSize asserted as a lower bound only")
for line in (1339, 1359):
    case(f"if.reshape.{line}", "OpModelBase.ReshapeOpInterface", IFACE, line, "ttnn.reshape", [I64],
         [il1(256, 256)], "shape = [256 : i64, 256 : i64]", note="1359 is the cached second query")
skip(IFACE, 1406, "OpModelBase.SliceStaticOpInterface", "cbSize asserted > 0 only")
case("if.slice_dynamic", "OpModelBase.SliceDynamicOpInterface", IFACE, 1452, "ttnn.slice_dynamic",
     [T((4, 32, 32)), il1(3), il1(3)], [il1(2, 16, 16)], "step = [1 : i32, 1 : i32, 1 : i32]")
case("if.to_layout", "OpModelBase.toLayoutOp", IFACE, 1499, "ttnn.to_layout", [T((N300, 1024), tiled=False)],
     [DRAM], "layout = #ttnn.layout<tile>")
skip(IFACE, 1544, "OpModelBase.toMemoryConfigOp / concatOp", "cbSize asserted > 0 only", 2)
case("if.transpose", "OpModelBase.transposeOp", IFACE, 1616, "ttnn.transpose", [I64], [il1(1024, N300)],
     "dim0 = 0 : si32, dim1 = 1 : si32")
case("if.moreh_cumsum", "OpModelBase.morehCumSumOp", IFACE, 1650, "ttnn.moreh_cumsum", [il1(128, 128)],
     [il1(128, 128)], "dim = 0 : i64")
case("if.concatenate_heads", "OpModelBase.ConcatenateHeadsOpInterface", IFACE, 1694, "ttnn.concatenate_heads",
     [il1(1, 8, 512, 64)], [il1(1, 512, 512)])
case("if.rotary_embedding_llama", "OpModelBase.RotaryEmbeddingLlamaOpInterface", IFACE, 1739,
     "ttnn.rotary_embedding_llama", [il1(1, 1, 1, 32)] * 3 + [il1(1, 1, 32, 32)], [il1(1, 1, 1, 32)],
     "is_decode_mode = false")
case("if.rotary_embedding", "OpModelBase.RotaryEmbeddingOpInterface", IFACE, 1782, "ttnn.rotary_embedding",
     [il1(1, 32, 1024, 64), il1(1, 1, 1024, 64), il1(1, 1, 1024, 64)], [il1(1, 32, 1024, 64)])
case("if.nlp_create_qkv_heads_decode", "OpModelBase.NLPCreateQKVHeadsDecodeOpInterface", IFACE, 1839,
     "ttnn.nlp_create_qkv_heads_decode", [il1(1, 1, 32, 3072)], [il1(1, 32, 32, 32)] * 3,
     "num_heads = 32 : ui32, num_kv_heads = 32 : ui32, overlap_qk_coregrid = true")
case("if.split_qkv", "OpModelBase.SplitQueryKeyValueAndSplitHeadsOpInterface", IFACE, 1890,
     "ttnn.split_query_key_value_and_split_heads", [il1(8, 16, 3072)], [il1(8, 32, 16, 32)] * 3,
     "num_heads = 32 : ui32, transpose_key = false")
skip(IFACE, 1971, "OpModelBase.ScaledDotProductAttention*OpInterface", "cbSize asserted as an upper bound only", 3)
case("if.nlp_concat_heads", "OpModelBase.NLPConcatHeadsOpInterface", IFACE, 2196, "ttnn.nlp_concat_heads",
     [il1(1, 8, 512, 64)], [il1(1, 1, 512, 512)])
case("if.repeat_interleave", "OpModelBase.repeatInterleaveOp", IFACE, 2231, "ttnn.repeat_interleave",
     [il1(128, 128)], [il1(256, 128)], "dim = 0 : si32, repeats = 2 : ui32",
     note="the test declares the result type [128, 128]; the op's is [256, 128]")
case("if.repeat", "OpModelBase.repeatOp", IFACE, 2268, "ttnn.repeat", [il1(128, 128)], [il1(256, 128)],
     "repeat_dims = #ttnn.shape<2x1>", note="the test declares the result type [128, 128]; the op's is [256, 128]")
case("if.pad", "OpModelBase.padOp", IFACE, 2305, "ttnn.pad", [il1(64, 64)], [il1(66, 66)],
     "padding = array<i32: 0, 2, 0, 2>, use_multicore = false, value = 0.000000e+00 : f32")
case("if.sort", "OpModelBase.sortOp", IFACE, 2342, "ttnn.sort", [il1(64, 64)], [il1(64, 64), il1(64, 64)],
     "descending = false, dim = 0 : si8, stable = false")
skip(IFACE, 2415, "OpModelBase.maxPool2dWithIndicesOp", "cbSize asserted > 0 only")
case("if.typecast", "OpModelBase.typecastOp", IFACE, 2449, "ttnn.typecast", [I64], [f32(I64)],
     "dtype = #ttcore.supportedDataTypes<f32>",
     note="the test's output layout (getOutputLayout) is a bf16 tile layout; the op's dtype is f32, which is "
          "what tt-metal produces, so the result is written with f32 tiles")
CONV = ("batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 1 : i32, in_channels = 3 : i32, "
        "input_height = 224 : i32, input_width = 224 : i32, kernel_size = array<i32: 7, 7>, out_channels = 64 : i32, "
        "padding = array<i32: 3, 3>, stride = array<i32: 2, 2>")
W_SYS = T((64, 3, 7, 7), "sys", tiled=False)
for line, test in ((2514, "Conv2dInterface"), (2578, "Conv2dInterfaceNullOutput")):
    case(f"if.conv2d.{line}", f"OpModelBase.{test}", IFACE, line, "ttnn.conv2d", [il1(1, 1, 50176, 3), W_SYS],
         [il1(1, 1, 12544, 64)], CONV, device=True)
GOOD_CFG = ("conv2d_config = #ttnn.conv2d_config<weights_dtype = bf16, deallocate_activation = false, "
            "reallocate_halo_output = true, act_block_h_override = 0, act_block_w_div = 1, reshard_if_not_optimal = "
            "false, override_sharding_config = false, transpose_shards = false, output_layout = tile, "
            "enable_act_double_buffer = true, enable_weights_double_buffer = true, in_place = false, "
            "enable_kernel_stride_folding = false>, ")
D_RM_IN = T((1, 1, 50176, 3), tiled=False)
case("if.conv2d.2741", "OpModelBase.Conv2dInterfaceConfigs", IFACE, 2741, "ttnn.conv2d", [D_RM_IN, W_SYS],
     [il1(1, 1, 12544, 64)], GOOD_CFG + CONV, device=True)
case("if.conv2d.2807", "OpModelBase.conv2dInterfaceComputeKernelConfig", IFACE, 2807, "ttnn.conv2d",
     [D_RM_IN, W_SYS], [il1(1, 1, 12544, 64)],
     "compute_config = #ttnn.device_compute_kernel_config<math_fidelity = hifi2, math_approx_mode = true, "
     "fp32_dest_acc_en = false, packer_l1_acc = true, dst_full_sync_en = true>, " + CONV, device=True)
skip(IFACE, 2879, "ConvTranspose2d/maxPool2D/avgPool2D/globalAvgPool2d/clamp/permute/upsample",
     "cbSize asserted > 0 only", 8)
case("if.prepare_conv2d_weights", "OpModelBase.PrepareConv2dWeightsTest", IFACE, 2983, "ttnn.prepare_conv2d_weights",
     [W_SYS], [il1(1, 1, 147, 64)],
     "batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 1 : i32, has_bias = false, input_height = 224 : "
     "i32, input_memory_config = #ttnn.memory_config<#dram, <interleaved>>, input_tensor_layout = "
     "#ttnn.layout<row_major>, input_width = 224 : i32, in_channels = 3 : i32, kernel_size = array<i32: 7, 7>, "
     "out_channels = 64 : i32, padding = array<i32: 3, 3>, stride = array<i32: 2, 2>, weights_format = \"OIHW\"",
     device=True)
case("if.prepare_conv2d_bias", "OpModelBase.PrepareConv2dBiasTest", IFACE, 3098, "ttnn.prepare_conv2d_bias",
     [T((1, 1, 1, 64), "sys", tiled=False)], [il1(1, 1, 1, 64)],
     "batch_size = 1 : i32, dilation = array<i32: 1, 1>, groups = 1 : i32, input_height = 224 : i32, "
     "input_memory_config = #ttnn.memory_config<#dram, <interleaved>>, input_tensor_layout = "
     "#ttnn.layout<row_major>, input_width = 224 : i32, in_channels = 3 : i32, kernel_size = array<i32: 7, 7>, "
     "out_channels = 64 : i32, padding = array<i32: 3, 3>, stride = array<i32: 2, 2>", device=True)
case("if.leaky_relu", "OpModelBase.LeakyReluOp", IFACE, 3320, "ttnn.leaky_relu", [I64], [I64],
     "parameter = 1.000000e+00 : f32")
for line, test in ((3506, "EmbeddingOpInterface"), (3547, "EmbeddingOpNullOutputLayout")):
    case(f"if.embedding.{line}", f"OpModelBase.{test}", IFACE, line, "ttnn.embedding",
         [I64, il1(256, 128)], [il1(N300, 1024, 128)])
case("if.embedding_backward", "OpModelBase.EmbeddingBackwardOp", IFACE, 3593, "ttnn.embedding_bw",
     [T((2, 1024), tiled=False), T((3200, 4096), tiled=False), il1(1, 1, 2048, 4096)], [il1(1, 1, 2048, 4096)])
case("if.where", "OpModelBase.WhereOpInterface", IFACE, 3720, "ttnn.where", [I64, I64, I64], [I64])
BNI = [il1(1, 32, 1, 1)] * 4
case("if.batch_norm_inference.3767", "OpModelBase.batchNormOp", IFACE, 3767, "ttnn.batch_norm_inference",
     [il1(1, 32, 128, 128), *BNI], [il1(1, 32, 128, 128)], "epsilon = 9.99999974E-6 : f32")
case("if.batch_norm_inference.3821", "OpModelBase.batchNormOpL1Memory", IFACE, 3821, "ttnn.batch_norm_inference",
     [il1(1, 32, 32, 32), *BNI], [il1(1, 32, 32, 32)], "epsilon = 9.99999974E-6 : f32")
case("if.batch_norm_training.3864", "OpModelBase.batchNormOpTraining", IFACE, 3864, "ttnn.batch_norm_training",
     [il1(1, 32, 128, 128), *BNI], [il1(1, 32, 128, 128)],
     "epsilon = 9.99999974E-6 : f32, momentum = 1.000000e-01 : f32")
case("if.batch_norm_training.3899", "OpModelBase.batchNormOpTrainingMinimal", IFACE, 3899, "ttnn.batch_norm_training",
     [il1(1, 64, 64, 64)], [il1(1, 64, 64, 64)], "epsilon = 9.99999974E-6 : f32, momentum = 1.000000e-01 : f32")
case("if.batch_norm_training.3954", "OpModelBase.batchNormOpTrainingL1Memory", IFACE, 3954,
     "ttnn.batch_norm_training", [il1(1, 32, 32, 32), *BNI], [il1(1, 32, 32, 32)],
     "epsilon = 9.99999974E-6 : f32, momentum = 1.000000e-01 : f32")
case("if.rms_norm.3996", "OpModelBase.rmsNormOp", IFACE, 3996, "ttnn.rms_norm",
     [il1(1, 32, 128, 128), il1(128), il1(128)], [il1(1, 32, 128, 128)],
     "epsilon = 9.99999996E-13 : f32, operandSegmentSizes = array<i32: 1, 1, 1>")
case("if.rms_norm.4031", "OpModelBase.rmsNormOpMinimal", IFACE, 4031, "ttnn.rms_norm", [il1(1, 64, 64, 64)],
     [il1(1, 64, 64, 64)], "epsilon = 9.99999996E-13 : f32, operandSegmentSizes = array<i32: 1, 0, 0>")
case("if.rms_norm.4081", "OpModelBase.rmsNormOpL1Memory", IFACE, 4081, "ttnn.rms_norm",
     [il1(1, 32, 32, 32), il1(32), il1(32)], [il1(1, 32, 32, 32)],
     "epsilon = 9.99999996E-13 : f32, operandSegmentSizes = array<i32: 1, 1, 1>")
case("if.empty", "OpModelBase.EmptyOpInterface", IFACE, 4134, "ttnn.empty", [], [I64],
     "dtype = #ttcore.supportedDataTypes<bf16>, layout = #ttnn.layout<tile>, memory_config = "
     "#ttnn.memory_config<#l1, <interleaved>>, shape = #ttnn.shape<64x1024>", device=True)
case("if.arange", "OpModelBase.ArangeOpInterface", IFACE, 4168, "ttnn.arange", [], [T((N300, 5), tiled=False)],
     "end = 5 : i64, start = 0 : i64, step = 1 : i64", device=True)
for name, op in (("Zeros", "zeros"), ("Ones", "ones")):
    case(f"if.{op}", f"NamedFullOpModelTests/NamedFullOpModelTest.TestOpInterface/{name}", IFACE, 4236,
         f"ttnn.{op}", [], [T((N300, 2048), "l1", "block_sharded")], "shape = #ttnn.shape<64x2048>", device=True)
for line, fv in ((4269, "42 : i32"), (4289, "5.000000e-01 : f32")):
    case(f"if.full.{line}", "OpModelBase.FullOpInterface", IFACE, line, "ttnn.full", [], [I64],
         f"fill_value = {fv}, shape = #ttnn.shape<64x1024>", device=True)
for line, test, shape, et, tdt in ((4324, "ConstantOpInterface", (2, 2), "si32", "si32"),
                                  (4363, "ConstantOpInterfaceBF16", (2, 2), "bf16", "bf16"),
                                  (4399, "ConstantOpInterfaceNullOutputLayout", (2, 3, 4), "f32", "bf16")):
    case(f"if.constant.{line}", f"OpModelBase.{test}", IFACE, line, "ttnn.constant", [], [il1(*shape, dtype=tdt)],
         f"value = dense<1> : tensor<{'x'.join(map(str, shape))}x{et}>", device=True)
for line in (4437, 4462):
    case(f"if.rand.{line}", "OpModelBase.RandOpInterface", IFACE, line, "ttnn.rand", [], [I64],
         "dtype = #ttcore.supportedDataTypes<bf16>, high = 1.000000e+00 : f32, layout = #ttnn.layout<tile>, low = "
         "0.000000e+00 : f32, memory_config = #ttnn.memory_config<#l1, <interleaved>>, seed = 0 : ui32, size = "
         "#ttnn.shape<64x1024>", device=True)
case("if.fill_cache", "OpModelBase.FillCacheOpInterface", IFACE, 4522, "ttnn.fill_cache",
     [il1(1, 32, 64, 512), il1(1, 32, 3, 512)], [], "batch_offset = 0 : i32")
case("if.update_cache", "OpModelBase.UpdateCacheOpInterface", IFACE, 4572, "ttnn.update_cache",
     [il1(1, 32, 64, 256), il1(1, 32, 3, 256), il1(1, dtype="ui32")], [], "batch_offset = 0 : i32")
case("if.paged_update_cache", "OpModelBase.PagedUpdateCacheOpInterface", IFACE, 4631, "ttnn.paged_update_cache",
     [il1(128, 8, 128, 128), T((1, 8, 32, 128), "l1", "height_sharded", vgrid=(8, 1)),
      T((8,), dtype="si32", tiled=False), T((8, 16), dtype="si32", tiled=False)], [], "share_cache = false")
case("if.paged_fill_cache", "OpModelBase.PagedFillCacheOpInterface", IFACE, 4690, "ttnn.paged_fill_cache",
     [il1(128, 4, 32, 256), il1(1, 12, 65, 256), T((8, 16), dtype="si32", tiled=False),
      T((1,), dtype="si32", tiled=False)], [])
skip(IFACE, 4748, "OpModelBase.Quantize/Requantize/Dequantize*", "cbSize asserted as a lower bound only", 6)
F64 = f32(T((64, 64)))
case("if.assign.5111", "OpModelBase.AssignOpInterface", IFACE, 5111, "ttnn.assign", [F64], [F64],
     "memory_config = #ttnn.memory_config<#dram, <interleaved>>")
case("if.assign.5157", "OpModelBase.AssignOpInterfaceL1Output", IFACE, 5157, "ttnn.assign",
     [f32(il1(64, 64))], [f32(il1(64, 64))], "memory_config = #ttnn.memory_config<#l1, <interleaved>>")
case("if.assign.5206", "OpModelBase.AssignOpInterfaceWithOutputDtype", IFACE, 5206, "ttnn.assign",
     [f32(il1(64, 64))], [il1(64, 64)],
     "dtype = #ttcore.supportedDataTypes<bf16>, memory_config = #ttnn.memory_config<#l1, <interleaved>>")
skip(IFACE, 3609, "OpModelBase.CacheOpConstraints*", "no cbSize asserted", 2)


# -- expected values from the test text -----------------------------------------------------------------------------
_ARITH = re.compile(r"^[\d\s+*]+$")


def _eval(expr: str) -> int:
    expr = expr.strip()
    if not _ARITH.match(expr):
        raise ValueError(f"not a plain arithmetic expression: {expr!r}")
    total = 0
    for term in expr.split("+"):
        total += math.prod(int(f) for f in term.split("*"))
    return total


def expected_at(lines: list[str], line: int) -> int:
    """The cbSize stated at ``line`` (1-based): ExpectedResult's second field, or an EXPECT_EQ's value."""
    text = " ".join(s.strip() for s in lines[line - 1:line + 2])
    for pat in (r"(?:\{|^)\s*true,\s*([\d\s+*]+),", r"EXPECT_EQ(?:_OR_GE)?\((?:cbSize|opCstr\.cbL1PeakSize|"
                r"constraints\.cbL1PeakSize),\s*([\d\s+*]+)\)", r"/\*expectedCbSize=\*/([\d\s+*]+),"):
        m = re.search(pat, text)
        if m and m.start() < len(lines[line - 1].strip()) + 1:
            return _eval(m.group(1))
    raise ValueError(f"no cbSize at line {line}: {lines[line - 1].strip()!r}")


def _adjusted(value: int, adjust: tuple[str, int] | None, lines: list[str]) -> int:
    if adjust is None:
        return value
    how, where = adjust
    src = lines[where - 1]
    if how.startswith("+"):
        assert f"extraCbRequirement=*/{how[1:]}" in src, (where, src)
        return value + int(how[1:])
    assert "expectedCbSize *= 2" in src, (where, src)
    return value * 2


# -- emit -----------------------------------------------------------------------------------------------------------
def emit_case(c: Case, idx: int) -> list[str]:
    args = [f"%arg{i}: {t.type()}" for i, t in enumerate(c.operands)]
    ops = [f"%arg{i}" for i in range(len(c.operands))]
    types = [t.type() for t in c.operands]
    body = []
    if c.device:
        body.append('    %dev = "ttnn.get_device"() <{mesh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = '
                    '#ttnn<mesh_shape 1x1>}> : () -> !ttnn.device')
        ops.append("%dev")
        types.append("!ttnn.device")
    res_types = [t.type() for t in c.results]
    if c.op == "ttnn.constant":
        m = re.search(r"result element type (\w+); (.*)$", c.note)
        if m:
            res_types = [m.group(2)]
    props = f" <{{{c.attrs}}}>" if c.attrs else ""
    rt = res_types[0] if len(res_types) == 1 else f"({', '.join(res_types)})"
    sig = f"({', '.join(types)}) -> {rt if res_types else '()'}"
    where = f"{c.file}:{c.line}"
    lines = [f"  // {c.id}: {c.test}  // {where}" + (f"  ({c.note})" if c.note else ""),
             f"  func.func @case_{idx}({', '.join(args)}) {{"]
    lines += body
    if res_types:
        results = ", ".join(f"%r{i}" for i in range(len(res_types)))
        lines.append(f'    {results} = "{c.op}"({", ".join(ops)}){props} : {sig}')
        lines.append("    return")
    else:
        lines.append(f'    "{c.op}"({", ".join(ops)}){props} : {sig}')
        lines.append("    return")
    lines.append("  }")
    return lines


_UNARY = {op for _, op in UNARY_LIB + UNARY_IF} | {"bitwise_not"}
_BINARY = {op for _, op, *_ in BINARY_LIB + BINARY_IF} | {"pow_tensor", "logical_right_shift", "logical_left_shift"}


def _alias_layouts(text: str) -> str:
    """Name each distinct ttnn_layout once (``#layoutN = ...`` after the buffer-type aliases)."""
    found: list[str] = []
    for m in re.finditer(r"#ttnn\.ttnn_layout<", text):
        depth, i = 0, m.end() - 1
        while True:
            if not (text[i] == ">" and text[i - 1] == "-"):  # the affine map's "->"
                depth += {"<": 1, ">": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        lay = text[m.start():i + 1]
        if lay not in found:
            found.append(lay)
    for n, lay in enumerate(found):
        text = text.replace(lay, f"#layout{n}")
    defs = "\n".join(f"#layout{n} = {lay}" for n, lay in enumerate(found))
    return text.replace("module {", defs + "\nmodule {", 1)


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    texts = {k: (corpus / v).read_text().splitlines() for k, v in FILES.items()}
    OUT.mkdir(parents=True, exist_ok=True)
    ids = [c.id for c in CASES]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, dup
    groups: dict[str, list[Case]] = {}
    for c in CASES:
        name = c.op.split(".", 1)[1]
        family = ("unary" if name in _UNARY else "binary" if name in _BINARY else name)
        groups.setdefault(("lib_" if c.file == LIB else "interface_") + family, []).append(c)
    manifest = {"source": "tenstorrent/tt-mlir @78b9ce3d03e7376bb38928bd6dbce4809f206764 (2025-11-27): "
                          "test/unittests/OpModel/TTNN/Lib/TestOpModelLib.cpp, "
                          "test/unittests/OpModel/TTNN/Op/TestOpModelInterface.cpp",
                "device": "Wormhole N300, 8x8 worker grid (OpModelFixture::gridShapeHwN300)",
                "era": "2025-12", "cases": [], "skipped": SKIPPED}
    for name, cs in sorted(groups.items()):
        out = ["// Generated by benchmarks/gen_opmodel_cases.py from the tt-mlir OpModel gtests at @78b9ce3d.",
               "// One function per case; the expected cbSize of each is in manifest.json.",
               "#dram = #ttnn.buffer_type<dram>", "#l1 = #ttnn.buffer_type<l1>",
               "#system_memory = #ttnn.buffer_type<system_memory>", "module {"]
        for i, c in enumerate(cs):
            out += emit_case(c, i)
            exp = _adjusted(expected_at(texts[c.file], c.line), c.adjust, texts[c.file])
            manifest["cases"].append({
                "id": c.id, "file": f"{name}.mlir", "func": f"case_{i}", "op": c.op, "expected_cb": exp,
                "test": c.test, "source": f"{c.file}:{c.line}",
                **({"adjust": f"{c.adjust[0]} ({c.file}:{c.adjust[1]})"} if c.adjust else {}),
                **({"note": c.note} if c.note and c.op != "ttnn.constant" else {})})
        out.append("}")
        (OUT / f"{name}.mlir").write_text(_alias_layouts("\n".join(out) + "\n"))
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    n_skip = sum(s["count"] for s in SKIPPED)
    print(f"{len(CASES)} cases in {len(groups)} files; {n_skip} test assertions skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
