"""tt-metal eras that change CB sizing, and how ttdiag picks one for an input.

* ``2025-12``: tt-metal dcae048e (2025-12-23), the version tt-mlir uplifted to on 2025-12-30
  (tt-mlir 31b7b0e4); untilize/tilize block factories split with ``compute_ncores_wh`` and no L1
  cap on the block (ttnn-facts.md §0, §3.1).
* ``2026-02``: after tt-metal PR #35806 ("tilize/untilize for tensors having a large shape[-1]",
  Feb 2026): sub-blocks capped by ``cb_block_size_limit = max_l1_space / (in_tile + out_tile)``.

The default is the era the input points to (log dates; a dump's system_desc base or syntax),
otherwise the latest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...ir.graph import Module


@dataclass(frozen=True, slots=True)
class MetalEra:
    name: str
    description: str
    untilize_subblock_cap: bool
    wh_unreserved_base: int


ERAS: dict[str, MetalEra] = {
    "2025-12": MetalEra("2025-12", "tt-metal dcae048e (Dec 2025), before PR #35806", False, 102_656),
    "2026-02": MetalEra("2026-02", "tt-metal after PR #35806 (Feb 2026): untilize/tilize sub-block cap", True, 103_712),
}
LATEST = "2026-02"
# PR #35806 was reviewed in February 2026; logs dated before this use the older factories.
_CUTOFF = "2026-02-01"


def get_era(name: str) -> MetalEra:
    """Raises KeyError (listing the known eras) for an unknown name."""
    if name not in ERAS:
        raise KeyError(f"unknown tt-metal era {name!r}; known: {', '.join(ERAS)}")
    return ERAS[name]


def era_for_date(date: str | None) -> MetalEra | None:
    """``YYYY-MM-DD`` → the era in force then; None without a date."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return None
    return ERAS["2025-12"] if date < _CUTOFF else ERAS[LATEST]


def era_for_module(module: Module) -> MetalEra | None:
    """A dump's era from its system_desc base (≤ 102,656 B: Dec 2025 / Jan 2026 Wormhole devices), or
    from syntax: ``core_ranges = ...`` in a ttnn_layout first appears in May 2026 (tt-mlir #8127)."""
    sd = module.system_desc
    if sd is not None and sd.chips:
        base = sd.chips[0].get("l1_unreserved_base")
        if base is not None and sd.chips[0].arch == "wormhole_b0":
            return ERAS["2025-12"] if base <= 102_656 else ERAS[LATEST]
    for op in module.all_ops():
        for _, _, t in op.tensors():
            if t.layout is not None and "core_ranges" in t.layout.extras:
                return ERAS[LATEST]
    return None
