"""Blocking knobs for CB overflows and CB / L1-buffer clashes (then sized to end below the lowest L1
buffer): a conv2d's activation block height (``conv2d_config.act_block_h_override``) and a matmul's K block
(``in0_block_w`` of its program config).

Each rule edits one field of the IR's config (through the typed config's fields, never the attribute text),
predicts the rewritten op with the L1 model in the failing op's arch / era / CB base, and keeps the least
blocked value that fits. Verification is ``not-run``: the executor does not model blocking.
"""

from __future__ import annotations

from ..ir.items import render
from ..ir.printer import op_text
from ..ir.ttnn import decode
from .context import AdviceContext
from .model import Advice, from_ir
from .registry import advice_rule


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

    op = ctx.failing_op
    lim = _limit_ctx(ctx)
    if lim is None or op is None or op.name not in ("ttnn.conv2d", "ttnn.conv_transpose2d"):
        return []
    ctx, limit_facts = lim
    c = decode(op)
    if not isinstance(c, Conv2d):
        return []
    base = analyze_op(op, ctx.l1)
    if not base.core_groups:
        return []
    _, end0 = base.worst(ctx.l1)
    if end0 <= ctx.l1.l1_limit:
        return []  # the model does not reproduce the overflow (e.g. tt-metal slices this conv): no knob to rank
    props = {k: render(v) for k, v in {**op.properties, **op.attributes}.items()}
    current = c.setting("act_block_h_override", "int", 0) or 0
    best = None
    abh = 1 << 12
    while abh >= 1:
        override = abh * 32
        if not current or override < current:
            text = op_text(op.results, op.name, op.operands, [t.text for t in op.operand_types],
                           [t.text for t in op.result_types],
                           {**props, "conv2d_config": _config_text(c.conv2d_config, "act_block_h_override",
                                                                   f"{override} : i32")})
            new = ctx.parse_ops(text)
            pred = ctx.predict(new)
            if pred["fits"]:
                best = (override, text, new, pred)
                break
            if best is None or pred["worst_cb_region_end_bytes"] < best[3]["worst_cb_region_end_bytes"]:
                best = (override, text, new, pred)
        abh //= 2
    if best is None:
        return []
    override, text, new, pred = best
    if pred["worst_cb_region_end_bytes"] >= end0:
        return []  # no block height helps in the model: the overflow is not the activation block's
    ver = Verification("not-run", detail="a blocking knob: the executor does not model blocking (each output is the "
                                         "same sum; the accumulation order may differ)")
    k = c.kernel
    return [Advice("conv2d-act-block-h",
                   f"Set conv2d_config act_block_h_override = {override} on {op.id} (activation blocks of "
                   f"{override // 32} tile rows)",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's config"],
                   text, pred, ver, score=65.0,
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

    op = ctx.failing_op
    lim = _limit_ctx(ctx)
    if lim is None or op is None or op.name not in ("ttnn.matmul", "ttnn.linear"):
        return []
    ctx, limit_facts = lim
    mm = decode(op)
    pc = mm.program_config if isinstance(mm, Matmul) else None
    if pc is None or pc.kind not in ("2d", "1d", "dram_sharded") or pc.in0_block_w <= 1:
        return []
    end0 = ctx.predict([op])["worst_cb_region_end_bytes"]
    props = {k: render(v) for k, v in {**op.properties, **op.attributes}.items()}
    cfg = mm.matmul_program_config
    best = None
    for w in sorted((d for d in range(1, pc.in0_block_w) if pc.in0_block_w % d == 0), reverse=True):
        fields = {k: render(v) for k, v in cfg.fields.items()}
        fields["in0_block_w"] = str(w)
        text = op_text(op.results, op.name, op.operands, [t.text for t in op.operand_types],
                       [t.text for t in op.result_types],
                       {**props, "matmul_program_config": f"#ttnn.{cfg.kind}<"
                        + ", ".join(f"{k} = {v}" for k, v in fields.items()) + ">"})
        new = ctx.parse_ops(text)
        pred = ctx.predict(new)
        if best is None or pred["worst_cb_region_end_bytes"] < best[3]["worst_cb_region_end_bytes"]:
            best = (w, text, new, pred)
        if pred["fits"]:
            best = (w, text, new, pred)
            break
    if best is None or best[3]["worst_cb_region_end_bytes"] >= end0:
        return []
    w, text, new, pred = best
    return [Advice("matmul-in0-block-w",
                   f"Set in0_block_w = {w} (from {pc.in0_block_w}) in {op.id}'s matmul_program_config",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   text, pred, Verification("not-run", detail="a blocking knob: the executor does not model blocking "
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
