"""Convolutions: ``ttnn.conv2d`` and ``ttnn.conv3d`` (channels-last, groups, stride, padding, dilation).

Arithmetic is float32 (bf16 inputs are upcast once), products are accumulated in float32 and only the
final result is stored in the result dtype (``call.cast``), so nothing is ever reduced in bf16.

Both ops share one core, :func:`conv_ndhwc`, on a channels-last ``[N, D, H, W, C]`` volume (conv2d is
the ``D = 1``, ``kD = 1`` case). It runs one float32 GEMM per kernel offset ("shifted matmuls"):

* stride 1 (the common case, e.g. every Mochi decoder conv3d): the padded input is viewed as one
  ``[N·D·H·W, C]`` matrix. For kernel offset ``(kd, kh, kw)`` the input rows feeding output position
  ``p`` (a flat index on the *padded* grid) are rows ``p + kd·dD·H·W + kh·dH·W + kw·dW``, so the GEMM
  operand of every offset is a contiguous row slice of that matrix: no im2col, no copies. Each output
  plane is computed as one run of padded-grid rows (the ``w >= Wo`` columns inside it are computed and
  dropped: ``W/Wo`` extra work, ~2% for Mochi), in row blocks of a few MiB so that the per-offset
  ``out += tmp`` stays in cache. The Mochi shape runs at up to ~190 GFLOP/s on 2 cores, the speed of one
  big OpenBLAS SGEMM here (torch's oneDNN conv3d: ~200).
* other strides: per offset, the strided input window is gathered (one copy) and multiplied.

Groups: ``groups == 1`` is one GEMM per offset; ``groups > 1`` is a stacked ``np.matmul`` over the groups
(``[G, m, C/G] @ [G, C/G, Cout/G]``), covering depthwise (``groups == C``) too. For every output element
the float32 accumulation order is "kernel offsets in (kd, kh, kw) order, each offset's dot product over
its channels", so a depthwise conv and the same conv with the tt-metal grouped layout (weight
``[C, C, kh, kw]``, zero outside the diagonal; ``convert_conv_weight_tensor_to_grouped_layout``) give
bit-identical results: each per-offset dot then has one non-zero product, and bf16·bf16 products are
exact in float32.

Layouts (tt-mlir ``19c86fca`` lit tests in ``shared/corpus/tt-mlir``; tt-metal sources named below):

* conv2d operands ``(input, weight, bias?, device)``; attrs ``in_channels, out_channels, batch_size,
  input_height, input_width, kernel_size[2], stride[2], padding[2|4], dilation[2], groups``.
  Input is flattened NHWC ``[1, 1, N·H·W, C]`` (an unflattened ``[N, H, W, C]`` is accepted);
  output ``[1, 1, N·Ho·Wo, Cout]`` (whatever the result type says, same element order).
  ``padding`` is ``[pH, pW]`` (both sides) or ``[top, bottom, left, right]`` (tt-metal
  ``sliding_window::get_pair_n4_padding`` order; note TTIR's 4-value order is ``[top, left, bottom,
  right]``, converted when lowering).
* conv3d operands ``(input, weight, bias?, device)``; attrs ``in_channels, out_channels, batch_size,
  input_depth, input_height, input_width, kernel_size[3], stride[3], padding[3]`` (both sides),
  ``padding_mode`` (``"zeros"``; ``"replicate"`` also modelled), ``groups``, ``dilation[3]`` if present
  (absent in the IR seen: 1). Input ``[N, D, H, W, C]``, output ``[N, Do, Ho, Wo, Cout]``.
* weights: the torch layout ``[Cout, Cin/groups, kh, kw]`` (conv3d ``[Cout, Cin/groups, kD, kH, kW]``),
  or a prepared matrix (already dense: grouped weights are expanded to block-diagonal before
  preparation):
  - conv2d ``[1, 1, kh·kw·Cin_p, Cout_p]``, row ``(i·kw + j)·Cin_p + c`` (``prepare_conv2d_weights``:
    HWIO flattened; ``Cin_p = rows / (kh·kw) >= Cin`` and ``Cout_p >= Cout`` padding is ignored);
  - conv3d ``[nb·kD·kH·kW·cb, Cout_p]`` (tt-metal ``prepare_conv3d_weights``: ``[kD, kH, kW, Cin_a, Cout]``
    with ``Cin_a`` = ``Cin`` padded to the alignment, split in ``nb`` blocks of ``cb`` =
    ``conv3d_config.c_in_block`` (0 or absent: ``Cin_a``), blocks outermost).
* bias: any shape holding ``Cout`` (or a padded ``Cout_p``) values in its last dim
  (``[1, 1, 1, Cout]``, ``[1, 1, 1, 1, Cout]``, ``[1, Cout]``); added in float32 before the store.
"""

