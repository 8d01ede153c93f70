"""``ttdiag repro``: a minimal TTNN module reproducing a log's failing op (and optionally its producers).

The module keeps the ops' exact types, inline layouts and locs; operands defined outside the kept ops
become function arguments, and a ``!ttnn.device`` operand comes from one ``ttnn.get_device``.

A repro has no date, so what the log says about its tt-metal version and device is kept as module
attributes (:data:`RECORDED_ATTRS`), which ``ttdiag l1`` reads back (``--era`` / ``--arch`` still win).
MLIR accepts them: a discardable attribute on ``builtin.module`` needs only a dialect-prefixed name,
and an unloaded prefix is not verified (llvm-project ``mlir/lib/IR/BuiltinDialect.cpp``
``ModuleOp::verify``; ``mlir/lib/IR/Verifier.cpp`` asks ``getNameDialect()``, null for ``ttdiag``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir.graph import Op
from ..ir.printer import print_op
from ..ir.types import TensorType
from ..parse.mlir import MLIRSyntaxError, OpLineParser
from .arch import ARCHS
from .l1.era import era_for_date
from .triage import FailureReport, TriageReport

_GET_DEVICE = ('"ttnn.get_device"() <{mesh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = #ttnn<mesh_shape 1x1>}> '
               ': () -> !ttnn.device')


# module attributes a repro carries: the tt-metal era, the log's date it came from, the arch
RECORDED_ATTRS = ("ttdiag.tt_metal_era", "ttdiag.log_date", "ttdiag.arch")
# the L1 size each arch's errors quote as "max L1 size" (MEM_L1_SIZE of its dev_mem_map.h; arch.py)
_ARCH_BY_L1_LIMIT = {ARCHS[name].l1_size: name for name in ("grayskull", "blackhole", "wormhole_b0")}


class ReproError(ValueError):
    """No failing op to reproduce (the log has no failure, or no op was executing)."""


@dataclass(slots=True)
class Repro:
    text: str
    failing_op: str
    ops: int


def build_repro(report: TriageReport, depth: int = 0, index: int = 0) -> Repro:
    """The repro module for failure ``index`` of ``report``: the failing op plus ``depth`` levels of
    producers from the log window.

    Raises:
        ReproError: no such failure, or it has no failing op, or the op line does not parse.
    """
    if index >= len(report.failures):
        raise ReproError("the log has no failure to reproduce" if not report.failures else
                         f"there are only {len(report.failures)} failures")
    fr = report.failures[index]
    loc = fr.localization
    if loc is None:
        raise ReproError(f"failure {fr.failure.kind} at line {fr.failure.line} has no executing op")
    if loc.failing.op is None:
        raise ReproError(f"the failing op line does not parse: {loc.failing.parse_error}")
    parser = OpLineParser()
    window: list[Op] = []
    for rec in fr.failure.event.window:
        try:
            window.append(parser.parse(rec.text, rec.line))
        except MLIRSyntaxError:
            pass
    defs = {r: op for op in window for r in op.results}
    keep = [loc.failing.op]
    frontier = [loc.failing.op]
    for _ in range(depth):
        nxt = []
        for op in frontier:
            for o in op.operands:
                p = defs.get(o.split("#")[0])
                if p is not None and p not in keep:
                    keep.append(p)
                    nxt.append(p)
        frontier = nxt
    keep.sort(key=lambda op: op.line)
    defined = {r for op in keep for r in op.results}
    args: list[tuple[str, str]] = []
    rename: dict[str, str] = {}
    need_device = False
    for op in keep:
        for name, t in zip(op.operands, op.operand_types):
            if name in defined or name in rename:
                continue
            if isinstance(t, TensorType):
                rename[name] = f"%arg{len(args)}"
                args.append((rename[name], t.text))
            else:
                rename[name] = "%device"
                need_device = True
    last = keep[-1]
    results = [(r, t.text) for r, t in zip(last.results, last.result_types)]
    f = fr.failure
    attrs, provenance = recorded_context(report, fr)
    header = [f"// ttdiag repro of {f.kind} at {report.source}:{f.line}: {f.message[:200]}",
              f"// failing op {last.id or ''} {last.name} (program {loc.failing.program!r}, log line {last.line})"]
    if provenance:
        header.append(f"// {'; '.join(provenance)}: kept as module attributes for ttdiag l1")
    module_line = "module {" if not attrs else \
        "module attributes {" + ", ".join(f'{k} = "{v}"' for k, v in attrs.items()) + "} {"
    body = ["    %device = " + _GET_DEVICE] if need_device else []
    body += ["    " + print_op(op, rename) for op in keep]
    ret_types = ", ".join(t for _, t in results)
    if results:
        body.append(f"    return {', '.join(r for r, _ in results)} : {ret_types}")
    else:
        body.append("    return")
    sig = ", ".join(f"{a}: {t}" for a, t in args)
    out = f"({ret_types})" if len(results) != 1 else ret_types
    text = "\n".join(header + [module_line, f"  func.func @main({sig}) -> {out if results else '()'} {{", *body,
                               "  }", "}", ""])
    return Repro(text, f"{last.id} {last.name}", len(keep))


def recorded_context(report: TriageReport, fr: FailureReport) -> tuple[dict[str, str], list[str]]:
    """The module attributes of a repro (a subset of :data:`RECORDED_ATTRS`, in that order) and one
    phrase per attribute saying where it came from.

    * ``ttdiag.log_date`` / ``ttdiag.tt_metal_era``: the log's first date and the era in force then
      (:func:`ttdiag.analyze.l1.era.era_for_date`), the same date ``ttdiag l1 LOG`` dates the log by.
      An undated log records neither: ``l1`` then takes the latest era for both the log and the repro.
    * ``ttdiag.arch``: only when the failure quotes an L1 size that is one arch's ``MEM_L1_SIZE``
      (tt-metal ``tt_metal/hw/inc/internal/tt-1xx/<arch>/dev_mem_map.h``; ttnn-facts.md §1.7, §4.1):
      "beyond max L1 size of 1499136 B" is a Wormhole, 1572864 B a Blackhole.
    """
    attrs: dict[str, str] = {}
    provenance: list[str] = []
    date = report.trace.first_timestamp
    era = era_for_date(date)
    if era is not None and date:
        attrs["ttdiag.tt_metal_era"] = era.name
        attrs["ttdiag.log_date"] = date
        provenance.append(f"tt-metal era {era.name} (the log's date {date})")
    limit = fr.failure.figures.get("l1_limit_bytes")
    arch = _ARCH_BY_L1_LIMIT.get(limit) if isinstance(limit, int) else None
    if arch is not None:
        attrs["ttdiag.arch"] = arch
        provenance.append(f"arch {arch} (the logged L1 limit {limit:,} B)")
    return attrs, provenance
