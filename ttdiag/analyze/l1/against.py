"""``ttdiag l1 FILE --against CAPTURE``: the L1 model checked against a record of a real run.

A graph capture (``ttnn.graph.end_graph_capture()`` JSON) or a TT-NN report ``db.sqlite`` (its per-op
``captured_graph``s) records every device program's circular buffers: one ``circular_buffer_allocate`` per
CB, with its ``size`` in bytes per core, its ``core_range_set`` and whether it is tensor-backed
(``globally_allocated``). It records no CB index and no SSA id, so:

* **ops** are lined up by name and order: a captured op is an outermost ``function_start`` ... ``function_end``
  (``ttnn.conv2d`` / ``ttnn::conv2d``; a report database's operations likewise); names are compared
  without their namespace (``ttnn.``, ``ttnn::``, ``Tensor::``) and a device operation's name without
  ``DeviceOperation`` (``Conv2dDeviceOperation`` -> ``conv2d``). The two sequences are aligned in order
  (the common head and tail, then the longest matching runs, :func:`align`); only ops predicted to run
  a device program take part, so a captured program of an op predicted to run none is listed. Where the
  capture records the op's output shape it is compared with the IR result's (leading 1s aside) and a
  pair whose shapes differ is never validated. What is left on either side is listed.
* the **device program** compared is, among the captured op's programs, the one whose device operation is
  the op's or the modelled factory's (``Conv2dDeviceOperation`` for ``ttnn.conv2d``; ``BinaryNg...`` for a
  ``BinaryNgDeviceOperation::ProgramFactory`` model), else the op's only program with CBs; when neither
  settles it the pair is listed as not compared.
* **CBs** are paired within their class (static / tensor-backed): equal sizes first, in creation order on
  both sides, then the rest by size order. Per core: the model's core group with the largest static total
  against the capture's busiest core (its CBs are those whose core ranges hold it).

Agreement — the static (not tensor-backed) per-core total equal and the static CB sizes equal as a
multiset — sets the op's ``validated`` and ``validated_by``. Tensor-backed CBs take no static L1 (their
bytes are a tensor's), so they are compared and reported, but a difference there does not block it.
"""

from __future__ import annotations

import difflib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ...io import InputError
from ...parse import memory_records as mr
from .model import CB, L1Context, OpL1


@dataclass(slots=True)
class RecordedCB:
    node: int
    kind: str  # "cb", "dfb", "scratchpad"
    bytes: int
    tensor_backed: bool
    core_ranges: str | None


@dataclass(slots=True)
class RecordedProgram:
    """One device program: the CBs after a ``circular_buffer_deallocate_all`` (``node``), inside the device
    operation ``name`` (the innermost open function), with its ``program_factory_type`` when recorded."""

    name: str
    node: int
    factory: str | None = None
    cbs: list[RecordedCB] = field(default_factory=list)


@dataclass(slots=True)
class RecordedOp:
    index: int
    name: str
    node: int | None
    output_shape: tuple[int, ...] | None = None
    operation_id: int | None = None
    programs: list[RecordedProgram] = field(default_factory=list)


@dataclass(slots=True)
class Records:
    path: str
    kind: str  # "graph capture" / "report database"
    ops: list[RecordedOp]
    warnings: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading


def _group(records, detail: mr.GraphDetail, start: int, operation_id: int | None = None) -> list[RecordedOp]:
    """Outermost functions with the device programs (and their CBs) run inside them."""
    ops: list[RecordedOp] = []
    depth = 0
    cur: RecordedOp | None = None
    prog: RecordedProgram | None = None
    for rec in records:
        kind = rec[0]
        if kind == "fs":
            if depth == 0:
                cur = RecordedOp(start + len(ops), rec[2], rec[1], operation_id=operation_id)
                ops.append(cur)
                prog = None
            depth += 1
        elif kind == "fe":
            if depth:
                depth -= 1
            if depth == 0:
                cur, prog = None, None
        elif kind == "reset":
            if cur is None:
                cur = RecordedOp(start + len(ops), "(outside any op)", rec[1], operation_id=operation_id)
                ops.append(cur)
            stack = detail.programs.get(rec[1], ())
            name, factory = detail.functions.get(stack[-1] if stack else -1, ("(no function)", None))
            prog = RecordedProgram(name, rec[1], factory)
            cur.programs.append(prog)
        elif kind == "cb":
            _, node, k, size, crs, backed, _address = rec
            if cur is None:
                cur = RecordedOp(start + len(ops), "(outside any op)", node, operation_id=operation_id)
                ops.append(cur)
            if prog is None:
                prog = RecordedProgram("(no program start)", node)
                cur.programs.append(prog)
            prog.cbs.append(RecordedCB(node, k, size, backed, crs))
    for op in ops:
        # the op's output: its end's tensor, else (a top-level end connects to the next call) the output of the
        # device operation that ran its last program
        shape = detail.output_shape(op.node) if op.node is not None and op.node in detail.functions else None
        if shape is None and op.programs:
            stack = detail.programs.get(op.programs[-1].node, ())
            shape = detail.output_shape(stack[-1]) if stack else None
        op.output_shape = shape
    return ops


