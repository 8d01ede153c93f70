"""``ttdiag diff A B``: align two runs (logs or dumps, any mix) op by op and find the first divergence.

SSA numbers shift between runs, so ops are compared by a key made of the op name, its operand
structure (an operand is the producer's position in the program and result index, or a program
argument), its attributes (locations excluded) and its types. Program runs are aligned by name and
first ops; within a pair, ops are aligned with difflib. A run that stopped early because that side
failed is a prefix of the other side's run: the missing tail is "not executed", not "removed".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

from ..ir.graph import Op, Program
from ..ir.items import render
from ..ir.types import TensorType
from ..parse.log import read_log
from .arch import get_arch
from .inspect import load_module
from .triage import FailureReport, triage_trace

_TERMINATORS = ("return", "func.return")


@dataclass(slots=True)
class Side:
    """One input: its programs (runs for a log), outcome and failures. ``outcome`` is ``passed`` or the
    first failure's kind for a log, and None for a dump, which never ran."""

    path: str
    kind: str
    programs: list[Program]
    outcome: str | None
    failure: FailureReport | None = None
    failed_run: int | None = None  # index into programs of the run the failure happened in


@dataclass(slots=True)
class AlignedOp:
    status: str  # equal | changed | added | removed | not-executed
    a: Op | None
    b: Op | None
    program_a: str | None
    program_b: str | None
    field: str | None = None
    detail: str | None = None


@dataclass(slots=True)
class DiffResult:
    a: Side
    b: Side
    aligned: list[AlignedOp]
    ir_identical: bool
    first_divergence: AlignedOp | None
    upstream: list[str] = field(default_factory=list)
    verdict: str = ""

    @property
    def outcomes_agree(self) -> bool:
        """The outcomes are the same, or one side is a dump (no outcome to disagree with)."""
        return self.a.outcome is None or self.b.outcome is None or self.a.outcome == self.b.outcome


def load_side(path: str) -> Side:
    """Parse a log (runs + triage outcome) or a dump (programs; a dump never ran: no outcome, None).
    A dump's ``return`` is left out: the runtime logs no such op (a flatbuffer program lists its
    outputs, it has no return op to execute), so it would always be "removed" against a log.

    Raises:
        ttdiag.io.InputError: unreadable input.
    """
    module, kind, _ = load_module(path)
    if kind == "log":
        report = triage_trace(read_log(path), get_arch("wormhole_b0"))
        progs = module.programs
        side = Side(path, "log", progs, "passed")
        if report.failures:
            fr = report.failures[0]
            side.outcome, side.failure = fr.failure.kind, fr
            if fr.localization is not None:
                line = fr.localization.failing.record.line
                for i, p in enumerate(progs):
                    if any(op.line == line for op in p.ops):
                        side.failed_run = i
        return side
    return Side(path, "dump", [replace(p, ops=[op for op in p.ops if op.name not in _TERMINATORS])
                               for p in module.programs], None)


def _operand_ref(name: str, producers: dict[str, tuple[int, int]]) -> str:
    base, _, idx = name.partition("#")
    if base in producers:
        pos, _ = producers[base]
        return f"op{pos}.{idx or 0}"
    return name if name.startswith("%arg") else "ext"


def op_keys(ops: list[Op]) -> list[str]:
    """Comparable keys for a program's ops (SSA numbering and locations left out)."""
    producers: dict[str, tuple[int, int]] = {}
    keys = []
    for i, op in enumerate(ops):
        attrs = {**{k: render(v) for k, v in op.properties.items()}, **{k: render(v) for k, v in op.attributes.items()}}
        key = "|".join([
            op.name,
            ",".join(_operand_ref(o, producers) for o in op.operands),
            ";".join(f"{k}={v}" for k, v in sorted(attrs.items())),
            ",".join(t.text for t in op.operand_types),
            ",".join(t.text for t in op.result_types),
        ])
        keys.append(key)
        for j, r in enumerate(op.results):
            producers[r.split("#")[0]] = (i, j)
    return keys


