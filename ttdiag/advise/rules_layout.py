"""Rules 1 and 4: replicate padding lowered to a wide gather (``aten::index`` with a ``_workaround``
to_layout in front), and wide untilize/tilize overflows.

Rule 1: tt-mlir lowers ``F.pad(mode="replicate")`` through ``aten::index`` to a gather/embedding over a
reshape to ``[T, rest]``; the ``_workaround`` to_layout in front of it untilizes a very wide tensor. The
exact rewrite is slice + repeat + concat (what tt-mlir's maintainers chose); constant padding is an
approximation whose error is measured on the conv that follows.
Rule 4: a wide untilize/tilize that overflows L1 → untilize the narrower tensor before the reshape, or
slice into chunks that the interleaved factory can hold.
"""

from __future__ import annotations

import math

import numpy as np

from ..analyze.l1.ops_layout import untilize_output_tile
from ..analyze.l1.tensors import facts
from ..ir.graph import Op
from ..ir.printer import like, op_text, tensor_text
from ..ir.ttnn import Permute, Reshape, decode
from ..ir.types import TensorType
from .context import AdviceContext
from .model import Advice, Verification
from .registry import advice_rule

# Padding of modules known to lower replicate padding this way: diffusers' CogVideoXCausalConv3d pads
# time causally by kernel-1 in front and H, W by (kernel-1)//2 on both sides (kernel 3 in Mochi).
_KNOWN_PADDING = {"CogVideoXCausalConv3d": {"time_front": 2, "hw": 1, "kernel": 3}}


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
    """(failing op, its reshape producer, the permute before that), when the failing op is the
    ``aten::index`` workaround over ``permute → reshape [T, rest]``."""
    op = ctx.failing_op
    if op is None or op.loc is None or op.loc.py is None or op.loc.py.aten_op != "aten::index":
        return None
    reshape = ctx.producer(op.operands[0]) if op.operands else None
    if reshape is None or reshape.name != "ttnn.reshape":
        return None
    permute = ctx.producer(reshape.operands[0])
    if permute is None or permute.name != "ttnn.permute":
        return None
    return op, reshape, permute


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
    modules = [c for c, _ in op.loc.py.modules]
    known = next((_KNOWN_PADDING[c] for c in modules if c in _KNOWN_PADDING), None)
    pad = known["time_front"] if known else 1
    evidence = [
        f"{op.id} {op.name} carries loc {op.loc.py.op_name} (aten::index, {op.loc.py.suffix} lowering) over "
        f"{reshape.id} reshape to {list(reshape.result_types[0].static_shape or [])} of {permute.id} permute "
        f"{perm}: a gather along dim {d} (size {t}) of {x} {shape}",
        f"the module is {op.loc.py.module_path} ({', '.join(modules)})",
        f"assumed replicate padding: {pad} in front along dim {d}"
        + (f" (diffusers {next(c for c in modules if c in _KNOWN_PADDING)} with kernel {known['kernel']})" if known
           else " (the pad amount is not in the log; adjust)"),
    ]
    first_shape = shape.copy()
    first_shape[d] = 1
    rep_shape = shape.copy()
    rep_shape[d] = pad
    out_shape = shape.copy()
    out_shape[d] = t + pad
    dtype = x_type.layout.dtype if x_type.layout else x_type.dtype
    tiled = bool(x_type.layout and x_type.layout.is_tiled)
    tt = lambda s: tensor_text(tuple(s), dtype, tiled)  # noqa: E731
    repeat = "x".join("1" if i != d else str(pad) for i in range(len(shape)))
    rewrite = "\n".join([
        op_text(["%first"], "ttnn.slice_static", [x], [x_type.text], [tt(first_shape)],
                {"begins": _ints([0] * len(shape)), "ends": _ints(first_shape), "step": _ints([1] * len(shape))}),
        op_text(["%front"], "ttnn.repeat", ["%first"], [tt(first_shape)], [tt(rep_shape)],
                {"repeat_dims": f"#ttnn.shape<{repeat}>"}),
        op_text(["%padded"], "ttnn.concat", ["%front", x], [tt(rep_shape), x_type.text], [tt(out_shape)],
                {"dim": f"{d} : si32"}),
    ])
    new_ops = ctx.parse_ops(rewrite)
    original = _gather_ops(x, x_type, perm, d, t, pad, dtype)
    idx = np.array([[0] * pad + list(range(t))], dtype=np.uint32)
    ver = ctx.run_both(ctx.parse_ops(original), new_ops, "%g_out", "%padded",
                       inputs=lambda rng: {x: _rand(x_type, rng), "%g_idx": idx},
                       detail="gather (permute, reshape, embedding, reshape, permute) vs slice + repeat + concat")
    adv = Advice("replicate-pad-slice-concat",
                 f"Lower the replicate padding as slice + repeat + concat along dim {d} instead of the gather over "
                 f"a {list(reshape.result_types[0].static_shape or [])} reshape",
                 evidence, rewrite, ctx.predict(new_ops), ver, score=90.0,
                 notes=[f"The same pattern pads the other dims (H, W by {known['hw']} each side)" if known else
                        "Apply the same rewrite to every padded dim.",
                        "This is the lowering tt-mlir's maintainers chose for replicate padding."])
    out = [adv]
    out.extend(_constant_pad_approx(ctx, x, x_type, shape, d, pad, known, evidence))
    return out


