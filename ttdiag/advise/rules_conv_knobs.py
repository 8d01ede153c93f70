"""Knobs for a conv2d whose CBs overflow L1 or clash with an L1 buffer (then sized to end below the lowest
L1 buffer): the activation block height (``conv2d_config.act_block_h_override``), the shard layout
(``conv2d_config.shard_layout``), DRAM slicing (``conv2d_slice_config``) and activation double buffering
(``enable_act_double_buffer``). How a knob is sized and checked: :mod:`ttdiag.advise.knobs`.
"""

from __future__ import annotations

from ..ir.items import render
from .context import AdviceContext
from .knobs import BLOCKING, edit_op, knob_target
from .model import Advice, from_ir
from .registry import advice_rule

_CONVS = ("ttnn.conv2d", "ttnn.conv_transpose2d")
_CONV2D_DOCS = ("tt-metal ttnn.Conv2dConfig (docs.tenstorrent.com/tt-metal/latest/ttnn/ttnn/api/ttnn.Conv2dConfig"
                ".html); Conv2dConfig in conv2d_device_operation_types.hpp @038fd866")


def _config_text(cfg, key: str, value: str) -> str:
    """``#ttnn.conv2d_config<...>`` with ``key = value`` set (other fields as the IR has them)."""
    fields = {k: render(v) for k, v in (cfg.fields.items() if cfg is not None else ())}
    fields[key] = value
    return "#ttnn.conv2d_config<" + ", ".join(f"{k} = {v}" for k, v in fields.items()) + ">"


@advice_rule("conv2d-act-block-h")
def conv2d_act_block_h(ctx: AdviceContext) -> list[Advice]:
    """A conv2d whose CBs overflow L1: a smaller activation block (``conv2d_config.act_block_h_override``, rows,
    a multiple of 32). Tries per-core block heights pM, pM/2, ... 1 tile rows and keeps the tallest that fits
    (fewest blocks); a shorter block can cost weight CB space (more than one block: weights fully buffered)."""
    from .model import Verification, fact, guess

    got = _conv_failure(ctx)  # None too when tt-metal's own slicing keeps the modelled CBs in L1
    if got is None:
        return []
    ctx, limit_facts, op, c, end0 = got
    current = c.setting("act_block_h_override", "int", 0) or 0
    best = None
    abh = 1 << 12
    while abh >= 1:
        override = abh * 32
        if not current or override < current:
            built = edit_op(ctx, op, conv2d_config=_config_text(c.conv2d_config, "act_block_h_override",
                                                              f"{override} : i32"))
            pred = ctx.predict(built.ops) if built is not None else None
            if pred is not None and pred["fits"]:
                best = (override, built, pred)
                break
            if pred is not None and (best is None or pred["worst_cb_region_end_bytes"]
                                     < best[2]["worst_cb_region_end_bytes"]):
                best = (override, built, pred)
        abh //= 2
    if best is None:
        return []
    override, built, pred = best
    if pred["worst_cb_region_end_bytes"] >= end0:
        return []  # no block height helps in the model: the overflow is not the activation block's
    ver = Verification("not-run", detail="a blocking knob: the executor does not model blocking (each output is the "
                                         "same sum; the accumulation order may differ)")
    return [Advice("conv2d-act-block-h",
                   f"Set conv2d_config act_block_h_override = {override} on {op.id} (activation blocks of "
                   f"{override // 32} tile rows)",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's config"],
                   built, pred, ver, score=65.0,
                   notes=[] if pred["fits"] else ["no block height fits: also consider slicing the conv "
                                                  "(conv2d_slice_config) or width / block sharding"],
                   assumptions=limit_facts + [
                       _conv_ir_fact(ctx, op, c, f"act_block_h_override {current}" if current else ""),
                       fact("CB sizes per get_cb_info: weights, activation (block height x kW·C_in), tilized "
                            "activation, bias; more than one activation block on height sharding buffers kH "
                            "weight blocks", "tt-metal conv2d_op_program_factory_common.cpp get_cb_info @003324fc"),
                       guess("the sharding and per-core output rows are the default ones (height sharded over the "
                             "whole grid, output rows split evenly)", "the log does not print the conv's "
                             "parallel config; the predicted bytes are an estimate"),
                   ])]


