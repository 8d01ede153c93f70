"""The CI gate: triage many logs (in parallel processes), fingerprint their failures, apply a baseline
and L1 / padding budgets, and decide pass or fail.

Everything a worker returns is a plain dict (picklable, JSON-ready), never a rich or IR object:

* a log: ``{"path", "status", "error", "failures", "warnings", "seconds"}``; ``status`` is set by
  :func:`evaluate` (``passed`` | ``warning`` | ``failed`` | ``error``);
* a failure: ``{"kind", "severity", "message", "line", "op", "figures", "fingerprint", "suppressed",
  "gating"}``; ``op`` is ``{"id", "name", "program", "line", "loc"}`` or None, where ``loc`` is the op's
  module path (PyTorch NameLoc) or ``source_file:line``.

Budgets (opt-in; they parse every op line, which is slow) turn predictions into failures:
``l1-budget`` when an op's predicted CB region end (``ttdiag.analyze.l1``, bytes) is above
``max_l1_fraction`` x the L1 limit, ``padding-budget`` when a tensor's physical / logical volume
(``ttdiag.analyze.layout.analyze_tensor``) is above ``max_padding_ratio``. ``max_l1_fraction`` also
checks a recorded L1 peak (the log's MemoryView lines, or ``memory``: any file ``ttdiag memory`` reads)
against the arch's L1 size; the failure's ``figures["source"]`` says which (``L1 model`` or the record).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from ..io import InputError
from .failures import KINDS, SEVERITY

BUDGET_KINDS = ("l1-budget", "padding-budget")
# a log whose outcome is unknown (ttdiag.analyze.triage.TriageReport.health): never plainly passed
HEALTH_KINDS = ("input-truncated", "input-empty", "input-binary", "run-unfinished", "device-open-hung")
ALL_KINDS = KINDS + BUDGET_KINDS + HEALTH_KINDS
ALL_SEVERITY = SEVERITY | {k: "error" for k in BUDGET_KINDS} | {k: "warning" for k in HEALTH_KINDS}
SEVERITY_RANK = {"warning": 1, "error": 2}
LOG_SUFFIXES = (".log", ".txt", ".gz")  # ".log.gz" ends with ".gz"
MAX_WARNINGS = 20
MIN_PADDING_BYTES = 65_536  # 32 bf16 tiles: a scalar or a small bias wastes less and is not a budget matter


@dataclass(frozen=True, slots=True)
class GateOptions:
    """What each worker needs (picklable): the arch for triage and the L1 model, and the budgets
    (None = not checked). ``max_l1_fraction`` is a fraction of the L1 limit; ``max_padding_ratio`` a
    ratio of physical to logical elements, checked on tensors whose padding wastes at least
    ``min_padding_bytes`` bytes."""

    arch: str = "wormhole_b0"
    max_l1_fraction: float | None = None
    max_padding_ratio: float | None = None
    min_padding_bytes: int = MIN_PADDING_BYTES
    memory: str | None = None  # a memory record for --max-l1-fraction's recorded peak (every log)

    @property
    def budgets(self) -> bool:
        return self.max_l1_fraction is not None or self.max_padding_ratio is not None


@dataclass(frozen=True, slots=True)
class LogInput:
    """A log to gate: ``path`` is opened, ``display`` is reported (``-`` for stdin, spooled to a file)."""

    path: str
    display: str


# -- fingerprints ----------------------------------------------------------------------------------
_ADDRESS = re.compile(r"0[xX][0-9a-fA-F]+")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\w.~+-]*[/\\])+[\w.+-]*")
_HEX = re.compile(r"\b(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{7,}\b")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """A message with its run-specific parts replaced, so one failure matches across runs and machines:
    addresses (``0x7f..``) → ``<addr>``, paths (anything with a ``/`` or ``\\``) → ``<path>``, hex
    hashes → ``<hex>``, digit runs → ``N``, whitespace collapsed."""
    text = _ADDRESS.sub("<addr>", message)
    text = _PATH.sub("<path>", text)
    text = _HEX.sub("<hex>", text)
    text = _DIGITS.sub("N", text)
    return _SPACE.sub(" ", text).strip()


def fingerprint(kind: str, op_name: str | None, message: str) -> str:
    """The baseline fingerprint: sha1 of kind, op name and normalised message; first 16 hex digits."""
    key = "\x1f".join((kind, op_name or "", normalise_message(message)))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# -- inputs ----------------------------------------------------------------------------------------
def _walk_logs(directory: str) -> list[str]:
    """Files under ``directory`` (recursively, sorted) named ``*.log``, ``*.txt``, ``*.log.gz`` or ``*.gz``."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        found.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(LOG_SUFFIXES))
    return found


