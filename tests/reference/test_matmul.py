"""Reference matmul / linear: fp32 accumulation, transposes, batch broadcasting, bias.

Tolerance against torch (float32 on the same bf16-rounded inputs): bf16 results within 1 bf16 ulp,
or within 1e-5 of the sum of |products| where cancellation leaves a tiny result; f32 results within
1e-5 of that sum (accumulation order differs). Small-integer inputs are exact in float32 whatever
the order, so those cases are compared exactly with an int64 product rounded once.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ref_helpers import BF16, run, sample, tensor, ulps

from ttdiag.reference.dtypes import storage_dtype


def assert_close(ours: np.ndarray, ref: np.ndarray, magnitude: np.ndarray) -> None:
    """``magnitude`` is |a| @ |b|: the scale of the accumulation error."""
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    diff = np.abs(ours.astype(np.float32) - ref.astype(np.float32))
    if ours.dtype == BF16:
        assert np.all((ulps(ours, ref) <= 1) | (diff <= 1e-5 * magnitude))
    else:
        assert np.all(diff <= 1e-5 * magnitude)


def last_two_swapped(shape: tuple[int, ...]) -> tuple[int, ...]:
    return (*shape[:-2], shape[-1], shape[-2])


MATMUL_CASES = [  # (a shape, b shape) as the op sees them, before any transpose
    ((64, 128), (128, 256)),
    ((2, 1, 8, 16), (3, 16, 4)),     # batch dims broadcast: -> (2, 3, 8, 4)
    ((4, 32, 64), (64, 32)),
    ((1, 1, 32, 96), (1, 1, 96, 32)),
]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("transpose_a,transpose_b", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("a_shape,b_shape", MATMUL_CASES)
def test_matmul_matches_torch(torch, a_shape, b_shape, transpose_a, transpose_b, dtype):
    a_shape = last_two_swapped(a_shape) if transpose_a else a_shape
    b_shape = last_two_swapped(b_shape) if transpose_b else b_shape
    a, b = sample(a_shape, dtype, 1), sample(b_shape, dtype, 2)
    ta, tb = (torch.from_numpy(x.astype(np.float32)) for x in (a, b))
    ta, tb = (ta.transpose(-1, -2) if transpose_a else ta), (tb.transpose(-1, -2) if transpose_b else tb)
    ref = torch.matmul(ta, tb)
    magnitude = torch.matmul(ta.abs(), tb.abs()).numpy()
    attrs = f"transpose_a = {str(transpose_a).lower()}, transpose_b = {str(transpose_b).lower()}"
    out = run("matmul", attrs, [a, b], [tensor(a_shape, dtype), tensor(b_shape, dtype)],
              tensor(tuple(ref.shape), dtype))
    assert out.dtype == storage_dtype(dtype) and out.shape == tuple(ref.shape)
    assert_close(out, ref.numpy().astype(out.dtype), magnitude)


@pytest.mark.parametrize("out_dtype", ["bf16", "f32"])
@pytest.mark.parametrize("k", [32, 256, 1024])
def test_matmul_small_integers_exact(k, out_dtype):
    rng = np.random.default_rng(k)
    a = rng.integers(-4, 5, size=(16, k))
    b = rng.integers(-4, 5, size=(k, 8))
    exact = a @ b  # int64; |entries| <= 16 * 1024, exact in float32 in any order
    out = run("matmul", "", [a.astype(BF16), b.astype(BF16)], [tensor((16, k), "bf16"), tensor((k, 8), "bf16")],
              tensor((16, 8), out_dtype))
    assert out.dtype == storage_dtype(out_dtype)
    assert np.array_equal(out, exact.astype(np.float32).astype(out.dtype))  # one rounding, at the store


def test_matmul_accumulates_in_fp32_not_bf16():
    # 1024 ones dotted: a bf16 accumulator stalls at 256; fp32 gives 1024 exactly (a bf16 value)
    ones = np.ones((1, 1024), BF16)
    out = run("matmul", "transpose_b = true", [ones, ones], [tensor((1, 1024), "bf16")] * 2, tensor((1, 1), "bf16"))
    assert out.dtype == BF16 and float(out[0, 0]) == 1024.0


def test_matmul_hand_values_with_transposes():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    b = np.array([[5.0, 6.0], [7.0, 8.0]], np.float32)
    t = tensor((2, 2), "f32")
    assert run("matmul", "", [a, b], [t, t], t).tolist() == [[19, 22], [43, 50]]
    assert run("matmul", "transpose_a = true, transpose_b = false", [a, b], [t, t], t).tolist() == [[26, 30], [38, 44]]
    assert run("matmul", "transpose_a = false, transpose_b = true", [a, b], [t, t], t).tolist() == [[17, 23], [39, 53]]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("bias_shape", [None, (48,), (1, 48), (64, 48)])
def test_linear_matches_torch(torch, bias_shape, dtype):
    # corpus form: linear(a, b, bias) <{transpose_a = false, transpose_b = true}>, b as [out, in]
    a, b = sample((64, 32), dtype, 1), sample((48, 32), dtype, 2)
    inputs, types = [a, b], [tensor((64, 32), dtype), tensor((48, 32), dtype)]
    bias = None
    if bias_shape is not None:
        bias = sample(bias_shape, dtype, 3)
        inputs, types = inputs + [bias], types + [tensor(bias_shape, dtype)]
    out = run("linear", "transpose_a = false, transpose_b = true", inputs, types, tensor((64, 48), dtype))
    ta, tb = (torch.from_numpy(x.astype(np.float32)) for x in (a, b))
    ref = torch.nn.functional.linear(ta, tb, None if bias is None else torch.from_numpy(bias.astype(np.float32)))
    magnitude = torch.matmul(ta.abs(), tb.abs().T).numpy() + (0 if bias is None else np.abs(bias.astype(np.float32)))
    assert out.dtype == storage_dtype(dtype) and out.shape == (64, 48)
    assert_close(out, ref.numpy().astype(out.dtype), magnitude)


def test_linear_hand_values_from_dialect_doc():
    # TTNNOps.td: a = [[1, 2], [2, 1]], b = [[0, 1], [1, 0]], bias = [[1]] -> [[3, 2], [2, 3]]
    a = np.array([[1.0, 2.0], [2.0, 1.0]], np.float32)
    b = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    bias = np.array([[1.0]], np.float32)
    out = run("linear", "", [a, b, bias], [tensor((2, 2), "f32"), tensor((2, 2), "f32"), tensor((1, 1), "f32")],
              tensor((2, 2), "f32"))
    assert out.tolist() == [[3.0, 2.0], [2.0, 3.0]]
