"""CB models for transformer ops: ``ttnn.scaled_dot_product_attention`` and its chunked (paged-KV) form,
``ttnn.nlp_concat_heads`` / ``nlp_concat_heads_decode`` and ``ttnn.rotary_embedding_llama`` (prefill).

Sources (tt-metal; commits are those ``read_file`` returned):

* ``ttnn/cpp/ttnn/operations/transformer/sdpa/device/sdpa_program_factory.cpp`` @000e7c05
  ``SDPAProgramFactory::create`` (2026: streaming compute, flexible chunked prefill), with
  ``sdpa_subblock_utils.hpp`` @37d02a42 ``determine_largest_subblock_size`` and ``sdpa/sdpa.cpp`` @00863da9
  (the Wormhole path: compute config defaulted by ``init_device_compute_kernel_config(.., HiFi2, true,
  false, false)``, so fp32 dest accumulation off; the chunked op is always causal). The Dec-2025 factory was not
  read (era switch ``sdpa_streaming_factory``).
* ``experimental/transformer/nlp_concat_heads/device/nlp_concat_heads_program_factory.cpp`` @0172564a
  ``NLPConcatHeadsProgramFactory::create``.
* ``experimental/transformer/nlp_concat_heads_decode/device/nlp_concat_heads_decode_program_factory.cpp``
  @003097f6 ``NLPConcatHeadsDecodeProgramFactory::create``; the factory choice and the output shard grid
  (``num_cores_to_corerangeset(num_heads, grid, row_wise)``) from ``nlp_concat_heads_decode_device_operation.cpp``
  @000b95ee.
* ``experimental/transformer/rotary_embedding_llama/device/rotary_embedding_llama_multi_core_program_factory.cpp``
  @0016fcf7 ``RotaryEmbeddingLlamaMultiCore::create`` (prefill, interleaved) and
  ``rotary_embedding_llama_sharded_program_factory.cpp`` @16f79f8a ``RotaryEmbeddingLlamaMultiCoreSharded`` (decode
  mode, height-sharded).

All byte figures are per core.
"""

from __future__ import annotations

import math

from ...ir.graph import Op
from ...ir.ttnn import (
    ChunkedScaledDotProductAttention,
    NLPConcatHeads,
    NLPConcatHeadsDecode,
    RotaryEmbeddingLlama,
    ScaledDotProductAttention,
    decode,
)
from ..layout import ceil_div, tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, cb_sum_lines, grid_cores
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import split_work_to_cores

_TR = "ttnn/cpp/ttnn/operations/experimental/transformer/"
SDPA_SOURCES = [
    "ttnn/cpp/ttnn/operations/transformer/sdpa/device/sdpa_program_factory.cpp SDPAProgramFactory::create @000e7c05",
    "ttnn/cpp/ttnn/operations/transformer/sdpa/device/sdpa_subblock_utils.hpp determine_largest_subblock_size "
    "@37d02a42",
    "ttnn/cpp/ttnn/operations/transformer/sdpa/sdpa.cpp @00863da9 (Wormhole: HiFi2, fp32 dest accumulation off; "
    "chunked is causal)",
]
CONCAT_HEADS_SOURCE = (_TR + "nlp_concat_heads/device/nlp_concat_heads_program_factory.cpp "
                       "NLPConcatHeadsProgramFactory::create @0172564a")
CONCAT_HEADS_DECODE_SOURCES = [
    _TR + "nlp_concat_heads_decode/device/nlp_concat_heads_decode_program_factory.cpp "
          "NLPConcatHeadsDecodeProgramFactory::create @003097f6",
    _TR + "nlp_concat_heads_decode/device/nlp_concat_heads_decode_device_operation.cpp @000b95ee "
          "(factory choice, output shard grid)",
]
ROPE_SOURCE = (_TR + "rotary_embedding_llama/device/rotary_embedding_llama_multi_core_program_factory.cpp "
               "RotaryEmbeddingLlamaMultiCore::create @0016fcf7")
ROPE_DECODE_SOURCE = (_TR + "rotary_embedding_llama/device/rotary_embedding_llama_sharded_program_factory.cpp "
                      "RotaryEmbeddingLlamaMultiCoreSharded::create_program_artifacts @16f79f8a (one buffer per "
                      "legacy CB descriptor)")

