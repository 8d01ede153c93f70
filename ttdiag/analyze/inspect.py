"""Inspect: the op graph of a dump or a log, and the layout figures of every tensor in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..echo import clip
from ..io import InputError, LineReader, input_warnings, looks_binary
from ..ir.graph import Diagnostic, Module, Op, Program
from ..ir.types import TensorType
from ..parse.log import EXEC_MARK, FINISH_MARK, START_MARK
from ..parse.mlir import MLIRSyntaxError, OpLineParser, parse_mlir
from .arch import ArchSpec, arch_for, get_arch
from .layout import LayoutFigures, analyze_tensor, figures_key


@dataclass(slots=True)
class TensorEntry:
    """One SSA value with a tensor type: where it is defined and its layout figures."""

    program: str | None
    value: str
    defined_by: str | None
    line: int
    type: TensorType
    figures: LayoutFigures | None


@dataclass(slots=True)
class InspectReport:
    source: str
    kind: str  # "dump" | "log"
    module: Module
    arch: ArchSpec
    tensors: list[TensorEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}")


def sniff_kind(path: str, head_bytes: int = 1 << 16) -> str:
    """``log`` when the first 64 KiB hold runtime/log markers, else ``dump``."""
    if path == "-":
        return "log"
    with LineReader(path) as r:
        seen = 0
        for ln in r:
            t = ln.text
            if EXEC_MARK in t or START_MARK in t or " | " in t and ("DEBUG" in t or "INFO" in t or "info" in t):
                return "log"
            if t.startswith(("module", "func.func", "#", "!", "//", "builtin.module", "ttcore.device_module")):
                return "dump"
            seen += len(t) + 1
            if seen > head_bytes:
                break
    return "dump"


def module_from_log(path: str, dates: list[str] | None = None) -> tuple[Module, list[str]]:
    """Parse every op line of a log into a Module: one Program per run (names repeat per run).
    The log's first ``YYYY-MM-DD`` date, if any, is appended to ``dates``."""
    module = Module()
    parser = OpLineParser()
    warnings: list[str] = []
    stack: list[Program] = []
    with LineReader(path) as reader:
        for ln in reader:
            t = ln.text
            if dates is not None and not dates and ln.number <= 5000:
                m = _DATE_RE.search(t[:64])
                if m:
                    dates.append(m.group(1))
            if EXEC_MARK in t:
                if not stack:
                    stack.append(Program("?", [], [], [], ln.number))
                    module.programs.append(stack[-1])
                prog = stack[-1]
                try:
                    prog.ops.append(parser.parse(t.split(EXEC_MARK, 1)[1], ln.number, prog.name))
                except MLIRSyntaxError as e:
                    module.diagnostics.append(Diagnostic(ln.number, clip(str(e)), t[:200]))
            elif START_MARK in t:
                stack.append(Program(t.split(START_MARK, 1)[1].strip(), [], [], [], ln.number))
                module.programs.append(stack[-1])
            elif FINISH_MARK in t and stack:
                stack.pop()
        warnings.extend(text for _, text in input_warnings(reader.stats, reader.max_line_bytes))
    return module, warnings


BINARY_SNIFF_BYTES = 1 << 16


def _dump_lines(reader: LineReader, recorded: dict[str, str] | None = None) -> Iterator[str]:
    """The clean lines of a dump. Once its first 64 KiB are read (or all of it, if smaller), an input
    that looks binary (``ttdiag.io.looks_binary``: NUL bytes or invalid UTF-8 in over 20 % of the lines)
    stops the parse. Until the first ``func.func``, a module line's ``ttdiag.<name> = "<value>"``
    attributes are copied to ``recorded`` (the module op comes before its functions).

    Raises:
        InputError: the input looks binary.
    """
    checked = False
    scanning = recorded is not None
    number = 0
    for ln in reader:
        number = ln.number
        if not checked and ln.offset >= BINARY_SNIFF_BYTES:
            _refuse_binary(reader, number)
            checked = True
        t = ln.text
        if scanning:
            s = t.lstrip()
            if s.startswith(("module", "builtin.module")) and "ttdiag." in s:
                recorded.update(_RECORDED_RE.findall(s.split("{", 1)[1] if "{" in s else ""))
            elif s.startswith("func.func"):
                scanning = False
        yield t
    if not checked:
        _refuse_binary(reader, number)


