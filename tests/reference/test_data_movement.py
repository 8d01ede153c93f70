"""Reference data movement and creation ops: exact values, shapes and dtypes.

Op texts use tt-mlir's printed attribute forms (from the corpus). Expected values are hand-written
for small cases and torch's for random ones; data movement must be bit-exact.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _ref_helpers import BF16, PARSER, run, tensor

from ttdiag.reference.dtypes import storage_dtype
from ttdiag.reference.executor import Executor


def sample(shape, dtype: str, seed: int = 0) -> np.ndarray:
    """A shuffled arange (distinct values up to bf16's 256 exact integers), so misplaced elements show."""
    values = np.random.default_rng(seed).permutation(math.prod(shape)).reshape(shape)
    return values.astype(storage_dtype(dtype))


DTYPES = ["bf16", "f32", "si32"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,perm", [((2, 3), (1, 0)), ((2, 3, 4, 5), (0, 2, 3, 1)), ((1, 4, 3, 2), (3, 2, 1, 0))])
def test_permute_matches_torch(torch, shape, perm, dtype):
    x = sample(shape, dtype)
    out_shape = tuple(shape[p] for p in perm)
    perm_text = ", ".join(map(str, perm))
    out = run("permute", f"permutation = array<i64: {perm_text}>", [x], [tensor(shape, dtype)],
              tensor(out_shape, dtype))
    assert out.dtype == x.dtype and out.shape == out_shape
    assert np.array_equal(out, torch.from_numpy(x.astype(np.float64)).permute(*perm).numpy().astype(x.dtype))


def test_permute_hand_values():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    out = run("permute", "permutation = array<i64: 1, 0>", [x], [tensor((2, 3), "si32")], tensor((3, 2), "si32"))
    assert out.tolist() == [[1, 4], [2, 5], [3, 6]]


def test_transpose_swaps_dim0_dim1_negative_allowed():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    out = run("transpose", "dim0 = 0 : si32, dim1 = -1 : si32", [x], [tensor((2, 3, 4), "f32")],
              tensor((4, 3, 2), "f32"))
    assert out.shape == (4, 3, 2) and out[3, 1, 0] == x[0, 1, 3] and out[1, 2, 1] == x[1, 2, 1]


@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape_to_result_shape(dtype):
    x = sample((1, 1, 300, 4), dtype)
    out = run("reshape", "shape = [3 : i32, 10 : i32, 10 : i32, 4 : i32]", [x], [tensor((1, 1, 300, 4), dtype)],
              tensor((3, 10, 10, 4), dtype))
    assert out.dtype == x.dtype and out.shape == (3, 10, 10, 4)
    assert np.array_equal(out.ravel(), x.ravel())


def test_pad_corpus_form_hand_values():
    # test/ttmlir/.../pad: padding = array<i32: 0, 0, 1, 1, 1, 1> on 1x30x30 si32 -> 1x32x32
    x = np.ones((1, 30, 30), np.int32)
    out = run("pad", "padding = array<i32: 0, 0, 1, 1, 1, 1>, use_multicore = false, value = 0.000000e+00 : f32",
              [x], [tensor((1, 30, 30), "si32")], tensor((1, 32, 32), "si32"))
    assert out.dtype == np.int32 and out.shape == (1, 32, 32)
    assert out.sum() == 900 and out[0, 0].sum() == 0 and out[0, :, 0].sum() == 0 and out[0, 1, 1] == 1


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
def test_pad_front_back_and_value_match_torch(torch, dtype):
    x = sample((2, 3, 4), dtype)
    out = run("pad", "padding = array<i32: 0, 1, 2, 0, 1, 3>, use_multicore = true, value = -2.500000e+00 : f32",
              [x], [tensor((2, 3, 4), dtype)], tensor((3, 5, 8), dtype))
    ref = torch.nn.functional.pad(torch.from_numpy(x.astype(np.float32)), (1, 3, 2, 0, 0, 1), value=-2.5)
    assert out.dtype == x.dtype and np.array_equal(out, ref.numpy().astype(x.dtype))


def test_pad_hex_nan_value():
    x = np.zeros((1, 2), np.float32)
    out = run("pad", "padding = array<i32: 0, 0, 0, 1>, use_multicore = false, value = 0x7FC00000 : f32",
              [x], [tensor((1, 2), "f32")], tensor((1, 3), "f32"))
    assert out[0, :2].tolist() == [0.0, 0.0] and np.isnan(out[0, 2])


@pytest.mark.parametrize("dtype", DTYPES)
def test_slice_static_corpus_form(dtype):
    x = sample((128, 128), dtype)
    out = run("slice_static", "begins = [32 : i32, 0 : i32], ends = [64 : i32, 128 : i32], step = [1 : i32, 1 : i32]",
              [x], [tensor((128, 128), dtype)], tensor((32, 128), dtype))
    assert out.dtype == x.dtype and np.array_equal(out, x[32:64, :])


def test_slice_static_steps_hand_values():
    x = np.arange(10, dtype=np.int32).reshape(1, 10)
    out = run("slice_static", "begins = [0 : i32, 1 : i32], ends = [1 : i32, 9 : i32], step = [1 : i32, 3 : i32]",
              [x], [tensor((1, 10), "si32")], tensor((1, 3), "si32"))
    assert out.tolist() == [[1, 4, 7]]


def test_slice_dynamic_takes_bounds_from_tensors():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    begins, ends = np.array([1, 0], np.int32), np.array([3, 4], np.int32)
    out = run("slice_dynamic", "step = [1 : i32, 2 : i32]", [x, begins, ends],
              [tensor((3, 4), "f32"), tensor((2,), "si32"), tensor((2,), "si32")], tensor((2, 2), "f32"))
    assert out.tolist() == [[4.0, 6.0], [8.0, 10.0]]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 3, -1])
