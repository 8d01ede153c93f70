"""Parse TTNN MLIR text (dumps, lit tests, runtime op lines) into :mod:`ttdiag.ir`.

Two layers:

* a cheap line scanner splits the text into statements, joins statements that span
  lines, drops comments and ``{-# .. #-}`` resource blocks, and turns each region body
  into a nested statement list (the header gets a ``@@REGION@@`` placeholder);
* each statement is parsed with the LALR grammar ``grammars/mlir.lark`` and turned into
  items, then into ops, programs and aliases.

A statement that does not parse becomes a :class:`~ttdiag.ir.Diagnostic` (line, message);
the rest of the file still parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lark import Token, Transformer, v_args
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedInput,
    UnexpectedToken,
)

from ..echo import clip
from ..gc_pause import paused_gc
from ..ir.graph import Diagnostic, Module, Op, Program
from ..ir.items import COMMA, Atom, Body, Group, Item, find_body, render, split_commas
from ..ir.loc import Loc, decode_loc
from ..ir.system_desc import decode_system_desc
from ..ir.types import Type, decode_type
from .grammar import lalr_parser

REGION = "@@REGION@@"
MAX_STATEMENT_CHARS = 4_000_000

_PUNCT = {"ARROW": "->", "COLON": ":", "EQ": "=", "STAR": "*", "PLUS": "+", "MINUS": "-", "QMARK": "?", "ELLIPSIS": "..."}
_MODULE_OPS = {"module", "builtin.module", "ttcore.device_module", "tt.device_module"}
_FUNC_OPS = {"func.func", "func"}
# A line starting with one of these continues the previous statement; a statement ending
# with one of _OPEN_ENDINGS continues on the next line.
_CONTINUATIONS = (":", "->", "<{", "loc(", "attributes", "(")
_OPEN_ENDINGS = (":", "->", ",", "=")
_STRING_RE = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')  # unrolled: no per-character alternation


class MLIRSyntaxError(ValueError):
    """A statement that the grammar rejects. ``column`` is 1-based within the statement text."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


# --------------------------------------------------------------------------------------
# statement -> raw parts (lark tree -> items)


@dataclass(slots=True)
class RawOp:
    results: list[str]
    name: str
    generic: bool
    operands: list[str]
    properties: dict
    attributes: dict
    type_items: tuple[Item, ...]
    body: tuple[Item, ...]
    loc: tuple[Item, ...] | None
    num_regions: int = 0


@dataclass(slots=True)
class RawAlias:
    kind: str  # attr | type | loc
    name: str
    items: tuple[Item, ...]


@dataclass(slots=True)
class RawBlock:
    label: str


def _atom(tok: Token) -> Atom:
    kind = _PUNCT.get(tok.type, tok.type)
    return Atom(kind, str(tok))


def _unquote(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] == '"' else s


@v_args(inline=True)
class _ToRaw(Transformer):
    """Lark tree -> RawOp / RawAlias / RawBlock with item trees."""

    def atom(self, tok):
        return _atom(tok)

    def comma(self):
        return COMMA

    def with_body(self, open_tok, *items):
        return Body(str(open_tok)[:-1], tuple(items))

    def nested_loc(self, open_tok, *items):
        return Body("loc", tuple(items), "(")

    def paren(self, *items):
        return Group("(", tuple(items))

    def bracket(self, *items):
        return Group("[", tuple(items))

    def angle(self, *items):
        return Group("<", tuple(items))

    def brace(self, *items):
        return Group("{", tuple(items))

    def attr_entry(self, name, *items):
        return (_unquote(str(name)), tuple(items))

    def attr_dict(self, *entries):
        return ("attrs", dict(entries))

    def properties(self, d):
        return ("props", d[1])

    def operand_list(self, *vals):
        return ("operands", [str(v) for v in vals])

    def successors(self, *items):
        return ("successors", tuple(items))

    def generic_regions(self, *regions):
        return ("regions", len(regions))

    def location(self, open_tok, *items):
        return ("loc", tuple(items))

    def result(self, vid, count=None):
        vid = str(vid)
        if count is None:
            return [vid]
        return [vid] + [f"{vid}#{i}" for i in range(1, int(count))]

    def results(self, *res):
        return ("results", [r for group in res for r in group])

    def generic_op(self, name, *rest):
        op = RawOp([], _unquote(str(name)), True, [], {}, {}, (), (), None)
        type_items: list[Item] = []
        for part in rest:
            if isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], str):
                tag, val = part
                if tag == "operands":
                    op.operands = val
                elif tag == "props":
                    op.properties = val
                elif tag == "attrs":
                    op.attributes = val
                elif tag == "regions":
                    op.num_regions = val
                continue
            type_items.append(part)
        op.type_items = tuple(type_items)
        return op

    def custom_op(self, name, *items):
        body = tuple(items)
        return RawOp([], str(name), False, [], {}, {}, (), body, None, num_regions=sum(
            1 for it in body if isinstance(it, Atom) and it.kind == "REGION"))

    def op_stmt(self, *parts):
        results: list[str] = []
        op: RawOp | None = None
        loc = None
        for p in parts:
            if isinstance(p, RawOp):
                op = p
            elif p[0] == "results":
                results = p[1]
            elif p[0] == "loc":
                loc = p[1]
        assert op is not None
        op.results = results
        op.loc = loc
        return op

    def attr_alias(self, name, *items):
        return RawAlias("attr", str(name), tuple(items))

    def type_alias(self, name, *items):
        return RawAlias("type", str(name), tuple(items))

    def loc_alias(self, name, loc):
        return RawAlias("loc", str(name), loc[1])

    def block_label(self, label, *items):
        return RawBlock(str(label))


