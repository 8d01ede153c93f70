"""Collective (CCL) and mesh ops (tt-mlir ``TTNNOps.td`` @31b7b0e4, Dec 2025): the attributes the runtime
passes to ttnn (``runtime/lib/ttnn/operations/ccl/*.cpp``).

* ``all_gather``: ``all_gather_dim``, ``cluster_axis``; optional ``num_links``, ``topology``
  (``#ttcore.topology<linear>`` / ``ring``), ``sub_device_id``, ``memory_config``.
* ``reduce_scatter``: ``reduce_type`` (``#ttcore.reduce_type<sum>``), ``scatter_dim``, ``cluster_axis``;
  the same optional ones, and (2026 dialect) ``compute_config``.
* ``all_reduce``: ``reduce_type``, ``cluster_axis``; the same optional ones.
* ``point_to_point``: ``sender_coord``, ``receiver_coord`` (mesh coordinates).
* ``mesh_shard``: ``shard_direction``, ``shard_type``, ``shard_shape``, ``shard_dims``.

The number of devices on the cluster axis (the "ring size") is not an attribute: for all_gather and
reduce_scatter it follows from the op's own types (ttnn's ``compute_output_specs`` multiplies / divides the
gathered / scattered dim by it); an all_reduce keeps its shape, so there it is unknown from the op alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op


def _dim_sizes(op: TTNNOp, dim: int | None) -> tuple[int, int] | None:
    """(input size, output size) of ``dim`` (negative counts from the end); None when unknown."""
    a, b = op.input(0), op.output(0)
    if dim is None or a is None or b is None or a.static_shape is None or b.static_shape is None:
        return None
    sa, sb = a.static_shape, b.static_shape
    if len(sa) != len(sb) or not sa or not -len(sa) <= dim < len(sa):
        return None
    return sa[dim], sb[dim]


@dataclass(slots=True)
class _Collective(TTNNOp):
    cluster_axis: int | None = attr()
    num_links: int | None = attr()
    topology: str | None = attr(kind="text")
    sub_device_id: int | None = attr()

    def dim_index(self, dim: int | None) -> int | None:
        """``dim`` as a non-negative index into the input's shape (None when unknown)."""
        a = self.input(0)
        if dim is None or a is None or a.static_shape is None or not a.static_shape:
            return None
        rank = len(a.static_shape)
        return dim % rank if -rank <= dim < rank else None


@ttnn_op("ttnn.all_gather")
@dataclass(slots=True)
class AllGather(_Collective):
    """Gathers ``all_gather_dim`` over the devices of ``cluster_axis``."""

    all_gather_dim: int | None = attr()

    @property
    def ring_size(self) -> int | None:
        """Devices on the cluster axis: output size / input size of the gathered dim."""
        s = _dim_sizes(self, self.all_gather_dim)
        return s[1] // s[0] if s and s[0] > 0 and s[1] % s[0] == 0 else None

    def verify(self) -> list[str]:
        """The gathered dim grows by a whole number of devices, more than one."""
        if self.all_gather_dim is None:
            return ["no all_gather_dim attribute"]
        s = _dim_sizes(self, self.all_gather_dim)
        if s is not None and (s[0] <= 0 or s[1] % s[0] or s[1] // s[0] < 2):
            return [f"gathered dim {self.all_gather_dim} goes from {s[0]} to {s[1]}: not a whole number of "
                    "devices above one (all_gather needs more than one device on the axis)"]
        return []


@ttnn_op("ttnn.reduce_scatter")
@dataclass(slots=True)
class ReduceScatter(_Collective):
    """Reduces (``reduce_type``) over the devices of ``cluster_axis`` and scatters ``scatter_dim``."""

    scatter_dim: int | None = attr()
    reduce_type: str | None = attr(kind="text")
    compute_config: Config | None = attr(kind="config")

    @property
    def ring_size(self) -> int | None:
        """Devices on the cluster axis: input size / output size of the scattered dim."""
        s = _dim_sizes(self, self.scatter_dim)
        return s[0] // s[1] if s and s[1] > 0 and s[0] % s[1] == 0 else None

    def verify(self) -> list[str]:
        if self.scatter_dim is None:
            return ["no scatter_dim attribute"]
        s = _dim_sizes(self, self.scatter_dim)
        if s is not None and (s[1] <= 0 or s[0] % s[1] or s[0] // s[1] < 2):
            return [f"scattered dim {self.scatter_dim} goes from {s[0]} to {s[1]}: not an even split over more "
                    "than one device"]
        return []


@ttnn_op("ttnn.all_reduce")
@dataclass(slots=True)
class AllReduce(_Collective):
    """Reduces (``reduce_type``) over the devices of ``cluster_axis``; the shape is unchanged."""

    reduce_type: str | None = attr(kind="text")

    def verify(self) -> list[str]:
        """tt-mlir's verifier accepts only sum (``AllReduceOp::verify`` @31b7b0e4: "Currently TTNN only
        supports the sum reduce types"); ttnn's ``all_reduce`` always sums."""
        if self.reduce_type is not None and self.reduce_type != "sum":
            return [f"reduce_type {self.reduce_type!r}: all_reduce only sums"]
        return []


@ttnn_op("ttnn.point_to_point")
@dataclass(slots=True)
class PointToPoint(TTNNOp):
    """Sends the input from the device at ``sender_coord`` to the one at ``receiver_coord``."""

    sender_coord: tuple[int, ...] | None = attr(kind="ints")
    receiver_coord: tuple[int, ...] | None = attr(kind="ints")


@ttnn_op("ttnn.mesh_shard")
@dataclass(slots=True)
class MeshShard(TTNNOp):
    shard_direction: str | None = attr(kind="text")
    shard_type: str | None = attr(kind="text")
    shard_shape: tuple[int, ...] | None = attr(kind="ints")
    shard_dims: tuple[int, ...] | None = attr(kind="ints")
