"""Element-wise ops whose attributes change the result (tt-mlir ``TTNNOps.td``); element-wise ops without
attributes stay generic."""

from __future__ import annotations

from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.leaky_relu")
@dataclass(slots=True)
class LeakyRelu(TTNNOp):
    """``parameter`` is the negative slope."""

    parameter: float = attr(kind="float", default=0.01)


@ttnn_op("ttnn.clamp_scalar")
@dataclass(slots=True)
class ClampScalar(TTNNOp):
    """``min(max(x, min), max)``."""

    min: float | None = attr(kind="float")
    max: float | None = attr(kind="float")
