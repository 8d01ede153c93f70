"""Generic attribute/type item trees: what the MLIR grammar yields for any dialect.

Every attribute and type, known or not, parses into these three node kinds, so nothing
is dropped: the IR layer then decodes the ones it knows (``#ttnn.ttnn_layout``,
``#ttcore.system_desc``, ``!ttcore.tile``, ``tensor<..>``, ``loc(..)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Atom:
    """One token: ``kind`` is the grammar terminal (``BARE_ID``, ``INT``, ``SHAPE``, ``,`` ...)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Group:
    """A bracketed group; ``open`` is one of ``( [ < {``."""

    open: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Body:
    """A name glued to its ``<...>`` body: ``tensor<..>``, ``#ttnn.ttnn_layout<..>``, ``!ttcore.tile<..>``.

    ``name`` has no trailing ``<``. A nested ``loc(...)`` is a Body named ``loc`` with
    ``open == "("``.
    """

    name: str
    items: tuple[Item, ...]
    open: str = "<"


Item = Atom | Group | Body

COMMA = Atom(",", ",")
_CLOSE = {"(": ")", "[": "]", "<": ">", "{": "}"}


def split_commas(items: Iterable[Item]) -> list[tuple[Item, ...]]:
    """Split a flat item sequence at its top-level commas (nested groups are not split)."""
    parts: list[tuple[Item, ...]] = []
    cur: list[Item] = []
    for it in items:
        if isinstance(it, Atom) and it.kind == ",":
            parts.append(tuple(cur))
            cur = []
        else:
            cur.append(it)
    if cur or parts:
        parts.append(tuple(cur))
    return parts


def render(items: Iterable[Item] | Item) -> str:
    """Print items back as MLIR-like text (spacing normalised, content preserved)."""
    if isinstance(items, (Atom, Group, Body)):
        items = (items,)
    out: list[str] = []
    prev: Item | None = None
    for it in items:
        text = _render_one(it)
        if out and not _glue(prev, it):
            out.append(" ")
        out.append(text)
        prev = it
    return "".join(out)


def _glue(prev: Item | None, cur: Item) -> bool:
    if isinstance(cur, Atom) and cur.kind in (",", ":"):
        return cur.kind == ","
    if isinstance(prev, Atom) and prev.kind == "SHAPE":
        return True
    return False


def _render_one(it: Item) -> str:
    if isinstance(it, Atom):
        return it.text
    if isinstance(it, Group):
        return it.open + render(it.items) + _CLOSE[it.open]
    close = _CLOSE[it.open]
    items = it.items
    if it.name == "array" and len(items) >= 2 and isinstance(items[1], Atom) and items[1].kind == ":":
        # MLIR prints dense arrays as array<i64: 1, 2>
        return f"array<{render(items[:1])}: {render(items[2:])}>"
    return f"{it.name}{it.open}{render(items)}{close}"


def walk(items: Iterable[Item]) -> Iterator[Item]:
    """Yield every item, depth first (groups and bodies before their children)."""
    for it in items:
        yield it
        if isinstance(it, (Group, Body)):
            yield from walk(it.items)


def find_body(items: Iterable[Item], suffix: str) -> Body | None:
    """The first Body (at any depth) whose name ends with ``suffix``, e.g. ``".system_desc"``."""
    for it in walk(items):
        if isinstance(it, Body) and it.name.endswith(suffix):
            return it
    return None


def key_values(items: Iterable[Item]) -> dict[str, tuple[Item, ...]]:
    """Decode ``key = value, key2 = value2`` (a brace group's content) into a dict."""
    out: dict[str, tuple[Item, ...]] = {}
    for part in split_commas(items):
        if len(part) >= 2 and isinstance(part[0], Atom) and isinstance(part[1], Atom) and part[1].kind == "=":
            out[part[0].text] = part[2:]
    return out


def as_int(items: tuple[Item, ...] | Item | None) -> int | None:
    """The integer in ``items`` (``4``, ``4 : i32``), or None."""
    if items is None:
        return None
    if isinstance(items, (Atom, Group, Body)):
        items = (items,)
    if items and isinstance(items[0], Atom) and items[0].kind in ("INT", "HEX"):
        try:
            return int(items[0].text, 0)
        except ValueError:
            return None
    return None


def int_list(items: tuple[Item, ...]) -> list[int] | None:
    """Decode ``[4 : i32, 5 : i32]`` or ``array<i64: 0, 1>`` into a list of ints."""
    if len(items) != 1:
        return None
    node = items[0]
    if isinstance(node, Group) and node.open == "[":
        parts = split_commas(node.items)
    elif isinstance(node, Body) and node.name == "array":
        inner = list(node.items)
        if inner and isinstance(inner[0], Atom) and inner[0].kind == "BARE_ID":
            inner = inner[1:]
        if inner and isinstance(inner[0], Atom) and inner[0].kind == ":":
            inner = inner[1:]
        parts = split_commas(inner)
    else:
        return None
    vals = []
    for p in parts:
        if not p:
            continue
        v = as_int(p)
        if v is None:
            return None
        vals.append(v)
    return vals
