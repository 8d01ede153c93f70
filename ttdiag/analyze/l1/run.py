"""``ttdiag l1``: the CB prediction of every op of a dump or a log, with the context it used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..arch import arch_for, get_arch
from ..inspect import load_module
from . import analyze_module, make_context
from .era import ERAS, LATEST, MetalEra, era_for_date, era_for_module, get_era
from .model import L1Context, OpL1

if TYPE_CHECKING:
    from .against import Against


@dataclass(slots=True)
class L1Report:
    source: str
    kind: str
    ctx: L1Context
    era_reason: str
    ops: list[OpL1]
    warnings: list[str] = field(default_factory=list)
    against: Against | None = None


def l1_for_file(path: str, arch: str | None = None, era: str | None = None,
                l1_unreserved_base: int | None = None, kind: str | None = None,
                against: str | None = None) -> L1Report:
    """Parse ``path`` (dump or log) and model every op.

    The arch comes from ``arch`` (override), else the dump's system_desc, else the arch a ``ttdiag
    repro`` module recorded (``ttdiag.arch``), else wormhole_b0; the era from ``era``, else the log's
    date, else the era a repro recorded (``ttdiag.tt_metal_era``, or its ``ttdiag.log_date``), else the
    dump's system_desc, else the latest; the base from the override, else the system_desc, else the
    arch default. ``against``: a graph capture or report database whose recorded CBs the ops are
    compared with (:mod:`.against`); agreeing ops become ``validated``.

    Raises:
        ttdiag.io.InputError: the input cannot be opened. KeyError: unknown arch or era.
    """
    records = None
    if against is not None:
        from .against import read_records

        records = read_records(against)  # bad usage fails before the module is read
    dates: list[str] = []
    recorded: dict[str, str] = {}
    module, kind, warnings = load_module(path, kind, dates, recorded)
    spec = get_arch(arch) if arch else arch_for(module.system_desc, _recorded_arch(recorded, warnings))
    if era:
        chosen, reason = get_era(era), "chosen with --era"
    elif dates and era_for_date(dates[0]):
        chosen, reason = era_for_date(dates[0]), f"from the log's date {dates[0]}"
    else:
        chosen, reason = _recorded_era(recorded, warnings)
        if chosen is None:
            chosen = era_for_module(module)
            reason = "from the dump's system_desc" if chosen else "latest (nothing in the input dates it)"
        chosen = chosen or get_era(LATEST)
    ctx = make_context(spec, chosen, l1_unreserved_base)
    ops = analyze_module(module, ctx)
    if kind == "log" and not era and l1_unreserved_base is None:
        _validate_against_log(path, ops, spec)
    checked = None
    if records is not None:
        from .against import against as compare
        from .tensors import result

        shapes = []
        for op in module.all_ops():
            if op.name not in ("return", "func.return"):
                f = result(op, 0)
                shapes.append(f.shape if f is not None else None)
        checked = compare(ops, shapes, records, ctx)
    for d in module.diagnostics[:20]:
        warnings.append(f"line {d.line}: {d.message}")
    return L1Report(path, kind, ctx, reason, ops, warnings, checked)


def _validate_against_log(path: str, ops: list[OpL1], spec) -> None:
    """Mark ``validated`` the ops whose predicted CB region end and core agree with an overflow the log
    itself records (``cb-exceeds-l1``: ``grow to N B`` on a core range), as triage's model of the
    failing op checks them (``ttdiag.analyze.triage.model_cb_overflow``)."""
    from ...parse.log import read_log
    from ..triage import triage_trace

    report = triage_trace(read_log(path), spec)
    for fr in report.failures:
        model = fr.model
        if not model or not model.get("matches_log") or fr.localization is None:
            continue
        line = fr.localization.failing.record.line
        for r in ops:
            if r.line == line and r.factory == model["factory"]:
                r.validated = True
                r.validated_by = (f"the log's overflow at line {fr.failure.line:,} ("
                                  f"{model['cb_region_end_bytes']:,} B on its core) is the model's figure")


def _recorded_arch(recorded: dict[str, str], warnings: list[str]) -> str:
    """The arch a repro recorded, if ttdiag knows it; else wormhole_b0 (with a warning for an unknown one)."""
    name = recorded.get("arch")
    if name:
        try:
            return get_arch(name).name
        except KeyError:
            warnings.append(f"the module records arch {name!r}, which ttdiag does not know; using wormhole_b0")
    return "wormhole_b0"


def _recorded_era(recorded: dict[str, str], warnings: list[str]) -> tuple[MetalEra | None, str]:
    """The era a repro recorded and the reason to show: its era name, else its log date's era."""
    date = recorded.get("log_date")
    reason = "recorded by ttdiag repro" + (f" from the log's date {date}" if date else "")
    name = recorded.get("tt_metal_era")
    if name:
        if name in ERAS:
            return ERAS[name], reason
        warnings.append(f"the module records tt-metal era {name!r}, which ttdiag does not know "
                        f"(known: {', '.join(ERAS)})")
    chosen = era_for_date(date)
    if chosen is not None:
        return chosen, reason
    return None, ""
