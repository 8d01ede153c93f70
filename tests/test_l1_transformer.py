"""Transformer CB models (ops_transformer) and the pre-all-gather norms (ops_reduce): tt-metal-computed OpModel
figures from the corpus where tt-mlir's tests hold one, and hand-computed cases (arithmetic in the comments,
from the factories cited in the modules)."""

from __future__ import annotations

import re

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_transformer import largest_subblock
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"
L1 = "#ttnn.buffer_type<l1>"


def ctx(era: str = "2026-02"):
    return make_context(WH, get_era(era), 102_656)


def tiled(shape: str, memref: str, dtype: str = "bf16", mem: str = DRAM, layout: str = "interleaved",
          grid: str = "1x1") -> str:
    dims = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    elem = "f32" if dtype == "f32" else "bf16"
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <{grid}>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {mem}>, <{layout}>>>")


def row_major(shape: str, memref: str, elem: str = "si32") -> str:
    dims = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, memref<{memref}x{elem}, {DRAM}>, "
            "<interleaved>>>")


def parse(text: str):
    return OpLineParser().parse(text, 1, "main")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


def cores(r) -> int:
    return sum(len(g.cores) for g in r.core_groups)


def _case(corpus, name: str, test: str) -> str:
    text = (corpus / "memory" / "graph-capture" / name).read_text()
    start = text.index(test)
    return text[start:text.index("TEST_F(", start + 10)]


def sdpa(q: str, k: str, v: str, out: str, causal: bool, extra: str = "", mask: str | None = None):
    seg = "1, 1, 1, 1, 0" if mask else "1, 1, 1, 0, 0"
    operands = "%0, %1, %2" + (", %3" if mask else "")
    types = ", ".join([q, k, v] + ([mask] if mask else []))
    return parse(f'%9 = "ttnn.scaled_dot_product_attention"({operands}) <{{is_causal = {str(causal).lower()}, '
                 f'operandSegmentSizes = array<i32: {seg}>{extra}}}> : ({types}) -> {out}')


# -- nlp_concat_heads -------------------------------------------------------------------------------------------------
def test_opmodel_nlp_concat_heads_cb_size(corpus):
    # TestOpModelInterface.cpp NLPConcatHeadsOpInterface: [1, 8, 512, 64] bf16 (tiled, interleaved).
    # nlp_concat_heads_program_factory.cpp @0172564a: per_tensor_tiles = 8 x 64 / 32 = 16; c_0 = 2 x 16 tiles
    # x 2,048 B = 65,536 B; 1 x 512 / 32 = 16 tile rows -> 16 cores.
    case = _case(corpus, "tt-mlir_TestOpModelInterface.cpp", "TEST_F(OpModelBase, NLPConcatHeadsOpInterface)")
    assert "numHeads = 8" in case and "sequenceSize = 512" in case and "headSize = 64" in case
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    r = analyze_op(parse(f'%1 = "ttnn.nlp_concat_heads"(%0) : ({tiled("1x8x512x64", "128x2")}) -> '
                         f'{tiled("1x1x512x512", "16x16", mem=L1)}'), ctx())
    assert r.factory == "NLPConcatHeadsProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == expected == 65_536
    assert cores(r) == 16


def test_nlp_concat_heads_rank1_is_estimate():
    # the corpus negative tests pass rank-1 tensors; the factory reads [B, heads, S, head_dim]
    t = tiled("8", "1x1", "f32")
    r = analyze_op(parse(f'%1 = "ttnn.nlp_concat_heads"(%0) : ({t}) -> {t}'), ctx())
    assert r.confidence == "estimate"


def test_opmodel_nlp_concat_heads_decode_no_static_cbs(corpus):
    # TestOpModelLib.cpp NLPConcatHeadsDecodeOp: height-sharded L1 input, width-sharded L1 output,
    # EXPECT_EQ(opCstr.cbL1PeakSize, 0): the factory's only CB, c_16, is backed by the output shard.
    case = _case(corpus, "tt-mlir_TestOpModelLib.cpp", "TEST_F(OpModelTest, NLPConcatHeadsDecodeOp)")
    assert "EXPECT_EQ(opCstr.cbL1PeakSize, 0)" in case
    src = tiled("1x2x32x128", "32x4", mem=L1, layout="height_sharded", grid="2x1")
    dst = tiled("1x1x32x1024", "1x4", mem=L1, layout="width_sharded", grid="1x8")
    r = analyze_op(parse(f'%1 = "ttnn.nlp_concat_heads_decode"(%0) <{{num_heads = 8 : ui32}}> : ({src}) -> {dst}'),
                   ctx())
    assert r.factory == "NLPConcatHeadsDecodeProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == 0
    # c_16 = the output shard, 1 x 4 tiles of 2,048 B, on num_heads = 8 cores
    (cb,) = r.core_groups[0].cbs
    assert (cb.index, cb.pages, cb.page_bytes, cb.globally_allocated) == (16, 4, 2048, True)
    assert cores(r) == 8


