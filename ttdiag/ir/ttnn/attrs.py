"""Reading TTNN attributes: one set of typed accessors over an op's (alias-resolved) item trees.

Every reader of op attributes (the L1 models, the reference executor, the advice rules, ``perf --ir``)
goes through :class:`AttrReader` and :class:`Config`, so a value has one spelling rule and one default:
``[4 : i32, 5 : i32]``, ``array<i64: 4, 5>`` and ``#ttnn.shape<4x5>`` are all ``(4, 5)``; ``true`` is
True; ``#ttnn.layout<tile>`` is ``"tile"``; ``#ttnn.core_coord<8, 8>`` and ``#ttcore.grid<8x8>`` are
grids (x, y). Attribute aliases are already resolved by the parser (``ttdiag.parse.mlir``).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..graph import Op
from ..items import Atom, Body, Group, Item, as_int, int_list, key_values, render

T = TypeVar("T")


def items_int(items: tuple[Item, ...] | None) -> int | None:
    """``4``, ``4 : i32``, ``-1 : si32`` → the int; None when absent or not an integer."""
    if items and isinstance(items[0], Atom) and items[0].kind == "-" and len(items) > 1:
        v = as_int(items[1:])
        return None if v is None else -v
    return as_int(items)


def items_ints(items: tuple[Item, ...] | None) -> tuple[int, ...] | None:
    """``[4 : i32, 5 : i32]``, ``array<i64: 4, 5>``, ``#ttnn.shape<4x5>``, ``<4, 5>`` bodies → a tuple."""
    if not items:
        return None
    v = int_list(items)
    if v is not None:
        return tuple(v)
    if len(items) == 1 and isinstance(items[0], (Body, Group)):
        text = render(items[0].items).replace(" ", "")
        if text and all(p.isdigit() for p in text.split("x")):
            return tuple(int(p) for p in text.split("x"))
        nums = [it.text for it in items[0].items if isinstance(it, Atom)]
        ints = [int(n) for n in nums if n.lstrip("-").isdigit()]
        if ints and all(isinstance(it, Atom) and (it.kind in ("INT", ",", "-", ":") or it.text.startswith("i"))
                        for it in items[0].items):
            return tuple(ints)
    n = items_int(items)
    return None if n is None else (n,)


def items_bool(items: tuple[Item, ...] | None) -> bool | None:
    """``true`` / ``false``; None for anything else."""
    if items and isinstance(items[0], Atom) and items[0].text in ("true", "false"):
        return items[0].text == "true"
    return None


# MLIR prints a float attribute whose decimal form would not round-trip (NaN, infinities) as its bit
# pattern: ``0x7FC00000 : f32``. Element type -> (bits struct code, float struct code, shift into the float).
_HEX_FLOAT = {"f64": ("<Q", "<d", 0), "f32": ("<I", "<f", 0), "f16": ("<H", "<e", 0), "bf16": ("<I", "<f", 16)}


def _hex_float(text: str, type_name: str) -> float | None:
    """``0x7FC00000`` of ``f32`` -> nan; bf16 bit patterns are the top half of an f32. None for an unknown type."""
    if type_name not in _HEX_FLOAT:
        return None
    bits_code, float_code, shift = _HEX_FLOAT[type_name]
    try:
        return struct.unpack(float_code, struct.pack(bits_code, int(text, 16) << shift))[0]
    except (ValueError, struct.error):
        return None


def items_float(items: tuple[Item, ...] | None) -> float | None:
    """``1.5 : f32``, ``-2.5``, ``3`` -> the float; a hex bit pattern ``0x7FC00000 : f32`` decodes by its
    element type (default f32)."""
    if not items or not isinstance(items[0], Atom):
        return None
    if items[0].kind == "HEX":
        type_name = items[2].text if len(items) >= 3 and isinstance(items[2], Atom) else "f32"
        return _hex_float(items[0].text, type_name)
    text = items[0].text
    if items[0].kind == "-" and len(items) > 1 and isinstance(items[1], Atom):
        text = "-" + items[1].text
    try:
        return float(text)
    except ValueError:
        return None


def items_text(items: tuple[Item, ...] | None) -> str | None:
    """A string or enum value: ``"abc"`` → abc, ``#ttnn.layout<tile>`` → tile, ``bf16`` → bf16."""
    if not items:
        return None
    node = items[0]
    if isinstance(node, Atom):
        return node.text.strip('"')
    if isinstance(node, (Body, Group)) and len(node.items) == 1 and isinstance(node.items[0], Atom):
        return node.items[0].text.strip('"')
    return render(items)


def items_grid(items: tuple[Item, ...] | None) -> tuple[int, int] | None:
    """``#ttcore.grid<8x8>`` (rows x columns) or ``#ttnn.core_coord<8, 8>`` (x, y) → (x, y)."""
    if not items or not isinstance(items[0], Body):
        return None
    body = items[0]
    text = "".join(it.text for it in body.items if isinstance(it, Atom))
    if body.name.endswith(".grid") and "x" in text:
        r, c = text.split("x")[:2]
        return (int(c), int(r)) if r.isdigit() and c.isdigit() else None
    nums = [int(it.text) for it in body.items if isinstance(it, Atom) and it.kind == "INT"]
    return (nums[0], nums[1]) if len(nums) == 2 else None


class _Reader:
    """Typed access to ``key -> items``; each getter takes the default returned when the key is absent
    or its value does not decode."""

    def _get(self, key: str) -> tuple[Item, ...] | None:
        raise NotImplementedError

    def has(self, key: str) -> bool:
        return self._get(key) is not None

    def _typed(self, key: str, decode: Callable[[tuple[Item, ...] | None], T | None], default: T) -> T:
        v = decode(self._get(key))
        return default if v is None else v

    def int(self, key: str, default: int | None = None) -> int | None:
        return self._typed(key, items_int, default)

    def ints(self, key: str, default: tuple[int, ...] | None = None) -> tuple[int, ...] | None:
        return self._typed(key, items_ints, default)

    def bool(self, key: str, default: bool = False) -> bool:
        return self._typed(key, items_bool, default)

    def float(self, key: str, default: float | None = None) -> float | None:
        return self._typed(key, items_float, default)

    def text(self, key: str, default: str | None = None) -> str | None:
        return self._typed(key, items_text, default)

    def grid(self, key: str, default: tuple[int, int] | None = None) -> tuple[int, int] | None:
        return self._typed(key, items_grid, default)

    def config(self, key: str) -> Config | None:
        """A nested ``#dialect.kind<k = v, ...>`` attribute, or None."""
        return Config.of(self._get(key))

    def raw(self, key: str) -> tuple[Item, ...] | None:
        return self._get(key)


@dataclass(frozen=True)
class Config(_Reader):
    """A ``#ttnn.<kind><key = value, ...>`` attribute (a program config, conv config, compute config).
    ``kind`` is its name without the dialect (``matmul_multi_core_reuse_multi_cast_program_config``)."""

    kind: str
    fields: dict[str, tuple[Item, ...]]

    @staticmethod
    def of(items: tuple[Item, ...] | None) -> Config | None:
        if not items or not isinstance(items[0], Body) or not items[0].name.startswith("#"):
            return None
        body = items[0]
        return Config(body.name.split(".", 1)[-1], key_values(body.items))

    def _get(self, key: str) -> tuple[Item, ...] | None:
        return self.fields.get(key)


@dataclass(frozen=True)
class AttrReader(_Reader):
    """An op's attributes (properties first, as tt-mlir stores inherent attributes there)."""

    op: Op

    def _get(self, key: str) -> tuple[Item, ...] | None:
        return self.op.attr(key)
