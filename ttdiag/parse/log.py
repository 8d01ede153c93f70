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

import ahocorasick

from ..io import ANSI_RE, LineReader, clean_text, input_warnings
from ..ir.trace import LogEvent, OpRecord, ProgramRun, RunTrace
from .catalog import KEYS
from .headers import GHA_STAMP_B, LineHeader, parse_header, strip_transport

EXEC_MARK = "Executing operation: "
EXEC_MARK_B = EXEC_MARK.encode()
PROGRAM_MARK_B = b"execution of program: "
START_MARK = "Starting execution of program: "
FINISH_MARK = "Finished execution of program: "

WINDOW_OPS = 64
MAX_DEFS = 1 << 16
MAX_EVENTS = 2000
KEEP_RUNS = 500
RUN_TAIL_OPS = 8
MAX_BLOCK_LINES = 80
MAX_EVENT_LINE_CHARS = 4000
CONTEXT_LINES = 48
TAIL_BYTES = 1 << 16

# A line that may start an error block: a structural pattern (TRIGGER_RE) or the key of a catalogued
# message (parse.catalog.KEYS). Cheap to evaluate; the classifier decides later whether the block is a
# failure at all.
TRIGGER_RE = re.compile(
    r"TT_THROW|TT_FATAL|TT_ASSERT|LOG_FATAL|LOG_ASSERT"
    r"|\|\s*(?:critical|CRITICAL|FATAL|fatal|ERROR|error)\s*\|"
    r"|\[(?:critical|error|fatal)\]|\bERR\|"
    r"|Traceback \(most recent call last\)"
    r"|^E\s+\w*(?:Error|Exception)\b|^(?:[-*#{]\s*)?[\w.]*(?:Error|Exception)\b[:(]|^FAILED |^::error\b"
    r"|\berror: |received signal|Segmentation fault|core dumped|Stack dump:|PLEASE submit a bug report"
    r"|Out of Memory|Circular buffer size|Cannot set circular buffer"
    r"|Fatal Python error|terminate called|Assertion [`'].*' failed"
    r"|\bTimeout\b|\btimed out\b|\bTIMEOUT\b"
    r"|[Aa]llclose comparison failed|(?:PCC|ATOL) of output \d|Tensor mismatch"
    r"|^(?:E\s+)?\s*--- \S|^\[[^\]:]+:\d+\] \[\s*\d+\] |^#\d+\s+(?:0x[0-9a-f]+ |\w+::)|^#0\s+\S"
    r"|TENSTORRENT_IOCTL_\w+ failed|Out of \w+ Memory|Error code: \d+|Bad StatusOr access"
    r"|^[\w./-]+\.(?:cpp|hpp):\d+: tt::exception$"  # an assert header whose start was cut off
)

# Lower-case literals of which every trigger contains at least one, found in one pass with an
# Aho-Corasick automaton (pyahocorasick): a necessary condition only (TRIGGER_RE and the keys still
# decide), so that the lines and text regions that hold none (almost all of a log) cost one scan.
_TRIGGER_NEEDLES = (
    "tt_", "log_assert", "critical", "fatal", "error", "err|", "exception", "traceback", "failed",
    "received signal", "segmentation fault", "core dumped", "stack dump:", "please submit",
    "out of memory", "circular buffer", "terminate called", "timeout", "timed out", "assertion",
    "allclose", "atol", "mismatch", "pcc", "--- ", "] [ ", "#0 ", "#1 ", "#2 ", "#3 ", "#4 ", "#5 ",
    "ioctl", "memory", "error code", "statusor",
    # context lines kept for localisation (not triggers): pytest's FastOperation and tensor reprs
    "fully_qualified", "ttnn.tensor(", "ttmlir-", "program arguments", "assert_with_pcc",
) + tuple(k.lower() for k in KEYS)  # every catalogued message's key


def _automaton(words) -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for w in dict.fromkeys(words):
        a.add_word(w, w)
    a.make_automaton()
    return a


