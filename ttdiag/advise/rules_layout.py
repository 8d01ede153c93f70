"""Rules 1 and 4: replicate padding lowered to a wide gather (``aten::index`` with a ``_workaround``
to_layout in front), and wide untilize/tilize overflows.

Rule 1: tt-mlir lowers ``F.pad(mode="replicate")`` through ``aten::index`` to a gather/embedding over a
reshape to ``[T, rest]``; the ``_workaround`` to_layout in front of it untilizes a very wide tensor. The
rewrite is slice + repeat + concat (what tt-mlir's maintainers chose). The pad amounts come from the IR only:
the gather's output rows minus its input rows (the total) and its index values when window ops compute them
(the split); when the gather never ran, a stated guess from the kernel of a conv weight in the same program;
else they are unknown and the advice carries no numbers. It is verified against the gather with the IR's
own index values, or is ``not-verifiable``. Constant padding is an approximation whose error is measured on
the conv that consumes the padding in the IR (its kernel, stride, padding and channels; seeded weights).
Rule 4: a wide untilize/tilize that overflows L1 → untilize the narrower tensor before the reshape
(layout-only), or slice into chunks that the interleaved factory can hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..analyze.l1.ops_layout import untilize_output_tile
from ..analyze.l1.tensors import facts
from ..ir.graph import Op
from ..ir.ttnn import Permute, Reshape, decode
from ..ir.types import TensorType
from .context import AdviceContext
from .model import Advice, Assumption, Verification, fact, from_ir, guess
from .registry import advice_rule
from .rewrite import ROW_MAJOR, RewriteBuilder, RewriteError, dense, i32, ints, si32

# Ops a padded value passes through on its way from the gather to its consumer conv (values unchanged in
# order or only re-viewed).
_THROUGH = ("ttnn.to_layout", "ttnn.reshape", "ttnn.permute", "ttnn.typecast", "ttnn.to_memory_config",
            "ttnn.embedding", "ttnn.gather")
# Default verification instance: channels (dim 1 of the padded tensor) cut to this many; the rule's structure
# (dims, permutation, pad amounts, kernel, stride, padding) is kept. --verify-full: the IR's shapes.
_REDUCED_CHANNELS = 8


def _ints(xs) -> str:
    """``[a : i32, b : i32]``: an I32 array attribute as tt-mlir prints one."""
    return "[" + ", ".join(f"{x} : i32" for x in xs) + "]"


def reshape_shape_text(op: Op) -> str:
    """The ``shape`` attribute of a ``ttnn.reshape`` as tt-mlir prints it; the result type's shape when the
    op carries none (or it does not decode)."""
    typed = decode(op)
    shape = typed.shape if isinstance(typed, Reshape) else None
    if shape is None and op.result_types and isinstance(op.result_types[0], TensorType):
        shape = op.result_types[0].static_shape
    return _ints(shape or ())


def _gather_pattern(ctx: AdviceContext) -> tuple[Op, Op, Op] | None:
    """(the ``aten::index`` op, its reshape producer, the permute before that): the failing op, or an op of
    the failing run's window, whose loc names ``aten::index`` over ``permute → reshape [T, rest]``. A window op
    counts only when the failing op is on the padded value's path (the gather itself, or an op it feeds
    through layout, reshape and permute ops, such as the conv that consumes the padding)."""
    failing = ctx.failing_op
    if failing is None:
        return None
    for op in [failing] + list(reversed(ctx.window_ops())):
        if op.loc is None or op.loc.py is None or op.loc.py.aten_op != "aten::index" or not op.operands:
            continue
        reshape = ctx.producer(op.operands[-1] if op.name == "ttnn.embedding" else op.operands[0])
        if reshape is None or reshape.name != "ttnn.reshape":
            continue
        permute = ctx.producer(reshape.operands[0])
        if permute is None or permute.name != "ttnn.permute":
            continue
        if op is not failing and failing.id not in {o.id for o in ctx.downstream(reshape.id, _THROUGH)}:
            continue
        return op, reshape, permute
    return None


@dataclass(slots=True)
class _Pad:
    """Replicate-pad amounts along one dim and where they come from (``how``: ir, guess or unknown)."""

    front: int | None
    back: int | None
    how: str
    assumptions: list[Assumption]
    gather: Op | None = None
    indices: np.ndarray | None = None
    conv: Op | None = None
    why_not: str = ""


def _index_values(ctx: AdviceContext, value: str) -> tuple[np.ndarray | None, Op | None, str]:
    """The gather's index values when window or dump ops compute them from no runtime input (arange, full,
    concat, constant ...): (values, the last index op, ""); else (None, None, why)."""
    from ..reference import Executor

    chain: dict[int, Op] = {}
    order: list[Op] = []  # producers before their users (ops may come from the log and the dump)
    where = "the log or the IR dump" if ctx.dump is not None else "the log"

    def visit(v: str) -> str:
        p = ctx.producer(v)
        if p is None:
            return (f"the gather's indices come from {v}, a runtime input whose values are not in {where}"
                    if v.startswith("%arg") else f"the op defining the gather's indices ({v}) is not in {where}")
        if p.name == "ttcore.load_cached":
            return f"the gather's indices come from a cached const-eval result ({ctx.where(p)} line {p.line})"
        if id(p) in chain:
            return ""
        chain[id(p)] = p
        for o, t in zip(p.operands, p.operand_types):
            if isinstance(t, TensorType):
                why = visit(o)
                if why:
                    return why
        order.append(p)
        return ""

    why = visit(value)
    if why:
        return None, None, why
    try:
        env: dict[str, np.ndarray] = {}
        Executor().run_ops(order, env, stats=False)
    except Exception as e:  # noqa: BLE001  an index op without a reference: not derivable
        return None, None, f"the gather's index ops could not be evaluated: {e}"
    return np.asarray(env[value]).astype(np.float64).astype(np.int64).ravel(), order[-1], ""


def _replicate_split(idx: np.ndarray, t: int) -> tuple[int, int] | None:
    """(front, back) when ``idx`` is ``clamp(arange(-front, t + back), 0, t - 1)``: replicate padding."""
    n = len(idx)
    for front in range(n - t + 1):
        back = n - t - front
        if np.array_equal(idx, np.clip(np.arange(-front, t + back), 0, t - 1)):
            return front, back
    return None


def _consumer_conv(ctx: AdviceContext, value: str) -> Op | None:
    return next((o for o in ctx.downstream(value, _THROUGH) if o.name in ("ttnn.conv3d", "ttnn.conv2d")), None)


def _pad_amounts(ctx: AdviceContext, idx_op: Op, reshape: Op, x_shape: list[int], d: int) -> _Pad:
    """Pad amounts along dim ``d`` from the IR: the gather's output vs input rows (the total), its index values
    (the split), the consumer conv; else a stated guess from a conv weight in the window; else unknown."""
    t = x_shape[d]
    rows = reshape.result_types[0].static_shape or ()
    gather = idx_op if idx_op.name in ("ttnn.embedding", "ttnn.gather") else next(
        (o for o in ctx.downstream(reshape.id, _THROUGH[:5]) if o.name in ("ttnn.embedding", "ttnn.gather")), None)
    if gather is not None and gather.result_types and isinstance(gather.result_types[0], TensorType):
        gshape = gather.result_types[0].static_shape or ()
        width = rows[-1] if rows else None
        # one row per index: the embedding's result is the indices' shape + [width] ([1, n] or [n, 1] indices;
        # tt-mlir GatherToEmbeddingConversionPattern, TTIRToTTIRDecomposition.cpp @9ea5fc28)
        n = math.prod(gshape[:-1]) if len(gshape) >= 2 and gshape[-1] == width else None
        what = f"{gather.id} {gather.name}"
        gfile = ctx.where(gather)
        if n is None or n < t:
            return _Pad(None, None, "unknown", [from_ir(
                f"the gather's result {list(gshape)} does not hold rows of the [{t}, {width}] table: the pad "
                "amounts cannot be read from it", gather.line, what, gfile)], gather,
                why_not="the gather's shapes do not match the padding pattern")
        total = n - t
        a = [from_ir(f"the gather takes {n} rows of {t} along dim {d}: {total} rows of padding in all",
                     gather.line, what, gfile)]
        conv = _consumer_conv(ctx, gather.id)
        idx, last, why = _index_values(ctx, gather.operands[0])
        line, ifile = (last.line, ctx.where(last)) if last is not None else (None, "log")
        split = _replicate_split(idx, t) if idx is not None else None
        if idx is not None and split is None:
            a.append(from_ir(f"the gather's index values {idx.tolist()[:12]} are not a replicate padding of "
                             f"rows 0..{t - 1}", line, "the index ops", ifile))
            return _Pad(None, None, "unknown", a, gather, idx, conv, "the gather's indices are not a replicate pad")
        if split is not None:
            def rows(n: int, row: int, where: str) -> str:
                return f"no row {where}" if n == 0 else f"row {row} {n} time{'s' if n != 1 else ''} {where}"

            a.append(from_ir(f"the index values {idx.tolist()[:12]}{' ...' if len(idx) > 12 else ''} repeat "
                             f"{rows(split[0], 0, 'in front')} and {rows(split[1], t - 1, 'behind')}", line,
                             "the index ops", ifile))
            return _Pad(split[0], split[1], "ir", a, gather, idx, conv)
        a.append(guess(f"all {total} padding rows in front (causal), none behind", why))
        return _Pad(total, 0, "guess", a, gather, None, conv, why)
    # the gather never ran: a conv weight in the window may give the kernel, and the pad a guess
    why = (f"the gather that {idx_op.id} {idx_op.name} (line {idx_op.line}) feeds never ran, so its output "
           "shape and indices are not in the log" + (" (nor in the IR dump)" if ctx.dump is not None else ""))
    if len(x_shape) == 5 and d >= 2:
        # a weight enters a program through a cached const-eval (tt-mlir hoists weight preparation) or a conv
        for op in ctx.window_ops():
            if op.name not in ("ttcore.load_cached", "ttnn.conv3d"):
                continue
            for name, ty in zip(op.operands, op.operand_types):
                ws = ty.static_shape if isinstance(ty, TensorType) else None
                if ws and len(ws) == 5 and ws[1] == x_shape[1] and list(ws) != list(x_shape):
                    k = ws[d]
                    total = k - 1
                    front, back = (total, 0) if d == 2 else (total // 2, total - total // 2)
                    return _Pad(front, back, "guess", [
                        from_ir(f"{name} {list(ws)} has {ws[1]} input channels like the padded tensor; read as a "
                                f"conv3d weight [C_out, C_in, kD, kH, kW], its kernel along dim {d} is {k}",
                                op.line, f"{op.id} {op.name}", ctx.where(op)),
                        guess(f"the padding feeds a conv with that weight and keeps dim {d} at {t}: {total} rows "
                              + ("in front (causal)" if d == 2 else f"split {front} in front, {back} behind"),
                              why)], why_not=why)
    return _Pad(None, None, "unknown", [guess("the pad amounts are unknown", why)], why_not=why)


@advice_rule("replicate-pad-slice-concat")
def replicate_pad_rewrite(ctx: AdviceContext) -> list[Advice]:
    pat = _gather_pattern(ctx)
    if pat is None:
        return []
    op, reshape, permute = pat
    typed = decode(permute)
    perm = list(typed.permutation or ()) if isinstance(typed, Permute) else []
    x_type = permute.operand_types[0]
    if not perm or not isinstance(x_type, TensorType) or x_type.static_shape is None:
        return []
    x = permute.operands[0]
    shape = list(x_type.static_shape)
    d = perm[0]
    t = shape[d]
    rows = list(reshape.result_types[0].static_shape or []) if reshape.result_types else []
    if len(rows) != 2 or rows[0] != t or rows[1] * t != math.prod(shape):
        return []  # not a [T, rest] view of the permuted tensor: not this pattern
    pad = _pad_amounts(ctx, op, reshape, shape, d)
    evidence = [f"{op.id} {op.name} (line {op.line}) carries loc {op.loc.py.op_name} (aten::index) over "
                f"{reshape.id} reshape to {rows} of {permute.id} permute {perm}: a gather along dim {d} "
                f"(size {t}) of {x} {shape}"]
    assumptions = [from_ir(f"the gather reads rows of {x} {shape} along dim {d} (size {t})", permute.line,
                           f"{permute.id} ttnn.permute {perm}", ctx.where(permute))] + pad.assumptions
    notes = ["This is the lowering tt-mlir's maintainers chose for replicate padding.",
             "Other padded dims (if any) are separate gathers: apply the same rewrite to each."]
    dtype = x_type.layout.dtype if x_type.layout else x_type.dtype
    tiled = bool(x_type.layout and x_type.layout.is_tiled)
    if pad.front is None or pad.back is None:
        ver = Verification("not-verifiable", detail=pad.why_not or "the pad amounts cannot be read from the log")
        return [Advice("replicate-pad-slice-concat",
                       f"Lower the replicate padding along dim {d} as slice + repeat + concat instead of the gather "
                       f"over a {rows} reshape (pad amounts unknown: take them from the model)",
                       evidence, "", {}, ver, score=60.0, notes=notes, assumptions=assumptions)]
    try:
        built = _slice_concat_ops(ctx.builder((x,)), x, x_type, shape, d, pad.front, pad.back, dtype, tiled).finish()
    except RewriteError:
        return []
    ver = _verify_gather(ctx, pad, shape, perm, d, dtype, tiled)
    amounts = f"{pad.front} in front, {pad.back} behind" + (", guessed" if pad.how == "guess" else "")
    adv = Advice("replicate-pad-slice-concat",
                 f"Lower the replicate padding along dim {d} ({amounts}) as slice + repeat + concat instead of "
                 f"the gather over a {rows} reshape",
                 evidence, built, ctx.predict(built.ops), ver, score=90.0, notes=notes, assumptions=assumptions)
    return [adv] + _constant_pad_approx(ctx, x, x_type, shape, d, pad, evidence, assumptions)


def _slice_concat_ops(b: RewriteBuilder, x: str, x_type: TensorType, shape: list[int], d: int, front: int, back: int,
                      dtype: str, tiled: bool) -> RewriteBuilder:
    """Slice the edge row, repeat it, concat: in front and/or behind along ``d`` (ops added to ``b``; the
    result is ``%padded``)."""
    n = len(shape)
    parts: dict[str, TensorType] = {}
    for side, amount in (("front", front), ("back", back)):
        if amount <= 0:
            continue
        edge = shape.copy()
        edge[d] = 1
        rep = shape.copy()
        rep[d] = amount
        begins, ends = [0] * n, list(shape)
        if side == "front":
            ends[d] = 1
        else:
            begins[d] = shape[d] - 1
        edge_t = b.tensor(edge, dtype, tiled)
        b.op("ttnn.slice_static", [f"%{side}_edge"], [x], [x_type], [edge_t], begins=ints(begins), ends=ints(ends),
             step=ints([1] * n))
        reps = "x".join("1" if i != d else str(amount) for i in range(n))
        parts[f"%{side}"] = b.tensor(rep, dtype, tiled)
        b.op("ttnn.repeat", [f"%{side}"], [f"%{side}_edge"], [edge_t], [parts[f"%{side}"]],
             repeat_dims=f"#ttnn.shape<{reps}>")
    out = shape.copy()
    out[d] = shape[d] + front + back
    order = ([("%front", parts["%front"])] if "%front" in parts else []) + [(x, x_type)] + (
        [("%back", parts["%back"])] if "%back" in parts else [])
    b.op("ttnn.concat", ["%padded"], [o for o, _ in order], [ty for _, ty in order], [b.tensor(out, dtype, tiled)],
         dim=si32(d))
    return b


def _instance_shape(ctx: AdviceContext, shape: list[int]) -> tuple[list[int], str]:
    """The verification instance: the IR's shape with --verify-full, else channels (dim 1) cut."""
    if ctx.full_size or len(shape) < 3 or shape[1] <= _REDUCED_CHANNELS:
        return list(shape), ""
    small = list(shape)
    small[1] = _REDUCED_CHANNELS
    return small, (f"dim 1 (channels) cut from {shape[1]} to {_REDUCED_CHANNELS}; other dims, permutation and pad "
                   "amounts as in the IR (--verify-full: the IR's shapes)")


