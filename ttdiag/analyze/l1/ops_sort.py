"""CB model for ``ttnn.sort`` (tt-metal ``ttnn/cpp/ttnn/operations/data_movement/sort``).

Sources (tt-metal; commits are those ``read_file`` returned; "library id" where the index gave no commit):

* ``sort.cpp`` ``ExecuteSort::invoke`` / ``pre_sort_transform_tensor`` @09f752a4: the sort dim is transposed to
  the last one, the tensor made 4-D, the tile padding filled with ±inf, and the last dim padded to a power of
  two, at least 64 (``next_power_of_two``; one tile is padded to two). The transposes, the pad and the slices
  around the sort are programs of their own (not counted here).
* ``device/sort_device_operation.cpp`` ``select_program_factory`` / ``compute_output_specs`` (library id
  105049058, namespace ``ttnn::operations::data_movement::sort``, late 2025): ``Wt <= 64`` (``WT_THRESHOLD``)
  -> ``SortProgramFactorySingleRowSingleCore``; else the cross-core-exchange ("hybrid") or the single-row
  multi-core factory; the index output is UINT16 unless the padded last dim is at least 65,535 (UINT32).
  ``validate``: a tiled input.
* ``device/sort_program_factory.cpp`` ``SortProgramFactorySingleRowSingleCore::create`` (library id 742683906,
  the CircularBufferConfig copy of late 2025; the 2026 ProgramSpec copy @00c5add0 has the same buffers for a
  tiled input): on the ``min(Ht, grid)`` cores it uses (row-major from (0, 0)) c_0 = 4 input tiles
  (``cb_in_units = 2·num_cb_unit``), c_1 = 4 index tiles, c_2 = Wt input tiles, c_3 = Wt index tiles (the
  transposed row), c_4 = 2 value tiles, c_5 = 2 index tiles, c_6 = 1,024 B (``TILE_HW`` UInt8 sync).
* the same file, ``SortProgramFactoryCrossCoreDataExchange::create`` / ``get_number_of_tiles_per_core`` and
  ``SortProgramFactorySingleRowMultiCore::create`` (library id 742683906) for rows over 64 tiles (see
  :func:`_multi_core_sort`).

The figures agree with tt-metal's own ``cbSize`` in tt-mlir's OpModel tests (TestOpModelLib.cpp /
TestOpModelInterface.cpp @78b9ce3d, tt-metal f4163c25 of 2025-11-27). All byte figures are per core.
"""

from __future__ import annotations

import math

from ...ir.graph import Op
from ...ir.ttnn import Sort, decode
from ..layout import round_up, tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum_lines, grid_cores
from .registry import cb_model
from .tensors import operand

_SORT = "ttnn/cpp/ttnn/operations/data_movement/sort/"
SORT_SOURCES = [
    _SORT + "sort.cpp ExecuteSort::invoke / pre_sort_transform_tensor @09f752a4",
    _SORT + "device/sort_device_operation.cpp select_program_factory (commit not recorded, late 2025)",
    _SORT + "device/sort_program_factory.cpp SortProgramFactorySingleRowSingleCore::create (commit not "
            "recorded, late 2025; same buffers @00c5add0)",
]
SORT_MC_SOURCE = (_SORT + "device/sort_program_factory.cpp SortProgramFactoryCrossCoreDataExchange::create / "
                  "get_number_of_tiles_per_core, SortProgramFactorySingleRowMultiCore::create (commit not recorded)")
WT_THRESHOLD = 64          # sort_device_operation.cpp: the single-core factory up to 64 tiles per row
MIN_TILES_PER_CORE, MAX_TILES_PER_CORE = 2, 128  # get_number_of_tiles_per_core (USE_AS_MANY_CORES)
UINT16_INDEX_LIMIT = 65_535  # compute_output_specs: UINT32 indices from a last dim of 65,535
SYNC_CB_BYTES = 32 * 32    # c_6: TILE_HW * sizeof(uint8_t)


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


def sort_width(n: int) -> int:
    """The padded last dim ``pre_sort_transform_tensor`` hands the device op for a sort dim of size ``n``: the
    tile-padded size, padded to a power of two, and two tiles (64) at least."""
    tiled = round_up(max(n, 1), 32)
    p2 = 1 << (tiled - 1).bit_length()
    return max(p2, 64)