_NEEDLES = _automaton(_TRIGGER_NEEDLES)
_KEYS = _automaton(KEYS)


def may_trigger(text: str) -> bool:
    """Cheap pre-check for :func:`is_trigger`: False only when ``text`` cannot be a trigger."""
    for _ in _NEEDLES.iter(text.lower()):
        return True
    return False


def is_trigger(text: str) -> bool:
    """Whether ``text`` may start an error block: TRIGGER_RE, or a catalogued message's key."""
    if TRIGGER_RE.search(text):
        return True
    for _ in _KEYS.iter(text):
        return True
    return False


# Starts a new Python-level report, even right after a logger line's block.
NEW_REPORT_RE = re.compile(r"Traceback \(most recent call last\)|\w*(?:Error|Exception)\b[:(]|FAILED ")

CRASH_RE = re.compile(r"Segmentation fault|received signal|Aborted \(core dumped\)|Fatal Python error|"
                      r"terminate called")

_TS_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}")
_OPERANDS_RE = re.compile(r'^(?:%[^=]*=\s*)?"[\w.$]+"\(([^)]*)\)')


def _is_block_end(text: str) -> bool:
    """A structured line (logger prefix, op line, program marker) ends an error block."""
    if not text.strip():
        return False
    if EXEC_MARK in text or "execution of program: " in text:
        return True
    if text.startswith(("E ", "E\t", " --- ", "info:", "backtrace:")) or text == "E":
        return False
    # a logger header ends the block, even right-aligned ("         Always | FATAL | ..."): the old
    # tt-metal logger pads its category to 23 columns
    return parse_header(text) is not None


# Op lines are kept as spans: (raw bytes of consecutive whole op lines, first line number, byte
# offset of the first line, number of lines). A decoder log has millions of op lines and almost all
# of them only pass through; a run of them is taken with one regex match, and lines are decoded into
# OpRecords only when kept (an error event's window and producers, a kept run's tail).
Span = tuple[bytes, int, int, int]
SPAN_LINES = 4096  # op lines a frame keeps as spans; older ones are folded into compact defs


def _span_lines(span: Span) -> list[tuple[int, int, bytes]]:
    """(line number, byte offset, raw line without its newline) for each line of a span, oldest first."""
    data, first, offset, _ = span
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    out = []
    for i, part in enumerate(parts):
        out.append((first + i, offset, part))
        offset += len(part) + 1
    return out


def _op_text(raw_line: bytes) -> bytes:
    """The text after ``Executing operation: `` of one line of a span, cleaned (ANSI, NUL, CR, bad
    UTF-8) when the raw line needs it."""
    if not raw_line.isascii() or b"\x1b" in raw_line or b"\x00" in raw_line or b"\r" in raw_line:
        raw_line = clean_text(raw_line).encode("utf-8")
    i = raw_line.find(EXEC_MARK_B)
    return raw_line[i + len(EXEC_MARK_B):] if i >= 0 else raw_line


def _result_bases(rest: bytes) -> list[bytes]:
    """Base names of the SSA results an op line defines: ``%a, %b = ...`` gives both, ``%0:2 = ...``
    gives ``%0`` (used as ``%0#1``)."""
    if rest[:1] != b"%":
        return []
    eq = rest.find(b" = ")
    if eq <= 0:
        return []
    head = rest[:eq]
    return [name.strip().split(b":", 1)[0] for name in (head.split(b",") if b"," in head else (head,))]


# one match per op line: its first result's base name (None for an op without results) and, for
# "%a, %b = ...", the other names
_DEF_RE = re.compile(rb"Executing operation: (?:(%[\w$.\-]+)(?::\d+)?((?:\s*,\s*%[\w$.\-]+(?::\d+)?)*) = )?")


