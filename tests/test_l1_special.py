"""L1 CB model of ``ttnn.generic`` (ops_special.py): the CBs are the op's own descriptor, so every figure
below is worked out by hand from the descriptor text of the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
CORPUS = Path("/work/shared/corpus/tt-mlir/test")
LAYOUT = ("tensor<128x2048xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <4x8>, memref<1x8x!ttcore.tile<32x32, bf16>, "
          "#ttnn.buffer_type<l1>>, <block_sharded>>>")


def ctx():
    return make_context(WH, get_era("2025-12"), 102_656)


def cb(total: int, rng: str, index: int, page: int, extra_formats: str = "", buffer: str = "") -> str:
    return (f"<total_size = {total}, core_ranges = <[{rng}]>, formats = [<buffer_index = {index}, dtype = bf16, "
            f"page_size = {page}>{extra_formats}]{buffer}>")


def generic_op(cbs: list[str]) -> object:
    text = ('"ttnn.generic"(%0, %1) <{program = #ttnn.program<kernels = [#ttnn.read_kernel<symbol_ref = @k0, '
            "core_ranges = <[#ttnn.core_range<(0,0), (7,3)>]>, ct_args = [#ttnn.kernel_arg_cb_buffer_index<0>], "
            f"common_rt_args = [], rt_args = []>], cbs = [{', '.join(cbs)}], semaphores = []>, "
            f"operandSegmentSizes = array<i32: 2, 0>}}> : ({LAYOUT}, {LAYOUT}) -> ()")
    return OpLineParser().parse(text, 1, "main")


FULL = "#ttnn.core_range<(0,0), (7,3)>"


def test_generic_cbs_follow_the_descriptor():
    # c_0: 32,768 B of 2,048 B pages = 16 pages on the 8x4 cores (0,0)-(7,3), static;
    # c_2: 16,384 B = 8 pages on (0,0)-(1,0), backed by io tensor 1 (globally allocated, no static L1).
    op = generic_op([cb(32768, FULL, 0, 2048),
                     cb(16384, "#ttnn.core_range<(0,0), (1,0)>", 2, 2048,
                        buffer=", buffer = #ttnn.kernel_cb_global_buffer_address_of_tensor<1>")])
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert r.factory.startswith("ttnn.generic program descriptor")
    assert sum(len(g.cores) for g in r.core_groups) == 32
    both = [g for g in r.core_groups if len(g.cbs) == 2]
    only = [g for g in r.core_groups if len(g.cbs) == 1]
    assert len(both) == 1 and sorted(both[0].cores) == [(0, 0), (1, 0)]
    assert len(only) == 1 and len(only[0].cores) == 30
    c0, c2 = both[0].cbs
    assert (c0.index, c0.pages, c0.page_bytes, c0.globally_allocated) == (0, 16, 2048, False)
    assert (c2.index, c2.pages, c2.page_bytes, c2.globally_allocated) == (2, 8, 2048, True)
    for g in r.core_groups:
        assert g.static_bytes == 32768
    _, end = r.worst(ctx())
    assert end == 102_656 + 32768


def test_generic_cb_order_and_alignment():
    # Two static CBs on one core: 1,000 B (one page: 1,000 is not a multiple of 300) then 4,096 B;
    # the second starts at align(base + 1,000, 32): base 102,656 -> 103,680 (1,000 -> 1,024 aligned) + 4,096.
    op = generic_op([cb(1000, "#ttnn.core_range<(0,0), (0,0)>", 1, 300),
                     cb(4096, "#ttnn.core_range<(0,0), (0,0)>", 3, 2048)])
    r = analyze_op(op, ctx())
    (g,) = r.core_groups
    assert [(c.index, c.pages, c.page_bytes) for c in g.cbs] == [(1, 1, 1000), (3, 2, 2048)]
    assert g.region_end(102_656, 32) == 102_656 + 1024 + 4096


def test_generic_reads_only_the_first_format():
    # The runtime builds the CBDescriptor from formats[0]; a second format does not add a CB.
    op = generic_op([cb(8192, FULL, 0, 2048, extra_formats=", <buffer_index = 5, dtype = bf16, page_size = 1024>")])
    r = analyze_op(op, ctx())
    assert {c.index for g in r.core_groups for c in g.cbs} == {0}
    assert r.core_groups[0].cbs[0].pages == 4


def test_generic_with_unresolved_alias_is_an_estimate():
    op = generic_op(["#my_cb"])
    r = analyze_op(op, ctx())
    assert r.confidence == "estimate"
    assert "#my_cb" in r.formula[0]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not mounted")
def test_generic_corpus_collapse():
    # dispatch_d2m/collaspe.mlir: five generic ops, each one CB c_0 = 4,096 B (one f32 page) on core (0,0),
    # backed by io tensor 0 -> no static L1.
    from ttdiag.analyze.l1.run import l1_for_file

    rep = l1_for_file(str(CORPUS / "ttmlir/Dialect/TTNN/dispatch_d2m/collaspe.mlir"))
    gens = [o for o in rep.ops if o.op_name == "ttnn.generic"]
    assert len(gens) == 5
    for o in gens:
        assert o.confidence == "read-factory"
        (g,) = o.core_groups
        assert g.cores == [(0, 0)]
        assert [(c.index, c.pages, c.page_bytes, c.globally_allocated) for c in g.cbs] == [(0, 1, 4096, True)]
        assert g.static_bytes == 0


MAP4 = "(d0, d1, d2, d3) -> (d0 * 9 + d1 * 3 + d2, d3)"
HOST_W = f"tensor<64x3x3x3xbf16, #ttnn.ttnn_layout<{MAP4}, <1x1>, memref<576x3xbf16, #ttnn.buffer_type<system_memory>>>>"
DEV_W = (f"tensor<64x3x3x3xbf16, #ttnn.ttnn_layout<{MAP4}, <1x1>, memref<576x3xbf16, #ttnn.buffer_type<dram>>, "
         "<interleaved>>>")
OUT_W = ("tensor<1x1x27x64xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 27 + d1 * 27 + d2, d3), <1x1>, "
         "memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")


def prep(name: str, weight: str):
    text = (f'%1 = "{name}"(%0, %d) <{{in_channels = 3 : i32, out_channels = 64 : i32}}> : '
            f"({weight}, !ttnn.device) -> {OUT_W}")
    return OpLineParser().parse(text, 1, "main")


@pytest.mark.parametrize("name", ["ttnn.prepare_conv2d_weights", "ttnn.prepare_conv2d_bias"])
def test_prepare_conv2d_on_host_runs_no_program(name):
    # prepare_conv_weights_internal / prepare_conv_bias_internal transform a host tensor on the host and end with
    # to_device: no device program, no CBs.
    r = analyze_op(prep(name, HOST_W), ctx())
    assert r.confidence == "read-factory"
    assert r.core_groups == []
    assert any("prepare_conv2d_weights.cpp" in s for s in r.sources)


def test_prepare_conv2d_weights_on_device_is_an_estimate():
    r = analyze_op(prep("ttnn.prepare_conv2d_weights", DEV_W), ctx())
    assert r.confidence == "estimate"
    assert "device-resident" in r.factory


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not mounted")
def test_prepare_conv2d_corpus_host_weights():
    from ttdiag.analyze.l1.run import l1_for_file

    rep = l1_for_file(str(CORPUS / "ttmlir/Dialect/TTNN/conv/prepare_conv2d_weights/"
                                   "prepare_conv2d_weights_and_bias_compute_config.mlir"))
    prep_ops = [o for o in rep.ops if o.op_name.startswith("ttnn.prepare_conv2d_")]
    assert prep_ops
    assert all(o.confidence == "read-factory" and not o.core_groups for o in prep_ops)
