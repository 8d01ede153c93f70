"""``ttnn.to_tensor_spec`` (ops_tensor_spec.py): the step sequence of tt-mlir's TTNNDecomposeLayouts pass
(@3fff8309 ``buildLayoutConversion``), checked against tt-mlir's own FileCheck tests of that pass, and
compositions whose CB figures are worked out by hand from the step factories (as transcribed in
ops_eltwise / ops_layout / ops_memory, sources cited there)."""

from __future__ import annotations

import re

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.inspect import load_module
from ttdiag.analyze.l1 import analyze_module, analyze_op, get_era, make_context
from ttdiag.analyze.l1.model import CpuHoistBoundary
from ttdiag.analyze.l1.ops_tensor_spec import cpu_hoist_boundary, plan_steps
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
L1 = "#ttnn.buffer_type<l1>"
DRAM = "#ttnn.buffer_type<dram>"
HOST = "#ttnn.buffer_type<system_memory>"
MAP4 = "(d0, d1, d2, d3) -> (d0 * 512 + d1 * 64 + d2, d3)"


def ctx(hoist: CpuHoistBoundary | None = CpuHoistBoundary()):
    c = make_context(WH, get_era("2025-12"), 102_656)
    c.cpu_hoist = hoist
    return c


def spec_op(src: str, dst: str, operand: str = "%0"):
    return OpLineParser().parse(f'%1 = "ttnn.to_tensor_spec"({operand}) : ({src}) -> {dst}', 1, "main")


def t2(shape: str, memref: str, mem: str, dtype: str, tiled: bool) -> str:
    elem = f"!ttcore.tile<32x32, {dtype}>" if tiled else dtype
    tail = "" if mem == HOST else ", <interleaved>"
    return f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<{memref}x{elem}, {mem}>{tail}>>"


def t4(memref: str, grid: str, mem: str, layout: str, dtype: str = "bf16", tiled: bool = True) -> str:
    elem = f"!ttcore.tile<32x32, {dtype}>" if tiled else dtype
    return (f"tensor<1x8x64x128x{dtype}, #ttnn.ttnn_layout<{MAP4}, <{grid}>, memref<{memref}x{elem}, {mem}>, "
            f"<{layout}>>>")


def steps(r) -> list[str]:
    return [line.split(": ")[0].split(". ")[1] for line in r.formula[1:] if re.match(r"\d+\. ", line)]


def by_step(r) -> dict[str, list]:
    out: dict[str, list] = {}
    for g in r.core_groups:
        out.setdefault(g.label.split(":")[0], []).append(g)
    return out


# -- hand-computed compositions ------------------------------------------------------------------------------

def test_dram_tile_bf16_to_dram_row_major_f32():
    # Pass: device -> device, tile -> row-major and bf16 -> f32; the input is DRAM interleaved, so the
    # layout / dtype changes run in place (shouldLayoutAndDtypeChangesRunBeforeMemoryMove); the input is tiled
    # and f32 can be untilized on the device, so typecast first, then untilize (layoutAndDtypeTransformations).
    # 1. typecast [64, 128]: 2 x 4 = 8 tiles, split_work_to_cores -> 8 cores x 1 tile;
    #    c_0 = 2 x 2,048 (bf16 tile) + c_2 = 2 x 4,096 (f32 tile) = 12,288 B per core.
    # 2. to_layout (untilize, shape tile-aligned so no unpadding) of the f32 tiles: Wt = 4, Ht_total = 2;
    #    space check 4 x (4,096 + 4,096) = 32,768 B < max_l1_space; Wt <= 32 so not the block factory;
    #    UntilizeMultiCore: 2 tile rows -> 2 cores x 1 row (not doubled): c_0 = 4 x 4,096 = 16,384 B,
    #    c_16 = 4 x 4,096 = 16,384 B -> 32,768 B per core. Peak = 32,768 B (the untilize).
    src = t2("64x128", "2x4", DRAM, "bf16", True)
    dst = t2("64x128", "64x128", DRAM, "f32", False)
    r = analyze_op(spec_op(src, dst), ctx())
    assert steps(r) == ["typecast", "to_layout"]
    g = by_step(r)
    assert sum(len(x.cores) for x in g["1. typecast"]) == 8
    assert {x.static_bytes for x in g["1. typecast"]} == {12_288}
    assert sum(len(x.cores) for x in g["2. to_layout"]) == 2
    assert {x.static_bytes for x in g["2. to_layout"]} == {32_768}
    assert max(x.static_bytes for x in r.core_groups) == 32_768
    assert r.confidence == "read-factory"