def _verify_gather(ctx: AdviceContext, pad: _Pad, shape: list[int], perm: list[int], d: int, dtype: str,
                   tiled: bool) -> Verification:
    """The gather with the IR's own index values (permute, reshape, embedding, reshape back, permute back) vs the
    rewrite, on the same seeded input: only when the gather and its index values are in the IR."""
    if pad.gather is None or pad.indices is None:
        return Verification("not-verifiable", detail=pad.why_not or "the gather's index values are not in the log")
    ishape, how = _instance_shape(ctx, shape)
    t = ishape[d]
    n = len(pad.indices)
    pshape = [ishape[i] for i in perm]
    rest = math.prod(pshape[1:])
    inv = [perm.index(i) for i in range(len(perm))]
    gshape = [n] + pshape[1:]
    oshape = [gshape[i] for i in inv]
    g = ctx.builder(("%x", "%g_idx"))
    rm = lambda s: g.tensor(s, dtype, False)  # noqa: E731
    x_t = g.tensor(ishape, dtype, tiled)
    g.op("ttnn.permute", ["%g_p"], ["%x"], [x_t], [rm(pshape)], permutation=dense(perm, "i64"))
    g.op("ttnn.reshape", ["%g_flat"], ["%g_p"], [rm(pshape)], [rm([t, rest])], shape=ints([t, rest]))
    g.op("ttnn.embedding", ["%g_rows"], ["%g_idx", "%g_flat"], [g.tensor((1, n), "ui32", False), rm([t, rest])],
         [rm([1, n, rest])])
    g.op("ttnn.reshape", ["%g_back"], ["%g_rows"], [rm([1, n, rest])], [rm(gshape)], shape=ints(gshape))
    g.op("ttnn.permute", ["%g_out"], ["%g_back"], [rm(gshape)], [g.tensor(oshape, dtype, tiled)],
         permutation=dense(inv, "i64"))
    try:
        original = g.finish().ops
        rewrite = _slice_concat_ops(ctx.builder(("%x",)), "%x", x_t, ishape, d, pad.front or 0, pad.back or 0, dtype,
                                    tiled).finish().ops
    except RewriteError as e:
        return Verification("not-run", detail=f"the verification instance fails its checks: {e}")
    idx = pad.indices.astype(np.uint32).reshape(1, n)

    def inputs(rng: np.random.Generator) -> dict[str, np.ndarray]:
        from ..reference.executor import tensor_input

        return {"%x": tensor_input(x_t, rng), "%g_idx": idx}

    return ctx.run_both(original, rewrite, "%g_out", "%padded", inputs=inputs, reduced=how,
                        detail=f"the gather with the IR's index values ({pad.gather.id}, {ctx.where(pad.gather)} line "
                               f"{pad.gather.line}) vs slice + repeat + concat")


