"""Rule 2: a reshape that fails at runtime (``reshape-invalid``) although its IR volumes agree.

tt-metal ``infer_dims_for_reshape`` (``ttnn/core/tensor/tensor_utils.cpp``) compares the runtime
input's *logical* volume with the requested shape's; tile padding never takes part (ttnn-facts.md §5.3).
"""

from __future__ import annotations

from ..ir.printer import print_op
from ..ir.types import TensorType
from .context import AdviceContext
from .model import Advice, Assumption, Verification, fact, from_ir, guess
from .registry import advice_rule
from .rewrite import DRAM_INTERLEAVED, ROW_MAJOR, TILE, RewriteError
from .rules_layout import reshape_shape_text


def _is_reshape_failure(ctx: AdviceContext) -> bool:
    f = ctx.report.failure
    op = ctx.failing_op
    return op is not None and op.name == "ttnn.reshape" and (
        f.kind == "reshape-invalid" or "reshape" in f.message.lower())


def _volume_assumptions(ctx: AdviceContext) -> list[Assumption]:
    """What the reshape check compares (cited), and the IR volumes (read from the op line)."""
    f = ctx.report.failure
    op = ctx.failing_op
    out = []
    vin, vout = f.figures.get("ir_input_volume"), f.figures.get("ir_output_volume")
    if vin is not None and vout is not None and op is not None:
        out.append(from_ir(f"the IR input holds {vin:,} elements and the result {vout:,}", op.line,
                           f"{op.id} ttnn.reshape types", ctx.where(op)))
    src = f.figures.get("source_file")
    if src and str(src).endswith("tensor_utils.cpp"):
        out.append(fact("infer_dims_for_reshape compares the runtime input's logical volume with the requested "
                        "shape's; tile padding takes no part", f"tt-metal ttnn/core/tensor/tensor_utils.cpp:"
                        f"{f.figures.get('source_line', '?')} (named by the log at line {f.line})"))
    return out


@advice_rule("reshape-row-major")
def reshape_row_major(ctx: AdviceContext) -> list[Advice]:
    """Untilize before the reshape and tilize after: the row-major reshape never sees tile padding."""
    if not _is_reshape_failure(ctx):
        return []
    op = ctx.failing_op
    src, dst = op.operand_types[0], op.result_types[0]
    if not (isinstance(src, TensorType) and isinstance(dst, TensorType) and src.layout and src.layout.is_tiled):
        return []
    x, y = op.operands[0], op.id
    shape_attr = reshape_shape_text(op)
    b = ctx.builder((x,))
    src_rm, dst_rm = b.like(src, tiled=False), b.like(dst, tiled=False)
    b.op("ttnn.to_layout", [f"{x}_rm"], [x], [src], [src_rm], layout=ROW_MAJOR)
    b.op("ttnn.reshape", [f"{y}_rm"], [f"{x}_rm"], [src_rm], [dst_rm], shape=shape_attr)
    b.op("ttnn.to_layout", [y], [f"{y}_rm"], [dst_rm], [dst], layout=TILE)
    try:
        built = b.finish()
    except RewriteError:
        return []  # e.g. an IR-inconsistent reshape: the row-major reshape is as invalid as the original
    new_ops = built.ops
    ver = ctx.run_both([op], new_ops, y, y, detail="original tiled reshape vs to_layout(row_major) + reshape + "
                       "to_layout(tile)")
    ir_ok = ctx.report.failure.figures.get("ir_consistent")
    a = Advice("reshape-row-major", "Convert to row-major before the reshape (to_layout(row_major) → reshape → "
               "to_layout(tile))",
               [f"{y} ttnn.reshape of a tiled {list(src.shape)} input to {list(dst.shape)} failed: "
                f"{ctx.report.failure.message}"],
               built, ctx.predict(new_ops), ver, score=60.0 if not ir_ok else 30.0,
               assumptions=[from_ir(f"{y} reshapes a tiled {list(src.shape)} tensor to {list(dst.shape)}", op.line,
                                    f"{y} ttnn.reshape", ctx.where(op))] + _volume_assumptions(ctx))
    if ir_ok:
        a.notes.append("The IR volumes agree, so tile padding is not the cause; this rewrite is a generic "
                       "safeguard, not the fix (see the runtime-shape advice).")
    return [a]


