"""CB models of ops_heads (split_query_key_value_and_split_heads, concatenate_heads), ops_sort (sort), ops_cache
(fill_cache, update_cache, paged_update_cache, paged_fill_cache) and the live-L1-buffer budget of the matmul
config choice: hand-computed cases from the late-2025 tt-metal factories (arithmetic in the comments) on shapes
the OpModel tests do not use. The OpModel figures themselves are checked by tests/test_opmodel_agreement.py."""

from __future__ import annotations

from dataclasses import replace

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_sort import sort_width
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"
L1 = "#ttnn.buffer_type<l1>"


def ctx():
    return make_context(WH, get_era("2025-12"), 102_656)


def tiled(shape: str, dtype: str = "bf16", mem: str = DRAM, elem: str | None = None) -> str:
    dims = [int(d) for d in shape.split("x")]
    rows = 1
    for d in dims[:-1]:
        rows *= d
    memref = f"{-(-rows // 32)}x{-(-dims[-1] // 32)}"
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    elem = elem or {"bfp_bf8": "bf16", "f32": "f32"}.get(dtype, dtype)
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {mem}>, <interleaved>>>")


def height_sharded(shape: str, cores: int, shard_tiles: str) -> str:
    names = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    return (f"tensor<{shape}xbf16, #ttnn.ttnn_layout<({names}) -> (0, 0), <{cores}x1, (d0, d1) -> (0, d0 floordiv 8, "
            f"d0 mod 8)>, memref<{shard_tiles}x!ttcore.tile<32x32, bf16>, {L1}>, <height_sharded>>>")


def row_major(shape: str, dtype: str = "si32") -> str:
    rows, cols = shape.split("x")
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<{rows}x{cols}x{dtype}, "
            f"{DRAM}>, <interleaved>>>")


def parse(text: str):
    return OpLineParser().parse(text, 1, "main")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


def cores(r) -> int:
    return sum(len(g.cores) for g in r.core_groups)


# -- split_query_key_value_and_split_heads --------------------------------------------------------------------------
def split_qkv(src: str, q: str, k: str, heads: int, transpose: bool, extra: str = ""):
    attrs = f"num_heads = {heads} : ui32, {extra}transpose_key = {'true' if transpose else 'false'}"
    return parse(f'%1, %2, %3 = "ttnn.split_query_key_value_and_split_heads"(%0) <{{{attrs}}}> : ({src}) -> '
                 f"({q}, {k}, {q})")