def expand_inputs(args: list[str]) -> list[str]:
    """Files, globs (``**`` recurses) and directories → a de-duplicated list of paths, in argument order.
    ``-`` (stdin) is kept as is.

    Raises:
        InputError: a named file does not exist, a glob matches nothing, or a directory holds no logs.
    """
    out: list[str] = []
    for arg in args:
        if arg == "-":
            out.append(arg)
        elif os.path.isdir(arg):
            logs = _walk_logs(arg)
            if not logs:
                raise InputError(f"{arg}: no *.log, *.txt or *.gz files in this directory")
            out.extend(logs)
        elif os.path.lexists(arg):
            out.append(arg)
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError(f"{arg}: no file matches")
            for m in matches:
                out.extend(_walk_logs(m) if os.path.isdir(m) else [m])
        else:
            raise InputError(f"{arg}: no such file")
    seen: set[str] = set()
    unique = []
    for p in out:
        key = p if p == "-" else os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


@contextlib.contextmanager
def open_inputs(paths: list[str]) -> Iterator[list[LogInput]]:
    """The expanded ``paths`` as LogInputs, with stdin (``-``) spooled to a temporary file (removed on
    exit) so that workers and the budget pass can read it again; it is still reported as ``-``."""
    spooled = None
    try:
        inputs = []
        for p in paths:
            if p == "-":
                fd, spooled = tempfile.mkstemp(prefix="ttdiag-stdin-", suffix=".log")
                with os.fdopen(fd, "wb") as f:
                    shutil.copyfileobj(sys.stdin.buffer, f)
                inputs.append(LogInput(spooled, "-"))
            else:
                inputs.append(LogInput(p, p))
        yield inputs
    finally:
        if spooled is not None and os.path.exists(spooled):
            os.unlink(spooled)


# -- one log (runs in a worker process) ------------------------------------------------------------
def _loc_text(loc) -> str | None:
    """``decoder.block_in.resnets.0.conv1`` (NameLoc module path), else ``file:line``, else None."""
    if loc is None:
        return None
    if loc.py is not None:
        if loc.py.module_path:
            return loc.py.module_path
        if loc.py.source_file:
            return f"{loc.py.source_file}:{loc.py.source_line}"
    if loc.file:
        return f"{loc.file}:{loc.line}"
    return None


def _op_of(op, program: str | None = None, line: int | None = None) -> dict:
    return {"id": op.id, "name": op.name, "program": program or op.program, "line": line or op.line,
            "loc": _loc_text(op.loc)}


def _failure(kind: str, severity: str, message: str, line: int, op: dict | None, figures: dict) -> dict:
    return {"kind": kind, "severity": severity, "message": message, "line": line, "op": op, "figures": figures,
            "fingerprint": fingerprint(kind, op["name"] if op else None, message), "suppressed": False,
            "gating": False}


def _triage_failures(report) -> list[dict]:
    """Plain dicts of a TriageReport's failures (the failing op as in ``ttdiag triage --format json``)."""
    out = []
    for fr in report.failures:
        f, loc, op = fr.failure, fr.localization, None
        if loc is not None:
            rec = loc.failing.record
            if loc.failing.op is not None:
                op = _op_of(loc.failing.op, loc.failing.program, rec.line)
            else:
                op = {"id": (rec.result_ids or [None])[0], "name": rec.name, "program": loc.failing.program,
                      "line": rec.line, "loc": None}
        elif fr.op_ref is not None:
            r = fr.op_ref
            op = {"id": None, "name": r.name, "program": None, "line": r.line, "loc": None, "source": r.source}
        d = _failure(f.kind, f.severity, f.message, f.line, op, dict(f.figures))
        d["component"] = fr.component
        d["component_evidence"] = fr.component_evidence
        out.append(d)
    for kind, message, line in report.health:
        out.append(_failure(kind, "warning", message, line, None, {}))
    return out