def test_concat_variadic_matches_torch(torch, dim, dtype):
    shapes = [(1, 1, 4, 64), (1, 1, 4, 32), (1, 1, 4, 16)] if dim != 0 else [(1, 1, 4, 8), (2, 1, 4, 8), (3, 1, 4, 8)]
    xs = [sample(s, dtype, seed=i) for i, s in enumerate(shapes)]
    out_shape = tuple(torch.cat([torch.zeros(s) for s in shapes], dim=dim).shape)
    out = run("concat", f"dim = {dim} : si32", xs, [tensor(s, dtype) for s in shapes], tensor(out_shape, dtype))
    ref = torch.cat([torch.from_numpy(x.astype(np.float64)) for x in xs], dim=dim).numpy().astype(xs[0].dtype)
    assert out.dtype == xs[0].dtype and np.array_equal(out, ref)


@pytest.mark.parametrize("dtype", DTYPES)
def test_repeat_shape_attr_matches_torch(torch, dtype):
    x = sample((1, 1, 1, 2), dtype)
    out = run("repeat", "repeat_dims = #ttnn.shape<8x1x3x1>", [x], [tensor((1, 1, 1, 2), dtype)],
              tensor((8, 1, 3, 2), dtype))
    ref = torch.from_numpy(x.astype(np.float64)).repeat(8, 1, 3, 1).numpy().astype(x.dtype)
    assert out.dtype == x.dtype and np.array_equal(out, ref)


def test_repeat_tiles_whole_tensor_hand_values():
    x = np.array([[1, 2]], np.int32)
    out = run("repeat", "repeat_dims = #ttnn.shape<2x2>", [x], [tensor((1, 2), "si32")], tensor((2, 4), "si32"))
    assert out.tolist() == [[1, 2, 1, 2], [1, 2, 1, 2]]


def test_repeat_interleave_hand_values():
    x = np.array([[1, 2], [3, 4]], np.float32)
    out = run("repeat_interleave", "repeats = 2 : ui32, dim = 1 : si32", [x], [tensor((2, 2), "f32")],
              tensor((2, 4), "f32"))
    assert out.tolist() == [[1, 1, 2, 2], [3, 3, 4, 4]]


