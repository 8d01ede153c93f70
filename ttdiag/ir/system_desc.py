"""``#ttcore.system_desc<...>`` (``#tt.system_desc`` before 2025-06) decoding.

Fields follow ``TTCore_ChipDescAttr`` (tt-mlir ``include/ttmlir/Dialect/TTCore/IR/TTCoreOpsTypes.td``);
see ttnn-facts.md §2.4. Prefer these per-device figures over built-in arch constants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .items import Atom, Body, Group, as_int, key_values, render, split_commas

_INT_FIELDS = (
    "l1_size",
    "num_dram_channels",
    "dram_channel_size",
    "noc_l1_address_align_bytes",
    "pcie_address_align_bytes",
    "noc_dram_address_align_bytes",
    "l1_unreserved_base",
    "erisc_l1_unreserved_base",
    "dram_unreserved_base",
    "dram_unreserved_end",
    "num_cbs",
    "dst_physical_size_tiles",
)


@dataclass(frozen=True, slots=True)
class ChipDesc:
    """One chip: ``arch`` (``wormhole_b0`` ...), worker ``grid`` (rows, cols) and the integer fields
    of ``_INT_FIELDS`` (bytes unless the name says otherwise). ``fields`` keeps every field as text."""

    arch: str | None
    grid: tuple[int, ...] | None
    ints: dict[str, int] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> int | None:
        return self.ints.get(name)


@dataclass(frozen=True, slots=True)
class SystemDesc:
    chips: tuple[ChipDesc, ...]
    text: str


def decode_system_desc(node: Body) -> SystemDesc | None:
    """Decode a ``#ttcore.system_desc<[cpus], [chips], ...>`` body; None if it has no chip list."""
    if not node.name.endswith(".system_desc"):
        return None
    parts = split_commas(node.items)
    chips = []
    for part in parts[:2]:
        if len(part) != 1 or not (isinstance(part[0], Group) and part[0].open == "["):
            continue
        for entry in split_commas(part[0].items):
            if len(entry) != 1 or not (isinstance(entry[0], Group) and entry[0].open == "{"):
                continue
            kv = key_values(entry[0].items)
            if "arch" not in kv:
                continue
            chips.append(_chip(kv))
    if not chips:
        return None
    return SystemDesc(tuple(chips), render(node))


def _chip(kv: dict) -> ChipDesc:
    arch_items = kv.get("arch", ())
    arch = None
    if len(arch_items) == 1:
        node = arch_items[0]
        if isinstance(node, (Group, Body)) and len(node.items) == 1 and isinstance(node.items[0], Atom):
            arch = node.items[0].text
        elif isinstance(node, Atom):
            arch = node.text
    grid = None
    g = kv.get("grid", ())
    if len(g) == 1 and isinstance(g[0], Atom) and g[0].kind == "DIMS":
        grid = tuple(int(v) for v in g[0].text.split("x"))
    ints = {}
    for name in _INT_FIELDS:
        v = as_int(kv.get(name))
        if v is not None:
            ints[name] = v
    return ChipDesc(arch, grid, ints, {k: render(v) for k, v in kv.items()})
