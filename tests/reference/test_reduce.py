"""Reference reductions, scans, softmax and sorting against torch and hand values.

Tolerance: sum/mean/softmax/scans are compared with torch in float32 on the same bf16-rounded
inputs, rounded to the result dtype: within 1 bf16 ulp for bf16 results (summation order differs)
and within 1e-5 relative plus 1e-5 absolute for f32 results (summation order differs and
partial sums of unit normals cancel). max/min/argmax/sort are exact.
"""

from __future__ import annotations

import numpy as np
import pytest
from _ref_helpers import BF16, assert_close, run_op, sample, tensor


def run(name: str, attrs: str, x: np.ndarray, in_type: str, out_types: list[str]) -> list[np.ndarray]:
    """A one-operand op with a discardable attribute dict ``{...}``: all its results."""
    return run_op(name, attrs, [x], [in_type], out_types, discardable=True)


def reduced_shape(shape, dims, keep) -> tuple[int, ...]:
    dims = {d % len(shape) for d in (dims if dims is not None else range(len(shape)))}
    return tuple(1 if i in dims else n for i, n in enumerate(shape) if keep or i not in dims)


def dim_attr(dims) -> str:
    return "" if dims is None else "dim_arg = [" + ", ".join(f"{d} : i32" for d in dims) + "], "


CASES = [((32, 64), [1], False), ((32, 64), [0], True), ((4, 8, 16), [0, 2], False), ((4, 8, 16), [-1], True),
         ((64, 32), None, False), ((64, 32), None, True)]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("shape,dims,keep", CASES)
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
def test_reductions_match_torch(torch, name, shape, dims, keep, dtype):
    x = sample(shape, dtype)
    out_shape = reduced_shape(shape, dims, keep)
    attrs = f"ttnn.hoist_generic_via_d2m, {dim_attr(dims)}keep_dim = {str(keep).lower()}"
    (out,) = run(name, attrs, x, tensor(shape, dtype), [tensor(out_shape, dtype)])
    t = torch.from_numpy(x.astype(np.float32))
    axes = tuple(dims) if dims is not None else tuple(range(len(shape)))
    ref = {"sum": lambda: torch.sum(t, dim=axes, keepdim=keep), "mean": lambda: torch.mean(t, dim=axes, keepdim=keep),
           "max": lambda: torch.amax(t, dim=axes, keepdim=keep),
           "min": lambda: torch.amin(t, dim=axes, keepdim=keep)}[name]()
    ref = ref.numpy().astype(out.dtype).reshape(out_shape)
    if name in ("max", "min"):
        assert out.dtype == ref.dtype and np.array_equal(out, ref)
    else:
        assert_close(out, ref)


def test_bf16_sum_of_ten_thousand_ones_accumulates_in_fp32():
    x = np.ones(10_000, BF16)
    attrs = "dim_arg = [0 : i32], keep_dim = false"
    (exact,) = run("sum", attrs, x, tensor((10_000,), "bf16"), [tensor((), "f32")])
    assert exact.dtype == np.float32 and exact.shape == () and float(exact) == 10_000.0
    # Stored as bf16 the exact sum is rounded once: 10000 needs 10 significant bits, bf16 has 8,
    # so it becomes 9984 (spacing 64 between 8192 and 16384).
    (stored,) = run("sum", attrs, x, tensor((10_000,), "bf16"), [tensor((), "bf16")])
    assert stored.dtype == BF16 and float(stored) == float(np.float32(10_000).astype(BF16)) == 9984.0
    # A bf16 accumulator would stall: 256 + 1 rounds back to 256 (to even).
    assert float(np.cumsum(x, dtype=BF16)[-1]) == 256.0


def test_mean_of_ten_thousand_bf16_ones_and_int_sum():
    (mean,) = run("mean", "keep_dim = true", np.ones((100, 100), BF16), tensor((100, 100), "bf16"),
                  [tensor((1, 1), "bf16")])
    assert mean.shape == (1, 1) and float(mean[0, 0]) == 1.0
    (total,) = run("sum", "dim_arg = [1 : i32], keep_dim = false", np.full((2, 3), 7, np.int32),
                   tensor((2, 3), "si32"), [tensor((2,), "si32")])
    assert total.dtype == np.int32 and total.tolist() == [21, 21]


def test_reduction_hand_values():
    x = np.array([[1, 5, 3], [4, 2, 6]], np.float32)
    t = tensor((2, 3), "f32")
    assert run("min", "dim_arg = [0 : i32], keep_dim = false", x, t, [tensor((3,), "f32")])[0].tolist() == [1, 2, 3]
    assert run("max", "dim_arg = [1 : i32], keep_dim = true", x, t, [tensor((2, 1), "f32")])[0].tolist() == [[5], [6]]
    assert float(run("sum", "keep_dim = false", x, t, [tensor((), "f32")])[0]) == 21.0
    assert run("mean", "dim_arg = [-1 : i32], keep_dim = false", x, t, [tensor((2,), "f32")])[0].tolist() == [3, 4]