def _budget_context(path: str, opts: GateOptions):
    from .arch import get_arch
    from .inspect import module_from_log
    from .l1 import make_context
    from .l1.era import ERAS, LATEST, era_for_date

    dates: list[str] = []
    module, warnings = module_from_log(path, dates)
    era = era_for_date(dates[0] if dates else None) or ERAS[LATEST]
    return module, make_context(get_arch(opts.arch), era), warnings


def _attrs_key(op) -> tuple:
    """The op's properties and attributes as text (what a CB model may read besides the types)."""
    from ..ir.items import render

    return tuple(sorted((k, render(v)) for k, v in (*op.properties.items(), *op.attributes.items())))


def _l1_budget(module, ctx, limit_fraction: float) -> Iterator[tuple[tuple, dict | None]]:
    """Ops whose predicted CB region end (bytes, ``ttdiag.analyze.l1``) > ``limit_fraction`` x the L1
    limit (bytes). The same op (name, loc, types) in a later program run is not modelled again: it
    yields ``(key, None)`` when it was over the budget, nothing otherwise."""
    from .l1 import analyze_op

    limit = ctx.l1_limit
    checked: dict[tuple, bool] = {}
    for op in module.all_ops():
        if op.name in ("return", "func.return"):
            continue
        key = ("l1-budget", op.name, op.loc.raw if op.loc else None,
               tuple(t.text for t in (op.operand_types + op.result_types)), _attrs_key(op))
        if key in checked:
            if checked[key]:
                yield key, None
            continue
        res = analyze_op(op, ctx)
        group, end = res.worst(ctx)
        checked[key] = over = bool(res.core_groups) and end > limit_fraction * limit
        if not over:
            continue
        opd = _op_of(op)
        where = f" at {opd['loc']}" if opd["loc"] else ""
        message = (f"{op.name} {op.id or ''}{where}: predicted CB region ends at {end:,} B = "
                   f"{end / limit:.1%} of the {limit:,} B L1 limit, over the budget of {limit_fraction:.1%} "
                   f"({res.factory}, {res.confidence})")
        figures = {"source": "L1 model", "cb_region_end_bytes": end, "l1_limit_bytes": limit,
                   "fraction_of_limit": round(end / limit, 6),
                   "max_l1_fraction": limit_fraction, "factory": res.factory, "confidence": res.confidence,
                   "era": res.era, "core": list(group.cores[0]) if group and group.cores else None}
        yield key, _failure("l1-budget", "error", message, op.line, opd, figures)


