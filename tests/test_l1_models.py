"""L1 CB models: the seed case to the byte and the core, hand-computed cases from ttnn-facts.md §3,
and the region rule as a property."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.model import CB, CoreGroup, round_up
from ttdiag.analyze.l1.registry import cb_model, registered
from ttdiag.analyze.l1.work_split import (
    closest_square_larger_than_b,
    compute_ncores,
    split_blocks_for_tilize,
    split_work_to_cores,
)
from ttdiag.cli import app
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"


def ctx(era: str = "2025-12", base: int = 102_656):
    return make_context(WH, get_era(era), base)


def tile(shape: str, rows_cols: str, dtype: str = "bf16", mem: str = DRAM) -> str:
    rank = shape.count("x") + 1
    dims = ", ".join(f"d{i}" for i in range(rank))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, "
            f"memref<{rows_cols}x!ttcore.tile<32x32, {dtype}>, {mem}>, <interleaved>>>")


def rm(shape: str, rows_cols: str, dtype: str = "bf16", mem: str = DRAM) -> str:
    rank = shape.count("x") + 1
    dims = ", ".join(f"d{i}" for i in range(rank))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, "
            f"memref<{rows_cols}x{dtype}, {mem}>, <interleaved>>>")


def op(text: str):
    return OpLineParser().parse(text, 1, "main")


SEED_OP = op(f'%9 = "ttnn.to_layout"(%8) <{{layout = #ttnn.layout<row_major>}}> : '
             f'({tile("4x4884480", "1x152640")}) -> {rm("4x4884480", "4x4884480")}')


def test_seed_case_dec_2025_reproduced_to_the_byte_and_the_core():
    c = ctx("2025-12")
    r = analyze_op(SEED_OP, c)
    assert r.factory == "UntilizeWithUnpaddingMultiCoreBlockInterleavedProgramFactory"
    assert r.confidence == "read-factory"
    groups = {g.label: g for g in r.core_groups}
    ccr = groups["cliff_col_row"]
    assert ccr.cores == [(7, 6)]
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in ccr.cbs] == [(0, 2414, 2048), (16, 2414, 2048)]
    assert ccr.static_bytes == 9_887_744
    assert ccr.region_end(c.l1_unreserved_base, c.cb_alignment) == 9_990_400
    cc = groups["cliff_col"]
    assert len(cc.cores) == 62 and cc.cores[0] == (0, 0) and cc.cores[-1] == (7, 5)
    assert cc.cbs[0].pages == 2423
    # the log names the first allocator over the limit, not the largest
    g, end = r.first_over_limit(c)
    assert g is ccr and end == 9_990_400
    assert r.worst(c)[1] == 10_027_264
    assert not r.fits(c)


def test_seed_case_after_pr_35806_fits():
    c = ctx("2026-02")
    r = analyze_op(SEED_OP, c)
    groups = {g.label: g for g in r.core_groups}
    assert groups["cliff_col"].cbs[0].pages == 269 and len(groups["cliff_col"].cores) == 63
    assert groups["cliff_col_row"].cores == [(7, 7)] and groups["cliff_col_row"].cbs[0].pages == 117
    assert groups["cliff_col"].region_end(c.l1_unreserved_base, 32) == 1_204_480
    assert groups["cliff_col_row"].region_end(c.l1_unreserved_base, 32) == 581_888
    assert any("= 9 x sub-block 269" in f for f in r.formula)
    assert any("= 340 tiles" in f for f in r.formula)
    assert r.fits(c)


def test_work_split_helpers():
    c = ctx()
    assert compute_ncores(64, 648) == (59, 11)
    s = split_blocks_for_tilize(c, 1000)
    assert (s.ncores, s.per_core, s.cliff, s.cliff_core) == (63, 16, 8, [(7, 6)])
    assert closest_square_larger_than_b(2385, 152_640, 1, 64) == (2423 * 2423, 2423)
    assert split_work_to_cores(c, 65) == [("group 1", [(0, 0)], 2), ("group 2", c_cores(c)[1:64], 1)]
    assert split_work_to_cores(c, 10) == [("all", c_cores(c)[:10], 1)]


def c_cores(c):
    gx, gy = c.grid
    return [(i // gy, i % gy) for i in range(gx * gy)]


def test_pad_row_major_v2_mochi_causal_pad():
    # [768,4,60,106] -> [768,6,62,108] bf16 RM: npb = ceil(2048/212) = 10; stick 216 B
    o = op(f'%6 = "ttnn.pad"(%5) <{{padding = array<i32: 0, 0, 2, 0, 1, 1, 1, 1>, value = 0.0 : f32}}> : '
           f'({rm("768x4x60x106", "184320x106")}) -> {rm("768x6x62x108", "285696x108")}')
    c = ctx()
    r = analyze_op(o, c)
    assert r.factory == "PadRmReaderWriterMultiCoreV2"
    cbs = r.core_groups[0].cbs
    assert [(cb.index, cb.bytes) for cb in cbs] == [(1, 224), (2, 224), (0, 16 * 10 * 224)]
    # c_1 at 102,656; c_2 at 102,880; c_0 at 103,104 (32-byte aligned starts)
    assert r.core_groups[0].region_end(c.l1_unreserved_base, 32) == 103_104 + 35_840
    sticks = 768 * 6 * 62
    assert sum(len(g.cores) for g in r.core_groups) == 64
    assert {int(g.label.split("(")[1].split()[0]) for g in r.core_groups} == {-(-sticks // 64), sticks // 64}


def test_pad_wide_fp32_row_blows_up_c0():
    # facts §3.3: W_pad = 258,112 fp32 -> c_0 = 16 x 1 x round_up(1,032,448, 16) = 16,519,168 B
    o = op(f'%1 = "ttnn.pad"(%0) <{{padding = array<i32: 0, 0, 0, 0, 0, 0, 0, 2>, value = 0.0 : f32}}> : '
           f'({rm("1x1x6x258110", "6x258110", "f32")}) -> {rm("1x1x6x258112", "6x258112", "f32")}')
    r = analyze_op(o, ctx())
    assert next(cb for cb in r.core_groups[0].cbs if cb.index == 0).bytes == 16_519_168
    assert not r.fits(ctx())


def test_pad_tiled_is_five_tiles_everywhere():
    o = op(f'%1 = "ttnn.pad"(%0) <{{padding = array<i32: 0, 0, 0, 32>, value = 0.0 : f32}}> : '
           f'({tile("64x64", "2x2")}) -> {tile("64x96", "2x3")}')
    r = analyze_op(o, ctx())
    assert r.factory == "PadTileMulticore" and len(r.core_groups[0].cores) == 64
    assert r.core_groups[0].static_bytes == 5 * 2048


def test_permute_row_major_factories():
    inv = op(f'%1 = "ttnn.permute"(%0) <{{permutation = array<i64: 1, 0, 2>}}> : '
             f'({rm("4x60x106", "240x106")}) -> {rm("60x4x106", "240x106")}')
    r = analyze_op(inv, ctx())
    assert r.factory.endswith("RowInvariant") and r.core_groups[0].cbs == [CB(0, 2, 224, "row")]
    blocked = op(f'%1 = "ttnn.permute"(%0) <{{permutation = array<i64: 0, 2, 1>}}> : '
                 f'({rm("4x60x106", "240x106")}) -> {rm("4x106x60", "424x60")}')
    r = analyze_op(blocked, ctx())
    assert r.factory.endswith("BlockedGeneric") and r.core_groups[0].static_bytes == 3 * 2048 * 2


def test_transpose_wh_tiled():
    o = op(f'%1 = "ttnn.transpose"(%0) <{{dim0 = -2 : si32, dim1 = -1 : si32}}> : '
           f'({tile("64x128", "2x4")}) -> {tile("128x64", "4x2")}')
    r = analyze_op(o, ctx())
    assert r.factory == "TransposeWHProgramFactory" and r.core_groups[0].static_bytes == 4 * 2048


def test_reshape_view_and_copy():
    view = op(f'%1 = "ttnn.reshape"(%0) <{{shape = [1 : i32, 128 : i32, 128 : i32]}}> : '
              f'({tile("1x1x128x128", "4x4")}) -> {tile("1x128x128", "4x4")}')
    assert analyze_op(view, ctx()).core_groups == []
    copy = op(f'%1 = "ttnn.reshape"(%0) <{{shape = [4 : i32, 4884480 : i32]}}> : '
              f'({tile("4x1x768x60x106", "6144x4")}) -> {tile("4x4884480", "1x152640")}')
    r = analyze_op(copy, ctx())
    # tiled device copy on 3-D shapes [3072, 60, 106] -> [1, 4, 4884480]: ReshapeTiledProgramFactory, c_0 = one
    # mapping page of 40 segments x 16 B (40 from the segment map; see test_l1_reshape), c_1 = c_2 = 1 bf16 tile
    assert r.confidence == "read-factory"
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 640), (1, 2048), (2, 2048)]


def test_embedding_rm_chunking_by_era():
    o = op(f'%2 = "ttnn.embedding"(%0, %1) : ({rm("1x4", "1x4", "ui32")}, {rm("8x4884480", "8x4884480")}) '
           f'-> {rm("1x4x4884480", "4x4884480")}')
    old, new = analyze_op(o, ctx("2025-12")), analyze_op(o, ctx("2026-02"))
    # 4 rows over 4 cores -> 1 row each, buffering 1; the weight row is 9,768,960 B
    assert old.core_groups[0].cbs[0].bytes == 9_768_960 and old.confidence == "estimate"
    assert new.core_groups[0].cbs[0].bytes == 1 << 20 and new.confidence == "read-factory"
    assert new.core_groups[0].cbs[1].bytes == (32 // 4) * 32


def test_conv3d_mochi_without_config_needs_a_huge_weight_cb():
    o = op(f'%10 = "ttnn.conv3d"(%9, %0, %1, %2) <{{batch_size = 1 : i32, in_channels = 768 : i32, '
           f'out_channels = 768 : i32, input_depth = 6 : i32, input_height = 62 : i32, input_width = 108 : i32, '
           f'kernel_size = array<i32: 3, 3, 3>, stride = array<i32: 1, 1, 1>, padding = array<i32: 0, 0, 0>, '
           f'groups = 1 : i32}}> : ({rm("1x6x62x108x768", "40176x768")}, {tile("20736x768", "648x24")}, '
           f'{tile("1x768", "1x24")}, !ttnn.device) -> {tile("1x4x60x106x768", "795x24")}')
    r = analyze_op(o, ctx("2026-02"))
    w = next(cb for cb in r.core_groups[0].cbs if cb.name == "weight_tiled")
    assert w.pages == 648 * 24 and w.bytes == 31_850_496  # K_t = 27*768/32, N_t = 768/32
    assert not r.fits(ctx("2026-02"))


def test_conv3d_with_corpus_config():
    o = op(f'%out = "ttnn.conv3d"(%a, %w, %d) <{{batch_size = 1 : i32, conv3d_config = #ttnn.conv3d_config<'
           f't_out_block = 1, w_out_block = 1, h_out_block = 1, c_out_block = 32, c_in_block = 64, '
           f'compute_with_storage_grid_size = #ttcore.grid<8x8>>, in_channels = 128 : i32, out_channels = 32 : i32, '
           f'kernel_size = array<i32: 3, 3, 3>}}> : ({rm("1x8x28x28x128", "6272x128")}, '
           f'{rm("32x128x3x3x3", "110592x3")}, !ttnn.device) -> {rm("1x6x26x26x32", "4056x32")}')
    r = analyze_op(o, ctx("2026-02"))
    byname = {cb.name: cb for cb in r.core_groups[0].cbs}
    assert byname["weight_tiled"].pages == 54  # K_t = ceil(27*64/32) = 54, N_t = 1
    assert byname["vol2col_rm"].pages == 1 and byname["vol2col_rm"].page_bytes == 1728 * 2
    assert "reduction" in byname  # 128 / 64 = 2 input-channel blocks
    assert r.confidence == "read-factory" and len(r.core_groups[0].cores) == 64


def test_matmul_with_ir_program_config():
    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = "
           "#ttnn.core_coord<8, 8>, in0_block_w = 16, out_subblock_h = 2, out_subblock_w = 4, out_block_h = 2, "
           "out_block_w = 4, per_core_m = 2, per_core_n = 4, transpose_mcast = false, fuse_batch = true>")
    o = op(f'%2 = "ttnn.matmul"(%0, %1) <{{matmul_program_config = {cfg}}}> : '
           f'({tile("512x1024", "16x32")}, {tile("1024x1024", "32x32")}) -> {tile("512x1024", "16x32")}')
    r = analyze_op(o, ctx())
    cbs = {cb.index: cb for cb in r.core_groups[0].cbs}
    # Kt = 32, in0_block_w 16 -> 2 K blocks -> double-buffered inputs
    assert cbs[0].pages == 2 * 16 * 2 and cbs[1].pages == 4 * 16 * 2 and cbs[4].pages == 8
    assert r.confidence == "read-factory" and len(r.core_groups[0].cores) == 8 * 8


def test_host_ops_and_host_to_layout_have_no_cbs():
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<tile>}}> : '
           f'({rm("32x32", "32x32", "bf16", "#ttnn.buffer_type<system_memory>")}) -> '
           f'{tile("32x32", "1x1", "bf16", "#ttnn.buffer_type<system_memory>")}')
    assert analyze_op(o, ctx()).core_groups == []
    assert analyze_op(op('"ttnn.deallocate"(%0) <{force = false}> : (tensor<2xbf16>) -> ()'), ctx()).core_groups == []


def test_unknown_op_gets_a_labelled_estimate():
    o = op(f'%1 = "ttnn.frobnicate"(%0) : ({tile("64x64", "2x2")}) -> {tile("64x64", "2x2")}')
    r = analyze_op(o, ctx())
    assert r.confidence == "estimate" and r.factory == "generic (no model)"
    assert r.core_groups[0].static_bytes == 4 * 2048


def test_registry_rejects_duplicates():
    assert "ttnn.to_layout" in registered()
    with pytest.raises(ValueError):
        cb_model("ttnn.to_layout")(lambda op, ctx: None)
    with pytest.raises(ValueError):
        cb_model("to_layout")(lambda op, ctx: None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 31), st.integers(1, 64), st.integers(1, 8192), st.booleans()), max_size=12),
       st.integers(0, 200_000), st.sampled_from([16, 32, 64]))
def test_region_end_is_base_plus_aligned_sizes(cbs, base, align):
    group = CoreGroup("g", [(0, 0)], [CB(i, p, b, globally_allocated=g) for i, p, b, g in cbs])
    addr = base
    for _, pages, page_bytes, glob in cbs:
        if not glob:
            addr = round_up(addr, align) + pages * page_bytes
    assert group.region_end(base, align) == addr
    assert group.region_end(base, align) >= base + group.static_bytes


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 600), st.integers(1, 600))
def test_untilize_region_end_is_monotone_in_width_within_the_interleaved_factory(h, w1, w2):
    """More columns per tile row never shrink the interleaved factory's CBs (Wt pages each)."""
    lo, hi = sorted((w1, w2))
    ends = []
    for w in (lo, hi):
        wt = -(-w * 32 // 32)
        o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<row_major>}}> : '
               f'({tile(f"{h * 32}x{w * 32}", f"{h}x{wt}")}) -> {rm(f"{h * 32}x{w * 32}", f"{h * 32}x{w * 32}")}')
        r = analyze_op(o, ctx())
        ends.append((r.factory, r.worst(ctx())[1]))
    if ends[0][0] == ends[1][0] == "UntilizeMultiCoreProgramFactory":
        assert ends[0][1] <= ends[1][1]