BF16_TILE = tile_bytes("bf16")
BFP4_TILE = tile_bytes("bfp_bf4")
# SDPA's program-config-less chunk sizes (sdpa_program_factory.cpp: ``program_config ? ... : 32``)
DEFAULT_CHUNK = 32
# SDPA subblock candidates in the order determine_largest_subblock_size tries them
_SUBBLOCKS = ((2, 4), (4, 2), (1, 8), (8, 1), (1, 7), (7, 1), (2, 3), (3, 2), (1, 6), (6, 1),
              (1, 5), (5, 1), (2, 2), (1, 4), (4, 1), (1, 3), (3, 1), (1, 2), (2, 1), (1, 1))


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


# -- scaled dot-product attention -----------------------------------------------------------------------------------
def largest_subblock(block_h: int, block_w: int, dst_size: int) -> tuple[int, int]:
    """``determine_largest_subblock_size``: the first (h, w) candidate with h·w <= dst_size dividing the block."""
    for h, w in _SUBBLOCKS:
        if h * w <= dst_size and block_h % h == 0 and block_w % w == 0:
            return h, w
    return 1, 1


def sdpa_cbs(ctx: L1Context, *, B: int, NQH: int, Sq: int, Sk: int, DH: int, q_chunk: int, k_chunk: int,
             causal: bool, t_q: int, t_k: int, t_v: int, t_out: int, mask_tile: int | None = None,
             sink_tile: int | None = None, sliding_window: int = 0, page_table_stick: int | None = None,
             flexible_chunked: bool = False, fp32_acc: bool = False,
             grid: tuple[int, int] | None = None) -> tuple[list[CB], dict]:
    """The SDPA prefill factory's CBs, in creation order (``SDPAProgramFactory::create`` @000e7c05).

    ``mask_tile``: tile bytes of a given attention mask (None: none given); ``sink_tile``: of an attention sink;
    ``page_table_stick``: bytes of a page-table row in chunked mode (None: not chunked). Returns (CBs, figures)."""
    gx, gy = grid or ctx.grid
    num_cores = gx * gy
    padded_sq = ceil_div(Sq, q_chunk) * q_chunk
    padded_sk = ceil_div(Sk, k_chunk) * k_chunk
    sq_t, sk_t = q_chunk // 32, k_chunk // 32
    dht = DH // 32
    vdht = dht
    q_num_chunks = padded_sq // q_chunk
    batch_pf = min(B, num_cores)
    nh_pf = min(num_cores // batch_pf, NQH)
    q_pf = min(num_cores // (batch_pf * nh_pf), q_num_chunks)
    q_per_core = ceil_div(q_num_chunks, q_pf)
    q_buffer_factor = 2 if q_per_core > 1 else 1
    dst_size = 4 if fp32_acc else 8
    sub_h, _ = largest_subblock(sq_t, sk_t, dst_size)
    provided_mask = mask_tile is not None
    chunked = page_table_stick is not None
    # can_use_streaming_compute
    streaming = not (causal or provided_mask or sink_tile is not None or sliding_window or chunked or fp32_acc)
    streaming = streaming and not (sub_h > 2 or sk_t % (8 // sub_h) != 0) and sq_t // sub_h > 1
    if streaming and padded_sk != Sk and (Sk % 32 != 0 or sq_t == 1):
        streaming = False
    padded_mask = (not causal) and (padded_sk != Sk or padded_sq != Sq)
    lightweight = streaming and padded_mask
    cbs = [CB(0, sq_t * dht * q_buffer_factor, t_q, "Q chunk"),
           CB(1, sk_t * dht * 2, t_k, "K chunk (double-buffered)"),
           CB(2, sk_t * vdht * 2, t_v, "V chunk (double-buffered)")]
    if provided_mask or causal or padded_mask:
        if lightweight:
            cbs.append(CB(3, 1, BF16_TILE, "mask (one -inf tile, bf16)"))
        else:
            m_tile = mask_tile if provided_mask else (BF16_TILE if streaming else BFP4_TILE)
            cbs.append(CB(3, sq_t * sk_t * 2, m_tile, "mask (double-buffered)"))
    cbs += [CB(5, 1, BF16_TILE, "identity scalar"), CB(7, 1, BF16_TILE, "identity column")]
    if chunked:
        cbs.append(CB(6, 1, page_table_stick, "page table row (int32)"))
    if flexible_chunked:
        cbs += [CB(8, 1, 32, "chunk start index (compute)"), CB(9, 1, 32, "chunk start index (writer)")]
    if sink_tile is not None:
        cbs.append(CB(4, sq_t, sink_tile, "attention sink"))
    if streaming:
        cbs.append(CB(4, 1, BF16_TILE, "reciprocal scratch"))
    cbs += [CB(24, sq_t * sk_t, BF16_TILE, "QK^T"), CB(25, sq_t * vdht, BF16_TILE, "out (intermediate)"),
            CB(26, sq_t * vdht, BF16_TILE, "out accumulator")]
    cbs += [CB(i, sq_t, BF16_TILE, name) for i, name in
            ((27, "cur max"), (28, "prev max"), (29, "cur sum"), (30, "prev sum"), (31, "exp(max diff)"))]
    cbs.append(CB(16, sq_t * vdht, t_out, "output"))
    figures = {"Sq_chunk_t": sq_t, "Sk_chunk_t": sk_t, "DHt": dht, "q_per_core": q_per_core,
               "streaming": streaming, "padded_mask": padded_mask, "cores": num_cores,
               "parallel": (batch_pf, nh_pf, q_pf)}
    return cbs, figures


def _sdpa_chunks(typed) -> tuple[int, int, bool]:
    q, k = typed.chunk_sizes()
    return q or DEFAULT_CHUNK, k or DEFAULT_CHUNK, q is not None or k is not None


def _fp32_acc(typed) -> tuple[bool, str | None]:
    """fp32 dest accumulation: off by default (sdpa.cpp); an explicit compute config's ``fp32_dest_acc_en``."""
    cfg = typed.compute_config
    if cfg is None:
        return False, None
    if cfg.has("fp32_dest_acc_en"):
        return cfg.bool("fp32_dest_acc_en"), None
    return False, "a compute config without fp32_dest_acc_en: its default was not read"


def _sdpa_result(op: Op, ctx: L1Context, cbs: list[CB], fig: dict, q: TensorFacts, k: TensorFacts,
                 qc: int, kc: int, why: list[str], extra: list[str], grid: tuple[int, int] | None) -> OpL1:
    b_pf, nh_pf, q_pf = fig["parallel"]
    formula = [f"Q {list(q.shape)}, K {list(k.shape)}: q/k chunks {qc}/{kc} -> Sq_chunk_t "
               f"{fig['Sq_chunk_t']}, Sk_chunk_t {fig['Sk_chunk_t']}, DHt {fig['DHt']}",
               f"{b_pf} x {nh_pf} x {q_pf} (batch x heads x q chunks) in parallel, {fig['q_per_core']} q "
               "chunk(s) per core" + ("; streaming compute" if fig["streaming"] else ""),
               *extra, *cb_sum_lines(cbs)]
    if not ctx.era.sdpa_streaming_factory:
        why.append("the Dec-2025 SDPA factory was not read (2026 factory used)")
    formula += [f"estimate: {w}" for w in why]
    gx, gy = grid or ctx.grid
    group = CoreGroup(f"{gx} x {gy} cores", grid_cores(ctx, gx * gy, row_wise=True, grid=(gx, gy)), cbs)
    return OpL1(op.id, op.name, op.program, "SDPAProgramFactory", "estimate" if why else "read-factory", [group],
                formula, list(SDPA_SOURCES))


def _sdpa_checks(tensors: list[TensorFacts | None]) -> list[str]:
    why = []
    for t in tensors:
        if t is None:
            continue
        if not t.tiled:
            why.append(f"a row-major {list(t.shape)} operand: ttnn tilizes it first (not modelled)")
        if t.sharded:
            why.append("a sharded operand: the factory reads interleaved tensors (not modelled)")
    return why


@cb_model("ttnn.scaled_dot_product_attention")
def scaled_dot_product_attention(op: Op, ctx: L1Context) -> OpL1:
    """Prefill SDPA on every worker core (``SDPAProgramFactory``; CBs are created on the whole grid):

    c_0 = Sq_chunk_t·DHt·(2 if a core has more than one q chunk else 1) Q tiles; c_1 / c_2 = 2·Sk_chunk_t·DHt K / V
    tiles; c_3 mask (causal, a given mask, or padded sequences without one) = 2·Sq_chunk_t·Sk_chunk_t tiles in the
    mask's dtype (bfp4 when generated; one bf16 tile on the streaming path); c_5, c_7 one bf16 tile each;
    c_4 attention sink (Sq_chunk_t tiles) or the streaming path's one-tile scratch; c_24 = Sq_chunk_t·Sk_chunk_t,
    c_25, c_26 = Sq_chunk_t·DHt, c_27..c_31 = Sq_chunk_t bf16 tiles; c_16 = Sq_chunk_t·DHt output tiles.
    Chunk sizes: the op's program config, else 32 x 32.
    """
    typed = decode(op)
    if not isinstance(typed, ScaledDotProductAttention):
        return generic_estimate(op, ctx)
    slots = typed.operand_slots(len(op.operand_types))
    q, k = operand(op, 0), operand(op, slots[1] if slots[1] is not None else 1)
    v = operand(op, slots[2] if len(slots) > 2 and slots[2] is not None else 2)
    out = result(op)
    mask = operand(op, slots[3]) if len(slots) > 3 and slots[3] is not None else None
    sink = operand(op, slots[4]) if len(slots) > 4 and slots[4] is not None else None
    if q is None or k is None or v is None or out is None or len(q.shape) != 4 or len(k.shape) != 4:
        return _estimate(op, ctx, "SDPA needs rank-4 Q, K and V of static shape")
    qc, kc, _ = _sdpa_chunks(typed)
    fp32, fp32_why = _fp32_acc(typed)
    B, NQH, Sq, DH = q.shape
    Sk = k.shape[2]
    cbs, fig = sdpa_cbs(ctx, B=B, NQH=NQH, Sq=Sq, Sk=Sk, DH=DH, q_chunk=qc, k_chunk=kc, causal=typed.is_causal,
                        t_q=q.tile_bytes, t_k=k.tile_bytes, t_v=v.tile_bytes, t_out=out.tile_bytes,
                        mask_tile=mask.tile_bytes if mask else None, sink_tile=sink.tile_bytes if sink else None,
                        sliding_window=typed.sliding_window_size or 0, fp32_acc=fp32, grid=typed.program_grid())
    why = _sdpa_checks([q, k, v, mask, out]) + ([fp32_why] if fp32_why else [])
    extra = []
    if mask is not None:
        extra.append("a given mask is first scaled by 1/scale (ttnn.multiply, its own program: not modelled)")
    return _sdpa_result(op, ctx, cbs, fig, q, k, qc, kc, why, extra, typed.program_grid())


@cb_model("ttnn.chunked_scaled_dot_product_attention")
def chunked_scaled_dot_product_attention(op: Op, ctx: L1Context) -> OpL1:
    """Chunked-prefill SDPA over a paged K/V cache, the chunk start read from a device tensor (ttnn's "flexible"
    overload, the one tt-mlir's runtime calls): the SDPA factory causal, with Sk = Sq + page-table blocks x block
    size, c_6 = one page-table row (blocks x 4 B, which the factory requires to be a multiple of 32) and
    c_8 / c_9 = 32 B each for the chunk start index (see :func:`scaled_dot_product_attention` for the rest).
    A rank-3 Q is not what the factory reads (it indexes Q as [B, NQH, Sq, DH]): estimate."""
    typed = decode(op)
    if not isinstance(typed, ChunkedScaledDotProductAttention):
        return generic_estimate(op, ctx)
    q, k, v, pt, out = operand(op, 0), operand(op, 1), operand(op, 2), operand(op, 3), result(op)
    if q is None or k is None or v is None or pt is None or out is None or len(q.shape) != 4 or len(k.shape) != 4:
        return _estimate(op, ctx, "chunked SDPA needs rank-4 Q and K/V and a page table of static shape")
    qc, kc, _ = _sdpa_chunks(typed)
    fp32, fp32_why = _fp32_acc(typed)
    B, NQH, Sq, DH = q.shape
    block = k.shape[2]
    max_blocks = pt.shape[-1] if len(pt.shape) >= 2 else 1
    Sk = Sq + max_blocks * block
    stick = max_blocks * 4
    cbs, fig = sdpa_cbs(ctx, B=B, NQH=NQH, Sq=Sq, Sk=Sk, DH=DH, q_chunk=qc, k_chunk=kc, causal=True,
                        t_q=q.tile_bytes, t_k=k.tile_bytes, t_v=v.tile_bytes, t_out=out.tile_bytes,
                        page_table_stick=stick, flexible_chunked=True, fp32_acc=fp32, grid=typed.program_grid())
    why = _sdpa_checks([q, k, v, out]) + ([fp32_why] if fp32_why else [])
    extra = [f"paged K/V: {max_blocks} blocks of {block} rows -> Sk = {Sq} + {max_blocks * block} = {Sk}; "
             f"page-table row {stick} B"]
    if stick % 32:
        extra.append(f"the factory rejects this page table: its row ({stick} B) is not a multiple of 32 B")
    return _sdpa_result(op, ctx, cbs, fig, q, k, qc, kc, why, extra, typed.program_grid())


# -- nlp_concat_heads --------------------------------------------------------------------------------------------------
@cb_model("ttnn.nlp_concat_heads")
def nlp_concat_heads(op: Op, ctx: L1Context) -> OpL1:
    """``NLPConcatHeadsProgramFactory``: input [B, heads, S, head_dim] (padded), per_tensor_tiles =
    heads·head_dim / 32, work = B·S/32 tile rows split over the grid (``split_work_to_cores``, column-major).
    Interleaved input: c_0 = 2·per_tensor_tiles input tiles (double-buffered); a sharded input backs c_0 with its
    shard and a sharded output backs c_16 (no static L1)."""
    typed = decode(op)
    src, dst = operand(op), result(op)
    if not isinstance(typed, NLPConcatHeads) or src is None or dst is None:
        return generic_estimate(op, ctx)
    return concat_heads_l1(op, ctx, src, dst, [CONCAT_HEADS_SOURCE])


def concat_heads_l1(op: Op, ctx: L1Context, src: TensorFacts, dst: TensorFacts, sources: list[str]) -> OpL1:
    """The CBs of ``NLPConcatHeadsProgramFactory`` for input ``src`` / output ``dst`` (shared with
    ``ttnn.concatenate_heads``, which runs the same device operation)."""
    if len(src.shape) != 4:
        return _estimate(op, ctx, f"a rank-{len(src.shape)} input: the factory reads [B, heads, S, head_dim]")
    if not src.tiled:
        return _estimate(op, ctx, "row-major input: the factory reads tiles (not modelled)")
    p = src.padded
    per_tensor = p[1] * p[3] // 32
    blocks = p[0] * p[2] // 32
    if src.sharded:
        return _estimate(op, ctx, "sharded input: c_0 is the input shard (shard grid not read here)")
    cbs = [CB(0, 2 * per_tensor, src.tile_bytes, "input tiles (double-buffered)")]
    if dst.sharded:
        cbs.append(CB(16, per_tensor, dst.tile_bytes, "output shard", globally_allocated=True))
    groups = [CoreGroup(f"{label} ({n} tile rows/core)", cores, list(cbs))
              for label, cores, n in split_work_to_cores(ctx, blocks)]
    formula = [f"input {list(src.shape)} {src.dtype}: per_tensor_tiles = {p[1]} x {p[3]} / 32 = {per_tensor}; "
               f"{blocks} tile rows", *cb_sum_lines(cbs)]
    return OpL1(op.id, op.name, op.program, "NLPConcatHeadsProgramFactory", "read-factory", groups, formula,
                sources)


@cb_model("ttnn.nlp_concat_heads_decode")
def nlp_concat_heads_decode(op: Op, ctx: L1Context) -> OpL1:
    """``NLPConcatHeadsDecodeProgramFactory``: one CB, c_16 = the output shard's tiles, backed by the
    (width-sharded, L1) output on its ``num_heads`` cores (row-wise from (0, 0)): no static L1. The input must be
    height-sharded (``validate``). An input shard grid not starting at core (0, 0) selects the sub-core-grid
    factory, which was not read; the layouts here are taken to start at (0, 0)."""
    typed = decode(op)
    src, dst = operand(op), result(op)
    if not isinstance(typed, NLPConcatHeadsDecode) or src is None or dst is None:
        return generic_estimate(op, ctx)
    if not (src.sharded and dst.sharded and dst.buffer_type == "l1"):
        return _estimate(op, ctx, "nlp_concat_heads_decode needs a height-sharded input and an L1 width-sharded "
                                  "output (ttnn rejects others)")
    heads = typed.num_heads or 1
    lay = op.result_types[0].layout
    shard_tiles = math.prod(lay.memref_shape[-2:]) if lay is not None and lay.memref_shape else 0
    cbs = [CB(16, shard_tiles, dst.tile_bytes, "output shard", globally_allocated=True)]
    group = CoreGroup(f"output shard cores ({heads})", grid_cores(ctx, heads, row_wise=True), cbs)
    formula = [f"c_16 = {shard_tiles} x {dst.tile_bytes:,} B on the output shard: no static L1 on {heads} cores"]
    return OpL1(op.id, op.name, op.program, "NLPConcatHeadsDecodeProgramFactory", "read-factory", [group], formula,
                list(CONCAT_HEADS_DECODE_SOURCES))


# -- rotary_embedding_llama --------------------------------------------------------------------------------------------
def rope_cbs(ctx: L1Context, *, batch: int, n_heads: int, seq_t: int, head_t: int, cos_heads: int, t_in: int,
             t_cos: int, t_sin: int, t_trans: int, t_out: int) -> tuple[list[CB], dict]:
    """``RotaryEmbeddingLlamaMultiCore::create`` (interleaved cos / sin / trans_mat), in creation order.

    rows per core = ceil(seq_t / min(cores / min(batch, cores), seq_t)); the reload kernel (rows·heads > 8, or
    cos/sin per head, i.e. cos.shape[1] == heads) sizes c_0, c_1, c_2 at 2·head_t tiles, else c_0 = rows·2·head_t
    and c_1, c_2 = 2·head_t·rows. c_3 = 1 trans_mat tile; c_24, c_25, c_26 = head_t tiles; c_16 = 2·head_t."""
    gx, gy = ctx.grid
    num_cores = gx * gy
    batch_pf = min(batch, num_cores)
    seq_pf = min(num_cores // batch_pf, seq_t)
    rows = ceil_div(seq_t, seq_pf)
    freq_per_head = cos_heads == n_heads
    reload = rows * n_heads > 8 or freq_per_head
    n_in = 2 * head_t
    in_tiles = n_in if reload else rows * n_in
    cos_tiles = n_in if reload else 2 * head_t * rows
    cbs = [CB(0, in_tiles, t_in, "input"), CB(1, cos_tiles, t_cos, "cos"), CB(2, cos_tiles, t_sin, "sin"),
           CB(3, 1, t_trans, "trans_mat"), CB(24, head_t, t_in, "rotated input"), CB(25, head_t, t_cos, "cos x"),
           CB(26, head_t, t_sin, "sin x"), CB(16, n_in, t_out, "output")]
    return cbs, {"rows": rows, "reload": reload, "cores": num_cores}


@cb_model("ttnn.rotary_embedding_llama")
def rotary_embedding_llama(op: Op, ctx: L1Context) -> OpL1:
    """Prefill ``rotary_embedding_llama`` (``RotaryEmbeddingLlamaMultiCore``, :func:`rope_cbs`), CBs on every
    worker core; sharded cos / sin / trans_mat in prefill are estimates. Decode mode: :func:`_rope_decode`."""
    typed = decode(op)
    x, cos, sin, trans, out = (operand(op, 0), operand(op, 1), operand(op, 2), operand(op, 3), result(op))
    if not isinstance(typed, RotaryEmbeddingLlama) or None in (x, cos, sin, trans, out):
        return generic_estimate(op, ctx)
    if typed.is_decode_mode:
        return _rope_decode(op, ctx, x, cos, sin, trans, out)
    if len(x.shape) != 4 or len(cos.shape) != 4:
        return _estimate(op, ctx, "rotary_embedding_llama reads rank-4 input and cos")
    p = x.padded
    cbs, fig = rope_cbs(ctx, batch=p[0], n_heads=p[1], seq_t=p[2] // 32, head_t=p[3] // 32, cos_heads=cos.padded[1],
                        t_in=x.tile_bytes, t_cos=cos.tile_bytes, t_sin=sin.tile_bytes, t_trans=trans.tile_bytes,
                        t_out=out.tile_bytes)
    formula = [f"input {list(x.shape)}: head_dim_t {p[3] // 32}, {fig['rows']} sin/cos row(s) per core; "
               + ("reload kernel" if fig["reload"] else "all rows buffered"), *cb_sum_lines(cbs)]
    why = []
    if any(t.sharded for t in (x, cos, sin, trans, out)):
        why.append("sharded tensors: the sharded cos/sin and trans_mat paths were not modelled")
    if any(not t.tiled for t in (x, cos, sin, trans)):
        why.append("row-major operands: the factory reads tiles (ttnn rejects them)")
    if not ctx.era.rope_2026_factory and fig["rows"] > 1:
        why.append("the Dec-2025 factory's reload rule was not read (2026 factory used)")
    formula += [f"estimate: {w}" for w in why]
    gx, gy = ctx.grid
    group = CoreGroup(f"all {gx * gy} worker cores", grid_cores(ctx, gx * gy, row_wise=True), cbs)
    return OpL1(op.id, op.name, op.program, "RotaryEmbeddingLlamaMultiCore", "estimate" if why else "read-factory",
                [group], formula, [ROPE_SOURCE])


def _rope_decode(op: Op, ctx: L1Context, x: TensorFacts, cos: TensorFacts, sin: TensorFacts, trans: TensorFacts,
                 out: TensorFacts) -> OpL1:
    """Decode-mode ``rotary_embedding_llama`` (``RotaryEmbeddingLlamaMultiCoreSharded``) on the input shard grid:
    c_0 (input shard, n_heads_t x head_dim_t tiles), c_1 / c_2 (cos / sin, head_dim_t x batch per core), c_3 (one
    trans_mat tile) and c_16 (output) are backed by the sharded tensors; the static CBs are c_24, c_25, c_26 =
    head_dim_t tiles each (input, cos, sin dtypes). Every tensor must be height-sharded (``validate``)."""
    if not all(t.sharded for t in (x, cos, sin, trans)) or len(x.shape) != 4:
        return _estimate(op, ctx, "decode mode needs height-sharded input, cos, sin and trans_mat (ttnn rejects "
                                  "others)")
    lay = op.operand_types[0].layout
    if lay is None or not lay.memref_shape or len(lay.memref_shape) < 2 or not lay.grid:
        return _estimate(op, ctx, "the input's shard shape is not in its layout")
    heads_t, head_t = lay.memref_shape[-2], lay.memref_shape[-1]
    ncores = math.prod(lay.grid)
    batch = x.padded[1]
    per_core = ceil_div(batch, min(batch, ncores))
    cbs = [CB(0, heads_t * head_t, x.tile_bytes, "input shard", globally_allocated=True),
           CB(1, head_t * per_core, cos.tile_bytes, "cos shard", globally_allocated=True),
           CB(2, head_t * per_core, sin.tile_bytes, "sin shard", globally_allocated=True),
           CB(3, 1, trans.tile_bytes, "trans_mat shard", globally_allocated=True),
           CB(24, head_t, x.tile_bytes, "rotated input"), CB(25, head_t, cos.tile_bytes, "cos x"),
           CB(26, head_t, sin.tile_bytes, "sin x"),
           CB(16, heads_t * head_t, out.tile_bytes, "output shard", globally_allocated=out.sharded)]
    formula = [f"decode: shard {heads_t} x {head_t} tiles on {ncores} cores; c_0..c_3, c_16 on the shards",
               *cb_sum_lines(cbs)]
    group = CoreGroup(f"shard cores ({ncores})", grid_cores(ctx, ncores, row_wise=True), cbs)
    return OpL1(op.id, op.name, op.program, "RotaryEmbeddingLlamaMultiCoreSharded", "read-factory", [group], formula,
                [ROPE_DECODE_SOURCE])
