"""KV-cache ops (tt-mlir ``TTNNOps.td``): ``fill_cache`` / ``update_cache`` (ttnn ``kv_cache``) and the paged
forms ``paged_fill_cache`` / ``paged_update_cache`` (ttnn ``experimental::paged_cache``). They write into
their first operand (the cache) and return nothing.

Operand order as tt-mlir prints them: ``fill_cache(cache, input)``, ``update_cache(cache, input,
update_index)``, ``paged_update_cache(cache, input, update_index, page_table)``, ``paged_fill_cache(cache,
input, page_table, [batch_idx_tensor])``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import TTNNOp, attr, ttnn_op


@ttnn_op("ttnn.fill_cache")
@dataclass(slots=True)
class FillCache(TTNNOp):
    """Writes ``input`` ([1, heads, S, head_dim]) into the cache at batch ``batch_offset``."""

    batch_offset: int = attr(default=0)


@ttnn_op("ttnn.update_cache")
@dataclass(slots=True)
class UpdateCache(TTNNOp):
    """Writes one token per user (``input`` [1, heads, users, head_dim]) into the cache."""

    batch_offset: int = attr(default=0)


@ttnn_op("ttnn.paged_update_cache")
@dataclass(slots=True)
class PagedUpdateCache(TTNNOp):
    """One token per user into a paged cache (``input`` height-sharded, one user per core)."""

    share_cache: bool = attr(kind="bool", default=False)


@ttnn_op("ttnn.paged_fill_cache")
@dataclass(slots=True)
class PagedFillCache(TTNNOp):
    """A user's prompt into a paged cache; ``batch_idx_tensor`` (operand 3) optional."""

    @property
    def has_batch_idx_tensor(self) -> bool:
        return len(self.inputs) > 3
