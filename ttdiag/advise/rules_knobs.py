"""Blocking knobs for CB overflows and CB / L1-buffer clashes (then sized to end below the lowest L1
buffer): a conv2d's activation block height (``conv2d_config.act_block_h_override``) and a matmul's K block
(``in0_block_w`` of its program config); a conv2d's shard layout (``conv2d_config.shard_layout``), DRAM slicing
(``conv2d_slice_config``) and activation double buffering (``enable_act_double_buffer``); a matmul's per-core
output block (``per_core_M`` / ``per_core_N``).

Each rule edits one field of the IR's config (through the typed config's fields, never the attribute text),
predicts the rewritten op with the L1 model in the failing op's arch / era / CB base, and keeps the least
blocked value that fits; only when the L1 model reproduces the overflow. Verification is ``not-run``: the executor
does not model blocking or placement (double buffering changes nothing numerically).
"""

from __future__ import annotations

from ..ir.items import render
from ..ir.ttnn import decode
from .context import AdviceContext
from .model import Advice, from_ir
from .registry import advice_rule
from .rewrite import RewriteError


def _limit_ctx(ctx: AdviceContext) -> tuple[AdviceContext, list] | None:
    """The context the knobs are sized in: the failure's own for a CB overflow; for a CB / L1-buffer clash,
    the same with L1 ending at the lowest L1 buffer (the message's, else the memory record's): the CB region
    must end at or below it, and ``get_max_l1_space`` sees that much. None when neither applies."""
    from dataclasses import replace

    from .model import fact

    f = ctx.report.failure
    if f.kind == "cb-exceeds-l1":
        return ctx, []
    if f.kind != "cb-clashes-with-l1-buffer":
        return None
    low = f.figures.get("l1_buffer_address_bytes") or (ctx.report.memory or {}).get("lowest_l1_buffer_bytes")
    if not low:
        return None
    l1 = replace(ctx.l1, arch=replace(ctx.l1.arch, l1_size=low))
    return replace(ctx, l1=l1, _window=None), [fact(
        f"the CB region must end at or below the lowest L1 buffer, {low:,} B: the limit the knob is sized to",
        "tt-metal tt_metal/impl/program/program.cpp ProgramImpl::validate_circular_buffer_region @001b6f94")]


_CONVS = ("ttnn.conv2d", "ttnn.conv_transpose2d")
_MATMULS = ("ttnn.matmul", "ttnn.linear")


def _target(ctx: AdviceContext, names: tuple[str, ...], cls: type):
    """(sizing context, limit facts, failing op, its typed op) when the failing op is one of ``names``, decodes
    to ``cls`` and the failure is one the knobs size against (:func:`_limit_ctx`); None otherwise."""
    op = ctx.failing_op
    lim = _limit_ctx(ctx) if op is not None and op.name in names else None
    if lim is None:
        return None
    typed = decode(op)
    return (lim[0], lim[1], op, typed) if isinstance(typed, cls) else None


