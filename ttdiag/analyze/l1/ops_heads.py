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
* ``.../nlp_create_qkv_heads_falcon7b/device/nlp_create_qkv_heads_falcon7b_program_factory.cpp``
  ``NlpCreateQkvHeadsFalcon7BProgramFactory::create`` @041acfc4: c_0 = 2·(input width in tiles) on the cores of
  ``split_work_to_cores(B·S_padded / 32)``; its validate (``..._device_operation.cpp`` @03540028) accepts only
  a ``[B, 1, S, 4672]`` input (Falcon-7B), so other widths are rejected by ttnn.
* ``.../create_qkv_heads/device/create_qkv_heads_program_factory.cpp`` ``create_heads_combined_qkv_sharded``
  (@049d4f85, 2024, and the 2026 ProgramDescriptor copy, library id 54813226007: the same CBs, so the late-2025
  copy between them is taken to have them): c_0 / c_16 / c_17 / c_18 on the input and output shards; with
  ``transpose_k`` a static c_24 of ``k_size`` bytes.
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

import math

from ...ir.graph import Op
from ...ir.ttnn import ConcatenateHeads, SplitQueryKeyValueAndSplitHeads, decode
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum_lines, grid_cores
from .ops_transformer import CONCAT_HEADS_SOURCE, concat_heads_l1
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
_XTR = "ttnn/cpp/ttnn/operations/experimental/transformer/"
FALCON7B_SOURCE = (_XTR + "nlp_create_qkv_heads_falcon7b/device/nlp_create_qkv_heads_falcon7b_program_factory.cpp "
                   "NlpCreateQkvHeadsFalcon7BProgramFactory::create @041acfc4")
CREATE_QKV_SOURCE = (_XTR + "create_qkv_heads/device/create_qkv_heads_program_factory.cpp "
                     "create_heads_combined_qkv_sharded @049d4f85 (same CBs in the 2026 copy, commit not recorded)")
CONCATENATE_HEADS_SOURCES = [
    _TR + "concatenate_heads/concatenate_heads.cpp ExecuteConcatenateHeads::invoke @010ba922 (runs nlp_concat_heads)",
    CONCAT_HEADS_SOURCE,
]
# nlp_create_qkv_heads_program_factory.cpp: micro_block_size = 1; cb_num_tiles = micro_block_size * 4
QKV_CB_TILES = 4
# nlp_create_qkv_heads_falcon7b_device_operation.cpp @03540028 validate: input [B, 1, S, 4672] only ("Hard-coded
# for Falcon7B": 71 query heads + K + V of 64)
FALCON7B_WIDTH = 4672


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


@cb_model("ttnn.split_query_key_value_and_split_heads")
def split_query_key_value_and_split_heads(op: Op, ctx: L1Context) -> OpL1:
    """Interleaved input: ``nlp_create_qkv_heads``'s Interleaved factory. c_1 = 4 tiles of the input dtype on
    every core of ``split_work_to_cores(B·S_padded / 32)``; ``transpose_key`` adds c_0 = 4 and c_16 = 4 tiles.
    ``num_kv_heads`` runs the falcon-7b factory (:func:`_falcon7b`), a sharded input ``create_qkv_heads``
    (:func:`_create_qkv_heads_sharded`)."""
    typed = decode(op)
    src = operand(op)
    if not isinstance(typed, SplitQueryKeyValueAndSplitHeads) or src is None:
        return generic_estimate(op, ctx)
    if len(src.shape) != 3:
        return _estimate(op, ctx, f"a rank-{len(src.shape)} input: ttnn requires [batch, sequence, hidden]")
    if not src.tiled:
        return _estimate(op, ctx, "row-major input: ttnn requires a tiled input")
    if typed.num_kv_heads is not None:
        return _falcon7b(op, ctx, src)
    if src.sharded:
        return _create_qkv_heads_sharded(op, ctx, src, typed)
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
               (", K transposed (c_0, c_16)" if typed.transpose_key else ""), *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "NlpCreateHeads Interleaved (nlp_create_qkv_heads)", "read-factory",
                groups, formula, list(SPLIT_QKV_SOURCES))