runner = CliRunner()


def test_l1_command_json_contract(sample):
    r = runner.invoke(app, ["l1", sample("mochi_replicate_pad_cb_overflow.log"), "--format", "json"])
    assert r.exit_code == 1, r.stdout
    obj = json.loads(r.stdout)
    assert {"arch", "l1_limit_bytes", "l1_unreserved_base_bytes", "ops"} <= obj.keys()
    assert (obj["arch"], obj["l1_limit_bytes"], obj["l1_unreserved_base_bytes"], obj["era"]) == (
        "wormhole_b0", 1_499_136, 102_656, "2025-12")
    top = obj["ops"][0]
    assert {"op", "factory", "confidence", "core_groups", "worst", "fits"} <= top.keys()
    assert top["op"] == {"id": "%9", "name": "ttnn.to_layout", "program": "main", "line": 42}
    assert top["worst"] == {"core": [0, 0], "cb_region_end_bytes": 10_027_264, "cores": 62}
    assert top["fits"] is False
    g = next(g for g in top["core_groups"] if g["cores"] == [[7, 6]])
    assert g["cb_region_end_bytes"] == 9_990_400
    assert [(cb["index"], cb["pages"], cb["page_bytes"], cb["bytes"]) for cb in g["cbs"]] == [
        (0, 2414, 2048, 4_943_872), (16, 2414, 2048, 4_943_872)]


