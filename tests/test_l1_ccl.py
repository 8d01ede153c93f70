"""CCL CB models (ops_ccl): figures worked out by hand from the tt-metal builders (arithmetic in the comments).

Sources: all_gather ``all_gather_async_default_program_factory.cpp`` @00db5f6b
``build_all_gather_async_minimal_default_program_artifacts`` (c_0 = 3 · min(4, packet / page) pages) and
``default_workers``; reduce_scatter ``line_reduce_scatter_minimal_async_program.cpp`` @2b31743a (c_0..c_3 =
3 · min(4 · packet / page, 8) pages each), ring ``reduce_scatter_minimal_async_program.cpp`` @00382a5c
(granularity 4 · min(2, packet / page), 8 from 4 pages up) and ``reduce_scatter_minimal_async_program_common.cpp``
@2b31743a ``default_workers``; the 1-D fabric packet is a 64 B ``PacketHeader`` + 4 Bfp8_b tiles (4 x 1,088 =
4,352 B) = 4,416 B (``fabric_context.cpp`` @001c321d, ``fabric_edm_packet_header.hpp`` @01656bf7).
"""

from __future__ import annotations

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_ccl import ag_workers, pages_per_packet, rs_workers
from ttdiag.ir.ttnn import AllGather, AllReduce, ReduceScatter, decode
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"
BASE = 102_656


def ctx(era: str = "2025-12"):
    return make_context(WH, get_era(era), BASE)


def tiled(shape: str, dtype: str = "bf16") -> str:
    dims = [int(d) for d in shape.split("x")]
    rank = len(dims)
    names = ", ".join(f"d{i}" for i in range(rank))
    rows = 1
    for d in dims[:-1]:
        rows *= d
    memref = f"{-(-rows // 32)}x{-(-dims[-1] // 32)}"
    elem = {"bf16": "bf16", "f32": "f32", "bfp_bf8": "bf16"}[dtype]
    return (f"tensor<{shape}x{elem}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {DRAM}>, <interleaved>>>")


def row_major(shape: str) -> str:
    dims = [int(d) for d in shape.split("x")]
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    rows = 1
    for d in dims[:-1]:
        rows *= d
    return (f"tensor<{shape}xbf16, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{rows}x{dims[-1]}xbf16, {DRAM}>, <interleaved>>>")


def parse(line: str):
    return OpLineParser().parse(line, 1, "main")


def all_gather(src: str, dst: str, dim: int, extra: str = ""):
    return parse(f'%2 = "ttnn.all_gather"(%1) <{{all_gather_dim = {dim} : si32, cluster_axis = 1 : ui32{extra}}}> '
                 f": ({src}) -> {dst}")


def reduce_scatter(src: str, dst: str, dim: int, extra: str = ""):
    return parse(f'%2 = "ttnn.reduce_scatter"(%1) <{{cluster_axis = 1 : ui32, reduce_type = #ttcore.reduce_type<sum>, '
                 f"scatter_dim = {dim} : si32{extra}}}> : ({src}) -> {dst}")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


def n_cores(r) -> int:
    return sum(len(g.cores) for g in r.core_groups)


# -- the fabric packet -------------------------------------------------------------------------------------------------
def test_pages_per_packet_of_tiles():
    # packet = 64 + 4 x 1,088 = 4,416 B; a 32 B header (older copies) gives 4,384 B: same count for tiles
    assert pages_per_packet(2048) == (2, True)  # 4,416 // 2,048 = 2; 4,384 // 2,048 = 2
    assert pages_per_packet(4096) == (1, True)  # fp32 tile
    assert pages_per_packet(1088) == (4, True)  # bfp8 tile: 4,416 // 1,088 = 4 (4,352 + header)
    assert pages_per_packet(576) == (7, True)   # bfp4 tile: 4,416 // 576 = 7; 4,384 // 576 = 7
    # a 1,104 B page: 4,416 // 1,104 = 4 but 4,384 // 1,104 = 3 -> depends on the header size
    assert pages_per_packet(1104) == (4, False)


