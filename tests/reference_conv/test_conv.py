"""Reference ``ttnn.conv2d`` / ``ttnn.conv3d`` against torch (CPU, float32) and hand-computed cases.

Inputs are bf16; torch gets them upcast to float32 and its float32 result is rounded to bf16 (the
executor's storage). Tolerance: the largest difference must be at most ONE bf16 ulp at the largest
result magnitude, ``2**(floor(log2(max|ref|)) - 7)`` — both sides accumulate in float32 (in
different orders), so after rounding to bf16 they can differ by one ulp where the float32 values
straddle a rounding boundary, never more. Elementwise, a difference must be at most one ulp of
that element's own magnitude, up to float32 summation noise (``1e-5 · max|ref|``) for results that
cancel to near zero.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

from ttdiag.parse.mlir import OpLineParser
from ttdiag.reference import Executor
from ttdiag.reference.ops.conv import weight_offsets

BF16 = np.dtype(ml_dtypes.bfloat16)
DEV = np.zeros(0, np.float32)


# --------------------------------------------------------------------------------------------
# op text, as tt-mlir prints it (attribute names/operand order from shared/corpus/tt-mlir)
# --------------------------------------------------------------------------------------------

def conv2d_op(n, h, w, c, co, k, s=(1, 1), p=(0, 0), d=(1, 1), g=1, bias=True, out_dtype="bf16"):
    ho = (h + (p[0] + p[1] if len(p) == 4 else 2 * p[0]) - d[0] * (k[0] - 1) - 1) // s[0] + 1
    wo = (w + (p[2] + p[3] if len(p) == 4 else 2 * p[1]) - d[1] * (k[1] - 1) - 1) // s[1] + 1
    operands = "%x, %w, %b, %dev" if bias else "%x, %w, %dev"
    btype = f"tensor<1x1x1x{co}xbf16>, " if bias else ""
    text = (f'%y = "ttnn.conv2d"({operands}) <{{batch_size = {n} : i32, dilation = array<i32: {d[0]}, {d[1]}>, '
            f'groups = {g} : i32, in_channels = {c} : i32, input_height = {h} : i32, input_width = {w} : i32, '
            f'kernel_size = array<i32: {k[0]}, {k[1]}>, out_channels = {co} : i32, '
            f'padding = array<i32: {", ".join(map(str, p))}>, stride = array<i32: {s[0]}, {s[1]}>}}> : '
            f'(tensor<1x1x{n * h * w}x{c}xbf16>, tensor<{co}x{c // g}x{k[0]}x{k[1]}xbf16>, {btype}!ttnn.device) '
            f'-> tensor<1x1x{n * ho * wo}x{co}x{out_dtype}>')
    return OpLineParser().parse(text), (ho, wo)


def conv3d_op(n, dhw, c, co, k, s=(1, 1, 1), p=(0, 0, 0), g=1, bias=True, wshape=None):
    out = tuple((dhw[i] + 2 * p[i] - k[i]) // s[i] + 1 for i in range(3))
    operands = "%x, %w, %b, %dev" if bias else "%x, %w, %dev"
    btype = f"tensor<1x1x1x1x{co}xbf16>, " if bias else ""
    wshape = wshape or (co, c // g, *k)
    x = "x".join(map(str, (n, *dhw, c)))
    text = (f'%y = "ttnn.conv3d"({operands}) <{{batch_size = {n} : i32, conv3d_config = #ttnn.conv3d_config<'
            f'weights_dtype = bf16, t_out_block = 1, w_out_block = 1, h_out_block = 1, c_out_block = 32, '
            f'c_in_block = 0, compute_with_storage_grid_size = #ttcore.grid<8x8>>, '
            f'dtype = #ttcore.supportedDataTypes<bf16>, groups = {g} : i32, in_channels = {c} : i32, '
            f'input_depth = {dhw[0]} : i32, input_height = {dhw[1]} : i32, input_width = {dhw[2]} : i32, '
            f'kernel_size = array<i32: {k[0]}, {k[1]}, {k[2]}>, out_channels = {co} : i32, '
            f'padding = array<i32: {p[0]}, {p[1]}, {p[2]}>, padding_mode = "zeros", '
            f'stride = array<i32: {s[0]}, {s[1]}, {s[2]}>}}> : '
            f'(tensor<{x}xbf16>, tensor<{"x".join(map(str, wshape))}xbf16>, {btype}!ttnn.device) '
            f'-> tensor<{"x".join(map(str, (n, *out, co)))}xbf16>')
    return OpLineParser().parse(text), out


def bf16(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(BF16)


def run(op, *arrays):
    (y,) = Executor().run_op(op, list(arrays))
    return y


def assert_within_one_ulp(ours: np.ndarray, ref32: np.ndarray) -> None:
    """``ours`` (bf16) vs a float32 reference: see the module docstring for the bound."""
    assert ours.dtype == BF16
    ref = ref32.astype(BF16).astype(np.float32)
    got = ours.astype(np.float32)
    diff = np.abs(got - ref)
    top = float(np.abs(ref32).max())
    ulp_top = 2.0 ** (np.floor(np.log2(top)) - 7)
    assert diff.max() <= ulp_top, f"max diff {diff.max()} > 1 bf16 ulp ({ulp_top}) at max |ref| {top}"
    mag = np.maximum(np.abs(ref32), np.finfo(np.float32).tiny)
    ulp = 2.0 ** (np.floor(np.log2(mag)) - 7)
    assert np.all(diff <= ulp + 1e-5 * top), "an element differs by more than one bf16 ulp of its magnitude"


# --------------------------------------------------------------------------------------------
# hand-computed (no torch)
# --------------------------------------------------------------------------------------------

def test_conv2d_1x1_is_a_matmul():
    rng = np.random.default_rng(1)
    n, h, w, c, co = 2, 3, 5, 16, 8
    op, _ = conv2d_op(n, h, w, c, co, (1, 1), bias=False)
    x, wt = bf16(rng, 1, 1, n * h * w, c), bf16(rng, co, c, 1, 1)
    y = run(op, x, wt, DEV)
    want = (x[0, 0].astype(np.float32) @ wt[:, :, 0, 0].astype(np.float32).T).astype(BF16)
    assert y.shape == (1, 1, n * h * w, co) and y.dtype == BF16
    np.testing.assert_array_equal(y[0, 0].astype(np.float32), want.astype(np.float32))


def test_conv2d_ones_kernel_on_constant_input_counts_the_window():
    # 3x3 all-ones kernel, constant input 2 on 4 channels, padding 1: each output = 2·4·(taps inside)
    h = w = 5
    op, (ho, wo) = conv2d_op(1, h, w, 4, 1, (3, 3), p=(1, 1), bias=False)
    y = run(op, np.full((1, 1, h * w, 4), 2, BF16), np.ones((1, 4, 3, 3), BF16), DEV)
    taps = np.array([2, 3, 3, 3, 2], np.float32)
    want = 8 * np.outer(taps, taps)  # corners 4 taps, edges 6, interior 9
    np.testing.assert_array_equal(y.astype(np.float32).reshape(ho, wo), want)


def test_conv2d_bias_and_asymmetric_padding_order():
    # padding [top, bottom, left, right] = [0, 2, 1, 0]; 1x1 kernel so padded positions give the bias.
    op, (ho, wo) = conv2d_op(1, 2, 2, 1, 1, (1, 1), p=(0, 2, 1, 0))
    assert (ho, wo) == (4, 3)
    x = np.array([[1, 2], [3, 4]], np.float32).astype(BF16).reshape(1, 1, 4, 1)
    y = run(op, x, np.ones((1, 1, 1, 1), BF16), np.full((1, 1, 1, 1), 10, BF16), DEV)
    want = np.array([[10, 11, 12], [10, 13, 14], [10, 10, 10], [10, 10, 10]], np.float32)
    np.testing.assert_array_equal(y.astype(np.float32).reshape(ho, wo), want)


def test_conv3d_ones_kernel_on_constant_input():
    op, out = conv3d_op(1, (4, 5, 6), 3, 2, (3, 3, 3), bias=False)
    y = run(op, np.full((1, 4, 5, 6, 3), 0.5, BF16), np.ones((2, 3, 3, 3, 3), BF16), DEV)
    assert y.shape == (1, *out, 2)
    np.testing.assert_array_equal(y.astype(np.float32), np.full((1, *out, 2), 0.5 * 3 * 27, np.float32))


def test_result_stored_in_result_dtype_with_fp32_accumulation():
    # 256 products of 1·(1+2^-7): bf16 accumulation would stall at 256 (spacing 2), fp32 gives 258.
    op, _ = conv2d_op(1, 1, 1, 256, 1, (1, 1), bias=False, out_dtype="f32")
    y = run(op, np.ones((1, 1, 1, 256), BF16), np.full((1, 256, 1, 1), 1 + 2 ** -7, BF16), DEV)
    assert y.dtype == np.float32 and float(y.reshape(-1)[0]) == 258.0


def test_grouped_layout_weight_equals_depthwise_exactly():
    # tt-metal prepares grouped weights as a dense [C, C, kh, kw] block-diagonal tensor
    # (convert_conv_weight_tensor_to_grouped_layout); it must give the depthwise result bit for bit.
    rng = np.random.default_rng(3)
    n, h, w, c = 2, 9, 7, 16
    x, wd, b = bf16(rng, 1, 1, n * h * w, c), bf16(rng, c, 1, 3, 3), bf16(rng, 1, 1, 1, c)
    dense = np.zeros((c, c, 3, 3), BF16)
    dense[np.arange(c), np.arange(c)] = wd[:, 0]
    op_dw, _ = conv2d_op(n, h, w, c, c, (3, 3), p=(1, 1), g=c)
    op_dense, _ = conv2d_op(n, h, w, c, c, (3, 3), p=(1, 1), g=1)
    y_dw, y_dense = run(op_dw, x, wd, b, DEV), run(op_dense, x, dense, b, DEV)
    np.testing.assert_array_equal(y_dense.view(np.uint16), y_dw.view(np.uint16))
    # the same holds on the strided (gathering) path
    op_dw, _ = conv2d_op(n, h, w, c, c, (3, 3), s=(2, 2), p=(1, 1), g=c)
    op_dense, _ = conv2d_op(n, h, w, c, c, (3, 3), s=(2, 2), p=(1, 1), g=1)
    np.testing.assert_array_equal(run(op_dense, x, dense, b, DEV).view(np.uint16),
                                  run(op_dw, x, wd, b, DEV).view(np.uint16))


def test_prepared_conv2d_weight_matches_torch_layout():
    # [1, 1, kh·kw·Cin_p, Cout] with rows (i·kw + j)·Cin_p + c, Cin padded 6 -> 8 with zeros
    rng = np.random.default_rng(4)
    c, co = 6, 5
    x, wt = bf16(rng, 1, 1, 7 * 8, c), bf16(rng, co, c, 3, 3)
    prepared = np.zeros((3, 3, 8, co), BF16)
    prepared[:, :, :c] = wt.transpose(2, 3, 1, 0)
    op, _ = conv2d_op(1, 7, 8, c, co, (3, 3), p=(1, 1), bias=False)
    np.testing.assert_array_equal(run(op, x, prepared.reshape(1, 1, 72, co), DEV).view(np.uint16),
                                  run(op, x, wt, DEV).view(np.uint16))


def test_prepared_conv3d_weight_with_c_in_block():
    # tt-metal prepare_conv3d_weights: [kD,kH,kW,Cin,Cout] -> blocks of c_in_block outermost -> 2-D
    rng = np.random.default_rng(5)
    c, co, cb = 8, 4, 4
    x, wt = bf16(rng, 1, 4, 4, 5, c), bf16(rng, co, c, 3, 3, 3)
    kdhwio = wt.transpose(2, 3, 4, 1, 0).reshape(3, 3, 3, c // cb, cb, co)
    prepared = np.ascontiguousarray(kdhwio.transpose(3, 0, 1, 2, 4, 5)).reshape(-1, co)
    op_raw, _ = conv3d_op(1, (4, 4, 5), c, co, (3, 3, 3), bias=False)
    text = (f'%y = "ttnn.conv3d"(%x, %w, %dev) <{{conv3d_config = #ttnn.conv3d_config<c_in_block = {cb}>, '
            f'groups = 1 : i32, in_channels = {c} : i32, kernel_size = array<i32: 3, 3, 3>, out_channels = {co} : i32, '
            f'padding = array<i32: 0, 0, 0>, padding_mode = "zeros", stride = array<i32: 1, 1, 1>}}> : '
            f'(tensor<1x4x4x5x{c}xbf16>, tensor<{prepared.shape[0]}x{co}xbf16>, !ttnn.device) -> tensor<1x2x2x3x{co}xbf16>')
    op_prep = OpLineParser().parse(text)
    np.testing.assert_array_equal(run(op_prep, x, prepared, DEV).view(np.uint16),
                                  run(op_raw, x, wt, DEV).view(np.uint16))


def test_weight_shape_mismatch_is_reported():
    with pytest.raises(ValueError, match="fits neither"):
        weight_offsets(np.zeros((4, 3, 3, 3), np.float32), (1, 3, 3), cin=8, cout=4, groups=1)


# --------------------------------------------------------------------------------------------
# against torch
# --------------------------------------------------------------------------------------------

CONV2D_CASES = {
    "plain": dict(n=2, h=10, w=12, c=16, co=24, k=(3, 3)),
    "stride2": dict(n=1, h=11, w=13, c=8, co=16, k=(3, 3), s=(2, 2)),
    "padding": dict(n=1, h=9, w=10, c=8, co=8, k=(3, 5), p=(1, 2)),
    "padding4": dict(n=1, h=9, w=10, c=8, co=8, k=(3, 3), p=(0, 2, 1, 3)),
    "dilation": dict(n=1, h=12, w=12, c=8, co=8, k=(3, 3), p=(2, 2), d=(2, 3)),
    "groups2": dict(n=2, h=8, w=9, c=16, co=12, k=(3, 3), p=(1, 1), g=2),
    "depthwise": dict(n=1, h=10, w=11, c=32, co=32, k=(3, 3), p=(1, 1), g=32),
    "all": dict(n=2, h=13, w=11, c=12, co=6, k=(3, 2), s=(2, 3), p=(1, 1), d=(2, 1), g=3),
}


@pytest.mark.parametrize("case", sorted(CONV2D_CASES))
def test_conv2d_matches_torch(case):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    kw = dict(s=(1, 1), p=(0, 0), d=(1, 1), g=1) | CONV2D_CASES[case]
    n, h, w, c, co, k, s, p, d, g = (kw[key] for key in ("n", "h", "w", "c", "co", "k", "s", "p", "d", "g"))
    rng = np.random.default_rng(sorted(CONV2D_CASES).index(case))
    x, wt, b = bf16(rng, n, h, w, c), bf16(rng, co, c // g, *k, scale=0.3), bf16(rng, co)
    op, (ho, wo) = conv2d_op(n, h, w, c, co, k, s, p, d, g)
    y = run(op, x.reshape(1, 1, -1, c), wt, b.reshape(1, 1, 1, co), DEV)

    xt = torch.from_numpy(x.astype(np.float32)).permute(0, 3, 1, 2)
    if len(p) == 4:  # [top, bottom, left, right] -> F.pad's (left, right, top, bottom)
        xt, pad = F.pad(xt, (p[2], p[3], p[0], p[1])), 0
    else:
        pad = tuple(p)
    ref = F.conv2d(xt, torch.from_numpy(wt.astype(np.float32)), torch.from_numpy(b.astype(np.float32)),
                   stride=s, padding=pad, dilation=d, groups=g)
    assert tuple(ref.shape) == (n, co, ho, wo)
    assert y.shape == (1, 1, n * ho * wo, co)
    assert_within_one_ulp(y, ref.permute(0, 2, 3, 1).reshape(1, 1, -1, co).numpy())


CONV3D_CASES = {
    "plain": dict(n=1, dhw=(5, 6, 7), c=16, co=8, k=(3, 3, 3)),
    "batch2": dict(n=2, dhw=(4, 5, 6), c=8, co=8, k=(3, 3, 3)),
    "stride211": dict(n=1, dhw=(7, 6, 5), c=8, co=16, k=(3, 3, 3), s=(2, 1, 1)),
    "padding": dict(n=1, dhw=(4, 5, 6), c=8, co=8, k=(3, 3, 3), p=(1, 1, 1)),
    "groups2": dict(n=1, dhw=(4, 6, 5), c=16, co=8, k=(3, 3, 3), p=(0, 1, 1), g=2),
    "mixed": dict(n=1, dhw=(6, 7, 8), c=8, co=4, k=(2, 3, 1), s=(1, 2, 3), p=(1, 0, 1), g=4),
}


@pytest.mark.parametrize("case", sorted(CONV3D_CASES))
def test_conv3d_matches_torch(case):
    torch = pytest.importorskip("torch")
    kw = dict(s=(1, 1, 1), p=(0, 0, 0), g=1) | CONV3D_CASES[case]
    n, dhw, c, co, k, s, p, g = (kw[key] for key in ("n", "dhw", "c", "co", "k", "s", "p", "g"))
    rng = np.random.default_rng(100 + sorted(CONV3D_CASES).index(case))
    x, wt, b = bf16(rng, n, *dhw, c), bf16(rng, co, c // g, *k, scale=0.2), bf16(rng, co)
    op, out = conv3d_op(n, dhw, c, co, k, s, p, g)
    y = run(op, x, wt, b.reshape(1, 1, 1, 1, co), DEV)
    ref = torch.nn.functional.conv3d(torch.from_numpy(x.astype(np.float32)).permute(0, 4, 1, 2, 3),
                                     torch.from_numpy(wt.astype(np.float32)), torch.from_numpy(b.astype(np.float32)),
                                     stride=s, padding=p, groups=g)
    assert y.shape == (n, *out, co)
    assert_within_one_ulp(y, ref.permute(0, 2, 3, 4, 1).numpy())


def test_conv3d_without_bias_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    x, wt = bf16(rng, 1, 4, 5, 6, 8), bf16(rng, 8, 8, 3, 3, 3, scale=0.2)
    op, _ = conv3d_op(1, (4, 5, 6), 8, 8, (3, 3, 3), bias=False)
    ref = torch.nn.functional.conv3d(torch.from_numpy(x.astype(np.float32)).permute(0, 4, 1, 2, 3),
                                     torch.from_numpy(wt.astype(np.float32)))
    assert_within_one_ulp(run(op, x, wt, DEV), ref.permute(0, 2, 3, 4, 1).numpy())