def test_l1_sharded_to_dram_interleaved_tile_with_dtype_change():
    # Pass: no layout change, so typecast in place (on the L1 height-sharded tensor), memory move last:
    # typecast -> to_memory_config. 2. sharded_to_interleaved of the now-f32 shard (2 x 4 = 8 tiles per core,
    # 8 cores): c_0 = 8 x 4,096 B on the input shard (globally allocated), and no c_16 since the dtype no
    # longer changes in that step: 0 B static. The sharded typecast factory was not read: estimate.
    src = t4("2x4", "8x1", L1, "height_sharded")
    dst = t4("16x4", "1x1", DRAM, "interleaved", "f32")
    r = analyze_op(spec_op(src, dst), ctx())
    assert steps(r) == ["typecast", "to_memory_config"]
    (g,) = by_step(r)["2. to_memory_config"]
    assert [(cb.index, cb.pages, cb.page_bytes, cb.globally_allocated) for cb in g.cbs] == [(0, 8, 4096, True)]
    assert len(g.cores) == 8 and g.static_bytes == 0
    assert r.confidence == "estimate"


def test_l1_sharded_tile_to_dram_row_major_deshards_first():
    # Pass: untilize of an L1-sharded input: deshard first (to_memory_config to DRAM interleaved), then untilize.
    # 1. sharded_to_interleaved: c_0 = 8 tiles x 2,048 B on the input shard (0 B static), 8 cores.
    # 2. untilize [1, 8, 64, 128] bf16: Wt = 4, Ht_total = 8 x 64 / 32 = 16 tile rows -> 16 cores x 1 row;
    #    c_0 = 4 x 2,048 = 8,192 B, c_16 = 4 x 2,048 = 8,192 B -> 16,384 B per core.
    src = t4("2x4", "8x1", L1, "height_sharded")
    dst = t4("512x128", "1x1", DRAM, "interleaved", tiled=False)
    r = analyze_op(spec_op(src, dst), ctx())
    assert steps(r) == ["to_memory_config", "to_layout"]
    g = by_step(r)
    assert {x.static_bytes for x in g["1. to_memory_config"]} == {0}
    assert sum(len(x.cores) for x in g["2. to_layout"]) == 16
    assert {x.static_bytes for x in g["2. to_layout"]} == {16_384}
    assert r.confidence == "read-factory"


def test_host_row_major_f32_to_device_tile_bf16():
    # Pass (input on the host, not from a CPU-hoisted call): move to the device first (to_device, no program),
    # then one to_layout does the tilize and the f32 -> bf16 cast (float family, row-major -> tile on device);
    # ttnn::to_layout passes the dtype to ttnn::tilize (to_layout_op.cpp). [64, 128] is tile-aligned: tilize
    # default factory, ntpb = 128 / 32 = 4; 2 tile rows -> 2 cores; c_0 = 4 x 4,096 (f32 input tile) = 16,384 B,
    # c_16 = 4 x 2,048 (bf16 output tile) = 8,192 B -> 24,576 B per core.
    src = t2("64x128", "64x128", HOST, "f32", False)
    dst = t2("64x128", "2x4", DRAM, "bf16", True)
    r = analyze_op(spec_op(src, dst), ctx())
    assert steps(r) == ["to_device", "to_layout"]
    (g,) = by_step(r)["2. to_layout"]
    assert len(g.cores) == 2
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in g.cbs] == [(0, 4, 4096), (16, 4, 2048)]
    assert g.static_bytes == 24_576
    assert r.confidence == "read-factory"


