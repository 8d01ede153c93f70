"""Typed ops of the reduce / norm / resize / eltwise / creation families, and the reference executor's
attribute access through them (one reader, one spelling rule per value kind)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ttdiag.ir.ttnn import (
    Arange,
    ClampScalar,
    Full,
    GroupNorm,
    LayerNorm,
    Pad,
    Reduction,
    Softmax,
    TopK,
    Upsample,
    decode,
)
from ttdiag.parse.mlir import OpLineParser
from ttdiag.reference.executor import Executor
from ttdiag.reference.registry import Call


def _op(name: str, attrs: str, ins: list[str], out: str, n_operands: int | None = None):
    operands = ", ".join(f"%{i}" for i in range(n_operands or len(ins)))
    return OpLineParser().parse(f'%9 = "ttnn.{name}"({operands}) <{{{attrs}}}> : ({", ".join(ins)}) -> {out}', 1, "m")


def test_reduction_dims_from_a_list_a_scalar_or_nothing():
    t = "tensor<2x3x4xbf16>"
    assert decode(_op("sum", "dim_arg = [1 : i32, -1 : i32], keep_dim = true", [t], t)).dims(3) == (1, 2)
    prod = decode(_op("prod", "dim_arg = -1 : si64, keep_dim = false", [t], "tensor<2x3xbf16>"))
    assert isinstance(prod, Reduction) and prod.dim_arg == (-1,) and prod.dims(3) == (2,) and not prod.keep_dim
    assert decode(_op("max", "keep_dim = false", [t], "tensor<bf16>")).dims(3) == (0, 1, 2)


def test_softmax_and_topk_defaults_and_verify():
    t = "tensor<2x8xbf16>"
    sm = decode(_op("softmax", "dimension = 1 : si32", [t], t))
    assert isinstance(sm, Softmax) and (sm.dimension, sm.numeric_stable) == (1, False)
    top = decode(_op("topk", "k = 9 : i32", [t], t))
    assert isinstance(top, TopK) and (top.dim, top.largest, top.sorted) == (-1, True, True)
    assert top.verify() == ["k 9 exceeds dim -1 of size 8"]


def test_norm_operand_segments():
    # operandSegmentSizes = [1, 0, 1]: input, no weight, bias -> operand 1 fills the bias slot
    t = "tensor<2x32xbf16>"
    n = decode(_op("layer_norm", "epsilon = 9.99999974E-6 : f32, operandSegmentSizes = array<i32: 1, 0, 1>",
                   [t, "tensor<32xbf16>"], t))
    assert isinstance(n, LayerNorm) and n.operand_slots(2) == [0, None, 1]
    assert math.isclose(n.epsilon, 1e-5, rel_tol=1e-6)
    # without the attribute, given operands fill the first slots; epsilon defaults to 1e-12
    plain = decode(_op("rms_norm", "", [t, "tensor<32xbf16>"], t))
    assert plain.operand_slots(2) == [0, 1, None] and plain.epsilon == 1e-12
    g = decode(_op("group_norm", "num_groups = 3 : i32", ["tensor<1x1x64x32xbf16>"], "tensor<1x1x64x32xbf16>"))
    assert isinstance(g, GroupNorm) and g.operand_slots(1) == [0, None, None, None]
    assert g.verify() == ["32 channels are not divisible by num_groups 3"]


def test_upsample_scales_from_one_factor_and_the_shapes():
    up = decode(_op("upsample", 'scale_factor = 2 : si32, mode = "bilinear"', ["tensor<1x4x6x8xbf16>"],
                    "tensor<1x8x18x8xbf16>"))
    assert isinstance(up, Upsample) and up.mode == "bilinear"
    assert up.scales() == (2, 3) and up.scales((8, 6)) == (1, 3)
    both = decode(_op("upsample", "scale_factor = array<i32: 2, 4>", ["tensor<1x4x6x8xbf16>"],
                      "tensor<1x8x24x8xbf16>"))
    assert both.scales() == (2, 4) and both.mode == "nearest"


def test_float_attributes_in_hex_bit_patterns():
    # MLIR prints NaN / inf as bit patterns: 0x7FC00000 : f32 is NaN, 0xFF80 : bf16 is -inf (top half of f32)
    t = "tensor<2x2xf32>"
    pad = decode(_op("pad", "padding = array<i32: 0, 1, 1, 0>, value = 0x7FC00000 : f32", [t], "tensor<3x3xf32>"))
    assert isinstance(pad, Pad) and math.isnan(pad.value) and pad.pairs() == [(0, 1), (1, 0)]
    full = decode(_op("full", "fill_value = 0xFF80 : bf16", [], "tensor<2xbf16>"))
    assert isinstance(full, Full) and full.fill_value == -math.inf
    clamp = decode(_op("clamp_scalar", "min = -1.500000e+00 : f32, max = 2.000000e+00 : f32", [t], t))
    assert isinstance(clamp, ClampScalar) and (clamp.min, clamp.max) == (-1.5, 2.0)
    ar = decode(_op("arange", "start = 2 : i64, end = 8 : i64, step = 3 : i64", [], "tensor<2xsi32>"))
    assert isinstance(ar, Arange) and (ar.start, ar.end, ar.step) == (2, 8, 3)


def test_reference_pad_fills_with_a_hex_nan_value():
    op = _op("pad", "padding = array<i32: 0, 1, 1, 0>, value = 0x7FC00000 : f32", ["tensor<2x2xf32>"],
             "tensor<3x3xf32>")
    (y,) = Executor().run_op(op, [np.arange(4, dtype=np.float32).reshape(2, 2)])
    assert y.shape == (3, 3) and np.isnan(y[:, 0]).all() and np.isnan(y[2]).all()
    assert np.array_equal(y[:2, 1:], [[0, 1], [2, 3]])


def test_call_reads_through_the_attribute_reader_and_the_typed_op():
    op = _op("sum", "dim_arg = [1 : i32], keep_dim = true", ["tensor<2x3xbf16>"], "tensor<2x1xbf16>")
    call = Call(op)
    assert call.ints("dim_arg") == (1,) and call.ints("absent", [0, 1]) == (0, 1) and call.ints("absent") is None
    assert call.bool("keep_dim") and call.int("absent", 7) == 7 and call.has("dim_arg")
    assert call.typed(Reduction).dims(2) == (1,)
    with pytest.raises(TypeError, match="ttnn.sum is not a Softmax op"):
        call.typed(Softmax)
