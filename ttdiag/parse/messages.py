"""Structured reading of an error block: prefixes removed, wrapped lines rejoined, every catalogued
message found with the figures that survive, assertion headers, backtrace frames, Python frames,
compiler diagnostics, signals and exceptions.

Formats (ttnn-facts.md §5; the catalog in :mod:`ttdiag.parse.catalog` cites each message's source):

* ``{TT_FATAL|TT_THROW|TT_ASSERT} @ {file}:{line}: {cond}`` / ``info:`` / message / ``backtrace:`` /
  `` --- frame`` (``tt_stl/assert.hpp``; the tt-mlir runtime's ``LOG_FATAL`` / ``LOG_ASSERT`` alike),
  and the ``TT_FATAL: msg (assert.hpp:104)`` line tt-logger prints before the throw;
* backtraces: tt-metal `` --- `` frames, OpenMPI signal frames ``[host:pid] [ n] lib.so(sym+0x..)[0x..]``,
  LLVM ``#n 0x.. sym (lib+0x..)``, gdb ``#n 0x.. in sym (...) at file:line``, Python and pytest frames;
* C ``assert``: ``prog: file:line: func: Assertion `cond' failed.``; compiler diagnostics
  ``loc("..."): error: ..``, ``file:line:col: fatal error: ..``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalog import TEMPLATES
from .headers import LineHeader, parse_header, strip_transport
from .templates import TemplateMatch, flatten, line_of

ASSERT_HDR = re.compile(
    r"(?P<kind>TT_FATAL|TT_THROW|TT_ASSERT|LOG_FATAL|LOG_ASSERT|DEBUG_ASSERT) @ ?(?P<file>[^\s:]+)"
    r"(?::(?P<line>\d+)(?=:|\s|$))?(?::\s?(?P<cond>.*))?")
CRITICAL_MSG = re.compile(
    r"(?P<kind>TT_FATAL|TT_THROW|TT_ASSERT): (?P<msg>.*?)(?: \((?P<src>[\w./-]+\.[ch]pp:\d+)\))?$")
C_ASSERT = re.compile(
    r"(?:(?P<prog>[\w.+-]+): )?(?P<file>[^\s:]+\.(?:cpp|cc|c|h|hpp|cxx)):(?P<line>\d+): (?P<func>.*?): "
    r"Assertion [`'](?P<cond>.*)' failed\.?")
SIGNAL = re.compile(
    r"Signal: (?P<name>[^(]+?) \((?P<num>\d+)\)"
    r"|program terminated with signal (?P<gdb>SIG\w+), (?P<gdb_name>[^.]+)\."
    r"|Fatal Python error: (?P<py>Segmentation fault|Aborted|Floating point exception|Bus error|Illegal instruction)"
    r"|tt_forge_signal_handler - signal: (?P<forge_num>\d+) \((?P<forge_name>[^)]+)\)"
    r"|(?P<segv>Segmentation fault)(?: \(core dumped\))?"
    r"|(?P<abrt>Aborted)(?: \(core dumped\))"
    r"|signo=(?:signo@entry=)?(?P<signo>\d+)"
    r"|\b(?P<signame>SIG(?:SEGV|FPE|ABRT|BUS|ILL|KILL|TERM))\b"
    r"|Process completed with exit code (?P<exit>13[49]|136|137)\.")

# a line that starts a record: the flat text of a record is matched against the catalog, so a
# wrapped message must stay in one record and two messages should not
_RECORD_START = re.compile(
    r"^(?:info:|backtrace:|stacktrace:|Traceback \(most recent call last\)|During handling of|"
    r"The above exception|_ _ _|_{3,}|={3,}|-{3}\s|#\d+\s|\[\s*\d+\]|File \"|[\w./-]+\.py:\d+:|"
    r"(?:TT_FATAL|TT_THROW|TT_ASSERT|LOG_FATAL|LOG_ASSERT) @|(?:FAILED|ERROR) \S+ - |"
    r"\w*(?:Error|Exception|Interrupt|Exit)\b:|terminate called|what\(\):|PLEASE submit|Stack dump|"
    r"\d+\.\s+Program arguments|\*\*\*|Signal|Failing at address)")

_EXC = re.compile(
    r"^(?:[-*#{]\s*)?(?:FAILED \S+ - |ERROR \S+ - )?(?:\[[^\]]*\]\s*)?"
    r"(?P<type>(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit|Failure|BadStatusOrAccess))"
    r"(?::\s?(?P<msg>.*))?$")
_WHAT = re.compile(r"^what\(\):\s+(?P<msg>.*)$")
_COMPILER = re.compile(
    r"^(?:[\w.+-]+: )?(?:loc\((?P<loc>.*?)\):\s*|(?P<file>[^\s:'\"]+):(?P<line>\d+):(?:(?P<col>\d+):)?\s*)?"
    r"(?P<sev>fatal error|error|internal compiler error): (?P<msg>.*)")
_PYTEST_FILE = re.compile(r"^(?P<file>[\w./<>-]+\.py|<[\w.>-]+):(?P<line>\d+):(?: in (?P<func>\S+)| (?P<exc>\w+))?\s*$")
_PY_FRAME = re.compile(r'^File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>\S+)| in (?P<func2>\S+))?')


@dataclass(slots=True)
class Assertion:
    """A ``TT_FATAL/TT_THROW/TT_ASSERT @ file:line: cond`` header (``file``/``line`` None when the text
    was cut before them) and the message after ``info:``."""

    kind: str
    file: str | None
    line: int | None
    condition: str | None
    message: str
    index: int = 0  # line of the block where it starts
    message_index: int | None = None  # line of the block where its message (after info:) starts


@dataclass(slots=True)
class Frame:
    """One backtrace frame: the block line it is on, its style (``metal`` `` --- ``, ``signal``
    OpenMPI ``[host:pid] [ n]``, ``llvm``, ``gdb``, ``python``), the library or file it names, its
    symbol (demangled nested name when it was mangled) and, for Python / gdb frames, the source line."""

    index: int
    style: str
    text: str
    library: str | None = None
    symbol: str | None = None
    file: str | None = None
    line: int | None = None
    source: str | None = None  # a Python frame's source line


@dataclass(slots=True)
class Found:
    """A catalogued message found in the block: the template match and the block line it starts on."""

    match: TemplateMatch
    index: int

    @property
    def kind(self) -> str:
        return self.match.template.kind


@dataclass(slots=True)
class Diagnostic:
    """A compiler diagnostic: ``loc("...")`` or ``file:line:col``, severity, message, block line."""

    severity: str
    message: str
    loc: str | None
    file: str | None
    line: int | None
    index: int
    text: str


@dataclass(slots=True)
class MessageText:
    """An error block reduced to what it says."""

    lines: list[str]                       # message text of each line (prefixes and logger header removed)
    headers: list[LineHeader | None] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    c_assert: re.Match[str] | None = None
    c_assert_index: int = 0
    signal: dict = field(default_factory=dict)
    signal_index: int | None = None
    exception_type: str | None = None
    exception_message: str | None = None
    exception_index: int | None = None
    wrapped: set[int] = field(default_factory=set)  # lines hard-wrapped onto the next one (_wrapped_lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def backtrace(self) -> list[str]:
        return [f.text for f in self.frames]

    @property
    def headline(self) -> str:
        """The most specific one-line message: the innermost assertion message, else the exception
        message, else the first non-empty line."""
        for a in reversed(self.assertions):
            if a.message:
                return a.message.splitlines()[0]
        if self.exception_message:
            return self.exception_message
        for ln in self.lines:
            if ln.strip():
                return ln.strip()
        return ""


def clean_line(line: str) -> tuple[str, LineHeader | None]:
    """One line's message: transport prefixes, pytest's ``E`` and any logger header removed."""
    line = strip_transport(line.rstrip("\r\n"))
    if line[:1] == "E" and (line[1:2] in (" ", "\t") or line == "E"):
        line = line[1:].lstrip(" \t")
        line = strip_transport(line)
    h = parse_header(line) if line else None
    return (h.message if h is not None else line), h


_PLACEHOLDER = re.compile(r"\{\}")


def _fill_placeholders(lines: list[str]) -> list[str]:
    """tt-metal before mid-2024 printed some TT_THROW messages with their ``{}`` unfilled and the
    arguments on the following lines, one per line: put them back in place (the value lines become
    empty), so the message reads as its format string meant."""
    out = list(lines)
    for i, ln in enumerate(lines):
        n = len(_PLACEHOLDER.findall(ln))
        if n < 2 or i + n >= len(lines) + 1:
            continue
        values = [clean_line(v)[0].strip() for v in lines[i + 1:i + 1 + n]]
        if len(values) == n and all(v and " " not in v for v in values):
            pieces = _PLACEHOLDER.split(ln)  # n + 1 pieces around the n placeholders
            out[i] = "".join(piece + value for piece, value in zip(pieces, [*values, ""]))
            for k in range(i + 1, i + 1 + n):
                out[k] = ""
    return out


_WORKFLOW_CMD = re.compile(r"^::(?:error|warning|notice)(?: [^:]*)?::")


def _expand_workflow_commands(lines: list[str]) -> list[str]:
    """A GitHub Actions ``::error file=..,line=..::msg`` command carries its message with newlines
    escaped (``%0A``, ``%0D``, ``%25``): unescape it into lines (the Actions toolkit's escaping)."""
    out: list[str] = []
    for ln in lines:
        s = strip_transport(ln)
        m = _WORKFLOW_CMD.match(s)
        if m is None or "%0A" not in s:
            out.append(ln)
            continue
        body = s[m.end():].replace("%0D", "").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
        out.extend(body.replace("%25", "%").split("\n"))
    return out


def _wrapped_lines(raw: list[str]) -> set[int]:
    """Indices of the lines a hard wrap broke: a block wrapped at W columns has several lines exactly W
    long (W its longest), each continued by the next. Word-wrapped text has ragged lines and gives none:
    the catalog's templates read it anyway; this is for free text (an assert's condition and message)."""
    lengths = [len(r.rstrip("\r\n")) for r in raw]
    if len(lengths) < 2:
        return set()
    width = max(lengths)
    full = [i for i, n in enumerate(lengths[:-1]) if n == width]
    if width < 40 or len(full) < 2:
        return set()
    return set(full)


def _records(lines: list[str], headers: list[LineHeader | None]) -> list[tuple[int, int]]:
    """Split the block into records ([start, end) line ranges): a record starts at a logger header, a
    section marker, a frame or a new report, and runs over the lines that continue it (a wrapped message)."""
    out = []
    start = 0
    for i in range(1, len(lines)):
        s = lines[i].strip()
        if not s or headers[i] is not None or _RECORD_START.match(s) or not lines[i - 1].strip():
            out.append((start, i))
            start = i
    if lines:
        out.append((start, len(lines)))
    return out


def read_message(raw_lines: list[str]) -> MessageText:
    """Decode an error block (its lines as logged). Assert headers on the same line as ``RuntimeError:``
    or ``FAILED test - RuntimeError:``, nested headers (``Failed to generate binaries .. TT_THROW @ ..``),
    ``info:`` sections, all backtrace styles; wrapped and cut messages through the catalog."""
    raw_lines = _fill_placeholders(_expand_workflow_commands(raw_lines))
    cleaned = [clean_line(ln) for ln in raw_lines]
    lines = [c[0] for c in cleaned]
    headers = [c[1] for c in cleaned]
    msg = MessageText(lines, headers)
    msg.wrapped = _wrapped_lines(raw_lines)
    for start, end in _records(lines, headers):
        flat, starts = flatten(lines[start:end])
        _find_templates(msg, flat, starts, start)
        _find_assertions(msg, lines, flat, starts, start, end)
    _read_sections(msg)
    _read_frames(msg)
    _read_diagnostics(msg)
    return msg


def _find_templates(msg: MessageText, flat: str, starts: list[int], base: int) -> None:
    low = flat.lower()
    for t in TEMPLATES:
        if t.key.split()[0].lower() not in low:  # cheap pre-check on the key's first word
            continue
        for tm in t.finditer(flat):
            msg.found.append(Found(tm, base + line_of(starts, tm.start)))


# the tail of an assert header whose start was cut off (an excerpt that begins mid-path):
# "Documents/tt/tt-metal/tt_metal/jit_build/build.cpp:62: tt::exception"
_HEADER_TAIL = re.compile(r"^(?P<file>[\w./-]+\.(?:cpp|hpp|cc|h)):(?P<line>\d+): (?P<cond>tt::exception|\S.*)$")


def _find_assertions(msg: MessageText, lines: list[str], flat: str, starts: list[int], base: int, end: int) -> None:
    if base == 0 and (m := _HEADER_TAIL.match(lines[0].strip())) and "TT_" not in lines[0] \
            and len(lines) > 1 and lines[1].strip() == "info:":
        msg.assertions.append(Assertion("TT_THROW" if m.group("cond") == "tt::exception" else "TT_FATAL",
                                        m.group("file"), int(m.group("line")), m.group("cond"), "", 0))
    for m in ASSERT_HDR.finditer(flat):
        idx = base + line_of(starts, m.start())
        # the condition is the rest of the physical line holding the line number (a wrapped condition
        # keeps its first line); file and line come from the flat text, so a wrapped path is whole
        cond = None
        if m.group("line"):
            needle = re.compile(re.escape(":" + m.group("line") + ":") + r"\s?(.*)$")
            j = next((k for k in range(idx, end) if needle.search(lines[k])), None)
            if j is not None:
                raw = needle.search(lines[j]).group(1)
                # the condition goes on past a hard wrap (kept exactly: the wrap may fall on a space)
                while j in msg.wrapped and j + 1 < end and not _RECORD_START.match(lines[j + 1].strip()):
                    j += 1
                    raw += lines[j]
                cond = raw.strip() or None
        line_no = int(m.group("line")) if m.group("line") else None
        file = m.group("file") if line_no is not None else None
        msg.assertions.append(Assertion(m.group("kind"), file, line_no, cond, "", idx))


_UNCLOSED_TAIL = re.compile(r"\s*\([^()]*$")


def _read_sections(msg: MessageText) -> None:
    """``info:`` messages into their assertion, the ``TT_FATAL: msg (assert.hpp:104)`` logger form,
    C asserts, signals, exceptions."""
    by_line = {a.index: a for a in msg.assertions}
    current: Assertion | None = None
    section = "text"
    for i, ln in enumerate(msg.lines):
        s = ln.strip()
        if i in by_line:
            current = by_line[i]
            section = "header"
            rest = s.split(" @ ", 1)[0]
            _note_exception(msg, rest, i)
            # "Failed to generate binaries for X TT_THROW @ ..": the text before a nested header
            continue
        if s == "info:" or s.endswith(" info:"):
            section = "info"
            continue
        if s in ("backtrace:", "stacktrace:") or s.startswith("--- ") or s == "---":
            section = "backtrace"
            continue
        if section in ("info", "header") and current is not None:
            if s and not _RECORD_START.match(s):
                if not current.message:
                    current.message_index = i
                    current.message = s
                else:  # a hard-wrapped line goes on without a break
                    current.message += ("" if i - 1 in msg.wrapped else "\n") + s
                section = "info"
                continue
            if s:
                section = "text"
        crit = CRITICAL_MSG.search(s)
        if crit and not s.startswith(("TT_FATAL @", "TT_THROW @", "TT_ASSERT @")):
            text = _UNCLOSED_TAIL.sub("", crit.group("msg")) if crit.group("src") is None else crit.group("msg")
            msg.assertions.append(Assertion(crit.group("kind"), None, None, None, text.strip(), i))
            continue
        if msg.c_assert is None and (m := C_ASSERT.search(s)):
            msg.c_assert, msg.c_assert_index = m, i
        if not msg.signal and (m := SIGNAL.search(s)):
            msg.signal = _signal_figures(m)
            msg.signal_index = i
        if m := _WHAT.match(s):
            _note_exception(msg, "RuntimeError: " + m.group("msg"), i, force_message=True)
            continue
        _note_exception(msg, s, i)


def _signal_figures(m: re.Match[str]) -> dict:
    figs: dict = {}
    if m.group("name"):
        figs["signal"] = m.group("name").strip()
        figs["signal_number"] = int(m.group("num"))
    elif m.group("gdb"):
        figs["signal"] = m.group("gdb")
    elif m.group("signame"):
        figs["signal"] = m.group("signame")
    elif m.group("py"):
        figs["signal"] = m.group("py")
    elif m.group("forge_num"):
        figs["signal"] = m.group("forge_name").strip().capitalize()
        figs["signal_number"] = int(m.group("forge_num"))
    elif m.group("segv"):
        figs["signal"] = "Segmentation fault"
    elif m.group("abrt"):
        figs["signal"] = "Aborted"
    elif m.group("signo"):
        figs["signal_number"] = int(m.group("signo"))
    elif m.group("exit"):
        figs["exit_code"] = int(m.group("exit"))
    return figs


def _note_exception(msg: MessageText, s: str, index: int, force_message: bool = False) -> None:
    m = _EXC.match(s.strip())
    if m is None or (msg.exception_type is not None and not force_message):
        return
    if msg.exception_type is None:
        msg.exception_type = m.group("type").rsplit(".", 1)[-1]
        msg.exception_index = index
    text = (m.group("msg") or "").strip()
    if text and not ASSERT_HDR.search(text) and (msg.exception_message is None or force_message):
        msg.exception_message = text


# -- backtrace frames ---------------------------------------------------------------------------

_METAL_FRAME = re.compile(r"^---\s+(?P<body>.+)$")
_SIGNAL_FRAME = re.compile(r"^\[[^\]:]+:\d+\] \[\s*(?P<n>\d+)\] (?P<body>.+)$")
_LLVM_FRAME = re.compile(r"^#(?P<n>\d+) 0x[0-9a-f]+ (?P<sym>.+?)(?: \((?P<lib>[^()]+?)\+0x[0-9a-f]+\))?$")
_LLVM_NOSYM = re.compile(r"^(?P<n>\d+)\s+(?P<lib>\S+)\s+0x[0-9a-f]+\s+(?P<sym>.+?)(?: \+ \d+)?$")
_GDB_FRAME = re.compile(r"^#(?P<n>\d+)\s+(?:0x[0-9a-f]+ in )?(?P<sym>.+?) ?\(.*?\)(?: at (?P<file>[^\s:]+):(?P<line>\d+)"
                        r"| from (?P<lib>\S+))?(?:\s+<--.*)?\s*$")
_LIB_CALL = re.compile(r"^(?P<lib>/?[^\s(]+?)\((?P<sym>[^)+\s]*)(?:\+0x[0-9a-f]+\)\s*\[0x[0-9a-f]+\]|\+|\)|$)")


def _lib_name(path: str | None) -> str | None:
    return path.rsplit("/", 1)[-1] if path else None


def _read_frames(msg: MessageText) -> None:
    lines = msg.lines
    i = 0
    n = len(lines)
    while i < n:
        s = lines[i].strip()
        frame = None
        if m := _METAL_FRAME.match(s):
            frame = _binary_frame(i, "metal", m.group("body"))
        elif m := _SIGNAL_FRAME.match(s):
            frame = _binary_frame(i, "signal", m.group("body"))
        elif m := _PY_FRAME.match(s):
            src = lines[i + 1].strip() if i + 1 < n and not _PY_FRAME.match(lines[i + 1].strip()) else None
            frame = Frame(i, "python", s, None, m.group("func") or m.group("func2"), m.group("file"),
                          int(m.group("line")), src)
        elif (m := _PYTEST_FILE.match(s)) and m.group("func"):
            frame = Frame(i, "python", s, None, m.group("func"), m.group("file"), int(m.group("line")),
                          _pytest_source(lines, i))
        elif s.startswith("#") and (m := _GDB_FRAME.match(s)) and (" in " in s or " at " in s or "from" in s
                                                                    or "::" in m.group("sym")):
            frame = Frame(i, "gdb", s, _lib_name(m.group("lib")), m.group("sym").strip(), m.group("file"),
                          int(m.group("line")) if m.group("line") else None)
        elif m := _LLVM_FRAME.match(s):
            frame = Frame(i, "llvm", s, _lib_name(m.group("lib")), m.group("sym").strip())
        elif (m := _LLVM_NOSYM.match(s)) and (".so" in m.group("lib") or m.group("lib").startswith("ttmlir")):
            frame = Frame(i, "llvm", s, _lib_name(m.group("lib")), m.group("sym").strip())
        if frame is not None:
            msg.frames.append(frame)
        i += 1


def _pytest_source(lines: list[str], i: int) -> str | None:
    """The ``>`` source line pytest prints above ``file.py:NN: in fn`` (quoting strips the ``>``)."""
    for j in range(i - 1, max(i - 12, -1), -1):
        s = lines[j].strip()
        if s.startswith(">"):
            return s.lstrip("> ").strip()
    return None


def _binary_frame(i: int, style: str, body: str) -> Frame:
    body = body.strip()
    m = _LIB_CALL.match(body)
    if m:
        sym = m.group("sym") or None
        if sym and sym.startswith("_Z"):
            sym = demangle_nested(sym) or sym
        return Frame(i, style, body, _lib_name(m.group("lib")), sym)
    return Frame(i, style, body, None, body)


def _read_diagnostics(msg: MessageText) -> None:
    for i, ln in enumerate(msg.lines):
        s = ln.strip()
        if "error: " not in s:
            continue
        m = _COMPILER.search(s)
        if m is None or (m.group("loc") is None and m.group("file") is None and s[:1].isupper()
                         and not s.startswith("error")):
            continue
        msg.diagnostics.append(Diagnostic(m.group("sev"), m.group("msg").strip(), m.group("loc"), m.group("file"),
                                          int(m.group("line")) if m.group("line") else None, i, s))


# -- small helpers used by the analysis ----------------------------------------------------------

RANGE_OLD = re.compile(r"\(x=(?P<x0>\d+),\s*y=(?P<y0>\d+)\)\s*-\s*\(x=(?P<x1>\d+),\s*y=(?P<y1>\d+)\)")
RANGE_NEW = re.compile(r"(?P<x0>\d+)-(?P<y0>\d+) - (?P<x1>\d+)-(?P<y1>\d+)")
PCC = re.compile(
    r"PCC(?: comparison failed\.)?\s*(?:value)?\s*[=:]?\s*(?P<pcc>-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan)[^0-9]{0,40}?"
    r"(?:Required|required|expected|threshold)(?:_pcc)?\s*[=:]?\s*(?P<req>\d+\.?\d*|\.\d+)", re.IGNORECASE)


def parse_core_range(text: str) -> list[list[int]] | None:
    """``[(x=7,y=6) - (x=7,y=6)]`` or ``[0-0 - 10-9]`` -> ``[[x0, y0], [x1, y1]]``; None if neither."""
    m = RANGE_OLD.search(text) or RANGE_NEW.search(text)
    if not m:
        return None
    return [[int(m.group("x0")), int(m.group("y0"))], [int(m.group("x1")), int(m.group("y1"))]]


def demangle_nested(sym: str) -> str | None:
    """Read the nested name of an Itanium-mangled symbol (``_ZN4ttnn10operations..E``) as
    ``ttnn::operations::..``: the source names up to the first template argument list or the end of
    the nesting; parameter types are not decoded. Also ``_ZNK`` (const), ``C2``/``D2`` (constructor,
    destructor: the class name repeated) and ``St`` (``std::``)."""
    if not sym.startswith("_ZN"):
        if sym.startswith("_Z") and len(sym) > 2 and sym[2].isdigit():  # a free function: _Z3foov
            j = 2
            while j < len(sym) and sym[j].isdigit():
                j += 1
            n = int(sym[2:j])
            return sym[j:j + n] or None
        return None
    i = 3
    while i < len(sym) and sym[i] in "rVKRO":
        i += 1
    parts = []
    if sym.startswith("St", i):
        parts.append("std")
        i += 2
    while i < len(sym):
        c = sym[i]
        if c.isdigit():
            j = i
            while j < len(sym) and sym[j].isdigit():
                j += 1
            n = int(sym[i:j])
            parts.append(sym[j:j + n])
            i = j + n
        elif c in "CD" and i + 1 < len(sym) and sym[i + 1] in "0123459" and parts:
            parts.append(("~" if c == "D" else "") + parts[-1])
            break
        else:
            break
    return "::".join(parts) if parts else None