def test_host_input_from_cpu_hoisted_call_runs_no_program():
    # the same conversion when the input comes from a CPU-hoisted call: typecast and tilize on the host,
    # then to_device: no device program at all.
    src = t2("64x128", "64x128", HOST, "f32", False)
    dst = t2("64x128", "2x4", DRAM, "bf16", True)
    r = analyze_op(spec_op(src, dst), ctx(CpuHoistBoundary(frozenset({("main", "%0")}))))
    assert steps(r) == ["typecast", "to_layout", "to_device"]
    assert "typecast (host) -> to_layout (host) -> to_device" in r.formula[0]
    assert r.core_groups == [] and r.confidence == "read-factory"


def test_unknown_cpu_hoist_boundary_is_an_estimate_only_when_it_matters():
    src = t2("64x128", "64x128", HOST, "f32", False)
    dst = t2("64x128", "2x4", DRAM, "bf16", True)
    assert analyze_op(spec_op(src, dst), ctx(None)).confidence == "estimate"
    # a function argument is never a call's result
    assert analyze_op(spec_op(src, dst, "%arg0"), ctx(None)).confidence == "read-factory"
    # a pure transfer is the same ops either way
    host_tile = t2("64x128", "2x4", HOST, "bf16", True)
    r = analyze_op(spec_op(host_tile, t2("64x128", "2x4", DRAM, "bf16", True)), ctx(None))
    assert r.core_groups == [] and r.confidence == "read-factory"


def test_redundant_conversion_runs_nothing():
    t = t2("64x128", "2x4", DRAM, "bf16", True)
    r = analyze_op(spec_op(t, t), ctx())
    assert r.core_groups == [] and "redundant" in r.formula[0]


# -- the sequence against tt-mlir's FileCheck tests of the pass ------------------------------------------------

_PASS_TESTS = ("tt-mlir/test/ttmlir/Dialect/TTNN/Transforms/DecomposeLayouts/decomposing_layouts_on_device.mlir",
               "tt-mlir/test/ttmlir/Dialect/TTNN/Transforms/DecomposeLayouts/decomposing_layouts_cpu_hoisted.mlir",
               "tt-mlir/test/ttmlir/Silicon/TTNN/n150/Transforms/DecomposeLayouts/decomposing_layouts_dram_sharded.mlir",
               "tt-mlir/test/ttmlir/Silicon/TTNN/n150/Transforms/DecomposeLayouts/"
               "decomposing_layouts_untilize_on_device.mlir")


def _checked_ops(text: str) -> dict[str, list[str]]:
    """Per function, the ttnn ops its positive CHECK lines expect, in order (get_device left out)."""
    out: dict[str, list[str]] = {}
    func = None
    for line in text.splitlines():
        m = re.search(r"func\.func @(\w+)", line)
        if m and "CHECK" not in line:
            func = m.group(1)
            out[func] = []
            continue
        m = re.search(r"// CHECK(?:-NEXT)?: .*\"ttnn\.(\w+)\"", line)
        if m and func and m.group(1) != "get_device":
            out[func].append(m.group(1))
    return out


def test_plan_matches_tt_mlir_pass_tests(corpus):
    compared = 0
    for rel in _PASS_TESTS:
        path = corpus / rel
        text = path.read_text()
        expected = _checked_ops(text)
        module, _, _ = load_module(str(path), None, [], {})
        hoist = cpu_hoist_boundary(module)
        for op in module.all_ops():
            if op.name != "ttnn.to_tensor_spec" or not expected.get(op.program):
                continue
            hoisted = (op.program, op.operands[0]) in hoist.outputs or (op.program, op.results[0]) in hoist.inputs
            plan = plan_steps(op.operand_types[0], op.result_types[0], hoisted)
            assert [s.name for s in plan] == expected[op.program], (rel, op.program)
            compared += 1
    assert compared >= 25


def test_whole_module_finds_cpu_hoisted_calls(corpus):
    path = corpus / _PASS_TESTS[1]
    module, _, _ = load_module(str(path), None, [], {})
    ops = [r for r in analyze_module(module, ctx(None)) if r.op_name == "ttnn.to_tensor_spec"]
    assert len(ops) == 5
    # every conversion across a hoisted call is done on the host: no device program, read from the pass
    assert all(r.core_groups == [] and r.confidence == "read-factory" for r in ops)