def _edit(ctx: AdviceContext, op, **attrs: str):
    """The rewrite: ``op`` with the attributes ``attrs`` (MLIR text) replaced, built and checked as an op
    object; None when it fails its checks (a knob value tt-metal would reject)."""
    b = ctx.builder(op.operands)
    b.copy(op, **attrs)
    try:
        return b.finish()
    except RewriteError:
        return None


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
    from ..analyze.l1 import analyze_op
    from ..ir.ttnn import Conv2d
    from .model import Verification, fact, guess

    t = _target(ctx, _CONVS, Conv2d)
    if t is None:
        return []
    ctx, limit_facts, op, c = t
    base = analyze_op(op, ctx.l1)
    if not base.core_groups:
        return []
    _, end0 = base.worst(ctx.l1)
    if end0 <= ctx.l1.l1_limit:
        return []  # the model does not reproduce the overflow (e.g. tt-metal slices this conv): no knob to rank
    current = c.setting("act_block_h_override", "int", 0) or 0
    best = None
    abh = 1 << 12
    while abh >= 1:
        override = abh * 32
        if not current or override < current:
            built = _edit(ctx, op, conv2d_config=_config_text(c.conv2d_config, "act_block_h_override",
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
    k = c.kernel
    return [Advice("conv2d-act-block-h",
                   f"Set conv2d_config act_block_h_override = {override} on {op.id} (activation blocks of "
                   f"{override // 32} tile rows)",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's config"],
                   built, pred, ver, score=65.0,
                   notes=[] if pred["fits"] else ["no block height fits: also consider slicing the conv "
                                                  "(conv2d_slice_config) or width / block sharding"],
                   assumptions=limit_facts + [
                       from_ir(f"kernel {list(k)}, {c.in_channels} -> {c.out_channels} channels, input "
                               f"{c.input_height}x{c.input_width}, batch {c.batch_size}"
                               + (f", act_block_h_override {current}" if current else ""), op.line,
                               f"{op.id} {op.name}"),
                       fact("CB sizes per get_cb_info: weights, activation (block height x kW·C_in), tilized "
                            "activation, bias; more than one activation block on height sharding buffers kH "
                            "weight blocks", "tt-metal conv2d_op_program_factory_common.cpp get_cb_info @003324fc"),
                       guess("the sharding and per-core output rows are the default ones (height sharded over the "
                             "whole grid, output rows split evenly)", "the log does not print the conv's "
                             "parallel config; the predicted bytes are an estimate"),
                   ])]


@advice_rule("matmul-in0-block-w")
def matmul_in0_block_w(ctx: AdviceContext) -> list[Advice]:
    """A matmul with an IR program config whose CBs overflow L1: a narrower K block (``in0_block_w``, tiles).
    c_0 and c_1 hold ``out_block_h`` / ``out_block_w`` x ``in0_block_w`` tiles (double-buffered with more than
    one K block), so they shrink with it; the largest divisor of the IR's value that fits is kept."""
    from ..ir.ttnn import Matmul
    from .model import Verification, fact

    t = _target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    if pc is None or pc.kind not in ("2d", "1d", "dram_sharded") or pc.in0_block_w <= 1:
        return []
    end0 = ctx.predict([op])["worst_cb_region_end_bytes"]
    cfg = mm.matmul_program_config
    best = None
    for w in sorted((d for d in range(1, pc.in0_block_w) if pc.in0_block_w % d == 0), reverse=True):
        fields = {k: render(v) for k, v in cfg.fields.items()}
        fields["in0_block_w"] = str(w)
        built = _edit(ctx, op, matmul_program_config=f"#ttnn.{cfg.kind}<"
                      + ", ".join(f"{k} = {v}" for k, v in fields.items()) + ">")
        if built is None:
            continue
        pred = ctx.predict(built.ops)
        if best is None or pred["worst_cb_region_end_bytes"] < best[2]["worst_cb_region_end_bytes"]:
            best = (w, built, pred)
        if pred["fits"]:
            best = (w, built, pred)
            break
    if best is None or best[2]["worst_cb_region_end_bytes"] >= end0:
        return []
    w, built, pred = best
    return [Advice("matmul-in0-block-w",
                   f"Set in0_block_w = {w} (from {pc.in0_block_w}) in {op.id}'s matmul_program_config",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail="a blocking knob: the executor does not model blocking "
                                                              "(each output is the same sum; the accumulation order "
                                                              "may differ)"),
                   score=65.0, notes=[] if pred["fits"] else ["no in0_block_w fits: also reduce per_core_M / "
                                                              "per_core_N or use more cores"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: in0_block_w {pc.in0_block_w}, per_core_M {pc.per_core_m}, "
                               f"per_core_N {pc.per_core_n}, out_block {pc.out_block_h}x{pc.out_block_w}", op.line,
                               f"{op.id} {op.name}"),
                       fact("c_0 = out_block_h x in0_block_w and c_1 = out_block_w x in0_block_w tiles, x2 with more "
                            "than one K block; c_4 = out_block_h x out_block_w tiles",
                            "tt-metal matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2"),
                       fact(f"in0_block_w {w} divides {pc.in0_block_w}, so it divides K as the IR's value does",
                            "arithmetic on the IR's program config"),
                   ])]


