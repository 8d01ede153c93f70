"""Stream a runtime log into a :class:`~ttdiag.ir.trace.RunTrace`.

Memory stays flat: the reader keeps one bounded window of recent op lines for the running
program, a bounded map from SSA result to the (line, byte offset) of its op, and a bounded
list of error blocks. Op lines are not parsed here (the MLIR grammar parses only the ones the
analysis needs, later); every line is classified with a few substring tests first.

Line shapes (ttnn-facts.md §5.4, §5.5):

* tt-mlir runtime logger ``runtime/include/tt/runtime/detail/common/logger.h``:
  ``setw(23) type | setw(8) LEVEL | message``; program markers from
  ``runtime/lib/ttnn/program_executor.cpp`` (``Starting execution of program:``,
  ``Executing operation:``, ``Finished execution of program:``);
* tt-metal logger, 2024 (``      Device | INFO     | msg``), 2025 (``ts | level | category | msg (file:line)``)
  and 2026 (``[ts] [level] [file:line] msg``);
* ``TT_THROW/TT_FATAL/TT_ASSERT @ file:line: cond`` / ``info:`` / message / ``backtrace:`` blocks,
  bare, behind ``RuntimeError:``, or behind pytest's ``E   ``;
* Python tracebacks, pytest summaries, signal reports, LLVM crash dumps.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from dataclasses import dataclass

from ..io import LineReader, looks_binary
from ..ir.trace import LogEvent, OpRecord, ProgramRun, RunTrace

EXEC_MARK = "Executing operation: "
START_MARK = "Starting execution of program: "
FINISH_MARK = "Finished execution of program: "

WINDOW_OPS = 64
MAX_DEFS = 1 << 16
MAX_EVENTS = 2000
KEEP_RUNS = 500
RUN_TAIL_OPS = 8
MAX_BLOCK_LINES = 80
MAX_EVENT_LINE_CHARS = 4000

# A line that may start an error block. Cheap to evaluate; the classifier decides later
# whether the block is a failure at all.
TRIGGER_RE = re.compile(
    r"TT_THROW|TT_FATAL|TT_ASSERT|LOG_FATAL|LOG_ASSERT"
    r"|\|\s*(?:critical|CRITICAL|FATAL|fatal|ERROR|error)\s*\|"
    r"|\[(?:critical|error|fatal)\]"
    r"|Traceback \(most recent call last\)"
    r"|^E\s+\w*(?:Error|Exception)\b|^\w*(?:Error|Exception)\b[:(]|^FAILED "
    r"|\berror: |received signal|Segmentation fault|core dumped|Stack dump:|PLEASE submit a bug report"
    r"|Statically allocated circular buffers|Out of Memory|Circular buffer size|Cannot set circular buffer|Fatal Python error|terminate called"
    r"|\bTimeout\b|\btimed out\b|\bTIMEOUT\b"
)

# Lower-case literals of which every TRIGGER_RE match contains at least one. Checking them with
# ``in`` first is a necessary condition only (the regex still decides), and keeps logs with many
# short free-text lines (e.g. hard-wrapped at 80 columns) from paying the regex on every byte.
_TRIGGER_NEEDLES = (
    "tt_", "log_assert", "critical", "fatal", "error", "exception", "traceback", "failed ",
    "received signal", "segmentation fault", "core dumped", "stack dump:", "please submit",
    "statically allocated", "out of memory", "circular buffer", "terminate called", "timeout", "timed out",
)


def may_trigger(text: str) -> bool:
    """Cheap pre-check for :data:`TRIGGER_RE`: False only when the regex cannot match ``text``."""
    low = text.lower()
    for needle in _TRIGGER_NEEDLES:
        if needle in low:
            return True
    return False


# Starts a new Python-level report, even right after a logger line's block.
NEW_REPORT_RE = re.compile(r"Traceback \(most recent call last\)|\w*(?:Error|Exception)\b[:(]|FAILED ")

CRASH_RE = re.compile(r"Segmentation fault|received signal|Aborted \(core dumped\)|Fatal Python error|"
                      r"terminate called")

_HEADERS = (
    # tt-mlir runtime logger / tt-metal 2024 (no timestamp): "   RuntimeTTNN |    DEBUG | msg"
    ("mlir-runtime", re.compile(
        r"^(?:\[[^\]]*\]\s*)*\s*(?P<cat>[A-Za-z][\w]*)\s*\|\s*(?P<level>TRACE|DEBUG|INFO|WARNING|ERROR|FATAL|CRITICAL|"
        r"trace|debug|info|warning|error|critical|fatal)\s*\|\s?(?P<msg>.*)$")),
    # tt-metal 2025 / loguru: "2025-12-31 16:11:36.007 | critical |          Always | msg"
    ("tt-metal", re.compile(
        r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[.,]\d{3}) \| (?P<level>\w+)\s*\|"
        r"(?:\s*(?P<cat>[A-Za-z][\w]*)\s*\|)?\s?(?P<msg>.*)$")),
    # tt-metal 2026: "[2026-03-01 10:00:00.000] [error] [program.cpp:1307] msg"
    ("tt-metal", re.compile(
        r"^\[(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\] \[(?P<level>\w+)\] \[(?P<cat>[^\]]*)\] (?P<msg>.*)$")),
    # Python logging: "2025-03-26 16:36:46,812 - INFO - msg"
    ("python", re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) - (?P<level>[A-Z]+) - (?P<msg>.*)$")),
)
_TS_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}")
_OPERANDS_RE = re.compile(r'^(?:%[^=]*=\s*)?"[\w.$]+"\(([^)]*)\)')


@dataclass(slots=True)
class LineHeader:
    """A recognised logger prefix: which logger, level, category, and the message after it."""

    source: str
    level: str | None
    category: str | None
    message: str
    timestamp: str | None = None


def parse_header(text: str) -> LineHeader | None:
    """Recognise a logger line's prefix; None for free text (tracebacks, messages, frames)."""
    if "|" not in text and not text.startswith("[") and " - " not in text:
        return None
    for source, rx in _HEADERS:
        m = rx.match(text)
        if m:
            gd = m.groupdict()
            return LineHeader(source, gd.get("level"), gd.get("cat"), gd.get("msg") or "", gd.get("ts"))
    return None


