"""CB models for the collective (CCL) and mesh ops: ``all_gather``, ``reduce_scatter``, ``all_reduce``,
``point_to_point``, and the host-side ``distribute_tensor`` / ``aggregate_tensor`` / ``mesh_shard``.

What tt-mlir's runtime calls (``runtime/lib/ttnn/operations/ccl/*.cpp`` @31b7b0e4, Dec 2025; the same calls
@1be02703, Feb 2026): ``ttnn::all_gather(input, dim, cluster_axis, sub_device, memory_config, no output,
num_links, topology)``, ``ttnn::reduce_scatter(...)`` likewise (the IR's ``reduce_type`` is not passed) and
``ttnn::all_reduce(input, cluster_axis, sub_device, memory_config, num_links, topology)``; ``num_links`` and
``topology`` only when the IR carries them, otherwise ttnn's defaults (``get_num_links`` of the mesh; the
fabric's topology).

tt-metal (undated copies read; the signatures match the runtime's calls):

* ``ccl/all_gather/all_gather.cpp`` @00bbd1e0 ``ExecuteAllGather::invoke``: the composite all_gather
  (``composite_common.cpp`` @00d062bc ``use_composite_all_gather``: row-major input, a tile-padded gather
  dim, or FABRIC_2D on a 2-D mesh) or ``prim::all_gather``, whose one factory
  (``all_gather_program_factory.cpp`` @00555207 ``AllGatherProgram::create_at``) is
  ``build_all_gather_async_minimal_default_program_artifacts``
  (``experimental/ccl/all_gather_async/device/all_gather_async_default_program_factory.cpp`` @00db5f6b):
  per link, per direction (2), one fabric-mux core and ``num_workers_per_direction`` worker cores; every worker
  core gets **c_0 = 3 · min(4, packet / page) pages of the input's page size** ("triple buffering";
  ``packet = get_tt_fabric_channel_buffer_size_bytes()``). Other copies of the same builder cap a packet at
  2 pages ("scatter-write currently only supports 2 distinct noc addresses"); the two agree for bf16 / fp32
  tiles (2 and 1 pages per packet), not for block floats (4 or 7), which are then estimates. Workers per direction (``default_workers``): the
  output bytes moved per link ``out · (D-1)/D / links`` (halved on a ring) over 256 KiB -> 4, at most 4 KiB -> 1,
  else 2, the first that fits ``links · 2 · (workers + 1)`` cores.
* ``ccl/reduce_scatter/reduce_scatter.cpp`` ``reduce_scatter``: the composite (``use_composite_reduce_scatter``:
  row-major, or the scattered slice not a whole number of tiles) or ``prim::reduce_scatter``
  (``reduce_scatter_program_factory.cpp`` @001c321d): the line or ring builder of
  ``experimental/ccl/reduce_scatter_minimal_async`` (``line_reduce_scatter_minimal_async_program.cpp``
  @2b31743a; ring: ``reduce_scatter_minimal_async_program.cpp`` @00382a5c): every worker core gets
  **c_0, c_1, c_2, c_3 = 3 · granularity pages of the input's page size** each, granularity
  ``min(4 · packet / page, 8)`` (line) or ``4 · min(2, packet / page)`` below 4 else 8 (ring) - the same
  number for every page size (ring @2b31743a too; a later ring copy, whose reader takes a second intermediate
  CB ``cb_interm2_id``, was not read: an explicit ring topology is an estimate). Workers per direction (``reduce_scatter_minimal_async_program_common.cpp``
  @2b31743a ``default_workers``): the input bytes per link compared with "MB" thresholds that are bytes
  (linear 4.0 / 0.5, ring 50.0 / 1.0), so any input over a few bytes asks for 8, then 4, 2, 1.
* ``ccl/all_reduce/all_reduce.cpp`` @0ee051c6 -> ``experimental/ccl/all_reduce_async/all_reduce_async.cpp``
  @00d062bc: with no semaphores, ``ttnn::reduce_scatter`` on the first dim (from the last) whose tile count
  divides by the device count, then ``ttnn::all_gather`` (two programs, one after the other); when no dim
  divides, or a composite is needed, all_gather + ``moreh_sum``.
* fabric packet: ``fabric_context.cpp`` @001c321d ``channel_buffer_size = header + payload``; 1-D fabric
  payload ``tile_size(Bfp8_b) · 4`` = 4,352 B (``erisc_datamover_builder.hpp``; a 2026 copy static_asserts
  4,352); 1-D header ``sizeof(PacketHeader)`` = 64 B (``fabric_edm_packet_header.hpp`` @01656bf7: 44 B base,
  2 B routing, 18 B padding; its comment says it was padded to 32 B before). tt-mlir runs a 1-D fabric:
  ``ttrt run --fabric-config`` defaults to ``fabric_1d`` (@31b7b0e4) and, from Feb 2026, the runtime
  classifies each mesh axis as FABRIC_1D or FABRIC_1D_RING (``runtime/lib/common/mesh_fabric_config.cpp``
  @73e66b90). A figure is read-factory only when 32 B and 64 B headers give the same pages per packet.

All figures are per worker core. The fabric-mux cores run ``tt_fabric_mux.cpp`` with their channel buffers
placed from the L1 unreserved base (no CBs; not counted here). The number of links and the order of the
cores (``choose_worker_cores``) are not in the IR / not transcribed: they change how many cores are listed,
never the bytes per core.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import AllGather, AllReduce, PointToPoint, ReduceScatter, decode
from ..layout import round_up, tile_bytes
from .generic import generic_estimate, no_program
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum, grid_cores
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import split_work_to_cores

# 1-D fabric packet payload (FabricEriscDatamoverBuilder::default_packet_payload_size_bytes = 4 Bfp8_b tiles)
FABRIC_1D_PAYLOAD = 4 * tile_bytes("bfp_bf8")
# sizeof(tt::tt_fabric::PacketHeader) in the copy read, and the 32 B its comment says it was padded to before
FABRIC_1D_HEADER = 64
FABRIC_1D_HEADER_OLD = 32
FABRIC_1D_PACKET = FABRIC_1D_PAYLOAD + FABRIC_1D_HEADER

_TT_MLIR = "tt-mlir runtime/lib/ttnn/operations/ccl/"
_AG = "ttnn/cpp/ttnn/operations/experimental/ccl/all_gather_async/device/"
_RS = "ttnn/cpp/ttnn/operations/experimental/ccl/reduce_scatter_minimal_async/device/"
FABRIC_SOURCES = [
    "tt_metal/fabric/fabric_context.cpp @001c321d FabricContext (channel buffer = header + payload)",
    "tt_metal/fabric/erisc_datamover_builder.hpp default_packet_payload_size_bytes = tile_size(Bfp8_b) * 4",
    "tt_metal/fabric/fabric_edm_packet_header.hpp @01656bf7 PacketHeader (64 B)",
    "tt-mlir tools/ttrt/common/run.py @31b7b0e4 (--fabric-config default fabric_1d); "
    "runtime/lib/common/mesh_fabric_config.cpp @73e66b90 (FABRIC_1D / FABRIC_1D_RING)",
]
AG_SOURCES = [
    _TT_MLIR + "all_gather.cpp @31b7b0e4 run (ttnn::all_gather)",
    "ttnn/cpp/ttnn/operations/ccl/all_gather/all_gather.cpp @00bbd1e0 ExecuteAllGather::invoke",
    "ttnn/cpp/ttnn/operations/experimental/ccl/composite_common.cpp @00d062bc use_composite_all_gather",
    "ttnn/cpp/ttnn/operations/ccl/all_gather/device/all_gather_program_factory.cpp @00555207 "
    "AllGatherProgram::create_at",
    _AG + "all_gather_async_default_program_factory.cpp @00db5f6b "
    "build_all_gather_async_minimal_default_program_artifacts / default_workers",
]
RS_SOURCES = [
    _TT_MLIR + "reduce_scatter.cpp @31b7b0e4 run (ttnn::reduce_scatter)",
    "ttnn/cpp/ttnn/operations/ccl/reduce_scatter/reduce_scatter.cpp @039c252a reduce_scatter",
    "ttnn/cpp/ttnn/operations/experimental/ccl/composite_common.cpp @00d062bc use_composite_reduce_scatter",
    "ttnn/cpp/ttnn/operations/ccl/reduce_scatter/device/reduce_scatter_program_factory.cpp @001c321d "
    "ReduceScatterProgram::create_at (ring or line builder)",
    _RS + "line_reduce_scatter_minimal_async_program.cpp @2b31743a "
    "build_line_reduce_scatter_minimal_async_program_artifacts",
    _RS + "ring_reduce_scatter_minimal_async_program.cpp @2b31743a (and reduce_scatter_minimal_async_program.cpp "
    "@00382a5c ring_reduce_scatter_minimal_async_helper)",
    _RS + "reduce_scatter_minimal_async_program_common.cpp @2b31743a default_workers",
]
AR_SOURCES = [
    _TT_MLIR + "all_reduce.cpp @31b7b0e4 run (ttnn::all_reduce)",
    "ttnn/cpp/ttnn/operations/ccl/all_reduce/all_reduce.cpp @0ee051c6 ExecuteAllReduce::invoke",
    "ttnn/cpp/ttnn/operations/experimental/ccl/all_reduce_async/all_reduce_async.cpp @00d062bc "
    "all_reduce_async (cluster_axis form: reduce_scatter + all_gather, or all_gather + moreh_sum)",
]
P2P_SOURCES = [
    _TT_MLIR + "point_to_point.cpp @31b7b0e4 run (ttnn::point_to_point, Topology::Linear)",
    "ttnn/cpp/ttnn/operations/point_to_point/device/host/point_to_point_device_op.cpp @0140bf01 "
    "compute_aligned_packet_dims",
    "ttnn/cpp/ttnn/operations/point_to_point/device/host/send_program_factory.cpp @00442111 send_program_factory",
    "ttnn/cpp/ttnn/operations/point_to_point/device/host/receive_program_factory.cpp @021f0f99 "
    "receive_program_factory",
]
MUX_NOTE = "mux cores (1 per link and direction): fabric buffers from the L1 base, no CBs"


def pages_per_packet(page: int) -> tuple[int, bool]:
    """``packet / page`` with the 64 B header read, and whether a 32 B header gives the same number."""
    if page <= 0:
        return 0, False
    n = FABRIC_1D_PACKET // page
    return n, n == (FABRIC_1D_PAYLOAD + FABRIC_1D_HEADER_OLD) // page


def all_gather_cb(page: int) -> CB:
    """The worker cores' one CB: c_0 = 3 · min(4, packet / page) pages (scatter writes of up to 4 pages)."""
    n, _ = pages_per_packet(page)
    return CB(0, 3 * min(4, n), page, "reader -> writer packets")


