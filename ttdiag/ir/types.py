"""Decoded TTNN types and attributes: tensor types, ``#ttnn.ttnn_layout`` in every era, tiles, affine maps.

Decoding works on the generic item trees of :mod:`ttdiag.ir.items`, so it is independent
of how the text was tokenised. Each decoder returns None (never raises) when the items
are not of the expected shape; the caller keeps the raw items.

Sources: tt-mlir ``include/ttmlir/Dialect/TTNN/IR/TTNNOpsAttrs.td`` (``TTNN_TTNNLayoutAttr``)
at dd15572d (2025-12-30) and 19c86fca (2026-08-21); the older ``#tt.layout`` form from
tt-mlir c4dd5377 (2024-10-31). See ttnn-facts.md §2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .items import Atom, Body, Group, Item, render, split_commas

MEMORY_LAYOUTS = ("interleaved", "height_sharded", "width_sharded", "block_sharded", "single_bank")
BUFFER_TYPES = ("dram", "l1", "system_memory", "l1_small", "trace", "system")


@dataclass(frozen=True, slots=True)
class TileType:
    """``!ttcore.tile<32x32, bf16>`` (or the older ``!tt.tile``): tile height/width in elements, dtype."""

    height: int
    width: int
    dtype: str


@dataclass(frozen=True, slots=True)
class AffineMap:
    """A linear affine map ``(d0, ..) -> (e0, ..)``.

    Each result is ``(coefficients, constant)``: ``coefficients[k]`` multiplies ``d_k``.
    ``linear`` is False when a result uses floordiv/mod/symbols; ``text`` keeps the source.
    """

    num_dims: int
    results: tuple[tuple[tuple[int, ...], int], ...]
    linear: bool
    text: str

    def evaluate(self, point: tuple[int, ...]) -> tuple[int, ...]:
        """Apply the map to ``point`` (one int per dim). Only for linear maps."""
        return tuple(sum(c * x for c, x in zip(coeffs, point)) + const for coeffs, const in self.results)

    def eval_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """tt-mlir ``evalShape``: ``map(shape - 1) + 1`` (include/ttmlir/AffineMapUtils.h)."""
        return tuple(v + 1 for v in self.evaluate(tuple(s - 1 for s in shape)))

    def row_strides(self) -> tuple[int, ...]:
        """Coefficient of each dim in the first result: the collapsed-row stride per dim."""
        if not self.results:
            return ()
        return self.results[0][0]


@dataclass(frozen=True, slots=True)
class TTNNLayout:
    """A decoded ``#ttnn.ttnn_layout`` (or 2024's ``#tt.layout``).

    ``memref_shape`` is one shard (whole tensor for DRAM-interleaved ``<1x1>``), in tiles when
    ``element`` is a :class:`TileType`, else in elements. ``buffer_type`` is ``dram`` / ``l1`` /
    ``system_memory`` / ...; ``memory_layout`` is ``interleaved`` / ``*_sharded`` / None (host).
    ``extras`` keeps every other field (``core_ranges``, ``exactGrid``, ``mesh``...) as text.
    """

    affine_map: AffineMap | None
    grid: tuple[int, ...]
    memref_shape: tuple[int, ...]
    element: TileType | str
    buffer_type: str | None
    memory_layout: str | None
    era: str
    extras: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def is_tiled(self) -> bool:
        return isinstance(self.element, TileType)

    @property
    def dtype(self) -> str:
        return self.element.dtype if isinstance(self.element, TileType) else self.element


@dataclass(frozen=True, slots=True)
class TensorType:
    """``tensor<AxBxdtype, encoding>``. ``shape`` entries are None for dynamic dims.

    ``layout`` is the decoded encoding when it is a TTNN layout; ``encoding_text`` keeps the
    encoding as written (an alias name like ``#ttnn_layout3`` or inline text).
    """

    shape: tuple[int | None, ...]
    dtype: str
    layout: TTNNLayout | None
    encoding_text: str | None
    text: str

    @property
    def static_shape(self) -> tuple[int, ...] | None:
        return None if any(d is None for d in self.shape) else tuple(self.shape)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class OpaqueType:
    """Any other type (``!ttnn.device``, ``index``, a function type): kept as text."""

    text: str


Type = TensorType | OpaqueType
AliasTable = Mapping[str, tuple[Item, ...]]
NO_ALIASES: AliasTable = MappingProxyType({})

_SHAPE_SPLIT = re.compile(r"\s*x\s*")


def parse_shape_prefix(text: str) -> tuple[int | None, ...]:
    """``"4x4884480x"`` -> (4, 4884480); ``"?x4x"`` -> (None, 4)."""
    dims = [d for d in _SHAPE_SPLIT.split(text.strip()) if d != ""]
    return tuple(None if d == "?" else int(d) for d in dims)


def _resolve(items: tuple[Item, ...], aliases: AliasTable, depth: int = 0) -> tuple[Item, ...]:
    """Follow ``#alias`` / ``!alias`` references through the module's alias table."""
    while depth < 8 and len(items) == 1 and isinstance(items[0], Atom) and items[0].kind in ("HASH_ID", "BANG_ID"):
        target = aliases.get(items[0].text)
        if target is None:
            break
        items = target
        depth += 1
    return items


def decode_tile(node: Item, aliases: AliasTable = NO_ALIASES) -> TileType | None:
    """``!ttcore.tile<32x32, bf16>`` / ``!tt.tile<32 x 32, f32>`` -> TileType."""
    if not (isinstance(node, Body) and node.name.endswith(".tile")):
        return None
    parts = split_commas(node.items)
    if len(parts) != 2:
        return None
    hw = render(parts[0]).replace(" ", "")
    m = re.fullmatch(r"(\d+)x(\d+)", hw)
    if not m or len(parts[1]) != 1 or not isinstance(parts[1][0], Atom):
        return None
    if int(m.group(1)) <= 0 or int(m.group(2)) <= 0:  # not a tile: nothing divides by it
        return None
    return TileType(int(m.group(1)), int(m.group(2)), parts[1][0].text)


def decode_affine_map(items: tuple[Item, ...]) -> AffineMap | None:
    """``(d0, d1) -> (d0 * 128 + d1, 5)`` (three items: paren, ``->``, paren) -> AffineMap."""
    if len(items) < 3 or not (isinstance(items[0], Group) and items[0].open == "("):
        return None
    if not (isinstance(items[1], Atom) and items[1].kind == "->" and isinstance(items[2], Group)):
        return None
    dims = [render(p) for p in split_commas(items[0].items)]
    dim_index = {d: i for i, d in enumerate(dims)}
    results = []
    linear = True
    for expr in split_commas(items[2].items):
        parsed = _linear_expr(expr, dim_index, len(dims))
        if parsed is None:
            linear = False
            parsed = ((0,) * len(dims), 0)
        results.append(parsed)
    return AffineMap(len(dims), tuple(results), linear, render(items[:3]))


def _linear_expr(expr: tuple[Item, ...], dim_index: Mapping[str, int],
                 ndims: int | None = None) -> tuple[tuple[int, ...], int] | None:
    """Sum of ``c``, ``dK``, ``dK * c``, ``c * dK`` terms; None for anything else.

    ``ndims`` is the number of map dims; it can exceed ``len(dim_index)`` when a malformed map
    repeats a dim name (``(d0, d0) -> (d0)``), the later position winning.
    """
    coeffs = [0] * (len(dim_index) if ndims is None else ndims)
    const = 0
    sign = 1
    term: list[Item] = []

    def flush() -> bool:
        nonlocal const
        if not term:
            return True
        toks = [t for t in term if not (isinstance(t, Atom) and t.kind == "*")]
        if not all(isinstance(t, Atom) for t in toks) or len(toks) > 2:
            return False
        factor = sign
        dim = None
        for t in toks:
            if t.kind == "INT":  # type: ignore[union-attr]
                factor *= int(t.text)  # type: ignore[union-attr]
            elif t.text in dim_index:  # type: ignore[union-attr]
                if dim is not None:
                    return False
                dim = dim_index[t.text]  # type: ignore[union-attr]
            else:
                return False
        if dim is None:
            const += factor
        else:
            coeffs[dim] += factor
        return True

    for it in expr:
        if isinstance(it, Atom) and it.kind in ("+", "-"):
            if not flush():
                return None
            term = []
            sign = 1 if it.kind == "+" else -1
        elif isinstance(it, Atom) and it.kind == "INT" and it.text.startswith("-") and term:
            # "d0 -1" lexes as d0, INT(-1)
            if not flush():
                return None
            term = [Atom("INT", it.text[1:])]
            sign = -1
        else:
            term.append(it)
    if not flush():
        return None
    return tuple(coeffs), const


def _grid_of(node: Item) -> tuple[int, ...] | None:
    """``<8x8>``, ``<1x1, (d0, d1) -> (0, d0, d1)>``, ``#tt.grid<8x8>`` -> (8, 8)."""
    if isinstance(node, Group) and node.open == "<" or isinstance(node, Body) and node.name.endswith(".grid"):
        first = split_commas(node.items)[0] if node.items else ()
        text = render(first).replace(" ", "")
        if re.fullmatch(r"\d+(x\d+)*", text):
            return tuple(int(v) for v in text.split("x"))
    return None


def _memory_layout_of(part: tuple[Item, ...]) -> str | None:
    if len(part) != 1:
        return None
    node = part[0]
    if isinstance(node, Group) and node.open == "<" and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, Body) and node.name.endswith(".tensor_memory_layout") and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, Atom) and node.text in MEMORY_LAYOUTS:
        return node.text
    return None