_TO_RAW = _ToRaw()


def parse_statement(text: str) -> RawOp | RawAlias | RawBlock:
    """Parse one statement (no nested regions) with ``grammars/mlir.lark``.

    Raises:
        MLIRSyntaxError: the text is not a valid statement; the message names the column
            and the unexpected token.
    """
    if len(text) > MAX_STATEMENT_CHARS:
        raise MLIRSyntaxError(f"statement of {len(text):,} characters is longer than the {MAX_STATEMENT_CHARS:,} limit")
    try:
        return lalr_parser("mlir.lark", _TO_RAW).parse(text)
    except UnexpectedCharacters as e:
        raise MLIRSyntaxError(f"unexpected character {text[e.pos_in_stream]!r} at column {e.column}", e.column) from None
    except UnexpectedToken as e:
        tok = "end of statement" if e.token.type == "$END" else repr(str(e.token))
        raise MLIRSyntaxError(f"unexpected {tok} at column {e.column}", e.column if isinstance(e.column, int) else None) from None
    except UnexpectedInput as e:  # pragma: no cover - other lark input errors
        raise MLIRSyntaxError(f"cannot parse statement: {e.__class__.__name__}") from None
    except (LarkError, RecursionError) as e:
        raise MLIRSyntaxError(f"cannot parse statement: {e.__class__.__name__}") from None


_LOC_CACHE: dict[str, tuple[Item, ...] | None] = {}
_CACHE_LIMIT = 8192
# The loc forms on nearly every op and loc alias, decoded without the parser: loc(#loc12),
# loc(unknown), loc("name"), loc("name"(#loc3)), loc("name"("file":1:2)), loc("file":1:2)
_LOC_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # unrolled: no per-character alternation
_SIMPLE_LOC_RE = re.compile(
    rf'loc\((?:(#[\w$.\-]+)|(unknown)|({_LOC_STR})(?:\((?:(#[\w$.\-]+)|({_LOC_STR}):(\d+):(\d+))\)|:(\d+):(\d+))?)\)\Z')
_LOC_ALIAS_RE = re.compile(r"(#[\w$.\-]+) = (loc\(.*\))\Z")
_COLON = Atom(":", ":")


def _simple_loc_items(m: re.Match) -> tuple[Item, ...]:
    """The items lark gives for a ``_SIMPLE_LOC_RE`` match (tests/test_parse_fast_paths.py checks this)."""
    g = m.groups()
    if g[0] is not None:
        return (Atom("HASH_ID", g[0]),)
    if g[1] is not None:
        return (Atom("BARE_ID", g[1]),)
    name = Atom("STRING", g[2])
    if g[3] is not None:
        return (name, Group("(", (Atom("HASH_ID", g[3]),)))
    if g[4] is not None:
        return (name, Group("(", (Atom("STRING", g[4]), _COLON, Atom("INT", g[5]), _COLON, Atom("INT", g[6]))))
    if g[7] is not None:
        return (name, _COLON, Atom("INT", g[7]), _COLON, Atom("INT", g[8]))
    return (name,)


