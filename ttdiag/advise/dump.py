"""The TTNN MLIR dump given with ``ttdiag triage --ir``: the program the failing run executed and the failing
op in it, so advice sees the ops the log does not show (ops after the failing op, which never ran, and ops
before it that the log window did not keep).

Matching is by name, never by position: the dump's function named like the failing run's program, and in
it the op with the failing op's SSA result names, op name and result types (shape, dtype and decoded
layout; a dump prints layouts as aliases, a log inline). An op that matches only by its loc is reported and
not used: the dump then names values differently, so no value of the log can be looked up in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analyze.dump_search import DumpCandidate, search_dump, type_key
from ..analyze.triage import FailureReport, TriageReport
from ..ir.graph import Module, Op, Program
from ..ir.trace import RunTrace


@dataclass(slots=True)
class DumpProgram:
    """The matched program of a dump: ``ops`` its top-level ops in order, ``failing`` the index of the
    failing op among them; ``path`` the dump as given on the command line."""

    path: str
    program: Program
    ops: list[Op]
    failing: int


def load_dump(path: str) -> Module:
    """Parse ``path`` as a TTNN MLIR dump (plain or .gz).

    Raises:
        ttdiag.io.InputError: it cannot be opened, looks binary, or holds no function (``func.func``).
    """
    from ..analyze.inspect import load_module
    from ..io import InputError

    module, _kind, _warnings = load_module(path, "dump")
    if not module.programs:
        raise InputError(f"{path}: no function (func.func) in it: not a TTNN MLIR dump")
    return module


def _same_op(a: Op, b: Op) -> bool:
    """Same op name, result names and result types; an op without results: same operands and their types."""
    if a.name != b.name or a.results != b.results:
        return False
    if a.results:
        return [type_key(t) for t in a.result_types] == [type_key(t) for t in b.result_types]
    return a.operands == b.operands and [type_key(t) for t in a.operand_types] == \
        [type_key(t) for t in b.operand_types]


def match_failure(module: Module, path: str, fr: FailureReport, trace: RunTrace) -> tuple[DumpProgram | None, str]:
    """The dump's program and failing op for failure ``fr``: (match, "") or (None, a note saying why not).

    The program is the function named like the failing run's program; the op the one with the failing op's
    SSA results, name and result types (see :func:`_same_op`). A match by loc, name and result types alone
    (other SSA names) is named in the note and not used. Source: tt-mlir prints each op's generic form into
    the flatbuffer's debug string, which the runtime logs (``Executing operation: ...``); commit not recorded.
    """
    loc = fr.localization
    op = loc.failing.op if loc is not None else None
    run = trace.run(fr.failure.event.run)
    program = (loc.failing.program if loc is not None else None) or (run.name if run is not None else None)
    head = f"the IR dump {path} is not used for this failure"
    if program is None:
        return None, f"{head}: the log names no program for it"
    progs = [p for p in module.programs if p.name == program]
    if not progs:
        names = ", ".join(sorted({p.name for p in module.programs})[:6])
        return None, f"{head}: it has no function named {program!r} (it has {names})"
    if op is None:
        return None, f"{head}: the log shows no failing op line to find in function {program!r}"
    what = op.label
    found = [(p, i) for p in progs for i, o in enumerate(p.ops) if _same_op(o, op)]
    if len(found) == 1:
        p, i = found[0]
        return DumpProgram(path, p, list(p.ops), i), ""
    if len(found) > 1:
        lines = ", ".join(str(p.ops[i].line) for p, i in found[:4])
        return None, f"{head}: {what} (log line {op.line}) matches several ops of {program!r} (dump lines {lines})"
    types = [type_key(t) for t in op.result_types]
    by_loc = [o for p in progs for o in p.ops if op.loc is not None and o.loc is not None and o.name == op.name
              and o.loc.raw == op.loc.raw and [type_key(t) for t in o.result_types] == types]
    if len(by_loc) > 1:
        lines = ", ".join(str(o.line) for o in by_loc[:4])
        return None, (f"{head}: {what} (log line {op.line}) is not in it by its SSA names, and several ops share "
                      f"its loc and types (dump lines {lines})")
    if by_loc:
        o = by_loc[0]
        return None, (f"{head}: {what} (log line {op.line}) matches {o.label} at dump line {o.line} by its loc only "
                      "(its SSA names differ): the dump is of another compile, so its values cannot be "
                      "looked up by the log's names")
    return None, f"{head}: function {program!r} has no {what} with the log's result types (log line {op.line})"


def has_op_line(fr: FailureReport) -> bool:
    """The log shows the failure's op line (a parsed ``Executing operation:`` line)."""
    return fr.localization is not None and fr.localization.failing.op is not None


def localize_in_dump(report: TriageReport, module: Module, path: str, era: str | None = None,
                     l1_unreserved_base: int | None = None) -> None:
    """For each failure of ``report`` whose log shows no op line, search ``module`` (the ``--ir`` dump) for the
    ops that reproduce the failure's figures (:func:`ttdiag.analyze.dump_search.search_dump`); sets
    ``FailureReport.dump_search`` (left None for a failure with an op line, a kind with nothing to check,
    or one already searched). ``era`` / ``l1_unreserved_base``: the triage's overrides.
    """
    for fr in report.failures:
        if fr.dump_search is not None or has_op_line(fr):
            continue
        fr.dump_search = search_dump(module, fr.failure, report.arch, report.trace, path, era, l1_unreserved_base)


def candidate_program(module: Module, path: str, cand: DumpCandidate) -> DumpProgram | None:
    """The dump program holding ``cand`` with it as the failing op (as :func:`match_failure` gives for a
    logged op); None when it is nested in a region (not a top-level op of its program)."""
    for p in module.programs:
        for i, o in enumerate(p.ops):
            if o is cand.op:
                return DumpProgram(path, p, list(p.ops), i)
    return None