def _falcon7b(op: Op, ctx: L1Context, src) -> OpL1:
    """``num_kv_heads`` given: ``NlpCreateQkvHeadsFalcon7BProgramFactory`` c_0 = 2·(input width in tiles) on the
    cores of ``split_work_to_cores(B·S_padded / 32)``."""
    p = src.padded
    if p[-1] != FALCON7B_WIDTH:
        return _estimate(op, ctx, f"num_kv_heads given: nlp_create_qkv_heads_falcon7b, whose validate accepts only "
                                  f"[B, 1, S, {FALCON7B_WIDTH}] (here {p[-1]} wide): ttnn rejects this op")
    wt = p[-1] // 32
    blocks = p[0] * p[1] // 32
    cbs = [CB(0, 2 * wt, src.tile_bytes, "input row of tiles (double-buffered)")]
    groups = [CoreGroup(f"{label} ({n} tile rows/core)", cores, list(cbs))
              for label, cores, n in split_work_to_cores(ctx, blocks)]
    formula = [f"num_kv_heads given: nlp_create_qkv_heads_falcon7b, {blocks} tile rows of {wt} tiles",
               *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "NlpCreateQkvHeadsFalcon7BProgramFactory", "read-factory", groups,
                formula, [SPLIT_QKV_SOURCES[0], FALCON7B_SOURCE])


def _create_qkv_heads_sharded(op: Op, ctx: L1Context, src, typed: SplitQueryKeyValueAndSplitHeads) -> OpL1:
    """A sharded input: ``create_qkv_heads`` (``create_heads_combined_qkv_sharded``) with q = kv = num_heads
    groups: c_0 is the input shard and c_16 / c_17 / c_18 the Q / K / V output shards (no static L1); with
    ``transpose_key`` c_24 = k_size = block_ht·(head_dim/32)·groups_per_block tiles, where the shard is block_ht x
    block_wt tiles and groups_per_block = block_wt / tiles_per_group (tiles_per_group = 3·head_dim/32)."""
    lay = op.operand_types[0].layout
    heads = typed.num_heads or 0
    hidden = src.padded[-1]
    if lay is None or not lay.memref_shape or len(lay.memref_shape) < 2 or not heads or hidden % (3 * heads):
        return _estimate(op, ctx, "sharded input whose shard or head size the IR does not give")
    head_dim = hidden // (3 * heads)
    block_ht, block_wt = lay.memref_shape[-2], lay.memref_shape[-1]
    tiles_per_group = 3 * head_dim // 32
    if not tiles_per_group or block_wt % tiles_per_group:
        return _estimate(op, ctx, f"a shard {block_wt} tiles wide does not hold whole head groups of "
                                  f"{tiles_per_group} tiles (ttnn rejects it)")
    ncores = min(math.prod(lay.grid) if lay.grid else 1, ctx.grid[0] * ctx.grid[1])
    cbs = [CB(0, block_ht * block_wt, src.tile_bytes, "input shard", globally_allocated=True)]
    if typed.transpose_key:
        k_tiles = block_ht * (head_dim // 32) * (block_wt // tiles_per_group)
        cbs.append(CB(24, k_tiles, src.tile_bytes, "K heads to transpose"))
    formula = [f"sharded input: create_qkv_heads, shard {block_ht} x {block_wt} tiles, head_dim {head_dim}",
               "c_0 and the Q/K/V CBs (c_16..c_18) are the shards", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "create_qkv_heads (sharded)", "read-factory",
                [CoreGroup(f"shard cores ({ncores})", grid_cores(ctx, ncores, row_wise=True), cbs)], formula,
                [SPLIT_QKV_SOURCES[0], CREATE_QKV_SOURCE])


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
