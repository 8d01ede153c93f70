"""CB models for ``ttnn.quantize``, ``ttnn.dequantize`` and ``ttnn.requantize`` with tensor scales and zero points.

tt-mlir's ops carry the scale and zero point as tensors, and its OpModel passes them to ``ttnn::quantize`` /
``dequantize`` / ``requantize`` as tensors. With tensor arguments tt-metal does not run its fused QUANT / DEQUANT /
REQUANT ``binary_ng`` program (that is the float / int scalar path) but a chain of element-wise programs, each
with its own CBs, freed before the next program's are made; the op's figure is the largest program's.

Sources (tt-metal):

* ``ttnn/cpp/ttnn/operations/eltwise/quantization/quantization.cpp`` ``QuantOp::invoke`` / ``RequantOp::invoke`` /
  ``DequantOp::invoke``, the late-2025 copy (no ``QueueId`` argument, int32-only outputs; code index, no commit):

  - quantize (input a, a block-float input typecast to bf16 first; output int32): per-tensor
    ``divide(a, scale [typecast to a's dtype])``, ``add(that, zero_point typecast to a's dtype)``,
    ``typecast(-> int32)``; per-channel (``axis``) the same after ``reshape_per_channel_vector_args`` turns each
    1-D vector into a tensor that is 1 except along ``axis`` (``typecast`` to a's dtype, then a reshape view);
  - dequantize (int32 input; output ``output_dtype``, default bf16): per-tensor ``subtract(a, zero_point)``
    (int32), ``typecast(-> output)``, ``multiply(that, scale typecast to the output dtype)``; per-channel
    ``typecast`` of the input and both vectors to float32, ``subtract``, ``multiply`` (float32), ``typecast(->
    output)``;
  - requantize (int32 in and out): with ``axis`` and four tensors the fused per-channel path: the four vectors
    typecast to float32 (reshaped when per-channel), ``divide(in_scale, out_scale)``, ``multiply(in_zero_point,
    that)``, ``subtract(out_zero_point, that)``, ``typecast(input -> float32)``, ``multiply`` by the scale ratio,
    ``add`` the zero point, ``typecast(-> int32)``; otherwise dequantize then quantize as above.
* ``binary_ng/device/binary_ng_program_factory.cpp`` ``BinaryNgDeviceOperation::ProgramFactory::create`` (late-2025
  copy, code index): on every worker-grid core c_0 = 2 tiles of a, c_1 = 2 tiles of b, c_2 = 2 tiles of the
  output; c_5 = 2 tiles of a for ROW_A / ROW_A_COL_B and c_6 = 2 tiles of b for ROW_B / ROW_B_COL_A subtile
  broadcasts (``get_subtile_broadcast_type`` on the logical H / W of a and b); c_3 / c_4 only for ops that
  pre-process an input, which add / subtract / multiply / divide here do not (``is_binary_sfpu_op``: divide is
  an SFPU op unless ``fast_and_approximate_mode``, which these calls leave off, so no reciprocal CB).
* typecast: ``TypecastProgramFactory`` (c_0 = 2 input tiles, c_2 = 2 output tiles on the
  ``split_work_to_cores`` cores; see ops_eltwise). A typecast to the tensor's own dtype is not counted
  (at most 4 tiles, never the peak next to a binary program's 6).

Checked against tt-mlir @78b9ce3d's OpModel ``cbSize`` (tt-metal late 2025): bf16 quantize 12,288 B per-tensor and
16,384 B per-channel (ROW_B: c_6 adds 2 x 2,048 B), dequantize 24,576 B per-tensor (int32 subtract) and 32,768 B
per-channel (float32 ROW_B subtract / multiply), requantize 24,576 / 32,768 B.

The 2026 copy (@0197d822: int8 / uint8 outputs, per-channel scales reshaped to float32 and fed to the fused
QUANT program when the zero point is a scalar) dispatches differently; for that era the figures are estimates
(``MetalEra.quantization_2026_dispatch``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...ir.graph import Op
from ...ir.ttnn import Quantization, decode
from ..layout import tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1
from .ops_eltwise import subtile_broadcast_type
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import all_grid_cores, split_work_to_cores

SOURCES = [
    "eltwise/quantization/quantization.cpp QuantOp / RequantOp / DequantOp::invoke (late-2025 copy, code index)",
    "eltwise/binary_ng/device/binary_ng_program_factory.cpp BinaryNgDeviceOperation::ProgramFactory::create "
    "(late-2025 copy, code index; c_5 / c_6 for row broadcasts)",
    "eltwise/binary_ng/device/binary_ng_device_operation.cpp is_binary_sfpu_op, get_subtile_broadcast_type "
    "(late-2025 copy)",
    "copy/typecast/device/typecast_program_factory.cpp TypecastProgramFactory::create_descriptor @0021b0dc",
]
_BLOCK_FLOAT = ("bfp_bf8", "bfp_bf4", "bfp_bf2")
_FLOAT = ("bf16", "f32", "f16", *_BLOCK_FLOAT)


@dataclass(frozen=True, slots=True)
class _T:
    """A tensor of the composite: logical shape and dtype (tiled)."""

    shape: tuple[int, ...]
    dtype: str

    @property
    def tile(self) -> int:
        return tile_bytes(self.dtype)

    @property
    def tiles(self) -> int:
        s = self.shape or (1,)
        h = s[-2] if len(s) >= 2 else 1
        return math.prod(s[:-2]) * math.ceil(h / 32) * math.ceil(s[-1] / 32)

    def cast(self, dtype: str) -> _T:
        return _T(self.shape, dtype)


def _t(f: TensorFacts) -> _T:
    return _T(tuple(f.shape), f.dtype)


def subtile_broadcast(a: _T, b: _T) -> str:
    """``get_subtile_broadcast_type`` of the binary_ng program between ``a`` and ``b`` (ops_eltwise)."""
    return subtile_broadcast_type(a.shape, b.shape)


def _bcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    n = max(len(a), len(b))
    a1, b1 = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    return tuple(max(x, y) for x, y in zip(a1, b1, strict=True))


class _Chain:
    """The programs of one composite, in order: (label, CBs, cores)."""

    def __init__(self, ctx: L1Context) -> None:
        self.ctx = ctx
        self.groups: list[CoreGroup] = []

    def typecast(self, x: _T, dtype: str, what: str) -> _T:
        if x.dtype == dtype:
            return x
        cbs = [CB(0, 2, x.tile, f"{what} ({x.dtype})"), CB(2, 2, tile_bytes(dtype), f"{what} ({dtype})")]
        split = split_work_to_cores(self.ctx, x.tiles)
        cores = [c for _, cs, _ in split for c in cs]
        self.groups.append(CoreGroup(f"typecast {what} {x.dtype} -> {dtype}", cores, cbs))
        return x.cast(dtype)

    def binary(self, name: str, a: _T, b: _T, out_dtype: str | None = None) -> _T:
        c = _T(_bcast_shape(a.shape, b.shape), out_dtype or a.dtype)
        kind = subtile_broadcast(a, b)
        cbs = [CB(0, 2, a.tile, "input a")]
        cbs.append(CB(1, 2, b.tile, "input b"))
        if kind in ("ROW_A", "ROW_A_COL_B"):
            cbs.append(CB(5, 2, a.tile, "a row broadcast"))
        if kind in ("ROW_B", "ROW_B_COL_A"):
            cbs.append(CB(6, 2, b.tile, "b row broadcast"))
        cbs.append(CB(2, 2, c.tile, "output"))
        label = f"{name} ({a.dtype}, {b.dtype} -> {c.dtype}" + ("" if kind == "NONE" else f", {kind}") + ")"
        self.groups.append(CoreGroup(label, all_grid_cores(self.ctx), cbs))
        return c


def _per_channel_vector(v: _T, like: _T, axis: int) -> _T:
    """``reshape_per_channel_vector_args``: the 1-D vector viewed as ``like``'s rank, 1 except along ``axis``."""
    return _T(tuple(d if i == axis else 1 for i, d in enumerate(like.shape)), v.dtype)


