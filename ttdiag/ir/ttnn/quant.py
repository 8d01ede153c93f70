"""Quantization ops (tt-mlir ``TTNNOps.td``): ``ttnn.quantize(input, scale, zero_point)``,
``ttnn.dequantize(input, scale, zero_point)`` and ``ttnn.requantize(input, in_scale, in_zero_point, out_scale,
out_zero_point)``. ``axis`` is the per-channel axis (None: per-tensor); ``output_dtype`` the result dtype
(``#ttcore.supportedDataTypes<si32>`` -> ``si32``)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.quantize", "ttnn.dequantize", "ttnn.requantize")
@dataclass(slots=True)
class Quantization(TTNNOp):
    """Operand 0 is the tensor; the scales and zero points follow (two for (de)quantize, four for requantize)."""

    axis: int | None = attr()
    output_dtype: str | None = attr(kind="text")

    @property
    def per_channel(self) -> bool:
        return self.axis is not None

    def norm_axis(self, rank: int) -> int | None:
        """``axis`` as a non-negative index into ``range(rank)`` (None when per-tensor or out of range)."""
        if self.axis is None or not rank or not -rank <= self.axis < rank:
            return None
        return self.axis % rank
