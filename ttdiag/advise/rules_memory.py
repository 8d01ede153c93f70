"""Rule 5: L1 out-of-memory or a CB/L1-buffer clash → free L1: move the named tensors to DRAM, lower the
optimizer level, deallocate earlier; for convolutions, a smaller ``act_block_h_override`` or slicing."""

from __future__ import annotations

from ..analyze.layout import analyze_tensor
from .context import AdviceContext
from .model import Advice, Verification, from_ir
from .registry import advice_rule
from .rewrite import DRAM_INTERLEAVED, RewriteError

_PLACEMENT_ONLY = "a memory placement change (to_memory_config): the values are equal by construction"


@advice_rule("l1-pressure")
def l1_pressure(ctx: AdviceContext) -> list[Advice]:
    f = ctx.report.failure
    is_l1_oom = f.kind == "out-of-memory" and str(f.figures.get("buffer_type", "")).upper() == "L1"
    if not (is_l1_oom or f.kind == "cb-clashes-with-l1-buffer"):
        return []
    op = ctx.failing_op
    evidence = [f"{f.kind}: {f.message}"]
    assumptions = [from_ir(f"the failure: {f.message}", f.line, f.kind)]
    if "overshoot_bytes" in f.figures:
        evidence.append(f"short by {f.figures['overshoot_bytes']:,} B per bank")
    out: list[Advice] = []
    if op is not None:
        # a value used twice by the op is moved once
        l1 = list({name: t for _, name, t in op.tensors() if t.layout is not None and t.layout.buffer_type == "l1"}
                  .items())
        built = None
        if l1:
            b = ctx.builder([name for name, _ in l1])
            freed = 0
            for name, t in l1:
                fig = analyze_tensor(t, ctx.l1.arch)
                freed += fig.bytes_per_bank or 0 if fig else 0
                b.op("ttnn.to_memory_config", [f"{name}_dram"], [name], [t], [b.like(t, buffer="dram")],
                     memory_config=DRAM_INTERLEAVED)
            try:
                built = b.finish()
            except RewriteError:
                built = None
        if built is not None:
            out.append(Advice("l1-pressure", f"Move {', '.join(n for n, _ in l1)} of {op.id} {op.name} to DRAM "
                              f"(frees about {freed:,} B per L1 bank)", evidence, built,
                              {"l1_bytes_per_bank_freed": freed, "arch": ctx.l1.arch.name},
                              Verification("layout-only", detail=_PLACEMENT_ONLY), score=45.0,
                              assumptions=assumptions + [from_ir(f"{', '.join(n for n, _ in l1)} of {op.id} are in L1",
                                                                 op.line, f"{op.id} {op.name} types")]))
        if op.name in ("ttnn.conv2d", "ttnn.conv3d", "ttnn.conv_transpose2d"):
            out.append(Advice("l1-pressure", "Shrink the conv's activation block: set conv2d_config "
                              "act_block_h_override to 32 (one tile row) or slice the conv (conv2d_slice_config)",
                              evidence + [f"{op.id} {op.name} (line {op.line})"], "", {},
                              Verification("not-run", detail="a blocking change: same arithmetic, different order"),
                              score=50.0, assumptions=assumptions))
    out.append(Advice("l1-pressure", "Lower the tt-mlir optimizer level (fewer tensors kept in L1) or deallocate "
                      "earlier", evidence, "", {},
                      Verification("not-run", detail="no rewrite: a compiler option"), score=25.0,
                      assumptions=assumptions,
                      notes=["fragmented L1: free bytes exist but no block is large enough"] if f.figures.get(
                          "fragmented") else []))
    return out