def _fold(span: Span, defs: OrderedDict[bytes, tuple[int, int]]) -> None:
    """Record the results an evicted span defines in ``defs`` (latest definition last, bounded)."""
    data, first, offset, count = span
    matches = list(_DEF_RE.finditer(data)) if data.isascii() else []
    if len(matches) == count and b"\x1b" not in data and b"\x00" not in data:
        for i, m in enumerate(matches):
            name = m.group(1)
            if name is None:
                continue
            where = (first + i, offset + data.rfind(b"\n", 0, m.start()) + 1)
            for base in _result_bases(m.group(0)[len(EXEC_MARK_B):]) if m.group(2) else (name,):
                defs[base] = where
                defs.move_to_end(base)
    else:  # colours, NULs, a second mark on a line: line by line
        for line, line_offset, raw in _span_lines(span):
            for base in _result_bases(_op_text(raw)):
                defs[base] = (line, line_offset)
                defs.move_to_end(base)
    while len(defs) > MAX_DEFS:
        defs.popitem(last=False)  # O(1); a plain dict's next(iter()) rescans deleted slots


def _tail_span(span: Span, n: int) -> Span:
    """The last ``n`` lines of a span, as a (small) span of their own."""
    data, first, offset, count = span
    if count <= n:
        return span
    cut = len(data) - 1  # data ends with a newline
    for _ in range(n):
        cut = data.rfind(b"\n", 0, cut)
    return data[cut + 1:], first + count - n, offset + cut + 1, n


class _Frame:
    """A running program: its run record, its recent op lines as spans (bounded by ``SPAN_LINES``)
    and, for older op lines, ``defs``: a result's base name (bytes, ``%5``) to the (line, offset)
    of its op, in definition order (re-definitions move to the end, the oldest are evicted)."""

    __slots__ = ("run", "spans", "span_lines", "defs")

    def __init__(self, run: ProgramRun):
        self.run = run
        self.spans: deque[Span] = deque()
        self.span_lines = 0
        self.defs: OrderedDict[bytes, tuple[int, int]] | None = None  # made on the first fold

    def add(self, span: Span) -> None:
        self.spans.append(span)
        self.span_lines += span[3]
        while self.span_lines - self.spans[0][3] >= SPAN_LINES:
            old = self.spans.popleft()
            self.span_lines -= old[3]
            if self.defs is None:
                self.defs = OrderedDict()
            _fold(old, self.defs)

    def recent(self, n: int) -> list[tuple[int, int, bytes]]:
        """The last ``n`` op lines (line, offset, raw line), oldest first."""
        out: list[tuple[int, int, bytes]] = []
        if n <= 0:
            return out
        for span in reversed(self.spans):
            out[:0] = _span_lines(span)[-(n - len(out)):]
            if len(out) >= n:
                break
        return out

    def producer(self, base: bytes) -> tuple[int, int] | None:
        """(line, offset) of the latest op line of this run that defines ``base``."""
        for span in reversed(self.spans):
            for line, offset, raw in reversed(_span_lines(span)):
                if base in _result_bases(_op_text(raw)):
                    return line, offset
        return self.defs.get(base) if self.defs is not None else None

    def tail(self) -> list[Span] | deque[Span]:
        """The last ``RUN_TAIL_OPS`` op lines as small spans (decoded only if the run is kept). A short
        run hands over its spans as they are (the frame is done with them): most runs are short."""
        if self.span_lines <= 2 * RUN_TAIL_OPS and sum(len(sp[0]) for sp in self.spans) <= 1 << 16:
            return self.spans
        out: list[Span] = []
        need = RUN_TAIL_OPS
        for span in reversed(self.spans):
            piece = _tail_span(span, need)
            out.insert(0, piece)
            need -= piece[3]
            if need <= 0:
                break
        return out


def _record(line: int, offset: int, run: int | None, raw: bytes) -> OpRecord:
    """A kept op line, decoded."""
    return OpRecord(line, offset, run, clean_text(_op_text(raw)).rstrip())


def _records(spans: list[Span], run: int | None, n: int) -> list[OpRecord]:
    """The last ``n`` op lines of ``spans``, decoded."""
    lines = [x for span in spans for x in _span_lines(span)]
    return [_record(line, offset, run, raw) for line, offset, raw in (lines[-n:] if n > 0 else [])]