# -- rotary_embedding_llama -------------------------------------------------------------------------------------------
def rope(x: str, cos: str, sin: str, trans: str, out: str, decode: bool = False):
    return parse(f'%4 = "ttnn.rotary_embedding_llama"(%0, %1, %2, %3) <{{is_decode_mode = {str(decode).lower()}}}> '
                 f': ({x}, {cos}, {sin}, {trans}) -> {out}')


def test_opmodel_rotary_embedding_llama_cb_size(corpus):
    # TestOpModelInterface.cpp RotaryEmbeddingLlamaOpInterface: input / cos / sin [1, 1, 1, 32] bf16, trans_mat
    # [1, 1, 32, 32], prefill. head_dim_t = 1, seq_len_t = 1; cos.shape[1] == n_heads = 1 -> reload kernel:
    # c_0 2 + c_1 2 + c_2 2 + c_3 1 + c_24 1 + c_25 1 + c_26 1 + c_16 2 = 12 tiles x 2,048 = 24,576 B.
    case = _case(corpus, "tt-mlir_TestOpModelInterface.cpp", "TEST_F(OpModelBase, RotaryEmbeddingLlamaOpInterface)")
    assert "headSize = 32" in case and "isDecodeMode = false" in case
    expected = int(re.search(r"EXPECT_EQ\(cbSize, (\d+)\)", case).group(1))
    x = tiled("1x1x1x32", "1x1")
    for era in ("2025-12", "2026-02"):
        r = analyze_op(rope(x, x, x, tiled("1x1x32x32", "1x1"), x), ctx(era))
        assert r.factory == "RotaryEmbeddingLlamaMultiCore" and r.confidence == "read-factory"
        assert peak(r) == expected == 24_576
        assert cores(r) == 64


def test_rope_rows_buffered_hand_computed():
    # input [1, 2, 4096, 64], cos / sin [1, 1, 4096, 64] (shared by the 2 heads): seq_len_t = 128, head_dim_t = 2.
    # batch_parallel = 1, seq_parallel = min(64 / 1, 128) = 64 -> 2 rows per core; rows x heads = 4 <= 8 and
    # cos.shape[1] = 1 != 2 heads -> no reload: c_0 = 2 rows x 2 x 2 = 8, c_1 = c_2 = 2 x 2 x 2 = 8, c_3 = 1,
    # c_24..c_26 = 2 each, c_16 = 4 -> 35 tiles x 2,048 = 71,680 B.
    x, c = tiled("1x2x4096x64", "256x2"), tiled("1x1x4096x64", "128x2")
    r = analyze_op(rope(x, c, c, tiled("1x1x32x32", "1x1"), x), ctx())
    assert [(cb.index, cb.pages) for cb in r.core_groups[0].cbs] == [(0, 8), (1, 8), (2, 8), (3, 1), (24, 2),
                                                                     (25, 2), (26, 2), (16, 4)]
    assert peak(r) == 71_680 and r.confidence == "read-factory"
    # the Dec-2025 factory's choice for more than one row per core was not read
    assert analyze_op(rope(x, c, c, tiled("1x1x32x32", "1x1"), x), ctx("2025-12")).confidence == "estimate"


def test_rope_decode_sharded_hand_computed():
    # rotary_embedding_llama_negative.mlir (decode): every tensor [1, 1, 32, 32] bf16 height-sharded on 8 cores,
    # shard 1 x 1 tiles -> head_dim_t = 1. Static CBs c_24, c_25, c_26 = 1 tile each = 3 x 2,048 = 6,144 B; c_0..c_3
    # and c_16 live in the shards.
    s = tiled("1x1x32x32", "1x1", mem=L1, layout="height_sharded", grid="8x1")
    r = analyze_op(rope(s, s, s, s, s, decode=True), ctx())
    assert r.factory == "RotaryEmbeddingLlamaMultiCoreSharded" and r.confidence == "read-factory"
    assert peak(r) == 6_144 and cores(r) == 8
    # an interleaved input in decode mode is rejected by ttnn: estimate
    assert analyze_op(rope(tiled("1x1x32x32", "1x1"), s, s, s, s, decode=True), ctx()).confidence == "estimate"