def test_prod_with_scalar_dim_arg():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    t = tensor((2, 3), "f32")
    assert run("prod", "dim_arg = -1 : si64, keep_dim = false", x, t, [tensor((2,), "f32")])[0].tolist() == [6, 120]
    assert run("prod", "dim_arg = 0 : si64, keep_dim = false", x, t, [tensor((3,), "f32")])[0].tolist() == [4, 10, 18]
    assert float(run("prod", "keep_dim = false", x, t, [tensor((), "f32")])[0]) == 720.0


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("dim,keep", [(-1, False), (0, True), (None, False), (None, True)])
def test_argmax_matches_torch(torch, dim, keep, dtype):
    x = sample((1, 1, 32, 32), dtype)
    ref = torch.argmax(torch.from_numpy(x.astype(np.float32)), dim=dim, keepdim=keep)
    if dim is None and keep:
        ref = ref.reshape(1, 1, 1, 1)
    attrs = ("" if dim is None else f"dim = {dim} : si32, ") + f"keep_dim = {str(keep).lower()}, use_multicore = false"
    (out,) = run("argmax", attrs, x, tensor((1, 1, 32, 32), dtype), [tensor(tuple(ref.shape), "ui32")])
    assert out.dtype == np.uint32 and np.array_equal(out, ref.numpy())


def test_argmax_hand_values_first_maximum_wins():
    x = np.array([[1, 5, 5], [2, 4, 6]], np.float32)
    (out,) = run("argmax", "dim = 1 : si32, keep_dim = false", x, tensor((2, 3), "f32"), [tensor((2,), "si32")])
    assert out.tolist() == [1, 2]


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("dim", [1, -1, 0])
def test_softmax_matches_torch(torch, dim, dtype):
    x = sample((8, 10), dtype)
    (out,) = run("softmax", f"dimension = {dim} : si32", x, tensor((8, 10), dtype), [tensor((8, 10), dtype)])
    ref = torch.softmax(torch.from_numpy(x.astype(np.float32)), dim=dim).numpy().astype(out.dtype)
    assert_close(out, ref)


def test_softmax_hand_values_and_large_inputs():
    x = np.array([[0.0, 0.0], [1000.0, 1000.0], [0.0, np.log(3.0)]], np.float32)
    (out,) = run("softmax", "dimension = 1 : si32", x, tensor((3, 2), "f32"), [tensor((3, 2), "f32")])
    np.testing.assert_allclose(out, [[0.5, 0.5], [0.5, 0.5], [0.25, 0.75]], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("name,dim", [("cumsum", -1), ("cumsum", 0), ("cumprod", 1)])
def test_scans_match_torch(torch, name, dim, dtype):
    x = sample((32, 32), dtype)
    if name == "cumprod":
        x = (np.abs(x.astype(np.float32)) * 0.2 + 0.9).astype(x.dtype)  # products stay near 1
    (out,) = run(name, f"dim = {dim} : si32", x, tensor((32, 32), dtype), [tensor((32, 32), dtype)])
    ref = getattr(torch, name)(torch.from_numpy(x.astype(np.float32)), dim=dim).numpy().astype(out.dtype)
    if dtype == "f32":
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    else:
        assert_close(out, ref)


def test_cumsum_of_bf16_ones_does_not_stall():
    (out,) = run("cumsum", "dim = 0 : si32", np.ones(512, BF16), tensor((512,), "bf16"), [tensor((512,), "bf16")])
    assert float(out[-1]) == 512.0 and float(out[256]) == 256.0  # 257 is not a bf16 value: rounds to 256


@pytest.mark.parametrize("descending", [True, False])
def test_sort_matches_torch(torch, descending):
    x = sample((128, 32), "bf16")
    values, indices = run("sort", f"descending = {str(descending).lower()}, dim = 1 : si8, stable = false", x,
                          tensor((128, 32), "bf16"), [tensor((128, 32), "bf16"), tensor((128, 32), "si32")])
    ref_values, ref_indices = torch.sort(torch.from_numpy(x.astype(np.float32)), dim=1, descending=descending,
                                         stable=True)
    assert values.dtype == BF16 and indices.dtype == np.int32
    assert np.array_equal(values, ref_values.numpy().astype(BF16))
    assert np.array_equal(indices, ref_indices.numpy())


def test_topk_hand_values():
    x = np.array([[3.0, 1.0, 4.0, 1.5, 9.0, 2.0]], np.float32)
    values, indices = run("topk", "k = 3 : i32, dim = -1 : si32, largest = true, sorted = true", x,
                          tensor((1, 6), "f32"), [tensor((1, 3), "f32"), tensor((1, 3), "ui32")])
    assert values.tolist() == [[9.0, 4.0, 3.0]] and indices.tolist() == [[4, 2, 0]] and indices.dtype == np.uint32
    values, indices = run("topk", "k = 2 : i32, dim = -1 : si32, largest = false, sorted = true", x,
                          tensor((1, 6), "f32"), [tensor((1, 2), "f32"), tensor((1, 2), "ui32")])
    assert values.tolist() == [[1.0, 1.5]] and indices.tolist() == [[1, 3]]
