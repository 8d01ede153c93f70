"""Triage: a log's failures, each with its failing op, decoded layouts and the figures behind it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..ir.graph import Op
from ..ir.trace import RunTrace
from ..ir.ttnn import Reshape, decode
from ..ir.types import TensorType
from ..parse.log import read_log
from ..parse.mlir import OpLineParser
from ..parse.op_refs import OpRef
from .arch import ArchSpec, get_arch
from .component import attribute
from .failures import Failure, find_failures
from .layout import LayoutFigures, analyze_tensor
from .localize import Localization, localize, locate_without_op_line, python_tensor_type


@dataclass(slots=True)
class TensorReport:
    """One operand or result of the failing op (or of a producer) with its layout figures."""

    op_id: str | None
    role: str
    value: str
    type: TensorType
    figures: LayoutFigures | None
    line: int | None = None  # the log line the type was read from


@dataclass(slots=True)
class FailureReport:
    """A failure with its localisation, the failing op's tensors, plain-language notes, and for CB
    failures the L1 model of the failing op (``model``: JSON-ready dict, None when not applicable)."""

    failure: Failure
    localization: Localization | None
    tensors: list[TensorReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    model: dict | None = None
    advice: list = field(default_factory=list)  # ttdiag.advise.Advice, ranked
    op_ref: OpRef | None = None  # the op named without an op line (backtrace, Python frame, message)
    component: str = "unknown"
    component_evidence: str = ""
    component_line: int | None = None
    memory: dict | None = None  # L1 at the failure (ttdiag.analyze.failure_memory), when a record says
    # the --ir dump searched for the failing op by the failure's figures (no op line in the log):
    # ttdiag.analyze.dump_search.DumpSearch; None when not searched
    dump_search: object | None = None


@dataclass(slots=True)
class TriageReport:
    source: str
    trace: RunTrace
    arch: ArchSpec
    failures: list[FailureReport]
    warnings: list[str]
    # warnings that leave the outcome unknown, as (kind, text, line): the reader's (input-truncated,
    # input-empty, input-binary) and, when no error was logged, run-unfinished and device-open-hung;
    # the gate reports them as warning-severity findings
    health: list[tuple[str, str, int]] = field(default_factory=list)


def triage(path: str, arch: str = "wormhole_b0", era: str | None = None,
           l1_unreserved_base: int | None = None, memory: str | None = None) -> TriageReport:
    """Read ``path`` (a log; ``-`` for stdin) and triage it.

    Raises:
        ttdiag.io.InputError: the input cannot be opened. KeyError: unknown arch or era.
    """
    trace = read_log(path)
    return triage_trace(trace, get_arch(arch), era, l1_unreserved_base, memory)


def triage_trace(trace: RunTrace, arch: ArchSpec, era: str | None = None,
                 l1_unreserved_base: int | None = None, memory: str | None = None) -> TriageReport:
    """Triage a read log. ``memory``: a memory record file (any input ``ttdiag memory`` reads) for the
    L1 state at the failure, instead of the log's own MemoryView lines.

    Raises:
        ttdiag.io.InputError: the memory record cannot be read.
    """
    from . import failure_memory

    failures = find_failures(trace.events)
    file_record = failure_memory.record_from_file(memory) if memory else None
    parser = OpLineParser()
    reports = []
    warnings = list(trace.warnings)
    for f in failures:
        loc = localize(f.event, trace, parser)
        rep = FailureReport(f, loc)
        if loc is not None:
            if loc.failing.parse_error:
                warnings.append(loc.failing.parse_error)
            _collect_tensors(rep, loc, arch)
        else:
            rep.op_ref = locate_without_op_line(f)
            if rep.op_ref is not None:
                rep.tensors.extend(_python_tensors(rep.op_ref, arch))
        rep.component, rep.component_evidence, rep.component_line = attribute(f, rep.op_ref)
        rep.notes.extend(_notes(f, loc, arch))
        if f.kind == "cb-exceeds-l1" and loc is not None and loc.failing.op is not None:
            rep.model = model_cb_overflow(f, loc.failing.op, arch, trace, era, l1_unreserved_base)
            if rep.model is not None:
                rep.notes.extend(rep.model["explanation"])
        if failure_memory.applies(f):
            record = file_record if file_record is not None else _log_record(f)
            if record is not None:
                rep.memory = failure_memory.memory_section(rep, record, _model_end(rep, arch, trace, era,
                                                                                   l1_unreserved_base))
        reports.append(rep)
    end = max(trace.lines, 1)
    health = [(kind, text, end if kind == "input-truncated" else 1) for kind, text in trace.health]
    open_runs = [r for r in trace.programs if not r.finished and r.ops]
    if not failures and open_runs:
        last = open_runs[-1]
        health.append(("run-unfinished", f"program {last.name!r} (started line {last.start_line:,}) never finished "
                       f"and no error was logged: the log may be cut short, or the run hung", end))
    if not failures and not trace.runs_total and any(_DEVICE_INIT.search(t) for t in trace.tail[-2:]):
        health.append(("device-open-hung", f"no error logged, but the log stops during device initialisation "
                       f"(line {trace.lines:,}: {trace.tail[-1].strip()[:120]!r}): if the process did not exit, "
                       f"the device open hung", end))
    warnings.extend(text for kind, text, _ in health if kind in ("run-unfinished", "device-open-hung"))
    return TriageReport(trace.source, trace, arch, reports, warnings, health)


def _log_record(f: Failure):
    """The L1 state the log recorded last before the failure (its event's, else an echo's)."""
    from .failure_memory import record_from_log

    for ev in (f.event, *(e for e, _ in f.echoes)):
        if ev.memory is not None and ev.memory["views"]:
            return record_from_log(ev.memory)
    return None


def _model_end(rep: FailureReport, arch: ArchSpec, trace: RunTrace, era: str | None,
               base: int | None) -> tuple[int, str] | None:
    """The failing op's predicted CB region end (bytes) and the model's factory and confidence, when
    the message gives none."""
    if rep.failure.figures.get("cb_region_end_bytes") is not None:
        return None
    if rep.model is not None:
        return rep.model["cb_region_end_bytes"], f"{rep.model['factory']}, {rep.model['confidence']}"
    loc = rep.localization
    if loc is None or loc.failing.op is None:
        return None
    from .l1 import analyze_op, make_context
    from .l1.era import ERAS, LATEST, era_for_date, get_era

    chosen = get_era(era) if era else (era_for_date(trace.first_timestamp) or ERAS[LATEST])
    ctx = make_context(arch, chosen, base)
    res = analyze_op(loc.failing.op, ctx)
    if not res.core_groups:
        return None
    _, end = res.worst(ctx)
    return end, f"{res.factory}, {res.confidence}"


_DEVICE_INIT = re.compile(r"Opening user mode device driver|Initializing device|Detected \d+ PCI|SiliconDriver|"
                          r"Opening local chip|topology discovery|Metal \| INFO")


def _tensor_reports(op: Op, arch: ArchSpec) -> list[TensorReport]:
    out = []
    for role, name, t in op.tensors():
        out.append(TensorReport(op.id, role, name, t, analyze_tensor(t, arch)))
    return out


def _python_tensors(ref: OpRef, arch: ArchSpec) -> list[TensorReport]:
    """The failing call's tensors as pytest printed them (``ttnn.Tensor`` reprs), through the layout model."""
    out = []
    for i, pt in enumerate(ref.tensors):
        t = python_tensor_type(pt)
        if t is None:
            continue
        out.append(TensorReport(None, "operand", f"arg{i}", t, analyze_tensor(t, arch), pt.line or None))
    return out