def _is_block_end(text: str) -> bool:
    """A structured line (logger prefix, op line, program marker) ends an error block."""
    if not text.strip():
        return False
    if EXEC_MARK in text or "execution of program: " in text:
        return True
    if text.startswith(("E ", "E\t", " --- ", "info:", "backtrace:", "  ", "\t")) or text == "E":
        return False
    h = parse_header(text)
    return h is not None


class _Frame:
    """A running program: its run record, recent op lines and SSA definitions (both bounded)."""

    __slots__ = ("run", "window", "defs")

    def __init__(self, run: ProgramRun, window: int):
        self.run = run
        self.window: deque[OpRecord] = deque(maxlen=window)
        self.defs: OrderedDict[str, tuple[int, int]] = OrderedDict()


class _Reader:
    """Program runs nest: the runtime runs a const-eval program from inside ``main`` (the
    ``ttcore.load_cached`` op), so ``Starting``/``Finished`` markers are kept on a stack."""

    def __init__(self, source: str, window: int):
        self.trace = RunTrace(source=source)
        self.window_size = window
        self.stack: list[_Frame] = []
        self.block: LogEvent | None = None
        self.blank_run = 0
        # bounded run records: memory does not grow with the number of programs
        self.first_runs: list[ProgramRun] = []
        self.last_runs: deque[ProgramRun] = deque(maxlen=KEEP_RUNS)
        self.pinned: dict[int, ProgramRun] = {}

    def kept_runs(self) -> list[ProgramRun]:
        runs = {r.index: r for r in self.first_runs}
        runs.update(self.pinned)
        runs.update((r.index, r) for r in self.last_runs)
        runs.update((f.run.index, f.run) for f in self.stack)
        return [runs[i] for i in sorted(runs)]

    @property
    def current(self) -> ProgramRun | None:
        return self.stack[-1].run if self.stack else None

    # -- program and op markers ---------------------------------------------------------
    def start_program(self, name: str, line: int, implicit: bool = False) -> None:
        t = self.trace
        run = ProgramRun(t.runs_total, name.strip(), line, implicit=implicit)
        t.runs_total += 1
        if len(self.first_runs) < KEEP_RUNS:
            self.first_runs.append(run)
        else:
            self.last_runs.append(run)
        if len(self.stack) >= 64:  # unbalanced markers: do not grow without bound
            self.stack.pop(0)
        self.stack.append(_Frame(run, self.window_size))

    def finish_program(self, name: str, line: int) -> None:
        name = name.strip()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].run.name == name:
                for frame in self.stack[i:]:
                    frame.run.end_line = frame.run.end_line or line
                    frame.run.tail = list(frame.window)[-RUN_TAIL_OPS:]
                    self.trace.runs_finished += 1
                del self.stack[i:]
                return
        if self.stack:
            frame = self.stack.pop()
            frame.run.end_line = line
            frame.run.tail = list(frame.window)[-RUN_TAIL_OPS:]
            self.trace.runs_finished += 1

    def op_line(self, text: str, line: int, offset: int) -> None:
        if not self.stack:
            # op lines without a "Starting execution" marker (e.g. ttrt excerpts)
            self.start_program("?", line, implicit=True)
        frame = self.stack[-1]
        frame.run.ops += 1
        self.trace.op_lines += 1
        rec = OpRecord(line, offset, frame.run.index, text.rstrip())
        frame.window.append(rec)
        defs = frame.defs
        for rid in rec.result_ids:
            defs[rid] = (line, offset)
            defs.move_to_end(rid)
        if len(defs) > MAX_DEFS:
            defs.popitem(last=False)

    # -- error blocks --------------------------------------------------------------------
    def open_event(self, text: str, line: int, header: LineHeader | None) -> None:
        t = self.trace
        if len(t.events) >= MAX_EVENTS:
            t.events_dropped += 1
            self.block = None
            return
        frame = self.stack[-1] if self.stack else None
        last = frame.window[-1] if frame is not None and frame.window else None
        ev = LogEvent(
            line=line,
            lines=[text[:MAX_EVENT_LINE_CHARS]],
            source=_source_of(text, header),
            level=header.level if header else None,
            run=self.current.index if self.current is not None else None,
            last_op=last,
            window=list(frame.window) if frame is not None else [],
        )
        if last is not None:
            m = _OPERANDS_RE.match(last.text)
            if m:
                for operand in (o.strip() for o in m.group(1).split(",")):
                    base = operand.split("#")[0]
                    if frame is not None and base in frame.defs:
                        ev.producers[operand] = frame.defs[base]
        t.events.append(ev)
        for f in self.stack:
            self.pinned[f.run.index] = f.run
        self.block = ev
        self.blank_run = 0

    def continue_event(self, text: str) -> bool:
        """Add ``text`` to the open block if it continues it; False when the block has ended."""
        ev = self.block
        if ev is None:
            return False
        if _is_block_end(text) or len(ev.lines) >= MAX_BLOCK_LINES:
            self.block = None
            return False
        if (ev.source not in ("pytest", "python") and NEW_REPORT_RE.match(text)) or \
                (ev.source != "signal" and CRASH_RE.search(text)):
            # a new report (e.g. the RuntimeError after a critical logger line) starts its own block
            self.block = None
            return False
        if not text.strip():
            self.blank_run += 1
            if self.blank_run >= 2:
                self.block = None
                return False
        else:
            self.blank_run = 0
        ev.lines.append(text[:MAX_EVENT_LINE_CHARS])
        return True