def _refuse_binary(reader: LineReader, lines: int) -> None:
    s = reader.stats
    if looks_binary(replace(s, lines=lines)):
        raise InputError(f"{reader.path}: binary input, not a TTNN MLIR dump or a log ({s.nul_lines:,} of its "
                         f"first {lines:,} lines hold NUL bytes, {s.decode_errors:,} are not UTF-8)")


def load_module(path: str, kind: str | None = None, dates: list[str] | None = None,
                recorded: dict[str, str] | None = None) -> tuple[Module, str, list[str]]:
    """Parse a dump, or the op lines of a log, into a Module: (module, ``dump``|``log``, reader warnings).
    ``kind`` overrides the sniffing; a log's first date is appended to ``dates``; a dump's ``ttdiag.*``
    module attributes (what ``ttdiag repro`` records of its log: ``tt_metal_era``, ``log_date``,
    ``arch``) go to ``recorded``, keyed without the prefix.

    Raises:
        ttdiag.io.InputError: the input cannot be opened, or a dump looks binary.
    """
    kind = kind or sniff_kind(path)
    if kind == "log":
        module, warnings = module_from_log(path, dates)
        return module, kind, warnings
    with LineReader(path) as reader:
        module = parse_mlir(_dump_lines(reader, recorded))
        return module, kind, [text for _, text in input_warnings(reader.stats, reader.max_line_bytes)]


_RECORDED_RE = re.compile(r'\bttdiag\.(\w+)\s*=\s*"([^"\\]*)"')


def inspect_file(path: str, arch: str | None = None, kind: str | None = None) -> InspectReport:
    """Parse ``path`` (dump or log, sniffed) and compute every tensor's figures.

    Raises:
        ttdiag.io.InputError: the input cannot be opened.
    """
    module, kind, warnings = load_module(path, kind)
    spec = get_arch(arch) if arch else arch_for(module.system_desc)
    report = InspectReport(path, kind, module, spec, warnings=warnings)
    cache: dict[tuple, LayoutFigures | None] = {}
    for prog in module.programs:
        seen: set[str] = set()
        for name, t in prog.args:
            if isinstance(t, TensorType):
                report.tensors.append(TensorEntry(prog.name, name, None, prog.line, t, _figures(t, spec, cache)))
            seen.add(name)
        for op in prog.walk():
            _add_results(report, op, prog.name, spec, cache, seen)
    loose_seen: set[str] = set()
    for op in module.loose_ops:
        _add_results(report, op, None, spec, cache, loose_seen)
    return report


def _add_results(report: InspectReport, op: Op, program: str | None, spec: ArchSpec, cache: dict,
                 seen: set[str]) -> None:
    for name, t in zip(op.results, op.result_types):
        if isinstance(t, TensorType) and name not in seen:
            seen.add(name)
            report.tensors.append(TensorEntry(program, name, op.id, op.line, t, _figures(t, spec, cache)))
    if not op.results:
        return
    # function-typed ops without a defining op for their operands (log excerpts): record operands too
    if report.kind == "log":
        for name, t in zip(op.operands, op.operand_types):
            if isinstance(t, TensorType) and name.startswith("%arg") and name not in seen:
                seen.add(name)
                report.tensors.append(TensorEntry(program, name, None, op.line, t, _figures(t, spec, cache)))


def _figures(t: TensorType, spec: ArchSpec, cache: dict) -> LayoutFigures | None:
    key = figures_key(t)  # not t.text: an alias can name another layout in a later ``// -----`` section
    if key not in cache:
        cache[key] = analyze_tensor(t, spec)
    return cache[key]