def _collect_tensors(rep: FailureReport, loc: Localization, arch: ArchSpec) -> None:
    if loc.failing.op is not None:
        rep.tensors.extend(_tensor_reports(loc.failing.op, arch))


def _volume(t) -> int | None:
    if isinstance(t, TensorType) and t.static_shape is not None:
        return math.prod(t.static_shape)
    return None


def reshape_volumes(op: Op) -> tuple[int, int, bool] | None:
    """A ``ttnn.reshape``'s IR input and output volumes (elements) and whether the IR is consistent (both
    equal, and equal to the ``shape`` attribute's product when it has one); None for another op or a
    dynamic shape. tt-mlir's verifier checks the same (``ReshapeOp::verify``, TTNNOps.cpp, commit not
    recorded); tt-metal's ``infer_dims_for_reshape`` compares the runtime input's logical volume."""
    if op.name != "ttnn.reshape" or not op.operand_types or not op.result_types:
        return None
    vin, vout = _volume(op.operand_types[0]), _volume(op.result_types[0])
    if vin is None or vout is None:
        return None
    typed = decode(op)
    shape = typed.shape if isinstance(typed, Reshape) else None
    vshape = math.prod(shape) if shape else None
    return vin, vout, vin == vout and (vshape is None or vshape == vin)