# ---------------------------------------------------------------------------------------------------------------
# conv2d: shard layout, DRAM slicing, activation double buffering; matmul: per-core block

_CONV2D_DOCS = ("tt-metal ttnn.Conv2dConfig (docs.tenstorrent.com/tt-metal/latest/ttnn/ttnn/api/ttnn.Conv2dConfig"
                ".html); Conv2dConfig in conv2d_device_operation_types.hpp @038fd866")
_BLOCKING = ("a blocking / placement knob: the executor does not model blocking or sharding (each output is the "
             "same sum; the accumulation order may differ)")


def _conv_failure(ctx: AdviceContext, in_dram: bool | None = None):
    """(sizing context, limit facts, op, typed conv, CB region end for the IR's config) for a
    conv2d CB overflow / clash the L1 model reproduces; None otherwise. ``in_dram``: require the input there
    (True) or in L1 (False)."""
    from ..analyze.l1 import analyze_op
    from ..analyze.l1.tensors import operand
    from ..ir.ttnn import Conv2d

    t = _target(ctx, _CONVS, Conv2d)
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
    built = _edit(ctx, op, **attrs)
    return None if built is None else (built, ctx.predict(built.ops))


def _conv_ir_fact(op, c, *more: str):
    k = c.kernel
    return from_ir(f"kernel {list(k)}, {c.in_channels} -> {c.out_channels} channels, input {c.input_height}x"
                   f"{c.input_width}, batch {c.batch_size}" + "".join(f", {m}" for m in more if m), op.line,
                   f"{op.id} {op.name}")


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
                   built, pred, Verification("not-run", detail=_BLOCKING), score=60.0,
                   assumptions=limit_facts + [
                       _conv_ir_fact(op, c, f"shard_layout {current}" if current else "no shard_layout"),
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
                   built, pred, Verification("not-run", detail=_BLOCKING), score=60.0,
                   assumptions=limit_facts + [
                       _conv_ir_fact(op, c, "input in DRAM", f"slice config {was}"),
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
                       _conv_ir_fact(op, c, "enable_act_double_buffer true"),
                       fact("enable_act_double_buffer \"doubles the size of the CBs for activation\" (two blocks in flight)",
                            "tt-metal conv2d_op_program_factory_common.cpp @f3c1ee7e get_cb_info; " + _CONV2D_DOCS),
                   ])]


def _divisor_at_most(n: int, cap: int) -> int:
    return max(d for d in range(1, max(1, min(n, cap)) + 1) if n % d == 0)


