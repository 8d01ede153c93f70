"""Resize: ``ttnn.upsample`` on NHWC tensors (tt-mlir ``TTNNOps.td``): ``scale_factor`` one int or
[s_h, s_w]; ``mode`` nearest or bilinear."""

from __future__ import annotations

from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.upsample")
@dataclass(slots=True)
class Upsample(TTNNOp):
    scale_factor: tuple[int, ...] | None = attr(kind="ints")
    mode: str = attr(kind="text", default="nearest")

    def scales(self, in_hw: tuple[int, int] | None = None) -> tuple[int, int]:
        """(s_h, s_w). A single scale is read off the result's spatial shape when it and the input's
        (``in_hw``, else the input type's) are known (NHWC: ``Ho // H``, ``Wo // W``), else applied to
        both axes; absent is 1."""
        s = self.scale_factor or (1,)
        if len(s) >= 2:
            return s[0], s[1]
        x, y = self.input(0), self.output(0)
        if in_hw is None and x is not None and len(x.shape) == 4:
            in_hw = (x.shape[1], x.shape[2])
        if in_hw and min(in_hw) > 0 and y is not None and len(y.shape) == 4 and y.shape[1] > 0 and y.shape[2] > 0:
            return y.shape[1] // in_hw[0], y.shape[2] // in_hw[1]
        return s[0], s[0]
