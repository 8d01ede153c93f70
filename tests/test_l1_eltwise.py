"""Eltwise CB models (ops_eltwise) against figures computed by tt-metal itself and by hand.

The OpModel figures come from tt-mlir's gtests (``/work/shared/corpus/memory/graph-capture``, tt-mlir @78b9ce3d,
2025-11-27; see PROVENANCE.md there): ``cbSize`` is the per-core CB peak from tt-metal's graph capture of the op
on an N300 (Wormhole, 8x8 = 64 worker cores). The test parses the C++ parameters (shapes, layouts, buffer types,
expected values) rather than copying the numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context, registered
from ttdiag.parse.mlir import OpLineParser

GC = Path("/work/shared/corpus/memory/graph-capture")
LIB = GC / "tt-mlir_TestOpModelLib.cpp"
IFACE = GC / "tt-mlir_TestOpModelInterface.cpp"
WORKER_CORES_N300 = 64  # OpModelFixture::workerCoresN300: the N300 test grid, 8x8 (PROVENANCE.md)
WH = get_arch("wormhole_b0")

needs_corpus = pytest.mark.skipif(not LIB.exists() or not IFACE.exists(), reason="OpModel test files absent")


def ctx():
    return make_context(WH, get_era("2025-12"), 102_656)


def _dt(dtype: str) -> str:
    return {"bf16": "bf16", "si32": "si32", "f32": "f32"}[dtype]


def layout(rows: int, cols: int, dtype: str, mem: str, buf: str, grid: tuple[int, int] | None) -> str:
    """A TTNN tensor type of a tiled 2-D tensor: interleaved (``<1x1>`` grid, the whole tensor's tiles) or
    height-sharded over ``grid`` (the shard's tiles)."""
    dt = _dt(dtype)
    if mem == "interleaved":
        g, shard = "1x1", f"{rows // 32}x{cols // 32}"
    else:
        gy, gx = grid
        g, shard = f"{gy}x{gx}", f"{rows // 32 // (gy * gx)}x{cols // 32}"
    return (f"tensor<{rows}x{cols}x{dt}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <{g}>, "
            f"memref<{shard}x!ttcore.tile<32x32, {dt}>, #ttnn.buffer_type<{buf}>>, <{mem}>>>")


def parse_op(name: str, inputs: list[str], out: str):
    args = ", ".join(f"%a{i}" for i in range(len(inputs)))
    text = f'%9 = "{name}"({args}) : ({", ".join(inputs)}) -> {out}'
    return OpLineParser().parse(text, 1, "main")


def cb_per_core(op) -> int:
    """Peak static CB bytes over the op's cores (the OpModel ``cbSize``)."""
    r = analyze_op(op, ctx())
    return max((g.static_bytes for g in r.core_groups), default=0)


# --- parsing the gtest parameters ------------------------------------------------------------------

_TENSOR = re.compile(
    r"detail::interleavedN300X1024(Dram|L1)|detail::interleaved2048X2048Dram|detail::inerleaved2048X2048L1"
    r"|TestTensor\{\{(\d+) \* OpModelFixture::workerCoresN300 \* 32, 32\},\s*TensorMemoryLayout::(\w+),"
    r"\s*BufferType::(\w+)(?:,\s*llvm::SmallVector<int64_t>\{(\d+), (\d+)\})?\}"
    r"|ExpectedResult\{(true|false)(?:,\s*(\d+))?")


def _cases(block: str, n_tensors: int):
    """(tensors, legal, cbSize) per parameter entry; a tensor is (rows, cols, memory layout, buffer, grid)
    or None for the 2048x2048 tensors (the illegal-shape cases)."""
    tensors, out = [], []
    for m in _TENSOR.finditer(block):
        if m.group(7) is not None:
            out.append((tensors[-n_tensors:], m.group(7) == "true", int(m.group(8) or 0)))
            tensors = []
        elif m.group(1):
            tensors.append((WORKER_CORES_N300, 1024, "interleaved", m.group(1).lower(), None))
        elif m.group(2):
            rows = int(m.group(2)) * WORKER_CORES_N300 * 32
            mem = {"Interleaved": "interleaved", "HeightSharded": "height_sharded"}[m.group(3)]
            grid = (int(m.group(5)), int(m.group(6))) if m.group(5) else (8, 8)
            tensors.append((rows, 32, mem, m.group(4).lower(), grid if mem != "interleaved" else None))
        else:
            tensors.append(None)
    return out


def _block(text: str, start: str) -> str:
    i = text.index(start)
    return text[i:text.index("};", i)]


_SNAKE_FIX = {"is_finite": "isfinite", "equal": "eq", "not_equal": "ne", "greater_equal": "ge",
              "greater_than": "gt", "less_equal": "le", "less_than": "lt", "pow_tensor": "pow"}


def _ttnn_name(cls: str) -> str:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls[:-2]).lower()
    return "ttnn." + _SNAKE_FIX.get(snake, snake)


def _suites(text: str, base: str):
    """{param class: (ttnn op name, int32?)} and the instantiations [(param class, generator call)]."""
    classes = dict(re.findall(rf"using (OpModel\w+Param) = {base}<(\w+)>;", text))
    int32 = {m for m in re.findall(r"TEST_P\((OpModel\w+Param), \w+\) \{ RunTestInt32\(\); \}", text)}
    inst = re.findall(r"INSTANTIATE_TEST_SUITE_P\(\s*\w+,\s*(OpModel\w+Param),\s*([^;]+?)\);", text, re.S)
    return {k: (_ttnn_name(v), k in int32) for k, v in classes.items()}, [i for i in inst if i[0] in classes]


def _tensor_type(t, dtype: str) -> str:
    rows, cols, mem, buf, grid = t
    return layout(rows, cols, dtype, mem, buf, grid)


@needs_corpus
def test_unary_cb_bytes_match_opmodel():
    text = LIB.read_text()
    ops, inst = _suites(text, "OpModelUnaryEltwiseParam")
    blocks = {"unaryEltwiseParams": _cases(_block(text, "unaryEltwiseParams = {"), 2),
              "tanhParams": _cases(_block(text, "tanhParams = {"), 2)}
    ge_ops = {"ttnn.cbrt", "ttnn.bitwise_not"}  # EXPECT_EQ_OR_GE in the gtest (useGreaterThan)
    checked = exact = 0
    for cls, gen in inst:
        name, int32 = ops[cls]
        if name == "ttnn.cbrt":
            continue  # a composite op in ttnn (more than one program): not the unary factory
        assert name in registered(), name
        for (tin, tout), legal, cb in blocks[gen.strip().split("(")[-1].rstrip(")")]:
            if not legal:
                continue
            dt = "si32" if int32 else "bf16"
            got = cb_per_core(parse_op(name, [_tensor_type(tin, dt)], _tensor_type(tout, dt)))
            checked += 1
            if name in ge_ops:
                assert got >= cb, (name, tin, tout, got, cb)
            else:
                assert got == cb, (name, tin, tout, got, cb)
                exact += 1
    print(f"unary OpModel cases: {checked} checked, {exact} exact")
    assert checked >= 100 and exact >= 100


@needs_corpus
def test_binary_cb_bytes_match_opmodel():
    text = LIB.read_text()
    ops, inst = _suites(text, "OpModelBinaryEltwiseParam")
    blocks = {"binaryEltwiseParams": _cases(_block(text, "binaryEltwiseParams = {"), 3),
              "binaryEltwiseParamsForRemainderAndPow":
                  _cases(_block(text, "binaryEltwiseParamsForRemainderAndPow = {"), 3)}
    checked = 0
    for cls, gen in inst:
        name, int32 = ops[cls]
        if name not in registered():
            continue  # pow, remainder, atan2, shifts: not modelled
        m = re.search(r"(generateBinary\w+)\(\s*(\w+)(?:,\s*/\*extraCbRequirement=\*/(\d+))?", gen)
        fn, blk, extra = m.group(1), m.group(2), int(m.group(3) or 0)
        for (ta, tb, tc), legal, cb in blocks[blk]:
            if not legal:
                continue
            # generateBinaryEltwiseParams adds extraCbRequirement; generateBinaryBitwiseParams doubles cbSize
            want = cb * 2 if fn == "generateBinaryBitwiseParams" else cb + extra
            dt = "si32" if int32 else "bf16"
            got = cb_per_core(parse_op(name, [_tensor_type(ta, dt), _tensor_type(tb, dt)], _tensor_type(tc, dt)))
            assert got == want, (name, ta, tb, tc, got, want)
            checked += 1
    # add, multiply, subtract, divide, maximum, minimum, 6 comparisons, 3 logical, 3 bitwise: 18 ops x 11 legal
    # cases (divide: generateBinaryEltwiseParams with no extraCbRequirement, i.e. no c_4 for an SFPU DIV)
    print(f"binary OpModel cases: {checked} exact")
    assert checked == 18 * 11


@needs_corpus
def test_interface_figures_match_opmodel():
    """Single checks of the op-interface gtest: Sqrt / Sigmoid / LeakyRelu (8,192 B) and a bf16 -> f32
    typecast of 64x1024 (12,288 B)."""
    text = IFACE.read_text()
    n = WORKER_CORES_N300
    bf = layout(n, 1024, "bf16", "interleaved", "dram", None)
    for cls, name in (("SqrtOp", "ttnn.sqrt"), ("SigmoidOp", "ttnn.sigmoid"), ("LeakyReluOp", "ttnn.leaky_relu")):
        body = text[text.index(f"builder.create<{cls}>"):]
        want = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", body).group(1))
        assert cb_per_core(parse_op(name, [bf], bf)) == want
    body = text[text.index("TEST_F(OpModelBase, typecastOp)"):]
    want = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", body).group(1))
    f32 = layout(64, 1024, "f32", "interleaved", "dram", None)
    tc = parse_op("ttnn.typecast", [bf], f32)
    assert cb_per_core(tc) == want
    # TypecastProgramFactory: 64 x 1024 = 2 x 32 = 64 tiles over 64 cores; c_0 = 2 x 2,048, c_2 = 2 x 4,096
    r = analyze_op(tc, ctx())
    assert r.confidence == "read-factory" and [len(g.cores) for g in r.core_groups] == [64]


def test_unary_hand_computed_bf8_in_f32_out_and_split():
    """exp of a 1x1x320x1024 tensor, bfloat8_b in, f32 out, on the 8x8 grid.

    UnaryProgramFactory::create: num_pages = 10 x 32 = 320 tiles; split_work_to_cores(8x8, 320): 64 cores,
    320 / 64 = 5 tiles each, no second group. c_0 = 2 x tile_size(Bfp8_b) = 2 x 1,088 = 2,176 B;
    c_2 = 2 x tile_size(Float32) = 2 x 4,096 = 8,192 B; 10,368 B per core."""
    src = ("tensor<1x1x320x1024xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 320 + d1 * 320 + d2, d3), <1x1>, "
           "memref<10x32x!ttcore.tile<32x32, bfp_bf8>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    dst = ("tensor<1x1x320x1024xf32, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 320 + d1 * 320 + d2, d3), <1x1>, "
           "memref<10x32x!ttcore.tile<32x32, f32>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    r = analyze_op(parse_op("ttnn.exp", [src], dst), ctx())
    assert r.confidence == "read-factory"
    assert len(r.core_groups) == 1 and len(r.core_groups[0].cores) == 64
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 2, 1088), (2, 2, 4096)]
    assert r.core_groups[0].static_bytes == 10_368