def _source_of(text: str, header: LineHeader | None) -> str:
    if header is not None:
        return header.source
    if text.startswith("E ") or text.startswith("FAILED "):
        return "pytest"
    if "received signal" in text or "Segmentation fault" in text or "core dumped" in text:
        return "signal"
    if text.startswith("Traceback") or re.match(r"^\w*(Error|Exception)\b", text):
        return "python"
    return "plain"


def read_log(path: str, window: int = WINDOW_OPS) -> RunTrace:
    """Stream ``path`` (``-`` = stdin; gzip detected) into a RunTrace.

    Raises:
        ttdiag.io.InputError: the input cannot be opened.
    """
    r = _Reader(path, window)
    trace = r.trace
    with LineReader(path) as reader:
        last_text = ""
        tail: deque[str] = deque(maxlen=5)
        for ln in reader:
            text = ln.text
            if text.strip():
                tail.append(text)
            if EXEC_MARK in text:
                r.block = None
                r.op_line(text.split(EXEC_MARK, 1)[1], ln.number, ln.offset)
                last_text = text
                continue
            if "execution of program: " in text:
                r.block = None
                if START_MARK in text:
                    r.start_program(text.split(START_MARK, 1)[1], ln.number)
                elif FINISH_MARK in text:
                    r.finish_program(text.split(FINISH_MARK, 1)[1], ln.number)
                last_text = text
                continue
            if text:
                last_text = text
            if trace.first_timestamp is None and ln.number <= 5000:
                m = _TS_RE.search(text[:64])
                if m:
                    trace.first_timestamp = m.group(1)
            if r.block is not None and r.continue_event(text):
                continue
            if may_trigger(text) and TRIGGER_RE.search(text):
                r.open_event(text, ln.number, parse_header(text))
        stats = reader.stats
    trace.programs = r.kept_runs()
    trace.lines = stats.lines
    trace.bytes = stats.bytes
    trace.last_line = last_text[:300]
    trace.tail = [t[:300] for t in tail]
    trace.warnings.extend(stats.warnings)
    if stats.lines == 0:
        trace.warnings.append("input is empty")
    if stats.long_lines:
        trace.warnings.append(f"{stats.long_lines:,} line(s) longer than {reader.max_line_bytes:,} B were cut")
    if looks_binary(stats):
        trace.warnings.append(
            f"input looks binary ({stats.nul_lines:,} lines with NUL bytes, {stats.decode_errors:,} not UTF-8): "
            "results are partial")
    elif stats.decode_errors:
        trace.warnings.append(f"{stats.decode_errors:,} line(s) were not valid UTF-8 (bad bytes replaced)")
    if stats.ended_mid_line:
        trace.warnings.append(f"log ends mid-line at line {stats.lines:,} (truncated?)")
    if trace.events_dropped:
        trace.warnings.append(f"{trace.events_dropped:,} further error blocks not kept (limit {MAX_EVENTS:,})")
    trace.rereadable = reader.seekable and not stats.gzip
    return trace
