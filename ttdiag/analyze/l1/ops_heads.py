"""CB models for the attention-head reshuffles ttnn exposes outside ``experimental``:
``ttnn.split_query_key_value_and_split_heads`` and ``ttnn.concatenate_heads`` (tt-mlir runtime
``runtime/lib/ttnn/operations/transformer/``, which calls ``ttnn::transformer::split_query_key_value_and_split_heads``
/ ``ttnn::transformer::concatenate_heads``).

Sources (tt-metal; commits are those ``read_file`` returned; "library id" where the index gave no commit):

* ``ttnn/cpp/ttnn/operations/transformer/split_query_key_value_and_split_heads/split_query_key_value_and_split_heads.cpp``
  ``SplitQueryKeyValueAndSplitHeadsOperation::invoke`` @012b38f8 (the copy read; older than Dec 2025, the
  routing is the one the OpModel figures confirm): a 3-D tiled input viewed as ``[B, 1, S, hidden]``;
  ``num_kv_heads`` given -> ``nlp_create_qkv_heads_falcon7b``; a sharded input -> ``create_qkv_heads``;
  otherwise ``nlp_create_qkv_heads`` (with the optional KV input).
* ``ttnn/cpp/ttnn/operations/experimental/transformer/nlp_create_qkv_heads/device/nlp_create_qkv_heads_program_factory.cpp``
  ``NlpCreateHeadsDeviceOperation::Interleaved::create`` @086f5b2f: ``num_blocks = B·1·S_padded / 32`` tile rows
  split over the grid (``split_work_to_cores``, column-major); on every core c_1 = 4 input tiles
  (``micro_block_size`` 1, "quadruple buffer everything"); with ``transpose_k_heads`` also c_0 = 4 and c_16 = 4
  tiles (the transpose_wh compute kernel's input and output). Page = the input dtype's tile.
* ``ttnn/cpp/ttnn/operations/transformer/concatenate_heads/concatenate_heads.cpp`` ``ExecuteConcatenateHeads::invoke``
  (@010ba922: ``operation::run`` of a ``NLPConcatHeadsDeviceOperation`` subclass; library id 24533451390, a later
  copy: ``ttnn::prim::nlp_concat_heads`` then ``squeeze(1)``, a view): the program is ``nlp_concat_heads``'s,
  modelled in :mod:`.ops_transformer`.

The figures agree with tt-metal's own ``cbSize`` in tt-mlir's OpModel tests (TestOpModelLib.cpp /
TestOpModelInterface.cpp @78b9ce3d, tt-metal f4163c25 of 2025-11-27). All byte figures are per core.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import ConcatenateHeads, SplitQueryKeyValueAndSplitHeads, decode
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1
from .ops_transformer import CONCAT_HEADS_SOURCE, _cb_sum, concat_heads_l1
from .registry import cb_model
from .tensors import operand, result
from .work_split import split_work_to_cores

_TR = "ttnn/cpp/ttnn/operations/transformer/"
SPLIT_QKV_SOURCES = [
    _TR + "split_query_key_value_and_split_heads/split_query_key_value_and_split_heads.cpp "
          "SplitQueryKeyValueAndSplitHeadsOperation::invoke @012b38f8 (routing)",
    "ttnn/cpp/ttnn/operations/experimental/transformer/nlp_create_qkv_heads/device/"
    "nlp_create_qkv_heads_program_factory.cpp NlpCreateHeadsDeviceOperation::Interleaved::create @086f5b2f",
]
CONCATENATE_HEADS_SOURCES = [
    _TR + "concatenate_heads/concatenate_heads.cpp ExecuteConcatenateHeads::invoke @010ba922 (runs nlp_concat_heads)",
    CONCAT_HEADS_SOURCE,
]
# nlp_create_qkv_heads_program_factory.cpp: micro_block_size = 1; cb_num_tiles = micro_block_size * 4
QKV_CB_TILES = 4


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


@cb_model("ttnn.split_query_key_value_and_split_heads")
def split_query_key_value_and_split_heads(op: Op, ctx: L1Context) -> OpL1:
    """Interleaved input: ``nlp_create_qkv_heads``'s Interleaved factory. c_1 = 4 tiles of the input dtype on
    every core of ``split_work_to_cores(B·S_padded / 32)``; ``transpose_key`` adds c_0 = 4 and c_16 = 4 tiles.
    ``num_kv_heads`` (the falcon-7b factory) and a sharded input (``create_qkv_heads``) are not read: estimates."""
    typed = decode(op)
    src = operand(op)
    if not isinstance(typed, SplitQueryKeyValueAndSplitHeads) or src is None:
        return generic_estimate(op, ctx)
    if len(src.shape) != 3:
        return _estimate(op, ctx, f"a rank-{len(src.shape)} input: ttnn requires [batch, sequence, hidden]")
    if not src.tiled:
        return _estimate(op, ctx, "row-major input: ttnn requires a tiled input")
    if typed.num_kv_heads is not None:
        return _estimate(op, ctx, "num_kv_heads given: ttnn runs nlp_create_qkv_heads_falcon7b (factory not read)")
    if src.sharded:
        return _estimate(op, ctx, "sharded input: ttnn runs create_qkv_heads (factory not read)")
    p = src.padded
    blocks = p[0] * p[1] // 32
    cbs = [CB(1, QKV_CB_TILES, src.tile_bytes, "input tiles (quadruple-buffered)")]
    if typed.transpose_key:
        cbs += [CB(0, QKV_CB_TILES, src.tile_bytes, "K tiles to transpose"),
                CB(16, QKV_CB_TILES, src.tile_bytes, "transposed K tiles")]
    groups = [CoreGroup(f"{label} ({n} tile rows/core)", cores, list(cbs))
              for label, cores, n in split_work_to_cores(ctx, blocks)]
    kv = "; separate KV input" if typed.has_kv_input else ""
    formula = [f"input {list(src.shape)} {src.dtype}: {blocks} tile rows of [B, 1, S, hidden] split over the grid"
               f"{kv}", "nlp_create_qkv_heads (interleaved): 4 tiles per CB" +
               (", K transposed (c_0, c_16)" if typed.transpose_key else ""), *_cb_sum(cbs)]
    return OpL1(op.id, op.name, op.program, "NlpCreateHeads Interleaved (nlp_create_qkv_heads)", "read-factory",
                groups, formula, list(SPLIT_QKV_SOURCES))


@cb_model("ttnn.concatenate_heads")
def concatenate_heads(op: Op, ctx: L1Context) -> OpL1:
    """``ExecuteConcatenateHeads::invoke`` runs ``nlp_concat_heads`` on the 4-D input (then squeezes dim 1, a
    view): the CBs of ``NLPConcatHeadsProgramFactory`` (c_0 = 2·heads·head_dim/32 input tiles, interleaved)."""
    typed = decode(op)
    src, dst = operand(op), result(op)
    if not isinstance(typed, ConcatenateHeads) or src is None or dst is None:
        return generic_estimate(op, ctx)
    res = concat_heads_l1(op, ctx, src, dst, list(CONCATENATE_HEADS_SOURCES))
    if res.confidence == "read-factory":
        res.factory = "NLPConcatHeadsProgramFactory (via concatenate_heads)"
    return res
