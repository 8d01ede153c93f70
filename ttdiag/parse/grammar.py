"""Load the lark grammars in ``grammars/`` (shipped as ``ttdiag/grammars`` in the wheel)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import lark
from lark import Lark, Transformer

_PKG_DIR = Path(__file__).resolve().parent.parent


def grammar_path(name: str) -> Path:
    """Path of ``grammars/<name>``: the installed copy, else the source tree's top-level folder."""
    for candidate in (_PKG_DIR / "grammars" / name, _PKG_DIR.parent / "grammars" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"grammar {name!r} not found next to the ttdiag package")


_PARSERS: dict[tuple[str, int], Lark] = {}


def lalr_parser(name: str, transformer: Transformer | None = None) -> Lark:
    """A LALR parser for ``grammars/<name>``, built once per process (per transformer).

    LALR with lark's contextual lexer: linear time and the fastest mode lark has. With
    ``transformer=`` the transformer runs as rules reduce, so no parse tree is built (about
    twice as fast); ``propagate_positions`` is off because statement line numbers come from the
    scanner.
    """
    key = (name, id(transformer))
    parser = _PARSERS.get(key)
    if parser is None:
        text = grammar_path(name).read_text(encoding="utf-8")
        parser = Lark(text, parser="lalr", lexer="contextual", propagate_positions=False,
                      maybe_placeholders=False, transformer=transformer, cache=cache_file(name))
        _PARSERS[key] = parser
    return parser


def cache_file(name: str) -> str | bool:
    """Where lark keeps the analysed LALR tables of ``grammars/<name>`` between runs (loading them
    takes ~5 ms instead of ~70 ms to build), or False for no cache.

    ``$TTDIAG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ttdiag``, else ``~/.cache/ttdiag``; off with
    ``TTDIAG_NO_CACHE=1``. lark's cache is a pickle, so it is only read from a directory this user
    owns and nobody else can write to (never lark's default, a shared temp directory). lark checks a
    hash of the grammar, its options and the lark and Python versions, and rebuilds on a mismatch or a
    damaged file.
    """
    if os.environ.get("TTDIAG_NO_CACHE"):
        return False
    base = os.environ.get("TTDIAG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ttdiag")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        st = os.stat(base)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
        return False
    return os.path.join(base, f"{Path(name).stem}-lark-{lark.__version__}.cache")