def _rand(t: TensorType, rng: np.random.Generator) -> np.ndarray:
    from ..reference.executor import tensor_input

    return tensor_input(t, rng)


def _gather_ops(x: str, x_type: TensorType, perm: list[int], d: int, t: int, pad: int, dtype: str) -> str:
    """The original lowering as ops: permute → reshape [T, rest] → embedding(indices) → reshape → permute back."""
    shape = list(x_type.static_shape or ())
    pshape = [shape[i] for i in perm]
    rest = math.prod(pshape[1:])
    inv = [perm.index(i) for i in range(len(perm))]
    gshape = [t + pad] + pshape[1:]
    oshape = [gshape[i] for i in inv]
    rm = lambda s: tensor_text(tuple(s), dtype, False)  # noqa: E731
    return "\n".join([
        op_text(["%g_p"], "ttnn.permute", [x], [x_type.text], [rm(pshape)],
                {"permutation": f"array<i64: {', '.join(map(str, perm))}>"}),
        op_text(["%g_flat"], "ttnn.reshape", ["%g_p"], [rm(pshape)], [rm([t, rest])], {"shape": _ints([t, rest])}),
        op_text(["%g_rows"], "ttnn.embedding", ["%g_idx", "%g_flat"],
                [tensor_text((1, t + pad), "ui32", False), rm([t, rest])], [rm([1, t + pad, rest])]),
        op_text(["%g_back"], "ttnn.reshape", ["%g_rows"], [rm([1, t + pad, rest])], [rm(gshape)],
                {"shape": _ints(gshape)}),
        op_text(["%g_out"], "ttnn.permute", ["%g_back"], [rm(gshape)], [like(x_type, tuple(oshape))],
                {"permutation": f"array<i64: {', '.join(map(str, inv))}>"}),
    ])


