"""Conv weight layouts for grouped / depthwise convolutions (ttnn-facts.md §6.1).

Plain numpy functions, one per tt-metal weight-layout conversion, plus :func:`weight_layouts`, the
figures ``ttdiag weights`` prints (shape, elements, non-zeros, 32x32 tiles, bytes).

* :func:`grouped_layout` — tt-metal ``convert_conv_weight_tensor_to_grouped_layout`` (facts §6.1,
  VERIFIED body text): ``[C_out, C_in/G, kh, kw]`` → ``[C_out, C_in, kh, kw]``, zero outside each
  output channel's group block (block-diagonal over the channel axes). Depthwise (``G = C``) grows C×.
* :func:`conv_matmul_weight` — the conv2d matmul weight matrix ``[kh·kw·round_up(C_in, 32),
  round_up(C_out, 32)]`` built from a dense (e.g. grouped-layout) weight; row ``(i·kw + j)·C_in_p + c``,
  column ``o`` (HWIO flattened, the layout ``ttdiag.reference.ops.conv`` accepts as a prepared conv2d
  weight). The 32-channel input alignment is the tiled default; the real alignment depends on the
  conv config and sharding (UNVERIFIED), as does block-sharded channel interleaving (not modelled).
* :func:`depthwise_stick_layout` / :func:`from_depthwise_stick_layout` — the 2-D depthwise
  "stick-by-stick" layout of a field prototype (see the function's docstring for the interpretation).

No reference op is registered for these: tt-mlir's ``ttnn.prepare_conv2d_weights`` output depends on
the shard layout, block config and channel alignment, which are not pinned down here.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from .layout import round_up, tile_size_bytes

TILE = 32
SCHEMA = "ttdiag.weights/1"

# CLI spelling → the dtype names of ``layout.tile_size_bytes``.
DTYPES = {"bf16": "bf16", "f32": "f32", "fp32": "f32", "bfp8": "bfp_bf8", "bfp_bf8": "bfp_bf8",
          "bfp4": "bfp_bf4", "bfp_bf4": "bfp_bf4"}


# --------------------------------------------------------------------------------------------
# conversions
# --------------------------------------------------------------------------------------------

def grouped_layout(w: np.ndarray, groups: int) -> np.ndarray:
    """tt-metal ``convert_conv_weight_tensor_to_grouped_layout``: ``[C_out, C_in/G, kh, kw]`` →
    ``[C_out, C_in, kh, kw]`` (same dtype), zero-filled, with output channel ``o`` of group
    ``g = o // (C_out/G)`` holding its filter at input channels ``[g·C_in/G, (g+1)·C_in/G)``.

    A conv with this weight and ``groups = 1`` equals the grouped conv exactly (each product outside
    the block is a zero). Conv3d weights (``[C_out, C_in/G, kD, kH, kW]``) work the same way.

    Raises:
        ValueError: ``groups`` does not divide ``C_out``.
    """
    if w.ndim < 2:
        raise ValueError(f"weight must be [C_out, C_in/groups, ...], got {list(w.shape)}")
    cout, cg = w.shape[0], w.shape[1]
    if groups < 1 or cout % groups:
        raise ValueError(f"groups = {groups} does not divide C_out = {cout}")
    cog = cout // groups
    out = np.zeros((cout, cg * groups, *w.shape[2:]), w.dtype)
    for g in range(groups):
        out[g * cog:(g + 1) * cog, g * cg:(g + 1) * cg] = w[g * cog:(g + 1) * cog]
    return out


def conv_matmul_weight(w: np.ndarray, cin_align: int = TILE, cout_align: int = TILE) -> np.ndarray:
    """A dense conv2d weight ``[C_out, C_in, kh, kw]`` as the matmul weight matrix
    ``[kh·kw·round_up(C_in, cin_align), round_up(C_out, cout_align)]``: element
    ``[(i·kw + j)·C_in_p + c, o] = w[o, c, i, j]``, zeros in the padding (facts §6.1: K_t·N_t tiles).

    For a grouped conv pass :func:`grouped_layout`'s output: tt-metal expands grouped weights before
    building the matrix.
    """
    if w.ndim != 4:
        raise ValueError(f"weight must be [C_out, C_in, kh, kw], got {list(w.shape)}")
    cout, cin, kh, kw = w.shape
    cin_p, cout_p = round_up(cin, cin_align), round_up(cout, cout_align)
    m = np.zeros((kh, kw, cin_p, cout_p), w.dtype)
    m[:, :, :cin, :cout] = w.transpose(2, 3, 1, 0)
    return m.reshape(kh * kw * cin_p, cout_p)


def depthwise_stick_layout(w: np.ndarray) -> np.ndarray:
    """The 2-D depthwise stick-by-stick layout (``[C, 1, kh, kw]`` → ``[1, 1, H_p, W_p]``) of a
    ``convert_conv_weight_tensor_to_2d_depthwise_tiled_layout`` prototype. Interpretation:

    * input: a depthwise weight in torch OIHW, ``[C, 1, kh, kw]`` (``groups = C_in = C_out = C``;
      channel multiplier 1);
    * output: ``[1, 1, round_up(kh·kw, 32), round_up(C, 32)]``, zero-filled; one row ("stick") per
      kernel position ``s = i·kw + j`` (row-major over (kh, kw)), one column per channel:
      ``out[0, 0, i·kw + j, c] = w[c, 0, i, j]``; rows ``≥ kh·kw`` and columns ``≥ C`` are zero padding
      to the 32x32 tile boundary. For 32 channels and a 3x3 kernel that is one tile, rows 9–31 zero.

    This is the *logical* row-major matrix; the tilized in-memory order (16x16 faces) is the usual
    TILE layout of that matrix and is not produced here.

    UNVERIFIED: the prototype is not upstream tt-metal. Its author hooked this function
    into ``prepare_conv_weights_internal`` and hit ``out_channels == original_weights_out_channels``
    (32 != 1), then left the grouped layout in place; so no tt-metal release is known to produce this
    layout, and the upstream ``convert_conv_weight_tensor_to_depthwise_layout`` is the different 1-D
    depthwise ("broadcasted weights", ``[C_out, act_block_h, kh, kw]``) conversion, not this one.
    Whether a later kernel reads the weights in exactly this order is also unverified.

    Raises:
        ValueError: ``w`` is not ``[C, 1, kh, kw]``.
    """
    if w.ndim != 4 or w.shape[1] != 1:
        raise ValueError(f"depthwise weight must be [C, 1, kh, kw], got {list(w.shape)}")
    c, _, kh, kw = w.shape
    out = np.zeros((1, 1, round_up(kh * kw, TILE), round_up(c, TILE)), w.dtype)
    out[0, 0, :kh * kw, :c] = w[:, 0].reshape(c, kh * kw).T
    return out


def from_depthwise_stick_layout(m: np.ndarray, channels: int, kh: int, kw: int) -> np.ndarray:
    """Inverse of :func:`depthwise_stick_layout`: ``[1, 1, H_p, W_p]`` (or 2-D) → ``[C, 1, kh, kw]``."""
    m2 = m.reshape(m.shape[-2], m.shape[-1])
    if m2.shape[0] < kh * kw or m2.shape[1] < channels:
        raise ValueError(f"stick layout {list(m.shape)} holds fewer than {kh * kw} sticks of {channels} channels")
    return np.ascontiguousarray(m2[:kh * kw, :channels].T).reshape(channels, 1, kh, kw)


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LayoutFigure:
    name: str
    shape: tuple[int, ...]
    elements: int
    nonzero: int
    zero_fraction: float
    tiles: int
    bytes: int

    def to_json(self) -> dict:
        d = asdict(self)
        d["shape"] = list(self.shape)
        return d


@dataclass(frozen=True)
class WeightsReport:
    groups: int
    in_channels: int
    out_channels: int
    kernel: tuple[int, int]
    dtype: str
    depthwise: bool
    layouts: tuple[LayoutFigure, ...]

    @property
    def expansion_factor(self) -> float:
        """Elements of the grouped layout over elements of the original weight (= groups)."""
        by = {f.name: f for f in self.layouts}
        return by["grouped"].elements / by["original"].elements

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "groups": self.groups, "in_channels": self.in_channels,
                "out_channels": self.out_channels, "kernel": list(self.kernel), "dtype": self.dtype,
                "depthwise": self.depthwise, "layouts": [f.to_json() for f in self.layouts],
                "expansion_factor": self.expansion_factor}


def tiles_of(shape: tuple[int, ...]) -> int:
    """32x32 tiles after padding the last two dims (outer dims multiply; a 1-D shape is one row)."""
    if len(shape) == 1:
        shape = (1, *shape)
    outer = int(np.prod(shape[:-2], dtype=np.int64)) if len(shape) > 2 else 1
    return outer * (-(-shape[-2] // TILE)) * (-(-shape[-1] // TILE))


def figure(name: str, a: np.ndarray, dtype: str) -> LayoutFigure:
    """Figures of one layout, counted on the array itself (``nonzero`` = its non-zero elements)."""
    elements = int(a.size)
    nonzero = int(np.count_nonzero(a))
    tiles = tiles_of(tuple(a.shape))
    return LayoutFigure(name, tuple(int(s) for s in a.shape), elements, nonzero,
                        (elements - nonzero) / elements if elements else 0.0,
                        tiles, tiles * tile_size_bytes(TILE, TILE, DTYPES[dtype]))


def parse_kernel(text: str) -> tuple[int, int]:
    """``"3x3"`` → ``(3, 3)``; a single ``"3"`` means 3x3. Raises ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[xX]\s*(\d+))?\s*", text or "")
    if not m:
        raise ValueError(f"kernel must look like 3x3, got {text!r}")
    kh, kw = int(m.group(1)), int(m.group(2) or m.group(1))
    if kh < 1 or kw < 1:
        raise ValueError(f"kernel dims must be positive, got {text!r}")
    return kh, kw