def decode_buffer_type(items: tuple[Item, ...], aliases: AliasTable = NO_ALIASES) -> str | None:
    """``#ttnn.buffer_type<dram>``, ``#tt.memory_space<l1>``, ``#dram`` (alias) -> ``"dram"``."""
    resolved = _resolve(items, aliases)
    if len(resolved) == 1 and isinstance(resolved[0], Body) and len(resolved[0].items) == 1:
        inner = resolved[0].items[0]
        if isinstance(inner, Atom):
            return inner.text
    if len(items) == 1 and isinstance(items[0], Atom) and items[0].kind == "HASH_ID":
        # Unresolved alias: the conventional names say what they are.
        name = items[0].text.lstrip("#").rstrip("_")
        if name in BUFFER_TYPES:
            return name
    return None


def decode_memref(node: Item, aliases: AliasTable = NO_ALIASES) -> tuple[tuple[int, ...], TileType | str, str | None] | None:
    """``memref<1x152640x!ttcore.tile<32x32, bf16>, #dram>`` -> (shape, element, buffer type)."""
    if not (isinstance(node, Body) and node.name == "memref"):
        return None
    parts = split_commas(node.items)
    if not parts or not parts[0]:
        return None
    first = parts[0]
    shape: tuple[int, ...] = ()
    if isinstance(first[0], Atom) and first[0].kind == "SHAPE":
        dims = parse_shape_prefix(first[0].text)
        if any(d is None for d in dims):
            return None
        shape = tuple(d for d in dims if d is not None)
        first = first[1:]
    elif len(first) >= 3 and isinstance(first[0], Atom) and first[0].kind == "INT":
        # spaced old form "8 x 16 x f32" is rare; not decoded
        return None
    if len(first) != 1:
        return None
    elem_node = _resolve(first, aliases)[0]
    tile = decode_tile(elem_node, aliases)
    element: TileType | str
    if tile is not None:
        element = tile
    elif isinstance(elem_node, Atom) and elem_node.kind == "BARE_ID":
        element = elem_node.text
    else:
        return None
    buffer_type = decode_buffer_type(parts[1], aliases) if len(parts) > 1 else None
    return shape, element, buffer_type