def _constant_pad_approx(ctx: AdviceContext, x: str, x_type: TensorType, shape: list[int], d: int, pad: int,
                         known: dict | None, evidence: list[str]) -> list[Advice]:
    """Constant (zero) padding instead of replicate: measure the error on the conv that follows."""
    if known is None or len(shape) != 5:
        return []
    n, c, t, h, w = shape
    hw = known["hw"]
    k = known["kernel"]
    pads = [(0, 0), (0, 0), (pad, 0), (hw, hw), (hw, hw)]
    padding = ", ".join(str(v) for p in pads for v in p)
    padded = [s + a + b for s, (a, b) in zip(shape, pads)]
    dtype = x_type.layout.dtype if x_type.layout else x_type.dtype
    rewrite = op_text(["%padded"], "ttnn.pad", [f"{x}_rm"], [tensor_text(tuple(shape), dtype, False)],
                      [tensor_text(tuple(padded), dtype, False)],
                      {"padding": f"array<i32: {padding}>", "value": "0.000000e+00 : f32"})
    predicted = ctx.predict(ctx.parse_ops(rewrite))
    cv = min(c, 768 if ctx.full_size else 64)
    ver = Verification("not-run", detail="verification disabled (--no-verify)")
    if ctx.verify:
        ver = _measure_conv_error(ctx, n, cv, t, h, w, pads, k)
    title = "Approximate: constant (zero) padding instead of replicate (changes the conv's boundary outputs)"
    return [Advice("replicate-pad-constant-approx", title,
                   evidence[:2] + [f"measured on a {k}x{k}x{k} conv3d over {cv} channels (of {c}) with the real "
                                   f"spatial shape [{t}, {h}, {w}], seeded weights and inputs"],
                   rewrite, predicted, ver, score=40.0 if ver.status != "failed" else 20.0,
                   notes=["This error is measured on synthetic data (seeded weights and inputs): check it on real "
                          "activations before relying on it."])]


