"""Elementwise ops: unary, binary (numpy broadcasting), comparisons and ternary ``where``.

Each op names its numpy function through ``_unary`` / ``_binary`` (ONNX's
``OpRunUnary`` / ``OpRunBinaryNumpy``): inputs are widened to float32 (``dtypes.compute``; integers
stay integers), the function runs, and the result is stored in the IR result dtype (bf16 rounds to
nearest even). Like the device, invalid inputs give NaN or inf silently (no numpy warnings).
Attribute-free unless stated: the optional ``dtype`` / ``memory_config`` attributes tt-mlir prints
do not change values (the result type already carries the dtype).
"""

from __future__ import annotations

import math

import numpy as np

from ...ir.ttnn import ClampScalar, LeakyRelu
from ..dtypes import compute
from ..registry import Call, reference_op

_erf_float64 = np.vectorize(math.erf, otypes=[np.float64])
_erfc_float64 = np.vectorize(math.erfc, otypes=[np.float64])


def _unary(call: Call, fn, x: np.ndarray) -> tuple[np.ndarray, ...]:
    with np.errstate(all="ignore"):
        return (call.cast(fn(compute(x))),)


def _binary(call: Call, fn, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """``fn(a, b)`` with numpy broadcasting; a boolean result (a comparison) is stored as 1/0."""
    with np.errstate(all="ignore"):
        return (call.cast(fn(compute(a), compute(b))),)


def _truth(x: np.ndarray) -> np.ndarray:
    """TTNN predicates are numeric: any non-zero value is true."""
    return compute(x) != 0


def _erf(x: np.ndarray) -> np.ndarray:
    """erf per element (numpy has none): ``math.erf`` in float64, returned in x's float dtype."""
    out = _erf_float64(x)
    return out.astype(x.dtype) if x.dtype.kind == "f" else out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _silu(x: np.ndarray) -> np.ndarray:
    return x * _sigmoid(x)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, ttnn's default (``fast_and_approximate_mode=False``).

    Written 0.5 x erfc(-x / sqrt 2), equal to 0.5 x (1 + erf(x / sqrt 2)) without the cancellation
    of ``1 + erf`` below x = -4. erfc and its argument are float64: erfc's tail would amplify a
    float32 rounding of x / sqrt 2 about tenfold.
    """
    tail = _erfc_float64(np.asarray(x, np.float64) * (-1 / math.sqrt(2)))
    return 0.5 * x * tail.astype(x.dtype if x.dtype.kind == "f" else np.float64)


def _rsqrt(x: np.ndarray) -> np.ndarray:
    return 1 / np.sqrt(x)


def _reciprocal(x: np.ndarray) -> np.ndarray:
    return np.divide(1.0, x)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Floating power even for integer operands (numpy rejects negative integer exponents)."""
    return np.power(a, b, dtype=np.result_type(a, b, np.float32))


# unary ---------------------------------------------------------------------------------------


@reference_op("ttnn.abs")
def run_abs(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """|x|."""
    return _unary(call, np.abs, x)


@reference_op("ttnn.neg")
def run_neg(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """-x."""
    return _unary(call, np.negative, x)


@reference_op("ttnn.relu")
def run_relu(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """max(x, 0)."""
    return _unary(call, _relu, x)


@reference_op("ttnn.sigmoid")
def run_sigmoid(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 / (1 + e^-x)."""
    return _unary(call, _sigmoid, x)


@reference_op("ttnn.silu")
def run_silu(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """x * sigmoid(x)."""
    return _unary(call, _silu, x)


@reference_op("ttnn.gelu")
def run_gelu(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """0.5 x (1 + erf(x / sqrt 2)): the exact form (the dialect op has no approximation attribute)."""
    return _unary(call, _gelu, x)


@reference_op("ttnn.exp")
def run_exp(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """e^x."""
    return _unary(call, np.exp, x)


@reference_op("ttnn.expm1")
def run_expm1(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """e^x - 1."""
    return _unary(call, np.expm1, x)


@reference_op("ttnn.log")
def run_log(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Natural logarithm (NaN below 0, -inf at 0)."""
    return _unary(call, np.log, x)


@reference_op("ttnn.log1p")
def run_log1p(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """log(1 + x)."""
    return _unary(call, np.log1p, x)


@reference_op("ttnn.sqrt")
def run_sqrt(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Square root."""
    return _unary(call, np.sqrt, x)


@reference_op("ttnn.rsqrt")
def run_rsqrt(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 / sqrt(x)."""
    return _unary(call, _rsqrt, x)


@reference_op("ttnn.reciprocal")
def run_reciprocal(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 / x."""
    return _unary(call, _reciprocal, x)


@reference_op("ttnn.tanh")
def run_tanh(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Hyperbolic tangent."""
    return _unary(call, np.tanh, x)


@reference_op("ttnn.sin")
def run_sin(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sine (radians)."""
    return _unary(call, np.sin, x)


@reference_op("ttnn.cos")
def run_cos(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cosine (radians)."""
    return _unary(call, np.cos, x)


@reference_op("ttnn.erf")
def run_erf(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Error function (evaluated in float64)."""
    return _unary(call, _erf, x)


@reference_op("ttnn.floor")
def run_floor(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Round towards -inf."""
    return _unary(call, np.floor, x)


@reference_op("ttnn.ceil")
def run_ceil(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Round towards +inf."""
    return _unary(call, np.ceil, x)


@reference_op("ttnn.sign")
def run_sign(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """-1, 0 or 1."""
    return _unary(call, np.sign, x)


@reference_op("ttnn.logical_not")
def run_logical_not(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where x == 0, else 0 (stored in the result dtype)."""
    return (call.cast(~_truth(x)),)


@reference_op("ttnn.bitwise_not")
def run_bitwise_not(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """~x on integers."""
    return _unary(call, np.invert, x)


@reference_op("ttnn.leaky_relu")
def run_leaky_relu(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """x where x > 0, else ``parameter`` * x (attr ``parameter``, the negative slope)."""
    slope = call.typed(LeakyRelu).parameter
    return _unary(call, lambda v: np.where(v > 0, v, slope * v), x)


@reference_op("ttnn.clamp_scalar")
def run_clamp_scalar(call: Call, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """min(max(x, ``min``), ``max``) (attrs ``min``, ``max``)."""
    clamp = call.typed(ClampScalar)
    low, high = clamp.min, clamp.max
    return _unary(call, lambda v: np.minimum(np.maximum(v, low), high), x)


# binary --------------------------------------------------------------------------------------


@reference_op("ttnn.add")
def run_add(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a + b (broadcasting)."""
    return _binary(call, np.add, a, b)


@reference_op("ttnn.subtract")
def run_subtract(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a - b (broadcasting)."""
    return _binary(call, np.subtract, a, b)


@reference_op("ttnn.multiply")
def run_multiply(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a * b (broadcasting)."""
    return _binary(call, np.multiply, a, b)


@reference_op("ttnn.divide")
def run_divide(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a / b (true division; stored in the result dtype)."""
    return _binary(call, np.divide, a, b)


@reference_op("ttnn.maximum")
def run_maximum(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Elementwise max (NaN propagates)."""
    return _binary(call, np.maximum, a, b)


@reference_op("ttnn.minimum")
def run_minimum(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Elementwise min (NaN propagates)."""
    return _binary(call, np.minimum, a, b)


@reference_op("ttnn.pow")
def run_pow(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a ** b, elementwise (binary ``pow``; negative base with a fractional exponent is NaN)."""
    return _binary(call, _power, a, b)


@reference_op("ttnn.bitwise_and")
def run_bitwise_and(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a & b on integers."""
    return _binary(call, np.bitwise_and, a, b)


@reference_op("ttnn.bitwise_or")
def run_bitwise_or(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a | b on integers."""
    return _binary(call, np.bitwise_or, a, b)


@reference_op("ttnn.bitwise_xor")
def run_bitwise_xor(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a ^ b on integers."""
    return _binary(call, np.bitwise_xor, a, b)


# comparisons and logic: 1/0 in the result dtype (tt-mlir keeps the operands' dtype) -----------


@reference_op("ttnn.eq")
def run_eq(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a == b, else 0."""
    return _binary(call, np.equal, a, b)


@reference_op("ttnn.ne")
def run_ne(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a != b, else 0."""
    return _binary(call, np.not_equal, a, b)


@reference_op("ttnn.gt")
def run_gt(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a > b, else 0."""
    return _binary(call, np.greater, a, b)


@reference_op("ttnn.ge")
def run_ge(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a >= b, else 0."""
    return _binary(call, np.greater_equal, a, b)


@reference_op("ttnn.lt")
def run_lt(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a < b, else 0."""
    return _binary(call, np.less, a, b)


@reference_op("ttnn.le")
def run_le(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where a <= b, else 0."""
    return _binary(call, np.less_equal, a, b)


@reference_op("ttnn.logical_and")
def run_logical_and(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where both are non-zero, else 0."""
    return (call.cast(_truth(a) & _truth(b)),)


@reference_op("ttnn.logical_or")
def run_logical_or(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where either is non-zero, else 0."""
    return (call.cast(_truth(a) | _truth(b)),)


@reference_op("ttnn.logical_xor")
def run_logical_xor(call: Call, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """1 where exactly one is non-zero, else 0."""
    return (call.cast(_truth(a) ^ _truth(b)),)


# ternary -------------------------------------------------------------------------------------


@reference_op("ttnn.where")
def run_where(call: Call, condition: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """a where ``condition`` is non-zero, else b (operands: condition, true value, false value)."""
    return (call.cast(np.where(_truth(condition), compute(a), compute(b))),)


@reference_op("ttnn.clamp_tensor")
def run_clamp_tensor(call: Call, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, ...]:
    """min(max(x, low), high) with tensor bounds (operands: input, min, max)."""
    return (call.cast(np.minimum(np.maximum(compute(x), compute(low)), compute(high))),)