class _Reader:
    """Program runs nest: the runtime runs a const-eval program from inside ``main`` (the
    ``ttcore.load_cached`` op), so ``Starting``/``Finished`` markers are kept on a stack."""

    def __init__(self, source: str, window: int):
        self.trace = RunTrace(source=source)
        self.window_size = window
        self.stack: list[_Frame] = []
        self.block: LogEvent | None = None
        self.block_header: LineHeader | None = None
        self.blank_run = 0
        # the lines before an error block that say which Python call failed (pytest prints the
        # FastOperation and tensor reprs above its E lines): bounded, cleared when a block opens
        self.context: deque[tuple[int, str]] = deque(maxlen=CONTEXT_LINES)
        # bounded run records: memory does not grow with the number of programs
        self.first_runs: list[ProgramRun] = []
        self.last_runs: deque[ProgramRun] = deque(maxlen=KEEP_RUNS)
        self.pinned: dict[int, ProgramRun] = {}
        # the allocator state being logged (tt-mlir's MemoryView lines): handed to the next error block
        self.memory: dict | None = None

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
        self.stack.append(_Frame(run))

    def finish_program(self, name: str, line: int) -> None:
        name = name.strip()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].run.name == name:
                for frame in self.stack[i:]:
                    frame.run.end_line = frame.run.end_line or line
                    frame.run.tail = frame.tail()  # type: ignore[assignment]  (spans until kept)
                    self.trace.runs_finished += 1
                del self.stack[i:]
                return
        if self.stack:
            frame = self.stack.pop()
            frame.run.end_line = line
            frame.run.tail = frame.tail()  # type: ignore[assignment]
            self.trace.runs_finished += 1

    def op_span(self, data: bytes, line: int, offset: int, count: int) -> None:
        """``count`` consecutive whole op lines (raw bytes, each ending in a newline) starting at ``line``."""
        if not self.stack:
            # op lines without a "Starting execution" marker (e.g. ttrt excerpts)
            self.start_program("?", line, implicit=True)
        frame = self.stack[-1]
        frame.run.ops += count
        frame.add((data, line, offset, count))

    # -- allocator state (MemoryView lines) ---------------------------------------------
    def memory_line(self, text: str, line: int) -> bool:
        """A ``Device memory state before operation X`` (``before submit`` / ``after submit``) header or
        a ``Device <KIND> memory state: MemoryView{...}`` line (tt-mlir ``runtime/lib/common/types.cpp``
        ``MemoryView::toString``): kept raw, read only if an error block follows. False when ``text`` is
        neither."""
        i = text.find("MemoryView{")
        if i < 0:
            m = MEM_HEADER_RE.search(text)
            if m is None:
                return False
            self.memory = {"line": line, "op": m.group(1) or f"submit ({m.group(2)})", "views": {}}
            return True
        k = MEM_KIND_RE.search(text, 0, i)
        if k is None:
            return False
        kind = k.group(1).replace(" ", "_")
        cur = self.memory
        if cur is None or kind in cur["views"]:
            cur = self.memory = {"line": line, "op": None, "views": {}}
        cur["views"][kind] = (line, text[:MAX_EVENT_LINE_CHARS])
        self.trace.memory_lines += 1
        return True

    # -- error blocks --------------------------------------------------------------------
    def open_event(self, text: str, line: int, header: LineHeader | None) -> None:
        t = self.trace
        if len(t.events) >= MAX_EVENTS:
            t.events_dropped += 1
            self.block = None
            return
        frame = self.stack[-1] if self.stack else None
        window = [_record(ln, off, frame.run.index, raw) for ln, off, raw in frame.recent(self.window_size)] \
            if frame is not None else []
        last = window[-1] if window else None
        ev = LogEvent(
            line=line,
            lines=[text[:MAX_EVENT_LINE_CHARS]],
            source=_source_of(text, header),
            level=header.level if header else None,
            run=self.current.index if self.current is not None else None,
            last_op=last,
            window=window,
            context=[(n, c[:MAX_EVENT_LINE_CHARS]) for n, c in self.context],
            memory=self.memory,
        )
        self.context.clear()
        self.block_header = header
        if last is not None and frame is not None:
            m = _OPERANDS_RE.match(last.text)
            if m:
                for operand in (o.strip() for o in m.group(1).split(",")):
                    where = frame.producer(operand.split("#")[0].encode("utf-8", "replace"))
                    if where is not None:
                        ev.producers[operand] = where
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
        if len(ev.lines) >= MAX_BLOCK_LINES:
            self.block = None
            return False
        if _is_block_end(text):
            # a traceback logged line by line under one logger header (vLLM's "ERROR .. [engine.py:187]",
            # CI wrappers) goes on under that header
            h = parse_header(text)
            opened = self.block_header
            if not (h is not None and opened is not None and (h.level, h.category) == (opened.level, opened.category)
                    and (_CONTINUES.match(h.message) or (opened.source == "python" and h.source == "python"))):
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