def _split_loc(text: str) -> tuple[str, str | re.Match | None]:
    """Split a trailing ``loc(...)`` off a statement (it is unique per op and would defeat caching)."""
    if not text.endswith(")"):
        return text, None
    i = text.rfind(" loc(")
    if i < 0:
        return text, None
    loc = text[i + 1:]
    m = _SIMPLE_LOC_RE.match(loc)
    if m is not None:
        return text[:i], m
    if _depth(loc) != 0:
        return text, None
    return text[:i], loc


def _parse_loc(loc: str | re.Match) -> tuple[Item, ...] | None:
    """The items of one ``loc(...)``: simple forms come matched by ``_split_loc``; the rest are
    parsed once and memoised."""
    if isinstance(loc, re.Match):
        return _simple_loc_items(loc)
    loc_text = loc
    items = _LOC_CACHE.get(loc_text)
    if items is None:
        if len(_LOC_CACHE) >= _CACHE_LIMIT:
            _LOC_CACHE.clear()
        items = _LOC_CACHE[loc_text] = parse_statement('"l.l"() : () -> () ' + loc_text).loc  # type: ignore[union-attr]
    return items


_Template = tuple  # per item: None (unchanged), True (a renamed atom) or the template of its children


def _template(items: tuple[Item, ...]) -> _Template | None:
    """Where a cached custom op's item tree holds masked names (``%vN``, ``@sN``); None when nowhere."""
    out: list = []
    found = False
    for it in items:
        t = None
        if isinstance(it, Atom):
            if it.kind in ("VALUE_ID", "SYMBOL") and it.text[1:2] in ("v", "s") and it.text[2:].isdigit():
                t = True
        else:
            t = _template(it.items)
        found = found or t is not None
        out.append(t)
    return tuple(out) if found else None


def _rename(items: tuple[Item, ...], template: _Template | None, back: dict[str, str]) -> tuple[Item, ...]:
    """Put the real SSA names and symbols back into a cached custom op's item tree, copying only
    the parts that hold them."""
    if template is None:
        return items
    out = list(items)
    for i, t in enumerate(template):
        if t is None:
            continue
        it = items[i]
        if t is True:
            out[i] = Atom(it.kind, back.get(it.text, it.text))
        elif isinstance(it, Group):
            out[i] = Group(it.open, _rename(it.items, t, back))
        else:
            out[i] = Body(it.name, _rename(it.items, t, back), it.open)
    return tuple(out)


_VALUE_SPLIT_RE = re.compile(r"(%[\w$.\-]+(?:#\d+)?)")
_SYMBOL_SPLIT_RE = re.compile(r"((?<!@)@[\w$.\-]+(?!@))")
_CACHE_T: dict[str, tuple[RawOp, _Template | None]] = {}


def _mask(parts: list[str], prefix: str, index: dict[str, str]) -> None:
    """Replace the names at the odd positions of a ``re.split`` result by ``prefix<N>`` in place."""
    for i in range(1, len(parts), 2):
        name = parts[i]
        alias = index.get(name)
        if alias is None:
            alias = index[name] = f"{prefix}{len(index)}"
        parts[i] = alias