# -- scaled_dot_product_attention -------------------------------------------------------------------------------------
def test_sdpa_causal_hand_computed():
    # [1, 1, 128, 64] Q = K = V, causal, no program config: chunks 32 x 32 -> Sq_chunk_t = Sk_chunk_t = 1, DHt = 2;
    # 4 q chunks on 1 x 1 x 4 cores, 1 each -> Q single-buffered. Causal: the mask CB in bfp4 (576 B tiles).
    # c_0 2 + c_1 4 + c_2 4 (x 2,048) + c_3 2 x 576 + c_5 1 + c_7 1 + c_24 1 + c_25 2 + c_26 2 + c_27..c_31 5
    # + c_16 2 (x 2,048) = 24 x 2,048 + 1,152 = 50,304 B on each of the 64 cores.
    q = tiled("1x1x128x64", "4x2")
    r = analyze_op(sdpa(q, q, q, q, True), ctx())
    assert r.factory == "SDPAProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == 50_304
    assert cores(r) == 64


def test_sdpa_noncausal_two_q_chunks_per_core_hand_computed():
    # flops_attention.mlir: [1, 8, 512, 128], not causal, no mask. DHt = 4; 16 q chunks; 1 x 8 x 8 parallel ->
    # 2 q chunks per core -> Q double-buffered: c_0 = 1 x 4 x 2 = 8. Subblock (1, 1) and Sk_chunk_t 1 % 8 != 0 ->
    # no streaming; no padding -> no mask CB. c_0 8 + c_1 8 + c_2 8 + c_5 1 + c_7 1 + c_24 1 + c_25 4 + c_26 4
    # + c_27..c_31 5 + c_16 4 = 44 tiles x 2,048 = 90,112 B.
    q = tiled("1x8x512x128", "128x4")
    r = analyze_op(sdpa(q, q, q, q, False), ctx())
    assert peak(r) == 90_112 and r.confidence == "read-factory"


def test_sdpa_streaming_path_hand_computed():
    # program config q/k chunks 128 / 256 on [1, 1, 256, 64], not causal, no mask: Sq_chunk_t = 4, Sk_chunk_t = 8,
    # DHt = 2, dst 8 -> subblock (2, 4): h = 2 <= 2, 8 % (8 / 2) = 0, 4 / 2 = 2 > 1, no padding -> streaming.
    # 2 q chunks on 1 x 1 x 2 cores, 1 each. c_0 4 x 2 = 8, c_1 = c_2 = 8 x 2 x 2 = 32, c_5 1, c_7 1,
    # c_4 1 (scratch), c_24 4 x 8 = 32, c_25 8, c_26 8, c_27..c_31 4 each = 20, c_16 8
    # -> 8 + 32 + 32 + 1 + 1 + 1 + 32 + 8 + 8 + 20 + 8 = 151 tiles x 2,048 = 309,248 B.
    q = tiled("1x1x256x64", "8x2")
    cfg = (", program_config = #ttnn.sdpa_program_config<compute_with_storage_grid_size = #ttnn.core_coord<8, 8>, "
           "q_chunk_size = 128, k_chunk_size = 256>")
    r = analyze_op(sdpa(q, q, q, q, False, cfg), ctx())
    assert any("streaming" in f for f in r.formula)
    assert [cb.index for cb in r.core_groups[0].cbs][:6] == [0, 1, 2, 5, 7, 4]
    assert peak(r) == 309_248


def test_sdpa_dec_2025_is_estimate():
    q = tiled("1x1x128x64", "4x2")
    assert analyze_op(sdpa(q, q, q, q, True), ctx("2025-12")).confidence == "estimate"


