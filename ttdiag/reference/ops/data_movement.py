"""Data movement and creation ops: values are moved or filled, never computed.

Results are exact copies of input values (stored in the result dtype, normally the input's).
Attributes come from the typed ops (``ttdiag.ir.ttnn``: ``Permute``, ``Transpose``, ``Pad``, ``Slice``,
``Concat``, ``Repeat``, ``RepeatInterleave``, ``Gather``, ``Full``, ``Arange``), which read tt-mlir's
printed names. Creation ops may take a ``!ttnn.device`` operand, which is ignored.
"""

from __future__ import annotations

import numpy as np

from ...ir.ttnn import (
    Arange,
    Concat,
    Full,
    Gather,
    Pad,
    Permute,
    Repeat,
    RepeatInterleave,
    Slice,
    SliceDynamic,
    Transpose,
)
from ..dtypes import compute
from ..registry import Call, reference_op


def _axis(dim: int, rank: int) -> int:
    """A possibly negative dimension as an index in ``range(rank)``."""
    if not -rank <= dim < rank:
        raise ValueError(f"dimension {dim} out of range for rank {rank}")
    return dim % rank


def _fill(call: Call, value: float) -> tuple[np.ndarray, ...]:
    """The result filled with ``value``: an f32 attribute for float results, exact for integers."""
    exact = np.float64 if call.out_dtype().kind in "iub" else np.float32
    return (call.cast(np.full(call.out_shape(), value, exact)),)


@reference_op("ttnn.reshape")
def run_reshape(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Same values in row-major order, in the result shape (attr ``shape``, equal to it)."""
    return (call.cast(x.reshape(call.out_shape())),)


@reference_op("ttnn.permute")
def run_permute(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dimensions reordered: result dim i is input dim ``permutation[i]``."""
    return (call.cast(np.transpose(x, call.typed(Permute).permutation)),)


@reference_op("ttnn.transpose")
def run_transpose(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dimensions ``dim0`` and ``dim1`` swapped (negative allowed)."""
    t = call.typed(Transpose)
    return (call.cast(np.swapaxes(x, t.dim0, t.dim1)),)


@reference_op("ttnn.pad")
def run_pad(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Constant padding: ``padding`` is (front, back) per dim from dim 0, filled with ``value``."""
    pad = call.typed(Pad)
    pairs = pad.pairs()[:x.ndim]
    if len(pairs) != x.ndim:
        raise ValueError(f"padding gives {len(pairs)} (front, back) pairs for a rank-{x.ndim} input")
    return (call.cast(np.pad(compute(x), pairs, constant_values=pad.value)),)


@reference_op("ttnn.slice_static", "ttnn.slice")
def run_slice_static(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """``x[begins[i]:ends[i]:step[i]]`` per dim (python slice semantics; ``step`` defaults to 1)."""
    sl = call.typed(Slice)
    return (call.cast(x[tuple(slice(b, e, s) for b, e, s in zip(sl.begins, sl.ends, sl.steps))]),)


@reference_op("ttnn.slice_dynamic")
def run_slice_dynamic(call: Call, x: np.ndarray, begins: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
    """As ``slice_static``, with ``begins``/``ends`` given as 1-D tensors (attr ``step`` optional)."""
    b, e = (np.asarray(compute(t)).astype(np.int64).ravel().tolist() for t in (begins, ends))
    steps = call.typed(SliceDynamic).step or (1,) * len(b)
    return (call.cast(x[tuple(slice(*bes) for bes in zip(b, e, steps))]),)


@reference_op("ttnn.concat")
def run_concat(call: Call, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Variadic inputs joined along ``dim`` (negative allowed)."""
    dim = _axis(call.typed(Concat).dim, inputs[0].ndim)
    return (call.cast(np.concatenate([compute(x) for x in inputs], axis=dim)),)


@reference_op("ttnn.repeat")
def run_repeat(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """The whole tensor tiled ``repeat_dims[i]`` times along dim i (``#ttnn.shape<2x1>``), like np.tile."""
    return (call.cast(np.tile(x, call.typed(Repeat).repeat_dims)),)


@reference_op("ttnn.repeat_interleave")
def run_repeat_interleave(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each element repeated ``repeats`` times in place along ``dim``, like np.repeat."""
    r = call.typed(RepeatInterleave)
    return (call.cast(np.repeat(x, r.repeats, axis=r.dim)),)


@reference_op("ttnn.embedding")
def run_embedding(call: Call, indices: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows of ``weight`` gathered by ``indices`` (operands: indices, weight; indices may be float).

    ``weight`` is [vocab, width] (leading 1s allowed); indices [B, S] give [B, S, width], reshaped
    to the result shape.
    """
    width = call.out_shape()[-1]
    rows = np.asarray(compute(indices)).astype(np.int64)
    return (call.cast(weight.reshape(-1, width)[rows].reshape(call.out_shape())),)


@reference_op("ttnn.gather")
def run_gather(call: Call, x: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, ...]:
    """``out[..., i, ...] = x[..., index[..., i, ...], ...]`` along ``dim`` (torch.gather)."""
    positions = np.asarray(compute(index)).astype(np.int64)
    return (call.cast(np.take_along_axis(x, positions, axis=call.typed(Gather).dim)),)


# creation ------------------------------------------------------------------------------------


@reference_op("ttnn.full")
def run_full(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """The result shape filled with ``fill_value``."""
    return _fill(call, call.typed(Full).fill_value)


@reference_op("ttnn.zeros", "ttnn.empty")
def run_zeros(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """Zeros. ``empty`` is uninitialised on device; the reference fills it with zeros."""
    return _fill(call, 0.0)


@reference_op("ttnn.ones")
def run_ones(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """Ones."""
    return _fill(call, 1.0)


@reference_op("ttnn.constant")
def run_constant(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """The ``value`` attribute's elements (``dense<[[0], [1]]>``, or a splat ``dense<3>``) in the result
    shape. tt-mlir lowers a non-splat ``ttir.constant`` to ``ttnn.constant`` (a splat to ``ttnn.full``);
    commit not recorded. A hex-encoded value (``dense<"0x...">``, printed for large constants) is not
    decoded: ValueError."""
    from ...ir.items import Atom, Body, walk

    items = call.op.attr("value") or ()
    body = next((it for it in items if isinstance(it, Body) and it.name == "dense"), None)
    if body is None:
        raise ValueError(f"{call.op.name} (line {call.op.line}): no dense value")
    values = [float(it.text) for it in walk(body.items) if isinstance(it, Atom) and it.kind in ("INT", "FLOAT")]
    if any(isinstance(it, Atom) and it.kind == "STRING" for it in body.items) or not values:
        raise ValueError(f"{call.op.name} (line {call.op.line}): a hex-encoded or empty value is not decoded")
    shape = call.out_shape()
    if len(values) == 1:
        return (call.cast(np.full(shape, values[0], np.float64)),)
    return (call.cast(np.asarray(values, np.float64).reshape(shape)),)


@reference_op("ttnn.arange")
def run_arange(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """``start, start + step, ...`` below ``end``, reshaped to the result shape (e.g. [N] or [1,1,1,N])."""
    a = call.typed(Arange)
    values = np.arange(a.start, a.end, a.step)
    return (call.cast(values.reshape(call.out_shape())),)
