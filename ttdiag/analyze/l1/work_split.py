"""tt-metal's work splitting: which cores get how much work, in which order.

Sources (read copies):
* ``tt_metal/common/work_split.cpp`` @0c554498 ``split_work_to_cores``, ``num_cores_to_corerangeset``
  (``row_wise`` defaults to false: column-major, core i = (i // grid_y, i % grid_y));
* ``ttnn/cpp/ttnn/operations/core/work_split/work_split_tilize.hpp`` @02ed05c7 (after tt-metal PR #35806):
  ``compute_ncores``, ``split_blocks_for_tilize`` (CoreRangeSet overload), ``closest_square_larger_than_b``,
  ``compute_ncores_wh``, ``compute_ncores_wh_sb``, ``split_blocks_for_tilize_wh``. The Dec-2025 version is the
  same without the ``cb_block_size_limit`` branch (its block factory calls the 4-argument overload).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Core, L1Context, grid_cores


def all_grid_cores(ctx: L1Context, grid: tuple[int, int] | None = None) -> list[Core]:
    """Every core of the worker grid (or of ``grid`` = (x, y)), column-major."""
    gx, gy = grid or ctx.grid
    return grid_cores(ctx, gx * gy, grid=(gx, gy))


def split_work_to_cores(ctx: L1Context, units: int, row_wise: bool = False) -> list[tuple[str, list[Core], int]]:
    """``split_work_to_cores(grid, units, row_wise)`` → [(label, cores, units per core)], column-major unless
    ``row_wise`` (core i = (i % grid_x, i // grid_x)).

    ``min(units, area)`` cores; with ``q, r = divmod(units, cores)`` the first ``r`` cores do ``q + 1``
    units and the rest ``q``.
    """
    gx, gy = ctx.grid
    if units <= 0:
        return []
    target = min(units, gx * gy)
    cores = grid_cores(ctx, target, row_wise=row_wise)
    q, r = divmod(units, target)
    if r == 0:
        return [("all", cores, q)]
    return [("group 1", cores[:r], q + 1), ("group 2", cores[r:], q)]


def _ceil_f32(a: int, b: int) -> int:
    # tt-metal computes std::ceil((float)a / b); exact for the sizes seen here
    return math.ceil(a / b)


def compute_ncores(grid_area: int, nblocks: int) -> tuple[int, int]:
    """(ncores, blocks per core): ``ceil(nblocks / area)`` blocks per core, ``ceil(nblocks / that)`` cores."""
    npc = 1 if grid_area == 0 else _ceil_f32(nblocks, grid_area)
    ncores = nblocks if npc == 0 else _ceil_f32(nblocks, npc)
    return ncores, npc


@dataclass(frozen=True, slots=True)
class BlockSplit:
    """``split_blocks_for_tilize``: full cores with ``per_core`` blocks, an optional cliff core with ``cliff``."""

    ncores: int
    full: list[Core]
    cliff_core: list[Core]
    per_core: int
    cliff: int


def split_blocks_for_tilize(ctx: L1Context, nblocks: int) -> BlockSplit:
    """``split_blocks_for_tilize(CoreRangeSet grid, nblocks)``: cores from ``corerange_to_cores(grid)``
    (column-major, core i = (i // grid_y, i % grid_y)); the last core takes ``nblocks % per_core`` when
    non-zero. See :func:`split_blocks_for_tilize_rows` for the CoreCoord (row-major) overload."""
    gx, gy = ctx.grid
    ncores, npc = compute_ncores(gx * gy, nblocks)
    cliff = 0 if npc == 0 else nblocks % npc
    n_full = ncores if cliff == 0 else ncores - 1
    cores = grid_cores(ctx, ncores)
    return BlockSplit(ncores, cores[:n_full], cores[n_full:n_full + 1] if cliff else [], npc, cliff)


def split_blocks_for_tilize_rows(ctx: L1Context, nblocks: int) -> BlockSplit:
    """``split_blocks_for_tilize(CoreCoord grid_size, nblocks)`` (``work_split_tilize.hpp`` @02ed05c7): the
    same counts as the CoreRangeSet overload, but the cores are filled **row-major** (x fastest: core
    i = (i % grid_x, i // grid_x)): full rows ``(0, 0)-(gx-1, top_end_y-1)``, then the last row, whose
    last core ``(ncores_x_cliff - 1, ncores_y - 1)`` is the cliff core when ``nblocks % per_core != 0``."""
    gx, gy = ctx.grid
    ncores, npc = compute_ncores(gx * gy, nblocks)
    cliff = 0 if npc == 0 else nblocks % npc
    n_full = ncores if cliff == 0 else ncores - 1
    cores = grid_cores(ctx, ncores, row_wise=True)
    return BlockSplit(ncores, cores[:n_full], cores[n_full:n_full + 1] if cliff else [], npc, cliff)


def closest_square_larger_than_b(b: int, w: int, h: int, ref: int) -> tuple[int, int]:
    """(blocks per core, block size): the smallest ``s`` (from ``isqrt(b)``, or ``isqrt(b) + 1`` unless
    ``b`` is a perfect square) with ``ceil(w/s)·ceil(h/s) < ref`` (strict: at most ``ref - 1`` cores)."""
    if ref <= 0:
        return 1, 1
    s = math.isqrt(b)
    if s * s == b and -(-w // s) * -(-h // s) < ref:
        return b, s
    # the core count falls as c grows: jump close to the answer, then step
    c = s + 1
    while c <= w * h:
        cores = -(-w // c) * -(-h // c)
        if cores < ref:
            return c * c, c
        c += 1
    return 1, 1


@dataclass(frozen=True, slots=True)
class NcoresWH:
    ncores: int
    blocks_per_core: int
    blocks_w: int
    blocks_h: int
    block: int
    sub_block: int


def compute_ncores_wh(grid_area: int, nblocks: int, w: int, h: int) -> NcoresWH:
    """``compute_ncores_wh``: square blocks of ``s`` tiles per side from ``closest_square_larger_than_b``."""
    npc = -(-nblocks // grid_area) if grid_area else 1
    npc, s = closest_square_larger_than_b(npc, w, h, grid_area)
    bw, bh = -(-w // s), -(-h // s)
    return NcoresWH(nblocks if npc == 0 else bw * bh, npc, bw, bh, s, s)


@lru_cache(maxsize=256)
def compute_ncores_wh_sb(grid_area: int, nblocks: int, w: int, h: int, limit: int) -> NcoresWH:
    """After tt-metal PR #35806: blocks of ``n`` sub-blocks of ``sb < limit`` tiles. Among all
    (sb descending, n ≥ 2) with ``ceil(w/blk)·ceil(h/blk) ≤ area`` and ``cliff_row < limit``, the one with
    the most cores wins; ties go to the smaller ``n``, then to the first (largest) ``sb`` found.

    Raises:
        ValueError: "No solution found for single_block_size" (tt-metal's TT_FATAL).
    """
    npc = -(-nblocks // grid_area) if grid_area else 1
    bw, bh = -(-w // limit), -(-h // limit)
    if bw * bh < grid_area:
        return NcoresWH(bw * bh, npc, bw, bh, limit, limit)
    best: tuple[int, int, int, int] | None = None  # (n, total, sb, blk)
    for sb in range(limit - 1, 0, -1):
        for n in range(2, -(-w // sb) + 1):
            blk = n * sb
            total = -(-w // blk) * -(-h // blk)
            if total > grid_area:
                continue
            cliff_row = w - (w // blk) * blk
            if cliff_row < limit and (best is None or total > best[1] or (total == best[1] and n < best[0])):
                best = (n, total, sb, blk)
    if best is None:
        raise ValueError("No solution found for single_block_size (compute_ncores_wh_sb)")
    n, _, sb, blk = best
    bw, bh = -(-w // blk), -(-h // blk)
    return NcoresWH(nblocks if npc == 0 else bw * bh, npc, bw, bh, blk, sb)


@dataclass(slots=True)
class WHSplit:
    """``split_blocks_for_tilize_wh``: the block (and sub-block) size, cliffs, and the cores of each class
    in the order the factory assigns them (column-major core numbering)."""

    ncores: int
    block: int
    sub_block: int
    cliff_row: int
    cliff_col: int
    has_cliff_row: bool
    has_cliff_col: bool
    full_cores_per_row: int
    full_cores_per_col: int
    groups: dict[str, list[Core]] = field(default_factory=dict)
    core_index: dict[Core, int] = field(default_factory=dict)


def split_blocks_for_tilize_wh(ctx: L1Context, nblocks: int, w: int, h: int, limit: int | None) -> WHSplit:
    """Split a ``h x w``-tile matrix into square blocks. ``limit`` = ``cb_block_size_limit`` (tiles) after
    PR #35806, None for the Dec-2025 code. Core order: ``full_cores_per_col`` rows of [full cores…,
    cliff-row core], then [cliff-col cores…, cliff-col-row core]."""
    gx, gy = ctx.grid
    r = compute_ncores_wh(gx * gy, nblocks, w, h)
    if limit is not None and r.block > limit:
        r = compute_ncores_wh_sb(gx * gy, nblocks, w, h, limit)
    blk = r.block
    fcpr, fcpc = w // blk, h // blk
    has_cr, has_cc = fcpr < r.blocks_w, fcpc < r.blocks_h
    order: list[str] = []
    for _ in range(fcpc):
        order += ["full"] * fcpr + (["cliff_row"] if has_cr else [])
    if has_cc:
        order += ["cliff_col"] * fcpr + (["cliff_col_row"] if has_cr else [])
    cores = grid_cores(ctx, len(order))
    split = WHSplit(len(order), blk, r.sub_block, w - fcpr * blk, h - fcpc * blk, has_cr, has_cc, fcpr, fcpc)
    split.groups = {k: [] for k in ("full", "cliff_row", "cliff_col", "cliff_col_row")}
    for i, (label, core) in enumerate(zip(order, cores)):
        split.groups[label].append(core)
        split.core_index[core] = i
    return split
