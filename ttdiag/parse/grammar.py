"""Load the lark grammars in ``grammars/`` (shipped as ``ttdiag/grammars`` in the wheel)."""

from __future__ import annotations

from pathlib import Path

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
                      maybe_placeholders=False, transformer=transformer)
        _PARSERS[key] = parser
    return parser
