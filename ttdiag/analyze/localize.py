"""Failing-op localisation: the last ``Executing operation:`` before a failure, in its program run.

The tt-mlir runtime executes ops synchronously on the host and CB validation happens at
enqueue/compile time, so the last op line printed before a fatal is the failing op
(ttnn-facts.md §5.5; ``runtime/lib/ttnn/program_executor.cpp``). Only this op and its
producers are parsed with the MLIR grammar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..io import read_line_at
from ..ir.graph import Op
from ..ir.trace import LogEvent, OpRecord, RunTrace
from ..parse.log import EXEC_MARK
from ..parse.mlir import MLIRSyntaxError, OpLineParser


@dataclass(slots=True)
class LocatedOp:
    """An op line and its parse (None with ``parse_error`` set when the line does not parse,
    e.g. a log cut mid-line)."""

    record: OpRecord
    program: str | None
    op: Op | None
    parse_error: str | None = None


@dataclass(slots=True)
class Localization:
    """The failing op and the ops that produced its operands (operand name → located op)."""

    failing: LocatedOp
    producers: dict[str, LocatedOp] = field(default_factory=dict)
    missing_producers: list[str] = field(default_factory=list)


def _locate(rec: OpRecord, trace: RunTrace, parser: OpLineParser) -> LocatedOp:
    run = trace.run(rec.run)
    program = run.name if run is not None else None
    try:
        op = parser.parse(rec.text, rec.line, program)
        return LocatedOp(rec, program, op)
    except MLIRSyntaxError as e:
        return LocatedOp(rec, program, None, f"op line {rec.line} does not parse: {e}")


def localize(event: LogEvent, trace: RunTrace, parser: OpLineParser | None = None) -> Localization | None:
    """Locate the failing op of ``event`` and its operands' producers; None when no op was running.

    Producers come from the event's op window, else are re-read from the file at their byte
    offset (plain files only); operands defined outside the run (``%argN``) are left out.
    """
    if event.last_op is None:
        return None
    parser = parser or OpLineParser()
    failing = _locate(event.last_op, trace, parser)
    loc = Localization(failing)
    operands = failing.op.operands if failing.op is not None else list(event.producers)
    by_line = {r.line: r for r in event.window}
    for operand in operands:
        ref = event.producers.get(operand)
        if ref is None:
            if not operand.startswith("%arg"):
                loc.missing_producers.append(operand)
            continue
        line, offset = ref
        rec = by_line.get(line)
        if rec is None and trace.rereadable:
            text = read_line_at(trace.source, offset)
            if text and EXEC_MARK in text:
                rec = OpRecord(line, offset, event.run, text.split(EXEC_MARK, 1)[1].rstrip())
        if rec is None:
            loc.missing_producers.append(operand)
            continue
        loc.producers[operand] = _locate(rec, trace, parser)
    return loc