def _what_changed(a: Op, b: Op) -> tuple[str, str]:
    """The first field that differs between two ops with the same position: attribute, type, layout
    field, or operand structure."""
    if a.name != b.name:
        return "name", f"{a.name} -> {b.name}"
    for key in sorted(set(a.properties) | set(a.attributes) | set(b.properties) | set(b.attributes)):
        va, vb = a.attr_text(key), b.attr_text(key)
        if va != vb:
            return f"attribute {key}", f"{va} -> {vb}"
    for role, ta_list, tb_list in (("operand", a.operand_types, b.operand_types),
                                   ("result", a.result_types, b.result_types)):
        for i, (ta, tb) in enumerate(zip(ta_list, tb_list)):
            if ta.text == tb.text:
                continue
            if isinstance(ta, TensorType) and isinstance(tb, TensorType):
                if ta.shape != tb.shape:
                    return f"{role} {i} shape", f"{list(ta.shape)} -> {list(tb.shape)}"
                if ta.dtype != tb.dtype:
                    return f"{role} {i} dtype", f"{ta.dtype} -> {tb.dtype}"
                la, lb = ta.layout, tb.layout
                if la is not None and lb is not None:
                    for fld in ("memref_shape", "element", "buffer_type", "memory_layout", "grid"):
                        if getattr(la, fld) != getattr(lb, fld):
                            return f"{role} {i} layout {fld}", f"{getattr(la, fld)} -> {getattr(lb, fld)}"
                    if (la.affine_map and la.affine_map.text) != (lb.affine_map and lb.affine_map.text):
                        return f"{role} {i} layout affine_map", f"{la.affine_map.text} -> {lb.affine_map.text}"
            return f"{role} {i} type", f"{ta.text} -> {tb.text}"
        if len(ta_list) != len(tb_list):
            return f"{role} count", f"{len(ta_list)} -> {len(tb_list)}"
    return "operands", f"{', '.join(a.operands)} -> {', '.join(b.operands)}"


def _run_key(p: Program) -> str:
    """A run's identity for alignment: its name and its first ops (with types, so two runs of ``main``
    with different inputs differ)."""
    return p.name + "||" + "//".join(op_keys(p.ops[:3]))


def _desc(op: Op | None) -> str:
    return "-" if op is None else f"{op.id or ''} {op.name} (line {op.line})".strip()


def diff(path_a: str, path_b: str) -> DiffResult:
    """Compare two inputs. Raises ttdiag.io.InputError when one cannot be read."""
    a, b = load_side(path_a), load_side(path_b)
    runs = difflib.SequenceMatcher(a=[_run_key(p) for p in a.programs], b=[_run_key(p) for p in b.programs],
                                   autojunk=False)
    aligned: list[AlignedOp] = []
    upstream: list[str] = []
    for tag, i1, i2, j1, j2 in runs.get_opcodes():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                aligned.extend(_align_ops(a, i, b, j))
            continue
        for i in range(i1, i2):
            upstream.append(_extra_run("A", a.programs[i]))
            aligned.extend(AlignedOp("removed", op, None, a.programs[i].name, None) for op in a.programs[i].ops)
        for j in range(j1, j2):
            upstream.append(_extra_run("B", b.programs[j]))
            aligned.extend(AlignedOp("added", None, op, None, b.programs[j].name) for op in b.programs[j].ops)
    compared = [x for x in aligned if x.status in ("equal", "changed", "not-executed") or
                (x.status in ("added", "removed") and x.program_a and x.program_b)]
    ir_identical = bool(compared) and all(x.status in ("equal", "not-executed") for x in compared)
    first = next((x for x in aligned if x.status == "changed" or
                  (x.status in ("added", "removed") and x.program_a and x.program_b)), None)
    if first is None and not ir_identical:
        first = next((x for x in aligned if x.status in ("added", "removed")), None)
    res = DiffResult(a, b, aligned, ir_identical, first, upstream)
    res.verdict = _verdict(res)
    return res


def _extra_run(side: str, p: Program) -> str:
    names = [op.name for op in p.ops]
    notable = [n for n in dict.fromkeys(names) if any(k in n for k in ("conv", "matmul", "pad", "embedding"))]
    return (f"only {side} ran program {p.name!r} (line {p.line}, {len(p.ops)} ops"
            + (f", incl. {', '.join(notable)}" if notable else "") + ")")