def test_unary_hand_computed_uneven_split():
    """relu of 100 tiles (a 3200x32 bf16 tensor): split_work_to_cores(8x8, 100): 64 cores, 100 = 64 x 1 + 36,
    so the first 36 cores (column-major) do 2 tiles and 28 do 1; every core has c_0 = c_2 = 2 x 2,048 B."""
    t = layout(3200, 32, "bf16", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.relu", [t], t), ctx())
    assert [len(g.cores) for g in r.core_groups] == [36, 28]
    assert r.core_groups[0].cores[:2] == [(0, 0), (0, 1)]
    assert all(g.static_bytes == 8192 for g in r.core_groups)


def test_binary_hand_computed_broadcast_mixed_dtypes():
    """add of a 64x64 f32 tensor and a 1x1 f32 tensor (broadcast b), bf16 result:
    BinaryNgDeviceOperation::ProgramFactory::create gives c_0 = 2 x 4,096, c_1 = 2 x 4,096 (b's own dtype;
    broadcast changes the reader, not the CB), c_2 = 2 x 2,048 = 20,480 B on all 64 worker cores."""
    a = layout(64, 64, "f32", "interleaved", "dram", None)
    b = ("tensor<1x1xf32, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
         "memref<1x1x!ttcore.tile<32x32, f32>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    c = layout(64, 64, "bf16", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.add", [a, b], c), ctx())
    assert r.confidence == "read-factory"
    assert len(r.core_groups[0].cores) == 64
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 2, 4096), (1, 2, 4096),
                                                                                   (2, 2, 2048)]
    assert r.core_groups[0].static_bytes == 20_480


