"""Structured reading of error-block text: prefixes removed, assert headers and known messages decoded.

Message formats (ttnn-facts.md §5):

* ``tt_metal/impl/program/program.cpp`` ``validate_circular_buffer_region``: the CB overflow and
  CB/L1-buffer clash messages (§5.1), ranges ``[(x=7,y=6) - (x=7,y=6)]`` (older) or ``[0-0 - 10-9]`` (2026);
* ``tt_metal/impl/allocator/bank_manager.cpp`` ``BankManager::allocate_buffer``: the OOM message,
  with the 2026 ``but bank size is ..`` suffix (§5.2);
* ``ttnn/core/tensor/tensor_utils.cpp`` ``infer_dims_for_reshape`` and ``reshape.cpp`` (§5.3);
* ``{TT_FATAL|TT_THROW|TT_ASSERT} @ {file}:{line}: {cond}`` / ``info:`` / message / ``backtrace:`` (§5.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CB_OVF = re.compile(
    r"Statically allocated circular buffers on core range (?P<range>.+?) grow to (?P<end>\d+) B "
    r"which is beyond max L1 size of (?P<l1>\d+) B")
CB_CLASH = re.compile(
    r"Statically allocated circular buffers in program (?P<prog>\d+) clash with L1 buffers on core range "
    r"(?P<range>.+?)\. L1 buffer allocated at (?P<addr>\d+) and static circular buffer region ends at (?P<end>\d+)")
OOM = re.compile(
    r"Out of Memory: Not enough space to allocate (?P<size>\d+) B (?P<btype>\w+) buffer across (?P<banks>\d+) banks?, "
    r"where each bank needs to store (?P<per_bank>\d+) B"
    r"(?:, but bank size is (?P<bank>\d+) B \(allocated: (?P<alloc>\d+) B, free: (?P<free>\d+) B, "
    r"largest free block: (?P<lfb>\d+) B\))?")
RANGE_OLD = re.compile(r"\(x=(?P<x0>\d+),\s*y=(?P<y0>\d+)\)\s*-\s*\(x=(?P<x1>\d+),\s*y=(?P<y1>\d+)\)")
RANGE_NEW = re.compile(r"(?P<x0>\d+)-(?P<y0>\d+) - (?P<x1>\d+)-(?P<y1>\d+)")
ASSERT_HDR = re.compile(r"(?P<kind>TT_FATAL|TT_THROW|TT_ASSERT|LOG_FATAL|LOG_ASSERT) @ (?P<file>\S+?):(?P<line>\d+): ?(?P<cond>.*)")
CRITICAL_MSG = re.compile(r"(?P<kind>TT_FATAL|TT_THROW|TT_ASSERT): (?P<msg>.*?)(?: \((?P<src>[\w./-]+\.[ch]pp:\d+)\))?$")
RESHAPE_MSGS = (
    "Invalid arguments to reshape",
    "Attempting to reshape between two shapes with different volumes",
    "Tensor volume is 0, but shape's volume is not",
    "Tensor volume is not 0, but shape volume is 0",
    "Only one dimension can be inferred in reshape",
    "Shape cannot have more than 1 elements that is set to -1",
    "cannot reshape tensor of 0 elements",
    "illegal dimensions for a bfloat8 tensor",
)
PCC = re.compile(
    r"PCC(?: comparison failed\.)?\s*(?:value)?\s*[=:]?\s*(?P<pcc>-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan)[^0-9]{0,40}?"
    r"(?:Required|required|expected|threshold)(?:_pcc)?\s*[=:]?\s*(?P<req>\d+\.?\d*|\.\d+)", re.IGNORECASE)
SIGNAL = re.compile(r"Signal: (?P<name>[^(]+?) \((?P<num>\d+)\)|(?P<segv>Segmentation fault)|(?P<abrt>Aborted)")
MANGLED = re.compile(r"\((?P<sym>_ZN[\w]+?)(?:\+0x[0-9a-f]+)?\)")

_UNCLOSED_TAIL = re.compile(r"\s*\([^()]*$")
_PREFIXES = (
    re.compile(r"^E\s{1,12}"),                       # pytest
    re.compile(r"^\s*>\s?"),                          # markdown quote
)
_HEADER_STRIP = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[.,]\d{3} \| \w+\s*\|(?:\s*[A-Za-z]\w*\s*\|)?"
    r"|\[\d{4}-[^\]]+\] \[\w+\] \[[^\]]*\]"
    r"|\s*[A-Za-z]\w*\s*\|\s*(?:TRACE|DEBUG|INFO|WARNING|ERROR|FATAL|CRITICAL|critical|error|warning|info|debug)\s*\|)\s?")


@dataclass(slots=True)
class Assertion:
    """A ``TT_FATAL/TT_THROW/TT_ASSERT @ file:line: cond`` header and the message after ``info:``."""

    kind: str
    file: str | None
    line: int | None
    condition: str | None
    message: str


@dataclass(slots=True)
class MessageText:
    """An error block reduced to what it says: clean lines, decoded assertions, the key message."""

    lines: list[str]
    assertions: list[Assertion] = field(default_factory=list)
    backtrace: list[str] = field(default_factory=list)
    exception_type: str | None = None
    exception_message: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

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


def clean_line(line: str) -> str:
    """Drop pytest ``E   `` / quote prefixes and logger headers from one line."""
    for rx in _PREFIXES:
        line = rx.sub("", line, count=1)
    return _HEADER_STRIP.sub("", line, count=1)


def read_message(raw_lines: list[str]) -> MessageText:
    """Decode an error block. Handles assert headers on the same line as ``RuntimeError:`` or
    ``FAILED test - RuntimeError:``, nested headers (``Failed to generate binaries .. TT_THROW @ ..``),
    ``info:`` sections and ``backtrace:`` frames."""
    lines = [clean_line(ln) for ln in raw_lines]
    msg = MessageText(lines)
    section = "text"
    current: Assertion | None = None
    for ln in lines:
        s = ln.strip()
        if s.startswith("--- ") or s == "backtrace:":
            section = "backtrace"
            if s != "backtrace:":
                msg.backtrace.append(s[4:])
            continue
        hdr = ASSERT_HDR.search(ln)
        if hdr:
            prefix = ln[: hdr.start()].strip()
            if prefix and current is not None and section == "info":
                current.message = (current.message + "\n" + prefix).strip()
            current = Assertion(hdr.group("kind"), hdr.group("file"), int(hdr.group("line")),
                                hdr.group("cond").strip() or None, "")
            msg.assertions.append(current)
            section = "header"
            _note_exception(msg, prefix)
            continue
        if s == "info:":
            section = "info"
            continue
        crit = CRITICAL_MSG.search(s)
        if crit and not msg.assertions and section == "text":
            # "(assert.hpp:103)" is where the logger was called, not the assert's source
            text = _UNCLOSED_TAIL.sub("", crit.group("msg"))
            current = Assertion(crit.group("kind"), None, None, None, text)
            msg.assertions.append(current)
            section = "info"
            continue
        if section in ("info", "header") and current is not None:
            if s:
                current.message = (current.message + "\n" + s).strip() if current.message else s
                section = "info"
            continue
        if section == "backtrace":
            if s:
                msg.backtrace.append(s)
            continue
        _note_exception(msg, s)
    return msg


_EXC = re.compile(r"^(?:FAILED \S+ - )?(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit))(?::\s?(?P<msg>.*))?$")


def _note_exception(msg: MessageText, s: str) -> None:
    m = _EXC.match(s.strip())
    if m and msg.exception_type is None:
        msg.exception_type = m.group("type")
        text = (m.group("msg") or "").strip()
        if text and not ASSERT_HDR.search(text):
            msg.exception_message = text


def parse_core_range(text: str) -> list[list[int]] | None:
    """``[(x=7,y=6) - (x=7,y=6)]`` or ``[0-0 - 10-9]`` -> ``[[x0, y0], [x1, y1]]``; None if neither."""
    m = RANGE_OLD.search(text) or RANGE_NEW.search(text)
    if not m:
        return None
    return [[int(m.group("x0")), int(m.group("y0"))], [int(m.group("x1")), int(m.group("y1"))]]


def demangle_nested(sym: str) -> str | None:
    """Read the nested name of an Itanium-mangled symbol (``_ZN4ttnn10operations..E``) as
    ``ttnn::operations::..``. Only the ``N ... E`` name is decoded (no parameter types)."""
    if not sym.startswith("_ZN"):
        return None
    i = 3
    while i < len(sym) and sym[i] in "rVKR":
        i += 1
    parts = []
    while i < len(sym) and sym[i].isdigit():
        j = i
        while j < len(sym) and sym[j].isdigit():
            j += 1
        n = int(sym[i:j])
        parts.append(sym[j:j + n])
        i = j + n
    return "::".join(parts) if parts else None
