"""Rule 3: a 1×1×1 conv3d (kernel [1, 1, 1], stride 1, no padding) is a matmul over channels.

TTNN conv3d is channels-last (``[N, D, H, W, C]``), so the rewrite is ``ttnn.linear`` over the last dim
with the weight ``[C_out, C_in, 1, 1, 1]`` reshaped to ``[C_out, C_in]`` (``transpose_b``); exact up to
accumulation order.
"""

from __future__ import annotations

from ..ir.graph import Op
from ..ir.ttnn import Conv3d, decode
from ..ir.types import TensorType
from .context import AdviceContext
from .model import Advice, Verification, from_ir
from .registry import advice_rule
from .rewrite import RewriteBuilder, RewriteError, boolean, i32, ints


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
        has_bias = decode(op).has_bias  # a third tensor operand (the device operand is not one)
        try:
            built = _as_linear(ctx.builder(op.operands), op, x, w, y, op.operand_types[2] if has_bias else None,
                               cin, cout).finish()
        except RewriteError:
            continue
        new_ops = built.ops
        orig, new, how = [op], new_ops, ""
        small_in, small_out = min(cin, _REDUCED), min(cout, _REDUCED)
        ver = None
        if not ctx.full_size and (small_in, small_out) != (cin, cout):
            how = (f"channels cut from {cin} -> {cout} to {small_in} -> {small_out}; spatial shape as in the IR "
                   "(--verify-full: the IR's shapes)")
            try:
                orig, new = _reduced(ctx, op, has_bias, small_in, small_out)
            except RewriteError as e:
                ver = Verification("not-run", detail=f"the reduced instance ({how}) fails its checks: {e}")
        if ver is None:
            ver = ctx.run_both(orig, new, op.id, op.id, pcc_ok=0.9999, reduced=how,
                               detail="conv3d 1x1x1 vs reshape(weight) + linear over channels")
        out.append(Advice("conv3d-1x1x1-as-linear",
                          f"Replace the 1x1x1 conv3d {op.id} by a linear over channels (exact up to accumulation order)",
                          [f"{op.id} ttnn.conv3d with kernel [1, 1, 1], stride 1, no padding: {cin} -> {cout} channels "
                           f"on {list(x.static_shape)} (line {op.line})"],
                          built, ctx.predict(new_ops), ver, score=55.0,
                          assumptions=[from_ir(f"kernel {list(decode(op).kernel)}, stride {list(decode(op).strides)}, "
                                               f"padding {list(decode(op).pads)}, groups 1, weight "
                                               f"{list(w.static_shape)}",
                                               op.line, f"{op.id} ttnn.conv3d", ctx.where(op))]))
    return out


_REDUCED = 32  # default verification instance: at most this many input / output channels


def _as_linear(b: RewriteBuilder, op: Op, x: TensorType, w: TensorType, y: TensorType, bias: TensorType | None,
               cin: int, cout: int) -> RewriteBuilder:
    """reshape(weight [C_out, C_in, 1, 1, 1] -> [C_out, C_in]) + linear(x, weight, transpose_b) in ``b``."""
    w2 = b.like(w, (cout, cin))
    b.op("ttnn.reshape", [f"{op.id}_w"], [op.operands[1]], [w], [w2], shape=ints([cout, cin]))
    b.op("ttnn.linear", [op.id], [op.operands[0], f"{op.id}_w"] + ([op.operands[2]] if bias else []),
         [x, w2] + ([bias] if bias else []), [y], transpose_a=boolean(False), transpose_b=boolean(True))
    return b


def _reduced(ctx: AdviceContext, op: Op, has_bias: bool, cin: int, cout: int) -> tuple[list[Op], list[Op]]:
    """The conv and its rewrite with ``cin`` -> ``cout`` channels (the IR's spatial shape, kernel and attrs).
    Raises RewriteError when either does not pass its checks."""
    b = ctx.builder(op.operands)
    x, w, y = op.operand_types[0], op.operand_types[1], op.result_types[0]
    xs, ys = tuple(x.static_shape), tuple(y.static_shape)
    xt, yt = b.like(x, xs[:-1] + (cin,)), b.like(y, ys[:-1] + (cout,))
    wt = b.like(w, (cout, cin, 1, 1, 1))
    bt = b.like(op.operand_types[2], (1, 1, 1, 1, cout)) if has_bias else None
    types = [xt, wt] + ([bt] if has_bias else []) + list(op.operand_types[3 if has_bias else 2:])
    b.copy(op, operand_types=types, result_types=[yt], in_channels=i32(cin), out_channels=i32(cout))
    conv = b.finish().ops
    return conv, _as_linear(ctx.builder(op.operands), op, xt, wt, yt, bt, cin, cout).finish().ops
