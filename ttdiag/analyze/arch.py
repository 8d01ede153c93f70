"""Per-architecture constants, and the rule that a dump's ``#ttcore.system_desc`` wins over them.

Sources (ttnn-facts.md §1.7, §4.1): ``tt_metal/hw/inc/internal/tt-1xx/wormhole/dev_mem_map.h``
@009581cb (``MEM_L1_SIZE (1464 * 1024)``), Blackhole ``dev_mem_map.h`` (``MEM_L1_SIZE (1536 * 1024)``),
tt-mlir system descriptors (``grid = 8x8``, ``num_dram_channels = 12``, alignments).
Figures marked UNVERIFIED in the facts sheet are flagged in ``unverified``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..ir.system_desc import SystemDesc


@dataclass(frozen=True, slots=True)
class ArchSpec:
    """One architecture. Sizes in bytes; ``worker_grid`` is (rows, cols) of compute-with-storage cores."""

    name: str
    l1_size: int
    worker_grid: tuple[int, int]
    dram_banks: int
    dram_bank_size: int
    l1_alignment: int
    dram_alignment: int
    l1_unreserved_base: int | None
    source: str
    unverified: tuple[str, ...] = field(default=())
    # tt-mlir's runtime opens devices with L1_SMALL_SIZE = 1 << 16 (include/Constants.h,
    # runtime/lib/ttnn/runtime.cpp); tt-metal's own default is 0 (facts §4.4).
    l1_small_size: int = 65_536

    @property
    def worker_cores(self) -> int:
        return self.worker_grid[0] * self.worker_grid[1]

    def alignment(self, buffer_type: str | None) -> int:
        """``Allocator::get_alignment(BufferType)``: DRAM alignment for DRAM, L1 alignment otherwise."""
        return self.dram_alignment if buffer_type == "dram" else self.l1_alignment

    def num_banks(self, buffer_type: str | None) -> int:
        """DRAM banks = DRAM channels; L1 banks = worker cores (ttnn-facts.md §1.4, §4.3)."""
        return self.dram_banks if buffer_type == "dram" else self.worker_cores


ARCHS: dict[str, ArchSpec] = {
    "wormhole_b0": ArchSpec(
        "wormhole_b0", 1_499_136, (8, 8), 12, 1_073_741_824, 16, 32, 102_656,
        "wormhole dev_mem_map.h MEM_L1_SIZE 1464 KiB; tt-mlir WH system_desc (grid 8x8, 12 DRAM channels of "
        "1 GiB); unreserved base 102,656 B for tt-metal dcae048e (Dec 2025). n300 with Tensix dispatch: 8x7",
    ),
    "blackhole": ArchSpec(
        "blackhole", 1_572_864, (10, 11), 8, 4_278_190_080, 16, 64, 111_360,
        "blackhole dev_mem_map.h MEM_L1_SIZE 1536 KiB; bh_hal_tensix.cpp @0266e6f1 unreserved base "
        "align_up(MEM_MAP_END 40,704 + 69 KiB, 64) = 111,360 B, as in real BH system_descs; p150: 8 DRAM "
        "banks of 4,278,190,080 B; 11x10 workers since firmware 19.5 (Jan 2026; 13x10 before, tt-xla #1066)",
    ),
    "grayskull": ArchSpec(
        "grayskull", 1_048_576, (9, 12), 8, 1_073_741_824, 16, 32, None,
        "grayskull: 1 MiB L1, 12x9 usable workers (E150), 8 DRAM banks of 1 GiB; unreserved base not settled "
        "(122,880 B until mid-2024, tt-metal #9117)",
        unverified=("l1_unreserved_base", "l1_alignment", "dram_alignment"),
    ),
}
ARCHS["blackhole_p100"] = replace(ARCHS["blackhole"], name="blackhole_p100", dram_banks=7,
                                  source=ARCHS["blackhole"].source + "; p100: one DRAM channel harvested (7 banks)")
_ALIASES = {"wormhole": "wormhole_b0", "wh": "wormhole_b0", "n150": "wormhole_b0", "n300": "wormhole_b0",
            "bh": "blackhole", "p150": "blackhole", "p100": "blackhole_p100", "gs": "grayskull"}


def get_arch(name: str) -> ArchSpec:
    """Look up an arch by name or alias (``wormhole``, ``wh``, ``bh``...).

    Raises:
        KeyError: unknown name; the message lists the known ones.
    """
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in ARCHS:
        raise KeyError(f"unknown arch {name!r}; known: {', '.join(sorted(ARCHS))}")
    return ARCHS[key]


def arch_for(system_desc: SystemDesc | None, default: str = "wormhole_b0") -> ArchSpec:
    """The arch of the first chip in ``system_desc`` with its per-device figures applied, else ``default``."""
    if system_desc is None or not system_desc.chips:
        return get_arch(default)
    chip = system_desc.chips[0]
    try:
        base = get_arch(chip.arch or default)
    except KeyError:
        base = get_arch(default)
    updates: dict = {}
    if chip.get("l1_size"):
        updates["l1_size"] = chip.get("l1_size")
    if chip.grid and len(chip.grid) == 2:
        updates["worker_grid"] = (chip.grid[0], chip.grid[1])
    if chip.get("num_dram_channels"):
        updates["dram_banks"] = chip.get("num_dram_channels")
    if chip.get("dram_channel_size"):
        updates["dram_bank_size"] = chip.get("dram_channel_size")
    if chip.get("noc_l1_address_align_bytes"):
        updates["l1_alignment"] = chip.get("noc_l1_address_align_bytes")
    if chip.get("noc_dram_address_align_bytes"):
        updates["dram_alignment"] = chip.get("noc_dram_address_align_bytes")
    if chip.get("l1_unreserved_base"):
        updates["l1_unreserved_base"] = chip.get("l1_unreserved_base")
    if updates:
        updates["source"] = "system_desc in the input"
        updates["unverified"] = tuple(u for u in base.unverified if u not in updates)
    return replace(base, **updates)