def test_host_tensors_run_no_eltwise_program():
    """A typecast of a host tensor (system memory) runs on the host: no device program, no CBs."""
    host = "tensor<32x32xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<32x32xbf16, #ttnn.buffer_type<system_memory>>>>"
    host_f32 = host.replace("bf16", "f32")
    r = analyze_op(parse_op("ttnn.typecast", [host], host_f32), ctx())
    assert r.core_groups == [] and r.factory == "none"


# --- binary_ng: row-major, divide, 2026 broadcast CBs, native L1 sharding ---------------------------------
# Sources: binary_ng_program_factory.cpp create_descriptor (library id 54495781093, 2026) and create
# @00635679 (2025); binary_ng_utils.cpp is_native_L1_sharding (library id 471216358), OpConfig @007bfbfa.

def ctx26():
    return make_context(WH, get_era("2026-02"), 103_712)


def rm(shape: str, dtype: str = "f32", buf: str = "dram") -> str:
    """A row-major interleaved tensor type (memref in elements)."""
    dims = [int(d) for d in shape.split("x")]
    rows = 1
    for d in dims[:-1]:
        rows *= d
    m = ", ".join(f"d{i}" for i in range(len(dims)))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({m}) -> ({m}), <1x1>, memref<{rows}x{dims[-1]}x{dtype}, "
            f"#ttnn.buffer_type<{buf}>>, <interleaved>>>")


