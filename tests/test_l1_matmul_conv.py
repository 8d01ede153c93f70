"""Matmul and convolution CB models (issue 13): every expected figure is derived by hand from the tt-metal
factory source named in the comment, or read from tt-metal's own numbers (tt-mlir OpModel tests in
shared/corpus/memory); none is computed with ttdiag's code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_matmul import matmul_shape
from ttdiag.analyze.l1.tensors import operand
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
MEMORY = Path("/work/shared/corpus/memory/graph-capture")
DEC, FEB = "2025-12", "2026-02"


def ctx(era: str = DEC, base: int | None = None):
    return make_context(WH, get_era(era), base or {DEC: 102_656, FEB: 103_712}[era])


def tile(shape: str, dtype: str = "bf16", mem: str = "dram", layout: str = "interleaved") -> str:
    dims = [int(d) for d in shape.split("x")]
    rank = len(dims)
    rows = -(-dims[-2] // 32) if rank > 1 else 1
    for d in dims[:-2]:
        rows *= d
    memref = f"{rows}x{-(-dims[-1] // 32)}"
    names = ", ".join(f"d{i}" for i in range(rank))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, #ttnn.buffer_type<{mem}>>, <{layout}>>>")


def rm(shape: str, dtype: str = "bf16", mem: str = "dram") -> str:
    dims = shape.split("x")
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<1x{dims[-1]}x{dtype}, #ttnn.buffer_type<{mem}>>, <interleaved>>>")


def op(text: str):
    return OpLineParser().parse(text, 1, "main")


def matmul(a: str, b: str, out: str, attrs: str = "", name: str = "matmul", bias: str | None = None):
    operands = "%0, %1, %2" if bias else "%0, %1"
    types = f"{a}, {b}, {bias}" if bias else f"{a}, {b}"
    return op(f'%3 = "ttnn.{name}"({operands}) <{{{attrs}}}> : ({types}) -> {out}')


def cbs(r):
    return [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs if not cb.globally_allocated]


# -- matmul: create_simple_matmul_program_config -----------------------------------------------------------------

def test_all_dram_interleaved_uses_the_grid_recipe():
    # create_simple_matmul_program_config (Dec-2025 copy): 2048^3 bf16, A, B and output DRAM-interleaved, 8x8 grid.
    # Mt = Nt = Kt = 64. get_per_core_factor(in0_block_w 2): 16 -> 16*2*2*2048 (A) + 16*2*2*2048 (B)
    # + 256*2048 (out, A's tile) + 256*2048 (interm) = 1,310,720 < 1,396,480 B, so 16; 4 x 4 blocks.
    # All DRAM-interleaved -> 2-D with in0_block_w = Kt / 8 = 8, per_core_M = per_core_N = ceil(64 / 8) = 8;
    # get_multi_dim_per_core_factor(8, 8, 8): 8*8*2*2048 * 2 + 64*2048 * 2 = 786,432 fits, kept.
    # 2-D factory: 64 / 8 = 8 K blocks -> double buffers: c_0 = 8*8*2 = 128 tiles, c_1 = 128, c_4 = 64 tiles.
    # 256 * 2,048 = 524,288 + 131,072 = 655,360 B on 8 x 8 cores (= tt-mlir OpModel MatmulInterleavedTests).
    r = analyze_op(matmul(tile("2048x2048"), tile("2048x2048"), tile("2048x2048")), ctx())
    assert r.factory == "MatmulMultiCoreReuseMultiCast (2D)" and r.confidence == "exact-model"
    assert cbs(r) == [(0, 128, 2048), (1, 128, 2048), (4, 64, 2048)]
    assert r.core_groups[0].static_bytes == 655_360 and len(r.core_groups[0].cores) == 64


def test_an_l1_output_keeps_the_per_core_factor():
    # Same product, output L1-interleaved: not all DRAM, so the 2-D config keeps per_core = out_block =
    # get_per_core_factor = 16 and in0_block_w = 2 (Kt even). Blocks: 64 / 16 = 4 x 4 -> 16 cores.
    # c_0 = 16*2*2 = 64 tiles = 131,072 B, c_1 = 131,072 B, c_4 = 16*16 = 256 tiles = 524,288 B: 786,432 B
    # (tt-mlir OpModel: 786432; tt-metal graph capture matmul_l1_out.json: the same three CB sizes on 2 x 2).
    r = analyze_op(matmul(tile("2048x2048"), tile("2048x2048"), tile("2048x2048", mem="l1")), ctx())
    assert cbs(r) == [(0, 64, 2048), (1, 64, 2048), (4, 256, 2048)]
    assert r.core_groups[0].static_bytes == 786_432 and len(r.core_groups[0].cores) == 16


def test_one_block_off_dram_is_the_multicore_factory():
    # L1-interleaved [64, 128] @ [128, 256]: Mt 2, Kt 4, Nt 8; per_core_factor 16 -> 1 x 1 block, so the
    # block grid is (0, 0); not all DRAM (no forced 2-D), not narrow (256 / 64 = 4) ->
    # MatmulMultiCoreProgramConfig. Its factory: split_work_to_cores(8x8, B*Mt*Nt = 16 tiles) -> 16 cores,
    # c_0 = 2 A tiles, c_1 = 2 B tiles, c_16 = 2 output tiles = 3 * 4,096 = 12,288 B each.
    r = analyze_op(matmul(tile("64x128", mem="l1"), tile("128x256", mem="l1"), tile("64x256", mem="l1")), ctx())
    assert r.factory == "MatmulMultiCore (no mcast)" and r.confidence == "exact-model"
    assert cbs(r) == [(0, 2, 2048), (1, 2, 2048), (16, 2, 2048)]
    assert sum(len(g.cores) for g in r.core_groups) == 16


def test_the_bias_term_of_the_config_estimate_follows_the_era():
    # linear [1024, 512] @ [512, 1024] + bias [1, 1024] bf16, all L1-interleaved, L1 base 169,136 so
    # get_max_l1_space = 1,499,136 - 169,136 = 1,330,000 B. Mt = Nt = 32, Kt = 16.
    # get_estimated_size_of_cbs(16, 16, 2) without bias = 1,310,720 B (see above).
    # Dec 2025 (bias = in0_block_w * T_bias): + 2 * 2,048 = 1,314,816 < 1,330,000 -> factor 16, 2 x 2 blocks:
    #   c_0 = 16*2*2 = 64 tiles, c_1 = 64, c_4 = 256 tiles on 4 cores.
    # After tt-metal PR #38309 (bias = per_core_N * T_bias): + 16 * 2,048 = 1,343,488 >= 1,330,000; 8 gives
    #   8*2*2*2048*2 + 64*2048*2 + 8*2048 = 409,600 -> factor 8, 4 x 4 blocks: c_0 = 32, c_1 = 32, c_4 = 64 tiles.
    # The output is in L1, so get_post_process_bias adds the bias after the matmul: no c_3 in either era.
    o = matmul(tile("1024x512", mem="l1"), tile("512x1024", mem="l1"), tile("1024x1024", mem="l1"),
               name="linear", bias=tile("1x1024", mem="l1"))
    dec, feb = analyze_op(o, ctx(DEC, 169_136)), analyze_op(o, ctx(FEB, 169_136))
    assert cbs(dec) == [(0, 64, 2048), (1, 64, 2048), (4, 256, 2048)] and len(dec.core_groups[0].cores) == 4
    assert cbs(feb) == [(0, 32, 2048), (1, 32, 2048), (4, 64, 2048)] and len(feb.core_groups[0].cores) == 16


def test_a_fused_bias_cb_holds_bias_dtype_tiles():
    # linear [256, 256] @ [256, 256] + bias [1, 256] bfp_bf8, all DRAM-interleaved: Mt = Nt = Kt = 8, factor 16,
    # one block -> block grid (0, 0) but all DRAM-interleaved forces 2-D: in0_block_w = 8 / 8 = 1,
    # per_core_M = per_core_N = ceil(8 / 8) = 1. 8 K blocks -> c_0 = 1*1*2 = 2 tiles, c_1 = 2, c_4 = 1.
    # The bias is fused (padded [32, 256], output DRAM, all DRAM-interleaved): c_3 = out_block_w = 1 tile of
    # bfp_bf8 = 1,024 + 64 = 1,088 B (2-D factory: in3_CB_size = out_block_w * bias_single_tile_size).
    # Region: 102,656 + 4,096 + 4,096 + 2,048 + 1,088 = 113,984 B; 8 x 8 blocks of one tile -> 64 cores.
    o = matmul(tile("256x256"), tile("256x256"), tile("256x256"), name="linear", bias=tile("1x256", "bfp_bf8"))
    r = analyze_op(o, ctx())
    assert cbs(r) == [(0, 2, 2048), (1, 2, 2048), (4, 1, 2048), (3, 1, 1088)]
    assert r.worst(ctx())[1] == 113_984 and len(r.core_groups[0].cores) == 64


def test_transposed_operands_swap_their_last_two_dims():
    # get_matmul_tensor_padded_shape: transpose_b reads B [768, 512] as [512, 768] -> N = 768, 24 tiles.
    o = matmul(tile("32x512", mem="l1"), tile("768x512", mem="l1"), tile("32x768", mem="l1"),
               attrs="transpose_a = false, transpose_b = true")
    s = matmul_shape(operand(o, 0), operand(o, 1), False, True)
    assert (s.mt, s.kt, s.nt) == (1, 16, 24)


_TESTS = {"interleaved2048X2048Dram": "dram", "inerleaved2048X2048L1": "l1"}


@pytest.mark.skipif(not MEMORY.is_dir(), reason="shared corpus not mounted")
def test_matmul_cb_totals_match_tt_mlir_op_model():
    # tt-mlir @78b9ce3d (2025-11-27) TestOpModelLib.cpp, MatmulInterleavedTests: cbSize per core computed by
    # tt-metal's own op code for 2048x2048 bf16 A, B, output in each DRAM / L1 combination on an 8x8 grid.
    text = (MEMORY / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("MatmulInterleavedTests"):text.index("MatmulShardedTests")]
    cases = re.findall(r"detail::(\w+),\s*detail::(\w+),\s*detail::(\w+),\s*llvm::SmallVector<int64_t>\{8, 8\},\s*"
                       r"detail::ExpectedResult\{true, (\d+)", block)
    assert len(cases) == 8
    for a, b, out, cb in cases:
        r = analyze_op(matmul(tile("2048x2048", mem=_TESTS[a]), tile("2048x2048", mem=_TESTS[b]),
                              tile("2048x2048", mem=_TESTS[out])), ctx())
        assert r.core_groups[0].static_bytes == int(cb), (a, b, out)
    # TestOpModelInterface.cpp MatmulOpInterface: A [2048, 1024] @ B [1024, 2048], L1-interleaved -> 786432
    assert "EXPECT_EQ(cbSize, 786432);" in (MEMORY / "tt-mlir_TestOpModelInterface.cpp").read_text()
    r = analyze_op(matmul(tile("2048x1024", mem="l1"), tile("1024x2048", mem="l1"), tile("2048x2048", mem="l1")),
                   ctx())
    assert r.core_groups[0].static_bytes == 786_432
