"""Matrix products: operands widened to float32, products accumulated in float32, result stored.

This models TTNN with fp32 accumulation (``fp32_dest_acc_en``): the exact products of bf16 values
summed in float32. ``math_fidelity`` (LoFi/HiFi2 dropping mantissa bits of the operands) and the
program configs do not change the reference. Batch dims broadcast as in ``np.matmul``.
"""

from __future__ import annotations

import numpy as np

from ...ir.ttnn import Matmul
from ..dtypes import compute
from ..registry import Call, reference_op


def _matrix(x: np.ndarray, transpose: bool) -> np.ndarray:
    """``x`` in float32 (integers stay integers), its last two dims swapped if ``transpose``."""
    x = compute(x)
    return np.swapaxes(x, -1, -2) if transpose and x.ndim >= 2 else x


def _product(call: Call, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    mm = call.typed(Matmul)
    return np.matmul(_matrix(a, mm.transpose_a), _matrix(b, mm.transpose_b))


@reference_op("ttnn.matmul")
def run_matmul(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a @ b with ``transpose_a`` / ``transpose_b`` applied to the last two dims first."""
    return (call.cast(_product(call, a, b)),)


@reference_op("ttnn.linear")
def run_linear(call: Call, a: np.ndarray, b: np.ndarray, bias: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """a @ b (+ bias, broadcast) with ``transpose_a`` / ``transpose_b``; operands: a, b, optional bias."""
    out = _product(call, a, b)
    if bias is not None:
        out = out + compute(bias)
    return (call.cast(out),)