def _constant_pad_approx(ctx: AdviceContext, x: str, x_type: TensorType, shape: list[int], d: int, pad: _Pad,
                         evidence: list[str], assumptions: list[Assumption]) -> list[Advice]:
    """Constant (zero) padding instead of replicate: its error is measured on the conv that follows in the IR."""
    n = len(shape)
    pairs = [(0, 0)] * n
    pairs[d] = (pad.front or 0, pad.back or 0)
    padded = [s + a + b for s, (a, b) in zip(shape, pairs)]
    dtype = x_type.layout.dtype if x_type.layout else x_type.dtype
    b = ctx.builder((x,))
    rm_in = b.tensor(shape, dtype, False)
    src = x
    if x_type.layout is not None and x_type.layout.is_tiled:  # the row-major pad of the constant-pad lowering
        b.op("ttnn.to_layout", [f"{x}_rm"], [x], [x_type], [rm_in], layout=ROW_MAJOR)
        src = f"{x}_rm"
    b.op("ttnn.pad", ["%padded"], [src], [rm_in], [b.tensor(padded, dtype, False)],
         padding=dense([v for p in pairs for v in p]), value="0.000000e+00 : f32")
    try:
        built = b.finish()
    except RewriteError:
        return []
    predicted = ctx.predict(built.ops)
    a = list(assumptions)
    if n > 4:
        a.append(guess(f"ttnn.pad accepts this rank-{n} tensor", "ttdiag has not checked tt-metal's pad validation "
                       "for rank > 4 (the tiled pad is documented for rank <= 4)"))
    if pad.conv is None:
        ver = Verification("not-verifiable", detail="the conv that consumes the padding is not in the log, so the "
                                                    "error of zero padding cannot be measured on it")
    elif not ctx.verify:
        ver = Verification("not-run", detail="verification disabled (--no-verify)")
    else:
        ver, conv_a = _measure_conv_error(ctx, pad.conv, shape, pairs)
        a += conv_a
    title = "Approximate: constant (zero) padding instead of replicate (changes the conv's boundary outputs)"
    return [Advice("replicate-pad-constant-approx", title, evidence, built, predicted, ver,
                   score=40.0 if ver.status not in ("failed", "not-verifiable") else 20.0,
                   notes=["An error figure here is measured on seeded weights and inputs: check it on real "
                          "activations before relying on it."], assumptions=a)]