def parse_statement_cached(text: str) -> RawOp | RawAlias | RawBlock:
    """``parse_statement`` with a cache for ops: SSA names (and, in custom-form ops, ``@symbols``)
    are masked and the location split off, so the thousands of ops that differ only in value
    numbers, function names and locs parse once. Names are put back on a copy of the cached result.
    Raises MLIRSyntaxError like ``parse_statement``."""
    if text.startswith(("#", "!", "^")):
        m = _LOC_ALIAS_RE.match(text) if text.startswith("#") else None
        loc_m = _SIMPLE_LOC_RE.match(m.group(2)) if m is not None else None
        if loc_m is not None:  # "#loc12 = loc(...)": a dump with debug info has one per op
            return RawAlias("loc", m.group(1), _simple_loc_items(loc_m))
        return parse_statement(text)
    body, loc_text = _split_loc(text)
    if '"' in body and any("%" in q or "@" in q for q in _STRING_RE.findall(body)):
        return parse_statement(text)
    index: dict[str, str] = {}
    parts = _VALUE_SPLIT_RE.split(body)
    if len(parts) > 1:
        _mask(parts, "%v", index)
    masked = "".join(parts)
    generic = body.startswith('"') or (body.startswith("%") and '= "' in body[:200])
    if not generic and "@" in masked:
        parts = _SYMBOL_SPLIT_RE.split(masked)
        _mask(parts, "@s", index)
        masked = "".join(parts)
    hit = _CACHE_T.get(masked)
    if hit is None:
        raw = parse_statement(masked)
        if not isinstance(raw, RawOp):
            return parse_statement(text)
        if len(_CACHE_T) >= _CACHE_LIMIT:
            _CACHE_T.clear()
        hit = _CACHE_T[masked] = (raw, None if raw.generic else _template(raw.body))
    raw, template = hit
    back = {v: k for k, v in index.items()}
    loc = _parse_loc(loc_text) if loc_text is not None else None
    results = [back.get(r, r) if "#" not in r else back.get(r.split("#")[0], r.split("#")[0]) + "#" + r.split("#")[1]
               for r in raw.results]
    if raw.generic:
        return RawOp(results, raw.name, True, [back.get(o, o) for o in raw.operands], raw.properties,
                     raw.attributes, raw.type_items, raw.body, loc, raw.num_regions)
    return RawOp(results, raw.name, False, [], raw.properties, raw.attributes, raw.type_items,
                 _rename(raw.body, template, back), loc, raw.num_regions)


# --------------------------------------------------------------------------------------
# line scanner


MAX_NESTING = 64
MAX_OP_NAME_CHARS = 256  # TTNN / TTIR op and function names are under 100 characters


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


@dataclass(slots=True)
class Stmt:
    """A statement's text (regions replaced by the placeholder), its first line, and the
    statements of each of its regions."""

    text: str
    line: int
    regions: list[list[Stmt]] = field(default_factory=list)


def _strip_comment(line: str) -> str:
    if "//" not in line:
        return line
    if '"' not in line:
        return line[: line.index("//")]
    pos = 0
    while True:
        idx = line.find("//", pos)
        if idx < 0:
            return line
        # inside a string? count unescaped quotes before idx
        prefix = line[:idx].replace("\\\\", "").replace('\\"', "")
        if prefix.count('"') % 2 == 0:
            return line[:idx]
        pos = idx + 2


def _depth(text: str) -> int:
    """Net bracket depth of ``text``: ( [ { < minus their closers, ignoring strings and -> >= <=."""
    if '"' in text:
        text = _STRING_RE.sub("", text)
    opens = text.count("(") + text.count("[") + text.count("{") + text.count("<")
    closes = text.count(")") + text.count("]") + text.count("}") + text.count(">")
    closes -= text.count("->") + text.count(">=")
    opens -= text.count("<=")
    return opens - closes


