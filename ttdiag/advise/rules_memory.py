"""Rule 5: L1 out-of-memory or a CB/L1-buffer clash → free L1: move the named tensors to DRAM, lower the
optimizer level, deallocate earlier; for convolutions, a smaller ``act_block_h_override`` or slicing."""

from __future__ import annotations

from ..analyze.layout import analyze_tensor
from .context import AdviceContext
from .model import Advice, Verification, fact, from_ir, guess
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
                                                                 op.line, f"{op.id} {op.name} types", ctx.where(op))]))
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


_CONSTANTS_H = ("tt-mlir include/ttmlir/Dialect/TTNN/Utils/Constants.h L1_SMALL_SIZE (\"reserves a region of L1 "
                "memory for L1_SMALL buffers used by convs\") @deed8ab7")
_RUNTIME_OPEN = ("tt-mlir runtime/lib/ttnn/runtime.cpp openMeshDevice: options.l1SmallSize.value_or(L1_SMALL_SIZE) "
                 "(commit not recorded)")
# the L1 bank of tt-mlir#8044's allocator message: 1,329,888 = 1,499,136 - 103,712 - 65,536
_BANK_SIZE = ("tt-mlir#8044's allocator message: L1 bank size 1,329,888 B = wormhole_b0 L1 1,499,136 B - unreserved "
              "base 103,712 B - L1_SMALL 65,536 B")


@advice_rule("l1-small-size")
def l1_small_size(ctx: AdviceContext) -> list[Advice]:
    """An out-of-memory in the L1_SMALL region (where conv2d / halo keep their small config tensors): open the
    device with a larger ``l1_small_size``. The region's size is a device option (tt-metal default 0,
    tt-mlir runtime 65,536 B), so nothing in the IR changes; the figures come from the allocator message."""
    f = ctx.report.failure
    if f.kind != "out-of-memory" or str(f.figures.get("buffer_type", "")).upper() != "L1_SMALL":
        return []
    figs = f.figures
    need, banks = figs.get("bytes_per_bank"), figs.get("num_banks")
    size, alloc = figs.get("bank_size_bytes"), figs.get("allocated_bytes")
    free, largest = figs.get("free_bytes"), figs.get("largest_free_block_bytes")
    if need is None:
        return []
    evidence = [f"{f.kind}: {f.message}"]
    assumptions = [from_ir(f"the failure: {f.message}", f.line, f.kind),
                   fact("the L1_SMALL region of each L1 bank holds small buffers for convolutions (their sliding-"
                        "window / halo config tensors); its size is chosen when the device is opened", _CONSTANTS_H),
                   fact("tt-metal opens a device with no L1_SMALL region unless asked (DEFAULT_L1_SMALL_SIZE = 0); "
                        "the tt-mlir runtime asks for 65,536 B unless its device options say otherwise",
                        "tt-metal tt_metal/hostdevcommon/api/hostdevcommon/common_values.hpp (commit not recorded); "
                        + _RUNTIME_OPEN)]
    pred: dict = {"needed_bytes_per_bank": need}
    if size is not None and alloc is not None:
        short = alloc + need > size  # too few bytes in all; else enough bytes, but not in one block
        minimum = alloc + need if short else size + need
        pred.update(l1_small_size_bytes=size, allocated_bytes_per_bank=alloc, minimum_l1_small_size_bytes=minimum)
        evidence.append(f"the L1_SMALL bank holds {size:,} B with {alloc:,} B allocated; this buffer needs "
                        f"{need:,} B per bank" + (f" over {banks} banks" if banks else ""))
        title = (f"Open the device with a larger L1_SMALL region: l1_small_size of at least {minimum:,} B "
                 f"(now {size:,} B)")
        if short:
            assumptions.append(guess(f"{alloc:,} + {need:,} = {minimum:,} B is enough: the free bytes and the new "
                                     "ones form one block", "where the new bytes join the region is not known "
                                     "to ttdiag"))
        else:
            frag = (f" ({free:,} B free, largest block {largest:,} B)" if free is not None and largest is not None
                    else "")
            assumptions.append(guess(f"{size:,} + {need:,} = {minimum:,} B gives one free block of {need:,} B",
                                     f"the region has the bytes but not in one block{frag}; the new bytes are "
                                     "taken to form a block of their own"))
    else:
        pred["l1_small_size_bytes"] = None
        title = (f"Open the device with a larger L1_SMALL region: this buffer alone needs {need:,} B per bank "
                 "(the message does not give the current size)")
        assumptions.append(guess(f"an l1_small_size above {need:,} B plus what is already allocated there fits",
                                 "the message (an older allocator format) gives neither the region's size nor "
                                 "what it holds"))
    assumptions.append(fact("L1_SMALL is carved out of every L1 bank: the interleaved L1 bank shrinks by the same "
                            "bytes", _BANK_SIZE))
    notes = ["ttnn: ttnn.open_device(device_id=..., l1_small_size=N), or in tt-metal's pytest fixtures "
             "device_params={\"l1_small_size\": N}; tt-mlir runtime: the l1_small_size device option "
             "(MeshDeviceOptions)",
             "L1 interleaved tensors and CBs then have that much less room per bank: check the L1 figures of "
             "the largest ops again"]
    return [Advice("l1-small-size", title, evidence, "", pred,
                   Verification("not-run", detail="no rewrite: a device option; the IR is unchanged"),
                   score=60.0, notes=notes, assumptions=assumptions)]
