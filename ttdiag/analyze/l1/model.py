"""Per-core circular-buffer (CB) model: CBs, core groups, the region end, and the op-level result.

The region rule is tt-metal's ``allocate_circular_buffers`` / ``validate_circular_buffer_region``
(``tt_metal/impl/program/program.cpp``; ttnn-facts.md §4.3): CBs are placed from the L1
unreserved base in creation order, each start rounded up to the **DRAM** alignment; globally
allocated CBs (backed by a sharded tensor) take no space in the static region. The region fails
if its end passes ``l1_size`` ("grow to ... beyond max L1 size") or the lowest L1 buffer ("clash").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ..arch import ArchSpec
from ..layout import round_up  # noqa: F401  (the one round_up; the l1 modules import it from here)
from .era import MetalEra

Confidence = Literal["read-factory", "estimate"]
Core = tuple[int, int]




@dataclass(frozen=True, slots=True)
class CB:
    """One circular buffer: CB index (``c_0`` = 0, ``c_16`` = 16 ...), pages, bytes per page.

    ``globally_allocated`` CBs live in a tensor's buffer and are not part of the static region.
    """

    index: int
    pages: int
    page_bytes: int
    name: str = ""
    globally_allocated: bool = False

    @property
    def bytes(self) -> int:
        return self.pages * self.page_bytes


@dataclass(slots=True)
class CoreGroup:
    """Cores that get the same CBs: a label (``full``, ``cliff_row`` ...), their logical (x, y)
    coordinates in the order the factory assigns work, and the CBs in creation order."""

    label: str
    cores: list[Core]
    cbs: list[CB]

    def region_end(self, base: int, alignment: int) -> int:
        """``base`` + Σ CB sizes, each start aligned to ``alignment`` (bytes)."""
        addr = base
        for cb in self.cbs:
            if cb.globally_allocated:
                continue
            addr = round_up(addr, alignment) + cb.bytes
        return addr

    @property
    def static_bytes(self) -> int:
        return sum(cb.bytes for cb in self.cbs if not cb.globally_allocated)


@dataclass(frozen=True, slots=True)
class CpuHoistBoundary:
    """Values at a CPU-hoisted call of the module, as (program, SSA name): ``outputs`` a hoisted call
    defines, ``inputs`` whose only use is a hoisted call (tt-mlir's ``ttir.cpu_hoist_call``)."""

    outputs: frozenset[tuple[str | None, str]] = frozenset()
    inputs: frozenset[tuple[str | None, str]] = frozenset()


@dataclass(slots=True)
class L1Context:
    """Everything a CB model may depend on besides the op: arch, tt-metal era, the L1 unreserved
    base (bytes; where the CB region starts) and the limit (``l1_size_per_core``). ``cpu_hoist`` is
    the module's CPU-hoist boundary when the whole module is analysed (None: not known).

    ``l1_buffers_bytes``: bytes per bank of L1 buffers known to be allocated when the op's program is
    chosen. L1 buffers are placed from the top of L1 down, so ``lowest_occupied_compute_l1_address`` is
    ``l1_size - l1_buffers_bytes`` when they are packed; ops that size their CBs by ``get_max_l1_space``
    see that much less. 0 (the default): none known, the space of an empty L1."""

    arch: ArchSpec
    era: MetalEra
    l1_unreserved_base: int
    cpu_hoist: CpuHoistBoundary | None = None
    l1_buffers_bytes: int = 0

    @property
    def l1_limit(self) -> int:
        return self.arch.l1_size

    @property
    def cb_alignment(self) -> int:
        """CB starts are aligned to the DRAM alignment (``allocator.get_alignment(DRAM)``)."""
        return self.arch.dram_alignment

    @property
    def max_l1_space(self) -> int:
        """``get_max_l1_space``: (``lowest_occupied_compute_l1_address``, else ``l1_size``) ``- base``
        (data_movement/common, matmul_utilities): ``l1_size - l1_buffers_bytes - base``."""
        return self.arch.l1_size - self.l1_buffers_bytes - self.l1_unreserved_base

    @property
    def grid(self) -> tuple[int, int]:
        """``compute_with_storage_grid_size`` as (x, y) = (columns, rows)."""
        rows, cols = self.arch.worker_grid
        return cols, rows


@dataclass(slots=True)
class OpL1:
    """The L1 prediction for one op.

    ``factory`` names the tt-metal program factory modelled; ``confidence`` is ``read-factory`` when
    every figure follows a factory transcribed from tt-metal's source at a cited commit, ``estimate``
    otherwise. ``validated`` is a separate fact: True only where the figure was checked against a record
    of a real run (a logged overflow's ``grow to`` figure and core), ``validated_by`` saying which;
    a figure read from a factory is not thereby validated. ``formula`` explains the dominant
    CB with the numbers filled in; ``l1_tensor_bytes_per_bank`` sums the op's L1 operands/results.
    """

    op_id: str | None
    op_name: str
    program: str | None
    factory: str
    confidence: Confidence
    core_groups: list[CoreGroup]
    formula: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    l1_tensor_bytes_per_bank: int = 0
    era: str = ""
    line: int = 0
    skipped: str | None = None
    validated: bool = False
    validated_by: str = ""

    def region_ends(self, ctx: L1Context) -> list[int]:
        return [g.region_end(ctx.l1_unreserved_base, ctx.cb_alignment) for g in self.core_groups]

    def worst(self, ctx: L1Context) -> tuple[CoreGroup | None, int]:
        """The core group with the highest region end, and that end (base when there are no CBs)."""
        best: tuple[CoreGroup | None, int] = (None, ctx.l1_unreserved_base)
        for g in self.core_groups:
            end = g.region_end(ctx.l1_unreserved_base, ctx.cb_alignment)
            if best[0] is None or end > best[1]:
                best = (g, end)
        return best

    def first_over_limit(self, ctx: L1Context) -> tuple[CoreGroup | None, int]:
        """The group tt-metal reports: CB allocators are checked in creation order and the first whose
        region passes ``l1_size`` raises, so a later, larger group is not the one named in the log."""
        for g in self.core_groups:
            end = g.region_end(ctx.l1_unreserved_base, ctx.cb_alignment)
            if end > ctx.l1_limit:
                return g, end
        return None, 0

    def fits(self, ctx: L1Context) -> bool:
        """Region end ≤ the L1 limit minus the op's own L1 buffers (allocated top-down)."""
        _, end = self.worst(ctx)
        return end <= ctx.l1_limit - self.l1_tensor_bytes_per_bank


def grid_cores(ctx: L1Context, n: int, row_wise: bool = False, grid: tuple[int, int] | None = None) -> list[Core]:
    """The first ``n`` cores of the worker grid (or of ``grid`` = (x, y)), column-major by default
    (x = i // grid_y)."""
    return list(_grid_cores(tuple(grid or ctx.grid), n, row_wise))


@lru_cache(maxsize=1024)
def _grid_cores(grid: tuple[int, int], n: int, row_wise: bool) -> tuple[Core, ...]:
    # every op of a dump asks for the same few core lists
    gx, gy = grid
    return tuple((i % gx, i // gx) if row_wise else (i // gy, i % gy) for i in range(min(n, gx * gy)))


def cb_sum(cbs: list[CB], per: str = "core") -> str:
    """``c_0 2 x 2,048 + c_16 2 x 2,048 = 8,192 B per core``: the static CBs (globally allocated ones take no
    static L1) with their total; ``per`` names the cores (``worker core``)."""
    return " + ".join(_cb_parts(cbs, per)) or "no static CBs"


def cb_sum_lines(cbs: list[CB], per: str = "core", width: int = 78) -> list[str]:
    """:func:`cb_sum` wrapped between its terms to lines of at most ``width`` characters (a line that
    continues ends in ``+``)."""
    lines, cur = [], ""
    for p in _cb_parts(cbs, per) or ["no static CBs"]:
        piece = p if not cur else f" + {p}"
        if cur and len(cur) + len(piece) > width:
            lines.append(cur + " +")
            cur = p
        else:
            cur += piece
    return lines + [cur]


def _cb_parts(cbs: list[CB], per: str) -> list[str]:
    static = [c for c in cbs if not c.globally_allocated]
    parts = [f"c_{c.index} {c.pages} x {c.page_bytes:,}" for c in static]
    if parts:
        parts[-1] += f" = {sum(c.bytes for c in static):,} B per {per}"
    return parts
