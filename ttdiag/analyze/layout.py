"""Tensor layout model: logical / padded / physical shapes, tiles, bytes, bytes per bank, memref check.

Rules (ttnn-facts.md §1, §2.3), VERIFIED in source:

* tt-metal ``ttnn/core/tensor/layout/tensor_layout.cpp`` @38a0acf1 ``compute_padded_shape``:
  TILE pads only the last two dims, to the tile height / width; ROW_MAJOR interleaved has
  alignment [1] (no padding).
* ``compute_physical_shape``: ``[prod(shape[:-2]) * round_up(H, th), round_up(W, tw)]`` for TILE,
  i.e. dim -2 is rounded **before** the outer dims multiply in; ``[prod(shape[:-1]), W]`` for ROW_MAJOR.
* ``compute_consumed_memory_bytes_per_bank``: interleaved ``ceil(pages / banks) * round_up(page, align)``;
  sharded ``ceil(shard_h / page_h) * ceil(shard_w / page_w)`` pages.
* tile bytes: ``tt_metal/impl/data_format/tile.cpp`` ``Tile::get_tile_size`` (§1.6 table).
* tt-mlir memref (one shard): ``TTNNLayoutAttr`` / ``collapsedLinearAffineMap`` / ``getTiledShape``
  (tt-mlir ``lib/Dialect/TTNN/IR/TTNNOpsAttrs.cpp``): DRAM-interleaved ``<1x1>`` = the whole physical
  shape in tiles; sharded = ``ceil(physical / grid)`` then tiles; L1-interleaved on a grid of more than one
  core: TILE ``[1, ceil(tiles / cores)]``, ROW_MAJOR ``[1, ceil(volume / cores)]``; on ``<1x1>`` the whole
  shape, as DRAM (tt-mlir's lit tests, e.g. ``optimizer/greedy/l1_spill_reshape_view_alias.mlir``:
  ``<1x1>, memref<128x16x!ttcore.tile<32x32, bf16>, #l1>, <interleaved>``).
* Height- / width-sharded layouts divide over a virtual grid, not the written one (see
  :func:`shard_grid`): ``<6x2>`` height-sharded is ``[12, 1]``, width-sharded ``[1, 12]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..ir.types import TensorType, TileType, TTNNLayout
from .arch import ArchSpec, get_arch

ELEMENT_BYTES = {
    "f64": 8, "i64": 8, "si64": 8, "ui64": 8,
    "f32": 4, "i32": 4, "si32": 4, "ui32": 4, "u32": 4, "tf32": 4,
    "bf16": 2, "f16": 2, "i16": 2, "si16": 2, "ui16": 2, "u16": 2,
    "i8": 1, "si8": 1, "ui8": 1, "u8": 1, "i1": 1,
}
_BFP_MANTISSA_DIVISOR = {"bfp_bf8": 1, "bfp_f8": 1, "bfp_bf4": 2, "bfp_f4": 2, "bfp_bf2": 4, "bfp_f2": 4}


def ceil_div(value: int, divisor: int) -> int:
    """``ceil(value / divisor)`` in integers (tt-metal's ``div_up``)."""
    return -(-value // divisor)


def round_up(value: int, multiple: int) -> int:
    """``value`` rounded up to a multiple of ``multiple`` (tt-metal's ``round_up``)."""
    return -(-value // multiple) * multiple


def tile_bytes(dtype: str, tile_shape: tuple[int, int] = (32, 32)) -> int:
    """Bytes of one ``tile_shape`` tile of ``dtype`` (``tt::tile_size``): bf16 2,048, f32 4,096,
    bfp_bf8 1,088, bfp_bf4 576, u8 1,024 for 32x32. The one tile-size rule: see :func:`tile_size_bytes`.

    Raises:
        ValueError: unknown dtype.
    """
    return tile_size_bytes(tile_shape[0], tile_shape[1], dtype)


def tile_size_bytes(tile_h: int, tile_w: int, dtype: str) -> int:
    """Bytes of one tile (``Tile::get_tile_size``, tt_metal/impl/data_format/tile.cpp; facts §1.6).

    Faces are ``min(tile_h, 16) x 16``. BFP formats add one shared-exponent byte per face row,
    rounded up to 16 B: ``exp = round_up(face_h * num_faces, 16)``; bfp8 = hw + exp,
    bfp4 = hw/2 + exp, bfp2 = hw/4 + exp. Other dtypes: hw * element bytes.

    Raises:
        ValueError: unknown dtype.
    """
    hw = tile_h * tile_w
    if dtype in _BFP_MANTISSA_DIVISOR:
        face_h = min(tile_h, 16)
        num_faces = hw // (face_h * 16)
        return hw // _BFP_MANTISSA_DIVISOR[dtype] + round_up(face_h * num_faces, 16)
    if dtype not in ELEMENT_BYTES:
        raise ValueError(f"unknown dtype {dtype!r}")
    return hw * ELEMENT_BYTES[dtype]


def element_bytes(dtype: str) -> int:
    """Bytes per element of a scalar dtype. Raises ValueError for block-float or unknown dtypes."""
    if dtype not in ELEMENT_BYTES:
        raise ValueError(f"no per-element size for dtype {dtype!r}")
    return ELEMENT_BYTES[dtype]


@dataclass(frozen=True, slots=True)
class LayoutFigures:
    """Every figure ttdiag derives for one tensor. Volumes are in elements, bytes in bytes.

    ``physical_shape`` is the 2-D ``[height, width]`` (elements) that tt-metal allocates;
    ``tiles`` is None for row-major tensors; ``bytes_per_bank`` uses the arch's bank count and
    alignment; ``row_strides`` are the layout affine map's first-result coefficients (collapsed,
    tile-padded row units); ``memref_computed`` is what tt-mlir would print for this layout,
    None where ttdiag has no rule (``memref_matches`` is then None too).
    """

    logical_shape: tuple[int, ...]
    logical_volume: int
    padded_shape: tuple[int, ...]
    physical_shape: tuple[int, int]
    physical_volume: int
    tiled: bool
    tile: tuple[int, int] | None
    dtype: str
    tiles: int | None
    logical_tiles: float | None
    page_bytes: int
    pages: int
    bytes: int
    buffer_type: str | None
    memory_layout: str | None
    num_banks: int | None
    bytes_per_bank: int | None
    padding_ratio: float
    row_strides: tuple[int, ...] | None
    expected_row_strides: tuple[int, ...]
    memref_declared: tuple[int, ...] | None
    memref_computed: tuple[int, ...] | None
    memref_matches: bool | None
    memref_note: str | None


def padded_shape(shape: tuple[int, ...], tile: tuple[int, int] | None) -> tuple[int, ...]:
    """``compute_padded_shape`` with the default alignment: TILE rounds dims -2 and -1 up to the
    tile; row-major returns the shape unchanged. Rank-1 TILE tensors pad their single dim to tile width."""
    if tile is None or not shape:
        return tuple(shape)
    th, tw = tile
    if len(shape) == 1:
        return (round_up(shape[0], tw),)
    return tuple(shape[:-2]) + (round_up(shape[-2], th), round_up(shape[-1], tw))


def physical_shape(shape: tuple[int, ...], tile: tuple[int, int] | None) -> tuple[int, int]:
    """``compute_physical_shape``: ``[prod(shape[:-2]) * round_up(H, th), round_up(W, tw)]`` for TILE,
    ``[prod(shape[:-1]), W]`` for row-major. A rank-0 tensor is [1, 1]; rank-1 is [1, W]."""
    if not shape:
        h, w = 1, 1
        return (round_up(h, tile[0]), round_up(w, tile[1])) if tile else (1, 1)
    if len(shape) == 1:
        return (tile[0], round_up(shape[0], tile[1])) if tile else (1, shape[0])
    if tile is None:
        return (math.prod(shape[:-1]), shape[-1])
    th, tw = tile
    return (math.prod(shape[:-2]) * round_up(shape[-2], th), round_up(shape[-1], tw))


def collapsed_row_strides(shape: tuple[int, ...], tile: tuple[int, int] | None) -> tuple[int, ...]:
    """Row strides of tt-mlir's default ``collapsedLinearAffineMap`` (collapse dims [0, rank-1)), built on
    the tile-padded shape for tiles (``getTilePaddedShape``) and on the logical shape otherwise.
    For [1,4,768,60,106] TILE: (196608, 49152, 64, 1, 0)."""
    if not shape:
        return ()
    ps = padded_shape(shape, tile) if tile else shape
    rank = len(ps)
    strides = [0] * rank
    acc = 1
    for k in range(rank - 2, -1, -1):
        strides[k] = acc
        acc *= ps[k]
    return tuple(strides)


def figures_key(t: TensorType) -> tuple:
    """A cache key for :func:`analyze_tensor` made of what it reads: the shape, the dtype and the
    decoded layout's fields (aliases already resolved), never the type's text. Split-input files
    (``// -----`` sections) may bind one alias name, e.g. ``#ttnn_layout1``, to a different layout
    in each section, so ``tensor<32x64xbf16, #ttnn_layout1>`` can mean two different tensors."""
    lay = t.layout
    if lay is None:
        return (t.shape, t.dtype, None)
    return (t.shape, t.dtype, (lay.affine_map, lay.grid, lay.memref_shape, lay.element, lay.buffer_type,
                               lay.memory_layout, lay.era, tuple(sorted(lay.extras.items()))))


def analyze_tensor(t: TensorType, arch: ArchSpec | None = None) -> LayoutFigures | None:
    """All layout figures for one tensor type; None when its shape is dynamic or it has no TTNN
    layout and no known dtype size."""
    shape = t.static_shape
    if shape is None:
        return None
    arch = arch or get_arch("wormhole_b0")
    layout = t.layout
    tile_t: TileType | None = layout.element if layout is not None and isinstance(layout.element, TileType) else None
    tile = (tile_t.height, tile_t.width) if tile_t else None
    dtype = tile_t.dtype if tile_t else (layout.element if layout is not None else t.dtype)
    assert isinstance(dtype, str)
    logical_volume = math.prod(shape) if shape else 1
    padded = padded_shape(shape, tile)
    phys = physical_shape(shape, tile)
    phys_volume = phys[0] * phys[1]
    try:
        if tile:
            page_bytes = tile_size_bytes(tile[0], tile[1], dtype)
            pages = (phys[0] // tile[0]) * (phys[1] // tile[1])
            tiles: int | None = pages
            logical_tiles: float | None = logical_volume / (tile[0] * tile[1])
        else:
            page_bytes = phys[1] * element_bytes(dtype)
            pages = phys[0]
            tiles = None
            logical_tiles = None
    except ValueError:
        return None
    total_bytes = pages * page_bytes
    buffer_type = layout.buffer_type if layout else None
    memory_layout = layout.memory_layout if layout else None
    num_banks = None
    per_bank = None
    if layout is not None and buffer_type in ("dram", "l1", "l1_small"):
        align = arch.alignment(buffer_type)
        if memory_layout in (None, "interleaved"):
            num_banks = arch.num_banks(buffer_type)
            per_bank = -(-pages // num_banks) * round_up(page_bytes, align)
        elif memory_layout.endswith("sharded") and layout.memref_shape:
            num_banks = math.prod(layout.grid) if layout.grid else None
            per_bank = _shard_bytes_per_bank(layout, page_bytes, align)
    row_strides = None
    if layout is not None and layout.affine_map is not None and layout.affine_map.linear:
        row_strides = layout.affine_map.row_strides()
    computed, note = computed_memref(shape, layout, arch) if layout is not None else (None, None)
    # a layout read from a Python repr declares no memref: nothing to compare with
    declared = layout.memref_shape if layout is not None and layout.memref_shape else None
    matches = None if computed is None or declared is None else tuple(computed) == tuple(declared)
    if matches is False and tile and len(shape) >= 2 and (layout.memory_layout in (None, "interleaved")) \
            and layout.buffer_type != "l1" and tuple(declared or ()) == _legacy_memref(shape, tile):
        note = ("declared memref follows the older tt-mlir rule (collapse the logical shape, then tile): it "
                "leaves out the padding of dim -2 that tt-metal allocates")
    return LayoutFigures(
        logical_shape=tuple(shape), logical_volume=logical_volume, padded_shape=padded,
        physical_shape=phys, physical_volume=phys_volume, tiled=tile is not None, tile=tile, dtype=dtype,
        tiles=tiles, logical_tiles=logical_tiles, page_bytes=page_bytes, pages=pages, bytes=total_bytes,
        buffer_type=buffer_type, memory_layout=memory_layout, num_banks=num_banks, bytes_per_bank=per_bank,
        padding_ratio=phys_volume / logical_volume if logical_volume else 1.0,
        row_strides=row_strides, expected_row_strides=collapsed_row_strides(shape, tile),
        memref_declared=declared, memref_computed=computed, memref_matches=matches, memref_note=note,
    )


def interleaved_bytes_per_bank(fig: LayoutFigures, arch: ArchSpec, banks: int) -> int:
    """Bytes per bank of an interleaved buffer over ``banks`` banks: pages go round-robin, so a bank holds
    ``ceil(pages / banks)`` pages, each aligned to the buffer type's alignment (tt-metal ``buffer.cpp``
    ``Buffer::aligned_size_per_bank`` / ``SizeBytesPerBank``, commit not recorded)."""
    return ceil_div(fig.pages, banks) * round_up(fig.page_bytes, arch.alignment(fig.buffer_type or "l1"))


def _shard_bytes_per_bank(layout: TTNNLayout, page_bytes: int, align: int) -> int:
    """Sharded footprint per bank: the memref is one shard (in tiles, or elements for row-major)."""
    shard = layout.memref_shape
    if layout.is_tiled:
        return math.prod(shard) * round_up(page_bytes, align)
    es = element_bytes(layout.dtype)
    rows = math.prod(shard[:-1]) if len(shard) > 1 else 1
    return rows * round_up(shard[-1] * es, align)


def computed_memref(shape: tuple[int, ...], layout: TTNNLayout, arch: ArchSpec) -> tuple[tuple[int, ...] | None, str | None]:
    """The memref tt-mlir prints for ``shape`` under ``layout`` (tt-mlir ``TTNNLayoutAttr``).

    Computed from the logical shape with the default collapse (not from the file's own affine
    map, which ``row_strides`` checks separately). Returns (None, reason) where no rule is known.
    """
    tile = (layout.element.height, layout.element.width) if isinstance(layout.element, TileType) else None
    phys = physical_shape(shape, tile)
    grid = layout.grid or (1, 1)
    if min(grid) <= 0:  # invalid IR (e.g. a fuzzed "<0x1>"): no core to divide the tensor over
        return None, f"grid {'x'.join(map(str, grid))} has no cores"
    ml = layout.memory_layout
    if ml is None or ml == "interleaved" and layout.buffer_type in ("dram", "system_memory", "system", None):
        if math.prod(grid) != 1 and layout.buffer_type != "l1":
            return None, f"grid {'x'.join(map(str, grid))} on a DRAM/host layout"
        return _to_units(phys, tile), None
    if ml == "interleaved":  # L1 interleaved
        cores = math.prod(grid)
        if cores == 1:  # a <1x1> grid keeps the whole shape, as DRAM-interleaved does (current tt-mlir lit tests)
            return _to_units(phys, tile), None
        if tile:
            tiles = (phys[0] // tile[0]) * (phys[1] // tile[1])
            return (1, -(-tiles // cores)), None
        return (1, -(-(phys[0] * phys[1]) // cores)), None
    if ml.endswith("sharded"):
        if len(grid) != 2:
            return None, f"grid rank {len(grid)}"
        rows, cols = shard_grid(grid, ml)
        shard = (-(-phys[0] // rows), -(-phys[1] // cols))
        return _to_units(shard, tile), None
    return None, f"memory layout {ml}"


def shard_grid(grid: tuple[int, int], memory_layout: str) -> tuple[int, int]:
    """The grid a sharded tensor is divided over: the written ``<G0xG1>`` grid flattened to
    ``[G0*G1, 1]`` for height-sharded and ``[1, G0*G1]`` for width-sharded; block-sharded (and any
    other layout) keeps the written grid.

    Source: tt-mlir ``lib/Conversion/TTIRToD2M/TTIRToD2M.cpp``, ``D2MNamedRewriterCommon::getLegacyGrid``
    (``HeightSharded`` -> ``virtualGrid = {g[0] * g[1], 1}``, ``WidthSharded`` -> ``{1, g[0] * g[1]}``,
    else the written grid); ``lib/Conversion/D2MToTTNN/D2MToTTNN.cpp``, ``D2MGenericRewriter::matchAndRewrite``,
    maps such a virtual grid back to the physical core range. The lit test
    ``test/ttmlir/Conversion/TTIRToD2M/ttnn_width_sharded_translation.mlir`` writes ``tensor<32x384xbf16>``
    width-sharded on ``<6x2>`` with memref ``1x1`` (12 tile columns over 12 cores), not ``1x6``.
    A grid written ``<Nx1>`` (height) or ``<1xN>`` (width), as tt-mlir's optimizer prints, is unchanged.
    """
    if memory_layout == "height_sharded":
        return (grid[0] * grid[1], 1)
    if memory_layout == "width_sharded":
        return (1, grid[0] * grid[1])
    return (grid[0], grid[1])


def _legacy_memref(shape: tuple[int, ...], tile: tuple[int, int]) -> tuple[int, int]:
    """Older tt-mlir dumps built the map on the logical shape and tiled the collapsed 2-D shape:
    ``[ceil(prod(shape[:-1]) / th), ceil(W / tw)]`` (e.g. [1,30,30,64] -> 29x2, not 30x2)."""
    return (-(-math.prod(shape[:-1]) // tile[0]), -(-shape[-1] // tile[1]))


def _to_units(hw: tuple[int, int], tile: tuple[int, int] | None) -> tuple[int, int]:
    if tile is None:
        return (hw[0], hw[1])
    return (-(-hw[0] // tile[0]), -(-hw[1] // tile[1]))