def _fmt(n: int) -> str:
    return f"{n:,}"


def failure_l1_context(f: Failure, arch: ArchSpec, trace: RunTrace, era: str | None, base: int | None):
    """The L1 context a CB failure is modelled in: ``era`` (else the log's date, else the latest), the base
    override (else the arch's), and the arch whose L1 size the logged limit names (else ``arch``, its L1 size
    set to the logged limit). Returns a :class:`ttdiag.analyze.l1.L1Context`.

    Raises:
        KeyError: unknown era.
    """
    from dataclasses import replace

    from .l1 import make_context
    from .l1.era import ERAS, LATEST, era_for_date, get_era

    limit = f.figures.get("l1_limit_bytes")
    by_limit = {a.l1_size: a for a in (get_arch("wormhole_b0"), get_arch("blackhole"))}
    spec = by_limit.get(limit, arch) if limit else arch
    if limit and spec.l1_size != limit:
        spec = replace(spec, l1_size=limit)
    chosen = get_era(era) if era else (era_for_date(trace.first_timestamp) or ERAS[LATEST])
    return make_context(spec, chosen, base)


def logged_cores(f: Failure) -> set[tuple[int, int]] | None:
    """The cores of the failure's logged core range (``[(x=7,y=6) - (x=7,y=6)]`` -> {(7, 6)}); None when
    the message gives none."""
    rng = f.figures.get("core_range")
    if not rng:
        return None
    (x0, y0), (x1, y1) = rng
    return {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}


def reported_group(res, ctx, f: Failure):
    """The core group tt-metal names for a CB failure, and its modelled region end (bytes): CB allocators are
    checked in creation order and the first whose region passes the bound raises (``l1_size`` for
    ``cb-exceeds-l1``, the logged L1 buffer address for ``cb-clashes-with-l1-buffer``); when no group passes
    it, the worst group. ``res`` is an :class:`ttdiag.analyze.l1.OpL1` with core groups. Source: tt-metal
    ``tt_metal/impl/program/program.cpp`` ``ProgramImpl::validate_circular_buffer_region`` @001b6f94."""
    bound = f.figures.get("l1_buffer_address_bytes") if f.kind == "cb-clashes-with-l1-buffer" else None
    if bound is None:
        group, end = res.first_over_limit(ctx)
    else:
        group, end = next(((g, e) for g in res.core_groups
                           if (e := g.region_end(ctx.l1_unreserved_base, ctx.cb_alignment)) > bound), (None, 0))
    if group is None:
        group, end = res.worst(ctx)
    return group, end


def reproduces_log(group, end: int, f: Failure) -> bool:
    """The model's group and region end (bytes) are the logged ones: the end equals the logged
    ``cb_region_end_bytes`` and the logged core range lies within the group's cores (any group when the
    message gives no range)."""
    cores = logged_cores(f)
    core_ok = cores is None or (group is not None and cores <= set(group.cores))
    return end == f.figures.get("cb_region_end_bytes") and core_ok


