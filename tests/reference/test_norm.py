"""Reference normalisations against torch (float32 on the same bf16-rounded inputs) and hand values.

Tolerance: bf16 results within 1 bf16 ulp of torch's float32 result rounded to bf16; f32 results
within 1e-5 relative plus 1e-5 absolute (the statistics are summed in a different order).
"""

from __future__ import annotations

import numpy as np
import pytest
from _ref_helpers import assert_close, run, sample, tensor


def f32(torch, x: np.ndarray):
    return torch.from_numpy(x.astype(np.float32))


def segments(*present: bool) -> str:
    return "operandSegmentSizes = array<i32: " + ", ".join("1" if p else "0" for p in present) + ">"


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("affine", [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("shape", [(32, 64), (1, 4, 96)])
def test_layer_norm_matches_torch(torch, shape, affine, dtype):
    width = shape[-1]
    x = sample(shape, dtype, scale=3, shift=5)
    params = [sample((width,), dtype, seed=s) for s, present in zip((1, 2), affine) if present]
    out = run("layer_norm", f"epsilon = 1.000000e-05 : f32, {segments(True, *affine)}", [x, *params],
              [tensor(shape, dtype)] + [tensor((width,), dtype)] * len(params), tensor(shape, dtype))
    weight = f32(torch, params[0]) if affine[0] else None
    bias = f32(torch, params[1]) if affine[1] else None
    ref = torch.nn.functional.layer_norm(f32(torch, x), (width,), weight, bias, eps=1e-5)
    assert_close(out, ref.numpy().astype(out.dtype))


def test_layer_norm_hand_values_default_epsilon():
    x = np.array([[1.0, 3.0], [2.0, 2.0]], np.float32)
    out = run("layer_norm", segments(True, False, False), [x], [tensor((2, 2), "f32")], tensor((2, 2), "f32"))
    # mean 2, biased variance 1 -> [-1, 1]; a constant row has variance 0 -> 0 / sqrt(1e-12) = 0
    np.testing.assert_allclose(out, [[-1.0, 1.0], [0.0, 0.0]], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("with_weight", [False, True])
def test_rms_norm_matches_torch(torch, with_weight, dtype):
    x = sample((1, 1, 32, 384), dtype, scale=2)
    weight = sample((384,), dtype, seed=3)
    inputs, types = ([x, weight], [tensor(x.shape, dtype), tensor((384,), dtype)]) if with_weight else \
        ([x], [tensor(x.shape, dtype)])
    out = run("rms_norm", f"epsilon = 9.99999974E-6 : f32, {segments(True, with_weight, False)}", inputs, types,
              tensor(x.shape, dtype))
    ref = torch.nn.functional.rms_norm(f32(torch, x), (384,), f32(torch, weight) if with_weight else None,
                                       eps=9.99999974e-6)
    assert_close(out, ref.numpy().astype(out.dtype))


def test_rms_norm_hand_values_with_bias():
    x = np.array([[3.0, 4.0]], np.float32)  # mean square 12.5
    weight, bias = np.array([2.0, 1.0], np.float32), np.array([0.5, -0.5], np.float32)
    out = run("rms_norm", f"epsilon = 0.000000e+00 : f32, {segments(True, True, True)}", [x, weight, bias],
              [tensor((1, 2), "f32"), tensor((2,), "f32"), tensor((2,), "f32")], tensor((1, 2), "f32"))
    rms = np.sqrt(12.5)
    np.testing.assert_allclose(out, [[3 / rms * 2 + 0.5, 4 / rms - 0.5]], rtol=1e-6)


def torch_group_norm(torch, x: np.ndarray, groups: int, weight, bias, eps: float):
    """torch.group_norm on TTNN's [N, 1, H*W, C]: channels to dim 1 and back."""
    n, _, hw, c = x.shape
    channels_first = f32(torch, x).reshape(n, hw, c).permute(0, 2, 1)
    w = None if weight is None else f32(torch, weight).reshape(c)
    b = None if bias is None else f32(torch, bias).reshape(c)
    y = torch.nn.functional.group_norm(channels_first, groups, w, b, eps=eps)
    return y.permute(0, 2, 1).reshape(n, 1, hw, c).numpy()


# corpus shapes (group_norm_decomposition.mlir), scaled down where large
@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("shape,groups", [((2, 1, 16, 256), 8), ((1, 1, 50, 480), 8), ((2, 1, 64, 128), 32)])
def test_group_norm_without_affine_matches_torch(torch, shape, groups, dtype):
    x = sample(shape, dtype, scale=2, shift=1)
    out = run("group_norm", f"num_groups = {groups} : i64, epsilon = 1.000000e-05 : f32, "
              f"{segments(True, False, False, False)}", [x], [tensor(shape, dtype)], tensor(shape, dtype))
    assert out.dtype == x.dtype and out.shape == shape
    assert_close(out, torch_group_norm(torch, x, groups, None, None, 1e-5).astype(out.dtype))


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("param_shape", [(128,), (1, 1, 4, 32)])
def test_group_norm_weight_bias_per_channel_matches_torch(torch, param_shape, dtype):
    shape, groups = (2, 1, 64, 128), 32
    x = sample(shape, dtype, scale=2, shift=1)
    weight, bias = sample(param_shape, dtype, seed=1), sample(param_shape, dtype, seed=2)
    out = run("group_norm", f"num_groups = {groups} : i64, epsilon = 1.000000e-05 : f32, "
              f"{segments(True, False, True, True)}", [x, weight, bias],
              [tensor(shape, dtype), tensor(param_shape, dtype), tensor(param_shape, dtype)], tensor(shape, dtype))
    assert_close(out, torch_group_norm(torch, x, groups, weight, bias, 1e-5).astype(out.dtype))


def test_group_norm_input_mask_operand_is_skipped():
    shape = (1, 1, 4, 64)
    x = sample(shape, "f32")
    mask = np.ones((1, 2, 32, 32), np.float32)
    weight = np.full(64, 2.0, np.float32)
    text = f"num_groups = 2 : i64, epsilon = 1.000000e-05 : f32, {segments(True, True, True, False)}"
    with_mask = run("group_norm", text, [x, mask, weight],
                    [tensor(shape, "f32"), tensor(mask.shape, "f32"), tensor((64,), "f32")], tensor(shape, "f32"))
    text = f"num_groups = 2 : i64, epsilon = 1.000000e-05 : f32, {segments(True, False, True, False)}"
    without = run("group_norm", text, [x, weight], [tensor(shape, "f32"), tensor((64,), "f32")], tensor(shape, "f32"))
    assert np.array_equal(with_mask, without)


def test_group_norm_hand_values():
    # N=1, H*W=2, C=4, 2 groups: group 0 = channels 0-1 = {0, 2, 4, 6}: mean 3, variance 5
    x = np.array([[[[0.0, 2.0, 10.0, 10.0], [4.0, 6.0, 10.0, 10.0]]]], np.float32)
    out = run("group_norm", f"num_groups = 2 : i64, epsilon = 0.000000e+00 : f32, "
              f"{segments(True, False, False, False)}", [x], [tensor((1, 1, 2, 4), "f32")], tensor((1, 1, 2, 4), "f32"))
    s = np.sqrt(5.0)
    np.testing.assert_allclose(out[0, 0, :, :2], [[-3 / s, -1 / s], [1 / s, 3 / s]], rtol=1e-6)
    assert np.all(np.isnan(out[0, 0, :, 2:]))  # group 1 is constant: 0 / sqrt(0 + eps=0)