def rs_granularity(page: int, ring: bool) -> int:
    """Pages per reduction step: line ``min(4 · ppp, 8)``; ring ``4 · min(2, ppp)`` when below 4, else 8."""
    n, _ = pages_per_packet(page)
    if ring:
        per_packet = min(2, n)
        return 4 * per_packet if per_packet < 4 else 8
    return min(4 * n, 8)


def reduce_scatter_cbs(page: int, ring: bool) -> list[CB]:
    """The worker cores' CBs: c_0 input, c_1 intermediate, c_2 reader output, c_3 compute output, each
    3 · granularity pages of the input's page size."""
    pages = 3 * rs_granularity(page, ring)
    return [CB(0, pages, page, "input"), CB(1, pages, page, "intermediate (received partials)"),
            CB(2, pages, page, "reader output"), CB(3, pages, page, "compute output")]


def ag_workers(out_bytes: int, ring_size: int, links: int, ring: bool, num_cores: int) -> int:
    """``default_workers`` of the all_gather builder (output bytes moved per link)."""
    moved = out_bytes * (ring_size - 1) / ring_size / links / (2 if ring else 1)
    cands = (4, 2, 1) if moved > 256 * 1024 else (1,) if moved <= 4 * 1024 else (2, 1)
    return next((w for w in cands if num_cores >= links * 2 * (w + 1)), 0)


