"""``ttdiag memory``: per-op L1 accounting of a graph capture, a ttrt memory report, a TT-NN report
database or a runtime log's MemoryView lines.

Graph captures are accounted exactly as tt-metal's ``extract_resource_usage_per_core``
(``ttnn/core/graph/graph_trace_utils.cpp``, rules restated in tt-metal
``tests/ttnn/unit_tests/base_functionality/graph_l1_traces/README.md`` @ 8458ac2a, §3 and §10):

* ``circular_buffer_allocate`` adds its ``size`` (bytes per core) to the CB total unless
  ``globally_allocated == "1"`` (a tensor-backed CB: its bytes are the tensor's, already in L1);
  ``dataflow_buffer_allocate`` (unless ``borrows_memory == "1"``) and ``scratchpad_allocate`` have
  totals of their own;
* ``circular_buffer_deallocate_all`` (the start of every device program) zeroes CB, DFB and scratchpad;
* ``buffer_allocate`` / ``buffer_deallocate`` add / subtract ``max_size_per_bank`` to the L1 total
  when the node's ``type`` is not ``DRAM`` (so L1_SMALL, which reports type ``L1``, is counted);
* ``peak_cb``, ``peak_l1``, ``peak_total`` are the high-water marks of CB, L1 and CB + DFB +
  scratchpad + L1 — the **flat** accounting, which sums CBs whatever their ``core_range_set``.

Per core (tt-metal PR #56091, "graph: fix per-core L1 peak over-count across disjoint core ranges"):
program-scope L1 (CB + DFB + scratchpad) is tracked per core through each allocation's
``core_range_set`` and the busiest core taken; L1 buffers are a base resident on every core
(the allocator is lockstep across banks), so ``peaks_per_core.l1_bytes`` equals the flat one.

Two departures from tt-metal, each reported as a warning: a deallocation whose allocation was
before the capture window does not wrap the running L1 total below zero (tt-metal's ``size_t``
underflows, README §9 item 11); 2024 captures have no ``max_size_per_bank``, so their L1 figures
are whole-buffer bytes and no total is formed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..io import InputError
from ..parse import memory_records as mr

MAX_WARNINGS = 50


@dataclass(slots=True)
class CBRecord:
    node: int
    kind: str  # "cb", "dfb", "scratchpad"
    bytes_per_core: int
    core_ranges: str | None
    cores: int | None  # how many cores the range set covers
    tensor_backed: bool  # globally_allocated (CB) / borrows_memory (DFB): not counted
    address: int | None


@dataclass(slots=True)
class BufferEvent:
    node: int
    allocate: bool
    buffer_type: str  # DRAM, L1, L1_SMALL, TRACE, SYSTEM_MEMORY
    bytes_per_bank: int | None
    size: int | None  # the whole buffer
    counted: bool  # in the L1 total (type != DRAM)
    num_cores: int | None
    layout: str | None
    address: int | None
    frame: str  # the innermost function it happened in


@dataclass(slots=True)
class ProgramMem:
    """One device program: the CBs between a ``circular_buffer_deallocate_all`` and the next."""

    name: str
    node: int
    cbs: list[CBRecord] = field(default_factory=list)
    cb_bytes: int = 0  # flat: non-tensor-backed CB + DFB + scratchpad bytes per core
    cb_bytes_per_core: int = 0  # the busiest core's


@dataclass(slots=True)
class Totals:
    cb: int = 0
    dfb: int = 0
    scratchpad: int = 0
    l1: int = 0

    @property
    def program(self) -> int:
        return self.cb + self.dfb + self.scratchpad

    @property
    def total(self) -> int:
        return self.cb + self.dfb + self.scratchpad + self.l1


@dataclass(slots=True)
class Peaks:
    cb_bytes: int | None = None
    l1_bytes: int | None = None
    total_bytes: int | None = None
    dataflow_buffer_bytes: int | None = None
    scratchpad_bytes: int | None = None
    at_op: int | None = None  # index of the op holding the total (else L1) peak
    at_node: int | None = None

    def as_dict(self) -> dict:
        d = {"cb_bytes": self.cb_bytes, "l1_bytes": self.l1_bytes, "total_bytes": self.total_bytes}
        if self.dataflow_buffer_bytes is not None:
            d["dataflow_buffer_bytes"] = self.dataflow_buffer_bytes
            d["scratchpad_bytes"] = self.scratchpad_bytes
        d["at_op"] = self.at_op
        if self.at_node is not None:
            d["at_node"] = self.at_node
        return d


@dataclass(slots=True)
class OpMem:
    """One top-level op (outermost ``function_start`` … ``function_end``), or one snapshot."""

    index: int
    name: str
    node: int | None = None
    operation_id: int | None = None
    programs: list[ProgramMem] = field(default_factory=list)
    buffers: list[BufferEvent] = field(default_factory=list)
    # running totals after the op (flat), and the op's own high-water marks
    cb_bytes: int = 0
    l1_bytes: int = 0
    total_bytes: int = 0
    peak_cb: int = 0
    peak_l1: int = 0
    peak_total: int = 0
    peak_at: tuple[int, int] | None = None  # (CB + DFB + scratchpad, L1) when the op's total peaked
    peak_core_program: int = 0  # busiest core's CB + DFB + scratchpad inside the op
    n_programs: int = 0  # kept when the records are dropped (see TopOps)
    n_cbs: int = 0
    peak_core_total: int = 0
    # allocator views (ttrt report, runtime log, report DB buffers): bytes per bank by memory kind
    per_bank: dict[str, int] = field(default_factory=dict)
    bank_size: dict[str, int] = field(default_factory=dict)
    approx_bytes: int = 0
    when: str | None = None
    loc: str | None = None


@dataclass(slots=True)
class MemoryReport:
    path: str
    source: str  # graph-capture, ttrt-memory, report-db, runtime-log
    detail: str  # generation / schema
    ops: list[OpMem]
    peaks: Peaks
    peaks_per_core: Peaks | None
    warnings: list[str]
    nodes: int = 0
    complete: bool = True
    l1_basis: str = "per bank"  # or "whole buffer" (2024 captures)
    peaks_by_kind: dict[str, int] = field(default_factory=dict)  # allocator views: peak per bank by kind
    devices: list[dict] = field(default_factory=list)
    op_count: int | None = None  # ops in the input when ``ops`` holds fewer (streamed / kept figures only)

    @property
    def n_ops(self) -> int:
        return self.op_count if self.op_count is not None else len(self.ops)


class _Warnings:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.dropped = 0

    def __call__(self, msg: str) -> None:
        if len(self.items) < MAX_WARNINGS:
            self.items.append(msg)
        else:
            self.dropped += 1

    def final(self) -> list[str]:
        return self.items + ([f"{self.dropped} more warning(s) not listed"] if self.dropped else [])


# ----------------------------------------------------------------------------- graph accounting


class GraphAccountant:
    """Consumes normalised graph-capture records (``parse.memory_records.graph_records``), in order,
    and keeps the flat and per-core running totals and high-water marks, op by op."""

    def __init__(self, warn, whole_buffer_l1: bool = False, sink=None, retain=None) -> None:
        """``sink(op)`` is called with every finished op (one op late: an op is handed on when the next one
        opens, or at :meth:`finish`); ``retain(op)`` likewise, and then ``ops`` is left empty for it to
        fill. With neither, ``ops`` holds every op with all its records."""
        self.warn = warn
        self.sink = sink
        self.retain = retain
        self.count = 0
        self.pending: OpMem | None = None
        self.core_peak_op: OpMem | None = None
        self.whole = whole_buffer_l1
        self.t = Totals()
        self.peak = Peaks(0, 0, 0, 0, 0)
        self.core = Peaks(0, 0, 0, 0, 0)
        self.ops: list[OpMem] = []
        self.stack: list[str] = []
        self.op: OpMem | None = None
        self.program: ProgramMem | None = None
        self.outside: OpMem | None = None
        # per core: range text -> bytes (non-tensor-backed program-scope bytes per core)
        self.by_range: dict[str | None, int] = {}
        self.core_program = 0  # busiest core's program-scope bytes now
        self._cores: dict[str | None, frozenset | None] = {}
        self.underflows = 0
        self.op_offset = 0  # report DB: ops numbered on from earlier graphs

    # -- ops

    def _open(self, name: str, node: int) -> OpMem:
        if self.pending is not None and self.pending is self.outside:
            self._close_op(self.outside)
        self._flush()
        op = OpMem(self.count, name, node)
        self.count += 1
        op.cb_bytes, op.l1_bytes, op.total_bytes = self.t.program, self.t.l1, self.t.total
        if self.retain is None:
            self.ops.append(op)
        self.pending = op
        return op

    def _flush(self) -> None:
        op = self.pending
        if op is None:
            return
        self.pending = None
        op.n_programs = len(op.programs)
        op.n_cbs = sum(len(p.cbs) for p in op.programs)
        if self.sink is not None:
            self.sink(op)
        if self.retain is not None:
            self.retain(op)

    def _current(self, node: int) -> OpMem:
        if self.op is not None:
            return self.op
        # a record outside any function: one "(outside ops)" entry per run of such records
        if self.outside is None or self.pending is not self.outside:
            self.outside = self._open("(outside any op)", node)
        return self.outside

    def _close_op(self, op: OpMem) -> None:
        op.cb_bytes, op.l1_bytes, op.total_bytes = self.t.program, self.t.l1, self.t.total

    # -- totals

    def _cores_of(self, text: str | None) -> frozenset | None:
        if text in self._cores:
            return self._cores[text]
        ranges = mr.parse_core_ranges(text)
        cores = mr.cores_of(ranges) if ranges else None
        if cores is None and text is not None:
            self.warn(f"core range set {text!r} unreadable: its CBs count on every core")
        self._cores[text] = cores
        return cores

    def _per_core_now(self) -> int:
        if len(self.by_range) <= 1:
            return next(iter(self.by_range.values()), 0)
        everywhere = 0
        per: dict = {}
        for text, b in self.by_range.items():
            cores = self._cores_of(text)
            if cores is None:
                everywhere += b
                continue
            for c in cores:
                per[c] = per.get(c, 0) + b
        return everywhere + (max(per.values()) if per else 0)

    def _peaks(self, op: OpMem, node: int) -> None:
        t = self.t
        p = self.peak
        prog = t.cb + t.dfb + t.scratchpad
        total = prog + t.l1
        if t.cb > p.cb_bytes:
            p.cb_bytes = t.cb
        if t.dfb > p.dataflow_buffer_bytes:
            p.dataflow_buffer_bytes = t.dfb
        if t.scratchpad > p.scratchpad_bytes:
            p.scratchpad_bytes = t.scratchpad
        if t.l1 > p.l1_bytes:
            p.l1_bytes = t.l1
            if self.whole:
                p.at_op, p.at_node = op.index, node
        if total > p.total_bytes:
            p.total_bytes = total
            if not self.whole:
                p.at_op, p.at_node = op.index, node
        if t.cb > op.peak_cb:
            op.peak_cb = t.cb
        if t.l1 > op.peak_l1:
            op.peak_l1 = t.l1
        if total > op.peak_total or op.peak_at is None:
            op.peak_total = total
            op.peak_at = (prog, t.l1)
        core_total = self.core_program + t.l1
        c = self.core
        if self.core_program > c.cb_bytes:
            c.cb_bytes = self.core_program
        if t.l1 > c.l1_bytes:
            c.l1_bytes = t.l1
        if core_total > c.total_bytes:
            c.total_bytes, c.at_op, c.at_node = core_total, op.index, node
            self.core_peak_op = op
        if self.core_program > op.peak_core_program:
            op.peak_core_program = self.core_program
        if core_total > op.peak_core_total:
            op.peak_core_total = core_total

    # -- records

    def feed(self, rec: tuple) -> None:
        kind = rec[0]
        if kind == "cb":
            _, node, k, size, crs, backed, address = rec
            op = self._current(node)
            prog = self.program
            if prog is None or prog.name is None:
                prog = self.program = ProgramMem(self.stack[-1] if self.stack else "(no program start)", node)
                op.programs.append(prog)
            elif not op.programs or op.programs[-1] is not prog:
                op.programs.append(prog)  # the same program's CBs seen from a later op (not expected)
            cores = self._cores_of(crs)
            prog.cbs.append(CBRecord(node, k, size, crs, None if cores is None else len(cores), backed, address))
            if backed:
                return
            t = self.t
            if k == "cb":
                t.cb += size
            elif k == "dfb":
                t.dfb += size
            else:
                t.scratchpad += size
            prog.cb_bytes += size
            self.by_range[crs] = self.by_range.get(crs, 0) + size
            self.core_program = self._per_core_now()
            if self.core_program > prog.cb_bytes_per_core:
                prog.cb_bytes_per_core = self.core_program
            self._peaks(op, node)
        elif kind == "buf":
            _, node, is_alloc, btype, per_bank, size, counted, num_cores, layout, address = rec
            op = self._current(node)
            op.buffers.append(BufferEvent(node, is_alloc, btype, per_bank, size, counted, num_cores, layout,
                                          address, self.stack[-1] if self.stack else "(top level)"))
            amount = (size if self.whole else per_bank) or 0
            if per_bank is None and not self.whole:
                self.warn(f"node {node}: {btype} buffer without max_size_per_bank: not counted")
                return
            if not counted:
                return
            if is_alloc:
                self.t.l1 += amount
                self._peaks(op, node)
            else:
                if amount > self.t.l1:
                    self.underflows += 1
                    if self.underflows <= 5:
                        self.warn(f"node {node}: frees {amount:,} B/bank of {btype} allocated before the capture "
                                  f"window (only {self.t.l1:,} B counted): the L1 total stops at 0 (tt-metal's "
                                  f"counter wraps)")
                    self.t.l1 = 0
                else:
                    self.t.l1 -= amount
        elif kind == "reset":
            node = rec[1]
            t = self.t
            t.cb = t.dfb = t.scratchpad = 0
            self.by_range.clear()
            self.core_program = 0
            op = self._current(node)
            self.program = ProgramMem(self.stack[-1] if self.stack else "(no function)", node)
            op.programs.append(self.program)
        elif kind == "fs":
            _, node, name = rec
            if not self.stack:
                self.op = self._open(name, node)
            self.stack.append(name)
        elif kind == "fe":
            _, node, name = rec
            if not self.stack:
                self.warn(f"node {node}: function_end {name!r} without a function_start")
                return
            self.stack.pop()
            if not self.stack and self.op is not None:
                self._close_op(self.op)
                self.op = None

    def finish(self) -> None:
        if self.stack:
            self.warn(f"the capture ends inside {self.stack[-1]!r} ({len(self.stack)} function(s) still open)")
            if self.op is not None:
                self._close_op(self.op)
        if self.outside is not None and self.pending is self.outside:
            self._close_op(self.outside)
        self._flush()
        if self.underflows > 5:
            self.warn(f"{self.underflows} deallocations of buffers allocated before the capture window in all")


_NO_PROGRAMS: list = []
_NO_BUFFERS: list = []
_NO_FIGURES: dict = {}


class TopOps:
    """A ``retain`` policy for :class:`GraphAccountant`: the CB and buffer records of only the ``top`` ops with
    the highest flat peak total (and of the per-core peak's op), and every op's figures only when ``keep_all``
    (the plot draws every op): what the text report shows, in memory that does not grow with a long capture."""

    def __init__(self, top: int, keep_all: bool = True) -> None:
        import heapq

        self.top = max(1, top)
        self.keep_all = keep_all
        self._ops: dict[int, OpMem] = {}
        self.heap: list[tuple[int, int, int]] = []
        self.kept: set[int] = set()
        self.acct: GraphAccountant | None = None
        self._push, self._pop = heapq.heappush, heapq.heappop
        self._core: OpMem | None = None

    @property
    def ops(self) -> list[OpMem]:
        return sorted(self._ops.values(), key=lambda o: o.index)

    def _strip(self, op: OpMem) -> None:
        if not self.keep_all:
            self._ops.pop(op.index, None)
            return
        # shared empties: a stripped graph op is never added to again
        op.programs = _NO_PROGRAMS
        op.buffers = _NO_BUFFERS
        op.per_bank = op.bank_size = _NO_FIGURES

    def __call__(self, op: OpMem) -> None:
        self._ops[op.index] = op
        self._push(self.heap, (op.peak_total, op.peak_l1, -op.index))
        self.kept.add(op.index)
        if len(self.heap) > self.top:
            _, _, neg = self._pop(self.heap)
            self.kept.discard(-neg)
            old = self._ops.get(-neg)
            if old is not None and (self.acct is None or old is not self.acct.core_peak_op):
                self._strip(old)
        core = self.acct.core_peak_op if self.acct is not None else None
        if self._core is not None and core is not self._core and self._core.index not in self.kept:
            self._strip(self._core)
        self._core = core


def graph_run(path: str, sink=None, top: int | None = None, flush_every: int = 256,
              keep_all: bool = True) -> Iterator[None]:
    """Account a graph capture. A generator: it yields (nothing) now and then so that a caller can write
    what ``sink`` received while the file is still being read; its return value is the report.
    ``top``: keep the records of only that many ops (:class:`TopOps`); ``sink`` set and ``top`` None:
    keep no op at all; ``keep_all`` False with ``top``: keep only those ops (flat memory; no plot)."""
    from ..gc_pause import paused_gc

    warn = _Warnings()
    state = mr.StreamState()
    stats = mr.GraphStats()
    retain = TopOps(top, keep_all) if top is not None else None
    with mr.open_input(path) as f, paused_gc():
        records = mr.graph_records(mr.iter_json_array(f, state), stats, warn)
        first = next(records, None)
        acct = GraphAccountant(warn, whole_buffer_l1=stats.generation == "2024", sink=sink,
                               retain=retain if retain is not None else (_drop if sink is not None else None))
        if isinstance(retain, TopOps):
            retain.acct = acct
        if first is not None:
            acct.feed(first)
        feed = acct.feed
        n = 0
        for rec in records:
            feed(rec)
            n += 1
            if n >= flush_every:
                n = 0
                yield
        acct.finish()
    if state.error:
        if not stats.nodes:
            raise InputError(f"{path}: {state.error}")
        warn(f"{state.error}: the figures cover the {stats.nodes:,} nodes read")
    if stats.nodes and not any(k in stats.node_types for k in ("function_start", "buffer_allocate",
                                                               "circular_buffer_allocate", "capture_start")):
        raise InputError(f"{path}: a JSON array, but no graph-capture node (node_type) in it")
    whole = stats.generation == "2024"
    peaks = acct.peak
    per_core = acct.core
    if whole:
        warn("2024 capture: buffer records have no max_size_per_bank, so L1 figures are whole-buffer bytes "
             "(all banks) and no CB + L1 total is formed")
        peaks.total_bytes = None
        per_core.total_bytes = None
        per_core.at_op = peaks.at_op
    ops = retain.ops if isinstance(retain, TopOps) else acct.ops
    report = MemoryReport(path, "graph-capture", stats.generation or "unknown", ops, peaks, per_core,
                          warn.final(), stats.nodes, state.complete and not state.error,
                          "whole buffer" if whole else "per bank")
    report.op_count = acct.count
    return report


def _drop(op: OpMem) -> None:
    """``retain`` when every op goes to a sink: keep nothing."""


def memory_for_graph(path: str, top: int | None = None) -> MemoryReport:
    return _drain(graph_run(path, top=top))


def _drain(gen):
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


# ----------------------------------------------------------------------------- allocator views


def _snapshot_report(path: str, source: str, detail: str, snaps: list[mr.Snapshot], warn: _Warnings) -> MemoryReport:
    ops: list[OpMem] = []
    by_kind: dict[str, int] = {}
    peak = Peaks()
    best = -1
    for s in snaps:
        op = OpMem(s.index, s.name, when=s.when, loc=s.loc)
        for kind, v in s.views.items():
            if v.allocated_per_bank is not None:
                op.per_bank[kind] = v.allocated_per_bank
                by_kind[kind] = max(by_kind.get(kind, 0), v.allocated_per_bank)
            if v.bytes_per_bank is not None:
                op.bank_size[kind] = v.bytes_per_bank
            op.approx_bytes = max(op.approx_bytes, v.approx_bytes)
        l1 = op.per_bank.get("L1", 0) + op.per_bank.get("L1_SMALL", 0)
        op.l1_bytes = op.peak_l1 = l1
        if l1 > best:
            best, peak.l1_bytes, peak.at_op = l1, l1, op.index
        ops.append(op)
    if not ops:
        raise InputError(f"{path}: no memory records found")
    return MemoryReport(path, source, detail, ops, peak, None, warn.final(), peaks_by_kind=by_kind)


def memory_for_ttrt(path: str) -> MemoryReport:
    warn = _Warnings()
    snaps = mr.ttrt_snapshots(path, warn)
    return _snapshot_report(path, "ttrt-memory", "memory_report.json", snaps, warn)


def memory_for_log(path: str) -> MemoryReport:
    warn = _Warnings()
    snaps = mr.log_snapshots(path, warn)
    if not snaps:
        raise InputError(f"{path}: no memory records found (no 'Device ... memory state: MemoryView{{...}}' "
                         f"line, no graph capture, ttrt memory report or report database)")
    warn("MemoryView figures are MB with 3 decimals: each is within 512 B/bank of the allocator's")
    return _snapshot_report(path, "runtime-log", "MemoryView lines", snaps, warn)


def memory_for_db(path: str) -> MemoryReport:
    warn = _Warnings()
    db = mr.read_report_db(path, warn)
    names = dict(db.operations)
    acct = GraphAccountant(warn)
    nodes = 0
    graphs_by_op: dict[int, int] = {}
    for oid, text in db.graphs:
        state = mr.StreamState()
        import io

        stream = io.BytesIO(text.encode("utf-8"))
        stats = mr.GraphStats()
        before = len(acct.ops)
        for rec in mr.graph_records(mr.iter_json_array(stream, state), stats, warn):
            acct.feed(rec)
        if state.error:
            warn(f"operation {oid}: captured graph: {state.error}")
        if acct.stack:
            acct.warn(f"operation {oid}: captured graph ends inside {acct.stack[-1]!r}")
            acct.stack.clear()
            acct.op = None
        nodes += stats.nodes
        for op in acct.ops[before:]:
            op.operation_id = oid
        graphs_by_op[oid] = before
    acct._flush()
    ops: list[OpMem]
    if db.graphs:
        ops = acct.ops
        peaks, per_core = acct.peak, acct.core
    else:
        ops, peaks, per_core = [], Peaks(), None
        if db.operations:
            warn("the report has no captured graphs (enable_graph_report off): CB figures unknown; L1 from the "
                 "buffers table")
    # allocator view per operation: the buffers the report lists for it (bytes per bank)
    by_kind: dict[str, int] = {}
    if db.buffers:
        per_op = {}
        for oid, kinds in db.buffers.items():
            for k, v in kinds.items():
                by_kind[k] = max(by_kind.get(k, 0), v)
            per_op[oid] = kinds
        if ops:
            last_for: dict[int, OpMem] = {}
            for op in ops:
                if op.operation_id is not None:
                    last_for[op.operation_id] = op
            for oid, op in last_for.items():
                if oid in per_op:
                    op.per_bank = dict(per_op[oid])
        else:
            best = -1
            for oid in sorted(set(per_op) | set(names)):
                op = OpMem(len(ops), names.get(oid, f"operation {oid}"), operation_id=oid, when="after")
                op.per_bank = dict(per_op.get(oid, {}))
                op.l1_bytes = op.peak_l1 = op.per_bank.get("L1", 0) + op.per_bank.get("L1_SMALL", 0)
                if op.l1_bytes > best:
                    best, peaks.l1_bytes, peaks.at_op = op.l1_bytes, op.l1_bytes, op.index
                ops.append(op)
    for op in ops:
        if op.operation_id is not None and op.operation_id in names and op.name.startswith("("):
            op.name = names[op.operation_id]
    if not ops:
        warn("the report holds no operations" if not db.operations else "no buffers or captured graphs in the report")
    return MemoryReport(path, "report-db", f"schema {db.schema}", ops, peaks, per_core, warn.final(), nodes,
                        peaks_by_kind=by_kind, devices=db.devices)


# ----------------------------------------------------------------------------- entry point


def memory_run(path: str, sink=None, top: int | None = None, keep_all: bool = True):
    """Read ``path`` (``-``: stdin) by content and account its memory records: a generator (see
    :func:`graph_run`) whose return value is the :class:`MemoryReport`. ``sink`` receives every op of
    a graph capture as it is finished (then the report keeps none); other inputs are small and their ops
    are in the report.

    Raises:
        InputError: unreadable input, or no memory records in it.
    """
    tmp = None
    if path == "-":
        fd, tmp = tempfile.mkstemp(prefix="ttdiag-memory-")
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        real = tmp
    else:
        real = path
    try:
        kind = mr.sniff(real)
        if kind == "report-db":
            report = memory_for_db(real)
        elif kind == "graph-capture":
            report = yield from graph_run(real, sink=sink, top=top, keep_all=keep_all)
        elif kind == "ttrt-memory":
            report = memory_for_ttrt(real)
        elif kind.startswith("runtime-log"):
            report = memory_for_log(real)
        else:
            raise InputError(f"{path}: not a graph capture, ttrt memory report, report database or runtime log")
        report.path = path
        return report
    finally:
        if tmp:
            os.unlink(tmp)


def memory_for_file(path: str, top: int | None = None, keep_all: bool = True) -> MemoryReport:
    """:func:`memory_run` to the end; ``top``: keep the CB and buffer records of only that many ops (and, with
    ``keep_all`` False, only those ops of a graph capture: the report's ``op_count`` still counts every op)."""
    return _drain(memory_run(path, top=top, keep_all=keep_all))