def scan_statements(lines: Iterable[str], first_line: int = 1) -> tuple[list[Stmt], list[Diagnostic]]:
    """Split MLIR text lines into a tree of statements. Never raises on odd input: unbalanced
    text becomes a diagnostic and the scanner resynchronises at the next line."""
    root: list[Stmt] = []
    diags: list[Diagnostic] = []
    # stack of (stmt whose region is open, the list receiving the region's statements)
    stack: list[tuple[Stmt, list[Stmt]]] = []
    pending: list[str] = []
    pending_line = 0
    in_resource = False
    last_emitted = -1
    pending_depth = 0
    pending_chars = 0

    def target() -> list[Stmt]:
        return stack[-1][1] if stack else root

    def open_region(stmt: Stmt) -> None:
        if len(stack) >= MAX_NESTING:
            raise _TooDeep(stmt.line)
        body: list[Stmt] = []
        stmt.regions.append(body)
        stack.append((stmt, body))

    lineno = first_line - 1

    def _scan(lines: Iterable[str]) -> None:
        nonlocal lineno, in_resource, pending, pending_line, last_emitted, pending_depth, pending_chars
        for raw in lines:
            lineno += 1
            if in_resource:
                if "#-}" in raw:
                    in_resource = False
                continue
            line = _strip_comment(raw).strip()
            if not line:
                continue
            if line.startswith("{-#"):
                in_resource = "#-}" not in line
                continue
            if not pending and line.startswith("}") and stack:
                # close the innermost region; the rest of the line continues its op
                stmt, _ = stack.pop()
                rest = line[1:].strip()
                # a generic op's region list: "}, {" or "})"
                if rest.startswith(",") and rest.endswith("{"):
                    stmt.text += ", " + REGION
                    stack.append((stmt, []))
                    stmt.regions.append(stack[-1][1])
                    continue
                if rest.endswith("{"):  # "} else {"
                    stmt.text += " " + rest[:-1].strip() + " " + REGION
                    open_region(stmt)
                    continue
                if rest:
                    stmt.text += " " + rest
                continue
            if not pending:
                pending_line = lineno
                pending_depth = 0
                pending_chars = 0
                siblings = target()
                if line.startswith(_CONTINUATIONS) and siblings and not siblings[-1].regions and siblings[-1].line == last_emitted:
                    # a hand-wrapped statement: "%1 = "ttnn.conv2d"(...)\n    <{...}>\n    : (...) -> ..."
                    prev = siblings.pop()
                    pending = [prev.text]
                    pending_line = prev.line
                    pending_depth = _depth(prev.text)
                    pending_chars = len(prev.text)
            pending.append(line)
            # depth and length are kept incrementally: joining on every line would be quadratic
            line_depth = _depth(line)
            pending_depth += line_depth
            pending_chars += len(line) + 1
            if pending_chars > MAX_STATEMENT_CHARS:
                diags.append(Diagnostic(pending_line, "statement too long or unbalanced brackets; skipped",
                                        " ".join(pending)[:200]))
                pending = []
                continue
            if line.endswith("{"):
                d = pending_depth - 1
                if d == 0 or (d == 1 and line[:-1].rstrip().endswith("(")):
                    head = " ".join(pending)[:-1]
                    stmt = Stmt(head.rstrip() + " " + REGION, pending_line)
                    target().append(stmt)
                    open_region(stmt)
                    pending = []
                    continue
            if pending_depth <= 0 and (not line.endswith(_OPEN_ENDINGS) or pending[0].startswith("^")):
                target().append(Stmt(" ".join(pending), pending_line))
                last_emitted = pending_line
                pending = []

    try:
        _scan(lines)
    except _TooDeep as e:
        diags.append(Diagnostic(e.line, f"regions nest deeper than {MAX_NESTING}; the rest of the input is skipped", ""))
        return root, diags
    if pending:
        text = " ".join(pending)
        diags.append(Diagnostic(pending_line, "truncated statement at end of input (unbalanced brackets)", text[:200]))
    if stack:
        diags.append(Diagnostic(stack[-1][0].line, f"{len(stack)} region(s) not closed at end of input", stack[-1][0].text[:200]))
    return root, diags


# --------------------------------------------------------------------------------------
# raw statements -> IR


def split_function_type(items: tuple[Item, ...]) -> tuple[list[tuple[Item, ...]], list[tuple[Item, ...]]]:
    """``(T1, T2) -> T3`` or ``(T1) -> (T2, T3)`` -> ([T1, T2], [T3]) as item tuples."""
    arrow = next((i for i, it in enumerate(items) if isinstance(it, Atom) and it.kind == "->"), None)
    if arrow is None:
        return [], [items] if items else []
    ins = items[:arrow]
    outs = items[arrow + 1:]
    in_list = split_commas(ins[0].items) if len(ins) == 1 and isinstance(ins[0], Group) and ins[0].open == "(" else [ins]
    if len(outs) == 1 and isinstance(outs[0], Group) and outs[0].open == "(":
        out_list = split_commas(outs[0].items)
    else:
        out_list = [outs] if outs else []
    return [p for p in in_list if p], [p for p in out_list if p]