def model_cb_overflow(f: Failure, op: Op, arch: ArchSpec, trace: RunTrace, era: str | None,
                      base: int | None) -> dict | None:
    """Recompute the failing op's CBs (ttdiag.analyze.l1) in the log's tt-metal era and compare with the
    logged ``grow to`` figure and core range. Also model the same op after tt-metal PR #35806.

    Returns a dict (``cb_region_end_bytes``, ``core``, ``matches_log``, ``factory``, ``confidence``, ``era``,
    ``dominant_cb``, ``formula``, ``other_era``, ``explanation``), or None when no model applies.
    """
    from .l1 import analyze_op, make_context
    from .l1.era import ERAS

    ctx = failure_l1_context(f, arch, trace, era, base)
    spec, chosen = ctx.arch, ctx.era
    res = analyze_op(op, ctx)
    if not res.core_groups:
        return None
    group, end = reported_group(res, ctx, f)
    logged_end = f.figures.get("cb_region_end_bytes")
    matches = reproduces_log(group, end, f)
    dominant = max(group.cbs, key=lambda c: c.bytes) if group and group.cbs else None
    other = ERAS["2026-02"] if chosen.name != "2026-02" else ERAS["2025-12"]
    other_ctx = make_context(spec, other, ctx.l1_unreserved_base)
    other_res = analyze_op(op, other_ctx)
    _, other_end = other_res.worst(other_ctx)
    core = list(group.cores[0]) if group and len(group.cores) == 1 else [list(c) for c in (group.cores if group else [])]
    expl = [f"L1 model ({res.factory}, tt-metal era {chosen.name}, CB region from {_fmt(ctx.l1_unreserved_base)} B): "
            + (f"reproduces the log exactly: {_fmt(end)} B on core {_core_text(group.cores)}" if matches else
               f"predicts {_fmt(end)} B on {_core_text(group.cores if group else [])}; the log says "
               f"{_fmt(logged_end or 0)} B")]
    expl.extend(res.formula)
    worst_group, worst_end = res.worst(ctx)
    if group is not None and worst_group is not None and worst_group is not group:
        expl.append(f"tt-metal checks CB allocators in creation order and reports the first over the limit: the "
                    f"{group.label} CBs are created before the {worst_group.label} CBs "
                    f"({len(worst_group.cores)} cores, {_fmt(worst_end)} B), so the log names {_core_text(group.cores)}")
    if group is not None and len(group.cores) == 1:
        x, y = group.cores[0]
        gy = ctx.grid[1]
        expl.append(f"core (x={x},y={y}) is work index {x * gy + y} in column-major order "
                    f"(x = i // {gy}, y = i % {gy}; corerange_to_cores)")
    if dominant is not None:
        expl.append(f"dominant CB: c_{dominant.index} ({dominant.name}) {dominant.pages:,} pages x "
                    f"{dominant.page_bytes:,} B = {_fmt(dominant.bytes)} B")
    expl.append(f"on tt-metal era {other.name} ({other.description}) the same op needs a CB region ending at "
                f"{_fmt(other_end)} B: {'fits' if other_res.fits(other_ctx) else 'still overflows'} the "
                f"{_fmt(ctx.l1_limit)} B limit")
    return {
        "cb_region_end_bytes": end,
        "core": core,
        "matches_log": matches,
        "factory": res.factory,
        "confidence": res.confidence,
        "validated": matches,  # the figure agrees with this logged overflow, byte and core
        "era": chosen.name,
        "l1_unreserved_base_bytes": ctx.l1_unreserved_base,
        "dominant_cb": None if dominant is None else {"index": dominant.index, "name": dominant.name,
                                                      "pages": dominant.pages, "page_bytes": dominant.page_bytes,
                                                      "bytes": dominant.bytes},
        "formula": res.formula,
        "other_era": {"era": other.name, "cb_region_end_bytes": other_end, "fits": other_res.fits(other_ctx)},
        "explanation": expl,
    }


def _core_text(cores) -> str:
    if len(cores) == 1:
        return f"(x={cores[0][0]},y={cores[0][1]})"
    return f"{len(cores)} cores"


# Wormhole L1 unreserved bases seen in tt-mlir system descriptors over time (ttnn-facts.md §2.4).
_WH_UNRESERVED_BASES = (97_248, 101_152, 102_656, 103_712, 104_224)
_L1_SMALL = 65_536  # tt-mlir runtime default L1_SMALL_SIZE (include/Constants.h), facts §4.4


def _l1_bank_size_origin(bank: int) -> str | None:
    """Explain an L1 bank size as ``l1_size - l1_unreserved_base - L1_SMALL`` when it fits a known
    Wormhole base (ttnn-facts.md §4.3: 1,499,136 - 103,712 - 65,536 = 1,329,888)."""
    for base in _WH_UNRESERVED_BASES:
        for small in (_L1_SMALL, 0):
            if 1_499_136 - base - small == bank:
                extra = f" - L1_SMALL {_fmt(small)} B (the tt-mlir runtime default)" if small else ""
                return (f"The L1 bank size {_fmt(bank)} B = wormhole_b0 L1 1,499,136 B - unreserved base "
                        f"{_fmt(base)} B{extra}.")
    return None


