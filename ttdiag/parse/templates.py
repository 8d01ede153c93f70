"""Message templates: a tt-metal format string with typed, named fields, matched so that a message
that was hard-wrapped, re-spaced or cut short still gives its kind and every figure that survives.

A template reads like the C++ format string it mirrors::

    "Statically allocated circular buffers on core range {core_range:range} grow to "
    "{cb_region_end_bytes:int} B which is beyond max L1 size of {l1_limit_bytes:int} B"

It is matched against a *flat* text (a message's physical lines joined with nothing between them,
see :func:`flatten`), so a line break anywhere (between words, inside a word, inside a number or a
core coordinate) is invisible; a space in the template matches any run of whitespace, or none
(wrapping tools drop the space they break at).

The template's *key* (by default its first literal) must be there whole: it decides the kind. What
comes before the key is optional as a whole; every token after it is optional, in order, so a
message cut short matches as far as it goes. A field is taken only when it is complete: it must be
followed by the first character of the template's next literal (an integer cut short runs into
whatever follows and must not be read as a longer one; a number at the very end of the text may
have been cut and is never reported); a core range must reach its closing bracket.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_S = r"\s*"
_INT = r"\d+(?=\D)"
_HEX = r"0x[0-9a-fA-F]+(?=[^0-9a-fA-F])"
# a "." after a number with a decimal point is a full stop, even at the end of the text; after a whole
# number at the end of the text it may be the decimal point of a number cut there
_FLOAT = (r"(?:-?(?:\d+\.\d+|\.\d+)(?:[eE][-+]?\d+)?(?=[^\d.eE]|\.(?!\d))"
          r"|-?\d+(?:[eE][-+]?\d+)?(?=[^\d.eE]|\.(?!\d|$))|nan|inf)")
_COORD_OLD = r"\(\s*x\s*=\s*\d+\s*,\s*y\s*=\s*\d+\s*\)"
_COORD_NEW = r"\d+\s*-\s*\d+"
_RANGE = (rf"\[{_S}{_COORD_OLD}{_S}-{_S}{_COORD_OLD}{_S}\]"
          rf"|\[{_S}{_COORD_NEW}{_S}-{_S}{_COORD_NEW}{_S}\]"
          rf"|\[{_S}{_COORD_OLD}{_S}\]")
_CORE = rf"(?:{_COORD_OLD}|\(\s*\d+\s*,\s*\d+\s*\)|\d+-\d+(?=\D))"
_CORES = rf"{_CORE}(?:\s*,\s*{_CORE})*"

_NUMS = re.compile(r"\d+")


def _to_range(text: str) -> list[list[int]]:
    """``[(x=0,y=0) - (x=7,y=7)]``, ``[0-0 - 7-7]`` or a single ``[(x=1,y=2)]`` -> ``[[x0, y0], [x1, y1]]``."""
    n = [int(x) for x in _NUMS.findall(text)]
    if len(n) == 2:
        n = n * 2
    return [[n[0], n[1]], [n[2], n[3]]]


def _to_core(text: str) -> list[int]:
    x, y = (int(v) for v in _NUMS.findall(text))
    return [x, y]


def _to_cores(text: str) -> list[list[int]]:
    n = [int(v) for v in _NUMS.findall(text)]
    return sorted([n[i], n[i + 1]] for i in range(0, len(n) - 1, 2))


def _to_float(text: str) -> float | None:
    v = float(text)
    return None if v != v else v  # NaN has no JSON form: None, and the message still says nan


@dataclass(frozen=True, slots=True)
class FieldType:
    """How a field is matched (a regex that cannot run on past its end), converted, and whether a
    list field may stop at a comma (``partial``: a cut list keeps the items before the cut)."""

    pattern: str
    convert: Callable[[str], Any]
    partial: bool = False


FIELD_TYPES: dict[str, FieldType] = {
    "int": FieldType(_INT, int),
    "hex": FieldType(_HEX, str),
    "float": FieldType(_FLOAT, _to_float),
    "range": FieldType(_RANGE, _to_range),
    "core": FieldType(_CORE, _to_core),
    "cores": FieldType(_CORES, _to_cores, partial=True),
    # one word (a buffer type, a kernel name, a processor): complete when a non-word character follows
    "word": FieldType(r"[A-Za-z_]\w*(?=\W)", str),
    # a path or identifier without spaces, complete at the next space, colon or parenthesis
    "path": FieldType(r"[^\s:()]+(?=[\s:()])", str),
    # a parenthesised aside, e.g. "(epoch:12,chip:0,y:3,x:7)"
    "paren": FieldType(r"\([^()]*\)", lambda t: t[1:-1]),
}

# word-like fields, matched shortest-first when the template says what follows them
_LAZY = {"word": r"[A-Za-z_]\w*?", "path": r"[^\s:()]+?"}

_FIRST_WORD = re.compile(r"[^\W_]+|\S")

_FIELD_RE = re.compile(r"\{(?P<name>[a-z_0-9]+):(?P<type>[a-z]+)\}")


def _literal(text: str) -> str:
    """A template literal as a regex: characters as themselves, any whitespace run (or none) for a space."""
    return "".join(_S if part.isspace() else re.escape(part) for part in re.split(r"(\s+)", text) if part)


Token = tuple[str, str, str]  # ("lit", text, "") | ("field", name, type)


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in _FIELD_RE.finditer(text):
        if m.start() > pos:
            out.append(("lit", text[pos:m.start()], ""))
        if m.group("type") not in FIELD_TYPES:
            raise ValueError(f"unknown field type {m.group('type')!r} in {text!r}")
        out.append(("field", m.group("name"), m.group("type")))
        pos = m.end()
    if pos < len(text):
        out.append(("lit", text[pos:], ""))
    return out


def _token_regex(tokens: list[Token], i: int, open_end: bool = False) -> str:
    kind, a, b = tokens[i]
    if kind == "lit":
        return _literal(a.strip())
    ftype = FIELD_TYPES[b]
    if open_end and i == len(tokens) - 1 and b in ("int", "float"):
        # the message ends with this number, so the end of the line is its terminator; where the message
        # allows, the analysis checks it against the other figures (a cut number fails that check)
        body = r"\d+" if b == "int" else r"-?(?:\d+\.\d+|\d+|\.\d+)(?:[eE][-+]?\d+)?|nan|inf"
        return rf"(?P<{a}>{body})(?![\d.])"
    nxt = ""
    for k, text, _ in tokens[i + 1:]:
        if k == "field" or text.strip():
            nxt = text.strip() if k == "lit" else ""
            break
    if ftype.partial:
        guard = r"(?=\s*[.,;)\]`'\"])"
    else:
        # complete only where the template's next word follows (a cut number runs into whatever the
        # next line holds, a word into the literal after it)
        word = _FIRST_WORD.match(nxt).group() if nxt else ""
        guard = rf"(?=\s*{re.escape(word)})" if word else ""
        if word == "." and i + 2 == len(tokens):
            # the message ends with a full stop, which a paste may drop before its closing quote or backtick
            guard = r"(?=\s*\.|[`'\"])"
    pattern = ftype.pattern
    if guard and b in _LAZY:
        # a wrap can eat the space after a word ("DRAM| buffer" -> "DRAMbuffer"): the word ends where
        # the template's next character follows, not at the next non-word character
        pattern = _LAZY[b]
    return f"(?P<{a}>{pattern}){guard}"


@dataclass(slots=True)
class Template:
    """One format string of one message family. ``kind`` is the failure kind it reports; ``source``
    the tt-metal / tt-mlir / tt-xla file that prints it; ``key`` the literal text that must be there
    (default: the first literal)."""

    family: str
    kind: str
    text: str
    source: str = ""
    key: str | None = None
    fixed: dict[str, Any] = field(default_factory=dict)  # figures the wording itself states ("Out of L1 Memory")
    open_end: bool = False  # the last field is a number that ends the message (see _token_regex)
    # a framework's "pipeline failed" wrapper: an MLIR diagnostic in the same block is the cause
    wrapper: bool = False
    # for open_end: what the message says of its last number given the others; a number cut at the end
    # of the line fails it and is dropped
    check: Callable[[dict[str, Any]], bool] | None = None
    # a regex: a match followed by it is the prefix of a longer wording (another template's), not this one
    not_before: str | None = None
    tokens: list[Token] = field(init=False)
    pattern: str = field(init=False)  # compiled on first use (most templates never meet their key)
    _regex: re.Pattern[str] | None = field(init=False, default=None)
    first: int = field(init=False)  # index of the first token after the optional prefix

    def __post_init__(self) -> None:
        tokens = _tokens(self.text)
        key = self.key
        if key is None:
            if tokens[0][0] != "lit" or not tokens[0][1].strip():
                raise ValueError(f"template {self.family!r}: starts with a field, so it needs a key")
            key = tokens[0][1].strip()
        # split the literal holding the key so the key starts a token of its own
        for i, (kind, a, _) in enumerate(tokens):
            if kind == "lit" and key in a:
                before, after = a.split(key, 1)
                repl = ([("lit", before, "")] if before else []) + [("lit", key, "")] + \
                    ([("lit", after, "")] if after else [])
                tokens[i:i + 1] = repl
                first = i + (1 if before else 0)
                break
        else:
            raise ValueError(f"template {self.family!r}: key {key!r} is not in a literal")
        self.key = key
        self.tokens = tokens
        self.first = first
        # (prefix)? key (t1 (t2 (...)?)?)?: each token after the key is a group of its own (_t<i>)
        prefix = _S.join(_token_regex(tokens, i) for i in range(first))
        rest = ""
        for i in range(len(tokens) - 1, first, -1):
            rest = f"{_S}(?P<_t{i}>{_token_regex(tokens, i, self.open_end)})" + (f"(?:{rest})?" if rest else "")
        rx = f"(?P<_t{first}>{_token_regex(tokens, first)})" + (f"(?:{rest})?" if rest else "")
        if prefix:
            rx = f"(?:(?P<_prefix>{prefix}){_S})?{rx}"
        self.pattern = rx

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.pattern)
        return self._regex

    def search(self, flat: str, pos: int = 0) -> TemplateMatch | None:
        """The first occurrence of this template in ``flat`` at or after ``pos``, with the figures that
        survive; None when the key is not there."""
        m = self.regex.search(flat, pos)
        while m is not None and self.not_before is not None and re.compile(self.not_before).match(flat, m.end()):
            m = self.regex.search(flat, m.end())
        if m is None:
            return None
        figures: dict[str, Any] = dict(self.fixed)
        out: list[str] = []
        with_prefix = self.first and m.group("_prefix") is not None
        reached = 0
        for i, (kind, a, ftype) in enumerate(self.tokens):
            if i < self.first:
                if not with_prefix:
                    continue
            elif m.group(f"_t{i}") is None:
                break
            reached = i + 1
            if kind == "field":
                figures[a] = FIELD_TYPES[ftype].convert(m.group(a))
                out.append(_tidy(m.group(a), ftype))
            else:
                out.append(a)
        last = self.tokens[-1][1]
        if self.open_end and self.check is not None and last in figures and not _holds(self.check, figures):
            del figures[last]
            reached = min(reached, len(self.tokens) - 1)
        complete = reached == len(self.tokens) and all(
            not FIELD_TYPES[b].partial or (i + 1 < len(self.tokens) and m.group(f"_t{i + 1}") is not None)
            for i, (k, _, b) in enumerate(self.tokens) if k == "field" and i >= self.first)
        message = " ".join("".join(out).split())
        return TemplateMatch(self, m.start(), m.end(), figures, complete, message if complete else message + " …")

    def finditer(self, flat: str):
        """Every non-overlapping occurrence in ``flat``."""
        pos = 0
        while True:
            tm = self.search(flat, pos)
            if tm is None:
                return
            yield tm
            pos = max(tm.end, tm.start + 1)


def _holds(check: Callable[[dict[str, Any]], bool], figures: dict[str, Any]) -> bool:
    try:
        return bool(check(figures))
    except (KeyError, TypeError):  # a figure the check needs did not survive: the last one cannot be told
        return False


def _tidy(text: str, ftype: str) -> str:
    """A matched field as tt-metal prints it (a wrap may have added or eaten spaces inside it)."""
    if ftype in ("range", "cores"):
        text = re.sub(r"\s+", "", text).replace(")-(", ") - (").replace(",(", ", (")
        text = re.sub(r"^\[(\d+-\d+)-(\d+-\d+)\]$", r"[\1 - \2]", text)
        return re.sub(r",(?=\d)", ", ", text) if ftype == "cores" else text
    return re.sub(r"\s+", "", text) if ftype in ("int", "hex", "float", "path", "core") else text


@dataclass(slots=True)
class TemplateMatch:
    """Where a template matched a flat text, the figures that survive, whether the whole message is
    there (``complete``), and the message as the template spells it ("…" where it was cut)."""

    template: Template
    start: int
    end: int
    figures: dict[str, Any]
    complete: bool
    message: str


_WRAP_MARK = re.compile(r"^\s+[+↪\\](?=\w)")


def flatten(lines: list[str]) -> tuple[str, list[int]]:
    """Join physical lines with nothing between them (each stripped of surrounding whitespace), so a
    hard wrap anywhere disappears. Returns the flat text and, for each line, its start offset in it.
    Nothing marks the end, unless the last line has trailing blanks: a figure at the very end of the
    text may have been cut there."""
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for i, ln in enumerate(lines):
        s = ln.strip()
        if i and _WRAP_MARK.match(ln):  # a continuation mark a wrapping tool put in front ("  +store")
            s = s[1:]
        starts.append(pos)
        parts.append(s)
        pos += len(s)
    if lines and parts[-1] and lines[-1].rstrip("\r\n") != lines[-1].rstrip():
        parts.append(" ")  # the last line went on past its text in blanks: what ends there was not cut
    return "".join(parts), starts


def line_of(starts: list[int], offset: int) -> int:
    """Index of the physical line holding flat ``offset`` (see :func:`flatten`)."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