@cb_model("ttnn.sort")
def sort(op: Op, ctx: L1Context) -> OpL1:
    """``SortProgramFactorySingleRowSingleCore`` when the padded sort row is at most 64 tiles, else the
    cross-core-exchange or single-row multi-core factory (:func:`_multi_core_sort`)."""
    typed = decode(op)
    src = operand(op)
    if not isinstance(typed, Sort) or src is None or not src.shape:
        return generic_estimate(op, ctx)
    rank = len(src.shape)
    dim = typed.dim + rank if typed.dim < 0 else typed.dim
    if not 0 <= dim < rank:
        return _estimate(op, ctx, f"dim {typed.dim} is outside a rank-{rank} input")
    if not src.tiled:
        return _estimate(op, ctx, "row-major input: the late-2025 sort requires a tiled input")
    n = src.shape[dim]
    width = sort_width(n)
    wt = width // 32
    # rows after transpose(dim, -1): the other dims in that order, the new dim -2 tile-padded
    t = list(src.shape)
    t[dim], t[-1] = t[-1], t[dim]
    rows = t[:-1] or [1]
    ht = math.prod(rows[:-1]) * round_up(rows[-1], 32) // 32
    t_in = src.tile_bytes
    index_dtype = "u32" if width >= UINT16_INDEX_LIMIT else "u16"
    t_idx = tile_bytes(index_dtype)
    idx_note = f"{'UINT16' if index_dtype == 'u16' else 'UINT32'} indices"
    head = f"sort dim {dim} of {list(src.shape)} {src.dtype}: {n} padded to {width}: Wt {wt}, {ht} tile row{'s' if ht != 1 else ''}"
    gx, gy = ctx.grid
    if wt > WT_THRESHOLD:
        return _multi_core_sort(op, ctx, wt, t_in, t_idx, [head, idx_note])
    cbs = [CB(0, 4, t_in, "input tiles"), CB(1, 4, t_idx, "index tiles"),
           CB(2, wt, t_in, "transposed input row"), CB(3, wt, t_idx, "transposed index row"),
           CB(4, 2, t_in, "sorted values"), CB(5, 2, t_idx, "sorted indices"),
           CB(6, 1, SYNC_CB_BYTES, "pack/unpack sync")]
    cores = grid_cores(ctx, min(ht, gx * gy), row_wise=True)
    formula = [head, f"single-row single-core factory (Wt <= {WT_THRESHOLD}); {idx_note}", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "SortProgramFactorySingleRowSingleCore", "read-factory",
                [CoreGroup(f"{len(cores)} cores (one tile row each per pass)", cores, cbs)], formula,
                list(SORT_SOURCES))


def tiles_per_core(cores: int, wt: int) -> int:
    """``get_number_of_tiles_per_core(cores, Wt, .., USE_AS_MANY_CORES)``: Wt / cores, at least 2, at most 128."""
    return min(MAX_TILES_PER_CORE, max(wt // cores, MIN_TILES_PER_CORE))


def _multi_core_sort(op: Op, ctx: L1Context, wt: int, t_in: int, t_idx: int, head: list[str]) -> OpL1:
    """Wt > 64. ``Wt <= cores·tiles_per_core(cores, Wt)`` (``total_number_of_tiles_for_hybrid_approach``) ->
    ``SortProgramFactoryCrossCoreDataExchange``: n = min(tiles_per_core(rounddown_pow2(cores), Wt), Wt) tiles per
    core on ceil(Wt / n) cores (row-major); c_0 2 T_in, c_1 2 T_idx, c_2 n T_in, c_3 n T_idx, c_4 / c_6 / c_8 2 value
    tiles each, c_5 / c_7 / c_9 2 index tiles each, c_10 one UInt32 tile (physical-core lookup table), c_11 one
    Float16_b tile (pack/unpack sync). Otherwise ``SortProgramFactorySingleRowMultiCore``: c_0..c_5 of 2 tiles each
    (input, index, transposed input, transposed index, value, index) on every core (one is the coordinator)."""
    gx, gy = ctx.grid
    ncores = gx * gy
    if wt <= ncores * tiles_per_core(ncores, wt):
        virtual = 1 << (ncores.bit_length() - 1)
        per = min(tiles_per_core(virtual, wt), wt)
        used = -(-wt // per)
        cbs = [CB(0, 2, t_in, "input tiles"), CB(1, 2, t_idx, "index tiles"),
               CB(2, per, t_in, "this core's slice of the row"), CB(3, per, t_idx, "its indices"),
               CB(4, 2, t_in, "values out"), CB(5, 2, t_idx, "indices out"),
               CB(6, 2, t_in, "values (intermediate)"), CB(7, 2, t_idx, "indices (intermediate)"),
               CB(8, 2, t_in, "peer values"), CB(9, 2, t_idx, "peer indices"),
               CB(10, 1, tile_bytes("u32"), "physical-core lookup table"),
               CB(11, 1, tile_bytes("bf16"), "pack/unpack sync")]
        formula = [*head, f"cross-core exchange factory: {per} tiles per core on {used} cores", *cb_sum_lines(cbs)]
        return OpL1(op.id, op.name, op.program, "SortProgramFactoryCrossCoreDataExchange", "read-factory",
                    [CoreGroup(f"{used} cores", grid_cores(ctx, used, row_wise=True), cbs)], formula,
                    list(SORT_SOURCES[:2]) + [SORT_MC_SOURCE])
    cbs = [CB(0, 2, t_in, "input tiles"), CB(1, 2, t_idx, "index tiles"), CB(2, 2, t_in, "transposed input"),
           CB(3, 2, t_idx, "transposed index"), CB(4, 2, t_in, "values out"), CB(5, 2, t_idx, "indices out")]
    used = min(ncores, max(1, wt // 2) + 1)
    formula = [*head, "single-row multi-core factory (a coordinator core streams the row)", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "SortProgramFactorySingleRowMultiCore", "read-factory",
                [CoreGroup(f"{used} cores", grid_cores(ctx, used, row_wise=True), cbs)], formula,
                list(SORT_SOURCES[:2]) + [SORT_MC_SOURCE])