def _conv_failure(ctx: AdviceContext, in_dram: bool | None = None):
    """(sizing context, limit facts, op, typed conv, CB region end for the IR's config) for a
    conv2d CB overflow / clash the L1 model reproduces; None otherwise. ``in_dram``: require the input there
    (True) or in L1 (False)."""
    from ..analyze.l1 import analyze_op
    from ..analyze.l1.tensors import operand
    from ..ir.ttnn import Conv2d

    t = knob_target(ctx, _CONVS, Conv2d)
    if t is None:
        return None
    sctx, limit_facts, op, c = t
    src = operand(op, 0)
    if in_dram is not None and (src is None or (src.buffer_type != "l1") != in_dram):
        return None
    base = analyze_op(op, sctx.l1)
    if not base.core_groups:
        return None
    _, end0 = base.worst(sctx.l1)
    if end0 <= sctx.l1.l1_limit:
        return None  # the model does not reproduce the overflow: no knob to rank
    return sctx, limit_facts, op, c, end0


def _conv_try(ctx: AdviceContext, op, c, key: str | None, value: str | None,
              extra: dict | None = None):
    """(rewrite, prediction) of ``op`` with ``conv2d_config.key = value`` set (and ``extra`` attributes), or
    None when the edited op fails its checks."""
    attrs = {}
    if key is not None:
        attrs["conv2d_config"] = _config_text(c.conv2d_config, key, value)
    attrs.update(extra or {})
    built = edit_op(ctx, op, **attrs)
    return None if built is None else (built, ctx.predict(built.ops))


def _conv_ir_fact(ctx: AdviceContext, op, c, *more: str):
    k = c.kernel
    return from_ir(f"kernel {list(k)}, {c.in_channels} -> {c.out_channels} channels, input {c.input_height}x"
                   f"{c.input_width}, batch {c.batch_size}" + "".join(f", {m}" for m in more if m), op.line,
                   f"{op.id} {op.name}", ctx.where(op))


@advice_rule("conv2d-shard-layout")
def conv2d_shard_layout(ctx: AdviceContext) -> list[Advice]:
    """A conv2d whose CBs overflow L1: another ``conv2d_config.shard_layout`` (height / block / width sharded).
    Each layout is predicted with tt-metal's conv2d configuration (``get_conv_configs``, ``get_cb_info``); the
    one that fits with the smallest CB region is kept."""
    from ..analyze.l1 import conv2d_config as cc
    from .model import Verification, fact, guess

    got = _conv_failure(ctx)
    if got is None:
        return []
    ctx, limit_facts, op, c, end0 = got
    current = c.setting("shard_layout", "text", None)
    best = None
    for layout in (cc.HEIGHT, cc.BLOCK, cc.WIDTH):
        if layout == current:
            continue
        got = _conv_try(ctx, op, c, "shard_layout", f"#ttnn.tensor_memory_layout<{layout}>")
        if got is None:
            continue  # the rewrite does not verify
        built, pred = got
        if pred["fits"] and (best is None or pred["worst_cb_region_end_bytes"] < best[2]["worst_cb_region_end_bytes"]):
            best = (layout, built, pred)
    if best is None:
        return []
    layout, built, pred = best
    was = current or "chosen by tt-metal (auto)"
    return [Advice("conv2d-shard-layout",
                   f"Set conv2d_config shard_layout = {layout} on {op.id} (from {was})",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's config"],
                   built, pred, Verification("not-run", detail=BLOCKING), score=60.0,
                   assumptions=limit_facts + [
                       _conv_ir_fact(ctx, op, c, f"shard_layout {current}" if current else "no shard_layout"),
                       fact("shard_layout picks how the conv's output matrix (N·Ho·Wo x C_out) is split over cores: "
                            "height (rows), width (channels) or block (both); it changes the per-core block sizes "
                            "and so the CBs", _CONV2D_DOCS),
                       fact("per-core blocks per get_conv_configs, CBs per get_cb_info",
                            "tt-metal conv2d_utils.cpp @71ff3c1d; conv2d_op_program_factory_common.cpp @f3c1ee7e"),
                       guess("the layout's core grid is tt-metal's default for it (the whole compute grid)",
                             "the IR sets no core_grid; the predicted bytes are the L1 model's"),
                   ])]