def _padding_budget(module, arch, max_ratio: float,
                    min_wasted_bytes: int = MIN_PADDING_BYTES) -> Iterator[tuple[tuple, dict]]:
    """Op results (and ``%arg`` operands) whose physical / logical volume (elements) > ``max_ratio`` and
    whose padding wastes at least ``min_wasted_bytes`` (64 KiB = 32 bf16 tiles) of the buffer.

    The padded and physical shapes follow tt-metal ``TensorLayout::compute_padded_shape`` /
    ``compute_physical_shape`` (``ttnn/core/tensor/layout/tensor_layout.cpp``): TILE rounds the last two
    dims up to the tile, so a ``[1, 1, 1, 1]`` scalar is one 32x32 tile, ratio 1024, but only
    2,048 - 2 = 2,046 B wasted (bf16, ``Tile::get_tile_size`` in ``tt_metal/impl/data_format/tile.cpp``);
    ratio alone would flag every scalar. Wasted bytes = buffer bytes x (physical - logical) / physical.
    """
    from ..ir.types import TensorType
    from .layout import analyze_tensor, figures_key

    cache: dict[tuple, object] = {}  # keyed on the decoded layout, not the text (aliases differ per section)
    for op in module.all_ops():
        for role, value, t in op.tensors():
            if (role == "operand" and not value.startswith("%arg")) or not isinstance(t, TensorType):
                continue
            fkey = figures_key(t)
            if fkey not in cache:
                cache[fkey] = analyze_tensor(t, arch)
            fig = cache[fkey]
            if fig is None or fig.padding_ratio <= max_ratio or not fig.physical_volume:
                continue
            wasted = fig.bytes * (fig.physical_volume - fig.logical_volume) // fig.physical_volume
            if wasted < min_wasted_bytes:
                continue
            opd = _op_of(op)
            layout = "tile" if fig.tiled else "row_major"
            where = f" at {opd['loc']}" if opd["loc"] else ""
            message = (f"{value} {list(fig.logical_shape)} {layout} {fig.dtype} ({role} of {op.name}{where}): "
                       f"padding ratio {fig.padding_ratio:.2f} (physical {fig.physical_volume:,} / logical "
                       f"{fig.logical_volume:,} elements; {wasted:,} of {fig.bytes:,} B wasted) over the budget "
                       f"of {max_ratio:g}")
            figures = {"value": value, "role": role, "logical_shape": list(fig.logical_shape),
                       "padded_shape": list(fig.padded_shape), "physical_shape": list(fig.physical_shape),
                       "logical_volume": fig.logical_volume, "physical_volume": fig.physical_volume,
                       "padding_ratio": round(fig.padding_ratio, 6), "max_padding_ratio": max_ratio,
                       "tiled": fig.tiled, "dtype": fig.dtype, "bytes": fig.bytes, "wasted_bytes": wasted,
                       "min_wasted_bytes": min_wasted_bytes}
            key = ("padding-budget", op.name, op.loc.raw if op.loc else None, t.text, role)
            yield key, _failure("padding-budget", "error", message, op.line, opd, figures)


def budget_failures(path: str, opts: GateOptions) -> tuple[list[dict], list[str]]:
    """Budget failures of one log, one per distinct (kind, op, loc, types): an op repeated over many
    program runs is reported once, at its first line, with ``figures["occurrences"]``."""
    module, ctx, warnings = _budget_context(path, opts)
    found: dict[tuple, dict] = {}
    streams = []
    if opts.max_l1_fraction is not None:
        streams.append(_l1_budget(module, ctx, opts.max_l1_fraction))
    if opts.max_padding_ratio is not None:
        streams.append(_padding_budget(module, ctx.arch, opts.max_padding_ratio, opts.min_padding_bytes))
    for stream in streams:
        for key, f in stream:
            if f is None or key in found:
                found[key]["figures"]["occurrences"] += 1
            else:
                f["figures"]["occurrences"] = 1
                found[key] = f
    return sorted(found.values(), key=lambda f: (f["line"], f["kind"])), warnings


_RECORDS: dict[str, tuple] = {}  # memory record path -> (peak, what, op name, line): read once per process


def _recorded_peak(path: str, from_log: bool) -> tuple[int, str, str, int, int] | None:
    """The L1 peak of a memory record: (bytes, what the figure counts, op, line, +- bytes). A graph capture
    gives CBs + L1 buffers on its busiest core (``peaks_per_core.total_bytes``, else its flat L1 buffer
    peak); allocator views (MemoryView lines, ttrt reports, report databases) give L1 + L1_SMALL buffers
    per bank. The log's MemoryView lines are read in one more pass over the log (their own reader)."""
    if from_log:
        from ..parse import memory_records as mr

        best = None
        for snap in mr.log_snapshots(path, lambda _: None):
            views = [v for k, v in snap.views.items() if k in ("L1", "L1_SMALL")]
            if views:
                l1 = sum(v.allocated_per_bank or 0 for v in views)
                if best is None or l1 > best[0]:
                    best = (l1, snap, max(v.approx_bytes for v in views) * len(views))
        if best is None or not best[0]:
            return None
        l1, snap, approx = best
        return l1, "L1 + L1_SMALL buffers per bank", snap.name, snap.line or 1, approx
    from .memory import memory_for_file

    rep = memory_for_file(path)
    per_core = rep.peaks_per_core
    if rep.source == "graph-capture" and per_core is not None and per_core.total_bytes:
        peak, what, at = per_core.total_bytes, "CBs + L1 buffers on the busiest core", per_core.at_op
    elif rep.peaks.l1_bytes:
        peak, what, at = rep.peaks.l1_bytes, "L1 + L1_SMALL buffers per bank", rep.peaks.at_op
        if rep.source == "graph-capture":
            what = "L1 buffers per bank"
    else:
        return None
    op = next((o for o in rep.ops if o.index == at), None)
    return peak, what, op.name if op is not None else "?", 1, (op.approx_bytes if op is not None else 0)


