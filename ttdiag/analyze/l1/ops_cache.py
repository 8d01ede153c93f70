"""CB models for the KV-cache writes: ``ttnn.fill_cache`` / ``ttnn.update_cache`` (tt-metal ``kv_cache``) and
``ttnn.paged_update_cache`` / ``ttnn.paged_fill_cache`` (tt-metal ``experimental/paged_cache``).

Sources (tt-metal; commits are those ``read_file`` returned; "library id" where the index gave no commit):

* ``ttnn/cpp/ttnn/operations/kv_cache/kv_cache.cpp`` @06bd3735: ``fill_cache`` runs the update-cache device
  op as FILL (``FillCacheMultiCoreProgramFactory``), ``update_cache`` as UPDATE with
  ``init_device_compute_kernel_config(arch, config)`` (default: fp32 dest accumulation off; tt-mlir passes no
  compute config).
* ``kv_cache/device/fill_cache_multi_core_program_factory.cpp`` @0a991929 (2026 ProgramDescriptor copy; the
  buffers are the late-2025 ``fill_cache_multi_core``'s): c_0 = 2 input tiles (double-buffered) on the cores of
  ``split_work_to_cores(heads·S_padded/32, row_major)``; a sharded input backs c_0 with its shard.
* ``kv_cache/device/update_cache_multi_core_program_factory.cpp`` ``UpdateCacheMultiCoreProgramFactory::create``
  @00555207 (late 2025; the 2026 ProgramDescriptor copy, library id 55058921805, has the same buffers): ``Wt`` =
  cache width in tiles, ``B`` = the input's padded dim -2 (users),
  ``granularity = min(2, cache batch)``; c_0 = 2·granularity·Wt cache tiles, c_1 = 2·Wt input tiles (the shard
  when sharded), c_24/c_25 one buffer of 2·granularity·Wt intermediate tiles, c_26 as many, c_16 = B·Wt cache
  tiles ("must buffer all tiles for a single head"). Intermediate tile: Float16_b, or Float32 with fp32 dest
  accumulation. Cores: ``split_work_to_cores(heads·B/32, row_major)`` or the input shard grid.
* ``experimental/paged_cache/paged_cache.cpp`` (library id 3585094451): ``init_device_compute_kernel_config``
  defaults again.
* ``experimental/paged_cache/device/update_cache/paged_update_cache_program_factory.cpp``
  ``PagedUpdateCacheProgramFactory::create`` (library id 215805420, late 2025; @0147d780, 2026, takes Wt from the
  input: era switch ``paged_cache_input_geometry``): the input must be sharded (one user per core); c_0 =
  2·Wt cache tiles, c_1 = the input shard, c_24/c_25 one buffer of 2·Wt intermediate tiles, c_26 as many, c_16 =
  B·Wt cache tiles (B = the input's padded dim 1), c_2 = one tile of the update-index dtype (index tensor
  given), c_3 = one page-table row (``padded[-1]·element size`` B; paged cache).
* ``experimental/paged_cache/device/fill_cache/paged_fill_cache_program_factory.cpp``
  ``PagedFillCacheProgramFactory::create`` (library id 419899280, late 2025; the 2026 copy @056bc6a1 has the same
  buffers, with Wt from the input and batch x heads x S/32 rows: ``paged_cache_input_geometry``): c_0 = 2·Wt input
  tiles, c_1 = one page-table row (``aligned_page_size``), c_2 =
  the batch-index element (``element_size`` B) when ``batch_idx_tensor`` is given; cores of
  ``split_work_to_cores(heads·S_padded/32, row_major)``.

The figures agree with tt-metal's own ``cbSize`` in tt-mlir's OpModel tests (TestOpModelLib.cpp /
TestOpModelInterface.cpp @78b9ce3d, tt-metal f4163c25 of 2025-11-27). All byte figures are per core.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import FillCache, PagedFillCache, PagedUpdateCache, UpdateCache, decode
from ..layout import round_up, tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum_lines, grid_cores
from .ops_memory import _shard_units
from .registry import cb_model
from .tensors import TensorFacts, operand
from .work_split import split_work_to_cores

_KV = "ttnn/cpp/ttnn/operations/kv_cache/"
_PC = "ttnn/cpp/ttnn/operations/experimental/paged_cache/"
KV_CACHE_CPP = _KV + "kv_cache.cpp @06bd3735 (FILL / UPDATE; default compute config)"
FILL_SOURCES = [KV_CACHE_CPP, _KV + "device/fill_cache_multi_core_program_factory.cpp FillCacheMultiCoreProgramFactory "
                                   "@0a991929"]
UPDATE_SOURCES = [KV_CACHE_CPP, _KV + "device/update_cache_multi_core_program_factory.cpp "
                                     "UpdateCacheMultiCoreProgramFactory::create @00555207"]
PAGED_UPDATE_SOURCES = [_PC + "paged_cache.cpp PagedUpdateCacheOperation::invoke (commit not recorded)",
                        _PC + "device/update_cache/paged_update_cache_program_factory.cpp "
                              "PagedUpdateCacheProgramFactory::create (commit not recorded, late 2025; @0147d780)"]
PAGED_FILL_SOURCES = [_PC + "device/fill_cache/paged_fill_cache_program_factory.cpp PagedFillCacheProgramFactory::create "
                            "(commit not recorded, late 2025; same buffers @056bc6a1)"]
# init_device_compute_kernel_config(arch, nullopt): default_fp32_acc = false -> Float16_b intermediates
INTERM_TILE = tile_bytes("bf16")


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


def _shard(op: Op, i: int, t: TensorFacts) -> tuple[int, int] | None:
    """(tiles per shard, shard cores) of a sharded tiled operand; None when the layout does not say."""
    units = _shard_units(op.operand_types[i], True)
    if units is None or not units[2]:
        return None
    return units[0], units[2]


def _cores_of_split(ctx: L1Context, units: int, cbs: list[CB]) -> list[CoreGroup]:
    return [CoreGroup(f"{label} ({n} blocks/core)", cores, list(cbs))
            for label, cores, n in split_work_to_cores(ctx, units, row_wise=True)]


@cb_model("ttnn.fill_cache")
def fill_cache(op: Op, ctx: L1Context) -> OpL1:
    """``FillCacheMultiCoreProgramFactory``: c_0 = 2 input tiles (interleaved input) on the cores of
    ``split_work_to_cores(heads·S_padded/32)``; a sharded input backs c_0 with its shard (no static L1)."""
    typed = decode(op)
    cache, src = operand(op, 0), operand(op, 1)
    if not isinstance(typed, FillCache) or cache is None or src is None or len(src.shape) != 4:
        return generic_estimate(op, ctx)
    if not src.tiled:
        return _estimate(op, ctx, "row-major input: the factory reads tiles (not modelled)")
    p = src.padded
    blocks = p[1] * p[2] // 32
    if src.sharded:
        shard = _shard(op, 1, src)
        if shard is None:
            return _estimate(op, ctx, "sharded input whose shard the layout does not give")
        cbs = [CB(0, shard[0], src.tile_bytes, "input shard", globally_allocated=True)]
        groups = [CoreGroup(f"shard cores ({shard[1]})", grid_cores(ctx, shard[1], row_wise=True), cbs)]
    else:
        cbs = [CB(0, 2, src.tile_bytes, "input tiles (double-buffered)")]
        groups = _cores_of_split(ctx, blocks, cbs)
    formula = [f"input {list(src.shape)} {src.dtype}: {blocks} tile rows (heads x S/32)", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "FillCacheMultiCoreProgramFactory", "read-factory", groups, formula,
                list(FILL_SOURCES))


@cb_model("ttnn.update_cache")
def update_cache(op: Op, ctx: L1Context) -> OpL1:
    """``UpdateCacheMultiCoreProgramFactory``: with Wt the cache width in tiles, B the input's padded users
    (dim -2) and g = min(2, cache batch): c_0 = 2·g·Wt, c_1 = 2·Wt (input; the shard when sharded), c_24/c_25 =
    2·g·Wt (one buffer), c_26 = 2·g·Wt, c_16 = B·Wt tiles."""
    typed = decode(op)
    cache, src = operand(op, 0), operand(op, 1)
    if not isinstance(typed, UpdateCache) or cache is None or src is None or len(src.shape) != 4 \
            or len(cache.shape) != 4:
        return generic_estimate(op, ctx)
    if not (src.tiled and cache.tiled):
        return _estimate(op, ctx, "row-major cache or input: the factory reads tiles (not modelled)")
    wt = cache.padded[-1] // 32
    users = src.padded[-2]
    g = min(2, cache.padded[0])
    t_cache = cache.tile_bytes
    cbs = [CB(0, 2 * g * wt, t_cache, "cache tiles (double-buffered)")]
    if src.sharded:
        shard = _shard(op, 1, src)
        if shard is None:
            return _estimate(op, ctx, "sharded input whose shard the layout does not give")
        cbs.append(CB(1, shard[0], src.tile_bytes, "input shard", globally_allocated=True))
    else:
        cbs.append(CB(1, 2 * wt, src.tile_bytes, "input tiles (double-buffered)"))
    cbs += [CB(24, 2 * g * wt, INTERM_TILE, "untilized cache/input (c_24/c_25, one buffer)"),
            CB(26, 2 * g * wt, INTERM_TILE, "updated rows"),
            CB(16, users * wt, t_cache, "one head's tiles")]
    blocks = src.padded[1] * users // 32
    if src.sharded:
        groups = [CoreGroup(f"shard cores ({shard[1]})", grid_cores(ctx, shard[1], row_wise=True), cbs)]
    else:
        groups = _cores_of_split(ctx, blocks, cbs)
    formula = [f"cache {list(cache.shape)}, input {list(src.shape)} {src.dtype}: Wt {wt}, B {users}, "
               f"granularity {g}", "intermediates Float16_b (fp32 dest accumulation off by default)",
               *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "UpdateCacheMultiCoreProgramFactory", "read-factory", groups, formula,
                list(UPDATE_SOURCES))


@cb_model("ttnn.paged_update_cache")
def paged_update_cache(op: Op, ctx: L1Context) -> OpL1:
    """``PagedUpdateCacheProgramFactory`` on the input's shard cores: c_0 = 2·Wt cache tiles, c_1 = the input
    shard, c_24/c_25 = 2·Wt, c_26 = 2·Wt intermediate tiles, c_16 = B·Wt cache tiles, c_2 = one index tile,
    c_3 = one page-table row."""
    typed = decode(op)
    cache, src, idx, table = (operand(op, i) for i in range(4))
    if not isinstance(typed, PagedUpdateCache) or cache is None or src is None or len(src.shape) != 4:
        return generic_estimate(op, ctx)
    if not (src.tiled and cache.tiled):
        return _estimate(op, ctx, "row-major cache or input: the fused row-major factories (not modelled)")
    if not src.sharded:
        return _estimate(op, ctx, "interleaved input: ttnn's validate requires a sharded input "
                                  "(\"Expect input_tensor to be sharded\")")
    shard = _shard(op, 1, src)
    if shard is None:
        return _estimate(op, ctx, "sharded input whose shard the layout does not give")
    wt = (src if ctx.era.paged_cache_input_geometry else cache).padded[-1] // 32
    users = src.padded[1]
    t_cache = cache.tile_bytes
    cbs = [CB(0, 2 * wt, t_cache, "cache tiles (double-buffered)"),
           CB(1, shard[0], src.tile_bytes, "input shard", globally_allocated=True),
           CB(24, 2 * wt, INTERM_TILE, "untilized cache/input (c_24/c_25, one buffer)"),
           CB(26, 2 * wt, INTERM_TILE, "updated rows"),
           CB(16, users * wt, t_cache, "one head's tiles")]
    if idx is not None:
        cbs.append(CB(2, 1, idx.tile_bytes, "update indices"))
    if table is not None:
        if table.tiled or not table.es:
            return _estimate(op, ctx, f"page table {table.dtype}: the factory reads row-major rows of "
                                      "known-size elements")
        cbs.append(CB(3, 1, table.shape[-1] * table.es, "page-table row"))
    gx, gy = ctx.grid
    cores = grid_cores(ctx, min(shard[1], gx * gy), row_wise=True)
    formula = [f"cache {list(cache.shape)}, input {list(src.shape)} on {shard[1]} shard cores: Wt {wt}, B {users}",
               "intermediates Float16_b (fp32 dest accumulation off by default)", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "PagedUpdateCacheProgramFactory", "read-factory",
                [CoreGroup(f"shard cores ({len(cores)})", cores, cbs)], formula,
                list(PAGED_UPDATE_SOURCES))


@cb_model("ttnn.paged_fill_cache")
def paged_fill_cache(op: Op, ctx: L1Context) -> OpL1:
    """``PagedFillCacheProgramFactory``: c_0 = 2·Wt input tiles, c_1 = one page-table row (``aligned_page_size``),
    c_2 = one batch-index element when ``batch_idx_tensor`` is given, on ``split_work_to_cores(heads·S/32)``."""
    typed = decode(op)
    cache, src, table = operand(op, 0), operand(op, 1), operand(op, 2)
    if not isinstance(typed, PagedFillCache) or cache is None or src is None or table is None \
            or len(src.shape) != 4 or len(cache.shape) != 4:
        return generic_estimate(op, ctx)
    if not (src.tiled and cache.tiled):
        return _estimate(op, ctx, "row-major cache or input: the factory reads tiles (not modelled)")
    if table.tiled or not table.es:
        return _estimate(op, ctx, f"page table {table.dtype} {'tiled' if table.tiled else ''}: the factory reads "
                                  "row-major 4-byte rows")
    wt = (src if ctx.era.paged_cache_input_geometry else cache).padded[-1] // 32
    page = table.shape[-1] * table.es
    aligned = round_up(page, ctx.arch.alignment(table.buffer_type))
    cbs = [CB(0, 2 * wt, src.tile_bytes, "input tiles (double-buffered)"),
           CB(1, 1, aligned, "page-table row")]
    batch = operand(op, 3) if typed.has_batch_idx_tensor else None
    # the factory's TT_FATALs: 2026 one batch_idx entry per input batch row (and batch 1 without the tensor);
    # late 2025 a single-element batch_idx tensor
    in_batch = src.padded[0]
    if ctx.era.paged_cache_input_geometry:
        want = in_batch if batch is not None else 1
        got = batch.volume if batch is not None else in_batch
        if want != got:
            what = f"batch_idx_tensor has {got} entries for" if batch is not None else "no batch_idx_tensor for"
            return _estimate(op, ctx, f"ttnn rejects this op: {what} an input batch of {in_batch}")
    elif batch is not None and batch.volume != 1:
        return _estimate(op, ctx, f"ttnn rejects this op: batch_idx_tensor must hold one element ({batch.volume})")
    if batch is not None:
        # 2026: one entry per input batch row (batch_idx_num_elements); late 2025: a single element
        entries = batch.volume if ctx.era.paged_cache_input_geometry else 1
        cbs.append(CB(2, entries, batch.es or 4, "batch index"))
    blocks = src.padded[1] * src.padded[2] // 32
    if ctx.era.paged_cache_input_geometry:
        blocks *= src.padded[0]
    formula = [f"input {list(src.shape)} {src.dtype}: Wt {wt}, {blocks} tile rows; page-table row {page} B "
               f"aligned to {aligned} B", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "PagedFillCacheProgramFactory", "read-factory",
                _cores_of_split(ctx, blocks, cbs), formula, list(PAGED_FILL_SOURCES))