def _measure_conv_error(ctx: AdviceContext, n: int, c: int, t: int, h: int, w: int, pads, k: int) -> Verification:
    from ..reference import Executor
    from ..reference.dtypes import BF16
    from .compare import compare

    rng = np.random.default_rng(ctx.seed)
    # smooth activations (a real decoder's are spatially correlated): random field + local averaging
    base = rng.standard_normal((n, c, t, h, w)).astype(np.float32)
    x = (base + np.roll(base, 1, 3) + np.roll(base, 1, 4) + np.roll(base, 1, 2)) / 2.0
    rep = np.pad(x, pads, mode="edge")
    zero = np.pad(x, pads, mode="constant")
    bound = 1.0 / math.sqrt(c * k ** 3)
    wts = rng.uniform(-bound, bound, (c, c, k, k, k)).astype(np.float32)
    to, ho, wo = t + pads[2][0] + pads[2][1] - k + 1, h + 2 * pads[3][0] - k + 1, w + 2 * pads[4][0] - k + 1
    tp, hp, wp = t + pads[2][0] + pads[2][1], h + 2 * pads[3][0], w + 2 * pads[4][0]
    text = op_text(["%y"], "ttnn.conv3d", ["%x", "%w", "%dev"],
                   [tensor_text((n, tp, hp, wp, c), "bf16", False), tensor_text((c, c, k, k, k), "bf16", False),
                    "!ttnn.device"], [tensor_text((n, to, ho, wo, c), "bf16", False)],
                   {"in_channels": f"{c} : i32", "out_channels": f"{c} : i32", "batch_size": f"{n} : i32",
                    "input_depth": f"{tp} : i32", "input_height": f"{hp} : i32", "input_width": f"{wp} : i32",
                    "kernel_size": f"array<i32: {k}, {k}, {k}>", "stride": "array<i32: 1, 1, 1>",
                    "padding": "array<i32: 0, 0, 0>", "groups": "1 : i32"})
    try:
        conv = ctx.parse_ops(text)[0]
        ex = Executor()
        dev = np.zeros(0, np.float32)
        wb = wts.astype(BF16)
        y_rep = ex.run_op(conv, [np.moveaxis(rep, 1, -1).astype(BF16), wb, dev])[0]
        y_zero = ex.run_op(conv, [np.moveaxis(zero, 1, -1).astype(BF16), wb, dev])[0]
    except Exception as e:  # the conv reference may be missing: report, never break triage
        return Verification("not-run", inputs_seed=ctx.seed, detail=f"conv3d reference could not run: {e}")
    return compare(y_rep, y_zero, ctx.seed, pcc_ok=0.99,
                   detail="conv3d(replicate-padded) vs conv3d(zero-padded), bf16 storage")


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
            rewrite = "\n".join([
                op_text([f"{xin}_rm"], "ttnn.to_layout", [xin], [pin.text], [like(pin, tiled=False)],
                        {"layout": "#ttnn.layout<row_major>"}),
                op_text([op.id], "ttnn.reshape", [f"{xin}_rm"], [like(pin, tiled=False)], [dst.text],
                        {"shape": reshape_shape_text(prod)}),
            ])
            new_ops = ctx.parse_ops(rewrite)
            from ..ir.printer import print_op

            original = ctx.parse_ops("\n".join([print_op(prod), print_op(op)]))
            ver = ctx.run_both(original, new_ops, op.id, op.id,
                               detail="reshape(tile) + to_layout(row_major) vs to_layout(row_major) + reshape")
            out.append(Advice(
                "wide-layout-narrower-view",
                f"Untilize the narrower {list(pin.static_shape)} tensor before the reshape, not the "
                f"{list(src.static_shape or [])} one after it",
                [f"{op.id} {op.name} untilizes a {list(src.static_shape or [])} tensor ({src.layout.memref_shape[-1]:,} "
                 f"tiles wide) produced by {prod.id} ttnn.reshape of {list(pin.static_shape)}"],
                rewrite, ctx.predict(new_ops), ver, score=70.0))
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

    def chunk_lines(x: str, xshape: list[int], xtext: str, n: int, out: str, out_text: str) -> list[str]:
        piece_t = tensor_text(tuple(xshape[:-1] + [cw]), dtype, True)
        piece_rm = tensor_text(tuple(xshape[:-1] + [cw]), dtype, False)
        lines = []
        for i in range(n):
            begins = [0] * (len(xshape) - 1) + [i * cw]
            ends = xshape[:-1] + [(i + 1) * cw]
            lines.append(op_text([f"%c{i}"], "ttnn.slice_static", [x], [xtext], [piece_t],
                                 {"begins": _ints(begins), "ends": _ints(ends), "step": _ints([1] * len(xshape))}))
            lines.append(op_text([f"%c{i}_rm"], "ttnn.to_layout", [f"%c{i}"], [piece_t], [piece_rm],
                                 {"layout": "#ttnn.layout<row_major>"}))
        lines.append(op_text([out], "ttnn.concat", [f"%c{i}_rm" for i in range(n)], [piece_rm] * n, [out_text],
                             {"dim": f"{len(xshape) - 1} : si32"}))
        return lines

    head = chunk_lines(op.operands[0], shape, src.text, min(k, 2), op.id, dst.text)
    shown = "\n".join(head[:4] + ([f"// ... {k - 2} more chunks of {cw:,} columns ..."] if k > 2 else [])
                      + [head[-1].replace(", ".join(f"%c{i}_rm" for i in range(min(k, 2))),
                                          ", ".join(f"%c{i}_rm" for i in range(k)))])
    # verify the pattern on a 4-chunk instance with the same chunk width (all chunks would be k copies)
    vshape = shape[:-1] + [cw * min(k, 4)]
    vsrc = tensor_text(tuple(vshape), dtype, True)
    vdst = tensor_text(tuple(vshape), dtype, False)
    vops = ctx.parse_ops("\n".join(chunk_lines("%vx", vshape, vsrc, min(k, 4), "%vy", vdst)))
    vorig = ctx.parse_ops(op_text(["%vy"], "ttnn.to_layout", ["%vx"], [vsrc], [vdst],
                                  {"layout": "#ttnn.layout<row_major>"}))
    ver = ctx.run_both(vorig, vops, "%vy", "%vy",
                       detail=f"one to_layout vs slices of {cw:,} columns + to_layout + concat, checked on "
                              f"{min(k, 4)} chunks ({vshape})")
    pred = ctx.predict([vops[1]])
    pred["chunks"] = k
    return [Advice("wide-layout-chunks", f"Slice the {w:,}-wide dim into {k} chunks of {cw:,} and untilize each",
                   [f"the interleaved untilize holds one tile row per core: {cw // 32} tiles x ({t_in:,} + {t_out:,}) "
                    f"B per chunk fits the {ctx.l1.max_l1_space:,} B CB budget"]
                   + ([f"dtype {sf.dtype!r} has no size rule in ttdiag: tiles taken as bf16 ({t_in:,} B)"]
                      if not sf.dtype_known else []),
                   shown, pred, ver, score=50.0)]