def read_records(path: str) -> Records:
    """The device programs of a graph capture or of a report database's captured graphs.

    Raises:
        InputError: unreadable, or an input with no CB records (a ttrt memory report, a runtime log, a
        report database without captured graphs).
    """
    if path == "-":
        raise InputError("--against reads a file, not stdin")
    warnings: list[str] = []
    kind = mr.sniff(path)
    if kind == "graph-capture":
        state, stats, detail = mr.StreamState(), mr.GraphStats(), mr.GraphDetail()
        with mr.open_input(path) as f:
            ops = _group(mr.graph_records(mr.iter_json_array(f, state), stats, warnings.append, detail=detail),
                         detail, 0)
        if state.error:
            if not stats.nodes:
                raise InputError(f"{path}: {state.error}")
            warnings.append(f"{path}: {state.error}: compared the {stats.nodes:,} nodes read")
        return Records(path, "graph capture", ops, warnings)
    if kind == "report-db":
        db = mr.read_report_db(path, warnings.append)
        if not db.graphs:
            raise InputError(f"{path}: the report database has no captured graphs (enable_graph_report off): "
                             "no CB records to compare with")
        names = dict(db.operations)
        ops = []
        for oid, text in db.graphs:
            state, stats, detail = mr.StreamState(), mr.GraphStats(), mr.GraphDetail()
            stream = io.BytesIO(text.encode("utf-8"))
            got = _group(mr.graph_records(mr.iter_json_array(stream, state), stats, warnings.append, detail=detail),
                         detail, len(ops), oid)
            if state.error:
                warnings.append(f"operation {oid}: captured graph: {state.error}")
            for op in got:
                if op.name.startswith("(") and oid in names:
                    op.name = names[oid]
            ops.extend(got)
        return Records(path, "report database", ops, warnings)
    what = {"ttrt-memory": "a ttrt memory report", "runtime-log": "a runtime log"}.get(kind, "not a graph capture")
    raise InputError(f"{path}: {what}; --against takes a graph capture or a report db.sqlite with captured graphs")


# ----------------------------------------------------------------------------- matching

_PREFIXES = ("ttnn::experimental::", "ttnn::prim::", "ttnn::", "ttnn.", "Tensor::", "tt::tt_metal::")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def op_key(name: str) -> str:
    """A name without its namespace, a device operation's without ``DeviceOperation``, in snake case:
    ``ttnn.conv2d``, ``ttnn::conv2d`` and ``Conv2dDeviceOperation`` are all ``conv2d``."""
    n = name.strip()
    for p in _PREFIXES:
        if n.startswith(p):
            n = n[len(p):]
            break
    if n.endswith("DeviceOperation"):
        n = _CAMEL.sub("_", n[: -len("DeviceOperation")])
    return n.lower()


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _squeeze(shape: tuple[int, ...]) -> tuple[int, ...]:
    s = tuple(shape)
    while len(s) > 1 and s[0] == 1:
        s = s[1:]
    return s


def _shape_text(shape: tuple[int, ...] | None) -> str:
    return "x".join(map(str, shape)) if shape else "?"


_DIFFLIB_LIMIT = 4_000_000  # middle sizes multiplied: above it difflib's quadratic worst case is too slow


