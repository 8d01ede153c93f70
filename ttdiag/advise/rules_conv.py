"""Rule 3: a 1×1×1 conv3d (kernel [1, 1, 1], stride 1, no padding) is a matmul over channels.

TTNN conv3d is channels-last (``[N, D, H, W, C]``), so the rewrite is ``ttnn.linear`` over the last dim
with the weight ``[C_out, C_in, 1, 1, 1]`` reshaped to ``[C_out, C_in]`` (``transpose_b``); exact up to
accumulation order.
"""

from __future__ import annotations

from ..ir.graph import Op
from ..ir.items import render
from ..ir.printer import like, op_text
from ..ir.ttnn import Conv3d, decode
from ..ir.types import TensorType
from .context import AdviceContext
from .model import Advice, from_ir
from .registry import advice_rule


def _pointwise_conv3d(op: Op) -> bool:
    """A ``ttnn.conv3d`` whose ``kernel_size`` is written as [1, 1, 1] (an absent kernel does not count), stride 1
    (absent: 1), no padding (absent: 0) and one group."""
    c = decode(op)
    if not isinstance(c, Conv3d) or c.kernel_size is None:
        return False
    return (tuple(c.kernel_size) == (1, 1, 1) and c.strides == (1, 1, 1) and not any(c.pads)
            and c.groups == 1)


@advice_rule("conv3d-1x1x1-as-linear")
def conv3d_as_linear(ctx: AdviceContext) -> list[Advice]:
    cands = [op for op in ([ctx.failing_op] if ctx.failing_op else []) + ctx.window_ops() if _pointwise_conv3d(op)]
    out = []
    seen = set()
    for op in cands:
        if op.id in seen or len(op.operand_types) < 2:
            continue
        seen.add(op.id)
        x, w = op.operand_types[0], op.operand_types[1]
        y = op.result_types[0]
        if not all(isinstance(t, TensorType) and t.static_shape for t in (x, w, y)):
            continue
        cout, cin = w.static_shape[0], w.static_shape[1]
        w2 = like(w, (cout, cin))
        has_bias = decode(op).has_bias  # a third tensor operand (the device operand is not one)
        lines = [op_text([f"{op.id}_w"], "ttnn.reshape", [op.operands[1]], [w.text], [w2],
                         {"shape": f"[{cout} : i32, {cin} : i32]"})]
        operands = [op.operands[0], f"{op.id}_w"] + ([op.operands[2]] if has_bias else [])
        types = [x.text, w2] + ([op.operand_types[2].text] if has_bias else [])
        lines.append(op_text([op.id], "ttnn.linear", operands, types, [y.text],
                             {"transpose_a": "false", "transpose_b": "true"}))
        rewrite = "\n".join(lines)
        new_ops = ctx.parse_ops(rewrite)
        if ctx.check_ops(new_ops, tuple(op.operands)):
            continue
        orig, new, how = [op], new_ops, ""
        small_in, small_out = min(cin, _REDUCED), min(cout, _REDUCED)
        if not ctx.full_size and (small_in, small_out) != (cin, cout):
            orig, new = _reduced(ctx, op, has_bias, small_in, small_out)
            how = (f"channels cut from {cin} -> {cout} to {small_in} -> {small_out}; spatial shape as in the IR "
                   "(--verify-full: the IR's shapes)")
        ver = ctx.run_both(orig, new, op.id, op.id, pcc_ok=0.9999, reduced=how,
                           detail="conv3d 1x1x1 vs reshape(weight) + linear over channels")
        out.append(Advice("conv3d-1x1x1-as-linear",
                          f"Replace the 1x1x1 conv3d {op.id} by a linear over channels (exact up to accumulation order)",
                          [f"{op.id} ttnn.conv3d with kernel [1, 1, 1], stride 1, no padding: {cin} -> {cout} channels "
                           f"on {list(x.static_shape)} (line {op.line})"],
                          rewrite, ctx.predict(new_ops), ver, score=55.0,
                          assumptions=[from_ir(f"kernel {list(decode(op).kernel)}, stride {list(decode(op).strides)}, "
                                               f"padding {list(decode(op).pads)}, groups 1, weight {list(w.static_shape)}",
                                               op.line, f"{op.id} ttnn.conv3d")]))
    return out


_REDUCED = 32  # default verification instance: at most this many input / output channels


def _reduced(ctx: AdviceContext, op: Op, has_bias: bool, cin: int, cout: int) -> tuple[list[Op], list[Op]]:
    """The conv and its rewrite with ``cin`` -> ``cout`` channels (the IR's spatial shape, kernel and attrs)."""
    x, w, y = op.operand_types[0], op.operand_types[1], op.result_types[0]
    xs, ys = tuple(x.static_shape), tuple(y.static_shape)
    xt, yt = like(x, xs[:-1] + (cin,)), like(y, ys[:-1] + (cout,))
    wt, w2 = like(w, (cout, cin, 1, 1, 1)), like(w, (cout, cin))
    bt = like(op.operand_types[2], (1, 1, 1, 1, cout)) if has_bias else None
    props = {k: render(v) for k, v in {**op.properties, **op.attributes}.items()}
    props.update(in_channels=f"{cin} : i32", out_channels=f"{cout} : i32")
    types = [xt, wt] + ([bt] if has_bias else []) + [t.text for t in op.operand_types[3 if has_bias else 2:]]
    conv = ctx.parse_ops(op_text([op.id], op.name, op.operands, types, [yt], props))
    lines = [op_text([f"{op.id}_w"], "ttnn.reshape", [op.operands[1]], [wt], [w2], {"shape": f"[{cout} : i32, {cin} : i32]"}),
             op_text([op.id], "ttnn.linear", [op.operands[0], f"{op.id}_w"] + ([op.operands[2]] if has_bias else []),
                     [xt, w2] + ([bt] if has_bias else []), [yt], {"transpose_a": "false", "transpose_b": "true"})]
    return conv, ctx.parse_ops("\n".join(lines))