def sharded(rows: int, cols: int, grid: tuple[int, int], shard_tiles: tuple[int, int], mem: str = "height_sharded",
            dtype: str = "bf16", buf: str = "l1") -> str:
    gy, gx = grid
    th, tw = shard_tiles
    return (f"tensor<{rows}x{cols}x{dtype}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <{gy}x{gx}>, "
            f"memref<{th}x{tw}x!ttcore.tile<32x32, {dtype}>, #ttnn.buffer_type<{buf}>>, <{mem}>>>")


def cbs(r):
    return [(cb.index, cb.pages, cb.page_bytes, cb.globally_allocated) for cb in r.core_groups[0].cbs]


def test_binary_row_major_operands_use_tile_pages():
    """add of three row-major 64x128 f32 DRAM tensors. create_descriptor (2026): should_use_row_major_path
    (a, b, c row-major, no sharding) streams rows into the same CBs, page = tt::tile_size(Float32) = 4,096 B:
    c_0 = 2 x 4,096, c_1 = 2 x 4,096, c_2 = 2 x 4,096 = 24,576 B on all 64 worker cores. The Dec-2025 era does
    not know whether PR #32813 was in (estimate, same figures)."""
    t = rm("64x128")
    op = parse_op("ttnn.add", [t, t], t)
    r = analyze_op(op, ctx26())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 4096, False), (1, 2, 4096, False), (2, 2, 4096, False)]
    assert r.core_groups[0].static_bytes == 24_576 and len(r.core_groups[0].cores) == 64
    old = analyze_op(op, ctx())
    assert old.confidence == "estimate" and old.core_groups[0].static_bytes == 24_576
    assert any("PR #32813" in f for f in old.formula)


