"""What the config-knob rules share (``rules_conv_knobs``, ``rules_matmul_knobs``): the L1 limit a knob is
sized to, the failing op a knob rule applies to, and the edited op built as a checked rewrite.

Each knob rule edits one field of the IR's config (through the typed config's fields, never the attribute text),
predicts the rewritten op with the L1 model in the failing op's arch / era / CB base, and keeps the least
blocked value that fits; only when the L1 model reproduces the overflow. Verification is ``not-run``: the executor
does not model blocking or placement (double buffering changes nothing numerically).
"""

from __future__ import annotations

from ..ir.ttnn import decode
from .context import AdviceContext
from .rewrite import RewriteError

BLOCKING = ("a blocking / placement knob: the executor does not model blocking or sharding (each output is the "
             "same sum; the accumulation order may differ)")


def limit_context(ctx: AdviceContext) -> tuple[AdviceContext, list] | None:
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


def knob_target(ctx: AdviceContext, names: tuple[str, ...], cls: type):
    """(sizing context, limit facts, failing op, its typed op) when the failing op is one of ``names``, decodes
    to ``cls`` and the failure is one the knobs size against (:func:`limit_context`); None otherwise."""
    op = ctx.failing_op
    lim = limit_context(ctx) if op is not None and op.name in names else None
    if lim is None:
        return None
    typed = decode(op)
    return (lim[0], lim[1], op, typed) if isinstance(typed, cls) else None


def edit_op(ctx: AdviceContext, op, **attrs: str):
    """The rewrite: ``op`` with the attributes ``attrs`` (MLIR text) replaced, built and checked as an op
    object; None when it fails its checks (a knob value tt-metal would reject)."""
    b = ctx.builder(op.operands)
    b.copy(op, **attrs)
    try:
        return b.finish()
    except RewriteError:
        return None