from __future__ import annotations

from itertools import product
from typing import TypeVar

import numpy as np

from ...ir.ttnn import Conv2d, Conv3d, decode
from ..registry import Call, reference_op

# Rows of one output block: ~8 MiB of float32 accumulator, so a block and its per-offset temporary stay
# in the last-level cache while the 27 (or 9) GEMMs of a block accumulate into it.
_BLOCK_BYTES = 8 << 20
T = TypeVar("T")


def _f32(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def _triple(v: list[int] | None, n: int, default: int, what: str) -> tuple[int, ...]:
    if v is None:
        return (default,) * n
    if len(v) == 1:
        return (v[0],) * n
    if len(v) != n:
        raise ValueError(f"{what} has {len(v)} values, expected {n}")
    return tuple(v)


def _split_bias(rest: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """The bias among the trailing operands: a non-empty array (the device operand is an empty placeholder)."""
    arrays = [a for a in rest if isinstance(a, np.ndarray) and a.size > 0]
    if len(arrays) > 1:
        raise ValueError(f"expected at most one bias after the weight, got {len(arrays)} non-empty operands")
    return arrays[0] if arrays else None


def _bias_vector(bias: np.ndarray | None, cout: int) -> np.ndarray | None:
    if bias is None:
        return None
    b = _f32(bias).reshape(-1, bias.shape[-1])
    if b.shape[0] != 1 or b.shape[1] < cout:
        raise ValueError(f"bias of shape {list(bias.shape)} does not hold {cout} output channels")
    return b[0, :cout]


def _typed(call: Call, cls: type[T]) -> T:
    """The op decoded as ``cls`` (:mod:`ttdiag.ir.ttnn`). Raises ValueError for another op."""
    c = decode(call.op)
    if not isinstance(c, cls):
        raise ValueError(f"{call.op.name} does not decode as {cls.__name__}")
    return c


def _or(v: int | None, default: int) -> int:
    """``v``, or ``default`` when the attribute is absent."""
    return default if v is None else v


def _list(v: tuple[int, ...] | None) -> list[int] | None:
    return None if v is None else list(v)


def weight_offsets(w: np.ndarray, kernel: tuple[int, int, int], cin: int, cout: int, groups: int,
                   c_in_block: int = 0) -> np.ndarray:
    """Weights as float32 ``[kvol, G, Cin/G, Cout/G]`` (kernel offsets in (kd, kh, kw) order).

    Accepts the torch layout ``[Cout, Cin/G, *kernel]`` (``len(kernel)`` = 3 for conv3d, or 2 for conv2d
    with ``kernel = (1, kh, kw)``), a prepared conv2d matrix ``[1, 1, kvol·Cin_p, Cout_p]`` or a prepared
    conv3d matrix ``[nb·kvol·cb, Cout_p]``; prepared matrices are dense (``G = 1``).
    """
    kvol = int(np.prod(kernel))
    spatial = tuple(k for k in kernel) if w.ndim == 5 else kernel[1:]
    if w.ndim in (4, 5) and tuple(w.shape[2:]) == spatial and w.shape[0] == cout and w.shape[1] * groups == cin:
        cg, cog = cin // groups, cout // groups
        wv = w.reshape(groups, cog, cg, kvol)
        if groups > 1:
            return np.ascontiguousarray(_f32(wv).transpose(3, 0, 2, 1))  # [kvol, G, Cg, Cog]
        # Dense: transpose in cache-sized chunks of output channels (3x faster than one strided copy
        # for the 768x768x27 Mochi weight).
        out = np.empty((kvol, 1, cg, cog), np.float32)
        step = max(1, (2 << 20) // (4 * cg * kvol))
        for o0 in range(0, cog, step):
            out[:, 0, :, o0:o0 + step] = _f32(wv[0, o0:o0 + step]).transpose(2, 1, 0)
        return out
    if w.ndim == 4 and w.shape[0] == 1 and w.shape[1] == 1 and w.shape[2] % kvol == 0:
        cin_p, cout_p = w.shape[2] // kvol, w.shape[3]
        if cin_p >= cin and cout_p >= cout:
            wf = _f32(w).reshape(kvol, cin_p, cout_p)[:, :cin, :cout]
            return np.ascontiguousarray(wf)[:, None]
    if w.ndim == 2 and w.shape[0] % kvol == 0:
        cin_a, cout_p = w.shape[0] // kvol, w.shape[1]
        cb = c_in_block if c_in_block and cin_a % c_in_block == 0 else cin_a
        if cin_a >= cin and cout_p >= cout:
            wf = _f32(w).reshape(cin_a // cb, kvol, cb, cout_p).transpose(1, 0, 2, 3).reshape(kvol, cin_a, cout_p)
            return np.ascontiguousarray(wf[:, :cin, :cout])[:, None]
    raise ValueError(f"weight of shape {list(w.shape)} fits neither [Cout={cout}, Cin/groups={cin // max(groups, 1)}, "
                     f"{'x'.join(map(str, spatial))}] nor a prepared weight matrix for kernel "
                     f"{'x'.join(map(str, kernel))}, Cin={cin}, Cout={cout}")


def _block_rows(cout: int) -> int:
    return int(min(16384, max(256, _BLOCK_BYTES // (4 * max(cout, 1)))))


def _gemm_acc(a: np.ndarray, wk: np.ndarray, ob: np.ndarray, tmp: np.ndarray, first: bool) -> None:
    """``ob (+)= a @ wk`` in float32 for one kernel offset; ``a`` is ``[m, C]``, ``wk`` ``[G, Cg, Cog]``.

    Groups use a stacked matmul over ``[G, m, Cg]`` views; the accumulation into ``ob`` is the same
    elementwise float32 add for every group count.
    """
    g, cg, cog = wk.shape
    m = a.shape[0]
    if g == 1:
        if first:
            np.matmul(a, wk[0], out=ob)
        else:
            t = tmp.reshape(-1)[: m * cog].reshape(m, cog)
            np.matmul(a, wk[0], out=t)
            ob += t
        return
    t = tmp.reshape(-1)[: g * m * cog].reshape(g, m, cog)
    np.matmul(a.reshape(m, g, cg).transpose(1, 0, 2), wk, out=t)
    obg = ob.reshape(m, g, cog).transpose(1, 0, 2)
    if first:
        obg[...] = t
    else:
        obg += t


def conv_ndhwc(x: np.ndarray, wk: np.ndarray, kernel: tuple[int, int, int], stride: tuple[int, int, int],
               padding: tuple[tuple[int, int], ...], dilation: tuple[int, int, int] = (1, 1, 1),
               padding_mode: str = "zeros") -> np.ndarray:
    """float32 convolution of a channels-last volume: ``x`` ``[N, D, H, W, C]``, ``wk`` from
    :func:`weight_offsets` (``[kD·kH·kW, G, C/G, Cout/G]``); ``padding`` is ``((front, back), (top,
    bottom), (left, right))``. Returns float32 ``[N, Do, Ho, Wo, Cout]`` (a view into a larger buffer
    on the stride-1 path; bias and the store are the caller's).
    """
    n, d, h, w, c = x.shape
    kvol, g, cg, cog = wk.shape
    if g * cg != c:
        raise ValueError(f"input has {c} channels, the weight expects {g}x{cg}")
    cout = g * cog
    kd, kh, kw = kernel
    sd, sh, sw = stride
    dd, dh, dw = dilation
    if any(p != (0, 0) for p in padding):
        if padding_mode == "zeros":
            xp = np.zeros((n, d + sum(padding[0]), h + sum(padding[1]), w + sum(padding[2]), c), np.float32)
            xp[:, padding[0][0]:padding[0][0] + d, padding[1][0]:padding[1][0] + h,
               padding[2][0]:padding[2][0] + w] = x
        elif padding_mode == "replicate":
            xp = np.pad(_f32(x), ((0, 0), *padding, (0, 0)), mode="edge")
        else:
            raise ValueError(f"padding_mode {padding_mode!r} is not modelled (zeros, replicate)")
    else:
        xp = np.ascontiguousarray(x, dtype=np.float32)
    _, dp, hp, wp, _ = xp.shape
    do = (dp - dd * (kd - 1) - 1) // sd + 1
    ho = (hp - dh * (kh - 1) - 1) // sh + 1
    wo = (wp - dw * (kw - 1) - 1) // sw + 1
    if min(do, ho, wo) <= 0:
        raise ValueError(f"kernel {kernel} (dilation {dilation}) does not fit the padded input {[dp, hp, wp]}")
    offsets = list(product(range(kd), range(kh), range(kw)))
    mb = _block_rows(cout)

    if (sd, sh, sw) == (1, 1, 1):
        # Flat shifts on the padded grid: every offset's operand is a contiguous row slice.
        xf = xp.reshape(-1, c)
        hw = hp * wp
        shifts = [a * dd * hw + b * dh * wp + e * dw for a, b, e in offsets]
        # One segment of rows per output plane (n, z): from its first valid row to its last valid one,
        # so the padded grid's trailing rows (h >= Ho) are skipped; only the w >= Wo columns are
        # computed and dropped. The last row read is (D·H·W - 1) of the last volume: in bounds.
        seg = (ho - 1) * wp + wo
        full = np.empty((n * dp * hw, cout), np.float32)
        mb = -(-seg // -(-seg // mb))  # equal blocks per segment
        tmp = np.empty(mb * cout, np.float32)
        for b, z in product(range(n), range(do)):
            base = b * dp * hw + z * hw
            for r0 in range(base, base + seg, mb):
                r1 = min(base + seg, r0 + mb)
                ob = full[r0:r1]
                for i, s in enumerate(shifts):
                    _gemm_acc(xf[r0 + s:r1 + s], wk[i], ob, tmp, i == 0)
        return full.reshape(n, dp, hp, wp, cout)[:, :do, :ho, :wo]

    # Strided: gather each offset's window (one copy per offset and block of output rows).
    out = np.empty((n, do, ho, wo, cout), np.float32)
    hb = max(1, min(ho, mb // wo))
    tmp = np.empty(hb * wo * cout, np.float32)
    for b, z in product(range(n), range(do)):
        for h0 in range(0, ho, hb):
            h1 = min(ho, h0 + hb)
            m = (h1 - h0) * wo
            ob = out[b, z, h0:h1].reshape(m, cout)
            for i, (a, e, f) in enumerate(offsets):
                zi = z * sd + a * dd
                hi = h0 * sh + e * dh
                wi = f * dw
                win = xp[b, zi, hi:hi + (h1 - h0 - 1) * sh + 1:sh, wi:wi + (wo - 1) * sw + 1:sw]
                _gemm_acc(np.ascontiguousarray(win).reshape(m, c), wk[i], ob, tmp, i == 0)
    return out


def _finish(call: Call, y: np.ndarray, bias: np.ndarray | None, cout: int) -> np.ndarray:
    b = _bias_vector(bias, cout)
    if b is not None:
        y += b  # in place: y is a float32 view of a scratch buffer
    shape = call.out_shape()
    if int(np.prod(shape)) != y.size:
        raise ValueError(f"computed output {list(y.shape)} ({y.size} values) does not fit the result type "
                         f"{list(shape)}")
    return call.cast(y).reshape(shape)


@reference_op("ttnn.conv2d")
def run_conv2d(call: Call, x: np.ndarray, w: np.ndarray, *rest: np.ndarray) -> tuple[np.ndarray, ...]:
    """2-D convolution (cross-correlation, as torch ``conv2d``) on flattened NHWC activations.

    ``x`` ``[1, 1, N·H·W, C]`` (or ``[N, H, W, C]``), ``w`` ``[Cout, C/groups, kh, kw]`` or prepared
    ``[1, 1, kh·kw·Cin_p, Cout_p]``, optional bias ``[1, 1, 1, Cout]``, then the device. Attrs give N, H,
    W, C, Cout, kernel, stride, padding (``[pH, pW]`` or ``[top, bottom, left, right]``), dilation,
    groups. Result ``[1, 1, N·Ho·Wo, Cout]``: ``y[n, ho, wo, o] = bias[o] + Σ_{i, j, c}
    x[n, ho·sH + i·dH - pT, wo·sW + j·dW - pL, g·C/G + c] · w[o, c, i, j]`` with ``g`` = o's group,
    zero outside the input, float32 accumulation, stored in the result dtype.
    """
    c = _typed(call, Conv2d)
    cin = _or(c.in_channels, x.shape[-1])
    cout = _or(c.out_channels, w.shape[0])
    groups = c.groups
    kh, kw = _triple(_list(c.kernel_size), 2, 1, "kernel_size") if c.kernel_size is not None else w.shape[2:4]
    sh, sw = _triple(_list(c.stride), 2, 1, "stride")
    dh, dw = _triple(_list(c.dilation), 2, 1, "dilation")
    pad = _list(c.padding) or [0, 0]
    if len(pad) == 1:
        pad = pad * 2
    if len(pad) == 2:
        pads = ((pad[0], pad[0]), (pad[1], pad[1]))
    elif len(pad) == 4:
        pads = ((pad[0], pad[1]), (pad[2], pad[3]))
    else:
        raise ValueError(f"conv2d padding has {len(pad)} values, expected 2 or 4")
    if x.ndim == 4 and x.shape[0] * x.shape[1] > 1 or c.input_height is None:
        n, h, wd = (x.shape[0], x.shape[1], x.shape[2])
    else:
        n, h, wd = _or(c.batch_size, 1), c.input_height, c.input_width
    rows = x.reshape(-1, x.shape[-1])
    if rows.shape[0] < n * h * wd or rows.shape[1] < cin:
        raise ValueError(f"conv2d input {list(x.shape)} holds fewer than N·H·W = {n}·{h}·{wd} rows of {cin} channels")
    xv = rows[: n * h * wd, :cin].reshape(n, 1, h, wd, cin)
    wk = weight_offsets(w, (1, kh, kw), cin, cout, groups)
    y = conv_ndhwc(xv, wk, (1, kh, kw), (1, sh, sw), ((0, 0), *pads), (1, dh, dw))
    return (_finish(call, y, _split_bias(rest), cout),)


@reference_op("ttnn.conv3d")
def run_conv3d(call: Call, x: np.ndarray, w: np.ndarray, *rest: np.ndarray) -> tuple[np.ndarray, ...]:
    """3-D convolution (cross-correlation, as torch ``conv3d``) on channels-last volumes.

    ``x`` ``[N, D, H, W, C]``, ``w`` ``[Cout, C/groups, kD, kH, kW]`` or prepared
    ``[nb·kD·kH·kW·cb, Cout_p]`` (``cb`` = ``conv3d_config.c_in_block``), optional bias (``Cout`` values
    in its last dim), then the device. Attrs: kernel_size, stride, padding (per dim, both sides),
    padding_mode (zeros | replicate), groups, dilation (if present). Result ``[N, Do, Ho, Wo, Cout]``:
    ``y[n, z, y, x, o] = bias[o] + Σ_{a, b, e, c} xpad[n, z·sD + a·dD, y·sH + b·dH, x·sW + e·dW, g·C/G + c]
    · w[o, c, a, b, e]``, float32 accumulation, stored in the result dtype. The Mochi decoder shape
    (``[1, 6, 62, 108, 768]``, 768→768, 3x3x3, no padding) takes one float32 GEMM of
    ``[~25.6k, 768] x [768, 768]`` per kernel offset (~0.8 TFLOP in all).
    """
    if x.ndim != 5:
        raise ValueError(f"conv3d input must be [N, D, H, W, C], got {list(x.shape)}")
    c = _typed(call, Conv3d)
    cin = _or(c.in_channels, x.shape[-1])
    cout = _or(c.out_channels, w.shape[0] if w.ndim == 5 else w.shape[-1])
    groups = c.groups
    kernel = _triple(_list(c.kernel_size), 3, 1, "kernel_size") if c.kernel_size is not None else w.shape[2:5]
    stride = _triple(_list(c.stride), 3, 1, "stride")
    dilation = _triple(_list(c.dilation), 3, 1, "dilation")
    pad = _triple(_list(c.padding), 3, 0, "padding")
    mode = (c.padding_mode or "zeros").lower()
    if x.shape[-1] < cin:
        raise ValueError(f"conv3d input has {x.shape[-1]} channels, in_channels = {cin}")
    xv = x[..., :cin]
    wk = weight_offsets(w, tuple(kernel), cin, cout, groups, c.block("c_in_block", 0) or 0)
    y = conv_ndhwc(xv, wk, tuple(kernel), tuple(stride), tuple((p, p) for p in pad), tuple(dilation), mode)
    return (_finish(call, y, _split_bias(rest), cout),)
