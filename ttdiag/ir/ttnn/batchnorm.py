"""Batch normalisation (tt-mlir ``TTNNOps.td``): ``ttnn.batch_norm_inference(input, running_mean, running_var,
weight?, bias?)`` and ``ttnn.batch_norm_training(input, running_mean?, running_var?, weight?, bias?)``. Optional
operands are placed by ``operandSegmentSizes`` when the op carries it, otherwise the given operands fill the
slots in order."""

from __future__ import annotations

from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op

SLOTS = ("input", "running_mean", "running_var", "weight", "bias")


@ttnn_op("ttnn.batch_norm_inference", "ttnn.batch_norm_training")
@dataclass(slots=True)
class BatchNorm(TTNNOp):
    """``epsilon`` (ttnn default 1e-5); ``momentum`` (training only, default 0.1)."""

    epsilon: float = attr(kind="float", default=1e-5)
    momentum: float = attr(kind="float", default=0.1)
    segment_sizes: tuple[int, ...] | None = attr("operandSegmentSizes", kind="ints")

    @property
    def training(self) -> bool:
        return self.name == "ttnn.batch_norm_training"

    def slot(self, name: str) -> int | None:
        """The operand index filling slot ``name`` (one of ``SLOTS``), or None when that operand is absent."""
        given = len(self.inputs)
        sizes = self.segment_sizes or (1,) * given + (0,) * max(0, len(SLOTS) - given)
        position = 0
        for slot, size in zip(SLOTS, sizes, strict=False):
            if slot == name:
                return position if size and position < given else None
            position += size
        return None