def _align_ops(a: Side, i: int, b: Side, j: int) -> list[AlignedOp]:
    pa, pb = a.programs[i], b.programs[j]
    ka, kb = op_keys(pa.ops), op_keys(pb.ops)
    sm = difflib.SequenceMatcher(a=ka, b=kb, autojunk=False)
    out: list[AlignedOp] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend(AlignedOp("equal", pa.ops[x], pb.ops[y], pa.name, pb.name) for x, y in zip(range(i1, i2), range(j1, j2)))
            continue
        n = min(i2 - i1, j2 - j1)
        for x, y in zip(range(i1, i1 + n), range(j1, j1 + n)):
            fld, detail = _what_changed(pa.ops[x], pb.ops[y])
            out.append(AlignedOp("changed", pa.ops[x], pb.ops[y], pa.name, pb.name, fld, detail))
        for x in range(i1 + n, i2):
            truncated = j2 == len(kb) and b.failed_run == j
            out.append(AlignedOp("not-executed" if truncated else "removed", pa.ops[x], None, pa.name, pb.name,
                                 detail="B stopped at its failure" if truncated else None))
        for y in range(j1 + n, j2):
            truncated = i2 == len(ka) and a.failed_run == i
            out.append(AlignedOp("not-executed" if truncated else "added", None, pb.ops[y], pa.name, pb.name,
                                 detail="A stopped at its failure" if truncated else None))
    return out


def _verdict(r: DiffResult) -> str:
    fa, fb = r.a.outcome, r.b.outcome
    if r.ir_identical and (fa is None or fb is None):
        return _dump_verdict(r)
    if r.ir_identical:
        if (fa == "passed") != (fb == "passed"):
            failing = r.b if fb != "passed" else r.a
            other = "A" if failing is r.b else "B"
            op = failing.failure.localization.failing.op if failing.failure and failing.failure.localization else None
            where = f" at {_desc(op)}" if op else ""
            text = (f"The IR is identical where both ran, but only {'B' if failing is r.b else 'A'} fails "
                    f"({failing.outcome}{where}): the difference is upstream of this IR, at runtime.")
            src = _input_source(failing, r)
            return text + (" " + src if src else "") + ("" if not r.upstream else
                                                        f" {other} did not run the extra program(s) listed.")
        return "The IR is identical where both ran" + (", and both fail the same way." if fa == fb != "passed"
                                                       else ", and both pass." if fa == fb == "passed" else ".")
    d = r.first_divergence
    if d is None:
        return "The inputs differ."
    return f"First divergence: {d.status} {_desc(d.a)} / {_desc(d.b)}" + (f" — {d.field}: {d.detail}" if d.field else "")


def _dump_verdict(r: DiffResult) -> str:
    """Identical IR with a dump on one side or both: a dump has no outcome, so only the log's is told."""
    if r.a.outcome is None and r.b.outcome is None:
        return "The IR is identical. Both inputs are dumps: neither ran, so there is no outcome to compare."
    dump, log = ("A", r.b) if r.a.outcome is None else ("B", r.a)
    label = "B" if log is r.b else "A"
    if log.outcome == "passed":
        told = f"{label} passes"
    else:
        op = log.failure.localization.failing.op if log.failure and log.failure.localization else None
        told = f"{label} fails ({log.outcome}{f' at {_desc(op)}' if op else ''})"
    return f"The IR is identical where both have ops; {dump} is a dump, which never ran, and {told}."


def _input_source(side: Side, r: DiffResult) -> str:
    """Where the failing run's argument comes from (an earlier program's output, not a fresh host tensor)."""
    if side.failed_run is None:
        return ""
    run = side.programs[side.failed_run]
    args = {o for op in run.ops for o in op.operands if o.startswith("%arg")}
    arg_types = {t.text for op in run.ops for o, t in zip(op.operands, op.operand_types) if o in args}
    for p in reversed(side.programs[:side.failed_run]):
        if "const_eval" in p.name:
            continue
        results = [op for op in p.ops if op.results and any(t.text in arg_types for t in op.result_types)]
        if results:
            last = results[-1]
            conv = next((op for op in reversed(p.ops) if "conv" in op.name), None)
            return (f"In the failing run the program input comes from {_desc(last)} of the earlier program "
                    f"{p.name!r}" + (f", fed by {_desc(conv)}" if conv else "") + ", not from a fresh host tensor.")
    return ""
