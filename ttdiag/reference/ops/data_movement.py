"""Data movement and creation ops: values are moved or filled, never computed.

Results are exact copies of input values (stored in the result dtype, normally the input's).
Attribute names are tt-mlir's printed ones (``permutation``, ``shape``, ``padding``/``value``,
``begins``/``ends``/``step``, ``dim``, ``repeat_dims``, ``repeats``, ``dim0``/``dim1``,
``fill_value``, ``start``/``end``/``step``). Creation ops may take a ``!ttnn.device`` operand,
which is ignored.
"""

from __future__ import annotations

import numpy as np

from ...ir.items import Atom
from ..dtypes import BF16, compute
from ..registry import Call, reference_op

_HEX_FLOAT_TYPES = {"f32": (np.uint32, np.float32), "f64": (np.uint64, np.float64),
                    "f16": (np.uint16, np.float16), "bf16": (np.uint16, BF16)}


def _axis(dim: int, rank: int) -> int:
    """A possibly negative dimension as an index in ``range(rank)``."""
    if not -rank <= dim < rank:
        raise ValueError(f"dimension {dim} out of range for rank {rank}")
    return dim % rank


def _scalar(call: Call, name: str, default: float) -> float:
    """A float attribute, also in MLIR's hex bit-pattern form (``0x7FC00000 : f32`` is NaN)."""
    value = call.float(name)
    if value is not None:
        return value
    items = call.op.attr(name)
    if items and isinstance(items[0], Atom) and items[0].kind == "HEX":
        type_name = items[2].text if len(items) >= 3 and isinstance(items[2], Atom) else "f32"
        bits_dtype, float_dtype = _HEX_FLOAT_TYPES[type_name]
        return float(np.array(int(items[0].text, 16), bits_dtype).view(float_dtype))
    return default


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
    return (call.cast(np.transpose(x, call.ints("permutation"))),)


@reference_op("ttnn.transpose")
def run_transpose(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dimensions ``dim0`` and ``dim1`` swapped (negative allowed)."""
    return (call.cast(np.swapaxes(x, call.int("dim0"), call.int("dim1"))),)


@reference_op("ttnn.pad")
def run_pad(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Constant padding: ``padding`` is (front, back) per dim from dim 0, filled with ``value``."""
    flat = call.ints("padding")
    pairs = [(flat[2 * i], flat[2 * i + 1]) for i in range(x.ndim)]
    return (call.cast(np.pad(compute(x), pairs, constant_values=_scalar(call, "value", 0.0))),)


@reference_op("ttnn.slice_static", "ttnn.slice")
def run_slice_static(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """``x[begins[i]:ends[i]:step[i]]`` per dim (python slice semantics; ``step`` defaults to 1)."""
    begins, ends = call.ints("begins"), call.ints("ends")
    steps = call.ints("step", [1] * len(begins))
    return (call.cast(x[tuple(slice(b, e, s) for b, e, s in zip(begins, ends, steps))]),)


@reference_op("ttnn.slice_dynamic")
def run_slice_dynamic(call: Call, x: np.ndarray, begins: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
    """As ``slice_static``, with ``begins``/``ends`` given as 1-D tensors (attr ``step`` optional)."""
    b, e = (np.asarray(compute(t)).astype(np.int64).ravel().tolist() for t in (begins, ends))
    steps = call.ints("step", [1] * len(b))
    return (call.cast(x[tuple(slice(*bes) for bes in zip(b, e, steps))]),)


@reference_op("ttnn.concat")
def run_concat(call: Call, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Variadic inputs joined along ``dim`` (negative allowed)."""
    dim = _axis(call.int("dim"), inputs[0].ndim)
    return (call.cast(np.concatenate([compute(x) for x in inputs], axis=dim)),)


@reference_op("ttnn.repeat")
def run_repeat(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """The whole tensor tiled ``repeat_dims[i]`` times along dim i (``#ttnn.shape<2x1>``), like np.tile."""
    return (call.cast(np.tile(x, call.ints("repeat_dims"))),)


@reference_op("ttnn.repeat_interleave")
def run_repeat_interleave(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each element repeated ``repeats`` times in place along ``dim``, like np.repeat."""
    return (call.cast(np.repeat(x, call.int("repeats"), axis=call.int("dim"))),)


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
    return (call.cast(np.take_along_axis(x, positions, axis=call.int("dim"))),)


# creation ------------------------------------------------------------------------------------


@reference_op("ttnn.full")
def run_full(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """The result shape filled with ``fill_value``."""
    return _fill(call, _scalar(call, "fill_value", 0.0))


@reference_op("ttnn.zeros", "ttnn.empty")
def run_zeros(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """Zeros. ``empty`` is uninitialised on device; the reference fills it with zeros."""
    return _fill(call, 0.0)


@reference_op("ttnn.ones")
def run_ones(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """Ones."""
    return _fill(call, 1.0)


@reference_op("ttnn.arange")
def run_arange(call: Call, *_device: np.ndarray) -> tuple[np.ndarray, ...]:
    """``start, start + step, ...`` below ``end``, reshaped to the result shape (e.g. [N] or [1,1,1,N])."""
    values = np.arange(call.int("start", 0), call.int("end"), call.int("step", 1))
    return (call.cast(values.reshape(call.out_shape())),)