# the message of a logger line that continues a block logged under the same header
_CONTINUES = re.compile(r"\s|info:|backtrace:|---|File \"|Traceback|\w*(?:Error|Exception)\b|TT_(?:FATAL|THROW)")


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


def _may_trigger_bytes(region: bytes) -> bool:
    """:func:`may_trigger` for many ASCII lines at once: False only when no line can be a trigger."""
    for _ in _NEEDLES.iter(region.lower().decode("ascii")):
        return True
    return False


_QUIET = object()  # a clean line that is no op line, no marker and no trigger candidate
_PREFIX_FIRST = frozenset("0123456789[>`")  # first characters of a transport prefix (strip_transport)
_CONTEXT_RE = re.compile(r"python_fully_qualified_name=|ttnn\.Tensor\(|^\s*File \"|^\S+\.py:\d+: in |"
                         r"\bttmlir-(?:opt|translate)\b|assert_with_pcc\(")  # a lit RUN line; a PCC check's call


# tt-mlir runtime/lib/common/types.cpp: the state headers and each kind's MemoryView line (memory_records
# reads the figures with these too)
MEM_HEADER_RE = re.compile(r"Device memory state (?:before operation:?\s*(\S+)|(before|after) submit)")
MEM_KIND_RE = re.compile(r"Device (DRAM|L1_SMALL|L1 SMALL|L1|TRACE) memory state: ")


def _run_regex(prefix: bytes, stamped: bool = False) -> re.Pattern[bytes]:
    """One or more whole lines that start with ``prefix`` (the logger header and the mark of the last
    op line seen, colours and NULs included), each after a GitHub Actions time stamp when ``stamped``.
    A single-character class keeps sre on its fast scanning loop; whether the lines are ASCII is
    checked on the match as a whole."""
    stamp = GHA_STAMP_B.pattern if stamped else b""
    return re.compile(b"(?:" + stamp + re.escape(prefix) + rb"[^\n]*+\n)++")


_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")
# what LineReader.decode removes from an ASCII line without changing its text otherwise
_JUNK_RE = re.compile(rb"\x00|\r|" + ANSI_RE.pattern.encode())


def _ascii_length(span: bytes) -> int:
    """Length of the leading whole lines of ``span`` that are ASCII (the rest is decoded line by line)."""
    m = _NON_ASCII_RE.search(span)
    return len(span) if m is None else span.rfind(b"\n", 0, m.start()) + 1


def _raw_header(chunk: bytes, text: str) -> bytes | None:
    """The raw bytes of an ASCII op line up to the end of its mark, ANSI colours and NULs included:
    the header its neighbours repeat. None unless they clean to exactly the decoded line's header."""
    want = text.find(EXEC_MARK) + len(EXEC_MARK)
    kept = 0  # clean characters passed
    raw = 0
    for m in _JUNK_RE.finditer(chunk):
        if kept + m.start() - raw >= want:
            break
        kept += m.start() - raw
        raw = m.end()
    head = chunk[:raw + want - kept]
    return head if clean_text(head) == text[:want] else None