def align(a: list[str], b: list[str], window: int = 64) -> list[tuple[int, int]]:
    """Index pairs of equal keys, in order on both sides: the common head and tail, then the middle by
    difflib's longest matching runs (or, for a long middle, a greedy walk that re-synchronises within
    ``window`` skipped keys on the nearest place where the next 4 keys agree)."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    pairs = [(k, k) for k in range(head)]
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(ma) * len(mb) <= _DIFFLIB_LIMIT:
        sm = difflib.SequenceMatcher(None, ma, mb, autojunk=False)
        pairs += [(head + x + k, head + y + k) for x, y, size in sm.get_matching_blocks() for k in range(size)]
    else:
        i = j = 0
        while i < len(ma) and j < len(mb):
            if ma[i] == mb[j]:
                pairs.append((head + i, head + j))
                i += 1
                j += 1
                continue
            ahead: dict[str, list[int]] = defaultdict(list)
            for dj in range(min(window, len(mb) - j)):
                ahead[mb[j + dj]].append(dj)
            best: tuple[int, int] | None = None
            for di in range(min(window, len(ma) - i)):
                if best is not None and di >= sum(best):
                    break
                for dj in ahead.get(ma[i + di], ()):
                    if best is not None and di + dj >= sum(best):
                        break
                    k = min(4, len(ma) - i - di - 1, len(mb) - j - dj - 1)  # the next keys, as many as both have
                    if (di or dj) and ma[i + di + 1:i + di + 1 + k] == mb[j + dj + 1:j + dj + 1 + k]:
                        best = (di, dj)
                        break
            di, dj = best or (1, 1)
            i += di
            j += dj
    pairs += [(len(a) - tail + k, len(b) - tail + k) for k in range(tail)]
    return pairs


def choose_program(op: OpL1, rec: RecordedOp) -> tuple[RecordedProgram | None, str]:
    """The captured program the op's model describes, and why that one (see the module docstring)."""
    key = _letters(op_key(op.op_name))
    factory = _letters(op.factory)
    hits = []
    for p in rec.programs:
        stem = _letters(op_key(p.name)) if p.name.endswith("DeviceOperation") else ""
        if stem and (stem == key or factory.startswith(stem)):
            hits.append(p)
    if len(hits) == 1:
        return hits[0], f"its device operation {hits[0].name}"
    with_cbs = [p for p in rec.programs if p.cbs]
    if not hits and len(with_cbs) == 1:
        return with_cbs[0], "the op's only device program with CBs"
    if not hits and not with_cbs and len(rec.programs) == 1:
        return rec.programs[0], "the op's only device program"
    names = ", ".join(f"{p.name} (node {p.node})" for p in rec.programs)
    return None, f"{len(rec.programs)} device programs ({names}): none is the modelled one; not compared"


# ----------------------------------------------------------------------------- comparing


@dataclass(slots=True)
class CBPair:
    tensor_backed: bool
    predicted: CB | None
    recorded: RecordedCB | None

    @property
    def delta(self) -> int:
        return (self.predicted.bytes if self.predicted else 0) - (self.recorded.bytes if self.recorded else 0)


@dataclass(slots=True)
class Pair:
    op: OpL1
    record: RecordedOp
    matched_by: str
    shapes_agree: bool | None
    program: RecordedProgram | None = None
    program_choice: str = ""
    cbs: list[CBPair] = field(default_factory=list)
    predicted_static: int = 0
    recorded_static: int = 0
    predicted_cores: int = 0
    recorded_cores: int | None = None
    multiset_equal: bool = False
    tensor_backed_equal: bool = True
    agree: bool = False
    reason: str = ""

    @property
    def delta(self) -> int:
        return self.predicted_static - self.recorded_static


@dataclass(slots=True)
class Against:
    source: str
    kind: str
    matched: list[Pair]
    unmatched_ir: list[OpL1]
    unmatched_records: list[RecordedOp]
    ir_without_program: int
    records_without_program: int
    warnings: list[str] = field(default_factory=list)

    @property
    def agree(self) -> int:
        return sum(p.agree for p in self.matched)

    @property
    def total(self) -> int:
        return len(self.matched)


def _pair_cbs(pred: list[CB], rec: list[RecordedCB], backed: bool) -> list[CBPair]:
    """Equal sizes first (in creation order on both sides), then the rest by size order."""
    by_size: dict[int, list[RecordedCB]] = defaultdict(list)
    for r in rec:
        by_size[r.bytes].append(r)
    out: list[CBPair] = []
    left_p: list[CB] = []
    for cb in pred:
        same = by_size.get(cb.bytes)
        if same:
            out.append(CBPair(backed, cb, same.pop(0)))
        else:
            left_p.append(cb)
    left_r = sorted((r for rs in by_size.values() for r in rs), key=lambda r: (-r.bytes, r.node))
    left_p.sort(key=lambda c: -c.bytes)
    for i in range(max(len(left_p), len(left_r))):
        out.append(CBPair(backed, left_p[i] if i < len(left_p) else None, left_r[i] if i < len(left_r) else None))
    return out


def _busiest_core(cbs: list[RecordedCB]) -> tuple[list[RecordedCB], int | None]:
    """The CBs on the core with the largest static total, and how many cores that range set spans."""
    texts = {cb.core_ranges for cb in cbs}
    if len(texts) <= 1:
        ranges = mr.parse_core_ranges(next(iter(texts), None))
        return list(cbs), len(mr.cores_of(ranges)) if ranges else None
    per: dict[tuple[int, int], list[RecordedCB]] = defaultdict(list)
    everywhere = []
    for cb in cbs:
        ranges = mr.parse_core_ranges(cb.core_ranges)
        if not ranges:
            everywhere.append(cb)
            continue
        for core in mr.cores_of(ranges):
            per[core].append(cb)
    if not per:
        return list(cbs), None
    core = max(sorted(per), key=lambda c: sum(x.bytes for x in per[c] if not x.tensor_backed))
    chosen = {id(x) for x in per[core]} | {id(x) for x in everywhere}
    return [cb for cb in cbs if id(cb) in chosen], None