def rs_workers(in_bytes: int, ring_size: int, links: int, ring: bool, num_cores: int) -> int:
    """``default_workers`` of the reduce_scatter builders: the factory compares bytes with its "MB"
    constants (ring 50.0 / 1.0, linear 4.0 / 0.5), as transcribed."""
    moved = in_bytes * (ring_size - 1) / ring_size / links / (2 if ring else 1)
    hi, lo = (50.0, 1.0) if ring else (4.0, 0.5)
    cands = (8, 4, 2, 1) if moved > hi else (2, 1) if moved < lo else (4, 2, 1)
    return next((w for w in cands if num_cores >= links * 2 * (w + 1)), 0)


def _page(f: TensorFacts) -> int:
    """The buffer page: a 32x32 tile of the dtype (tiled); one row (row-major)."""
    return f.tile_bytes if f.tiled else max(f.width * max(f.es, 1), 1)


def _buffer_bytes(f: TensorFacts) -> int:
    """Per-device buffer bytes of a tiled tensor: physical tiles x tile bytes."""
    return f.Ht_total * f.Wt * f.tile_bytes


def _padded_on(f: TensorFacts, dim: int, size: int) -> bool:
    """``size`` along ``dim`` (non-negative) is not a whole number of tiles on the last two dims."""
    rank = len(f.shape)
    return (dim == rank - 1 or dim == rank - 2) and size % 32 != 0


