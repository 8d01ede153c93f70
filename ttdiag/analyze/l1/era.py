"""tt-metal eras that change CB sizing, and how ttdiag picks one for an input.

* ``2025-12``: tt-metal dcae048e (2025-12-23), the version tt-mlir uplifted to on 2025-12-30
  (tt-mlir 31b7b0e4); untilize/tilize block factories split with ``compute_ncores_wh`` and no L1
  cap on the block (ttnn-facts.md §0, §3.1).
* ``2026-02``: after tt-metal PR #35806 ("tilize/untilize for tensors having a large shape[-1]",
  Feb 2026): sub-blocks capped by ``cb_block_size_limit = max_l1_space / (in_tile + out_tile)``.

An era is a bundle of named switches, one per factory change a CB model reads (``MetalEra``); a model
reads the switch of its own factory, never another op's. Factory changes that landed between the two
eras' tt-metal versions are assigned to the era whose code ttdiag read (each field says which).

The default is the era the input points to (log dates; a dump's system_desc base or syntax),
otherwise the latest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...ir.graph import Module


@dataclass(frozen=True, slots=True)
class MetalEra:
    """One tt-metal version range, as the CB models see it.

    * ``wh_unreserved_base``: the Wormhole L1 unreserved base (bytes) when the input gives none.
    * ``tilize_block_subblock_cap``: the WH-split block factories of untilize, untilize_with_unpadding,
      tilize and tilize_with_val_padding cap the block at ``cb_block_size_limit`` tiles and size
      c_0 / c_16 by one sub-block (``work_split_tilize.hpp`` ``compute_ncores_wh_sb``, PR #35806, Feb 2026).
    * ``untilize_space_check_input_tile``: ``ttnn::untilize`` / ``untilize_with_unpadding`` choose
      between the interleaved and the block factory with ``is_enough_space(T_in, T_in, Wt)``: the
      input dtype's tile stands for the output tile too (``untilize.cpp`` ``ExecuteUntilize::invoke``,
      ``untilize_with_unpadding.cpp`` ``ExecuteUntilizeWithUnpadding::invoke``: ``output_single_tile_size
      = input_single_tile_size``; still so in the 2026 copies read; a later copy sizes it with the output
      dtype). False would use the output tile.
    * ``embedding_rm_chunked``: the row-major embedding factory splits an output row over 1 MiB into
      1 MiB chunks (``embeddings_rm_program_factory.cpp`` @0021b0dc ``max_l1_budget_bytes``; whether
      the Dec-2025 code did is not known, so that era's wide rows are an estimate).
    * ``conv3d_vol2col_tiled_one_row``: the conv3d factory's finer vol2col pushes (PR #38579, Feb 2026):
      vol2col_rm holds min(P, 64) patch rows instead of every patch, vol2col_tiled one row of K_t tiles
      instead of M_t·K_t (``conv3d_program_factory.cpp`` @015c7ffa), and the L1 prefetch-shard CB exists.
    * ``conv3d_fp32_partials``: with fp32 dest accumulation and more than one C_in block, conv3d's
      intermediate and reduction CBs hold fp32 tiles and a one-tile zero CB is added (PR #40462, Mar 2026;
      assigned to the 2026 era, whose code ttdiag read).
    * ``matmul_bias_estimate_per_core_n``: ``get_estimated_size_of_cbs`` counts the bias as per_core_N
      tiles instead of in0_block_w tiles (``matmul_utilities.cpp``, PR #38309, Feb 2026).
    * ``reduce_2026_cbs``: the reduce factories size the scaler CB in float32 for float32 inputs and add
      negate CBs (c_4, c_5) for ``min`` (2026 copies; the late-2025 copies read do neither).
    * ``layernorm_fixed_block_cbs``: the layernorm factory rounds its CBs up to a fixed block size (2026
      copies; the model follows the @00eaa3b4 copy, which does not).
    * ``copy_rm_factory_read``: the row-major path of ``CopyProgramFactory`` was read for this era (2025-12
      @043b5ac2; the 2026 descriptor rewrite changes its row pages).
    * ``sdpa_streaming_factory``: the SDPA prefill factory read (``sdpa_program_factory.cpp`` @000e7c05, 2026:
      streaming compute, flexible chunked prefill with a ``chunk_start_idx`` tensor) is this era's; the
      Dec-2025 factory was not read, so that era's SDPA figures are estimates.
    * ``norm_pre_all_gather_residual``: the pre-all-gather norm factory is the 2026 ProgramDescriptor copy
      (fused residual CBs c_3 / c_5; the scaler tile float32 for float32 inputs); False: the late-2025 copy
      (@5b9c6716: a bf16 scaler, no residual, so a residual is an estimate there).
    * ``rope_2026_factory``: the prefill rotary-embedding factory read (@0016fcf7, 2026) buffers every sin/cos row
      of a core unless it reloads (more than 8 rows, cos/sin per head, or sharded cos/sin); whether the Dec-2025
      copy decided so was not read, so that era's cases with more than one row per core are estimates.
    * ``upsample_2026_factory``: the interleaved upsample factory read (@003a5610, 2026: tiled inputs untilized
      in the factory) is this era's; the Dec-2025 copy was not read (estimates).
    * ``reshape_rm_dual_kernel_read``: the row-major reshape factory read (@d9f28d78; the 2026 ProgramDescriptor
      copy has the same CBs) runs a second kernel copy with its own c_2 / c_3 when one row size divides the
      other. The mid-2025 copy has one kernel; which copy the Dec-2025 tt-metal had was not pinned down, so
      False (2025-12) shows the mid-2025 copy's c_0 / c_1 as an estimate.
    * ``argmax_rm_single_core_read``: a row-major argmax without ``use_multicore`` runs the single-core factory
      (``argmax_device_operation.cpp`` @3ed4ffc8 ``select_program_factory``; the figures tt-mlir's late-2025
      OpModel reports). A later copy (@00218c50) picks the multi-core factory by itself for row-major inputs
      reduced along the last dim; when that landed was not read, so False (2026) makes those estimates.
    * ``quantization_2026_dispatch``: ``quantization.cpp`` @0197d822 (2026: int8 / uint8 outputs, per-channel
      scales reshaped to float32 and fed to the fused QUANT program) runs other programs than the late-2025 copy
      the quantization models follow (composites of typecast and binary_ng programs); True: estimates.
    * ``pad_rm_single_core_l1_clamp``: the single-core row-major pad factory holds
      ``clamp((l1_size / 2 - base) / page, 1, 16)`` padded rows (2026 copy @090c6ab0) instead of 16 (late-2025
      ``pad::program`` copy).
    * ``binary_ng_row_major_native``: binary_ng streams row-major a / b / c through tile-sized CBs in its own
      program (PR #32813, opened 2025-11-19; ``binary_ng_program_factory.cpp`` ``create_descriptor``, library
      id 54495781093, 2026). Whether the Dec-2025 tt-metal had it is not known (merge date not found), so
      that era's all-row-major binaries are estimates.
    * ``binary_ng_bcast_cbs``: the binary_ng factory adds c_5 (2 tiles of a) for ROW_A / ROW_A_COL_B / COL_A /
      SCALAR_A and c_6 (2 tiles of b) for the B variants (the 2026 ``create_descriptor`` copy, library id
      54495781093). The 2025 copies read add none for SCALAR / COL (@00635679, @5eb4ca29) and disagree on ROW
      (c_5 / c_6 in @5eb4ca29 only), so with False a ROW-type broadcast is an estimate.
    * ``unary_sharded_factory``: a sharded unary input runs ``UnaryShardedProgramFactory`` (every 2025
      ``select_program_factory`` copy read; factory @6e62c116). The 2026 unary utils add a native
      L1-sharding / DRAM height-sharded path (``unary_utils.hpp``, 2026) that was not read: False keeps
      sharded unary ops estimates.
    * ``paged_cache_input_geometry``: the paged-cache factories take the head width (Wt) from the input, the
      cache being only a byte budget, and ``paged_fill_cache`` splits input batch x heads x S/32 rows (2026
      copies @0147d780, @056bc6a1); False: Wt from the cache's width, heads x S/32 rows (late-2025 copies,
      library ids 215805420 and 419899280). The same figures whenever input and cache widths agree.
    * ``conv2d_split_reader_cost_model``: conv2d's ``get_cb_info`` splits the activation CB between two
      readers when ``is_split_reader_viable``'s NoC / tilize cost model says so (conv2d_op_program_factory_
      common.cpp @f3c1ee7e, 2026); the rule of the Dec-2025 copy was not read, so there a split decision
      is an estimate.
    """

    name: str
    description: str
    wh_unreserved_base: int
    tilize_block_subblock_cap: bool
    untilize_space_check_input_tile: bool
    embedding_rm_chunked: bool
    conv3d_vol2col_tiled_one_row: bool
    conv3d_fp32_partials: bool
    matmul_bias_estimate_per_core_n: bool
    reduce_2026_cbs: bool
    layernorm_fixed_block_cbs: bool
    copy_rm_factory_read: bool
    sdpa_streaming_factory: bool
    norm_pre_all_gather_residual: bool
    rope_2026_factory: bool
    upsample_2026_factory: bool
    argmax_rm_single_core_read: bool
    reshape_rm_dual_kernel_read: bool
    quantization_2026_dispatch: bool
    pad_rm_single_core_l1_clamp: bool
    binary_ng_row_major_native: bool
    binary_ng_bcast_cbs: bool
    unary_sharded_factory: bool
    paged_cache_input_geometry: bool
    conv2d_split_reader_cost_model: bool


ERAS: dict[str, MetalEra] = {
    "2025-12": MetalEra("2025-12", "tt-metal dcae048e (Dec 2025), before PR #35806", 102_656,
                        tilize_block_subblock_cap=False, untilize_space_check_input_tile=True,
                        embedding_rm_chunked=False, conv3d_vol2col_tiled_one_row=False,
                        conv3d_fp32_partials=False, matmul_bias_estimate_per_core_n=False,
                        reduce_2026_cbs=False, layernorm_fixed_block_cbs=False, copy_rm_factory_read=True,
                        sdpa_streaming_factory=False, norm_pre_all_gather_residual=False,
                        rope_2026_factory=False, upsample_2026_factory=False,
                        argmax_rm_single_core_read=True, reshape_rm_dual_kernel_read=False,
                        quantization_2026_dispatch=False, pad_rm_single_core_l1_clamp=False,
                        binary_ng_row_major_native=False, binary_ng_bcast_cbs=False,
                        unary_sharded_factory=True,
                        paged_cache_input_geometry=False,
                        conv2d_split_reader_cost_model=False),
    "2026-02": MetalEra("2026-02", "tt-metal after PR #35806 (Feb 2026): untilize/tilize sub-block cap", 103_712,
                        tilize_block_subblock_cap=True, untilize_space_check_input_tile=True,
                        embedding_rm_chunked=True, conv3d_vol2col_tiled_one_row=True,
                        conv3d_fp32_partials=True, matmul_bias_estimate_per_core_n=True,
                        reduce_2026_cbs=True, layernorm_fixed_block_cbs=True, copy_rm_factory_read=False,
                        sdpa_streaming_factory=True, norm_pre_all_gather_residual=True,
                        rope_2026_factory=True, upsample_2026_factory=True,
                        argmax_rm_single_core_read=False, reshape_rm_dual_kernel_read=True,
                        quantization_2026_dispatch=True, pad_rm_single_core_l1_clamp=True,
                        binary_ng_row_major_native=True, binary_ng_bcast_cbs=True,
                        unary_sharded_factory=False,
                        paged_cache_input_geometry=True,
                        conv2d_split_reader_cost_model=True),
}
LATEST = "2026-02"
# PR #35806 was reviewed in February 2026; logs dated before this use the older factories.
_CUTOFF = "2026-02-01"


def get_era(name: str) -> MetalEra:
    """Raises KeyError (listing the known eras) for an unknown name."""
    if name not in ERAS:
        raise KeyError(f"unknown tt-metal era {name!r}; known: {', '.join(ERAS)}")
    return ERAS[name]


def era_for_date(date: str | None) -> MetalEra | None:
    """``YYYY-MM-DD`` → the era in force then; None without a date."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return None
    return ERAS["2025-12"] if date < _CUTOFF else ERAS[LATEST]


def era_for_module(module: Module) -> MetalEra | None:
    """A dump's era from its system_desc base (≤ 102,656 B: Dec 2025 / Jan 2026 Wormhole devices), or
    from syntax: ``core_ranges = ...`` in a ttnn_layout first appears in May 2026 (tt-mlir #8127)."""
    sd = module.system_desc
    if sd is not None and sd.chips:
        base = sd.chips[0].get("l1_unreserved_base")
        if base is not None and sd.chips[0].arch == "wormhole_b0":
            return ERAS["2025-12"] if base <= 102_656 else ERAS[LATEST]
    for op in module.all_ops():
        for _, _, t in op.tensors():
            if t.layout is not None and "core_ranges" in t.layout.extras:
                return ERAS[LATEST]
    return None