def test_l1_command_csv_and_era_override(sample):
    r = runner.invoke(app, ["l1", sample("mochi_replicate_pad_cb_overflow.log"), "--format", "csv", "--era", "2026-02"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("op,name,program,line,factory")
    assert lines[1].startswith("%9,ttnn.to_layout,main,42,") and ",1204480," in lines[1]


def test_l1_on_a_dump_uses_its_system_desc(corpus):
    f = next(p for p in sorted(corpus.rglob("*.mlir")) if "l1_unreserved_base = 104224" in p.read_text())
    r = runner.invoke(app, ["l1", str(f), "--format", "json"])
    obj = json.loads(r.stdout)
    assert obj["l1_unreserved_base_bytes"] == 104_224 and obj["era"] == "2026-02"


def test_triage_model_reproduces_the_log(sample):
    r = runner.invoke(app, ["triage", sample("mochi_replicate_pad_cb_overflow.log"), "--format", "json"])
    m = json.loads(r.stdout)["failures"][0]["model"]
    assert (m["cb_region_end_bytes"], m["core"], m["matches_log"], m["era"]) == (9_990_400, [7, 6], True, "2025-12")
    assert m["dominant_cb"]["pages"] == 2414
    assert m["other_era"] == {"era": "2026-02", "cb_region_end_bytes": 1_204_480, "fits": True}


def test_tilize_default_and_with_val_padding():
    # const-eval weight [20736, 768] RM -> tile: 648 tile rows over compute_ncores(64, 648) = 59 cores
    o = op(f'%2 = "ttnn.to_layout"(%1) <{{layout = #ttnn.layout<tile>}}> : '
           f'({rm("20736x768", "20736x768")}) -> {tile("20736x768", "648x24")}')
    r = analyze_op(o, ctx())
    assert r.factory == "TilizeMultiCoreDefaultProgramFactory"
    full, cliff = r.core_groups
    assert (len(full.cores), len(cliff.cores)) == (58, 1)
    assert full.cbs == [CB(0, 24, 2048, "input sticks (tile width)"), CB(16, 24, 2048, "output tiles")]
    assert full.region_end(102_656, 32) == 200_960
    # bias [1, 768] needs padding to 32 rows: tilize_with_val_padding on one core
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<tile>}}> : '
           f'({rm("1x768", "1x768")}) -> {tile("1x768", "1x24")}')
    r = analyze_op(o, ctx())
    assert r.factory == "TilizeWithValPaddingMultiCoreInterleavedProgramFactory"
    assert [len(g.cores) for g in r.core_groups] == [1] and r.core_groups[0].static_bytes == 2 * 24 * 2048