def decode_layout(node: Item, aliases: AliasTable = NO_ALIASES) -> TTNNLayout | None:
    """Decode ``#ttnn.ttnn_layout<...>`` (Dec-2024 .. 2026 forms) or ``#tt.layout<...>`` (2024).

    Fields are recognised by shape, not position, so every era parses: the affine map,
    the grid ``<RxC>`` (optionally with a map), ``mesh = ..``, the memref, the memory layout
    (``<interleaved>`` or bare ``interleaved``), ``undef`` (old OOB value) and trailing
    ``key = value`` fields (``core_ranges``, ``exactGrid``, ``ignorePhysicalLayout``).
    """
    resolved = _resolve((node,), aliases)
    if len(resolved) != 1:
        return None
    node = resolved[0]
    if not (isinstance(node, Body) and node.name in ("#ttnn.ttnn_layout", "#tt.layout")):
        return None
    era = "ttnn_layout" if node.name == "#ttnn.ttnn_layout" else "tt.layout"
    parts = split_commas(node.items)
    amap = decode_affine_map(parts[0]) if parts else None
    grid: tuple[int, ...] = ()
    memref = None
    memory_layout = None
    extras: dict[str, str] = {}
    for part in parts[1:]:
        if not part:
            continue
        if len(part) == 1 and grid == () and _grid_of(part[0]) is not None:
            grid = _grid_of(part[0]) or ()
            continue
        if len(part) == 1 and isinstance(part[0], Body) and part[0].name == "memref":
            memref = decode_memref(part[0], aliases)
            continue
        ml = _memory_layout_of(part)
        if ml is not None:
            memory_layout = ml
            continue
        if len(part) >= 2 and isinstance(part[0], Atom) and isinstance(part[1], Atom) and part[1].kind == "=":
            extras[part[0].text] = render(part[2:])
            continue
        extras.setdefault("_other", "")
        extras["_other"] = (extras["_other"] + " " + render(part)).strip()
    if memref is None:
        return None
    shape, element, buffer_type = memref
    return TTNNLayout(amap, grid, shape, element, buffer_type, memory_layout, era, extras, render(node))


