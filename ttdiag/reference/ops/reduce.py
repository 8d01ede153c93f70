"""Reductions, scans, softmax and sorting: accumulate in float32, then store.

Never reduce in bf16: a bf16 running sum of ones stalls at 256. Inputs are widened with
``dtypes.compute`` (bf16/f16 → float32; integers stay integers) and only the final result is
cast to the IR result dtype. ``dim_arg`` is a list (``[1 : i32]``) on sum/mean/max/min and a scalar
(``-1 : si64``) on prod; absent means all dims. ``keep_dim`` keeps reduced dims as size 1.
"""

from __future__ import annotations

import numpy as np

from ...ir.ttnn import ArgMax, Reduction, Scan, Softmax, Sort, TopK
from ..dtypes import compute
from ..registry import Call, reference_op


def _wide(x: np.ndarray) -> np.ndarray:
    """Float32 for floats (bf16/f16 widened), int64 for integers, so accumulators never overflow early."""
    x = compute(x)
    return x.astype(np.int64) if x.dtype.kind in "iub" else x


def _reduce(call: Call, fn, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """``fn(x, axis=dims, keepdims=keep_dim)`` in float32, reshaped to the result shape (``Reduction``)."""
    red = call.typed(Reduction)
    with np.errstate(all="ignore"):
        out = fn(_wide(x), axis=red.dims(x.ndim), keepdims=red.keep_dim)
    return (call.cast(np.reshape(out, call.out_shape())),)


def _scan(call: Call, fn, x: np.ndarray) -> tuple[np.ndarray, ...]:
    with np.errstate(all="ignore"):
        return (call.cast(fn(_wide(x), axis=call.typed(Scan).dim)),)


@reference_op("ttnn.sum")
def run_sum(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sum over ``dim_arg`` (all dims if absent), ``keep_dim``."""
    return _reduce(call, np.sum, x)


@reference_op("ttnn.mean")
def run_mean(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mean over ``dim_arg`` (all dims if absent), ``keep_dim``: float32 sum / count."""
    return _reduce(call, np.mean, x)


@reference_op("ttnn.max")
def run_max(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Max over ``dim_arg`` (all dims if absent), ``keep_dim``."""
    return _reduce(call, np.max, x)


@reference_op("ttnn.min")
def run_min(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Min over ``dim_arg`` (all dims if absent), ``keep_dim``."""
    return _reduce(call, np.min, x)


@reference_op("ttnn.prod")
def run_prod(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Product over the scalar ``dim_arg`` (all dims if absent), ``keep_dim``."""
    return _reduce(call, np.prod, x)


@reference_op("ttnn.argmax")
def run_argmax(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Index of the first maximum along ``dim`` (over the flattened tensor if absent), ``keep_dim``."""
    am = call.typed(ArgMax)
    index = np.argmax(compute(x), axis=am.dim, keepdims=am.keep_dim)
    return (call.cast(np.reshape(index, call.out_shape())),)


@reference_op("ttnn.softmax")
def run_softmax(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """exp(x - max) / sum(exp(x - max)) along ``dimension`` (the max shift is exact maths, so
    ``numericStable`` does not change the reference)."""
    dim = call.typed(Softmax).dimension
    v = compute(x).astype(np.float32)
    with np.errstate(all="ignore"):
        e = np.exp(v - np.max(v, axis=dim, keepdims=True))
        return (call.cast(e / np.sum(e, axis=dim, keepdims=True)),)


@reference_op("ttnn.cumsum", "ttnn.moreh_cumsum")
def run_cumsum(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Running sum along ``dim``."""
    return _scan(call, np.cumsum, x)


@reference_op("ttnn.cumprod")
def run_cumprod(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Running product along ``dim``."""
    return _scan(call, np.cumprod, x)


@reference_op("ttnn.sort")
def run_sort(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """(values, indices) sorted along ``dim`` (default -1), ``descending``; always stable here
    (``stable=false`` allows any order among equal values)."""
    v = _wide(x)
    srt = call.typed(Sort)
    dim = srt.dim
    order = np.argsort(-v if srt.descending else v, axis=dim, kind="stable")
    return call.cast(np.take_along_axis(v, order, axis=dim), 0), call.cast(order, 1)


@reference_op("ttnn.topk")
def run_topk(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """(values, indices) of the ``k`` largest (``largest``, default true) along ``dim``, sorted;
    ties keep the lower index first."""
    v = _wide(x)
    top = call.typed(TopK)
    dim, k = top.dim, top.k
    order = np.argsort(-v if top.largest else v, axis=dim, kind="stable")
    order = np.take(order, np.arange(k), axis=dim)
    return call.cast(np.take_along_axis(v, order, axis=dim), 0), call.cast(order, 1)
