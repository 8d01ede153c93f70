"""Reading inputs: files, gzip, stdin; decoding, ANSI colours, CRLF, NUL bytes, huge lines.

Inputs are only ever opened for reading. Lines are streamed with a bounded length so memory
does not grow with the file: a line longer than ``max_line_bytes`` keeps its head and the
rest is skipped (and counted).
"""

from __future__ import annotations

import io
import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

ANSI_RE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")  # one literal head: sre skips to each ESC
MAX_LINE_BYTES = 1 << 20
BLOCK_BYTES = 1 << 22


class InputError(Exception):
    """An input that cannot be read at all (missing, a directory, permission denied, not gzip data)."""


class GzipStream(io.RawIOBase):
    """The decompressed bytes of a gzip file (its members in sequence), tolerant of a cut.

    Where the compressed stream ends before a member's end-of-stream marker (a CI artifact cut
    mid-upload) or its data turn corrupt, reading stops after everything that decompressed and
    ``truncated`` / ``corrupt`` say why; Python's ``gzip.GzipFile`` raises instead and loses the block it was
    decompressing. Trailing NUL padding is ignored, as by gzip(1). Memory: one 64 KiB compressed
    chunk and at most 256 KiB of output at a time.

    Raises (from reads):
        InputError: nothing decompressed before the data proved not to be gzip, corrupt or cut.
    """

    CHUNK = 1 << 16
    WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer, as RFC 1952

    def __init__(self, raw: BinaryIO, name: str):
        self._raw = raw
        self._name = name
        self._in = b""
        self._out = b""
        self._unz = zlib.decompressobj(self.WBITS)
        self._in_member = False  # the current member has started but not reached its end marker
        self._done = False
        self.produced = 0  # decompressed bytes
        self.truncated = False
        self.corrupt: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        while not self._out and not self._done:
            self._fill()
        n = min(len(buf), len(self._out))
        buf[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _fill(self) -> None:
        if not self._in:
            self._in = self._raw.read(self.CHUNK)
            if not self._in:
                self._done = True
                self.truncated = self._in_member
                if self.truncated and not self.produced:
                    raise InputError(f"{self._name}: gzip stream ends before any data (truncated)")
                return
        if self._unz.eof:  # the previous member ended: padding, or the next member
            if not self._in.strip(b"\x00"):
                self._in = b""
                return
            self._unz = zlib.decompressobj(self.WBITS)
        try:
            out = self._unz.decompress(self._in, 4 * self.CHUNK)
        except zlib.error as e:
            self._done = True
            self.corrupt = _zlib_reason(e)
            if not self.produced:
                raise InputError(f"{self._name}: not valid gzip data ({self.corrupt})") from None
            return
        self._in_member = not self._unz.eof
        self._in = self._unz.unused_data if self._unz.eof else self._unz.unconsumed_tail
        self.produced += len(out)
        self._out = out


def _zlib_reason(e: BaseException) -> str:
    """zlib's reason without its code: ``Error -3 while decompressing data: invalid block type`` → the tail."""
    return str(e).rsplit(": ", 1)[-1] or e.__class__.__name__


@dataclass(slots=True)
class ReadStats:
    """What the reader saw: bytes and lines read, lines cut, replaced bytes, NULs, binary hint."""

    bytes: int = 0
    lines: int = 0
    long_lines: int = 0
    decode_errors: int = 0
    nul_lines: int = 0
    gzip: bool = False
    binary_suspect: bool = False
    ended_mid_line: bool = False
    gzip_truncated: bool = False  # the gzip stream ends before its end-of-stream marker
    gzip_corrupt: str | None = None  # why the gzip data stopped decompressing (zlib's reason)
    warnings: list[str] = field(default_factory=list)


def _open_binary(path: str) -> tuple[BinaryIO, bool]:
    if path == "-":
        return sys.stdin.buffer, False
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory")
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: {e.strerror or e}") from None
    return f, True


def check_readable(path: str) -> None:
    """Fail fast, before a command's heavy imports, when ``path`` cannot be opened (``-`` always can).

    Raises:
        InputError: missing, a directory, permission denied.
    """
    if path != "-":
        f, _ = _open_binary(path)
        f.close()


@dataclass(slots=True)
class Line:
    """One decoded line: 1-based number, byte offset of its start, clean text (no ANSI, no CR)."""

    number: int
    offset: int
    text: str


class LineReader:
    """Iterate over the clean lines of ``path`` (``-`` for stdin, gzip detected by magic bytes).

    Use as a context manager. ``stats`` fills in as lines are read.

    Raises:
        InputError: when the input cannot be opened.
    """

    def __init__(self, path: str, max_line_bytes: int = MAX_LINE_BYTES):
        self.path = path
        self.max_line_bytes = max_line_bytes
        self.stats = ReadStats()
        raw, self.seekable = _open_binary(path)
        self._raw = raw
        head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
        self._gzip: GzipStream | None = None
        if head == b"\x1f\x8b":
            self.stats.gzip = True
            self._gzip = GzipStream(raw, path)
            self._stream: BinaryIO = io.BufferedReader(self._gzip, 1 << 20)  # type: ignore[assignment]
        else:
            self._stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]

    def __enter__(self) -> LineReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._raw is not sys.stdin.buffer:
            self._raw.close()

    def __iter__(self) -> Iterator[Line]:
        number = 0
        decode = self.decode
        for offset, chunk in self.raw():
            number += 1
            yield Line(number, offset, decode(chunk))

    def raw(self) -> Iterator[tuple[int, bytes]]:
        """(byte offset, raw line bytes, ``\\n`` included) for every line, undecoded: the log reader
        classifies op lines on bytes and decodes only the lines it keeps. Over-long lines are cut
        to ``max_line_bytes`` as in iteration; ``stats`` fills in the same way."""
        stats = self.stats
        limit = self.max_line_bytes
        readline = self._stream.readline
        offset = 0
        number = 0
        try:
            while True:
                chunk = readline(limit)
                if not chunk:
                    break
                start = offset
                offset += len(chunk)
                if chunk[-1:] != b"\n":
                    if len(chunk) >= limit:
                        # Over-long line: keep the head, skip the rest without holding it.
                        stats.long_lines += 1
                        while True:
                            more = readline(limit)
                            offset += len(more)
                            if not more or more.endswith(b"\n"):
                                break
                    else:
                        stats.ended_mid_line = True
                number += 1
                yield start, chunk
        except OSError as e:
            stats.warnings.append(f"input ends early: {e.strerror or e} (after {number:,} lines)")
            stats.ended_mid_line = True
        finally:
            stats.bytes = offset
            stats.lines = number
            self._gzip_outcome()

    def blocks(self, block_bytes: int | None = None) -> Iterator[tuple[int, bytes, int, int]]:
        """Blocks of whole lines, in order, for readers that classify lines in bulk: ``(offset, data,
        start, end)``, the lines being ``data[start:end]`` and ``offset`` the input offset of ``data[start]``.

        Each block is contiguous in the input and ends with a newline, except the input's last line
        when it has none and an over-long line, which comes alone as its head of ``max_line_bytes``
        (the rest skipped, as in iteration). Blocks are the buffers read, not copies: use them before
        asking for the next one. ``stats`` fills in as with :meth:`raw` except ``lines``, which the
        caller counts (the blocks are not split into lines here). Memory is bounded by about
        ``2 * block_bytes + max_line_bytes``.
        """
        stats = self.stats
        limit = self.max_line_bytes
        half = max(1, limit // 2)
        block_bytes = block_bytes or BLOCK_BYTES
        read = self._stream.read
        offset = 0  # input offset of the next line to yield (the first byte of `carry`, if any)
        carry = b""
        pending = b""  # read after a skipped over-long line, not yet looked at
        try:
            eof = False
            while not eof:
                if pending:
                    data, pending = pending, b""
                else:
                    data = read(block_bytes)
                if not data:
                    eof = True
                    if not carry:
                        break
                start = 0
                if carry:
                    nl = data.find(b"\n")
                    if nl < 0:
                        carry += data
                        data = b""
                    else:
                        # the carried partial line, completed by the head of this read
                        line = carry + data[:nl + 1]
                        carry = b""
                        start = nl + 1
                        for piece in _split_long(line, 0, len(line), offset, limit, half):
                            stats.long_lines += piece[4]
                            yield piece[:4]
                        offset += len(line)
                if data:
                    nl = data.rfind(b"\n", start)
                    if nl >= 0:
                        for piece in _split_long(data, start, nl + 1, offset, limit, half):
                            stats.long_lines += piece[4]
                            yield piece[:4]
                        offset += nl + 1 - start
                        start = nl + 1
                    carry = data[start:]
                if len(carry) >= limit:
                    # an over-long line with no newline in sight: its head, then skip past its newline
                    stats.long_lines += 1
                    yield offset, carry, 0, limit
                    offset += len(carry)
                    pending, offset, eof = self._skip_line(read, block_bytes, offset)
                    carry = b""
                elif eof and carry:
                    stats.ended_mid_line = True
                    yield offset, carry, 0, len(carry)
                    offset += len(carry)
                    carry = b""
        except OSError as e:
            stats.warnings.append(f"input ends early: {e.strerror or e} (after {offset:,} bytes)")
            stats.ended_mid_line = True
            offset += len(carry)
        finally:
            stats.bytes = offset
            self._gzip_outcome()

    def _gzip_outcome(self) -> None:
        if self._gzip is not None:
            self.stats.gzip_truncated = self._gzip.truncated
            self.stats.gzip_corrupt = self._gzip.corrupt

    @staticmethod
    def _skip_line(read, block_bytes: int, offset: int) -> tuple[bytes, int, bool]:
        """Skip past the next newline: (what follows it in the last read, its input offset, at EOF)."""
        while True:
            more = read(block_bytes)
            if not more:
                return b"", offset, True
            nl = more.find(b"\n")
            if nl >= 0:
                return more[nl + 1:], offset + nl + 1, False
            offset += len(more)

    def decode(self, chunk: bytes) -> str:
        """One raw line as clean text: NULs dropped, invalid UTF-8 replaced, ANSI escapes and CR/LF removed
        (counted in ``stats``)."""
        stats = self.stats
        if b"\x00" in chunk:
            stats.nul_lines += 1
            chunk = chunk.replace(b"\x00", b"")
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            stats.decode_errors += 1
            text = chunk.decode("utf-8", errors="replace")
        if "\x1b" in text:
            text = ANSI_RE.sub("", text)
        return text.rstrip("\r\n").replace("\r", "")


def _split_long(data: bytes, start: int, end: int, offset: int, limit: int,
                half: int) -> Iterator[tuple[int, bytes, int, int, bool]]:
    """Split the whole lines ``data[start:end]`` around any line longer than ``limit``: (offset, data,
    start, end, cut), ``cut`` True for an over-long line's head. Such a line covers some aligned window
    of ``half`` bytes without a newline, so only blocks with one are walked line by line."""
    if end - start <= limit or all(data.find(b"\n", k, k + half) >= 0 for k in range(start, end - half, half)):
        yield offset, data, start, end, False
        return
    run = start  # start of the pending run of normal lines
    pos = start
    while pos < end:
        nl = data.find(b"\n", pos, end)
        nl = end - 1 if nl < 0 else nl
        if nl + 1 - pos > limit:
            if pos > run:
                yield offset + run - start, data, run, pos, False
            yield offset + pos - start, data, pos, pos + limit, True
            run = nl + 1
        pos = nl + 1
    if run < end:
        yield offset + run - start, data, run, end, False


def clean_text(chunk: bytes) -> str:
    """A raw line as clean text, like ``LineReader.decode`` but without counting into any stats (for
    lines decoded late, after the reader has already accounted for them)."""
    if b"\x00" in chunk:
        chunk = chunk.replace(b"\x00", b"")
    text = chunk.decode("utf-8", errors="replace")
    if "\x1b" in text:
        text = ANSI_RE.sub("", text)
    return text.rstrip("\r\n").replace("\r", "")


def looks_binary(stats: ReadStats) -> bool:
    """Heuristic: many NUL lines or undecodable lines relative to the line count."""
    if stats.lines == 0:
        return False
    bad = stats.nul_lines + stats.decode_errors
    return bad >= 3 and bad / stats.lines > 0.2


def input_warnings(stats: ReadStats, max_line_bytes: int = MAX_LINE_BYTES) -> list[tuple[str | None, str]]:
    """What a user must know about how the input was read, after reading it whole (``stats.lines`` set),
    as ``(kind, text)``: a cut or corrupt gzip stream (``input-truncated``), an empty input
    (``input-empty``), binary content (``input-binary``), and, with kind None, cut over-long lines,
    invalid UTF-8, a last line without its newline. The kinds are what the gate reports as warnings."""
    out: list[tuple[str | None, str]] = [(None, w) for w in stats.warnings]
    if stats.gzip_truncated:
        out.append(("input-truncated", f"input truncated: gzip stream ends after {stats.lines:,} lines"))
    elif stats.gzip_corrupt:
        out.append(("input-truncated", f"input corrupt: gzip data unreadable ({stats.gzip_corrupt}) after "
                                       f"{stats.lines:,} lines"))
    elif stats.ended_mid_line and stats.lines:
        out.append((None, f"log ends mid-line at line {stats.lines:,} (truncated?)"))
    if stats.lines == 0:
        out.append(("input-empty", "input is empty"))
    if stats.long_lines:
        out.append((None, f"{stats.long_lines:,} line(s) longer than {max_line_bytes:,} B were cut"))
    if looks_binary(stats):
        out.append(("input-binary", f"input looks binary ({stats.nul_lines:,} lines with NUL bytes, "
                                    f"{stats.decode_errors:,} not UTF-8): results are partial"))
    elif stats.decode_errors:
        out.append((None, f"{stats.decode_errors:,} line(s) were not valid UTF-8 (bad bytes replaced)"))
    return out


def read_line_at(path: str, offset: int, max_line_bytes: int = MAX_LINE_BYTES) -> str | None:
    """Re-read one clean line of a plain file starting at byte ``offset``; None if impossible."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            chunk = f.readline(max_line_bytes)
    except OSError:
        return None
    text = chunk.replace(b"\x00", b"").decode("utf-8", errors="replace")
    if "\x1b" in text:
        text = ANSI_RE.sub("", text)
    return text.rstrip("\r\n").replace("\r", "")
