"""Normalisations (tt-mlir ``TTNNOps.td``): layer_norm, rms_norm, group_norm. Optional operands are placed
by ``operandSegmentSizes`` (``array<i32: 1, 1, 0>`` = input, weight, no bias); ``epsilon`` defaults to
1e-12 as in ttnn and the op definitions."""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op


@dataclass(slots=True)
class _Norm(TTNNOp):
    epsilon: float = attr(kind="float", default=1e-12)
    segment_sizes: tuple[int, ...] | None = attr("operandSegmentSizes", kind="ints")
    compute_config: Config | None = attr(kind="config")

    SEGMENTS = 3

    def operand_slots(self, given: int) -> list[int | None]:
        """For each declared operand segment, the index of the operand that fills it, or None when the
        optional operand is absent. Without ``operandSegmentSizes``, the ``given`` operands fill the first
        segments in order."""
        sizes = self.segment_sizes or (1,) * given + (0,) * max(0, self.SEGMENTS - given)
        out: list[int | None] = []
        position = 0
        for size in sizes:
            out.append(position if size else None)
            position += size
        return out


@ttnn_op("ttnn.layer_norm", "ttnn.rms_norm")
@dataclass(slots=True)
class LayerNorm(_Norm):
    """Operands: input, optional weight, optional bias; normalised over the last dim."""


@ttnn_op("ttnn.group_norm")
@dataclass(slots=True)
class GroupNorm(_Norm):
    """Operands: input ``[N, 1, H*W, C]``, optional input_mask, weight, bias (4 segments)."""

    num_groups: int | None = attr()

    SEGMENTS = 4

    def verify(self) -> list[str]:
        """``num_groups`` given and dividing the channel count (the input's last dim)."""
        if self.num_groups is None or self.num_groups < 1:
            return [f"num_groups must be a positive integer, not {self.num_groups}"]
        x = self.input(0)
        if x is not None and x.shape and x.shape[-1] >= 0 and x.shape[-1] % self.num_groups:
            return [f"{x.shape[-1]} channels are not divisible by num_groups {self.num_groups}"]
        return []


@ttnn_op("ttnn.layer_norm_pre_all_gather", "ttnn.rms_norm_pre_all_gather")
@dataclass(slots=True)
class NormPreAllGather(_Norm):
    """The local statistics half of a distributed norm. Operands: input, optional residual (added to the input
    before the statistics), optional reciprocals (Welford; segments as ``operandSegmentSizes`` says).
    ``use_2d_core_grid`` picks ttnn's 2-D factory; ``dtype`` the output dtype; ``program_config`` may ask for
    Welford (``use_welford``)."""

    use_2d_core_grid: bool = attr(kind="bool", default=False)
    dtype: str | None = attr(kind="text")
    program_config: Config | None = attr(kind="config")

    @property
    def is_rms(self) -> bool:
        return self.name == "ttnn.rms_norm_pre_all_gather"

    @property
    def use_welford(self) -> bool:
        return bool(self.program_config and self.program_config.bool("use_welford"))