def compare_pair(pair: Pair) -> None:
    op = pair.op
    group = max(op.core_groups, key=lambda g: g.static_bytes) if op.core_groups else None
    pred = [cb for cb in (group.cbs if group else []) if cb.bytes > 0]
    pair.predicted_cores = len(group.cores) if group else 0
    prog = pair.program
    rec, pair.recorded_cores = _busiest_core(prog.cbs) if prog else ([], None)
    pair.cbs = (_pair_cbs([c for c in pred if not c.globally_allocated], [r for r in rec if not r.tensor_backed], False)
                + _pair_cbs([c for c in pred if c.globally_allocated], [r for r in rec if r.tensor_backed], True))
    pair.predicted_static = sum(c.bytes for c in pred if not c.globally_allocated)
    pair.recorded_static = sum(r.bytes for r in rec if not r.tensor_backed)
    pair.multiset_equal = all(p.predicted and p.recorded and p.delta == 0 for p in pair.cbs if not p.tensor_backed)
    pair.tensor_backed_equal = all(p.predicted and p.recorded and p.delta == 0 for p in pair.cbs if p.tensor_backed)
    if prog is None:
        pair.reason = pair.program_choice
    elif pair.shapes_agree is False:
        pair.reason = "the output shapes differ: another op"
    elif pair.predicted_static != pair.recorded_static:
        pair.reason = f"static total differs by {pair.delta:+,} B"
    elif not pair.multiset_equal:
        pair.reason = "same static total, different CB sizes"
    else:
        pair.agree = True
        pair.reason = "agrees" + ("" if pair.tensor_backed_equal else " (tensor-backed CBs differ)")


def _grid_warning(records: Records, ctx: L1Context) -> str | None:
    gx, gy = ctx.grid
    far: tuple[int, int] | None = None
    for op in records.ops:
        for p in op.programs:
            for cb in p.cbs:
                for x0, y0, x1, y1 in mr.parse_core_ranges(cb.core_ranges) or ():
                    x, y = max(x0, x1), max(y0, y1)
                    if (x >= gx or y >= gy) and (far is None or (x, y) > far):
                        far = (x, y)
    if far is None:
        return None
    return (f"the capture places CBs on core ({far[0]},{far[1]}), outside {ctx.arch.name}'s {gx}x{gy} worker grid: "
            f"was it taken on another arch? (--arch)")


def against(ops: list[OpL1], shapes: list[tuple[int, ...] | None], records: Records, ctx: L1Context) -> Against:
    """Line the IR ops (``shapes``: each op's first result shape, or None) up with the recorded ops and compare
    their CBs; agreeing ops are marked ``validated``."""
    # only ops predicted to run a program are lined up: a captured program of an op predicted to run none
    # (a reshape the model takes for a view) is then left over on the capture's side, and listed
    ir = [(op, shape) for op, shape in zip(ops, shapes) if op.skipped is None and op.core_groups]
    no_program = sum(1 for op in ops if op.skipped is None and not op.core_groups)
    recs = [r for r in records.ops if r.programs]
    matched: list[Pair] = []
    used_ir: set[int] = set()
    used_rec: set[int] = set()
    for i, j in align([op_key(op.op_name) for op, _ in ir], [op_key(r.name) for r in recs]):
        (op, shape), rec = ir[i], recs[j]
        used_ir.add(i)
        used_rec.add(j)
        if shape is not None and rec.output_shape is not None:
            agree = _squeeze(shape) == _squeeze(rec.output_shape)
            how = (f"name and order; output {_shape_text(shape)} on both" if agree else
                   f"name and order; output shapes differ (IR {_shape_text(shape)}, recorded "
                   f"{_shape_text(rec.output_shape)})")
        else:
            agree = None
            how = "name and order (no output shape recorded)" if shape is not None else "name and order"
        pair = Pair(op, rec, how, agree)
        pair.program, pair.program_choice = choose_program(op, rec)
        compare_pair(pair)
        matched.append(pair)
    unmatched_ir = [op for i, (op, _) in enumerate(ir) if i not in used_ir]
    result = Against(records.path, records.kind, matched, unmatched_ir,
                     [r for i, r in enumerate(recs) if i not in used_rec], no_program,
                     len(records.ops) - len(recs), list(records.warnings))
    w = _grid_warning(records, ctx)
    if w:
        result.warnings.append(w)
    for pair in matched:
        if pair.agree and pair.program is not None:
            where = f"{records.kind} {records.path}: "
            if pair.record.operation_id is not None:
                where += f"operation {pair.record.operation_id} "
            by = f"{where}{pair.program.name} node {pair.program.node}"
            pair.op.validated = True
            pair.op.validated_by = f"{pair.op.validated_by}; {by}" if pair.op.validated_by else by
    return result
