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
from ..ir.types import TensorType, TileType, TTNNLayout
from ..parse.log import EXEC_MARK
from ..parse.mlir import MLIRSyntaxError, OpLineParser
from ..parse.op_refs import OpRef, PyTensor, from_backtrace, from_message, from_python


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


def locate_without_op_line(f) -> OpRef | None:
    """The failing op of a failure no ``Executing operation:`` line names (release builds, pytest, CI):
    the tt-mlir runtime's dispatch frame (the TTNN dialect op, as in the IR), else the ttnn call pytest
    printed, else the device operation / program factory frame, else what the message names. The
    factory, when a frame or the raising source file names one, is kept with whichever names the op.
    ``f`` is a :class:`ttdiag.analyze.failures.Failure`."""
    pairs = [(f.event, f.text)] + list(f.echoes)
    backtrace = next((r for ev, t in pairs if (r := from_backtrace(t.frames, ev.line)) is not None), None)
    lines: list[tuple[int, str]] = []
    for ev, _ in pairs:
        lines.extend(ev.context)
        lines.extend((ev.line + i, ln) for i, ln in enumerate(ev.lines))
    python = from_python(sorted(set(lines)))
    message = next((r for ev, t in pairs if (r := from_message(t, ev.line)) is not None), None)
    if backtrace is not None and backtrace.how.startswith("tt-mlir runtime") and backtrace.name:
        best = backtrace
    else:
        best = next((r for r in (python, backtrace, message) if r is not None and r.name), None) or backtrace
    if best is None:
        return None
    if best.factory is None:
        donor = next((r for r in (backtrace, message) if r is not None and r.factory), None)
        if donor is not None:
            best.factory, best.factory_line = donor.factory, donor.factory_line
    if best is not python and python is not None and python.tensors and python.name == best.name:
        best.tensors = python.tensors
    return best


def python_tensor_type(pt: PyTensor) -> TensorType | None:
    """A ``ttnn.Tensor`` repr as a tensor type the layout model reads: its logical shape, dtype and
    layout (32x32 tiles for ``Layout::TILE``); the memory config is not printed, so no buffer type."""
    if pt.dtype is None or not pt.logical_shape:
        return None
    element: TileType | str = TileType(32, 32, pt.dtype) if pt.tiled else pt.dtype
    layout = TTNNLayout(None, (1, 1), (), element, None, None, "python-repr", text=pt.text)
    shape = "x".join(map(str, pt.logical_shape))
    return TensorType(pt.logical_shape, pt.dtype, layout, None, f"tensor<{shape}x{pt.dtype}> (from {pt.text[:80]})")
