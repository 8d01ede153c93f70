"""Reference eltwise ops against torch (float32 on the same bf16-rounded inputs) and hand values.

Tolerance: bf16 results within 1 bf16 ulp of torch's float32 result rounded to bf16 (numpy and
torch may differ by one float32 ulp, which can cross a bf16 rounding boundary); exactly equal for
correctly rounded ops (+, -, *, /, max, min, comparisons). f32 results within 4 float32 ulps for
transcendental functions (libm differences; erf is evaluated in float64 here).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from _ref_helpers import BF16, PARSER, run_op, tensor, ulps

from ttdiag.reference.dtypes import storage_dtype
from ttdiag.reference.executor import Executor
from ttdiag.reference.registry import UnknownOpError


def run(name: str, inputs: list[np.ndarray], in_types: list[str], out_type: str) -> np.ndarray:
    """An attribute-free single-result op."""
    (out,) = run_op(name, "", inputs, in_types, [out_type])
    return out


def oracle(torch, fn_name: str, inputs: list[np.ndarray], dtype: np.dtype, precision=np.float32) -> np.ndarray:
    """torch's result computed in ``precision`` on the same (already rounded) inputs, rounded to ``dtype``."""
    fn = functools.reduce(getattr, fn_name.split("."), torch)
    out = fn(*(torch.from_numpy(np.asarray(x, precision)) for x in inputs)).numpy()
    return out.astype(np.float32).astype(dtype)


def assert_close(ours: np.ndarray, ref: np.ndarray, max_ulps: int) -> None:
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    assert np.array_equal(np.isnan(ours.astype(np.float32)), np.isnan(ref.astype(np.float32)))
    finite = ~np.isnan(ref.astype(np.float32))
    assert ulps(ours[finite], ref[finite]).max(initial=0) <= max_ulps


UNARY = [  # (ttnn op, torch function, input domain)
    ("relu", "relu", "any"), ("silu", "nn.functional.silu", "any"), ("gelu", "nn.functional.gelu", "above -5"),
    ("sigmoid", "sigmoid", "any"), ("exp", "exp", "any"), ("log", "log", "positive"),
    ("sqrt", "sqrt", "positive"), ("rsqrt", "rsqrt", "positive"), ("neg", "neg", "any"), ("abs", "abs", "any"),
    ("tanh", "tanh", "any"), ("reciprocal", "reciprocal", "positive"), ("sin", "sin", "any"),
    ("cos", "cos", "any"), ("erf", "erf", "any"), ("floor", "floor", "any"), ("ceil", "ceil", "any"),
    ("sign", "sign", "any"), ("expm1", "expm1", "any"), ("log1p", "log1p", "positive"),
]


def sample(shape, dtype: np.dtype, domain: str = "any", seed: int = 0) -> np.ndarray:
    x = np.asarray(np.random.default_rng(seed).standard_normal(shape), np.float32) * 3
    if domain == "positive":
        x = np.abs(x) + 0.05
    elif domain == "above -5":
        x = np.maximum(x, -5)
    return np.asarray(x.astype(dtype))


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("shape", [(64, 64), (1, 3, 5, 7)])
@pytest.mark.parametrize("name,torch_fn,domain", UNARY)
def test_unary_matches_torch(torch, name, torch_fn, domain, shape, dtype):
    x = sample(shape, storage_dtype(dtype), domain)
    t = tensor(shape, dtype)
    ours = run(name, [x], [t], t)
    assert ours.dtype == storage_dtype(dtype) and ours.shape == shape
    # torch's erf-GELU cancels in 1 + erf: float32 loses all digits below x = -4 (so compare with
    # torch in float64), and float64 loses digits below x = -5 (so clip the inputs there).
    precision = np.float64 if name == "gelu" else np.float32
    assert_close(ours, oracle(torch, torch_fn, [x], ours.dtype, precision), 1 if dtype == "bf16" else 4)


BINARY = [  # (ttnn op, torch function, exact when correctly rounded)
    ("add", "add", True), ("subtract", "subtract", True), ("multiply", "multiply", True),
    ("divide", "divide", True), ("maximum", "maximum", True), ("minimum", "minimum", True), ("pow", "pow", False),
]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("lhs,rhs", [((32, 32), (32, 32)), ((4, 1, 8), (3, 1)), ((1, 1), (16, 64)), ((2, 3), ())])
@pytest.mark.parametrize("name,torch_fn,exact", BINARY)
def test_binary_broadcasts_like_torch(torch, name, torch_fn, exact, lhs, rhs, dtype):
    a = sample(lhs, storage_dtype(dtype), "positive" if name == "pow" else "any", seed=1)
    b = sample(rhs, storage_dtype(dtype), seed=2)
    if name == "pow":
        b = (b.astype(np.float32) / 3).astype(b.dtype)  # exponents around [-1, 1]: no overflow
    out_shape = np.broadcast_shapes(lhs, rhs)
    ours = run(name, [a, b], [tensor(lhs, dtype), tensor(rhs, dtype)], tensor(out_shape, dtype))
    assert ours.shape == out_shape and ours.dtype == storage_dtype(dtype)
    ref = oracle(torch, torch_fn, [a, b], ours.dtype)
    assert_close(ours, ref, 0 if exact else (1 if dtype == "bf16" else 4))