# -- all_gather -------------------------------------------------------------------------------------------------------
def test_all_gather_bf16_golden_snippet():
    # tt-mlir test/python/golden/mlir_snippets/ttnn/ttnn_all_gather.mlir: 1x1x32x32 bf16 -> 1x1x32x128 (4 devices)
    # c_0 = 3 x min(4, 4,416 // 2,048 = 2) = 6 pages x 2,048 = 12,288 B per worker core.
    # workers: output 4 tiles x 2,048 = 8,192 B; moved per link 8,192 x 3/4 / 1 = 6,144 B > 4 KiB and <= 256 KiB
    #   -> candidates {2, 1}; 1 link x 2 dirs x (2 + 1) = 6 cores <= 64 -> 2 workers/direction = 4 worker cores.
    op = all_gather(tiled("1x1x32x32"), tiled("1x1x32x128"), 3)
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert [(c.index, c.pages, c.page_bytes) for c in r.core_groups[0].cbs] == [(0, 6, 2048)]
    assert peak(r) == 12_288
    assert n_cores(r) == 4


def test_all_gather_fp32_and_bfp8_pages():
    # fp32: 4,416 // 4,096 = 1 page per packet -> c_0 = 3 x 1 = 3 x 4,096 = 12,288 B
    r = analyze_op(all_gather(tiled("1x1x32x32", "f32"), tiled("1x1x32x64", "f32"), 3), ctx())
    assert peak(r) == 3 * 4096
    assert r.confidence == "read-factory"
    # bfp8: 4,416 // 1,088 = 4 -> min(4, 4) = 4 -> c_0 = 12 x 1,088 = 13,056 B; copies capping a packet at 2
    # pages give 6 x 1,088 -> estimate
    r = analyze_op(all_gather(tiled("1x1x32x32", "bfp_bf8"), tiled("1x1x32x64", "bfp_bf8"), 3), ctx())
    assert peak(r) == 12 * 1088
    assert r.confidence == "estimate" and any("6 pages" in f for f in r.formula)


def test_all_gather_workers_from_output_bytes():
    # default_workers: moved = out x (D-1)/D / links (/2 on a ring); > 256 KiB -> 4, <= 4 KiB -> 1, else 2
    assert ag_workers(4 * 2048, 4, 1, False, 64) == 2          # 6,144 B
    assert ag_workers(2 * 2048, 2, 1, False, 64) == 1          # 2,048 B <= 4 KiB
    assert ag_workers(2 * 1024 * 1024, 4, 1, False, 64) == 4   # 1.5 MiB > 256 KiB
    assert ag_workers(2 * 1024 * 1024, 4, 4, True, 64) == 2    # 1.5 MiB / 4 links / 2 = 192 KiB
    # 4 workers need links x 2 x 5 cores: 8 links -> 80 > 64 cores, so 2 (8 x 2 x 3 = 48)
    assert ag_workers(64 * 1024 * 1024, 4, 8, False, 64) == 2


def test_all_gather_num_links_from_ir():
    # num_links = 2: output 8,192 B moves 8,192 x 3/4 / 2 = 3,072 B per link <= 4 KiB -> 1 worker per direction
    # -> 2 links x 2 directions x 1 = 4 worker cores; the per-core CB is unchanged
    op = all_gather(tiled("1x1x32x32"), tiled("1x1x32x128"), 3, ", num_links = 2 : ui32")
    r = analyze_op(op, ctx())
    assert n_cores(r) == 4 and peak(r) == 12_288
    assert not any("num_links not in the IR" in f for f in r.formula)


def test_all_gather_padded_gather_dim_is_composite_estimate():
    # 1x1x32x16 gathered on the last dim: 16 % 32 != 0 -> use_composite_all_gather -> estimate
    r = analyze_op(all_gather(tiled("1x1x32x16"), tiled("1x1x32x64"), 3), ctx())
    assert r.confidence == "estimate"
    assert any("composite" in f for f in r.formula)


def test_all_gather_row_major_is_composite_estimate():
    r = analyze_op(all_gather(row_major("1x1x32x32"), row_major("1x1x32x128"), 3), ctx())
    assert r.confidence == "estimate"


