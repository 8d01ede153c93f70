"""Reading inputs: files, gzip, stdin; decoding, ANSI colours, CRLF, NUL bytes, huge lines.

Inputs are only ever opened for reading. Lines are streamed with a bounded length so memory
does not grow with the file: a line longer than ``max_line_bytes`` keeps its head and the
rest is skipped (and counted).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
MAX_LINE_BYTES = 1 << 20


class InputError(Exception):
    """An input that cannot be read at all (missing, a directory, permission denied)."""


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
        if head == b"\x1f\x8b":
            self.stats.gzip = True
            self._stream: BinaryIO = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        else:
            self._stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]

    def __enter__(self) -> "LineReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._raw is not sys.stdin.buffer:
            self._raw.close()

    def __iter__(self) -> Iterator[Line]:
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
                if not chunk.endswith(b"\n") and len(chunk) >= limit:
                    # Over-long line: keep the head, skip the rest without holding it.
                    stats.long_lines += 1
                    while True:
                        more = readline(limit)
                        offset += len(more)
                        if not more or more.endswith(b"\n"):
                            break
                elif not chunk.endswith(b"\n"):
                    stats.ended_mid_line = True
                number += 1
                yield Line(number, start, self._decode(chunk))
        except (EOFError, gzip.BadGzipFile, OSError, zlib_error()) as e:
            stats.warnings.append(f"input ends early: {e.__class__.__name__}: {e} (after {number:,} lines)")
            stats.ended_mid_line = True
        finally:
            stats.bytes = offset
            stats.lines = number

    def _decode(self, chunk: bytes) -> str:
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

def zlib_error() -> type[BaseException]:
    import zlib

    return zlib.error


def looks_binary(stats: ReadStats) -> bool:
    """Heuristic: many NUL lines or undecodable lines relative to the line count."""
    if stats.lines == 0:
        return False
    bad = stats.nul_lines + stats.decode_errors
    return bad >= 3 and bad / stats.lines > 0.2


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