def _measure_conv_error(ctx: AdviceContext, conv: Op, shape: list[int],
                        pairs: list[tuple[int, int]]) -> tuple[Verification, list[Assumption]]:
    """conv(replicate-padded x) vs conv(zero-padded x), with the consumer conv's kernel, stride, padding and
    channel counts from the IR (channels cut on the default instance); weights seeded."""
    from ..ir.ttnn import Conv3d
    from ..reference import Executor
    from ..reference.dtypes import BF16
    from .compare import compare

    c = decode(conv)
    if not isinstance(c, Conv3d) or len(shape) != 5:
        return Verification("not-verifiable", detail=f"{conv.id} {conv.name}: only a conv3d consumer of a 5-D "
                                                     "tensor is measured"), []
    cin, cout = c.in_channels or shape[1], c.out_channels or shape[1]
    k, st, cp = c.kernel, c.strides, c.pads
    a = [from_ir(f"the padding feeds {conv.id} ttnn.conv3d: kernel {list(k)}, stride {list(st)}, padding "
                 f"{list(cp)}, {cin} -> {cout} channels", conv.line, f"{conv.id} ttnn.conv3d", ctx.where(conv))]
    if cin != shape[1]:
        return Verification("not-verifiable", detail=f"the conv's in_channels {cin} != the padded tensor's "
                                                     f"{shape[1]}"), a
    ci, co = (cin, cout) if ctx.full_size else (min(cin, _REDUCED_CHANNELS), min(cout, _REDUCED_CHANNELS))
    how = (f"channels cut from {cin} -> {cout} to {ci} -> {co}; spatial shape, kernel, stride and padding as in "
           "the IR (--verify-full: the IR's channels)") if (ci, co) != (cin, cout) else ""
    a.append(guess("seeded random weights and spatially smooth seeded inputs stand in for the real ones (the log "
                   "holds no tensor values)", "the error depends on the real weights and activations"))
    rng = np.random.default_rng(ctx.seed)
    nb, _, tt, hh, ww = shape
    base = rng.standard_normal((nb, ci, tt, hh, ww)).astype(np.float32)
    xs = (base + np.roll(base, 1, 3) + np.roll(base, 1, 4) + np.roll(base, 1, 2)) / 2.0  # spatially correlated
    rep = np.pad(xs, pairs, mode="edge")
    zero = np.pad(xs, pairs, mode="constant")
    _, _, tp, hp, wp = rep.shape
    bound = 1.0 / math.sqrt(ci * math.prod(k))
    wts = rng.uniform(-bound, bound, (co, ci, *k)).astype(np.float32)
    outs = [(s + 2 * p - kk) // ss + 1 for s, p, kk, ss in zip((tp, hp, wp), cp, k, st)]
    if min(outs) <= 0:
        return Verification("not-verifiable", detail="the padded shape does not fit the conv's kernel"), a
    b = ctx.builder(("%x", "%w"))
    b.op("ttnn.conv3d", ["%y"], ["%x", "%w", "%dev"],
         [b.tensor((nb, tp, hp, wp, ci), "bf16", False), b.tensor((co, ci, *k), "bf16", False), "!ttnn.device"],
         [b.tensor((nb, *outs, co), "bf16", False)],
         in_channels=i32(ci), out_channels=i32(co), batch_size=i32(nb), input_depth=i32(tp), input_height=i32(hp),
         input_width=i32(wp), kernel_size=dense(k), stride=dense(st), padding=dense(cp), groups=i32(1))
    instance = {"inputs": {"x": [nb, ci, tt, hh, ww], "weight": [co, ci, *k]}, "reduced": bool(how),
                "how": how or "the IR's shapes"}
    try:
        op = b.finish().ops[0]
        ex = Executor()
        dev = np.zeros(0, np.float32)
        wb = wts.astype(BF16)
        y_rep = ex.run_op(op, [np.moveaxis(rep, 1, -1).astype(BF16), wb, dev])[0]
        y_zero = ex.run_op(op, [np.moveaxis(zero, 1, -1).astype(BF16), wb, dev])[0]
    except Exception as e:  # noqa: BLE001  the conv reference may be missing: report, never break triage
        return Verification("not-run", inputs_seed=ctx.seed, instance=instance,
                            detail=f"conv3d reference could not run: {e}"), a
    return compare(y_rep, y_zero, ctx.seed, pcc_ok=0.99, instance=instance,
                   detail=f"{conv.id} conv3d on replicate- vs zero-padded input, bf16 storage"), a


@advice_rule("wide-layout-narrower-view")
def wide_layout(ctx: AdviceContext) -> list[Advice]:
    """A wide untilize/tilize overflowing L1: untilize the narrower tensor before the reshape that widened it."""
    f = ctx.report.failure
    op = ctx.failing_op
    if f.kind != "cb-exceeds-l1" or op is None or op.name not in ("ttnn.to_layout", "ttnn.untilize",
                                                                   "ttnn.untilize_with_unpadding"):
        return []
    src, dst = op.operand_types[0], op.result_types[0]
    if not (isinstance(src, TensorType) and isinstance(dst, TensorType) and src.layout and src.layout.is_tiled):
        return []
    prod = ctx.producer(op.operands[0])
    out: list[Advice] = []
    if prod is not None and prod.name == "ttnn.reshape":
        pin = prod.operand_types[0]
        if isinstance(pin, TensorType) and pin.static_shape and pin.static_shape[-1] < (src.static_shape or [0])[-1]:
            xin = prod.operands[0]
            b = ctx.builder((xin,))
            pin_rm = b.like(pin, tiled=False)
            b.op("ttnn.to_layout", [f"{xin}_rm"], [xin], [pin], [pin_rm], layout=ROW_MAJOR)
            b.op("ttnn.reshape", [op.id], [f"{xin}_rm"], [pin_rm], [dst], shape=reshape_shape_text(prod))
            try:
                built = b.finish()
            except RewriteError:
                return _chunked(ctx, op, src, dst)
            new_ops = built.ops
            original = [prod, op]
            ver = ctx.run_both(original, new_ops, op.id, op.id,
                               detail="reshape(tile) + to_layout(row_major) vs to_layout(row_major) + reshape")
            out.append(Advice(
                "wide-layout-narrower-view",
                f"Untilize the narrower {list(pin.static_shape)} tensor before the reshape, not the "
                f"{list(src.static_shape or [])} one after it",
                [f"{op.id} {op.name} untilizes a {list(src.static_shape or [])} tensor ({src.layout.memref_shape[-1]:,} "
                 f"tiles wide) produced by {prod.id} ttnn.reshape of {list(pin.static_shape)}"],
                built, ctx.predict(new_ops), ver, score=70.0,
                assumptions=[from_ir(f"{prod.id} reshapes {list(pin.static_shape)} to {list(src.static_shape or [])}",
                                     prod.line, f"{prod.id} ttnn.reshape", ctx.where(prod)),
                             from_ir(f"{op.id} converts it from tile to row-major", op.line, f"{op.id} {op.name}",
                                     ctx.where(op))]))
    out.extend(_chunked(ctx, op, src, dst))
    return out


def _chunked(ctx: AdviceContext, op: Op, src: TensorType, dst: TensorType) -> list[Advice]:
    """Slice the last dim into chunks whose full tile row fits the interleaved factory."""
    shape = list(src.static_shape or ())
    if len(shape) < 2:
        return []
    sf, df = facts(src), facts(dst)
    if sf is None or df is None:
        return []
    # the interleaved untilize holds one tile row per core: Wt x (T_in + T_out) bytes of CBs
    t_in, t_out = sf.tile_bytes, untilize_output_tile(sf, df)
    wt_max = ctx.l1.max_l1_space // (t_in + t_out) - 1
    w = shape[-1]
    cand = [c for c in range(32, min(w, wt_max * 32) + 1, 32) if w % c == 0]
    if not cand or cand[-1] == w:
        return []
    cw = cand[-1]
    k = w // cw
    dtype = src.layout.dtype

    def chunks(b: RewriteBuilder, x: str, xshape: list[int], x_t: TensorType, n: int, out: str, out_t: TensorType,
               dt: str = dtype, shown: int | None = None) -> RewriteBuilder:
        """Slice ``x`` into ``n`` chunks of ``cw`` columns, untilize each, concat into ``out``; with ``shown``,
        only the first ``shown`` chunks are printed and the rest elided (they repeat with other offsets)."""
        piece_t = b.tensor(xshape[:-1] + [cw], dt, True)
        piece_rm = b.tensor(xshape[:-1] + [cw], dt, False)
        for i in range(n):
            if shown is not None and i == shown:
                b.elide(f"... {n - shown} more chunks of {cw:,} columns ...", [f"%c{j}_rm" for j in range(i, n)])
                break
            begins = [0] * (len(xshape) - 1) + [i * cw]
            ends = xshape[:-1] + [(i + 1) * cw]
            b.op("ttnn.slice_static", [f"%c{i}"], [x], [x_t], [piece_t], begins=ints(begins), ends=ints(ends),
                 step=ints([1] * len(xshape)))
            b.op("ttnn.to_layout", [f"%c{i}_rm"], [f"%c{i}"], [piece_t], [piece_rm], layout=ROW_MAJOR)
        b.op("ttnn.concat", [out], [f"%c{i}_rm" for i in range(n)], [piece_rm] * n, [out_t], dim=si32(len(xshape) - 1))
        return b

    # default instance: 4 chunks of the same width, in f32 (slices, concat and to_layout move values without
    # arithmetic, so the dtype cannot change the outcome); --verify-full: every chunk, the IR's dtype
    nv = k if ctx.full_size else min(k, 4)
    vdt = dtype if ctx.full_size else "f32"
    vshape = shape[:-1] + [cw * nv]
    try:
        built = chunks(ctx.builder((op.operands[0],)), op.operands[0], shape, src, k, op.id, dst,
                       shown=2 if k > 2 else None).finish()
        v = ctx.builder(("%vx",))
        vsrc, vdst = v.tensor(vshape, vdt, True), v.tensor(vshape, vdt, False)
        vops = chunks(v, "%vx", vshape, vsrc, nv, "%vy", vdst, vdt).finish().ops
        o = ctx.builder(("%vx",))
        o.op("ttnn.to_layout", ["%vy"], ["%vx"], [vsrc], [vdst], layout=ROW_MAJOR)
        vorig = o.finish().ops
    except RewriteError:
        return []
    parts = ([f"{nv} of the {k} chunks ({vshape} instead of {shape}): every chunk has the same shape and ops"]
             if nv < k else []) + ([f"{vdt} instead of {dtype}: the ops move values without arithmetic"]
                                    if vdt != dtype else [])
    ver = ctx.run_both(vorig, vops, "%vy", "%vy", reduced="; ".join(parts),
                       detail=f"one to_layout vs slices of {cw:,} columns + to_layout + concat (the slices and the "
                              "concat move the values; the to_layout ops are modelled as identity)")
    pred = ctx.predict([built.ops[1]])  # one chunk's untilize: every chunk has the same CBs
    pred["chunks"] = k
    return [Advice("wide-layout-chunks", f"Slice the {w:,}-wide dim into {k} chunks of {cw:,} and untilize each",
                   [f"the interleaved untilize holds one tile row per core: {cw // 32} tiles x ({t_in:,} + {t_out:,}) "
                    f"B per chunk fits the {ctx.l1.max_l1_space:,} B CB budget"]
                   + ([f"dtype {sf.dtype!r} has no size rule in ttdiag: tiles taken as bf16 ({t_in:,} B)"]
                      if not sf.dtype_known else []),
                   built, pred, ver, score=50.0,
                   assumptions=[from_ir(f"{op.id} converts a {shape} {dtype} tensor from tile to row-major", op.line,
                                        f"{op.id} {op.name}", ctx.where(op)),
                                fact(f"the interleaved untilize factory holds one full tile row per core: c_0 + c_16 "
                                     f"= Wt x ({t_in:,} + {t_out:,}) B, so a chunk of {cw // 32} tiles fits the "
                                     f"{ctx.l1.max_l1_space:,} B between the CB base and the L1 limit",
                                     "tt-metal untilize_with_unpadding_multi_core_interleaved_program_factory.cpp "
                                     "@019b681e"),
                                fact(f"{k} x {cw:,} = {w:,} columns: the chunks cover the dim exactly",
                                     "arithmetic on the IR shape")])]