def _worker_groups(ctx: L1Context, label: str, links: int, workers: int, cbs: list[CB]) -> list[CoreGroup]:
    """The worker cores: per link and direction, one mux core then ``workers`` worker cores, taken in row
    order from the first core (the builder's ``choose_worker_cores`` order is not transcribed)."""
    per_dir = workers + 1
    cores = grid_cores(ctx, links * 2 * per_dir, row_wise=True)
    worker_cores = [c for i, c in enumerate(cores) if i % per_dir != 0]
    return [CoreGroup(label, worker_cores, cbs)] if worker_cores else []


def _links(typed) -> tuple[int, str | None]:
    if typed.num_links:
        return typed.num_links, None
    return 1, "num_links not in the IR (ttnn: get_num_links): 1 assumed, cores only"


def _is_ring(typed) -> tuple[bool, str | None]:
    if typed.topology:
        return typed.topology == "ring", None
    return False, "topology not in the IR (ttnn: the fabric's): line assumed, same CBs"


def _cb_sum(cbs: list[CB]) -> str:
    """``c_0 6 x 2,048 = 12,288 B per worker core``; equal CBs as ``c_0..c_3: 4 x 24 x 2,048``."""
    if len(cbs) > 1 and len({(c.pages, c.page_bytes) for c in cbs}) == 1:
        c = cbs[0]
        return (f"c_{cbs[0].index}..c_{cbs[-1].index}: {len(cbs)} x {c.pages} x {c.page_bytes:,} B = "
                f"{sum(x.bytes for x in cbs):,} B per worker core")
    return cb_sum(cbs, "worker core")


def _packet_line(page: int) -> str:
    n, _ = pages_per_packet(page)
    return (f"packet {FABRIC_1D_PACKET:,} B ({FABRIC_1D_HEADER} B header + {FABRIC_1D_PAYLOAD:,} B) / "
            f"{page:,} B page = {n} pages")


def _packet_reasons(page: int) -> list[str]:
    n, exact = pages_per_packet(page)
    why = []
    if not exact:
        why.append(f"a {page:,} B page gives a different count with a 32 B packet header (older copies)")
    if n == 0:
        why.append(f"a {page:,} B page does not fit a {FABRIC_1D_PACKET:,} B fabric packet")
    return why