class _Builder:
    """Turns the statement tree into a Module; aliases are collected before any type is decoded."""

    def __init__(self, module: Module):
        self.module = module
        self.loc_aliases: dict[str, tuple[Item, ...]] = {}
        self._type_cache: dict[str, Type] = {}
        self._type_by_id: dict[int, tuple[Item, Type]] = {}
        # cached RawOps share their type_items tuple: decode each signature once. The entry keeps
        # the tuple alive, so its id cannot be reused while the entry exists.
        self._sig_cache: dict[int, tuple[tuple, list[Type], list[Type]]] = {}
        self._inline_by_id: dict[int, tuple[tuple, tuple]] = {}

    # pass 1 ---------------------------------------------------------------------------
    def parse_tree(self, stmts: list[Stmt]) -> list[tuple[Stmt, object]]:
        out = []
        for s in stmts:
            self.module.statements += 1
            try:
                raw = parse_statement_cached(s.text)
            except MLIRSyntaxError as e:
                self.module.diagnostics.append(Diagnostic(s.line, clip(str(e)), s.text[:200]))
                raw = None
            if isinstance(raw, RawAlias):
                if raw.kind == "loc":
                    self.loc_aliases[raw.name] = raw.items
                else:
                    self.module.aliases[raw.name] = raw.items
            children = [self.parse_tree(r) for r in s.regions]
            out.append((s, raw, children))
        return out

    # pass 2 ---------------------------------------------------------------------------
    def build(self, parsed, program: Program | None) -> list[Op]:
        ops: list[Op] = []
        for stmt, raw, children in parsed:
            if not isinstance(raw, RawOp):
                continue
            if len(raw.name) > MAX_OP_NAME_CHARS:  # a stray line of text (e.g. 1 MiB of it), not an op
                self.module.diagnostics.append(Diagnostic(
                    stmt.line, f"not an op: a bare name of {len(raw.name):,} characters; skipped", clip(raw.name)))
                continue
            if raw.name in _MODULE_OPS:
                self._note_system_desc(raw.body)
                for region in children:
                    ops.extend(self.build(region, program))
                continue
            if raw.name in _FUNC_OPS and not raw.generic:
                prog = self._program(raw, stmt.line)
                self.module.programs.append(prog)
                for region in children:
                    prog.ops.extend(self.build(region, prog))
                continue
            op = self.op(raw, stmt.line, program.name if program else None)
            op.regions = [self.build(region, program) for region in children]
            ops.append(op)
        return ops

    def _note_system_desc(self, body: tuple[Item, ...]) -> None:
        if self.module.system_desc is not None:
            return
        node = find_body(body, ".system_desc")
        if node is None:
            for it in body:
                if isinstance(it, Group) and it.open == "{":
                    for sub in it.items:
                        if isinstance(sub, Atom) and sub.kind == "HASH_ID" and sub.text in self.module.aliases:
                            node = find_body(self.module.aliases[sub.text], ".system_desc")
                            if node is not None:
                                break
        if node is None:
            for items in self.module.aliases.values():
                node = find_body(items, ".system_desc")
                if node is not None:
                    break
        if node is not None:
            self.module.system_desc = decode_system_desc(node)

    def decode_type(self, items: tuple[Item, ...]) -> Type:
        # cached statements share their item objects: look up by identity before rendering
        one = items[0] if len(items) == 1 else None
        if one is not None:
            hit = self._type_by_id.get(id(one))
            if hit is not None and hit[0] is one:
                return hit[1]
        key = render(items)
        t = self._type_cache.get(key)
        if t is None:
            t = decode_type(items, self.module.aliases)
            self._type_cache[key] = t
        if one is not None:
            if len(self._type_by_id) >= _CACHE_LIMIT:
                self._type_by_id.clear()
            self._type_by_id[id(one)] = (one, t)
        return t

    def decode_loc(self, items: tuple[Item, ...] | None) -> Loc | None:
        return None if items is None else decode_loc(items, self.loc_aliases)

    def op(self, raw: RawOp, line: int, program: str | None) -> Op:
        operand_types: list[Type] = []
        result_types: list[Type] = []
        if raw.generic:
            hit = self._sig_cache.get(id(raw.type_items))
            if hit is None or hit[0] is not raw.type_items:
                ins, outs = split_function_type(raw.type_items)
                hit = (raw.type_items, [self.decode_type(t) for t in ins], [self.decode_type(t) for t in outs])
                if len(self._sig_cache) >= _CACHE_LIMIT:
                    self._sig_cache.clear()
                self._sig_cache[id(raw.type_items)] = hit
            operand_types, result_types = list(hit[1]), list(hit[2])
        else:
            operand_types, result_types = self._custom_types(raw)
        return Op(
            name=raw.name,
            results=raw.results,
            operands=raw.operands if raw.generic else [it.text for it in raw.body if isinstance(it, Atom) and it.kind == "VALUE_ID"],
            operand_types=operand_types,
            result_types=result_types,
            properties=self._resolve_aliases(raw.properties, line),
            attributes=self._resolve_aliases(raw.attributes, line),
            loc=self.decode_loc(raw.loc),
            line=line,
            program=program,
            custom=not raw.generic,
            body=raw.body,
        )

    def _resolve_aliases(self, attrs: dict[str, tuple[Item, ...]], line: int) -> dict[str, tuple[Item, ...]]:
        """``attrs`` with each value that is an attribute alias (``matmul_program_config =
        #matmul_program_config``, ``conv3d_config = #conv3d_config``) replaced by the alias's definition
        (aliases of aliases followed), so every reader sees what the same attribute written inline gives.
        An alias the module does not define stays as written, with a diagnostic. Type aliases are decoded
        with the types (``decode_type``) and are not touched here."""
        out = attrs
        for key, value in attrs.items():
            if len(value) != 1 or not isinstance(value[0], Atom) or value[0].kind != "HASH_ID":
                nested = self._inline_nested(value)
                if nested is not value:
                    if out is attrs:
                        out = dict(attrs)
                    out[key] = nested
                continue
            name, seen = value[0].text, set()
            resolved = value
            while (len(resolved) == 1 and isinstance(resolved[0], Atom) and resolved[0].kind == "HASH_ID"
                   and resolved[0].text in self.module.aliases and resolved[0].text not in seen):
                seen.add(resolved[0].text)
                resolved = self.module.aliases[resolved[0].text]
            if resolved is value:
                if "." not in name:  # an alias (#name), not a dialect attribute (#ttnn.foo)
                    self.module.diagnostics.append(Diagnostic(
                        line, f"attribute {key} = {name}: the module does not define {name}; left unresolved", ""))
                continue
            if out is attrs:
                out = dict(attrs)  # statements parsed once share their dicts: copy before writing
            out[key] = self._inline_nested(resolved)
        return out

    def _inline_nested(self, items: tuple[Item, ...], depth: int = 0) -> tuple[Item, ...]:
        """``items`` with alias atoms inside brackets and bodies (``cbs = [#in_cb, #out_cb]``,
        ``#ttnn.memory_config<#dram, ...>``) replaced by their definitions, up to 8 levels deep; ``items``
        itself when nothing changes. Memoised by identity: statements parsed once share their items."""
        if not self.module.aliases or depth > 8:
            return items
        hit = self._inline_by_id.get(id(items)) if depth == 0 else None
        if hit is not None and hit[0] is items:
            return hit[1]
        out: list[Item] = []
        changed = False
        for it in items:
            new = it
            if isinstance(it, Atom) and it.kind == "HASH_ID" and depth and it.text in self.module.aliases:
                body = self._inline_nested(self.module.aliases[it.text], depth + 1)
                if len(body) == 1:
                    new = body[0]
            elif isinstance(it, (Group, Body)) and it.items:
                inner = self._inline_nested(it.items, depth + 1)
                if inner is not it.items:
                    new = Group(it.open, inner) if isinstance(it, Group) else Body(it.name, inner, it.open)
            changed |= new is not it
            out.append(new)
        result = tuple(out) if changed else items
        if depth == 0:
            if len(self._inline_by_id) >= _CACHE_LIMIT:
                self._inline_by_id.clear()
            self._inline_by_id[id(items)] = (items, result)
        return result

    def _custom_types(self, raw: RawOp) -> tuple[list[Type], list[Type]]:
        """Best effort for the pretty form: the trailing ``: types`` or ``: (..) -> ..``."""
        body = raw.body
        colon = None
        for i, it in enumerate(body):
            if isinstance(it, Atom) and it.kind == ":":
                colon = i
        if colon is None:
            return [], []
        tail = tuple(body[colon + 1:])
        if any(isinstance(it, Atom) and it.kind == "->" for it in tail):
            ins, outs = split_function_type(tail)
            return [self.decode_type(t) for t in ins], [self.decode_type(t) for t in outs]
        types = [self.decode_type(t) for t in split_commas(tail) if t]
        if raw.results:
            return [], types
        return types, []

    def _program(self, raw: RawOp, line: int) -> Program:
        body = raw.body
        name = next((it.text.lstrip("@").strip('"') for it in body if isinstance(it, Atom) and it.kind == "SYMBOL"), "?")
        if len(name) > MAX_OP_NAME_CHARS:
            self.module.diagnostics.append(Diagnostic(line, f"a function name of {len(name):,} characters: clipped",
                                                      clip(name)))
            name = clip(name, 64)
        args: list[tuple[str, Type]] = []
        results: list[Type] = []
        sig_idx = next((i for i, it in enumerate(body) if isinstance(it, Group) and it.open == "("), None)
        if sig_idx is not None:
            for part in split_commas(body[sig_idx].items):
                if len(part) >= 3 and isinstance(part[0], Atom) and part[0].kind == "VALUE_ID":
                    type_items = tuple(it for it in part[2:] if not (isinstance(it, Group) and it.open == "{")
                                       and not (isinstance(it, Body) and it.name == "loc"))
                    args.append((part[0].text, self.decode_type(type_items)))
            rest = body[sig_idx + 1:]
            if len(rest) >= 2 and isinstance(rest[0], Atom) and rest[0].kind == "->":
                r = rest[1]
                if isinstance(r, Group) and r.open == "(":
                    results = [self.decode_type(tuple(it for it in p if not (isinstance(it, Group) and it.open == "{")))
                               for p in split_commas(r.items) if p]
                else:
                    results = [self.decode_type((r,))]
        return Program(name, args, results, [], line)


