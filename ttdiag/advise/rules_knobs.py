"""Blocking knobs for CB overflows and CB / L1-buffer clashes (then sized to end below the lowest L1
buffer): a conv2d's activation block height (``conv2d_config.act_block_h_override``) and a matmul's K block
(``in0_block_w`` of its program config); a conv2d's shard layout (``conv2d_config.shard_layout``), DRAM slicing
(``conv2d_slice_config``) and activation double buffering (``enable_act_double_buffer``); a matmul's per-core
output block (``per_core_M`` / ``per_core_N``); a matmul's program config kind (2-D <-> 1-D mcast, the whole
config re-derived with tt-metal's recipe) and the DRAM-sharded config's prerequisites (stated, no rewrite).

Each knob rule edits one field of the IR's config (through the typed config's fields, never the attribute text),
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


# ---------------------------------------------------------------------------------------------------------------
# matmul: the program config kind (2-D mcast <-> 1-D mcast), DRAM-sharded prerequisites

# (h, w) pairs in tt-metal's SUBBLOCK_HW_CHOICES order (matmul_program_config.cpp @001cea9a)
_SUBBLOCK_CHOICES = ((4, 2), (2, 4), (8, 1), (1, 8), (7, 1), (1, 7), (3, 2), (2, 3), (6, 1), (1, 6), (5, 1), (1, 5),
                     (2, 2), (4, 1), (1, 4), (3, 1), (1, 3), (2, 1), (1, 2), (1, 1))
_MM_CONFIG_SRC = "tt-metal matmul_program_config.cpp @001cea9a"
_MM_VALIDATE_SRC = "tt-metal matmul_device_operation.cpp @001cea9a (MatmulDeviceOperation validate)"


def _subblock_1d(bh: int, bw: int, fp32: bool) -> tuple[int, int]:
    """``bmm_op_utils::get_matmul_subblock_params(out_block_h, out_block_w, false, false, fp32)``: the first
    (h, w) of SUBBLOCK_HW_CHOICES (h = first element) dividing the block, h·w ≤ 4 with fp32 dest acc."""
    for h, w in _SUBBLOCK_CHOICES:
        if (not fp32 or h * w <= 4) and bh % h == 0 and bw % w == 0:
            return h, w
    return 1, 1


def _subblock_2d(bh: int, bw: int, fp32: bool, per_core_n: int) -> tuple[int, int]:
    """``get_subblock_sizes`` (w = the first element of each SUBBLOCK_HW_CHOICES pair, h the second), then
    ``out_subblock_h = 1`` when ``out_subblock_w != per_core_N`` (create_matmul_program_config)."""
    sh, sw = 1, 1
    for w, h in _SUBBLOCK_CHOICES:
        if (not fp32 or h * w <= 4) and bh % h == 0 and bw % w == 0:
            sh, sw = h, w
            break
    return (1 if sw != per_core_n else sh), sw


def _config_1d(mt: int, nt: int, kt: int, grid: tuple[int, int], mcast_in0: bool, est, fp32: bool) -> dict:
    """``get_mcast_1d_config`` (no user shard spec, interleaved output) in tiles: mcast_in0 → per_core_M = Mt,
    per_core_N = ceil(ceil(N / cores) / 32); mcast_in1 → per_core_M = ceil(ceil(M / cores) / 32), per_core_N =
    Nt; in0_block_w 2 when Kt is even, else 1; out block ``get_multi_dim_per_core_factor(..., false)``;
    subblock ``get_matmul_subblock_params`` of the out block."""
    from ..analyze.layout import ceil_div

    cores = grid[0] * grid[1]
    if mcast_in0:
        pm, pn = mt, ceil_div(ceil_div(nt * 32, cores), 32)
    else:
        pm, pn = ceil_div(ceil_div(mt * 32, cores), 32), nt
    kw = 2 if kt % 2 == 0 else 1
    bh, bw, _ = est.multi_dim(pm, pn, kw, False)
    sh, sw = _subblock_1d(bh, bw, fp32)
    return {"kind": "1d", "mcast_in0": mcast_in0, "grid": grid, "in0_block_w": kw, "out_subblock_h": sh,
            "out_subblock_w": sw, "out_block_h": bh, "out_block_w": bw, "per_core_m": pm, "per_core_n": pn,
            "blocks": ceil_div(mt, pm) * ceil_div(nt, pn)}


def _config_2d(mt: int, nt: int, kt: int, grid: tuple[int, int], est, fp32: bool) -> dict:
    """``create_matmul_program_config``'s 2-D branch for an interleaved A in tiles: per_core_M = ceil(Mt /
    grid_y) (batch folded into M), per_core_N = max(1, ceil(Nt / grid_x)); in0_block_w 4, lowered until it
    divides Kt; out block ``get_multi_dim_per_core_factor(..., false)``; subblock :func:`_subblock_2d`;
    transpose_mcast false."""
    from ..analyze.layout import ceil_div

    gx, gy = grid
    pm, pn = ceil_div(mt, gy), max(1, ceil_div(nt, gx))
    kw = 4
    while kt % kw:
        kw -= 1
    bh, bw, _ = est.multi_dim(pm, pn, kw, False)
    sh, sw = _subblock_2d(bh, bw, fp32, pn)
    return {"kind": "2d", "mcast_in0": None, "grid": grid, "in0_block_w": kw, "out_subblock_h": sh,
            "out_subblock_w": sw, "out_block_h": bh, "out_block_w": bw, "per_core_m": pm, "per_core_n": pn,
            "blocks": ceil_div(mt, pm) * ceil_div(nt, pn)}


def _config_attr(c: dict, fuse_batch: bool, activation: str | None) -> str:
    """The config as tt-mlir prints it (field order of tt-mlir's Silicon perf tests
    ``test_perf_matmul_multi_core_reuse_multi_cast[_1d]_program_config.mlir`` @19c86fca)."""
    act = [f"fused_activation = {activation}"] if activation else []
    common = [f"compute_with_storage_grid_size = #ttnn.core_coord<{c['grid'][0]}, {c['grid'][1]}>"] + [
        f"{k} = {c[k]}" for k in ("in0_block_w", "out_subblock_h", "out_subblock_w", "out_block_h", "out_block_w",
                                  "per_core_m", "per_core_n")]
    if c["kind"] == "2d":
        fields = common + ["transpose_mcast = false"] + act + [f"fuse_batch = {str(fuse_batch).lower()}"]
        return "#ttnn.matmul_multi_core_reuse_multi_cast_program_config<" + ", ".join(fields) + ">"
    fields = common + [f"fuse_batch = {str(fuse_batch).lower()}"] + act + [
        f"mcast_in0 = {str(c['mcast_in0']).lower()}", "gather_in0 = false", "hop_cores = #ttnn.core_range_set<>",
        "num_global_cb_receivers = 0", "untilize_out = false"]
    return "#ttnn.matmul_multi_core_reuse_multi_cast_1d_program_config<" + ", ".join(fields) + ">"


def _kind_name(c: dict) -> str:
    if c["kind"] == "2d":
        return "2-D mcast"
    return f"1-D mcast ({'mcast_in0' if c['mcast_in0'] else 'mcast_in1'})"


@advice_rule("matmul-mcast-kind")
def matmul_mcast_kind(ctx: AdviceContext) -> list[Advice]:
    """A matmul whose IR program config (2-D or 1-D mcast) overflows L1 (or clashes with an L1 buffer): another
    config kind, every field derived with tt-metal's own recipe on the IR's grid — from 2-D: the 1-D config
    mcast_in0 and mcast_in1 (``get_mcast_1d_config``); from 1-D: the 2-D config (``create_matmul_program_config``)
    and the 1-D config of the other mcast direction. Each candidate is built as an op (checked) and predicted with
    the L1 model; the one that fits with the smallest CB region is kept.

    Only when A, B and the output are interleaved (sharded operands pin the kind to their layout in tt-metal's
    validate), B is not batched when the batch is fused (fuse_batch needs B of batch 1), and neither input is
    transposed (the model leaves the transpose CB out). The IR's fuse_batch and fused activation are kept."""
    from ..analyze.l1.ops_matmul import cb_estimate, matmul_shape
    from ..analyze.l1.tensors import operand, result
    from ..ir.ttnn import Matmul
    from .model import Verification, fact, guess

    t = _target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    a, b, out = operand(op, 0), operand(op, 1), result(op)
    if pc is None or pc.kind not in ("2d", "1d") or a is None or b is None or out is None:
        return []
    if len(a.shape) < 2 or len(b.shape) < 2 or mm.transpose_a or mm.transpose_b:
        return []
    if any(x.sharded for x in (a, b, out)):
        return []
    base = ctx.predict([op])
    end0 = base["worst_cb_region_end_bytes"]
    if base["fits"]:
        return []  # the model does not reproduce the overflow
    s = matmul_shape(a, b, False, False)
    if pc.fuse_batch and s.b_batch > 1:
        return []
    mt = s.mt * (s.batch if pc.fuse_batch else 1)  # get_M_dim(fuse_batch)
    grid = pc.grid or ctx.l1.grid
    bias = operand(op, 2) if mm.bias is not None else None
    est = cb_estimate(mm, a, b, out, bias, ctx.l1)
    fp32 = mm.fp32_dest_acc()
    if pc.kind == "2d":
        cands = [_config_1d(mt, s.nt, s.kt, grid, True, est, fp32), _config_1d(mt, s.nt, s.kt, grid, False, est, fp32)]
    else:
        cands = [_config_2d(mt, s.nt, s.kt, grid, est, fp32),
                 _config_1d(mt, s.nt, s.kt, grid, not pc.mcast_in0, est, fp32)]
    cfg = mm.matmul_program_config
    act = render(cfg.fields["fused_activation"]) if "fused_activation" in cfg.fields else None
    best = None
    cores = grid[0] * grid[1]
    for c in cands:
        if c["kind"] == "1d" and c["blocks"] > cores:
            continue  # validate: num_blocks_y·num_blocks_x ≤ grid cores
        built = _edit(ctx, op, matmul_program_config=_config_attr(c, pc.fuse_batch, act))
        if built is None:
            continue  # the typed op rejects it
        pred = ctx.predict(built.ops)
        if pred["fits"] and (best is None or pred["worst_cb_region_end_bytes"] < best[2]["worst_cb_region_end_bytes"]):
            best = (c, built, pred)
    if best is None:
        return []
    c, built, pred = best
    was = "2-D mcast" if pc.kind == "2d" else f"1-D mcast ({'mcast_in0' if pc.mcast_in0 else 'mcast_in1'})"
    recipe = ("get_mcast_1d_config: mcast_in0 per_core_M = M tiles, per_core_N = ceil(ceil(N / cores) / 32); "
              "mcast_in1 per_core_M = ceil(ceil(M / cores) / 32), per_core_N = N tiles; in0_block_w 2 (1 for an odd "
              "K tile count); out block get_multi_dim_per_core_factor; subblock get_matmul_subblock_params"
              if c["kind"] == "1d" else
              "create_matmul_program_config (interleaved A): per_core_M = ceil(M tiles / grid rows), per_core_N = "
              "ceil(N tiles / grid columns), in0_block_w the largest of 4, 3, 2, 1 dividing K tiles; out block "
              "get_multi_dim_per_core_factor; subblock get_subblock_sizes, height 1 unless its width is per_core_N")
    return [Advice("matmul-mcast-kind",
                   f"Use a {_kind_name(c)} program config on {op.id} (from {was}): per_core_M = {c['per_core_m']}, "
                   f"per_core_N = {c['per_core_n']}, out block {c['out_block_h']}x{c['out_block_w']}",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail=_BLOCKING), score=58.0,
                   notes=[f"{c['blocks']} output blocks on the {grid[0]} x {grid[1]} grid"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: per_core_M {pc.per_core_m}, per_core_N {pc.per_core_n}, "
                               f"in0_block_w {pc.in0_block_w}, grid {grid}; output {mt} x {s.nt} tiles, K {s.kt} "
                               "tiles; A, B and the output interleaved", op.line, f"{op.id} {op.name}"),
                       fact("matmul program configs use different sized CBs: when one runs out of L1, another "
                            "kind may fit", "tt-metal#10515 (maintainer comment, 2024-07-24)"),
                       fact(f"the new config follows tt-metal's own recipe on the IR's grid: {recipe}",
                            f"{_MM_CONFIG_SRC} (get_mcast_1d_config, create_matmul_program_config)"),
                       fact("1-D: ceil(M/per_core_M)·ceil(N/per_core_N) ≤ grid cores, mcast_in0 needs one block of "
                            "rows; 2-D: blocks ≤ grid columns x rows", _MM_VALIDATE_SRC),
                       fact("the 1-D factory sizes its CBs as the 2-D one: c_0 = out_block_h x in0_block_w and c_1 = "
                            "out_block_w x in0_block_w tiles (x2 with more than one K block), c_4 = out_block_h x "
                            "out_block_w tiles", "tt-metal matmul_multicore_reuse_mcast_1d_program_factory.cpp "
                                                 "@00629f0f; matmul_multicore_reuse_mcast_2d_program_factory.cpp "
                                                 "@043b5ac2"),
                       guess("the device's compute grid is at least the IR's grid", "the log names no device grid; "
                             "tt-metal uses the config's grid as given"),
                   ])]