def test_untilize_picks_the_wh_split_when_it_uses_more_cores():
    # [256, 4096]: the row split uses 8 cores; compute_ncores_wh gives 5x5-tile blocks on 52 cores
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<row_major>}}> : '
           f'({tile("256x4096", "8x128")}) -> {rm("256x4096", "256x4096")}')
    r = analyze_op(o, ctx())
    assert r.factory == "UntilizeMultiCoreBlockProgramFactory"
    sizes = {g.label: (len(g.cores), g.cbs[0].pages) for g in r.core_groups}
    assert sizes == {"full": (25, 5), "cliff_col_row": (1, 3), "cliff_row": (1, 3), "cliff_col": (25, 5)}
    assert r.worst(ctx())[1] == 102_656 + 5 * 4096


def test_untilize_default_multicore_double_buffers():
    # [2048, 64]: Wt = 2, 64 tile rows over 64 cores -> 1 row each: single-buffered
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<row_major>}}> : '
           f'({tile("2048x64", "64x2")}) -> {rm("2048x64", "2048x64")}')
    r = analyze_op(o, ctx())
    assert r.factory == "UntilizeMultiCoreProgramFactory"
    assert r.core_groups[0].cbs[0].pages == 2
    # [4096, 64]: 128 rows -> 2 per core: double-buffered (2 x Wt)
    o = op(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<row_major>}}> : '
           f'({tile("4096x64", "128x2")}) -> {rm("4096x64", "4096x64")}')
    assert analyze_op(o, ctx()).core_groups[0].cbs[0].pages == 4