def recorded_l1_failures(path: str, opts: GateOptions) -> list[dict]:
    """An ``l1-budget`` failure when the recorded L1 peak (``opts.memory``, else the MemoryView lines of the
    log at ``path``) is above ``max_l1_fraction`` x the arch's L1 size (bytes)."""
    from .arch import get_arch

    if opts.memory:
        if opts.memory not in _RECORDS:
            _RECORDS[opts.memory] = _recorded_peak(opts.memory, False)
        found, source = _RECORDS[opts.memory], f"memory record {opts.memory}"
    else:
        found, source = _recorded_peak(path, True), "MemoryView lines of the log"
    if found is None:
        return []
    peak, what, op_name, line, approx = found
    arch = get_arch(opts.arch)
    size, budget = arch.l1_size, opts.max_l1_fraction
    if budget is None or peak <= budget * size:
        return []
    message = (f"recorded L1 peak {peak:,} B ({what}) at {op_name} = {peak / size:.1%} of the {size:,} B "
               f"{arch.name} L1, over the budget of {budget:.1%} (from the {source})")
    figures = {"source": source, "recorded_peak_bytes": peak, "counts": what, "l1_size_bytes": size,
               "fraction_of_l1": round(peak / size, 6), "max_l1_fraction": budget, "at_op": op_name}
    if approx:
        figures["approx_bytes"] = approx  # MemoryView's MB with 3 decimals: within this many bytes
    op = {"id": None, "name": op_name, "program": None, "line": line, "loc": None}
    return [_failure("l1-budget", "error", message, line, op, figures)]


def gate_log(item: LogInput, opts: GateOptions) -> dict:
    """Triage one log (and check its budgets). Never raises: an unreadable or unanalysable input is a
    log with ``error`` set."""
    from ..parse.log import read_log
    from .arch import get_arch
    from .triage import triage_trace

    start = time.perf_counter()
    result = {"path": item.display, "status": None, "error": None, "failures": [], "warnings": [], "seconds": 0.0}
    try:
        report = triage_trace(read_log(item.path), get_arch(opts.arch))
        result["failures"] = _triage_failures(report)
        result["warnings"] = list(report.warnings[:MAX_WARNINGS])
        if opts.max_l1_fraction is not None and (opts.memory or report.trace.memory_lines):
            result["failures"].extend(recorded_l1_failures(item.path, opts))
        if opts.budgets:
            extra, warnings = budget_failures(item.path, opts)
            result["failures"].extend(extra)
            result["warnings"].extend(warnings[:MAX_WARNINGS])
    except InputError as e:
        result["error"] = str(e)
    except Exception as e:  # noqa: BLE001 - one bad log must not stop the gate over thousands
        result["error"] = f"{item.display}: {e.__class__.__name__}: {e}"
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def gate_batch(items: list[LogInput], opts: GateOptions) -> list[dict]:
    """:func:`gate_log` over a batch (one task of the process pool: small logs take ~1 ms each, so one
    task per log would spend more time in inter-process traffic than in triage)."""
    return [gate_log(item, opts) for item in items]


def _worker_failed(item: LogInput, e: BaseException) -> dict:
    return {"path": item.display, "status": None, "failures": [], "warnings": [], "seconds": 0.0,
            "error": f"{item.display}: worker failed: {e.__class__.__name__}: {e}"}