@cb_model("ttnn.all_gather")
def all_gather(op: Op, ctx: L1Context) -> OpL1:
    """Worker-core CBs of ``ttnn.all_gather`` (module docstring): c_0 = 3 · min(4, packet / page) pages."""
    typed, src, dst = decode(op), operand(op), result(op)
    if not isinstance(typed, AllGather) or src is None or dst is None:
        return generic_estimate(op, ctx)
    dim, ring_size = typed.dim_index(typed.all_gather_dim), typed.ring_size
    if dim is None or ring_size is None or ring_size < 2:
        res = generic_estimate(op, ctx)
        res.formula.insert(0, "all_gather: gather dim or device count not readable from the op's types")
        return res
    page = _page(src)
    cb = all_gather_cb(page)
    links, links_note = _links(typed)
    ring, topo_note = _is_ring(typed)
    n_cores = ctx.grid[0] * ctx.grid[1]
    workers = ag_workers(_buffer_bytes(dst), ring_size, links, ring, n_cores)
    groups = _worker_groups(ctx, f"workers ({links} link(s) x 2 directions x {workers})", links, workers, [cb])
    n, _ = pages_per_packet(page)
    formula = [f"input {list(src.shape)} {src.dtype}, gather dim {dim} over {ring_size} devices",
               _packet_line(page),
               f"c_0 = 3 x min(4, {n}) = {cb.pages} pages x {page:,} B = {cb.bytes:,} B per worker core",
               f"{workers} worker(s) per direction (output {_buffer_bytes(dst):,} B per device)", MUX_NOTE]
    formula += [note for note in (links_note, topo_note) if note]
    why = _packet_reasons(page)
    if workers == 0:
        why.append(f"{links} link(s) need more cores than the grid has: ttnn raises \"Not enough cores\"")
    if min(2, n) != min(4, n):
        why.append(f"other copies cap a packet at 2 pages (c_0 = {3 * min(2, n)} pages): which one ran is not "
                   "known")
    if not src.tiled:
        why.append("row-major input: ttnn runs the composite all_gather (not modelled)")
    elif _padded_on(src, dim, src.shape[dim]):
        why.append(f"gather dim {dim} ({src.shape[dim]}) is tile-padded: ttnn runs the composite all_gather "
                   "(not modelled)")
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, "all_gather (minimal default)", "estimate" if why else "read-factory",
                groups, formula, AG_SOURCES + FABRIC_SOURCES)


def _fp32_acc(typed: ReduceScatter) -> bool:
    cfg = typed.compute_config
    return bool(cfg is not None and cfg.bool("fp32_dest_acc_en"))


@cb_model("ttnn.reduce_scatter")
def reduce_scatter(op: Op, ctx: L1Context) -> OpL1:
    """Worker-core CBs of ``ttnn.reduce_scatter`` (module docstring): c_0..c_3 = 3 · granularity pages each."""
    typed, src, dst = decode(op), operand(op), result(op)
    if not isinstance(typed, ReduceScatter) or src is None or dst is None:
        return generic_estimate(op, ctx)
    dim, ring_size = typed.dim_index(typed.scatter_dim), typed.ring_size
    if dim is None or ring_size is None or ring_size < 2:
        res = generic_estimate(op, ctx)
        res.formula.insert(0, "reduce_scatter: scatter dim or device count not readable from the op's types")
        return res
    page = _page(src)
    ring, topo_note = _is_ring(typed)
    cbs = reduce_scatter_cbs(page, ring)
    links, links_note = _links(typed)
    n_cores = ctx.grid[0] * ctx.grid[1]
    workers = rs_workers(_buffer_bytes(src), ring_size, links, ring, n_cores)
    groups = _worker_groups(ctx, f"workers ({links} link(s) x 2 directions x {workers})", links, workers, cbs)
    n, _ = pages_per_packet(page)
    gran = rs_granularity(page, ring)
    rule = f"4 x min(2, {n})" if ring else f"min(4 x {n}, 8)"
    formula = [f"input {list(src.shape)} {src.dtype}, scatter dim {dim} over {ring_size} devices "
               f"({'ring' if ring else 'line'})",
               _packet_line(page),
               f"granularity {rule} = {gran}: each CB 3 x {gran} = {3 * gran} pages",
               _cb_sum(cbs),
               f"{workers} worker(s) per direction (input {_buffer_bytes(src):,} B per device)", MUX_NOTE]
    formula += [note for note in (links_note, topo_note) if note]
    why = _packet_reasons(page)
    if not src.tiled:
        why.append("row-major input: ttnn runs the composite reduce_scatter (not modelled)")
    elif _padded_on(src, dim, dst.shape[dim]):
        why.append(f"the scattered slice ({dst.shape[dim]} on dim {dim}) is tile-padded: ttnn runs the composite "
                   "reduce_scatter (not modelled)")
    if workers == 0:
        why.append(f"{links} link(s) need more cores than the grid has: ttnn raises \"Not enough cores\"")
    if _fp32_acc(typed):
        why.append("fp32 accumulation (compute_config): the factory copies read have no such CBs")
    if ring:
        why.append("a later ring copy adds a second intermediate CB (not read)")
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, "reduce_scatter (minimal async, "
                f"{'ring' if ring else 'line'})", "estimate" if why else "read-factory", groups, formula,
                RS_SOURCES + FABRIC_SOURCES)