@pytest.mark.parametrize("i", range(4))
def test_opmodel_lib_sdpa_within_bound(corpus, i):
    # TestOpModelLib.cpp scaledDotProductAttentionOpTestValues: EXPECT_LE(cbSize, 120832) (an upper bound, not a
    # figure). Case 0/2: [1, 1, 128, 64] causal -> 50,304 B (test_sdpa_causal_hand_computed). Case 1/3: Q
    # [1, 1, 32, 64], K / V [1, 1, 128, 64], bf16 mask [1, 1, 32, 128], not causal: 1 q chunk; c_0 2 + c_1 4 +
    # c_2 4 + c_3 2 (bf16 mask) + c_5 1 + c_7 1 + c_24 1 + c_25 2 + c_26 2 + c_27..c_31 5 + c_16 2 = 26 tiles
    # x 2,048 = 53,248 B.
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("scaledDotProductAttentionOpTestValues = "):]
    bounds = [int(b) for b in re.findall(r"ExpectedResult\{true, (\d+),", block[:block.index("INSTANTIATE")])]
    assert len(bounds) == 4
    kv = tiled("1x1x128x64", "4x2")
    if i % 2 == 0:
        r, hand = analyze_op(sdpa(kv, kv, kv, kv, True), ctx()), 50_304
    else:
        q = tiled("1x1x32x64", "1x2")
        r, hand = analyze_op(sdpa(q, kv, kv, q, False, mask=tiled("1x1x32x128", "1x4")), ctx()), 53_248
    assert peak(r) == hand <= bounds[i] == 120_832


def test_opmodel_interface_sdpa_within_bound(corpus):
    # TestOpModelInterface.cpp ScaledDotProductAttentionOpInterface: Q [1, 1, 32, 32], K / V [1, 1, 128, 32],
    # bf16 mask [1, 1, 32, 128]; EXPECT_LE(cbSize, 483328). DHt = 1, one q chunk: c_0 1 + c_1 2 + c_2 2 + c_3 2
    # + c_5 1 + c_7 1 + c_24 1 + c_25 1 + c_26 1 + c_27..c_31 5 + c_16 1 = 18 tiles x 2,048 = 36,864 B.
    case = _case(corpus, "tt-mlir_TestOpModelInterface.cpp", "TEST_F(OpModelBase, ScaledDotProductAttentionOpInterface)")
    bound = int(re.search(r"EXPECT_LE\(cbSize, (\d+)\)", case).group(1))
    q, kv = tiled("1x1x32x32", "1x1"), tiled("1x1x128x32", "4x1")
    r = analyze_op(sdpa(q, kv, kv, q, False, mask=tiled("1x1x32x128", "1x4")), ctx())
    assert peak(r) == 36_864 <= bound == 483_328


def test_chunked_sdpa_hand_computed():
    # chunked_sdpa_rm_layout_propagation.mlir: Q [1, 12, 64, 64], K / V [128, 12, 32, 64] (blocks of 32 rows),
    # page table [1, 4] si32 -> Sk = 64 + 4 x 32 = 192; page-table row 4 x 4 = 16 B (not a multiple of 32: the
    # factory rejects it, which the formula says). Causal; chunks 32 -> DHt 2, 2 q chunks on 1 x 12 x 2 cores,
    # 1 each. c_0 2 + c_1 4 + c_2 4 (x 2,048) + c_3 2 x 576 + c_5 1 + c_7 1 (x 2,048) + c_6 16 + c_8 32 + c_9 32
    # + c_24 1 + c_25 2 + c_26 2 + c_27..c_31 5 + c_16 2 (x 2,048) = 24 x 2,048 + 1,152 + 80 = 50,384 B.
    q, kv = tiled("1x12x64x64", "24x2"), tiled("128x12x32x64", "1536x2")
    op = parse(f'%5 = "ttnn.chunked_scaled_dot_product_attention"(%0, %1, %2, %3, %4) <{{scale = 1.250000e-01 : f32}}>'
               f' : ({q}, {kv}, {kv}, {row_major("1x4", "1x4")}, {row_major("1", "1x1")}) -> {q}')
    r = analyze_op(op, ctx())
    assert r.factory == "SDPAProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == 50_384
    assert any("rejects" in f for f in r.formula)


def test_largest_subblock():
    # determine_largest_subblock_size: candidates by volume, h·w <= dst
    assert largest_subblock(4, 8, 8) == (2, 4)
    assert largest_subblock(1, 1, 8) == (1, 1)
    assert largest_subblock(8, 1, 8) == (8, 1)
    assert largest_subblock(3, 5, 4) == (3, 1)  # (1, 5), (5, 1), (2, 2), (1, 4), (4, 1), (1, 3) do not fit