@advice_rule("conv2d-dram-slice")
def conv2d_dram_slice(ctx: AdviceContext) -> list[Advice]:
    """A conv2d with its input in DRAM whose CBs overflow L1 (the IR runs it unsliced, e.g. ``l1_full``, or in
    too few slices): ``conv2d_slice_config = #ttnn.conv2d_slice_config<dram_height|dram_width, N>``, the
    fewest slices that fit (each slice a conv2d_L1 over part of the output, op_slicing.cpp)."""
    from .model import Verification, fact, guess

    got = _conv_failure(ctx, in_dram=True)
    if got is None:
        return []
    ctx, limit_facts, op, c, end0 = got
    current = c.slice_config()
    hw = c.output_hw()
    if hw is None:
        return []
    found = []
    for kind, dim in (("dram_height", hw[0]), ("dram_width", hw[1])):
        start = current[1] + 1 if current is not None and current[0] == kind and current[1] > 0 else 2
        for n in range(start, min(dim, 64) + 1):
            got = _conv_try(ctx, op, c, None, None,
                            {"conv2d_slice_config": f"#ttnn.conv2d_slice_config<{kind}, {n}>"})
            if got is None:
                break
            built, pred = got
            if pred["fits"]:
                found.append((n, pred["worst_cb_region_end_bytes"], kind, built, pred))
                break
    if not found:
        return []
    n, _, kind, built, pred = min(found, key=lambda x: (x[0], x[1]))
    was = f"{current[0]}, {current[1]}" if current is not None else "none"
    return [Advice("conv2d-dram-slice",
                   f"Set conv2d_slice_config = <{kind}, {n}> on {op.id} ({n} {kind.split('_')[1]} slices; "
                   f"IR: {was})",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's config"],
                   built, pred, Verification("not-run", detail=BLOCKING), score=60.0,
                   assumptions=limit_facts + [
                       _conv_ir_fact(ctx, op, c, "input in DRAM", f"slice config {was}"),
                       fact("a DRAM input with a dram_height / dram_width slice config runs conv2d_DRAM: the output "
                            "is computed in num_slices row (or column) bands, each a conv2d_L1 on its part of the "
                            "input, so the per-core blocks and CBs shrink with the band",
                            "tt-metal conv2d.cpp @645aa768 determine_conv2d_execution_path; "
                            "op_slicing.cpp @0205dffd"),
                       fact("#ttnn.conv2d_slice_config<slice type, num_slices> (positional)",
                            "tt-mlir TTNNOpsAttrs.td Conv2dSliceConfigAttr"),
                       guess("each slice's halo input and output shards also need L1 beside the CBs; the "
                             "prediction is the largest slice's CB region only",
                             "tt-metal sizes those per slice at run time (op_slicing); the log does not show "
                             "what else is in L1"),
                   ])]


@advice_rule("conv2d-no-act-double-buffer")
def conv2d_no_act_double_buffer(ctx: AdviceContext) -> list[Advice]:
    """A conv2d whose CBs overflow L1 with ``enable_act_double_buffer = true``: turn it off (the activation
    CB holds one block instead of two)."""
    from .model import Verification, fact

    got = _conv_failure(ctx)
    if got is None:
        return []
    ctx, limit_facts, op, c, end0 = got
    if not c.setting("enable_act_double_buffer", "bool", False):
        return []
    got = _conv_try(ctx, op, c, "enable_act_double_buffer", "false")
    if got is None:
        return []
    built, pred = got
    if pred["worst_cb_region_end_bytes"] >= end0:
        return []
    return [Advice("conv2d-no-act-double-buffer",
                   f"Set conv2d_config enable_act_double_buffer = false on {op.id}",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted with the activation "
                    "double-buffered"],
                   built, pred, Verification("not-run", detail="buffering only: the same activation blocks are "
                                                              "multiplied in the same order, so the result is "
                                                              "unchanged (only overlap of reads and compute is lost)"),
                   score=62.0 if pred["fits"] else 40.0,
                   notes=[] if pred["fits"] else ["still over L1 without double buffering: combine with a smaller "
                                                  "act_block_h_override or DRAM slicing"],
                   assumptions=limit_facts + [
                       _conv_ir_fact(ctx, op, c, "enable_act_double_buffer true"),
                       fact("enable_act_double_buffer \"doubles the size of the CBs for activation\" (two blocks in flight)",
                            "tt-metal conv2d_op_program_factory_common.cpp @f3c1ee7e get_cb_info; " + _CONV2D_DOCS),
                   ])]
