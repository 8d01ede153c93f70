"""Transformer ops (tt-mlir ``TTNNOps.td``): scaled dot-product attention (plain and chunked prefill),
``nlp_concat_heads`` / ``nlp_concat_heads_decode`` and ``rotary_embedding_llama``.

Operand order as tt-mlir prints them: SDPA ``(query, key, value, [attention_mask], [attention_sink])``
placed by ``operandSegmentSizes``; chunked SDPA ``(query, key, value, page_table, chunk_start_idx)``;
rotary embedding ``(input, cos, sin, trans_mat)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op


@dataclass(slots=True)
class _Attention(TTNNOp):
    scale: float | None = attr(kind="float")
    program_config: Config | None = attr(kind="config")
    compute_config: Config | None = attr(kind="config")

    def chunk_sizes(self) -> tuple[int | None, int | None]:
        """(q_chunk_size, k_chunk_size) from an SDPA program config; None where not given."""
        cfg = self.program_config
        if cfg is None:
            return None, None
        return cfg.int("q_chunk_size"), cfg.int("k_chunk_size")

    def program_grid(self) -> tuple[int, int] | None:
        """The program config's ``compute_with_storage_grid_size`` (x, y), when given."""
        return self.program_config.grid("compute_with_storage_grid_size") if self.program_config else None


@ttnn_op("ttnn.scaled_dot_product_attention")
@dataclass(slots=True)
class ScaledDotProductAttention(_Attention):
    """Prefill SDPA. ``attention_mask`` / ``attention_sink`` are optional operands (segments 4 and 5)."""

    is_causal: bool = attr(kind="bool", default=True)
    sliding_window_size: int | None = attr()
    segment_sizes: tuple[int, ...] | None = attr("operandSegmentSizes", kind="ints")

    def operand_slots(self, given: int) -> list[int | None]:
        """Index of the operand filling each of the 5 segments (q, k, v, mask, sink), None when absent."""
        sizes = self.segment_sizes or (1,) * given + (0,) * max(0, 5 - given)
        out: list[int | None] = []
        position = 0
        for size in sizes:
            out.append(position if size else None)
            position += size
        return out


@ttnn_op("ttnn.chunked_scaled_dot_product_attention")
@dataclass(slots=True)
class ChunkedScaledDotProductAttention(_Attention):
    """Chunked (paged-KV) prefill SDPA; always causal in ttnn."""


@ttnn_op("ttnn.nlp_concat_heads")
@dataclass(slots=True)
class NLPConcatHeads(TTNNOp):
    """``[B, heads, S, head_dim]`` -> ``[B, 1, S, heads * head_dim]``; no attributes read."""


@ttnn_op("ttnn.nlp_concat_heads_decode")
@dataclass(slots=True)
class NLPConcatHeadsDecode(TTNNOp):
    num_heads: int | None = attr()


@ttnn_op("ttnn.rotary_embedding_llama")
@dataclass(slots=True)
class RotaryEmbeddingLlama(TTNNOp):
    is_decode_mode: bool = attr(kind="bool", default=False)
    compute_config: Config | None = attr(kind="config")


@ttnn_op("ttnn.concatenate_heads")
@dataclass(slots=True)
class ConcatenateHeads(TTNNOp):
    """``[B, heads, S, head_dim]`` -> ``[B, S, heads * head_dim]`` (ttnn runs ``nlp_concat_heads`` and squeezes
    dim 1); no attributes read."""


@ttnn_op("ttnn.split_query_key_value_and_split_heads")
@dataclass(slots=True)
class SplitQueryKeyValueAndSplitHeads(TTNNOp):
    """``[B, S, 3·hidden]`` (or Q ``[B, S, hidden]`` with a KV input ``[B, S, 2·hidden]``) -> Q, K, V heads.
    Operands ``(input_tensor, [kv_input_tensor])``; ``num_kv_heads`` optional."""

    num_heads: int | None = attr()
    num_kv_heads: int | None = attr()
    transpose_key: bool = attr(kind="bool", default=False)

    @property
    def has_kv_input(self) -> bool:
        return len(self.inputs) > 1
