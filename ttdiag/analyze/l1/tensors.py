"""What CB models need to know about an op's tensors, in tt-metal's terms (pages, tiles, Wt/Ht)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...ir.graph import Op
from ...ir.types import TensorType, TileType
from ..layout import ELEMENT_BYTES, padded_shape, physical_shape, tile_bytes

TILE = (32, 32)
# the tile a factory is assumed to use when ttdiag does not know a tensor's dtype (bf16)
ASSUMED_TILE_BYTES = 2048


@dataclass(frozen=True, slots=True)
class TensorFacts:
    """One tensor as a program factory sees it.

    ``shape`` logical; ``dtype`` the storage dtype (the tile's for tiled layouts); ``tiled``;
    ``tile_bytes`` bytes of one 32x32 tile of ``dtype`` (``tt::tile_size``: what a CB page holds for
    tiled data; factories size CB pages with the 32x32 value whatever the tensor's tile shape);
    ``dtype_known``: False when ttdiag has no tile rule for ``dtype``, and then ``tile_bytes`` is the
    bf16 tile (2,048 B) taken as an assumption (see :func:`unknown_dtype_notes`);
    ``es`` bytes per element for row-major data (2 for bf16; 0 for block floats);
    ``Wt``/``Ht``: padded width / height in tiles of one 2-D matrix (dims -1 / -2);
    ``Ht_total``: physical height in tiles (all outer dims folded in);
    ``buffer_type`` / ``memory_layout`` from the TTNN layout (None when unknown).
    """

    shape: tuple[int, ...]
    dtype: str
    tiled: bool
    tile_bytes: int
    es: int
    Wt: int
    Ht: int
    Ht_total: int
    buffer_type: str | None
    memory_layout: str | None
    dtype_known: bool = True

    @property
    def sharded(self) -> bool:
        return bool(self.memory_layout and self.memory_layout.endswith("sharded"))

    @property
    def width(self) -> int:
        return self.shape[-1] if self.shape else 1

    @property
    def padded(self) -> tuple[int, ...]:
        return padded_shape(self.shape, TILE)

    @property
    def volume(self) -> int:
        return math.prod(self.shape) if self.shape else 1


def facts(t: TensorType | None) -> TensorFacts | None:
    """TensorFacts of a ranked, static tensor type; None otherwise."""
    if not isinstance(t, TensorType) or t.static_shape is None:
        return None
    shape = t.static_shape
    lay = t.layout
    if lay is not None:
        dtype = lay.dtype
        tiled = isinstance(lay.element, TileType)
    else:
        dtype, tiled = t.dtype, False
    if dtype.startswith("tile<"):
        dtype = dtype[5:-1].split(",")[-1]
    try:
        tb, known = tile_bytes(dtype, TILE), True
    except ValueError:
        tb, known = ASSUMED_TILE_BYTES, False
    es = ELEMENT_BYTES.get(dtype, 0)
    ps = padded_shape(shape, TILE)
    Wt = ps[-1] // 32 if ps else 1
    Ht = ps[-2] // 32 if len(ps) >= 2 else 1
    Ht_total = physical_shape(shape, TILE)[0] // 32
    return TensorFacts(shape, dtype, tiled, tb, es, Wt, Ht, Ht_total,
                       lay.buffer_type if lay else None, lay.memory_layout if lay else None, known)


def operand(op: Op, i: int = 0) -> TensorFacts | None:
    """TensorFacts of operand ``i`` (None when absent, unranked or dynamic)."""
    return facts(op.operand_types[i]) if i < len(op.operand_types) else None


def result(op: Op, i: int = 0) -> TensorFacts | None:
    """TensorFacts of result ``i`` (None when absent, unranked or dynamic)."""
    return facts(op.result_types[i]) if i < len(op.result_types) else None


def unknown_dtype_notes(op: Op) -> list[str]:
    """One sentence per dtype of the op's tensors that ttdiag has no size rule for: CB pages of such a
    tensor were sized as bf16 (a 2,048 B tile, 2 B elements), an assumption, so the figures are estimates."""
    seen: list[str] = []
    for _, _, t in op.tensors():
        f = facts(t)
        if f is not None and not f.dtype_known and f.dtype not in seen:
            seen.append(f.dtype)
    return [f"dtype {d!r} has no size rule in ttdiag: its pages were sized as bf16 ({ASSUMED_TILE_BYTES:,} B "
            "tiles, 2 B elements); estimate" for d in seen]


def l1_bytes_per_bank(op: Op, arch) -> int:
    """Σ bytes per bank of the op's L1 operands and results (ttdiag.analyze.layout rules)."""
    from ..layout import analyze_tensor

    total = 0
    seen = set()
    for _, name, t in op.tensors():
        if name in seen or t.layout is None or t.layout.buffer_type not in ("l1", "l1_small"):
            continue
        seen.add(name)
        fig = analyze_tensor(t, arch)
        if fig is not None and fig.bytes_per_bank:
            total += fig.bytes_per_bank
    return total