@pytest.mark.parametrize("index_dtype,out_dtype", [("f32", "f32"), ("ui32", "bf16"), ("si32", "bf16")])
def test_embedding_gathers_rows(torch, index_dtype, out_dtype):
    # corpus: (tensor<32x10xui32>, tensor<100x32xf32>) -> tensor<32x10x32xbf16>
    weight = np.random.default_rng(0).standard_normal((100, 32)).astype(np.float32)
    indices = np.random.default_rng(1).integers(0, 100, size=(32, 10)).astype(storage_dtype(index_dtype))
    out = run("embedding", "", [indices, weight], [tensor((32, 10), index_dtype), tensor((100, 32), "f32")],
              tensor((32, 10, 32), out_dtype))
    ref = torch.nn.functional.embedding(torch.from_numpy(indices.astype(np.int64)), torch.from_numpy(weight))
    assert out.dtype == storage_dtype(out_dtype) and out.shape == (32, 10, 32)
    assert np.array_equal(out, ref.numpy().astype(out.dtype))


def test_embedding_hand_values_and_4d_weight():
    weight = np.array([[0.0, 0.5], [1.0, 1.5], [2.0, 2.5]], np.float32).reshape(1, 1, 3, 2)
    indices = np.array([[2, 0, 1]], np.float32)
    out = run("embedding", "", [indices, weight], [tensor((1, 3), "f32"), tensor((1, 1, 3, 2), "f32")],
              tensor((1, 3, 2), "f32"))
    assert out.tolist() == [[[2.0, 2.5], [0.0, 0.5], [1.0, 1.5]]]


def test_gather_along_dim_hand_values():
    x = np.array([[10, 11, 12], [20, 21, 22]], np.float32)
    index = np.array([[2, 0], [1, 1]], np.uint32)
    out = run("gather", "dim = -1 : si32", [x, index], [tensor((2, 3), "f32"), tensor((2, 2), "ui32")],
              tensor((2, 2), "f32"))
    assert out.tolist() == [[12.0, 10.0], [21.0, 21.0]]


# creation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["bf16", "f32", "si32"])
@pytest.mark.parametrize("name,attrs,value", [
    ("full", "shape = #ttnn.shape<4x8>, fill_value = 7.0 : f32", 7.0),
    ("full", "fill_value = 5.000000e-01 : f32, layout = #ttnn.layout<tile>, shape = #ttnn.shape<4x8>", 0.5),
    ("full", "fill_value = 0 : i32, shape = #ttnn.shape<4x8>", 0.0),
    ("ones", "shape = #ttnn.shape<4x8>", 1.0),
    ("zeros", "layout = #ttnn.layout<row_major>, shape = #ttnn.shape<4x8>", 0.0),
    ("empty", "layout = #ttnn.layout<tile>, shape = #ttnn.shape<4x8>", 0.0),
])
def test_creation_ops_fill_the_result(name, attrs, value, dtype):
    out = run(name, attrs, [], [], tensor((4, 8), dtype))
    assert out.dtype == storage_dtype(dtype) and out.shape == (4, 8)
    assert np.all(out == np.asarray(value).astype(out.dtype))


def test_full_with_device_operand_and_nan_hex_value():
    op = PARSER.parse('%1 = "ttnn.full"(%0) <{fill_value = 0x7FC00000 : f32, shape = #ttnn.shape<2x2>}>'
                      ' : (!ttnn.device) -> tensor<2x2xbf16>')
    (out,) = Executor().run_op(op, [np.zeros(0, np.float32)])
    assert out.dtype == BF16 and np.isnan(out.astype(np.float32)).all()


@pytest.mark.parametrize("dtype", ["bf16", "f32", "si32"])
@pytest.mark.parametrize("shape", [(32,), (1, 1, 1, 32)])
def test_arange(shape, dtype):
    out = run("arange", "end = 64 : si64, layout = #ttnn.layout<tile>, start = 0 : si64, step = 2 : si64", [], [],
              tensor(shape, dtype))
    assert out.dtype == storage_dtype(dtype) and out.shape == shape
    assert out.ravel().astype(np.float64).tolist() == list(range(0, 64, 2))