@cb_model("ttnn.all_reduce")
def all_reduce(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.all_reduce``: reduce_scatter then all_gather (module docstring), each with its worker CBs; always an
    estimate, as the device count on the axis (which picks the path and the dim) is not in the op."""
    typed, src = decode(op), operand(op)
    if not isinstance(typed, AllReduce) or src is None:
        return generic_estimate(op, ctx)
    page = _page(src)
    ring, topo_note = _is_ring(typed)
    links, links_note = _links(typed)
    rs_cbs, ag_cb = reduce_scatter_cbs(page, ring), all_gather_cb(page)
    # worker counts need the device count: the largest the factories would ask for that fits
    n_cores = ctx.grid[0] * ctx.grid[1]
    rs_w = next((w for w in (8, 4, 2, 1) if n_cores >= links * 2 * (w + 1)), 1)
    ag_w = next((w for w in (4, 2, 1) if n_cores >= links * 2 * (w + 1)), 1)
    groups = (_worker_groups(ctx, "reduce_scatter workers", links, rs_w, rs_cbs)
              + _worker_groups(ctx, "all_gather workers", links, ag_w, [ag_cb]))
    formula = [f"input {list(src.shape)} {src.dtype}: reduce_scatter, then all_gather",
               _packet_line(page),
               f"reduce_scatter: {_cb_sum(rs_cbs)}",
               f"all_gather: {_cb_sum([ag_cb])}",
               MUX_NOTE, "worker counts: the most that fit (they need the device count)",
               "with no dim divisible by the device count: all_gather + moreh_sum",
               "estimate: the device count on the cluster axis is not in the op"]
    formula[-1:-1] = [note for note in (links_note, topo_note) if note]
    if not src.tiled:
        formula.append("estimate: row-major input: the composite paths (not modelled)")
    if typed.reduce_type not in (None, "sum"):
        formula.append(f"reduce_type {typed.reduce_type}: tt-mlir's verifier rejects it (ttnn only sums)")
    return OpL1(op.id, op.name, op.program, "all_reduce (reduce_scatter + all_gather)", "estimate", groups,
                formula, AR_SOURCES + RS_SOURCES[3:] + AG_SOURCES[3:] + FABRIC_SOURCES)


def p2p_packet(f: TensorFacts, l1_alignment: int) -> tuple[int, int, int]:
    """``compute_aligned_packet_dims``: (packet bytes, pages per packet, packets). The packet limit is the
    channel buffer, rounded down to a power of two for bfloat16."""
    chan = FABRIC_1D_PACKET
    max_packet = 1 << (chan.bit_length() - 1) if f.dtype == "bf16" else chan
    page = round_up(_page(f), l1_alignment)
    num_pages = f.Ht_total * f.Wt if f.tiled else max(f.volume // max(f.width, 1), 1)
    if page <= max_packet:
        ppp = max(min(max_packet // page, num_pages), 1)
        return page * ppp, ppp, -(-num_pages // ppp)
    segments = -(-page // max_packet)
    return max_packet, 1, segments * num_pages


@cb_model("ttnn.point_to_point")
def point_to_point(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.point_to_point``: a send program on the sender device (its packets split over the grid:
    c_0 = 2 pages, c_6 = packet headers, c_2 = one packet) and a receive program on one core of the receiver
    (c_0 = one packet, c_1 = 3 · pages per packet). The send / receive copies read predate the device-op copy
    read: estimate."""
    typed, src = decode(op), operand(op)
    if not isinstance(typed, PointToPoint) or src is None:
        return generic_estimate(op, ctx)
    page = _page(src)
    packet, ppp, packets = p2p_packet(src, ctx.arch.l1_alignment)
    header = FABRIC_1D_HEADER
    send_cbs = [CB(0, 2, page, "reader -> writer pages"), CB(6, 2 * 2, header, "packet headers"),
                CB(2, 1, packet, "packet scratch")]
    recv_cbs = [CB(0, 1, packet, "received packet"), CB(1, 3 * ppp, page, "pages to the writer")]
    groups = [CoreGroup(f"sender {g} ({n} packets/core)", cores, list(send_cbs))
              for g, cores, n in split_work_to_cores(ctx, packets)]
    groups.append(CoreGroup("receiver (one core)", grid_cores(ctx, 1), recv_cbs))
    formula = [f"input {list(src.shape)} {src.dtype}: page {page:,} B, packet {packet:,} B = {ppp} page(s), "
               f"{packets:,} packets",
               f"sender: {_cb_sum(send_cbs)}",
               f"receiver: {_cb_sum(recv_cbs)}",
               "estimate: the send / receive factory copies read are older than the device-op copy"]
    return OpL1(op.id, op.name, op.program, "point_to_point (send + receive)", "estimate", groups, formula,
                P2P_SOURCES + FABRIC_SOURCES[:3])


@cb_model("ttnn.distribute_tensor")
def distribute_tensor(op: Op, ctx: L1Context) -> OpL1:
    """Host-side: the runtime asserts a host input and calls ``ttnn::distributed::distribute_tensor(input,
    mapper)`` without a device, which maps the shards on the host (tt-mlir
    ``runtime/lib/ttnn/operations/ccl/distribute_tensor.cpp`` @31b7b0e4; tt-metal
    ``ttnn/cpp/ttnn/distributed/distributed_tensor.cpp``: ``to_device`` only when a mesh device is passed)."""
    r = no_program(op, "distribute_tensor splits a host tensor into per-device host shards (no device passed): "
                       "no program, no CBs")
    r.sources = [_TT_MLIR + "distribute_tensor.cpp @31b7b0e4 run",
                 "ttnn/cpp/ttnn/distributed/distributed_tensor.cpp distribute_tensor"]
    return r


@cb_model("ttnn.aggregate_tensor")
def aggregate_tensor(op: Op, ctx: L1Context) -> OpL1:
    """Host-side: ``ttnn::distributed::aggregate_tensor`` reads the shards back (``tensor.cpu()``) and concatenates
    them on the host (tt-mlir ``aggregate_tensor.cpp`` @31b7b0e4; tt-metal ``distributed_tensor.cpp``
    ``composer.compose(get_device_tensors(tensor.cpu()))``)."""
    r = no_program(op, "aggregate_tensor reads the shards back and concatenates them on the host: no program, "
                       "no CBs")
    r.sources = [_TT_MLIR + "aggregate_tensor.cpp @31b7b0e4 run",
                 "ttnn/cpp/ttnn/distributed/distributed_tensor.cpp aggregate_tensor"]
    return r


@cb_model("ttnn.mesh_shard")
def mesh_shard(op: Op, ctx: L1Context) -> OpL1:
    """The runtime only supports the identity shard type and forwards the input tensor (tt-mlir
    ``runtime/lib/ttnn/operations/ccl/mesh_shard.cpp`` @31b7b0e4: "Forward tensor in runtime for identity
    shard type")."""
    r = no_program(op, "mesh_shard (identity) forwards its input tensor in the runtime: no program, no CBs")
    r.sources = [_TT_MLIR + "mesh_shard.cpp @31b7b0e4 run"]
    return r