def test_binary_tiled_inputs_row_major_result():
    """multiply of tiled 64x128 f32 a / b whose IR result is row-major (the test_remove_dead_values pattern):
    ttnn::prim::binary_ng's output layout is TILE unless a and b are both row-major, so the tile program runs:
    c_0 = c_1 = c_2 = 2 x 4,096 B = 24,576 B, read from the factory in both eras."""
    a = layout(64, 128, "f32", "interleaved", "dram", None)
    op = parse_op("ttnn.multiply", [a, a], rm("64x128"))
    for c in (ctx(), ctx26()):
        r = analyze_op(op, c)
        assert r.confidence == "read-factory"
        assert r.core_groups[0].static_bytes == 24_576


def test_binary_mixed_layouts_are_estimates():
    """a tiled, b row-major: how ttnn runs the pair was not read; the figures keep tile pages (2 x 4,096 B)."""
    a = layout(64, 128, "f32", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.subtract", [a, rm("64x128")], a), ctx26())
    assert r.confidence == "estimate" and r.core_groups[0].static_bytes == 24_576


def test_binary_divide_has_no_recip_cb():
    """divide, bf16 64x64: OpConfig DIV is SfpuBinaryOp::DIV (the FPU branch with RECIP in c_4 is a TT_FATAL),
    so c_0 = c_1 = c_2 = 2 x 2,048 B = 12,288 B, like add."""
    t = layout(64, 64, "bf16", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.divide", [t, t], t), ctx())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 2048, False), (1, 2, 2048, False), (2, 2, 2048, False)]


def test_binary_2026_scalar_broadcast_cb():
    """add of a 64x64 f32 tensor and a 1x1 f32 tensor, bf16 result, 2026 era: get_subtile_broadcast_type(64, 64,
    1, 1) = SCALAR_B, and create_descriptor adds c_6 = 2 tiles of b. c_0 = 2 x 4,096, c_1 = 2 x 4,096,
    c_6 = 2 x 4,096, c_2 = 2 x 2,048: 8,192 + 8,192 + 8,192 + 4,096 = 28,672 B per core. (The 2025 copies add
    nothing for a scalar broadcast: 20,480 B, test_binary_hand_computed_broadcast_mixed_dtypes.)"""
    a = layout(64, 64, "f32", "interleaved", "dram", None)
    b = ("tensor<1x1xf32, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
         "memref<1x1x!ttcore.tile<32x32, f32>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    c = layout(64, 64, "bf16", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.add", [a, b], c), ctx26())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 4096, False), (1, 2, 4096, False), (6, 2, 4096, False), (2, 2, 2048, False)]
    assert r.core_groups[0].static_bytes == 28_672


