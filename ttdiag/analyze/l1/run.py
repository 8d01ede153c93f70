"""``ttdiag l1``: the CB prediction of every op of a dump or a log, with the context it used."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..arch import arch_for, get_arch
from ..inspect import load_module
from . import analyze_module, make_context
from .era import LATEST, era_for_date, era_for_module, get_era
from .model import L1Context, OpL1


@dataclass(slots=True)
class L1Report:
    source: str
    kind: str
    ctx: L1Context
    era_reason: str
    ops: list[OpL1]
    warnings: list[str] = field(default_factory=list)


def l1_for_file(path: str, arch: str | None = None, era: str | None = None,
                l1_unreserved_base: int | None = None, kind: str | None = None) -> L1Report:
    """Parse ``path`` (dump or log) and model every op.

    The arch comes from ``arch`` (override), else the dump's system_desc, else wormhole_b0; the era from
    ``era``, else the log's date or the dump's system_desc, else the latest; the base from the
    override, else the system_desc, else the arch default.

    Raises:
        ttdiag.io.InputError: the input cannot be opened. KeyError: unknown arch or era.
    """
    dates: list[str] = []
    module, kind, warnings = load_module(path, kind, dates)
    spec = get_arch(arch) if arch else arch_for(module.system_desc)
    if era:
        chosen, reason = get_era(era), "chosen with --era"
    else:
        chosen = era_for_date(dates[0] if dates else None) or era_for_module(module)
        reason = (f"from the log's date {dates[0]}" if dates and chosen else
                  "from the dump's system_desc" if chosen else "latest (nothing in the input dates it)")
        chosen = chosen or get_era(LATEST)
    ctx = make_context(spec, chosen, l1_unreserved_base)
    ops = analyze_module(module, ctx)
    for d in module.diagnostics[:20]:
        warnings.append(f"line {d.line}: {d.message}")
    return L1Report(path, kind, ctx, reason, ops, warnings)