def _notes(f: Failure, loc: Localization | None, arch: ArchSpec) -> list[str]:
    """Plain-language figures with units and context."""
    notes: list[str] = []
    figs = f.figures
    op = loc.failing.op if loc is not None else None
    if f.kind == "cb-exceeds-l1" and figs.get("cb_region_end_bytes") and figs.get("l1_limit_bytes"):
        end, limit = figs["cb_region_end_bytes"], figs["l1_limit_bytes"]
        notes.append(f"CB region ends at {_fmt(end)} B = {end / limit:.2f}x the {_fmt(limit)} B L1 limit "
                     f"({_fmt(end - limit)} B over).")
        known = {1_499_136: "wormhole_b0 (MEM_L1_SIZE 1464 KiB)", 1_572_864: "blackhole (MEM_L1_SIZE 1536 KiB)"}
        if limit in known:
            notes.append(f"An L1 limit of {_fmt(limit)} B is {known[limit]}.")
        if limit == arch.l1_size and arch.l1_unreserved_base:
            notes.append(f"With the {arch.name} L1 unreserved base of {_fmt(arch.l1_unreserved_base)} B "
                         f"(tt-metal Dec 2025; the dump's system_desc gives the exact one), the CBs on that core "
                         f"total about {_fmt(end - arch.l1_unreserved_base)} B.")
    elif f.kind == "cb-clashes-with-l1-buffer" and figs.get("cb_region_end_bytes") is not None \
            and figs.get("l1_buffer_address_bytes") is not None:
        figs.setdefault("overshoot_bytes", figs["cb_region_end_bytes"] - figs["l1_buffer_address_bytes"])
        notes.append(f"The CB region ends at {_fmt(figs['cb_region_end_bytes'])} B, above the L1 buffer at "
                     f"{_fmt(figs['l1_buffer_address_bytes'])} B "
                     f"({_fmt(figs['cb_region_end_bytes'] - figs['l1_buffer_address_bytes'])} B of overlap).")
    elif f.kind == "out-of-memory":
        if "bank_size_bytes" in figs and str(figs.get("buffer_type")).upper() == "L1":
            explained = _l1_bank_size_origin(figs["bank_size_bytes"])
            if explained:
                notes.append(explained)
        need = figs.get("bytes_per_bank")
        if need is not None and figs.get("free_bytes") is not None and figs.get("largest_free_block_bytes") is not None:
            figs.setdefault("overshoot_bytes", need - (figs["free_bytes"] if figs["free_bytes"] < need
                                                       else figs["largest_free_block_bytes"]))
            if figs.get("fragmented"):
                notes.append(f"Fragmented: {_fmt(figs['free_bytes'])} B are free per bank but the largest free block "
                             f"is {_fmt(figs['largest_free_block_bytes'])} B < the {_fmt(need)} B needed.")
            else:
                notes.append(f"Not enough free memory: {_fmt(figs['free_bytes'])} B free per bank < "
                             f"{_fmt(need)} B needed.")
        elif need is not None and figs.get("bank_size_bytes") is not None and need > figs["bank_size_bytes"]:
            figs.setdefault("overshoot_bytes", need - figs["bank_size_bytes"])
            notes.append(f"Each bank would need {_fmt(need)} B, more than a whole bank "
                         f"({_fmt(figs['bank_size_bytes'])} B): no placement can fit it.")
    vols = reshape_volumes(op) if op is not None else None
    if vols is not None:
        vin, vout, consistent = vols
        figs.setdefault("ir_input_volume", vin)
        figs.setdefault("ir_output_volume", vout)
        figs.setdefault("ir_consistent", consistent)
        if f.kind in ("reshape-invalid", "assertion") and consistent:
            notes.append(
                f"The IR is consistent: input and output both hold {_fmt(vin)} elements, so "
                "infer_dims_for_reshape (which compares the runtime input's logical volume) can only fail if "
                "the runtime tensor's logical shape differs from its IR type: upstream logical-shape drift, "
                "or the wrong tensor was passed. Tile padding never takes part in this check.")
    if op is not None and f.kind.startswith("cb-"):
        for _, _, t in op.tensors():
            lay = t.layout
            if lay is not None and lay.buffer_type == "dram" and lay.grid == (1, 1):
                notes.append("The <1x1> grid of a DRAM-interleaved ttnn_layout is mandatory and says nothing about "
                             "how many cores the op runs on.")
                break
    return notes