def test_binary_row_broadcast_dec2025_is_estimate():
    """b of one row (1x64) against 64x64: ROW_B. The 2025 copies disagree on c_6 (@5eb4ca29 adds it, @00635679
    does not), so the Dec-2025 era is an estimate; the 2026 copy adds c_6 = 2 x 2,048 (bf16):
    3 x 4,096 + 4,096 = 16,384 B."""
    a = layout(64, 64, "bf16", "interleaved", "dram", None)
    b = ("tensor<1x64xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
         "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    op = parse_op("ttnn.add", [a, b], a)
    assert analyze_op(op, ctx()).confidence == "estimate"
    r = analyze_op(op, ctx26())
    assert r.confidence == "read-factory" and r.core_groups[0].static_bytes == 16_384


def test_binary_native_l1_sharding_interleaved_inputs_sharded_output():
    """a, b: the same L1-interleaved 2048x32 bf16 tensor; c: height-sharded over 8x8 (shard 1 x 1 tile... 32 rows
    per core x 64 = 2048). is_native_L1_sharding: c sharded, a and b same shape and memory config, even, no DRAM,
    something L1-sharded (c) -> native; get_shard_volumes: only c is sharded, c_2 = 1 shard tile (2,048 B) backed
    by c. c_0 = c_1 = 2 x 2,048 static: 8,192 B per core."""
    ab = layout(2048, 32, "bf16", "interleaved", "l1", None)
    c = sharded(2048, 32, (8, 8), (1, 1))
    r = analyze_op(parse_op("ttnn.add", [ab, ab], c), ctx())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 2048, False), (1, 2, 2048, False), (2, 1, 2048, True)]
    assert r.core_groups[0].static_bytes == 8192


def test_binary_dram_operand_is_not_native_sharding():
    """a, b DRAM-interleaved, c L1 height-sharded: is_native_L1_sharding is false (a DRAM buffer), so all three
    are read as interleaved: 3 x 2 x 2,048 = 12,288 B (the OpModel DRAM/DRAM/sharded case gives the same)."""
    ab = layout(2048, 32, "bf16", "interleaved", "dram", None)
    r = analyze_op(parse_op("ttnn.add", [ab, ab], sharded(2048, 32, (8, 8), (1, 1))), ctx())
    assert r.confidence == "read-factory" and r.core_groups[0].static_bytes == 12_288
    assert not any(cb.globally_allocated for cb in r.core_groups[0].cbs)


def test_binary_sharded_add_matches_graph_capture(corpus):
    """tt-metal's graph capture sharded_add.json (tests/ttnn/unit_tests/base_functionality/graph_l1_traces @8458ac2a):
    ttnn.add of two 1x1x2048x512 bf16 tensors height-sharded over 8x8, shard [32, 512] = 1 x 16 tiles. It records
    three circular_buffer_allocate nodes of 32,768 B, all globally_allocated. The model: native L1 sharding,
    c_0 / c_1 / c_2 = 16 shard tiles x 2,048 B = 32,768 B each, backed by the shards (0 B static)."""
    import json

    nodes = json.loads((corpus / "memory" / "graph-capture" / "sharded_add.json").read_text())
    got = sorted((n["params"]["size"], n["params"]["globally_allocated"]) for n in nodes
                 if n["node_type"] == "circular_buffer_allocate")
    t = ("tensor<1x1x2048x512xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 2048 + d1 * 2048 + d2, d3), <8x8>, "
         "memref<1x16x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <height_sharded>>>")
    r = analyze_op(parse_op("ttnn.add", [t, t], t), ctx26())
    assert r.confidence == "read-factory"
    model = sorted((cb.bytes, "1" if cb.globally_allocated else "0") for cb in r.core_groups[0].cbs)
    assert model == got == [(32_768, "1")] * 3
    assert r.core_groups[0].static_bytes == 0


# --- unary sharded: UnaryShardedProgramFactory::create @6e62c116 ---------------------------------------------

