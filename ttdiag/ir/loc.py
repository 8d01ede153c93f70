"""MLIR ``loc(...)`` decoding, including the PyTorch-frontend NameLoc of tt-xla / tt-mlir.

The NameLoc string is ``"<opIndex>|<Class[name]>|...|<file>:<line>|<funcName>|<opLine>|<opName>"``.
Rule (tt-mlir ``lib/Dialect/TTNN/Transforms/TTNNRecoverStructureUtils.cpp``, ``PyLoc::PyLoc``):
split on ``|``; at least 4 parts; read from the back: opName = p[-1], opLine = p[-2],
funcName = p[-3], funcPath = p[-4]; opIndex = p[0]; modules = p[1:-4], each ``Class[name]``.
Lowering suffixes are appended by ``ttmlir::utils::appendLocationSuffix`` (include/ttmlir/Utils.h),
e.g. ``_workaround`` (TTNN workaround pass) and ``_reshapeInput`` (StableHLO gather lowering).
See ttnn-facts.md §5.6.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from .items import Atom, Body, Group, Item, render, walk

# Longest first, so "_reshapeInput" wins over a shorter suffix.
LOWERING_SUFFIXES = (
    "_broadcastStartIndices",
    "_expandedStartIndices",
    "_reshapeOutput",
    "_reshapeInput",
    "_input_reshape",
    "_workaround",
    "_normalize",
    "_weight",
    "_rsqrt",
    "_mean",
)

_MODULE = re.compile(r"^(?P<cls>[^\[\]]+)\[(?P<name>[^\]]*)\]$")
_FILE_LINE = re.compile(r"^(?P<file>.*):(?P<line>-?\d+)$")


@dataclass(frozen=True, slots=True)
class PyLoc:
    """A decoded PyTorch-frontend NameLoc. ``modules`` is [(class, instance path), ...]."""

    op_index: int | None
    modules: tuple[tuple[str, str], ...]
    source_file: str | None
    source_line: int | None
    func_name: str
    op_line: int | None
    op_name: str
    aten_op: str | None
    suffix: str | None

    @property
    def module_path(self) -> str:
        """The innermost module instance path, e.g. ``decoder.block_in.resnets.0.conv1``."""
        return self.modules[-1][1] if self.modules else ""


_UNDECODED = object()


class Loc:
    """A location: ``raw`` as printed, ``name`` the first NameLoc string, ``py`` its PyLoc decode,
    ``file``/``line`` from a FileLineColLoc when present.

    Immutable. ``py`` is decoded from ``name`` on first use when not given: a 100k-op dump has a
    distinct NameLoc per op and most analyses read few of them."""

    __slots__ = ("raw", "name", "_py", "file", "line")

    def __init__(self, raw: str, name: str | None, py: PyLoc | None | object = _UNDECODED,
                 file: str | None = None, line: int | None = None):
        object.__setattr__(self, "raw", raw)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_py", py)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)

    def __setattr__(self, key, value):
        raise AttributeError("Loc is immutable")

    @property
    def py(self) -> PyLoc | None:
        py = self._py
        if py is _UNDECODED:
            py = decode_pyloc(self.name) if self.name else None
            object.__setattr__(self, "_py", py)
        return py  # type: ignore[return-value]

    def _key(self) -> tuple:
        return self.raw, self.name, self.py, self.file, self.line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loc) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self):
        return Loc, (self.raw, self.name, self.py, self.file, self.line)

    def __repr__(self) -> str:
        return f"Loc(raw={self.raw!r}, name={self.name!r}, py={self.py!r}, file={self.file!r}, line={self.line!r})"

    def to_json(self) -> dict:
        d: dict = {"raw": self.raw, "name": self.name}
        if self.py is not None:
            p = self.py
            d.update(
                module_path=p.module_path,
                modules=[{"class": c, "name": n} for c, n in p.modules],
                source_file=p.source_file,
                source_line=p.source_line,
                func=p.func_name,
                op_line=p.op_line,
                op_name=p.op_name,
                aten_op=p.aten_op,
                lowering_suffix=p.suffix,
            )
        if self.file is not None:
            d.update(file=self.file, line=self.line)
        return d


def _int(s: str) -> int | None:
    try:
        return int(s)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def split_op_name(op_name: str) -> tuple[str | None, str | None]:
    """``aten__index_workaround`` -> (``aten::index``, ``_workaround``)."""
    suffix = None
    base = op_name
    for s in LOWERING_SUFFIXES:
        if base.endswith(s) and len(base) > len(s):
            suffix = s
            base = base[: -len(s)]
            break
    aten = None
    if base.startswith("aten__"):
        aten = "aten::" + base[len("aten__"):]
    elif base.startswith("xla__"):
        aten = "xla::" + base[len("xla__"):]
    return aten, suffix


@lru_cache(maxsize=4096)
def _modules(middle: str) -> tuple[tuple[str, str], ...]:
    # the module path recurs on every op of a module: decoded once
    modules = []
    for p in middle.split("|") if middle else ():
        mm = _MODULE.match(p)
        if mm:
            modules.append((mm.group("cls"), mm.group("name")))
        elif p and p != "unknown":
            modules.append((p, ""))
    return tuple(modules)


@lru_cache(maxsize=4096)
def _source(func_path: str) -> tuple[str | None, int | None]:
    m = _FILE_LINE.match(func_path)
    src_file, src_line = (m.group("file"), _int(m.group("line"))) if m else (func_path or None, None)
    if src_file in ("unknown", "-1"):
        return None, None
    return src_file, src_line


def decode_pyloc(name: str) -> PyLoc | None:
    """Apply the ``PyLoc`` rule to a NameLoc string; None when it has fewer than 4 parts."""
    parts = name.split("|")
    if len(parts) < 4:
        return None
    op_name = parts[-1]
    src_file, src_line = _source(parts[-4])
    aten, suffix = split_op_name(op_name)
    return PyLoc(
        op_index=_int(parts[0]),
        modules=_modules("|".join(parts[1:-4])),
        source_file=src_file,
        source_line=src_line,
        func_name=parts[-3],
        op_line=_int(parts[-2]),
        op_name=op_name,
        aten_op=aten,
        suffix=suffix,
    )


def _unquote(s: str) -> str:
    return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def decode_loc(items: tuple[Item, ...], loc_aliases: Mapping[str, tuple[Item, ...]] = MappingProxyType({})) -> Loc:
    """Decode the items inside ``loc(...)``; ``#locN`` references are followed through ``loc_aliases``."""
    if len(items) == 1 and isinstance(items[0], Atom):
        # loc("name") and loc(#locN) -> loc("name"): the forms on nearly every op
        a = items[0]
        s = a
        if a.kind == "HASH_ID":
            target = loc_aliases.get(a.text)
            if target is not None and len(target) == 1 and isinstance(target[0], Atom):
                s = target[0]
        if s.kind == "STRING":
            name = _unquote(s.text)
            return Loc(f"loc({a.text})", name)
    raw = "loc(" + render(items) + ")"
    expanded = _expand(items, loc_aliases, 0)
    name = None
    file = None
    line = None
    flat = list(walk(expanded))
    for i, it in enumerate(flat):
        if isinstance(it, Atom) and it.kind == "STRING":
            nxt = flat[i + 1] if i + 1 < len(flat) else None
            is_file = isinstance(nxt, Atom) and nxt.kind == ":"
            if is_file:
                if file is None:
                    file = _unquote(it.text)
                    after = flat[i + 2] if i + 2 < len(flat) else None
                    if isinstance(after, Atom) and after.kind == "INT":
                        line = int(after.text)
            elif name is None:
                name = _unquote(it.text)
    return Loc(raw, name, _UNDECODED, file, line)


def _expand(items: tuple[Item, ...], aliases: Mapping[str, tuple[Item, ...]], depth: int) -> tuple[Item, ...]:
    if depth > 8 or not aliases:
        return items
    out: list[Item] = []
    for it in items:
        if isinstance(it, Atom) and it.kind == "HASH_ID" and it.text in aliases:
            out.extend(_expand(aliases[it.text], aliases, depth + 1))
        elif isinstance(it, Group):
            out.append(Group(it.open, _expand(it.items, aliases, depth + 1)))
        elif isinstance(it, Body):
            out.append(Body(it.name, _expand(it.items, aliases, depth + 1), it.open))
        else:
            out.append(it)
    return tuple(out)