# -- reduce_scatter ---------------------------------------------------------------------------------------------------
def test_reduce_scatter_bf16_line():
    # tt-mlir flops_ccl_reduce.mlir: 1x1x256x128 bf16 scattered on dim 3 over 4 devices (-> 1x1x256x32).
    # line: granularity = min(4 x 2, 8) = 8; each of c_0, c_1, c_2, c_3 = 3 x 8 = 24 pages x 2,048 = 49,152 B;
    # 4 x 49,152 = 196,608 B per worker core.
    # workers: input 8 x 4 = 32 tiles x 2,048 = 65,536 B; moved 65,536 x 3/4 = 49,152 "bytes" > 4.0
    #   -> {8, 4, 2, 1}; 1 x 2 x (8 + 1) = 18 <= 64 cores -> 8 per direction = 16 worker cores.
    op = reduce_scatter(tiled("1x1x256x128"), tiled("1x1x256x32"), 3)
    r = analyze_op(op, ctx())
    assert r.confidence == "read-factory"
    assert [(c.index, c.pages, c.page_bytes) for c in r.core_groups[0].cbs] == [
        (0, 24, 2048), (1, 24, 2048), (2, 24, 2048), (3, 24, 2048)]
    assert peak(r) == 196_608
    assert n_cores(r) == 16


def test_reduce_scatter_fp32_and_bfp8():
    # fp32: 1 page per packet -> granularity min(4, 8) = 4 -> 4 x 12 x 4,096 = 196,608 B
    r = analyze_op(reduce_scatter(tiled("1x1x32x128", "f32"), tiled("1x1x32x32", "f32"), 3), ctx())
    assert peak(r) == 4 * 12 * 4096
    # bfp8: 4 pages per packet -> granularity min(16, 8) = 8 -> 4 x 24 x 1,088 = 104,448 B
    r = analyze_op(reduce_scatter(tiled("1x1x32x128", "bfp_bf8"), tiled("1x1x32x32", "bfp_bf8"), 3), ctx())
    assert peak(r) == 4 * 24 * 1088


def test_reduce_scatter_ring_same_cbs():
    # ring: per packet min(2, 2) = 2 < 4 -> granularity 4 x 2 = 8: the line's 24 pages per CB again
    op = reduce_scatter(tiled("1x1x256x128"), tiled("1x1x256x32"), 3, ", topology = #ttcore.topology<ring>")
    r = analyze_op(op, ctx())
    assert peak(r) == 196_608 and "ring" in r.factory
    # a later ring copy adds a CB that was not read -> estimate
    assert r.confidence == "estimate"


def test_reduce_scatter_workers_thresholds_are_bytes():
    # the factory compares bytes with 4.0 / 0.5 (linear) and 50.0 / 1.0 (ring), as transcribed
    assert rs_workers(2048, 2, 1, False, 64) == 8      # 1,024 > 4.0
    assert rs_workers(2048, 2, 1, True, 64) == 8       # 512 > 50.0
    # 4 links: 2,048 x 1/2 / 4 = 256 > 4.0 -> {8, 4, 2, 1}; 8 needs 4 x 2 x 9 = 72 > 64 cores, 4 needs 40 -> 4
    assert rs_workers(2048, 2, 4, False, 64) == 4


def test_reduce_scatter_padded_slice_is_composite_estimate():
    # 1x1x32x64 scattered over 4 devices -> 16 wide: 16 % 32 != 0 -> use_composite_reduce_scatter -> estimate
    r = analyze_op(reduce_scatter(tiled("1x1x32x64"), tiled("1x1x32x16"), 3), ctx())
    assert r.confidence == "estimate"


def test_reduce_scatter_mlp_2d_shapes():
    # mlp_123_residual.mlir: 32x256 bf16 scattered on dim 1 over 4 -> 32x64: 64 % 32 == 0, native path;
    # same 196,608 B per worker core.
    r = analyze_op(reduce_scatter(tiled("32x256"), tiled("32x64"), 1), ctx())
    assert r.confidence == "read-factory" and peak(r) == 196_608


# -- all_reduce ---------------------------------------------------------------------------------------------------------
def test_all_reduce_is_reduce_scatter_then_all_gather_estimate():
    # 1x1x256x128 bf16: reduce_scatter workers 196,608 B per core, all_gather workers 12,288 B; the device count
    # is not in the op -> estimate; the peak is the reduce_scatter program's.
    op = parse('%1 = "ttnn.all_reduce"(%0) <{cluster_axis = 1 : ui32, reduce_type = #ttcore.reduce_type<sum>}> : '
               f"({tiled('1x1x256x128')}) -> {tiled('1x1x256x128')}")
    r = analyze_op(op, ctx())
    assert r.confidence == "estimate"
    assert peak(r) == 196_608
    assert sorted(g.static_bytes for g in r.core_groups) == [12_288, 196_608]