def quantize_chain(ch: _Chain, a: _T, scale: _T, zp: _T, axis: int | None, out_dtype: str) -> _T:
    if a.dtype in _BLOCK_FLOAT:
        a = ch.typecast(a, "bf16", "input")
    if axis is not None:
        scale = _per_channel_vector(ch.typecast(scale, a.dtype, "scale"), a, axis)
        zp = _per_channel_vector(ch.typecast(zp, a.dtype, "zero point"), a, axis)
        scaled = ch.binary("divide", a, scale, a.dtype)
        shifted = ch.binary("add", scaled, zp)
    else:
        scaled = ch.binary("divide", a, ch.typecast(scale, a.dtype, "scale"), a.dtype)
        shifted = ch.binary("add", scaled, ch.typecast(zp, a.dtype, "zero point"), a.dtype)
    return ch.typecast(shifted, out_dtype, "result")


def dequantize_chain(ch: _Chain, a: _T, scale: _T, zp: _T, axis: int | None, out_dtype: str) -> _T:
    if axis is not None:
        scale = _per_channel_vector(ch.typecast(scale, "f32", "scale"), a, axis)
        zp = _per_channel_vector(ch.typecast(zp, "f32", "zero point"), a, axis)
        shifted = ch.binary("subtract", ch.typecast(a, "f32", "input"), zp)
        return ch.typecast(ch.binary("multiply", shifted, scale), out_dtype, "result")
    shifted = ch.typecast(ch.binary("subtract", a, zp), out_dtype, "shifted input")
    return ch.binary("multiply", shifted, ch.typecast(scale, out_dtype, "scale"), out_dtype)