@advice_rule("matmul-per-core-block")
def matmul_per_core_block(ctx: AdviceContext) -> list[Advice]:
    """A matmul with a 2-D / 1-D mcast program config whose CBs overflow L1: smaller ``per_core_M`` /
    ``per_core_N`` (out_block_h / _w set to them; out subblocks the largest divisors within the IR's, at most
    the dest registers), within the compute grid: 2-D ceil(Mt / per_core_M) ≤ grid rows and ceil(Nt /
    per_core_N) ≤ grid columns (swapped with transpose_mcast); 1-D their product ≤ grid cores. The largest
    per-core block (fewest cores) that fits is kept."""
    from ..analyze.l1.tensors import result
    from ..analyze.layout import ceil_div
    from ..ir.ttnn import Matmul
    from .model import Verification, fact

    t = _target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    out = result(op)
    if pc is None or pc.kind not in ("2d", "1d") or out is None or len(out.shape) < 2:
        return []
    base = ctx.predict([op])
    end0 = base["worst_cb_region_end_bytes"]
    if base["fits"]:
        return []  # the model does not reproduce the overflow
    nt = ceil_div(out.shape[-1], 32)
    # get_M_dim: batch folded into M with fuse_batch, else one batch's rows
    mt = ceil_div(out.volume // out.shape[-1] if pc.fuse_batch else out.shape[-2], 32)
    gx, gy = pc.grid or ctx.l1.grid
    if pc.kind == "2d" and pc.transpose_mcast:
        gx, gy = gy, gx
    dest = 4 if mm.fp32_dest_acc() else 8
    cands: dict[int, list[tuple[int, int]]] = {}
    for m in (d for d in range(1, pc.per_core_m + 1) if pc.per_core_m % d == 0):
        for n in (d for d in range(1, pc.per_core_n + 1) if pc.per_core_n % d == 0):
            if (m, n) == (pc.per_core_m, pc.per_core_n):
                continue
            by, bx = ceil_div(mt, m), ceil_div(nt, n)
            if (by > gy or bx > gx) if pc.kind == "2d" else by * bx > gx * gy:
                continue
            if pc.kind == "1d" and pc.mcast_in0 and by != 1:
                continue
            cands.setdefault(m * n, []).append((m, n))
    cfg = mm.matmul_program_config
    best = None
    for size in sorted(cands, reverse=True):  # the largest per-core block that fits; ties: the smallest region
        for m, n in cands[size]:
            sh = _divisor_at_most(m, pc.out_subblock_h)
            sw = _divisor_at_most(n, max(1, min(pc.out_subblock_w, dest // sh)))
            fields = {k: render(v) for k, v in cfg.fields.items()}
            fields.update(per_core_m=str(m), per_core_n=str(n), out_subblock_h=str(sh), out_subblock_w=str(sw))
            if "out_block_h" in fields:
                fields["out_block_h"] = str(m)
            if "out_block_w" in fields:
                fields["out_block_w"] = str(n)
            built = _edit(ctx, op, matmul_program_config=f"#ttnn.{cfg.kind}<"
                          + ", ".join(f"{k} = {v}" for k, v in fields.items()) + ">")
            if built is None:
                continue
            pred = ctx.predict(built.ops)
            if pred["fits"] and (best is None or pred["worst_cb_region_end_bytes"]
                                 < best[5]["worst_cb_region_end_bytes"]):
                best = (m, n, sh, sw, built, pred)
        if best is not None:
            break
    if best is None:
        return []
    m, n, sh, sw, built, pred = best
    by, bx = ceil_div(mt, m), ceil_div(nt, n)
    return [Advice("matmul-per-core-block",
                   f"Set per_core_M = {m}, per_core_N = {n} (from {pc.per_core_m}, {pc.per_core_n}) in {op.id}'s "
                   f"matmul_program_config ({by} x {bx} output blocks)",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail=_BLOCKING), score=60.0,
                   notes=[f"fewer tiles per core: {by * bx} cores instead of "
                          f"{ceil_div(mt, pc.per_core_m) * ceil_div(nt, pc.per_core_n)}"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: per_core_M {pc.per_core_m}, per_core_N {pc.per_core_n}, "
                               f"out_subblock {pc.out_subblock_h}x{pc.out_subblock_w}, in0_block_w {pc.in0_block_w}, "
                               f"grid {pc.grid or ctx.l1.grid}; output {mt} x {nt} tiles", op.line,
                               f"{op.id} {op.name}"),
                       fact("per_core_M divisible by out_block_h and out_subblock_h, per_core_N by out_block_w and "
                            "out_subblock_w; out_subblock_h·w ≤ the dest registers (8 tiles, 4 with fp32 dest acc); "
                            "2-D: ceil(Mt/per_core_M) ≤ grid rows, ceil(Nt/per_core_N) ≤ grid columns; 1-D: their "
                            "product ≤ grid cores (mcast_in0: one block of rows)",
                            "tt-metal matmul_device_operation.cpp @001cea9a (program config validation; get_dest_reg_count)"),
                       fact("c_0 = out_block_h x in0_block_w, c_1 = out_block_w x in0_block_w, c_4 = out_block_h x "
                            "out_block_w tiles", "tt-metal matmul_multicore_reuse_mcast_2d_program_factory.cpp "
                                                 "@043b5ac2"),
                       fact(f"out_subblock {sh}x{sw}: the largest divisors of the new block within the IR's subblock "
                            f"and {dest} dest tiles", "arithmetic on the IR's program config"),
                   ])]