@pytest.mark.parametrize("dtype", ["bf16", "f32", "si32"])
@pytest.mark.parametrize("name,torch_fn", [("eq", "eq"), ("ne", "ne"), ("gt", "gt"), ("ge", "ge"),
                                           ("lt", "lt"), ("le", "le")])
def test_comparisons_store_one_and_zero_in_result_dtype(torch, name, torch_fn, dtype):
    rng = np.random.default_rng(3)
    a, b = (rng.integers(-2, 3, size=(16, 16)).astype(storage_dtype(dtype)) for _ in range(2))
    t = tensor((16, 16), dtype)
    ours = run(name, [a, b], [t, t], t)
    assert ours.dtype == storage_dtype(dtype)
    ref = getattr(torch, torch_fn)(torch.from_numpy(a.astype(np.float32)), torch.from_numpy(b.astype(np.float32)))
    assert np.array_equal(ours.astype(np.float32), ref.numpy().astype(np.float32))
    assert set(np.unique(ours.astype(np.float32))) <= {0.0, 1.0}


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
def test_where_selects_by_nonzero_condition(torch, dtype):
    cond = np.array([[0, 1, -2], [0.5, 0, 0]], np.float32).astype(storage_dtype(dtype))
    a = sample((2, 3), storage_dtype(dtype), seed=4)
    b = sample((1, 3), storage_dtype(dtype), seed=5)
    ours = run("where", [cond, a, b], [tensor((2, 3), dtype), tensor((2, 3), dtype), tensor((1, 3), dtype)],
               tensor((2, 3), dtype))
    ref = torch.where(torch.from_numpy(cond.astype(np.float32)) != 0, torch.from_numpy(a.astype(np.float32)),
                      torch.from_numpy(b.astype(np.float32)))
    assert ours.dtype == storage_dtype(dtype)
    assert np.array_equal(ours, ref.numpy().astype(ours.dtype))


# hand-computed -----------------------------------------------------------------------------------


def test_add_computes_in_fp32_and_rounds_to_nearest_even_on_store():
    # bf16 has 8 significant bits: near 1 the spacing is 2**-7, so + 2**-8 is an exact tie.
    a = np.array([1.0, 1.0 + 2**-7, -1.0], BF16)
    b = np.array([2**-8, 2**-8, -(2**-8)], BF16)
    t = tensor((3,), "bf16")
    ours = run("add", [a, b], [t, t], t)
    assert ours.dtype == BF16
    # 1 + 2**-8 -> tie -> even (1.0); (1 + 2**-7) + 2**-8 -> tie -> even (1 + 2**-6); sign symmetric.
    assert ours.astype(np.float32).tolist() == [1.0, 1.0 + 2**-6, -1.0]


def test_add_stores_f32_inputs_into_bf16_result():
    a = np.array([1.0, 3.0], np.float32)
    b = np.array([2**-9, 1 / 3], np.float32)
    out = run("add", [a, b], [tensor((2,), "f32")] * 2, tensor((2,), "bf16"))
    assert out.dtype == BF16
    assert out.astype(np.float32).tolist() == [1.0, 3.328125]  # 3.3333 -> nearest bf16 (spacing 2**-6)


@pytest.mark.parametrize("name,x,expected", [
    ("relu", [-1.5, 0.0, 2.0], [0.0, 0.0, 2.0]),
    ("neg", [-1.5, 0.0, 2.0], [1.5, -0.0, -2.0]),
    ("abs", [-1.5, 0.0, 2.0], [1.5, 0.0, 2.0]),
    ("sqrt", [4.0, 0.25, 0.0], [2.0, 0.5, 0.0]),
    ("rsqrt", [4.0, 0.25, 1.0], [0.5, 2.0, 1.0]),
    ("reciprocal", [4.0, -0.5, 1.0], [0.25, -2.0, 1.0]),
    ("exp", [0.0, 1.0, -np.inf], [1.0, 2.71875, 0.0]),  # e rounds to 2.71875 in bf16
    ("log", [1.0, 0.0, -1.0], [0.0, -np.inf, np.nan]),
    ("sigmoid", [0.0, 100.0, -100.0], [0.5, 1.0, 0.0]),
    ("silu", [0.0, 100.0, -100.0], [0.0, 100.0, -0.0]),
    ("gelu", [0.0, 1.0, -1.0], [0.0, 0.83984375, -0.158203125]),  # 0.841345, -0.158655 in bf16
    ("tanh", [0.0, 20.0, -20.0], [0.0, 1.0, -1.0]),
])
def test_unary_hand_values_bf16(name, x, expected):
    t = tensor((3,), "bf16")
    out = run(name, [np.array(x, np.float32).astype(BF16)], [t], t)
    assert out.dtype == BF16
    np.testing.assert_array_equal(out.astype(np.float32), np.array(expected, np.float32))