# The figures are counted on real arrays; cap their size so a typo cannot exhaust memory.
MAX_ELEMENTS = 1 << 27


def weight_layouts(groups: int, in_channels: int, out_channels: int, kernel: tuple[int, int],
                   dtype: str = "bf16") -> WeightsReport:
    """Build every layout from a weight with no zero values and report its figures.

    Layouts, in order: ``original`` ``[out, in/G, kh, kw]``; ``grouped`` ``[out, in, kh, kw]``;
    ``matmul`` ``[kh·kw·round_up(in, 32), round_up(out, 32)]`` (from the grouped layout); and, for a
    depthwise conv (``G = in = out``), ``depthwise_stick`` ``[1, 1, round_up(kh·kw, 32),
    round_up(C, 32)]``. ``tiles`` counts 32x32 tiles after padding the last two dims; ``bytes`` =
    tiles · tile size of ``dtype``; ``zero_fraction`` is over the layout's own elements.

    Raises:
        ValueError: a non-positive size, ``groups`` not dividing ``in``/``out``, an unknown dtype, or
            a layout over :data:`MAX_ELEMENTS` elements.
    """
    kh, kw = kernel
    for what, v in (("groups", groups), ("in channels", in_channels), ("out channels", out_channels),
                    ("kernel height", kh), ("kernel width", kw)):
        if v < 1:
            raise ValueError(f"{what} must be positive, got {v}")
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups = {groups} must divide in = {in_channels} and out = {out_channels}")
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype {dtype!r}; one of {', '.join(DTYPES)}")
    big = max(out_channels * in_channels * kh * kw,
              kh * kw * round_up(in_channels, TILE) * round_up(out_channels, TILE))
    if big > MAX_ELEMENTS:
        raise ValueError(f"layouts of {big:,} elements are over the {MAX_ELEMENTS:,}-element limit")
    n = out_channels * (in_channels // groups) * kh * kw
    w = np.arange(1, n + 1, dtype=np.float32).reshape(out_channels, in_channels // groups, kh, kw)
    grouped = grouped_layout(w, groups)
    figs = [figure("original", w, dtype), figure("grouped", grouped, dtype),
            figure("matmul", conv_matmul_weight(grouped), dtype)]
    depthwise = groups == in_channels == out_channels
    if depthwise:
        figs.append(figure("depthwise_stick", depthwise_stick_layout(w), dtype))
    return WeightsReport(groups, in_channels, out_channels, (kh, kw), dtype, depthwise, tuple(figs))