def decode_type(items: tuple[Item, ...], aliases: AliasTable = NO_ALIASES) -> Type:
    """Decode one type's items: a ranked ``tensor<..>`` becomes :class:`TensorType`, anything else
    an :class:`OpaqueType` with its text."""
    resolved = _resolve(items, aliases)
    text = render(items)
    if len(resolved) == 1 and isinstance(resolved[0], Body) and resolved[0].name == "tensor":
        tt = _decode_tensor(resolved[0], aliases, text)
        if tt is not None:
            return tt
    return OpaqueType(text)


def _decode_tensor(node: Body, aliases: AliasTable, text: str) -> TensorType | None:
    parts = split_commas(node.items)
    if not parts or not parts[0]:
        return None
    first = parts[0]
    shape: tuple[int | None, ...] = ()
    if isinstance(first[0], Atom) and first[0].kind == "SHAPE":
        shape = parse_shape_prefix(first[0].text)
        first = first[1:]
    if len(first) != 1:
        return None
    el = first[0]
    if isinstance(el, Atom):
        dtype = el.text
    elif isinstance(el, Body):
        tile = decode_tile(el, aliases)
        dtype = f"tile<{tile.height}x{tile.width},{tile.dtype}>" if tile else render(el)
    else:
        dtype = render(el)
    layout = None
    enc_text = None
    if len(parts) > 1:
        enc = parts[1]
        enc_text = render(enc)
        if len(enc) == 1:
            layout = decode_layout(enc[0], aliases)
    return TensorType(shape, dtype, layout, enc_text, text)