def parse_mlir(text_or_lines: str | Iterable[str]) -> Module:
    """Parse a TTNN MLIR file (any syntax era) into a :class:`~ttdiag.ir.Module`.

    Never raises on bad input: statements that do not parse become ``module.diagnostics``.
    Ops outside any ``func.func`` land in ``module.loose_ops``.
    """
    with paused_gc():
        return _parse_mlir(text_or_lines)


def _parse_mlir(text_or_lines: str | Iterable[str]) -> Module:
    lines = text_or_lines.splitlines() if isinstance(text_or_lines, str) else list(text_or_lines)
    module = Module()
    for first_line, chunk in _split_inputs(lines):
        part = Module()
        stmts, diags = scan_statements(chunk, first_line)
        part.diagnostics.extend(diags)
        builder = _Builder(part)
        parsed = builder.parse_tree(stmts)
        builder._note_system_desc(())
        part.loose_ops = builder.build(parsed, None)
        module.programs.extend(part.programs)
        module.loose_ops.extend(part.loose_ops)
        module.diagnostics.extend(part.diagnostics)
        module.statements += part.statements
        for k, v in part.aliases.items():
            module.aliases.setdefault(k, v)
        module.system_desc = module.system_desc or part.system_desc
    return module


def _split_inputs(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Split at lit's ``// -----`` markers (``-split-input-file``): each part has its own aliases."""
    start = 0
    for i, line in enumerate(lines):
        if line.startswith("// -----"):
            yield start + 1, lines[start:i]
            start = i + 1
    yield start + 1, lines[start:]


class OpLineParser:
    """Parse single op lines (runtime ``Executing operation:`` text) with a shared type cache.

    The same tensor type text recurs on thousands of op lines; decoded types are memoised
    by their text.
    """

    def __init__(self) -> None:
        self._builder = _Builder(Module())

    def parse(self, text: str, line: int = 0, program: str | None = None) -> Op:
        """Raises MLIRSyntaxError when ``text`` is not a single op statement."""
        raw = parse_statement_cached(text.strip())
        if not isinstance(raw, RawOp):
            raise MLIRSyntaxError("not an operation")
        return self._builder.op(raw, line, program)

    def parse_type(self, text: str) -> Type:
        """Decode one type written as MLIR text (``tensor<4x32xbf16, #ttnn.ttnn_layout<...>>``,
        ``!ttnn.device``), memoised like the types of op lines. Raises MLIRSyntaxError."""
        raw = parse_statement_cached(f'"builtin.type"() : () -> {text.strip()}')
        if not isinstance(raw, RawOp):
            raise MLIRSyntaxError("not a type")
        outs = split_function_type(raw.type_items)[1]
        if len(outs) != 1:
            raise MLIRSyntaxError(f"not one type: {text!r}")
        return self._builder.decode_type(outs[0])

    def parse_attribute(self, text: str) -> tuple[Item, ...]:
        """The item tree of one attribute value written as MLIR text (``[1 : i32, 2 : i32]``,
        ``#ttnn.layout<row_major>``). Raises MLIRSyntaxError."""
        raw = parse_statement_cached(f'"builtin.attr"() <{{value = {text.strip()}}}> : () -> ()')
        if not isinstance(raw, RawOp) or "value" not in raw.properties:
            raise MLIRSyntaxError(f"not an attribute: {text!r}")
        return raw.properties["value"]