def run_logs(items: list[LogInput], opts: GateOptions, jobs: int,
             on_start: Callable[[], None] | None = None, on_done: Callable[[int], None] | None = None) -> list[dict]:
    """Gate every log, in input order. ``jobs`` > 1 and more than one log: a process pool
    (ProcessPoolExecutor) over batches of at most 16 logs; otherwise a plain loop. ``on_start`` runs once
    the workers exist (start a progress display there, after the fork); ``on_done(n)`` after n more logs."""
    if jobs <= 1 or len(items) <= 1:
        if on_start:
            on_start()
        out = []
        for item in items:
            out.append(gate_log(item, opts))
            if on_done:
                on_done(1)
        return out
    workers = min(jobs, len(items))
    size = max(1, min(16, len(items) // (workers * 4)))
    batches = [(i, items[i:i + size]) for i in range(0, len(items), size)]
    results: list[dict | None] = [None] * len(items)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(gate_batch, batch, opts): (start, batch) for start, batch in batches}
        if on_start:
            on_start()
        for fut in as_completed(futures):
            start, batch = futures[fut]
            try:
                done = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died (BrokenProcessPool)
                done = [_worker_failed(item, e) for item in batch]
            results[start:start + len(batch)] = done
            if on_done:
                on_done(len(batch))
    return results  # type: ignore[return-value]


# -- the verdict -----------------------------------------------------------------------------------
@dataclass(slots=True)
class GateResult:
    """All logs after :func:`evaluate`, with the settings that decided them."""

    logs: list[dict]
    fail_on: str
    options: GateOptions = field(default_factory=GateOptions)
    baseline: str | None = None

    def failures(self) -> Iterator[tuple[dict, dict]]:
        """(log, failure) pairs in input order."""
        for log in self.logs:
            for f in log["failures"]:
                yield log, f

    @property
    def summary(self) -> dict:
        """Counts: ``logs``, ``passed``, ``warnings`` (logs passed with a warning), ``failed``, ``errors``
        (unreadable logs), ``failures`` (not suppressed, any severity), ``suppressed``, ``gating`` (not
        suppressed, at or above ``--fail-on``)."""
        statuses = [log["status"] for log in self.logs]
        fs = [f for _, f in self.failures()]
        return {"logs": len(self.logs), "passed": statuses.count("passed"), "warnings": statuses.count("warning"),
                "failed": statuses.count("failed"), "errors": statuses.count("error"), "failures": sum(not f["suppressed"] for f in fs),
                "suppressed": sum(f["suppressed"] for f in fs), "gating": sum(f["gating"] for f in fs)}

    def budget_violations(self) -> list[dict]:
        return [{"path": log["path"], "kind": f["kind"], "line": f["line"], "op": f["op"], "message": f["message"],
                 "figures": f["figures"], "fingerprint": f["fingerprint"], "suppressed": f["suppressed"]}
                for log, f in self.failures() if f["kind"] in BUDGET_KINDS]

    @property
    def exit_code(self) -> int:
        """2 when a log could not be read or analysed, else 1 when a failure gates, else 0."""
        s = self.summary
        return 2 if s["errors"] else 1 if s["failed"] else 0


def is_gating(severity: str, fail_on: str) -> bool:
    return SEVERITY_RANK.get(severity, 2) >= SEVERITY_RANK[fail_on]


def evaluate(logs: list[dict], fail_on: str, baseline: set[str] | None = None,
             options: GateOptions | None = None, baseline_path: str | None = None) -> GateResult:
    """Mark failures ``suppressed`` (fingerprint in the baseline) and ``gating`` (not suppressed, severity
    at or above ``fail_on``), and set each log's status: ``error`` (unreadable), ``failed`` (a gating
    failure), ``warning`` (a failure below ``fail_on``, not suppressed: e.g. a truncated or empty log,
    a run that never finished) or ``passed``."""
    baseline = baseline or set()
    for log in logs:
        for f in log["failures"]:
            f["suppressed"] = f["fingerprint"] in baseline
            f["gating"] = not f["suppressed"] and is_gating(f["severity"], fail_on)
        log["status"] = ("error" if log["error"] else
                         "failed" if any(f["gating"] for f in log["failures"]) else
                         "warning" if any(not f["suppressed"] for f in log["failures"]) else "passed")
    return GateResult(logs, fail_on, options or GateOptions(), baseline_path)