def requantize_chain(ch: _Chain, a: _T, s_in: _T, z_in: _T, s_out: _T, z_out: _T, axis: int | None) -> _T:
    if axis is not None:
        n = a.shape[axis]

        def full(v: _T, what: str) -> _T:
            f = ch.typecast(v, "f32", what)
            return _per_channel_vector(f, a, axis) if math.prod(v.shape or (1,)) == n else f

        s_in_f, z_in_f = full(s_in, "input scale"), full(z_in, "input zero point")
        s_out_f, z_out_f = full(s_out, "output scale"), full(z_out, "output zero point")
        ratio = ch.binary("divide", s_in_f, s_out_f)
        z_scaled = ch.binary("multiply", z_in_f, ratio)
        zp = ch.binary("subtract", z_out_f, z_scaled)
        scaled = ch.binary("multiply", ch.typecast(a, "f32", "input"), ratio)
        return ch.typecast(ch.binary("add", scaled, zp), "si32", "result")
    deq = dequantize_chain(ch, a, s_in, z_in, None, "bf16")
    return quantize_chain(ch, deq, s_out, z_out, None, "si32")


@cb_model("ttnn.quantize", "ttnn.dequantize", "ttnn.requantize")
def quantization(op: Op, ctx: L1Context) -> OpL1:
    """The quantization composites (module docstring): one core group per program, the largest is the peak."""
    typed = decode(op)
    n_args = 5 if op.name == "ttnn.requantize" else 3
    facts = [operand(op, i) for i in range(n_args)]
    dst = result(op, 0)
    if not isinstance(typed, Quantization) or dst is None or any(f is None for f in facts):
        return generic_estimate(op, ctx)
    ts = [f for f in facts if f is not None]
    if any(not f.tiled or f.sharded or f.buffer_type in ("system_memory", "system") or not f.dtype_known
           for f in (*ts, dst)):
        res = generic_estimate(op, ctx)
        res.formula.insert(0, f"{op.name}: only tiled interleaved tensors on device are modelled")
        return res
    a = _t(ts[0])
    axis = typed.norm_axis(len(a.shape))
    if typed.per_channel and axis is None:
        return generic_estimate(op, ctx)
    ch = _Chain(ctx)
    if op.name == "ttnn.quantize":
        quantize_chain(ch, a, _t(ts[1]), _t(ts[2]), axis, "si32")
    elif op.name == "ttnn.dequantize":
        out = typed.output_dtype or dst.dtype or "bf16"
        dequantize_chain(ch, a, _t(ts[1]), _t(ts[2]), axis, out)
    else:
        requantize_chain(ch, a, *(_t(t) for t in ts[1:]), axis)
    peak = max(ch.groups, key=lambda g: g.static_bytes)
    cb_line = " + ".join(f"c_{c.index} {c.pages} x {c.page_bytes:,}" for c in peak.cbs)
    kind = f"per-channel (axis {axis})" if axis is not None else "per-tensor"
    formula = [f"{len(ch.groups)} programs for {kind} scale and zero-point tensors; peak: {peak.label}",
               f"{cb_line} = {peak.static_bytes:,} B per core"]
    confidence = "read-factory"
    reasons = []
    if ctx.era.quantization_2026_dispatch:
        reasons.append("the 2026 quantization.cpp dispatches per-channel arguments differently (not modelled)")
    if a.dtype not in ("si32",) and op.name != "ttnn.quantize":
        reasons.append(f"{a.dtype} input: the late-2025 code takes int32 only")
    if op.name == "ttnn.quantize" and a.dtype not in _FLOAT:
        reasons.append(f"{a.dtype} input: quantize takes floating-point inputs")
    if reasons:
        confidence = "estimate"
        formula += [f"estimate: {r}" for r in reasons]
    formula.append("at run time tt-mlir may pass a per-tensor scale / zero point as numbers: then one fused "
                   "binary_ng program runs (not modelled)")
    return OpL1(op.id, op.name, op.program, "quantization composite (binary_ng + typecast programs)", confidence,
                ch.groups, formula, list(SOURCES))
