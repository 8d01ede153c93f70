"""Helpers shared by the commands: consoles, output formats, exit codes, error handling."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from enum import Enum
from typing import NoReturn, TypeVar

import typer
from rich.console import Console

EXIT_CLEAN = 0
EXIT_FAILURES = 1
EXIT_ERROR = 2

T = TypeVar("T")


class TextOrJson(str, Enum):
    text = "text"
    json = "json"

    def __str__(self) -> str:
        return self.value


class TriageFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"

    def __str__(self) -> str:
        return self.value


PIPE_WIDTH = 240  # text piped or redirected keeps long lines whole (for grep) unless COLUMNS says otherwise


def text_width() -> int | None:
    """The width of text output: ``COLUMNS`` when set, else the terminal's own (``None``: rich asks it),
    else :data:`PIPE_WIDTH` when stdout is a pipe or a file."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else PIPE_WIDTH


def stdout() -> Console:
    """The console of text reports, as wide as :func:`text_width` says."""
    return Console(soft_wrap=False, width=text_width())


def stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def echo_pieces(pieces: Iterable[str], chunk_chars: int = 1 << 16) -> None:
    """Write text pieces to stdout as they are produced, in ~64 KiB writes, then a newline: the JSON
    of a 100k-op dump is hundreds of MB and is never held whole."""
    from ..gc_pause import paused_gc

    out = sys.stdout
    buf: list[str] = []
    size = 0
    with paused_gc():  # the per-op dicts are acyclic and freed as they are written
        for piece in pieces:
            buf.append(piece)
            size += len(piece)
            if size >= chunk_chars:
                out.write("".join(buf))
                buf.clear()
                size = 0
    buf.append("\n")
    out.write("".join(buf))
    out.flush()


def fail(message: str) -> NoReturn:
    """Print a one-line error (at most ``ttdiag.echo.ECHO_CHARS`` characters of ``message``) to
    stderr and exit with code 2."""
    from rich.markup import escape

    from ..echo import clip

    stderr().print(f"[red]ttdiag: error:[/red] {escape(clip(message))}", highlight=False)
    raise typer.Exit(EXIT_ERROR)


def guarded(fn: Callable[[], T]) -> T:
    """Run an analysis; turn input errors and unexpected exceptions into one-line errors (exit 2)."""
    from ..io import InputError

    try:
        return fn()
    except InputError as e:
        fail(str(e))
    except KeyError as e:
        fail(str(e.args[0]) if e.args else "unknown key")
    except MemoryError:
        fail("out of memory while reading the input")
    except RecursionError:
        fail("input nests too deeply to analyse")
    except OSError as e:
        fail(f"{e.filename}: {e.strerror}" if e.filename and e.strerror else str(e) or e.__class__.__name__)
    except (ValueError, UnicodeError) as e:  # a bad value in the input: its message names it
        fail(str(e) or e.__class__.__name__)
    except typer.Exit:
        raise
    except Exception as e:  # a bug: still one line, never a traceback (the fuzzers see the traceback)
        fail(f"internal error ({e.__class__.__name__}: {e}); please report it with the input")


def write_atomic(path: str, data: str | bytes, inputs: list[str | None]) -> None:
    """Write ``data`` (text as UTF-8, or bytes) via a temp file in the same directory and a rename, with
    the usual permissions; refuse to overwrite any of ``inputs``. Errors are one-line exits (code 2)."""
    for src in inputs:
        if src and src != "-" and os.path.exists(path) and os.path.exists(src) and os.path.samefile(path, src):
            fail(f"{path}: refusing to overwrite the input")
    d = os.path.dirname(os.path.abspath(path)) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".ttdiag-", dir=d)
    except OSError as e:
        fail(f"{path}: {e.strerror or e}")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        fail(f"{path}: {e.strerror or e}")