# -- layer_norm_pre_all_gather / rms_norm_pre_all_gather ---------------------------------------------------------------
def pre_ag(name: str, x: str, out: str, residual: str | None = None, extra: str = ""):
    ops = "%0, %1" if residual else "%0"
    seg = "1, 1, 0" if residual else "1, 0, 0"
    types = f"{x}, {residual}" if residual else x
    return parse(f'%2 = "ttnn.{name}"({ops}) <{{operandSegmentSizes = array<i32: {seg}>{extra}}}> : ({types}) -> {out}')


def test_rms_pre_all_gather_hand_computed():
    # simple_rms_norm_pre_all_gather.mlir: [1, 1, 128, 64] bf16 -> Wt = 2, 4 tile rows -> 4 cores (row-wise).
    # c_0 2 x 2 + c_1 1 + c_6 2 x 2 + c_14 1 (RMS) = 10 tiles x 2,048 = 20,480 B; with a residual of the same
    # shape + c_5 4 + c_3 2 = 16 tiles = 32,768 B.
    x, out = tiled("1x1x128x64", "4x2"), tiled("1x1x128x32", "4x1")
    r = analyze_op(pre_ag("rms_norm_pre_all_gather", x, out), ctx())
    assert r.factory == "LayerNormPreAllGatherProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == 20_480
    assert [c for g in r.core_groups for c in g.cores] == [(0, 0), (1, 0), (2, 0), (3, 0)]
    r = analyze_op(pre_ag("rms_norm_pre_all_gather", x, out, residual=x), ctx())
    assert [cb.index for cb in r.core_groups[0].cbs] == [0, 1, 5, 3, 6, 14]
    assert peak(r) == 32_768 and r.confidence == "read-factory"
    # the late-2025 copy has no residual: estimate in that era
    assert analyze_op(pre_ag("rms_norm_pre_all_gather", x, out, residual=x), ctx("2025-12")).confidence == "estimate"


def test_layer_norm_pre_all_gather_hand_computed():
    # [1, 1, 32, 128] bf16 -> Wt = 4: c_0 8 + c_1 1 + c_6 8 + c_14 2 (sum(x^2), sum(x)) = 19 x 2,048 = 38,912 B,
    # the same in both eras (bf16 input, no residual).
    x, out = tiled("1x1x32x128", "1x4"), tiled("1x1x32x64", "1x2")
    for era in ("2025-12", "2026-02"):
        r = analyze_op(pre_ag("layer_norm_pre_all_gather", x, out), ctx(era))
        assert peak(r) == 38_912 and r.confidence == "read-factory"


def test_pre_all_gather_f32_scaler_by_era():
    # f32 [1, 1, 32, 64]: Wt = 2. 2026 copy: the scaler tile is f32 (4,096 B): c_0 4 x 4,096 = 16,384 + c_1 4,096
    # + c_6 4 x 2,048 = 8,192 + c_14 1 x 4,096 = 32,768 B; late-2025 copy: a bf16 scaler (2,048 B) -> 30,720 B.
    x, out = tiled("1x1x32x64", "1x2", "f32"), tiled("1x1x32x32", "1x1", "f32")
    assert peak(analyze_op(pre_ag("rms_norm_pre_all_gather", x, out), ctx())) == 32_768
    assert peak(analyze_op(pre_ag("rms_norm_pre_all_gather", x, out), ctx("2025-12"))) == 30_720


def test_pre_all_gather_2d_grid_is_estimate():
    x, out = tiled("1x1x128x64", "4x2"), tiled("1x1x128x32", "4x1")
    r = analyze_op(pre_ag("rms_norm_pre_all_gather", x, out, extra=", use_2d_core_grid = true"), ctx())
    assert r.confidence == "estimate"


# -- upsample (ops_pool) ---------------------------------------------------------------------------------------------
def upsample(src: str, dst: str, mode: str = "nearest", scale: int = 2):
    return parse(f'%1 = "ttnn.upsample"(%0) <{{mode = "{mode}", scale_factor = {scale} : si32}}> : ({src}) -> {dst}')


