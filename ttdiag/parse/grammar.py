"""Load the lark grammars in ``grammars/`` (shipped as ``ttdiag/grammars`` in the wheel)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark

_PKG_DIR = Path(__file__).resolve().parent.parent


def grammar_path(name: str) -> Path:
    """Path of ``grammars/<name>``: the installed copy, else the source tree's top-level folder."""
    for candidate in (_PKG_DIR / "grammars" / name, _PKG_DIR.parent / "grammars" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"grammar {name!r} not found next to the ttdiag package")


@lru_cache(maxsize=None)
def lalr_parser(name: str) -> Lark:
    """A LALR parser for ``grammars/<name>``, built once per process.

    LALR with lark's contextual lexer: linear time and the fastest mode lark has. Trees are
    kept (no ``transformer=``) so one grammar serves both dumps and log lines;
    ``propagate_positions`` is off because statement line numbers come from the scanner.
    """
    text = grammar_path(name).read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", propagate_positions=False, maybe_placeholders=False)