def test_gelu_negative_tail_keeps_its_digits():
    # 0.5 * x * erfc(-x / sqrt 2) at x = -10: erfc(7.0710678...) = 1.5239706048321e-23 (tables)
    t = tensor((1,), "f32")
    out = run("gelu", [np.array([-10.0], np.float32)], [t], t)
    assert out[0] == pytest.approx(-5 * 1.5239706048321e-23, rel=1e-6)


def test_binary_broadcast_hand_values():
    a = np.array([[1.0], [2.0]], np.float32)
    b = np.array([10.0, 20.0, 30.0], np.float32)
    out = run("multiply", [a, b], [tensor((2, 1), "f32"), tensor((3,), "f32")], tensor((2, 3), "f32"))
    assert out.tolist() == [[10.0, 20.0, 30.0], [20.0, 40.0, 60.0]]


def test_pow_and_integer_comparison_hand_values():
    t = tensor((3,), "f32")
    out = run("pow", [np.array([2.0, 9.0, 4.0], np.float32), np.array([3.0, 0.5, -1.0], np.float32)], [t, t], t)
    assert out.tolist() == [8.0, 3.0, 0.25]
    ti = tensor((3,), "si32")
    lt = run("lt", [np.array([1, 5, -2], np.int32), np.array([2, 5, -3], np.int32)], [ti, ti], ti)
    assert lt.dtype == np.int32 and lt.tolist() == [1, 0, 0]


def test_where_hand_values_and_clamp_tensor():
    t = tensor((4,), "f32")
    cond = np.array([1.0, 0.0, -3.0, 0.0], np.float32)
    out = run("where", [cond, np.full(4, 7.0, np.float32), np.full(4, -7.0, np.float32)], [t, t, t], t)
    assert out.tolist() == [7.0, -7.0, 7.0, -7.0]
    x = np.array([0.0, 3.0, 6.0, 9.0], np.float32)
    clamped = run("clamp_tensor", [x, np.full(4, 2.0, np.float32), np.full(4, 5.0, np.float32)], [t, t, t], t)
    assert clamped.tolist() == [2.0, 3.0, 5.0, 5.0]


def test_bitwise_ops_on_si32():
    t = tensor((2, 2), "si32")
    a = np.array([[1, 2], [3, 4]], np.int32)
    b = np.array([[5, 6], [7, 8]], np.int32)
    assert run("bitwise_and", [a, b], [t, t], t).tolist() == [[1, 2], [3, 0]]
    assert run("bitwise_or", [a, b], [t, t], t).tolist() == [[5, 6], [7, 12]]
    assert run("bitwise_xor", [a, b], [t, t], t).tolist() == [[4, 4], [4, 12]]
    assert run("bitwise_not", [a], [t], t).tolist() == [[-2, -3], [-4, -5]]


def test_scalar_attribute_ops():
    t = tensor((4,), "f32")
    x = np.array([-2.0, 0.0, 3.0, 8.0], np.float32)
    leaky = PARSER.parse(f'%0 = "ttnn.leaky_relu"(%a) <{{parameter = 1.000000e-01 : f32}}> : ({t}) -> {t}')
    assert Executor().run_op(leaky, [x])[0].tolist() == pytest.approx([-0.2, 0.0, 3.0, 8.0])
    clamp = PARSER.parse(f'%0 = "ttnn.clamp_scalar"(%a) <{{max = 5.000000e+00 : f32, min = 0.000000e+00 : f32}}>'
                         f' : ({t}) -> {t}')
    assert Executor().run_op(clamp, [x])[0].tolist() == [0.0, 0.0, 3.0, 5.0]


def test_unknown_op_raises_and_lists_available_ops():
    op = PARSER.parse('%0 = "ttnn.frobnicate"(%a) : (tensor<2xf32>) -> tensor<2xf32>')
    with pytest.raises(UnknownOpError) as info:
        Executor().run_op(op, [np.zeros(2, np.float32)])
    message = str(info.value)
    assert "'ttnn.frobnicate'" in message
    for name in ("ttnn.add", "ttnn.matmul", "ttnn.sum", "ttnn.group_norm", "ttnn.permute"):
        assert name in message