def read_log(path: str, window: int = WINDOW_OPS) -> RunTrace:
    """Stream ``path`` (``-`` = stdin; gzip detected) into a RunTrace.

    The input is read in blocks of whole lines. A run of consecutive op lines with the header of
    the last clean op line seen, the bulk of a DEBUG log, is taken with one regex match and kept
    undecoded (line numbers by counting newlines); every other line is decoded (ANSI, CR, NUL, bad
    UTF-8 cleaned) and classified one by one, so colourised, NUL-riddled or re-prefixed op lines
    are read as before, only slower.

    Raises:
        ttdiag.io.InputError: the input cannot be opened.
    """
    with LineReader(path) as reader:
        decode = reader.decode
        r = _Reader(path, window)
        trace = r.trace
        number = 0
        op_lines = 0
        run_re: re.Pattern[bytes] | None = None
        prefix = b""
        boundary = b"\n"
        regexes: dict[tuple[bytes, bool], re.Pattern[bytes]] = {}
        stamped = False
        known: dict[bytes, object] = {}  # raw line -> _QUIET or (is_start, program name)
        tail_buf = b""
        for base, data, pos, end in reader.blocks():
            base -= pos  # input offset of data[0]
            block_start = pos
            per_line_until = pos
            while pos < end:
                if run_re is not None:
                    m = run_re.match(data, pos, end)
                    if m is not None:
                        span = data[pos:m.end()]
                        if not span.isascii():
                            span = span[:_ascii_length(span)]
                        if span:
                            # every newline but the last is followed by the header: counting those is
                            # faster than counting newlines (the long needle lets the search skip ahead)
                            n = span.count(b"\n") if stamped else span.count(boundary) + 1
                            if b"\x00" in span:  # as decoding each line would count them
                                reader.stats.nul_lines += sum(1 for ln in span.split(b"\n") if b"\x00" in ln)
                            r.block = None
                            r.op_span(span, number + 1, base + pos, n)
                            number += n
                            op_lines += n
                            pos += len(span)
                            continue
                    if pos >= per_line_until and r.block is None and (number > 5000 or trace.first_timestamp is not None):
                        # the lines up to the next op line with the header (e.g. an op line hard-wrapped
                        # into many): when none of them can be an op line, a program marker, a trigger
                        # or a block line, they only need counting
                        q = data.find(boundary, pos, end)
                        stop = end if q < 0 else q + 1
                        if data.find(PROGRAM_MARK_B, pos, stop) < 0:
                            region = data[pos:stop]
                            if (EXEC_MARK_B not in region and region.isascii() and b"\x1b" not in region
                                    and b"\x00" not in region and not _may_trigger_bytes(region)):
                                number += region.count(b"\n") + (0 if region.endswith(b"\n") else 1)
                                pos = stop
                                continue
                        per_line_until = stop  # decide line by line up to there (no rescans)
                nl = data.find(b"\n", pos, end)
                nxt = end if nl < 0 else nl + 1
                chunk = data[pos:nxt]
                offset = base + pos
                pos = nxt
                number += 1
                seen = known.get(chunk)
                if seen is not None:
                    # a line met before: a program marker, or text that is nothing (no op, no trigger)
                    if seen is not _QUIET:
                        r.block = None
                        if seen[0]:
                            r.start_program(seen[1], number)
                        else:
                            r.finish_program(seen[1], number)
                        continue
                    if r.block is None and (number > 5000 or trace.first_timestamp is not None):
                        continue
                head = None
                i = chunk.find(EXEC_MARK_B)
                if i >= 0 and chunk.isascii() and b"\x1b" not in chunk and b"\x00" not in chunk:
                    head = chunk[:i + len(EXEC_MARK_B)]
                else:
                    text = decode(chunk)
                    if text[:1] in _PREFIX_FIRST:
                        text = strip_transport(text)
                    if EXEC_MARK in text:  # an op line; b"" when its header cannot serve as a run key
                        head = (_raw_header(chunk, text) or b"") if chunk.isascii() else b""
                if head is not None:
                    # an op line the run regex did not take (kept raw): learn its header for the next ones
                    r.block = None
                    op_lines += 1
                    r.op_span(chunk if nl >= 0 else chunk + b"\n", number, offset, 1)
                    stamp = GHA_STAMP_B.match(head) if head[:1].isdigit() else None
                    if stamp is not None:  # a CI log: every line has its own time stamp, learn what follows
                        head = head[stamp.end():]
                    if head and (head != prefix or stamped != (stamp is not None)) and len(head) <= 512:
                        prefix, stamped = head, stamp is not None
                        boundary = b"\n" if stamped else b"\n" + prefix
                        if (prefix, stamped) not in regexes:
                            if len(regexes) >= 64:
                                regexes.clear()
                            regexes[prefix, stamped] = _run_regex(prefix, stamped)
                        run_re = regexes[prefix, stamped]
                    continue
                # lines recur (markers of the same programs, runtime chatter): remember clean ones
                memo = len(chunk) <= 512 and chunk.isascii() and b"\x1b" not in chunk and b"\x00" not in chunk
                if memo and len(known) >= 8192:
                    known.clear()
                if "execution of program: " in text:
                    r.block = None
                    if START_MARK in text:
                        name = text.split(START_MARK, 1)[1]
                        r.start_program(name, number)
                        if memo:
                            known[chunk] = (True, name)
                    elif FINISH_MARK in text:
                        name = text.split(FINISH_MARK, 1)[1]
                        r.finish_program(name, number)
                        if memo:
                            known[chunk] = (False, name)
                    continue
                if trace.first_timestamp is None and number <= 5000:
                    m = _TS_RE.search(text[:64])
                    if m:
                        trace.first_timestamp = m.group(1)
                if r.block is not None and r.continue_event(text):
                    continue
                if may_trigger(text):
                    # an allocator state line (4 per op in a DEBUG log with memory logging) is no error:
                    # taken before TRIGGER_RE, whose ~40 alternatives cost ~75 us on such a line
                    if "memory state" in text and r.memory_line(text, number):
                        pass
                    elif is_trigger(text):
                        r.open_event(text, number, parse_header(text))
                    elif _CONTEXT_RE.search(text):
                        r.context.append((number, text))
                elif memo:
                    known[chunk] = _QUIET
                elif text.startswith((">", " ")) and r.context:
                    # a long indented line the memo does not hold (short ones are remembered as quiet above)
                    r.context.append((number, text))
            # the last lines of the input, for the tail and last_line
            if tail_buf and not tail_buf.endswith(b"\n"):
                tail_buf += b"\n"
            if end - block_start >= TAIL_BYTES:
                tail_buf = data[end - TAIL_BYTES:end]
            else:
                tail_buf = (tail_buf + data[block_start:end])[-TAIL_BYTES:]
        trace.op_lines = op_lines
        stats = reader.stats
        stats.lines = number
    trace.programs = r.kept_runs()
    for run in trace.programs:  # tails stay raw spans until a run is kept
        if run.tail and not isinstance(run.tail[0], OpRecord):
            run.tail = _records(list(run.tail), run.index, RUN_TAIL_OPS)  # type: ignore[arg-type]
        elif not isinstance(run.tail, list):
            run.tail = []
    trace.lines = stats.lines
    trace.bytes = stats.bytes
    last_lines = [clean_text(x) for x in tail_buf.split(b"\n")]
    trace.last_line = next((t for t in reversed(last_lines) if t), "")[:300]
    trace.tail = [t[:300] for t in last_lines if t.strip()][-5:]
    for kind, text in input_warnings(stats, reader.max_line_bytes):
        trace.warnings.append(text)
        if kind:
            trace.health.append((kind, text))
    if trace.events_dropped:
        trace.warnings.append(f"{trace.events_dropped:,} further error blocks not kept (limit {MAX_EVENTS:,})")
    trace.rereadable = reader.seekable and not stats.gzip
    return trace