# -- point_to_point ----------------------------------------------------------------------------------------------------
def test_point_to_point_estimate():
    # 64x64 bf16 tiled: 4 tiles of 2,048 B; bf16 packet limit = bit_floor(4,416) = 4,096 -> 2 pages per packet,
    # packet 4,096 B, 2 packets. sender: c_0 2 x 2,048 + c_6 4 x 64 + c_2 1 x 4,096 = 8,448 B;
    # receiver: c_0 1 x 4,096 + c_1 3 x 2 x 2,048 = 16,384 B.
    t = tiled("64x64")
    op = parse(f'%2 = "ttnn.point_to_point"(%0) <{{receiver_coord = array<i64: 0, 1>, sender_coord = '
               f'array<i64: 0, 0>}}> : ({t}) -> {t}')
    r = analyze_op(op, ctx())
    assert r.confidence == "estimate"
    sender = [g for g in r.core_groups if g.label.startswith("sender")]
    receiver = [g for g in r.core_groups if g.label.startswith("receiver")]
    assert sum(len(g.cores) for g in sender) == 2
    assert sender[0].static_bytes == 2 * 2048 + 4 * 64 + 4096
    assert receiver[0].static_bytes == 4096 + 3 * 2 * 2048


# -- host-side mesh ops --------------------------------------------------------------------------------------------------
def test_host_mesh_ops_run_no_program():
    t = tiled("1x1x32x32")
    for line in (
        f'%1 = "ttnn.distribute_tensor"(%arg0, %0) <{{mapper_config = #ttnn.mesh_mapper_config<placements = '
        f'[<shard, 2 : i64>, <shard, 3 : i64>]>}}> : ({t}, !ttnn.device) -> {t}',
        f'%3 = "ttnn.aggregate_tensor"(%2, %0) <{{composer_config = #ttnn.mesh_composer_config<dims = [3 : i64]>}}> '
        f': ({t}, !ttnn.device) -> {t}',
        f'%1 = "ttnn.mesh_shard"(%arg0, %0) <{{shard_dims = array<i64: -1, 0>, shard_direction = '
        f'#ttcore.shard_direction<full_to_shard>, shard_shape = array<i64: 2, 1>, shard_type = '
        f'#ttcore.shard_type<identity>}}> : ({t}, !ttnn.device) -> {t}',
    ):
        r = analyze_op(parse(line), ctx())
        assert r.core_groups == [] and r.confidence == "read-factory" and r.factory == "none"
        assert r.sources


# -- typed ops -----------------------------------------------------------------------------------------------------------
def test_typed_ccl_ops():
    ag = decode(all_gather(tiled("1x1x32x32"), tiled("1x1x32x128"), 3, ", num_links = 2 : ui32"))
    assert isinstance(ag, AllGather) and ag.ring_size == 4 and ag.num_links == 2 and ag.verify() == []
    rs = decode(reduce_scatter(tiled("32x256"), tiled("32x64"), 1, ", topology = #ttcore.topology<ring>"))
    assert isinstance(rs, ReduceScatter) and rs.ring_size == 4 and rs.reduce_type == "sum"
    assert rs.topology == "ring" and rs.dim_index(-1) == 1
    bad = decode(all_gather(tiled("1x1x32x32"), tiled("1x1x32x48"), 3))
    assert bad.ring_size is None and bad.verify()
    ar = decode(parse('%1 = "ttnn.all_reduce"(%0) <{cluster_axis = 1 : ui32, reduce_type = '
                      f"#ttcore.reduce_type<mean>, num_links = 1 : ui32}}> : ({tiled('32x32')}) -> {tiled('32x32')}"))
    assert isinstance(ar, AllReduce) and ar.num_links == 1 and ar.verify()


def test_too_many_links_for_the_grid():
    # 40 links: even 1 worker per direction needs 40 x 2 x 2 = 160 cores > 64 -> default_workers throws
    op = all_gather(tiled("1x1x32x32"), tiled("1x1x32x128"), 3, ", num_links = 40 : ui32")
    r = analyze_op(op, ctx())
    assert r.core_groups == [] and r.confidence == "estimate"
    assert any("Not enough cores" in f for f in r.formula)