def test_unary_sharded_factory_l1():
    """relu of a 4096x32 bf16 tensor height-sharded over an 8x1 grid (shard 16 x 1 tiles), Dec-2025 era:
    c_0 = 16 tiles x round_up(2,048, 32) = 32,768 B backed by the input, c_2 the same backed by the output,
    on the 8 shard cores; 0 B static. The 2026 era keeps this an estimate (its sharding path was not read)."""
    t = sharded(4096, 32, (8, 1), (16, 1))
    op = parse_op("ttnn.relu", [t], t)
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory" and r.factory == "UnaryShardedProgramFactory"
    assert cbs(r) == [(0, 16, 2048, True), (2, 16, 2048, True)]
    assert len(r.core_groups[0].cores) == 8 and r.core_groups[0].static_bytes == 0
    assert analyze_op(op, ctx26()).confidence == "estimate"


def test_unary_sharded_dram_is_estimate():
    """A DRAM width-sharded relu: UnaryShardedProgramFactory TT_FATALs on a DRAM buffer, so no read figure."""
    t = sharded(32, 384, (1, 3), (1, 4), mem="width_sharded", dtype="f32", buf="dram")
    r = analyze_op(parse_op("ttnn.relu", [t], t), ctx())
    assert r.confidence == "estimate"


# --- where: TernaryProgramFactory::create @b75493ad (TTT) -----------------------------------------------------

@needs_corpus
def test_where_matches_opmodel():
    """OpModelTest.Where: predicate / true / false 64x1024 bf16 DRAM-interleaved tiles, output L1-interleaved:
    cbSize = c_0 + c_1 + c_2 + c_3 = 4 x 2 x 2,048 = 16,384 B."""
    text = LIB.read_text()
    body = text[text.index("TEST_F(OpModelTest, Where)"):]
    want = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", body).group(1))
    t = layout(WORKER_CORES_N300, 1024, "bf16", "interleaved", "dram", None)
    out = layout(WORKER_CORES_N300, 1024, "bf16", "interleaved", "l1", None)
    r = analyze_op(parse_op("ttnn.where", [t, t, t], out), ctx())
    assert r.confidence == "read-factory"
    assert cb_per_core(parse_op("ttnn.where", [t, t, t], out)) == want == 16_384


def test_where_outer_broadcast_mixed_dtypes():
    """where(pred 1x1x1x46 bf16, true / false 1x12x1x46 f32) -> 1x12x1x46 f32 (tt-mlir's where workaround):
    get_broadcast_type: last two dims equal -> OUTER_BCAST (reader strides only). c_0 = 2 x 2,048 (bf16),
    c_1 = c_2 = c_3 = 2 x 4,096 (f32): 4,096 + 3 x 8,192 = 28,672 B per core."""
    p = ("tensor<1x1x1x46xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 + d1 + d2, d3), <1x1>, "
         "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    v = ("tensor<1x12x1x46xf32, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 12 + d1 + d2, d3), <1x1>, "
         "memref<12x2x!ttcore.tile<32x32, f32>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    r = analyze_op(parse_op("ttnn.where", [p, v, v], v), ctx())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 2, 2048, False), (1, 2, 4096, False), (2, 2, 4096, False), (3, 2, 4096, False)]
    assert r.core_groups[0].static_bytes == 28_672


def test_where_row_broadcast_is_estimate():
    """A predicate of one row (1x64) against 64x64 values: a sub-tile broadcast whose rule was not fully read."""
    v = layout(64, 64, "bf16", "interleaved", "dram", None)
    p = ("tensor<1x64xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
         "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
    assert analyze_op(parse_op("ttnn.where", [p, v, v], v), ctx()).confidence == "estimate"


def test_where_native_sharding_all_l1_sharded():
    """predicate / true / false / output all height-sharded alike over 8x8 (2048x32 bf16, 1 tile per shard):
    is_native_L1_sharding (TTT) -> every CB is its shard (1 tile, backed): 0 B static."""
    t = sharded(2048, 32, (8, 8), (1, 1))
    r = analyze_op(parse_op("ttnn.where", [t, t, t], t), ctx())
    assert r.confidence == "read-factory"
    assert cbs(r) == [(0, 1, 2048, True), (1, 1, 2048, True), (2, 1, 2048, True), (3, 1, 2048, True)]