def test_split_qkv_interleaved_bf16():
    # nlp_create_qkv_heads_program_factory.cpp @086f5b2f Interleaved::create: input [2, 64, 2304] viewed as
    # [2, 1, 64, 2304]: num_blocks = 2·1·64 / 32 = 4 tile rows -> split_work_to_cores: 4 cores, 1 each.
    # c_1 = cb_num_tiles (micro_block_size 1 x 4) = 4 x 2,048 = 8,192 B per core; no transpose -> no c_0 / c_16.
    r = analyze_op(split_qkv(tiled("2x64x2304"), tiled("2x12x64x64"), tiled("2x12x64x64"), 12, False), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 8_192
    assert cores(r) == 4
    assert [c.index for c in r.core_groups[0].cbs] == [1]


def test_split_qkv_transpose_key_f32():
    # transpose_k_heads: c_1, c_0 and c_16 of 4 tiles each; f32 tile 4,096 B -> 3 x 4 x 4,096 = 49,152 B per core.
    # num_blocks = 1·1·128 / 32 = 4.
    r = analyze_op(split_qkv(tiled("1x128x3072", "f32"), tiled("1x16x128x64", "f32"), tiled("1x16x64x128", "f32"),
                             16, True), ctx())
    assert peak(r) == 49_152
    assert cores(r) == 4
    assert sorted(c.index for c in r.core_groups[0].cbs) == [0, 1, 16]


def test_split_qkv_num_kv_heads_off_falcon7b_shape_is_rejected():
    # num_kv_heads -> nlp_create_qkv_heads_falcon7b, whose validate takes only a 4,672-wide input: ttnn rejects
    # this 2,048-wide one, so there is no program to size (estimate, with the reason)
    r = analyze_op(split_qkv(tiled("1x32x2048"), tiled("1x8x32x128"), tiled("1x4x32x128"), 8, False,
                             "num_kv_heads = 4 : ui32, "), ctx())
    assert r.confidence == "estimate"
    assert any("falcon7b" in line and "4672" in line for line in r.formula)


# -- concatenate_heads ----------------------------------------------------------------------------------------------
def concat_heads(src: str, dst: str):
    return parse(f'%1 = "ttnn.concatenate_heads"(%0) : ({src}) -> {dst}')


def test_concatenate_heads_runs_nlp_concat_heads():
    # concatenate_heads.cpp -> nlp_concat_heads (NLPConcatHeadsProgramFactory): input [1, 16, 128, 64]:
    # per_tensor_tiles = 16 x 64 / 32 = 32; c_0 = 2 x 32 = 64 tiles x 2,048 = 131,072 B per core;
    # work = 1 x 128 / 32 = 4 tile rows -> 4 cores.
    r = analyze_op(concat_heads(tiled("1x16x128x64"), tiled("1x128x1024")), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 131_072
    assert cores(r) == 4


def test_concatenate_heads_bfp8():
    # input [2, 4, 64, 128] bfp_bf8 (1,088 B tiles): per_tensor_tiles = 4 x 128 / 32 = 16; c_0 = 32 x 1,088 =
    # 34,816 B; work = 2 x 64 / 32 = 4 tile rows.
    r = analyze_op(concat_heads(tiled("2x4x64x128", "bfp_bf8"), tiled("2x64x512", "bfp_bf8")), ctx())
    assert peak(r) == 34_816
    assert cores(r) == 4


# -- sort -----------------------------------------------------------------------------------------------------------
def sort_op(src: str, idx: str, dim: int):
    return parse(f'%1, %2 = "ttnn.sort"(%0) <{{descending = false, dim = {dim} : si8, stable = false}}> : ({src}) '
                 f"-> ({src}, {idx})")


def test_sort_width_follows_pre_sort_transform():
    # sort.cpp pre_sort_transform_tensor: tile-pad, then next power of two; one tile (32) becomes 64
    assert [sort_width(n) for n in (1, 32, 33, 64, 100, 128, 3000)] == [64, 64, 64, 64, 128, 128, 4096]


def test_sort_single_row_single_core_bf16():
    # [8, 100] bf16, dim -1: 100 -> tile 128 -> power of two 128: Wt = 4 (<= 64: SingleRowSingleCore);
    # indices UINT16 (2,048 B tiles). Per core: c_0 4 x 2,048 + c_1 4 x 2,048 + c_2 Wt 4 x 2,048 + c_3 4 x 2,048
    # + c_4 2 x 2,048 + c_5 2 x 2,048 + c_6 1,024 = 8,192 x 4 + 4,096 x 2 + 1,024 = 41,984 B.
    # Ht = 32 / 32 = 1 tile row -> 1 core.
    r = analyze_op(sort_op(tiled("8x100"), tiled("8x100", "u16", elem="ui16"), -1), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 41_984
    assert cores(r) == 1


def test_sort_f32_along_dim1_of_three():
    # [2, 64, 33] f32, dim 1: transposed to [2, 33, 64]: sort 64 -> Wt 2; rows 2 x round_up(33, 32) / 32 = 4.
    # f32 tile 4,096 B, UINT16 index tile 2,048 B: c_0 4 x 4,096 = 16,384; c_1 4 x 2,048 = 8,192; c_2 2 x 4,096 =
    # 8,192; c_3 2 x 2,048 = 4,096; c_4 2 x 4,096 = 8,192; c_5 2 x 2,048 = 4,096; c_6 1,024 -> 50,176 B.
    r = analyze_op(sort_op(tiled("2x64x33", "f32"), tiled("2x64x33", "u16", elem="ui16"), 1), ctx())
    assert peak(r) == 50_176
    assert cores(r) == 4


def test_sort_cross_core_exchange():
    # [64, 3000] bf16, dim -1: 3,000 -> tile 3,008 -> power of two 4,096: Wt 128 > 64. 64 cores x
    # get_number_of_tiles_per_core(64, 128) = 64 x max(128 / 64, 2) = 128 >= Wt -> SortProgramFactoryCrossCoreDataExchange.
    # n = min(tiles_per_core(rounddown_pow2(64) = 64, 128) = 2, 128) = 2 tiles per core, ceil(128 / 2) = 64 cores.
    # UINT16 indices (4,096 < 65,535). c_0 2 x 2,048 + c_1 2 x 2,048 + c_2 n 2 x 2,048 + c_3 2 x 2,048 = 16,384;
    # c_4..c_9 six CBs of 2 x 2,048 = 24,576; c_10 one UInt32 tile 4,096; c_11 one Float16_b tile 2,048 -> 47,104 B.
    r = analyze_op(sort_op(tiled("64x3000"), tiled("64x3000", "u16", elem="ui16"), -1), ctx())
    assert r.factory == "SortProgramFactoryCrossCoreDataExchange"
    assert peak(r) == 47_104
    assert cores(r) == 64


def test_sort_single_row_multi_core():
    # [32, 300000] bf16: 300,000 -> power of two 524,288: Wt 16,384 > 64 x min(128, 16,384 / 64) = 8,192 ->
    # SortProgramFactorySingleRowMultiCore; indices UINT32 (524,288 >= 65,535: 4,096 B tiles).
    # c_0 / c_2 / c_4: 2 x 2,048 each = 12,288; c_1 / c_3 / c_5: 2 x 4,096 each = 24,576 -> 36,864 B per core.
    r = analyze_op(sort_op(tiled("32x300000"), tiled("32x300000", "u32", elem="ui32"), -1), ctx())
    assert r.factory == "SortProgramFactorySingleRowMultiCore"
    assert peak(r) == 36_864


# -- kv cache -------------------------------------------------------------------------------------------------------
def test_fill_cache_interleaved():
    # fill_cache_multi_core_program_factory.cpp: input [1, 8, 100, 128] -> padded S 128: num_blocks = 8 x 128 / 32
    # = 32 -> 32 cores (row-major split); c_0 = 2 tiles (double-buffered) x 2,048 = 4,096 B per core.
    op = parse(f'"ttnn.fill_cache"(%0, %1) <{{batch_offset = 0 : i32}}> : ({tiled("1x8x256x128")}, '
               f'{tiled("1x8x100x128")}) -> ()')
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 4_096
    assert cores(r) == 32


def test_update_cache_granularity_two():
    # update_cache_multi_core_program_factory.cpp @00555207: cache [4, 8, 128, 64] -> Wt = 2, Bcache 4 ->
    # granularity min(2, 4) = 2; input [1, 8, 4, 64] -> B = padded 32 users. fp32 dest accumulation off (default)
    # -> Float16_b intermediates (2,048 B).
    # c_0 2·2·2 = 8 x 2,048 = 16,384; c_1 2·Wt = 4 x 2,048 = 8,192; c_24/c_25 8 x 2,048 = 16,384; c_26 16,384;
    # c_16 B·Wt = 64 x 2,048 = 131,072 -> 188,416 B per core; 8 x 32 / 32 = 8 batched heads -> 8 cores.
    op = parse(f'"ttnn.update_cache"(%0, %1, %2) <{{batch_offset = 0 : i32}}> : ({tiled("4x8x128x64")}, '
               f'{tiled("1x8x4x64")}, {tiled("1", "u32", elem="ui32")}) -> ()')
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 188_416
    assert cores(r) == 8


def test_paged_update_cache_sharded_input():
    # paged_update_cache_program_factory.cpp @0147d780: input [1, 4, 2, 64] height-sharded on 4 cores (shard 1 x 2
    # tiles): Wt = 64 / 32 = 2, B = 4. c_0 2·Wt = 4 x 2,048 = 8,192; c_1 the shard (global); c_24/c_25 4 x 2,048 =
    # 8,192; c_26 8,192; c_16 B·Wt = 8 x 2,048 = 16,384; c_2 one si32 tile 4,096; c_3 one page-table row
    # 8 x 4 = 32 B -> 45,088 B per core.
    op = parse(f'"ttnn.paged_update_cache"(%0, %1, %2, %3) <{{share_cache = false}}> : ({tiled("32x2x32x64")}, '
               f'{height_sharded("1x4x2x64", 4, "1x2")}, {row_major("1x4")}, {row_major("4x8")}) -> ()')
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 45_088
    assert cores(r) == 4


def test_paged_fill_cache_aligned_page_table_row():
    # paged_fill_cache_program_factory.cpp (late 2025): cache [32, 2, 64, 128] -> Wt 4; input [1, 2, 100, 128]
    # -> 2 x 128 / 32 = 8 tile rows -> 8 cores. c_0 2·Wt = 8 x 2,048 = 16,384; c_1 = the page table's
    # aligned_page_size: a [2, 20] si32 row of 80 B in DRAM, aligned to 32 B -> 96 B; no batch_idx tensor
    # -> 16,480 B per core.
    op = parse(f'"ttnn.paged_fill_cache"(%0, %1, %2) : ({tiled("32x2x64x128")}, {tiled("1x2x100x128")}, '
               f'{row_major("2x20")}) -> ()')
    r = analyze_op(op, ctx())
    assert WH.dram_alignment == 32
    assert r.confidence == "read-factory"
    assert peak(r) == 16_480
    assert cores(r) == 8


# -- linear: live L1 buffers shrink get_max_l1_space ----------------------------------------------------------------
def test_live_l1_buffer_changes_the_auto_matmul_config():
    # matmul_utilities.cpp get_max_l1_space = lowest_occupied_compute_l1_address (else l1_size) - base.
    # linear A [2048, 512] x B [512, 2048] + bias [2048, 2048], all bf16 L1 interleaved: Mt = Nt = 64, Kt = 16; the
    # full-height bias is added by ttnn.add afterwards (no c_3), but get_estimated_size_of_cbs (Dec 2025) counts
    # in0_block_w x 2,048 = 4,096 B for it.
    # No live buffer: max = 1,499,136 - 102,656 = 1,396,480. get_per_core_factor(in0_block_w 2): 16 -> 16·2·2·2,048
    # x 2 (A, B) + 256 x 2,048 (out) + 256 x 2,048 (interm) + 4,096 = 1,314,816 < 1,396,480: pf 16, 4 x 4 blocks ->
    # 2D mcast: c_0 16·2·2 x 2,048 = 131,072, c_1 131,072, c_4 256 x 2,048 = 524,288 -> 786,432 B.
    # With the bias live in L1 (4,096 tiles over 64 banks = 64 x 2,048 = 131,072 B per bank at the top): max =
    # 1,265,408: 16 no longer fits; 8 -> 65,536 x 2 + 131,072 x 2 + 4,096 = 397,312 fits: 8 x 8 blocks ->
    # c_0 8·2·2 x 2,048 = 65,536, c_1 65,536, c_4 64 x 2,048 = 131,072 -> 262,144 B.
    l1 = {"mem": L1}
    op = parse(f'%3 = "ttnn.linear"(%0, %1, %2) <{{transpose_a = false, transpose_b = false}}> : '
               f'({tiled("2048x512", **l1)}, {tiled("512x2048", **l1)}, {tiled("2048x2048", **l1)}) -> '
               f'{tiled("2048x2048", **l1)}')
    assert peak(analyze_op(op, ctx())) == 786_432
    held = replace(ctx(), l1_buffers_bytes=131_072)
    assert held.max_l1_space == 1_265_408
    r = analyze_op(op, held)
    assert peak(r) == 262_144
    assert "131,072 B of L1 buffers per bank below the top" in r.formula[0]


def sharded_qkv(shape: str, grid: str, shard: str, layout: str = "block_sharded") -> str:
    names = ", ".join(f"d{i}" for i in range(shape.count("x") + 1))
    return (f"tensor<{shape}xbf16, #ttnn.ttnn_layout<({names}) -> (0, 0), <{grid}>, "
            f"memref<{shard}x!ttcore.tile<32x32, bf16>, {L1}>, <{layout}>>>")


def test_split_qkv_sharded_runs_create_qkv_heads():
    # create_qkv_heads_program_factory.cpp create_heads_combined_qkv_sharded: input [1, 256, 3072], 16 heads ->
    # head_dim = 3072 / (16 + 2·16) = 64; tiles_per_group = 3 x 64 / 32 = 6. Block-sharded on 2 x 8 cores: shard
    # 128 x 384 = 4 x 12 tiles -> block_ht 4, groups_per_block 12 / 6 = 2.
    # No transpose: c_0 (input) and c_16..c_18 (Q, K, V) are all shards -> 0 static B.
    # transpose_key: c_24 = k_size = block_ht 4 x head tiles 2 x groups_per_block 2 = 16 x 2,048 = 32,768 B.
    src = sharded_qkv("1x256x3072", "2x8", "4x12")
    q, k = sharded_qkv("1x16x256x64", "2x8", "8x2"), sharded_qkv("1x16x64x256", "2x8", "8x2")
    plain = analyze_op(split_qkv(src, q, q, 16, False), ctx())
    assert plain.confidence == "read-factory"
    assert peak(plain) == 0
    r = analyze_op(split_qkv(src, q, k, 16, True), ctx())
    assert peak(r) == 32_768
    assert cores(r) == 16


def test_split_qkv_num_kv_heads_runs_falcon7b():
    # nlp_create_qkv_heads_falcon7b: only [B, 1, S, 4672] passes validate. Input [1, 64, 4672]: Wt = 146;
    # c_0 = 2 x 146 = 292 tiles x 2,048 = 598,016 B; 1 x 64 / 32 = 2 tile rows -> 2 cores.
    r = analyze_op(split_qkv(tiled("1x64x4672"), tiled("1x71x64x64"), tiled("1x1x64x64"), 71, False,
                             "num_kv_heads = 1 : ui32, "), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 598_016
    assert cores(r) == 2


def test_paged_fill_cache_era_switch_batched_input():
    # paged_cache_input_geometry: the 2026 copy (@056bc6a1) splits input_batch x heads x S/32 rows and holds one
    # batch_idx entry per input batch row (TT_FATAL unless they match); the late-2025 copy (library id 419899280)
    # splits heads x S/32 rows and TT_FATALs unless batch_idx holds one element.
    # cache [32, 2, 64, 128] (Wt 4: c_0 8 x 2,048 = 16,384), page table [2, 20] si32 (80 B -> 96 B aligned).
    # 2025-12, input [1, 2, 64, 128], batch_idx [1]: 2 x 64 / 32 = 4 rows -> 4 cores; c_2 1 x 4 -> 16,484 B.
    # 2026-02, input [2, 2, 64, 128], batch_idx [2]: 2 x 2 x 2 = 8 rows -> 8 cores; c_2 2 x 4 = 8 -> 16,488 B.
    def fill(batch: int, idx: int):
        return parse(f'"ttnn.paged_fill_cache"(%0, %1, %2, %3) : ({tiled("32x2x64x128")}, '
                     f'{tiled(f"{batch}x2x64x128")}, {row_major("2x20")}, {row_major(f"1x{idx}")}) -> ()')
    late_2025 = ctx()
    feb_2026 = make_context(WH, get_era("2026-02"), 102_656)
    r = analyze_op(fill(1, 1), late_2025)
    assert (r.confidence, peak(r), cores(r)) == ("read-factory", 16_484, 4)
    r = analyze_op(fill(2, 2), feb_2026)
    assert (r.confidence, peak(r), cores(r)) == ("read-factory", 16_488, 8)
    # rejected by the factories: two batch_idx entries in late 2025; two entries for a batch of 4 in 2026
    assert analyze_op(fill(1, 2), late_2025).confidence == "estimate"
    assert analyze_op(fill(4, 2), feb_2026).confidence == "estimate"


def test_typed_ops_decode_attributes():
    from ttdiag.ir.ttnn import (
        ConcatenateHeads,
        FillCache,
        PagedFillCache,
        PagedUpdateCache,
        SplitQueryKeyValueAndSplitHeads,
        UpdateCache,
        decode,
    )

    t = decode(split_qkv(tiled("1x32x2048"), tiled("1x8x32x128"), tiled("1x4x32x128"), 8, True,
                         "num_kv_heads = 4 : ui32, "))
    assert isinstance(t, SplitQueryKeyValueAndSplitHeads)
    assert (t.num_heads, t.num_kv_heads, t.transpose_key, t.has_kv_input) == (8, 4, True, False)
    assert isinstance(decode(concat_heads(tiled("1x16x128x64"), tiled("1x128x1024"))), ConcatenateHeads)
    f = decode(parse(f'"ttnn.fill_cache"(%0, %1) <{{batch_offset = 3 : i32}}> : ({tiled("1x8x256x128")}, '
                     f'{tiled("1x8x100x128")}) -> ()'))
    assert isinstance(f, FillCache) and f.batch_offset == 3
    u = decode(parse(f'"ttnn.update_cache"(%0, %1, %2) <{{batch_offset = 0 : i32}}> : ({tiled("4x8x128x64")}, '
                     f'{tiled("1x8x4x64")}, {tiled("1", "u32", elem="ui32")}) -> ()'))
    assert isinstance(u, UpdateCache) and u.batch_offset == 0
    p = decode(parse(f'"ttnn.paged_update_cache"(%0, %1, %2, %3) <{{share_cache = true}}> : ({tiled("32x2x32x64")}, '
                     f'{height_sharded("1x4x2x64", 4, "1x2")}, {row_major("1x4")}, {row_major("4x8")}) -> ()'))
    assert isinstance(p, PagedUpdateCache) and p.share_cache
    q = decode(parse(f'"ttnn.paged_fill_cache"(%0, %1, %2) : ({tiled("32x2x64x128")}, {tiled("1x2x100x128")}, '
                     f'{row_major("2x20")}) -> ()'))
    assert isinstance(q, PagedFillCache) and not q.has_batch_idx_tensor
