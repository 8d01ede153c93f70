"""Data movement and creation: permute, transpose, reshape, pad, slice, repeat, repeat_interleave, concat,
gather, full, arange (tt-mlir ``TTNNOps.td``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.permute")
@dataclass(slots=True)
class Permute(TTNNOp):
    permutation: tuple[int, ...] | None = attr(kind="ints")

    def verify(self) -> list[str]:
        """tt-metal ``permute``: the permutation reorders every dim of the input once."""
        x = self.input(0)
        if x is None or self.permutation is None:
            return [] if x is None else ["no permutation attribute"]
        rank = len(x.shape)
        norm = sorted(p % rank for p in self.permutation) if rank else []
        return [] if norm == list(range(rank)) else [f"{list(self.permutation)} is not a permutation of {rank} dims"]


@ttnn_op("ttnn.transpose")
@dataclass(slots=True)
class Transpose(TTNNOp):
    dim0: int | None = attr()
    dim1: int | None = attr()


@ttnn_op("ttnn.reshape")
@dataclass(slots=True)
class Reshape(TTNNOp):
    shape: tuple[int, ...] | None = attr(kind="ints")

    def verify(self) -> list[str]:
        """tt-metal ``infer_dims_for_reshape``: the logical volumes of input and requested shape agree
        (one ``-1`` is inferred)."""
        x = self.input(0)
        if x is None or self.shape is None or any(d < 0 for d in x.shape) or list(self.shape).count(-1) > 1:
            return []
        known = math.prod(d for d in self.shape if d != -1)
        vol = math.prod(x.shape)
        if -1 in self.shape:
            return [] if known and vol % known == 0 else [f"cannot infer -1: volume {vol:,} / {known:,}"]
        return [] if known == vol else [f"volume {vol:,} of {list(x.shape)} != {known:,} of {list(self.shape)}"]


@ttnn_op("ttnn.pad")
@dataclass(slots=True)
class Pad(TTNNOp):
    """``padding`` is (front, back) per dim from dim 0, flattened; ``value`` the fill (a hex bit pattern
    such as ``0x7FC00000 : f32`` decodes to NaN); ``use_multicore`` None when the op does not carry it."""

    padding: tuple[int, ...] | None = attr(kind="ints")
    value: float = attr(kind="float", default=0.0)
    use_multicore: bool | None = attr(kind="bool", default=None)

    def pairs(self) -> list[tuple[int, int]]:
        """[(front, back)] per dim, from dim 0; an odd trailing value is dropped."""
        p = self.padding or ()
        return [(p[i], p[i + 1]) for i in range(0, len(p) - 1, 2)]


@ttnn_op("ttnn.slice_static", "ttnn.slice")
@dataclass(slots=True)
class Slice(TTNNOp):
    """``x[begins[i]:ends[i]:step[i]]`` per dim."""

    begins: tuple[int, ...] | None = attr(kind="ints")
    ends: tuple[int, ...] | None = attr(kind="ints")
    step: tuple[int, ...] | None = attr(kind="ints")

    @property
    def steps(self) -> tuple[int, ...]:
        """``step``, or 1 per dim of ``begins`` when absent."""
        return self.step or (1,) * len(self.begins or ())


@ttnn_op("ttnn.slice_dynamic")
@dataclass(slots=True)
class SliceDynamic(TTNNOp):
    """As ``slice_static`` with begins / ends given as 1-D tensor operands; ``step`` optional."""

    step: tuple[int, ...] | None = attr(kind="ints")


@ttnn_op("ttnn.repeat")
@dataclass(slots=True)
class Repeat(TTNNOp):
    """The whole tensor tiled ``repeat_dims[i]`` times along dim i (``#ttnn.shape<2x1>``)."""

    repeat_dims: tuple[int, ...] | None = attr(kind="ints")


@ttnn_op("ttnn.repeat_interleave")
@dataclass(slots=True)
class RepeatInterleave(TTNNOp):
    """Each element repeated ``repeats`` times in place along ``dim``."""

    repeats: int | None = attr()
    dim: int | None = attr()


@ttnn_op("ttnn.gather")
@dataclass(slots=True)
class Gather(TTNNOp):
    """``out[..., i, ...] = x[..., index[..., i, ...], ...]`` along ``dim`` (torch.gather)."""

    dim: int | None = attr()


@ttnn_op("ttnn.full")
@dataclass(slots=True)
class Full(TTNNOp):
    """The result filled with ``fill_value``."""

    fill_value: float = attr(kind="float", default=0.0)


@ttnn_op("ttnn.arange")
@dataclass(slots=True)
class Arange(TTNNOp):
    """``start, start + step, ...`` below ``end``."""

    start: int = attr(default=0)
    end: int | None = attr()
    step: int = attr(default=1)


@ttnn_op("ttnn.concat")
@dataclass(slots=True)
class Concat(TTNNOp):
    dim: int | None = attr()

    def verify(self) -> list[str]:
        """tt-metal ``concat``: inputs of one rank that agree on every dim but ``dim``."""
        ins = [t for t in self.inputs if t is not None]
        if not ins or self.dim is None:
            return []
        rank = len(ins[0].shape)
        if any(len(t.shape) != rank for t in ins):
            return ["inputs differ in rank"]
        d = self.dim % rank if rank else 0
        bad = [list(t.shape) for t in ins if [s for i, s in enumerate(t.shape) if i != d]
               != [s for i, s in enumerate(ins[0].shape) if i != d]]
        return [f"input {b} differs from {list(ins[0].shape)} outside dim {self.dim}" for b in bad[:3]]