@advice_rule("reshape-runtime-drift")
def reshape_runtime_drift(ctx: AdviceContext) -> list[Advice]:
    """IR-consistent reshape failed at runtime: the input's runtime shape drifted from its IR type.
    Points at the producer in the previous program and offers the host round-trip / program split."""
    if not _is_reshape_failure(ctx) or not ctx.report.failure.figures.get("ir_consistent"):
        return []
    op = ctx.failing_op
    vol = ctx.report.failure.figures.get("ir_input_volume")
    evidence = [f"IR-consistent reshape failed at runtime: {op.id} input {op.operand_types[0].text.split(',')[0]}> "
                f"and result both hold {vol:,} elements, and infer_dims_for_reshape compares the runtime input's "
                "logical volume, so the input's runtime shape drifted from its IR type"]
    # follow the operand back to a program argument through the window
    chain = []
    v = op.operands[0]
    arg = None
    for _ in range(16):
        p = ctx.producer(v)
        if p is None:
            arg = v if v.startswith("%arg") else None
            break
        chain.append(f"{p.id} {p.name} (line {p.line})")
        v = p.operands[0] if p.operands else ""
    if chain:
        evidence.append("input chain in this program: " + " <- ".join(chain) + (f" <- {arg}" if arg else ""))
    prev = ctx.previous_run()
    producer_note = None
    if prev is not None and prev.tail:
        names = [f"{r.result_ids[0]} {r.name} (line {r.line})" for r in prev.tail if r.result_ids]
        conv = next((r for r in reversed(prev.tail) if r.name and "conv" in r.name), None)
        producer_note = (f"the previous program run ({prev.name!r}, lines {prev.start_line}-{prev.end_line}) ends with "
                         + ", ".join(names[-3:]))
        if conv is not None:
            producer_note += f"; its output comes from {(conv.result_ids or ['?'])[0]} {conv.name} (line {conv.line})"
        evidence.append(producer_note)
    built = None
    ver = Verification("layout-only", detail="the host round trip (from_device, to_device) only replaces buffers and "
                                             "metadata: the values are equal by construction; the executor does not "
                                             "model the runtime metadata that drifted")
    if arg is not None:
        t = next((ty for o, ty in zip(op.operands, op.operand_types) if o == v), None)
        first = next((o for o in ctx.window_ops() if arg in o.operands), None)
        if first is not None:
            t = first.operand_types[first.operands.index(arg)]
        # the run's device handle (the failing run's get_device), else a placeholder the user must bind
        dev = next((o.id for o in reversed(ctx.window_ops()) if o.name == "ttnn.get_device" and o.id), None) \
            or "%device"
        if isinstance(t, TensorType):
            b = ctx.builder((arg,))
            host = b.like(t, buffer="system_memory")
            b.op("ttnn.from_device", [f"{arg}_host"], [arg], [t], [host])
            b.op("ttnn.to_device", [f"{arg}_fresh"], [f"{arg}_host", dev], [host, "!ttnn.device"], [t],
                 memory_config=DRAM_INTERLEAVED)
            b.comment(f"then use {arg}_fresh in place of {arg} in this program")
            try:
                built = b.finish()
            except RewriteError:
                built = None
    assumptions = _volume_assumptions(ctx)
    if prev is not None:
        assumptions.append(guess(f"{arg or 'the input'} is the output of the previous program run ({prev.name!r}, "
                                 f"lines {prev.start_line}-{prev.end_line})",
                                 "the log does not link program outputs to the next program's arguments"))
    return [Advice("reshape-runtime-drift", "IR-consistent reshape failed at runtime: the input's runtime shape "
                   "drifted from its IR type. Give the program a fresh input tensor (host round trip of its "
                   "argument, or split the programs so the tensor is saved and reloaded)",
                   evidence, built or "", {}, ver, score=80.0,
                   notes=["A field report (not measured by ttdiag): on a video VAE decoder this failure was fixed by "
                          "saving the conv output to the host and reloading it; .contiguous(), torch_xla.sync() and "
                          ".clone() did not fix it."],
                   assumptions=assumptions)]


__all__ = ["reshape_row_major", "reshape_runtime_drift", "print_op"]


@advice_rule("reshape-ir-inconsistent")
def reshape_ir_inconsistent(ctx: AdviceContext) -> list[Advice]:
    """A reshape whose IR itself changes the element count: no runtime workaround exists; the graph that
    produced it (the frontend or the compiler's lowering) is wrong. Points at the op and a repro."""
    if not _is_reshape_failure(ctx) or ctx.report.failure.figures.get("ir_consistent") is not False:
        return []
    op = ctx.failing_op
    f = ctx.report.failure
    vin, vout = f.figures.get("ir_input_volume"), f.figures.get("ir_output_volume")
    if vin is None or vout is None:
        return []
    src, dst = op.operand_types[0], op.result_types[0]
    shape_attr = reshape_shape_text(op)
    evidence = [f"{op.id} ttnn.reshape (line {op.line}) turns {list(src.shape)} ({vin:,} elements) into "
                f"{list(dst.shape)} ({vout:,} elements; shape attribute {shape_attr})"]
    where = f" ({op.loc.py.op_name}, {op.loc.py.module_path})" if op.loc is not None and op.loc.py is not None else ""
    return [Advice("reshape-ir-inconsistent",
                   f"The IR asks for an impossible reshape ({vin:,} -> {vout:,} elements): fix the graph that "
                   f"produced {op.id}{where}; no runtime change can make it pass",
                   evidence, "", {}, Verification("not-run", detail="no rewrite: the IR itself is invalid"),
                   score=85.0, notes=["`ttdiag repro LOG` writes a minimal module of this op to attach to a report."],
                   assumptions=_volume_assumptions(ctx))]