def test_opmodel_upsample_row_major_hand_computed(corpus):
    # TestOpModelLib.cpp UpsampleTests: [2, 128, 8, 8] bf16 row-major DRAM interleaved, scale 2, nearest; the test
    # only asserts cbSize > 0. upsample_program_factory_multicore_interleaved.cpp @003a5610: 2 x 128 x 8 = 2,048
    # sticks over 64 cores = 32 each (!= 1 -> double-buffered); stick 8 x 2 = 16 B aligned to the 32 B DRAM
    # alignment -> c_0 = 2 x 32 = 64 B.
    text = (corpus / "memory" / "graph-capture" / "tt-mlir_TestOpModelLib.cpp").read_text()
    block = text[text.index("UpsampleTests, OpModelUpsampleParam"):][:600]
    assert "{2, 128, 8, 8}" in block and '"nearest"' in block and "EXPECT_GT(cbSize, 0)" in text
    src = row_major("2x128x8x8", "2048x8", "bf16")
    r = analyze_op(upsample(src, row_major("2x256x16x8", "8192x8", "bf16")), ctx())
    assert r.factory == "UpsampleMultiCoreInterleavedProgramFactory" and r.confidence == "read-factory"
    assert peak(r) == 64 > 0
    assert cores(r) == 64


def test_upsample_tiled_hand_computed():
    # [1, 32, 32, 64] bf16 tiled (tile-aligned): 32 x 32 / 32 = 32 rows of Wt = 2 tiles over 32 cores, 1 each
    # (no doubling): c_0 2 x 2,048 + c_1 2 x 2,048 (bf16 output) = 8,192 B.
    r = analyze_op(upsample(tiled("1x32x32x64", "32x2"), row_major("1x64x64x64", "4096x64", "bf16")), ctx())
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in r.core_groups[0].cbs] == [(0, 2, 2048), (1, 2, 2048)]
    assert peak(r) == 8_192 and cores(r) == 32
    assert not any("rejects" in f for f in r.formula)


def test_upsample_bilinear_and_dec_2025_are_estimates():
    src = tiled("1x32x32x64", "32x2")
    dst = row_major("1x64x64x64", "4096x64", "bf16")
    assert analyze_op(upsample(src, dst, "bilinear"), ctx()).confidence == "estimate"
    assert analyze_op(upsample(src, dst), ctx("2025-12")).confidence == "estimate"


# -- typed ops -------------------------------------------------------------------------------------------------------
def test_typed_transformer_ops_decode():
    from ttdiag.ir.ttnn import (
        ChunkedScaledDotProductAttention,
        NLPConcatHeadsDecode,
        NormPreAllGather,
        RotaryEmbeddingLlama,
        ScaledDotProductAttention,
        decode,
    )

    q, m = tiled("1x1x32x64", "1x2"), tiled("1x1x32x128", "1x4")
    t = decode(sdpa(q, q, q, q, False, ", sliding_window_size = 128 : ui32", mask=m))
    assert isinstance(t, ScaledDotProductAttention)
    assert t.operand_slots(4) == [0, 1, 2, 3, None] and t.sliding_window_size == 128 and not t.is_causal
    assert t.chunk_sizes() == (None, None) and t.program_grid() is None
    cfg = ", program_config = #ttnn.sdpa_program_config<compute_with_storage_grid_size = #ttnn.core_coord<4, 2>, " \
          "q_chunk_size = 64, k_chunk_size = 128>"
    t = decode(sdpa(q, q, q, q, True, cfg))
    assert t.chunk_sizes() == (64, 128) and t.program_grid() == (4, 2)
    kv = tiled("128x12x32x64", "1536x2")
    c = decode(parse(f'%5 = "ttnn.chunked_scaled_dot_product_attention"(%0, %1, %2, %3, %4) <{{scale = 0.125 : f32}}>'
                     f' : ({q}, {kv}, {kv}, {row_major("1x4", "1x4")}, {row_major("1", "1x1")}) -> {q}'))
    assert isinstance(c, ChunkedScaledDotProductAttention) and c.scale == 0.125
    d = decode(parse(f'%1 = "ttnn.nlp_concat_heads_decode"(%0) <{{num_heads = 12 : ui32}}> : ({q}) -> {q}'))
    assert isinstance(d, NLPConcatHeadsDecode) and d.num_heads == 12
    r = decode(rope(q, q, q, q, q, decode=True))
    assert isinstance(r, RotaryEmbeddingLlama) and r.is_decode_mode
    n = decode(pre_ag("rms_norm_pre_all_gather", q, q, residual=q, extra=", use_2d_core_grid = true"))
    assert isinstance(n, NormPreAllGather) and n.is_rms and n.use_2d_core_grid and n.operand_slots(2) == [0, 1, None]
