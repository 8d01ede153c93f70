"""Reductions, scans, softmax and sorting (tt-mlir ``TTNNOps.td``): the attributes the reference executor
reads. ``dim_arg`` is a list (``[1 : i32]``) on sum / mean / max / min and a scalar (``-1 : si64``) on
prod; either decodes to a tuple, and absent means every dim."""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.sum", "ttnn.mean", "ttnn.max", "ttnn.min", "ttnn.prod")
@dataclass(slots=True)
class Reduction(TTNNOp):
    """A reduction over ``dim_arg`` (None: all dims), keeping reduced dims as size 1 when ``keep_dim``."""

    dim_arg: tuple[int, ...] | None = attr(kind="ints")
    keep_dim: bool = attr(kind="bool", default=False)

    def dims(self, rank: int) -> tuple[int, ...]:
        """The reduced dims as sorted non-negative indices into ``range(rank)`` (all of them when absent)."""
        if not rank:
            return ()
        dims = range(rank) if self.dim_arg is None else self.dim_arg
        return tuple(sorted(d % rank for d in dims))


@ttnn_op("ttnn.argmax")
@dataclass(slots=True)
class ArgMax(TTNNOp):
    """``dim`` None: over the flattened tensor."""

    dim: int | None = attr()
    keep_dim: bool = attr(kind="bool", default=False)
    use_multicore: bool = attr(kind="bool", default=False)


@ttnn_op("ttnn.softmax")
@dataclass(slots=True)
class Softmax(TTNNOp):
    """Softmax along ``dimension`` (None when absent: over the whole tensor)."""

    dimension: int | None = attr()
    numeric_stable: bool = attr("numericStable", kind="bool", default=False)
    compute_config: Config | None = attr(kind="config")


@ttnn_op("ttnn.cumsum", "ttnn.moreh_cumsum", "ttnn.cumprod")
@dataclass(slots=True)
class Scan(TTNNOp):
    """A running sum / product along ``dim`` (None when absent: over the flattened tensor)."""

    dim: int | None = attr()


@ttnn_op("ttnn.sort")
@dataclass(slots=True)
class Sort(TTNNOp):
    """(values, indices) along ``dim``, ``descending``; ``stable`` keeps equal values in order."""

    dim: int = attr(default=-1)
    descending: bool = attr(kind="bool", default=False)
    stable: bool = attr(kind="bool", default=False)


@ttnn_op("ttnn.topk")
@dataclass(slots=True)
class TopK(TTNNOp):
    """The ``k`` largest (``largest``) or smallest values along ``dim`` and their indices."""

    k: int | None = attr()
    dim: int = attr(default=-1)
    largest: bool = attr(kind="bool", default=True)
    sorted: bool = attr(kind="bool", default=True)

    def verify(self) -> list[str]:
        """``k`` given, at least 1, and not more than the size of ``dim``."""
        x = self.input(0)
        if self.k is None:
            return ["no k attribute"]
        if self.k < 1:
            return [f"k must be at least 1, not {self.k}"]
        if x is not None and x.shape and -len(x.shape) <= self.dim < len(x.shape) and x.shape[self.dim] >= 0 \
                and self.k > x.shape[self.dim]:
            return [f"k {self.k} exceeds dim {self.dim} of size {x.shape[self.dim]}"]
        return []