@advice_rule("matmul-dram-sharded")
def matmul_dram_sharded(ctx: AdviceContext) -> list[Advice]:
    """A matmul whose CBs overflow L1 (or clash) with one tile row of A (M = 32 rows, no batch folding): the
    DRAM-sharded program config streams B from DRAM banks. Its prerequisites come from tt-metal's validate; the
    rule states them and which the IR's operands miss. No rewrite: changing the memory configs is a graph change
    (to_memory_config ops, a DRAM-sharded B), and the L1 model does not size the DRAM-sharded factory's sharded
    CBs, so the predicted figure is unknown (said so). Not offered for M above one tile: tt-metal rejects it."""
    from ..analyze.l1.ops_matmul import matmul_shape
    from ..analyze.l1.tensors import operand, result
    from ..ir.ttnn import Matmul
    from .model import Verification, fact

    t = _target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    a, b, out = operand(op, 0), operand(op, 1), result(op)
    if a is None or b is None or out is None or len(a.shape) < 2 or len(b.shape) < 2:
        return []
    if pc is not None and pc.kind == "dram_sharded":
        return []
    base = ctx.predict([op])
    if base["fits"]:
        return []
    s = matmul_shape(a, b, mm.transpose_a, mm.transpose_b)
    if s.mt != 1:
        return []  # validate: M == 1 tile ("currently only support in0 tensor height of tile height")
    missing = []
    if not (a.memory_layout == "width_sharded" and a.buffer_type == "l1"):
        missing.append(f"A is {a.buffer_type or 'unknown'} {a.memory_layout or 'unknown'} (needs L1 width-sharded)")
    if b.memory_layout != "width_sharded" or b.buffer_type != "dram":
        missing.append(f"B is {b.buffer_type or 'unknown'} {b.memory_layout or 'unknown'} (needs DRAM width-sharded)")
    if out.memory_layout != "width_sharded" or out.buffer_type != a.buffer_type:
        missing.append(f"the output is {out.buffer_type or 'unknown'} {out.memory_layout or 'unknown'} (needs "
                       "width-sharded in A's buffer type)")
    title = (f"Consider the DRAM-sharded matmul for {op.id} (one tile row of A)"
             + (": its operands must be width-sharded first" if missing else ""))
    return [Advice("matmul-dram-sharded", title,
                   [f"{op.id} {op.name} (line {op.line}): CB region {base['worst_cb_region_end_bytes']:,} B predicted "
                    + ("for the IR's program config" if pc is not None else "for tt-metal's automatic config")]
                   + [f"{op.id}: {m}" for m in missing],
                   "", {}, Verification("not-run", detail="no rewrite: the operands' memory configs would change"),
                   score=30.0,
                   notes=["predicted CB region unknown: the L1 model does not size the DRAM-sharded factory's CBs "
                          "on sharded operands"],
                   assumptions=limit_facts + [
                       from_ir(f"A {list(a.shape)} {a.buffer_type} {a.memory_layout}, B {list(b.shape)} "
                               f"{b.buffer_type} {b.memory_layout}, output {out.buffer_type} {out.memory_layout}; "
                               f"M {s.mt} tile, K {s.kt} tiles, N {s.nt} tiles", op.line, f"{op.id} {op.name}"),
                       fact("the DRAM-sharded config needs A width-sharded (row-major orientation), a sharded output "
                            "with A's buffer type and layout, B width-sharded, per_core_M = M = 1 tile, and "
                            "in0_block_w dividing K and A's shard width in tiles", _MM_VALIDATE_SRC),
                       fact("the DRAM-sharded factory gives each DRAM bank a reader core and takes B's shard width "
                            "x the bank count as B's width (B width-sharded over the DRAM banks, row-major); its B "
                            "CB is triple-buffered", "tt-metal matmul_multicore_reuse_mcast_dram_sharded_program_"
                            "factory.cpp @01502698 create_program_dram_sharded_descriptor"),
                   ])]
