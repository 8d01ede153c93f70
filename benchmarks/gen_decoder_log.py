#!/usr/bin/env python3
"""Generate a large synthetic TT-MLIR runtime DEBUG log shaped like a full Mochi VAE decoder run.

    python benchmarks/gen_decoder_log.py OUT.log --size-mb 200 [--seed 0] [--gzip]

Stdlib only. The log is streamed to OUT (bounded buffer, never held in memory). It contains:

* the shell prompt, a torch_xla warning and tt-metal / UMD device-open lines;
* decoder passes over ``block_in``, ``up_blocks.0-2`` and ``block_out`` (19 ``MochiResnetBlock3D``
  per pass), each resnet block run as one compiled graph or as four smaller ones (norm+SiLU,
  conv, norm+SiLU, conv+residual add). Every graph is a ``main`` program whose constants come
  from ``main_const_eval_N`` programs, run either before ``main`` or nested inside it after a
  ``%k = "ttcore.load_cached"(...) <{callee = @main_const_eval_N}>`` op (as the tt-mlir runtime does);
* full generic MLIR op lines with inline ``#ttnn.ttnn_layout`` types (to_layout, permute, reshape,
  pad, conv3d, the group-norm decomposition, silu, add, deallocate, ...), PyTorch NameLocs;
* a few ``Always | WARNING`` and tt-metal ``info`` lines between graphs;
* at the very end (well inside the last 1% of the file) the seed-001 failure: ``%9 =
  "ttnn.to_layout"`` tile -> row_major on ``tensor<4x4884480xbf16>``, the ``critical`` TT_THROW
  "Statically allocated circular buffers ..." line, and the Python traceback / ``RuntimeError:`` /
  ``info:`` / message / ``backtrace:`` block. The file ends there (the process died).

Every tensor layout is self-consistent: DRAM-interleaved, grid ``<1x1>``; TILE maps are the row
strides of the tile-padded shape (last two dims rounded up to 32) collapsed over all dims but the
last, with memref ``[rows/32, cols/32]`` tiles; ROW_MAJOR maps use the logical shape with memref
``[prod(shape[:-1]), shape[-1]]``; rank-1 tensors use ``(d0) -> (0, d0)``.

Sizes are in MiB (2**20 bytes). At the end one JSON line of statistics is printed to stdout:
bytes, lines, programs and op lines written, and the 1-based line numbers of the failing op line
and of the ``critical`` line. ``generate()`` returns the same dict for use from other scripts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time

MIB = 1 << 20
TILE = 32
FLUSH_BYTES = 4 * MIB
PY_FILE = "/home/user/tt-xla/venv/lib/python3.11/site-packages/diffusers/models/autoencoders/autoencoder_kl_mochi.py"
DATE = "2025-12-31"
# tt-metal timestamps run from T_START (device open) to just before the failure at T_FAIL.
T_START_MS = (15 * 3600 + 52 * 60 + 27) * 1000 + 918
T_FAIL_MS = (16 * 3600 + 11 * 60 + 36) * 1000 + 7

RT = "            RuntimeTTNN |    DEBUG | "
EXEC = RT + "Executing operation: "
START = RT + "Starting execution of program: "
FINISH = RT + "Finished execution of program: "
ALWAYS_DEBUG = "                 Always |    DEBUG | "
ALWAYS_WARN = "                 Always |  WARNING | "
GET_DEVICE = ('{} = "ttnn.get_device"() <{{mesh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = #ttnn<mesh_shape 1x1>}}>'
              ' : () -> !ttnn.device loc(unknown)')
TO_TILE = " <{layout = #ttnn.layout<tile>}>"
TO_RM = " <{layout = #ttnn.layout<row_major>}>"
DEALLOC = '"ttnn.deallocate"({}) <{{force = false}}> : ({}) -> () {}'
PAD_ATTR = " <{padding = array<i32: 0, 0, 0, 0, 2, 0, 1, 1, 1, 1>, use_multicore = true, value = 0.000000e+00 : f32}>"
MEAN_ATTR = " <{dim_arg = [2 : i32, 3 : i32], keep_dim = true}>"
FULL_ATTR = (" <{dtype = #ttcore.supportedDataTypes<bf16>, fill_value = 9.99999974E-6 : f32, layout = #ttnn.layout<tile>, "
             "memory_config = #ttnn.memory_config<#ttnn.buffer_type<dram>, <interleaved>>, shape = #ttnn.shape<1x1x1x1>}>")
CONV3D_ATTR = (" <{{batch_size = 1 : i32, conv3d_config = #ttnn.conv3d_config<weights_dtype = bf16, t_out_block = 1, "
               "w_out_block = 1, h_out_block = 1, c_out_block = 128, c_in_block = 128, compute_with_storage_grid_size = "
               "#ttcore.grid<8x8>>, dtype = #ttcore.supportedDataTypes<bf16>, groups = 1 : i32, in_channels = {cin} : i32, "
               "input_depth = {d} : i32, input_height = {h} : i32, input_width = {w} : i32, kernel_size = array<i32: 3, 3, 3>, "
               "out_channels = {cout} : i32, padding = array<i32: 0, 0, 0>, padding_mode = \"zeros\", "
               "stride = array<i32: 1, 1, 1>}}>")

CB_MESSAGE = ("Statically allocated circular buffers on core range [(x=7,y=6) - (x=7,y=6)] grow to 9990400 B "
              "which is beyond max L1 size of 1499136 B")


# --------------------------------------------------------------------------------------------
# Tensor types
# --------------------------------------------------------------------------------------------

_TYPES: dict[tuple, str] = {}


def ttype(shape: tuple[int, ...], tiled: bool, dtype: str = "bf16") -> str:
    """Inline ``tensor<...>`` text with a self-consistent DRAM-interleaved ``#ttnn.ttnn_layout`` (memoised)."""
    key = (shape, tiled, dtype)
    t = _TYPES.get(key)
    if t is not None:
        return t
    rank = len(shape)
    if rank == 1:
        amap = "(d0) -> (0, d0)"
        mem = (1, -(-shape[0] // TILE)) if tiled else (1, shape[0])
    else:
        ps = list(shape)
        if tiled:
            ps[-2] = -(-ps[-2] // TILE) * TILE
            ps[-1] = -(-ps[-1] // TILE) * TILE
        strides = [0] * (rank - 1)
        acc = 1
        for k in range(rank - 2, -1, -1):
            strides[k] = acc
            acc *= ps[k]
        dims = ", ".join(f"d{i}" for i in range(rank))
        terms = " + ".join(f"d{i}" if s == 1 else f"d{i} * {s}" for i, s in enumerate(strides))
        amap = f"({dims}) -> ({terms}, d{rank - 1})"
        mem = (acc // TILE, ps[-1] // TILE) if tiled else (acc, ps[-1])
    elem = f"!ttcore.tile<32x32, {dtype}>" if tiled else dtype
    t = (f"tensor<{'x'.join(map(str, shape))}x{dtype}, #ttnn.ttnn_layout<{amap}, <1x1>, "
         f"memref<{mem[0]}x{mem[1]}x{elem}, #ttnn.buffer_type<dram>>, <interleaved>>>")
    _TYPES[key] = t
    return t


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

class Writer:
    """Counts lines/bytes/programs/op lines; flushes to ``sink`` (bytes -> None) in bounded chunks.
    With ``sink=None`` it keeps everything (used to pre-build the small failure section)."""

    def __init__(self, sink=None):
        self.sink = sink
        self.buf: list[str] = []
        self.pending = 0
        self.bytes = 0
        self.lines = 0
        self.op_lines = 0
        self.programs = 0
        self.mains = 0
        self.const_evals = 0
        self.nested_const_evals = 0

    def line(self, s: str) -> None:
        self.buf.append(s)
        n = len(s) + 1
        self.lines += 1
        self.bytes += n
        self.pending += n
        if self.pending >= FLUSH_BYTES and self.sink is not None:
            self.flush()

    def op(self, text: str) -> None:
        self.op_lines += 1
        self.line(EXEC + text)

    def start(self, name: str) -> None:
        self.programs += 1
        if name == "main":
            self.mains += 1
        else:
            self.const_evals += 1
        self.line(START + name)

    def flush(self) -> None:
        if self.buf and self.sink is not None:
            self.buf.append("")
            self.sink("\n".join(self.buf).encode("ascii"))
            self.buf.clear()
            self.pending = 0


def ts(ms: int) -> str:
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, milli = divmod(rem, 1000)
    return f"{DATE} {h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def metal(ms: int, level: str, cat: str, msg: str) -> str:
    return f"{ts(ms)} | {level:<8} | {cat:>15} | {msg}"


# --------------------------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------------------------

class Prog:
    """SSA numbering and value types of one program being written."""

    __slots__ = ("w", "types", "shapes", "n")

    def __init__(self, w: Writer, first: int = 0):
        self.w = w
        self.types: dict[str, str] = {}
        self.shapes: dict[str, tuple[int, ...]] = {}
        self.n = first

    def arg(self, name: str, shape: tuple[int, ...], tiled: bool = False, dtype: str = "bf16") -> str:
        self.types[name] = ttype(shape, tiled, dtype)
        self.shapes[name] = shape
        return name

    def define(self, name: str, shape: tuple[int, ...], tiled: bool, dtype: str = "bf16") -> str:
        return self.arg(name, shape, tiled, dtype)

    def device(self) -> str:
        v = f"%{self.n}"
        self.n += 1
        self.types[v] = "!ttnn.device"
        self.w.op(GET_DEVICE.format(v))
        return v

    def op(self, name: str, operands: tuple[str, ...], attrs: str, shape: tuple[int, ...], tiled: bool, loc: str,
           dtype: str = "bf16") -> str:
        v = f"%{self.n}"
        self.n += 1
        types = self.types
        out = ttype(shape, tiled, dtype)
        ins = ", ".join(types[o] for o in operands)
        self.w.op(f'{v} = "{name}"({", ".join(operands)}){attrs} : ({ins}) -> {out} {loc}')
        types[v] = out
        self.shapes[v] = shape
        return v

    def dealloc(self, v: str, loc: str) -> None:
        self.w.op(DEALLOC.format(v, self.types[v], loc))


def perm_attr(p: tuple[int, ...]) -> str:
    return f" <{{permutation = array<i64: {', '.join(map(str, p))}>}}>"


def shape_attr(s: tuple[int, ...]) -> str:
    return " <{shape = [" + ", ".join(f"{d} : i32" for d in s) + "]}>"


def permute(shape: tuple[int, ...], p: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(shape[i] for i in p)


_CHAINS: dict[tuple[str, str], str] = {}


def chain(path: str, what: str) -> str:
    """NameLoc module chain for resnet block ``path`` (``what``: block, norm1, norm1_inner, silu, conv1, conv1_inner, ...)."""
    key = (path, what)
    c = _CHAINS.get(key)
    if c is None:
        head = f"MochiResnetBlock3D[{path}]"
        if what == "block":
            c = head
        elif what.startswith("norm"):
            n = what.split("_")[0]
            c = f"{head}|MochiChunkedGroupNorm3D[{path}.{n}]"
            if what.endswith("_inner"):
                c += f"|GroupNorm[{path}.{n}.norm_layer]"
        elif what == "silu":
            c = f"{head}|SiLU[{path}.nonlinearity]"
        else:
            n = what.split("_")[0]
            c = f"{head}|CogVideoXCausalConv3d[{path}.{n}]"
            if what.endswith("_inner"):
                c += f"|Conv3d[{path}.{n}.conv]"
        _CHAINS[key] = c
    return c


def loc(idx: int, ch: str, src_line: int, aten: str) -> str:
    return f'loc("{idx}|{ch}|{PY_FILE}:137|forward|{src_line}|{aten}")'


class Graph:
    """One compiled graph: its const-eval programs and its ``main`` program."""

    def __init__(self, w: Writer, nested: bool, n_const: int):
        self.w = w
        self.nested = nested
        self.n_const = n_const
        self.idx = 0

    def next_idx(self) -> int:
        self.idx += 1
        return self.idx

    # -- const-eval programs ----------------------------------------------------------------
    def const_eval(self, main: Prog | None, k: int, arg: str, in_shape: tuple[int, ...], kind: str, lc: str,
                   in_dtype: str = "bf16") -> None:
        """Run ``main_const_eval_k`` (nested under ``main`` when ``main`` is given: a load_cached op first)."""
        w = self.w
        name = f"main_const_eval_{k}"
        if kind == "conv_weight":
            cout, cin = in_shape[0], in_shape[1]
            out_shape, out_tiled = (27 * cin, cout), True
        elif kind == "bias":
            out_shape, out_tiled = (1, in_shape[0]), True
        elif kind == "norm_param":
            out_shape, out_tiled = (1, in_shape[0], 1, 1), True
        else:  # "index": ui32 gather indices, row-major [1, n]
            out_shape, out_tiled = (1, in_shape[0]), False
        if main is not None:
            main.arg(arg, in_shape, False, in_dtype)
            v = main.op("ttcore.load_cached", (arg,), f" <{{callee = @{name}}}>", out_shape, out_tiled, lc,
                        in_dtype if kind == "index" else "bf16")
            assert v == f"%{k}"
            w.nested_const_evals += 1
        w.line(ALWAYS_DEBUG + "Cache miss or invalid cache for function: " + name)
        w.start(name)
        p = Prog(w)
        a = p.arg("%arg0", in_shape, False, in_dtype)
        if kind == "conv_weight":
            x = p.op("ttnn.permute", (a,), perm_attr((2, 3, 4, 1, 0)), permute(in_shape, (2, 3, 4, 1, 0)), False, lc)
            y = p.op("ttnn.reshape", (x,), shape_attr(out_shape), out_shape, False, lc)
            p.dealloc(x, lc)
            p.op("ttnn.to_layout", (y,), TO_TILE, out_shape, True, lc)
            p.dealloc(y, lc)
        elif kind in ("bias", "norm_param"):
            y = p.op("ttnn.reshape", (a,), shape_attr(out_shape), out_shape, False, lc)
            p.op("ttnn.to_layout", (y,), TO_TILE, out_shape, True, lc)
            p.dealloc(y, lc)
        else:
            p.op("ttnn.reshape", (a,), shape_attr(out_shape), out_shape, False, lc, in_dtype)
        w.line(FINISH + name)
        w.line(ALWAYS_DEBUG + "executed sub-func: " + name)

    def begin(self, consts: list[tuple[str, tuple[int, ...], str, str]]) -> Prog:
        """Write the const-evals (before ``main`` or nested in it) and ``Starting ... main``; return main's Prog
        with ``%0..%{n-1}`` bound to the const-eval results. ``consts``: (arg, input shape, kind, loc)."""
        w = self.w
        main = Prog(w, 0)
        if not self.nested:
            for k, (arg, shape, kind, lc) in enumerate(consts):
                self.const_eval(None, k, arg, shape, kind, lc)
            w.start("main")
            for k, (arg, shape, kind, _lc) in enumerate(consts):
                main.arg(arg, shape, False)
                if kind == "conv_weight":
                    main.define(f"%{k}", (27 * shape[1], shape[0]), True)
                elif kind == "bias":
                    main.define(f"%{k}", (1, shape[0]), True)
                else:
                    main.define(f"%{k}", (1, shape[0], 1, 1), True)
            main.n = len(consts)
        else:
            w.start("main")
            for k, (arg, shape, kind, lc) in enumerate(consts):
                self.const_eval(main, k, arg, shape, kind, lc)
        return main

    def end(self) -> None:
        self.w.line(FINISH + "main")


# --------------------------------------------------------------------------------------------
# Decoder pieces (each returns the value it produced)
# --------------------------------------------------------------------------------------------

def group_norm(g: Graph, p: Prog, x: str, path: str, which: str, src: int, gamma: str, beta: str, dev: str,
               x_tiled: bool) -> str:
    """MochiChunkedGroupNorm3D on [1,C,T,H,W] as the decomposed ttnn sequence; returns a TILE [1,C,T,H,W]."""
    _, c, t, h, wd = p.shapes[x]
    outer, inner = chain(path, which), chain(path, which + "_inner")
    i = g.next_idx()
    if not x_tiled:
        x = p.op("ttnn.to_layout", (x,), TO_TILE, (1, c, t, h, wd), True, loc(i, outer, src, "aten__permute_workaround"))
        xt_owned = True
    else:
        xt_owned = False
    l0 = loc(i, outer, src, "aten__permute")
    a = p.op("ttnn.permute", (x,), perm_attr((0, 2, 1, 3, 4)), (1, t, c, h, wd), True, l0)
    if xt_owned:
        p.dealloc(x, l0)
    l1 = loc(g.next_idx(), inner, src, "aten__view")
    grouped = (t, 32, c // 32, h * wd)
    r = p.op("ttnn.reshape", (a,), shape_attr(grouped), grouped, True, l1)
    p.dealloc(a, l1)
    stat = (t, 32, 1, 1)
    lm = loc(g.next_idx(), inner, src, "aten__mean")
    m = p.op("ttnn.mean", (r,), MEAN_ATTR, stat, True, lm)
    ls = loc(g.next_idx(), inner, src, "aten__sub")
    d = p.op("ttnn.subtract", (r, m), "", grouped, True, ls)
    p.dealloc(m, ls)
    p.dealloc(r, ls)
    lq = loc(g.next_idx(), inner, src, "aten__mul")
    sq = p.op("ttnn.multiply", (d, d), "", grouped, True, lq)
    lv = loc(g.next_idx(), inner, src, "aten__mean")
    var = p.op("ttnn.mean", (sq,), MEAN_ATTR, stat, True, lv)
    p.dealloc(sq, lv)
    la = loc(g.next_idx(), inner, src, "aten__add")
    eps = p.op("ttnn.full", (dev,), FULL_ATTR, (1, 1, 1, 1), True, la)
    ve = p.op("ttnn.add", (var, eps), "", stat, True, la)
    p.dealloc(eps, la)
    p.dealloc(var, la)
    lr = loc(g.next_idx(), inner, src, "aten__rsqrt")
    rs = p.op("ttnn.rsqrt", (ve,), "", stat, True, lr)
    p.dealloc(ve, lr)
    ln = loc(g.next_idx(), inner, src, "aten__mul")
    nrm = p.op("ttnn.multiply", (d, rs), "", grouped, True, ln)
    p.dealloc(rs, ln)
    p.dealloc(d, ln)
    lv2 = loc(g.next_idx(), inner, src, "aten__view")
    flat = (t, c, h, wd)
    v = p.op("ttnn.reshape", (nrm,), shape_attr(flat), flat, True, lv2)
    p.dealloc(nrm, lv2)
    lg = loc(g.next_idx(), inner, src, "aten__mul")
    sc = p.op("ttnn.multiply", (v, gamma), "", flat, True, lg)
    p.dealloc(v, lg)
    lb = loc(g.next_idx(), inner, src, "aten__add")
    sh = p.op("ttnn.add", (sc, beta), "", flat, True, lb)
    p.dealloc(sc, lb)
    lv3 = loc(g.next_idx(), outer, src, "aten__view")
    b5 = p.op("ttnn.reshape", (sh,), shape_attr((1, t, c, h, wd)), (1, t, c, h, wd), True, lv3)
    p.dealloc(sh, lv3)
    lp = loc(g.next_idx(), outer, src, "aten__permute")
    out = p.op("ttnn.permute", (b5,), perm_attr((0, 2, 1, 3, 4)), (1, c, t, h, wd), True, lp)
    p.dealloc(b5, lp)
    return out


def silu(g: Graph, p: Prog, x: str, path: str, src: int) -> str:
    lc = loc(g.next_idx(), chain(path, "silu"), src, "aten__silu")
    y = p.op("ttnn.silu", (x,), "", p.shapes[x], True, lc)
    p.dealloc(x, lc)
    return y


def causal_conv(g: Graph, p: Prog, x: str, path: str, which: str, src: int, weight: str, bias: str, dev: str,
                x_tiled: bool) -> str:
    """CogVideoXCausalConv3d with constant padding: returns a ROW_MAJOR [1,C,T,H,W]."""
    _, c, t, h, wd = p.shapes[x]
    outer, inner = chain(path, which), chain(path, which + "_inner")
    i = g.next_idx()
    lw = loc(i, outer, src, "aten__constant_pad_nd_workaround")
    if x_tiled:
        r = p.op("ttnn.to_layout", (x,), TO_RM, (1, c, t, h, wd), False, lw)
        p.dealloc(x, lw)
    else:
        r = x
    lp = loc(i, outer, src, "aten__constant_pad_nd")
    padded = (1, c, t + 2, h + 2, wd + 2)
    pd = p.op("ttnn.pad", (r,), PAD_ATTR, padded, False, lp)
    if x_tiled:
        p.dealloc(r, lp)
    j = g.next_idx()
    lcw = loc(j, inner, src, "aten__convolution_workaround")
    lcv = loc(j, inner, src, "aten__convolution")
    tl = p.op("ttnn.to_layout", (pd,), TO_TILE, padded, True, lcw)
    p.dealloc(pd, lcw)
    cl = permute(padded, (0, 2, 3, 4, 1))
    q = p.op("ttnn.permute", (tl,), perm_attr((0, 2, 3, 4, 1)), cl, True, lcv)
    p.dealloc(tl, lcv)
    u = p.op("ttnn.to_layout", (q,), TO_RM, cl, False, lcw)
    p.dealloc(q, lcw)
    cout = p.shapes[weight][1]
    attrs = CONV3D_ATTR.format(cin=c, d=t + 2, h=h + 2, w=wd + 2, cout=cout)
    cv = p.op("ttnn.conv3d", (u, weight, bias, dev), attrs, (1, t, h, wd, cout), True, lcv)
    p.dealloc(u, lcv)
    o = p.op("ttnn.to_layout", (cv,), TO_RM, (1, t, h, wd, cout), False, lcw)
    p.dealloc(cv, lcw)
    out = p.op("ttnn.permute", (o,), perm_attr((0, 4, 1, 2, 3)), (1, cout, t, h, wd), False, lcv)
    p.dealloc(o, lcv)
    return out


def residual_add(g: Graph, p: Prog, y: str, x: str, path: str) -> str:
    """``hidden_states + residual`` on ROW_MAJOR inputs; returns ROW_MAJOR."""
    shape = p.shapes[y]
    i = g.next_idx()
    blk = chain(path, "block")
    lw = loc(i, blk, 147, "aten__add_workaround")
    la = loc(i, blk, 147, "aten__add")
    yt = p.op("ttnn.to_layout", (y,), TO_TILE, shape, True, lw)
    p.dealloc(y, lw)
    xt = p.op("ttnn.to_layout", (x,), TO_TILE, shape, True, lw)
    s = p.op("ttnn.add", (yt, xt), "", shape, True, la)
    p.dealloc(xt, la)
    p.dealloc(yt, la)
    out = p.op("ttnn.to_layout", (s,), TO_RM, shape, False, lw)
    p.dealloc(s, lw)
    return out


def resnet_graphs(w: Writer, rng: random.Random, path: str, c: int, t: int, h: int, wd: int) -> None:
    """One MochiResnetBlock3D: either one graph, or four (norm1+silu, conv1, norm2+silu, conv2+add)."""
    x_shape = (1, c, t, h, wd)
    norm_loc = lambda which, src: loc(1, chain(path, which + "_inner"), src, "aten__view")  # noqa: E731
    conv_loc = lambda which, src: loc(1, chain(path, which + "_inner"), src, "aten__convolution")  # noqa: E731
    w_shape = (c, c, 3, 3, 3)
    if rng.random() < 0.4:
        g = Graph(w, rng.random() < 0.5, 8)
        consts = [
            ("%arg0", (c,), "norm_param", norm_loc("norm1", 139)), ("%arg1", (c,), "norm_param", norm_loc("norm1", 139)),
            ("%arg2", w_shape, "conv_weight", conv_loc("conv1", 141)), ("%arg3", (c,), "bias", conv_loc("conv1", 141)),
            ("%arg4", (c,), "norm_param", norm_loc("norm2", 143)), ("%arg5", (c,), "norm_param", norm_loc("norm2", 143)),
            ("%arg6", w_shape, "conv_weight", conv_loc("conv2", 145)), ("%arg7", (c,), "bias", conv_loc("conv2", 145)),
        ]
        p = g.begin(consts)
        x = p.arg("%arg8", x_shape, False)
        dev = p.device()
        h1 = group_norm(g, p, x, path, "norm1", 139, "%0", "%1", dev, False)
        h1 = silu(g, p, h1, path, 140)
        h1 = causal_conv(g, p, h1, path, "conv1", 141, "%2", "%3", dev, True)
        h2 = group_norm(g, p, h1, path, "norm2", 143, "%4", "%5", dev, False)
        p.dealloc(h1, loc(g.idx, chain(path, "norm2"), 143, "aten__permute"))
        h2 = silu(g, p, h2, path, 144)
        h2 = causal_conv(g, p, h2, path, "conv2", 145, "%6", "%7", dev, True)
        residual_add(g, p, h2, x, path)
        g.end()
        return
    for which, src in (("norm1", 139), ("conv1", 141), ("norm2", 143), ("conv2", 145)):
        g = Graph(w, rng.random() < 0.5, 2)
        if which.startswith("norm"):
            p = g.begin([("%arg0", (c,), "norm_param", norm_loc(which, src)),
                         ("%arg1", (c,), "norm_param", norm_loc(which, src))])
            x = p.arg("%arg2", x_shape, False)
            dev = p.device()
            y = group_norm(g, p, x, path, which, src, "%0", "%1", dev, False)
            y = silu(g, p, y, path, src + 1)
            lc = loc(g.next_idx(), chain(path, "silu"), src + 1, "aten__silu_workaround")
            p.op("ttnn.to_layout", (y,), TO_RM, x_shape, False, lc)
            p.dealloc(y, lc)
        else:
            p = g.begin([("%arg0", w_shape, "conv_weight", conv_loc(which, src)),
                         ("%arg1", (c,), "bias", conv_loc(which, src))])
            x = p.arg("%arg2", x_shape, False)
            dev = p.device()
            y = causal_conv(g, p, x, path, which, src, "%0", "%1", dev, False)
            if which == "conv2":
                r = p.arg("%arg3", x_shape, False)
                residual_add(g, p, y, r, path)
        g.end()


# --------------------------------------------------------------------------------------------
# Fixed text: header and failure
# --------------------------------------------------------------------------------------------

def header(w: Writer) -> None:
    w.line("(venv) user@wh-n300-01:~/tt-xla$ TTMLIR_RUNTIME_LOGGER_LEVEL=DEBUG python tests/torch/models/mochi/vae_decoder.py")
    w.line("/home/user/tt-xla/venv/lib/python3.11/site-packages/torch_xla/__init__.py:258: UserWarning: `tensorflow` can "
           "conflict with `torch-xla`. Prefer `tensorflow-cpu` when using PyTorch/XLA. To silence this warning, `pip "
           "uninstall -y tensorflow && pip install tensorflow-cpu`. If you are in a notebook environment such as Colab "
           "or Kaggle, restart your notebook runtime afterwards.")
    w.line("  warnings.warn(")
    w.line("[vae_decoder] loading decoder from genmo/mochi-1-preview")
    w.line("[vae_decoder] latents: torch.Size([1, 12, 4, 60, 106]) torch.bfloat16")
    t = T_START_MS
    for dt, lvl, cat, msg in (
        (0, "info", "Device", "Opening user mode device driver (tt_cluster.cpp:191)"),
        (26, "info", "UMD", "Starting topology discovery. (topology_discovery.cpp:69)"),
        (227, "info", "UMD", "Established firmware bundle version: 18.12.0 (topology_discovery.cpp:369)"),
        (0, "info", "UMD", "Established ETH FW version: 7.2.0 (topology_discovery_wormhole.cpp:324)"),
        (35, "info", "UMD", "Harvesting mask for chip 0 is 0x40 (NOC0: 0x40, simulated harvesting mask: 0x0). (cluster.cpp:413)"),
        (186, "info", "UMD", "Opening local chip ids/PCIe ids: {0}/[0] and remote chip ids {} (cluster.cpp:254)"),
        (1, "info", "UMD", "IOMMU: disabled (cluster.cpp:180)"),
        (0, "info", "UMD", "KMD version: 2.4.1 (cluster.cpp:183)"),
        (8, "info", "UMD", "Pinning pages for Hugepage: virtual address 0x7f3b80000000 and size 0x40000000 pinned to "
                           "physical address 0x2c0000000 (pci_device.cpp:645)"),
        (1332, "info", "Metal", "AI CLK for device 0 is:   1000 MHz (metal_context.cpp:152)"),
    ):
        t += dt
        w.line(metal(t, lvl, cat, msg))
    w.line(ALWAYS_WARN + "Program cache is enabled but the trace region size is 0; metal trace capture is disabled")


def failure_section(w: Writer) -> tuple[int, int]:
    """The failing graph (const-evals nested in ``main``) and the crash. Returns the 1-based line numbers
    (relative to the start of this section) of the failing op line and of the critical line."""
    path = "decoder.block_in.resnets.0"
    c, t, h, wd = 768, 4, 60, 106
    g = Graph(w, True, 5)
    conv_inner = loc(4, chain(path, "conv1_inner"), 141, "aten__convolution")
    idx_loc = loc(5, chain(path, "conv1"), 141, "aten__index")
    main = Prog(w, 0)
    w.start("main")
    g.const_eval(main, 0, "%arg0", (c, c, 3, 3, 3), "conv_weight", conv_inner)
    g.const_eval(main, 1, "%arg1", (c,), "bias", conv_inner)
    for k, n in ((2, t + 2), (3, h + 2), (4, wd + 2)):
        g.const_eval(main, k, f"%arg{k + 1}", (n,), "index", idx_loc, "ui32")
    main.device()
    x = main.arg("%arg2", (1, c, t, h, wd), False)
    lw = loc(5, chain(path, "conv1"), 141, "aten__index_workaround")
    lr = loc(5, chain(path, "conv1"), 141, "aten__index_reshapeInput")
    a = main.op("ttnn.to_layout", (x,), TO_TILE, (1, c, t, h, wd), True, lw)
    b = main.op("ttnn.permute", (a,), perm_attr((2, 0, 1, 3, 4)), (t, 1, c, h, wd), True, idx_loc)
    main.dealloc(a, idx_loc)
    flat = (t, c * h * wd)
    r = main.op("ttnn.reshape", (b,), shape_attr(flat), flat, True, lr)
    main.dealloc(b, lr)
    v = main.op("ttnn.to_layout", (r,), TO_RM, flat, False, lw)
    assert v == "%9", v
    fail_op = w.lines
    w.line(metal(T_FAIL_MS, "critical", "Always", f"TT_THROW: {CB_MESSAGE} (assert.hpp:103)"))
    critical = w.lines
    for s in TRACEBACK:
        w.line(s)
    return fail_op, critical


TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/home/user/tt-xla/tests/torch/models/mochi/vae_decoder.py", line 212, in <module>',
    "    run_decoder()",
    '  File "/home/user/tt-xla/tests/torch/models/mochi/vae_decoder.py", line 187, in run_decoder',
    "    frames = compiled_decoder(tile_latents)",
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/home/user/tt-xla/venv/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1751, in _wrapped_call_impl',
    "    return self._call_impl(*args, **kwargs)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/home/user/tt-xla/venv/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1762, in _call_impl',
    "    return forward_call(*args, **kwargs)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/home/user/tt-xla/venv/lib/python3.11/site-packages/torch/_dynamo/eval_frame.py", line 655, in _fn',
    "    return fn(*args, **kwargs)",
    "           ^^^^^^^^^^^^^^^^^^^",
    '  File "/home/user/tt-xla/venv/lib/python3.11/site-packages/torch_xla/_dynamo/dynamo_bridge.py", line 604, in optimized_mod',
    "    res = torch_xla._XLAC._run_cached_graph(graph_hash, graph_input)",
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    "RuntimeError: TT_THROW @ /home/user/tt-xla/third_party/tt-mlir/src/tt-mlir/third_party/tt-metal/src/tt-metal/"
    "tt_metal/impl/program/program.cpp:1186: tt::exception",
    "info:",
    CB_MESSAGE,
    "backtrace:",
    " --- /home/user/tt-xla/third_party/tt-mlir/install/lib/libtt_metal.so(+0x31c8fb) [0x7f3c1e91c8fb]",
    " --- tt::tt_metal::detail::ProgramImpl::validate_circular_buffer_region(tt::tt_metal::IDevice const*)",
    " --- tt::tt_metal::distributed::MeshWorkloadImpl::compile(tt::tt_metal::distributed::MeshDevice*)",
    " --- tt::tt_metal::distributed::EnqueueMeshWorkload(tt::tt_metal::distributed::MeshCommandQueue&, "
    "tt::tt_metal::distributed::MeshWorkload&, bool)",
    " --- /home/user/tt-xla/third_party/tt-mlir/install/lib/_ttnncpp.so(+0x6b2d40) [0x7f3c1d4b2d40]",
    " --- ttnn::operations::data_movement::ExecuteUntilizeWithUnpadding::invoke(tt::tt_metal::Tensor const&, "
    "ttsl::SmallVector<unsigned int, 8ul> const&, std::optional<tt::tt_metal::MemoryConfig> const&, bool, bool, "
    "std::optional<tt::tt_metal::CoreRangeSet> const&)",
    " --- ttnn::operations::core::ToLayout::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Layout, "
    "std::optional<tt::tt_metal::DataType> const&, std::optional<tt::tt_metal::MemoryConfig> const&)",
    " --- tt::runtime::ttnn::operations::layout::run(tt::target::ttnn::ToLayoutOp const*, tt::runtime::ttnn::ProgramContext&)",
    " --- tt::runtime::ttnn::ProgramExecutor::runOperation(tt::target::ttnn::Operation const*)",
    " --- tt::runtime::ttnn::ProgramExecutor::execute()",
    " --- tt::runtime::ttnn::submit(tt::runtime::Device, tt::runtime::Binary, unsigned int, "
    "std::vector<tt::runtime::Tensor, std::allocator<tt::runtime::Tensor> >&)",
    " --- /home/user/tt-xla/build/src/tt/pjrt_plugin_tt.so(+0x1a4f12) [0x7f3c2a3a4f12]",
]

# Filler between graphs. The WARNING text is the one in the sample logs; the tt-metal info texts are invented
# (benign, and chosen not to look like errors).
METAL_FILLER = (
    ("info", "Metal", "Program cache: {n} entries ({m} compiled since last report) (program_cache.cpp:96)"),
    ("info", "Device", "DRAM in use on device 0: {mb} MiB of 12288 MiB (allocator.cpp:412)"),
    ("info", "Metal", "Enqueued {m} programs on command queue 0 since last report (mesh_command_queue.cpp:512)"),
)

# (block path prefix, number of resnets, channels, temporal multiplier, spatial multiplier)
DECODER = (
    ("decoder.block_in", 3, 768, 1, 1),
    ("decoder.up_blocks.0", 6, 768, 1, 1),
    ("decoder.up_blocks.1", 4, 512, 2, 2),
    ("decoder.up_blocks.2", 3, 256, 6, 4),
    ("decoder.block_out", 3, 128, 6, 8),
)
# Latent (T, H, W) per decoder pass: around the [4, 60, 106] of the failing run.
LATENTS = ((4, 60, 106), (4, 60, 106), (3, 60, 106), (4, 58, 104), (2, 62, 108), (4, 56, 100), (3, 64, 112))


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

def generate(out: str, size_mb: float = 200.0, seed: int = 0, use_gzip: bool = False) -> dict:
    """Write the log to ``out`` and return its statistics (``bytes`` is the uncompressed size)."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    target = int(size_mb * MIB)

    tail = Writer(None)
    fail_rel, crit_rel = failure_section(tail)

    if use_gzip:
        f = gzip.open(out, "wb", compresslevel=6)
    else:
        f = open(out, "wb")
    try:
        w = Writer(f.write)
        header(w)
        body_end = max(target - tail.bytes, 0)
        span = T_FAIL_MS - 400 - (T_START_MS + 1600)
        passes = 0
        cache_entries = 0
        while w.bytes < body_end:
            passes += 1
            t, h, wd = rng.choice(LATENTS)
            for prefix, n_res, c, tm, sm in DECODER:
                for i in range(n_res):
                    if w.bytes >= body_end:
                        break
                    resnet_graphs(w, rng, f"{prefix}.resnets.{i}", c, t * tm, h * sm, wd * sm)
                    r = rng.random()
                    if r < 0.06:
                        w.line(ALWAYS_WARN + "Program cache is enabled but the trace region size is 0; "
                                             "metal trace capture is disabled")
                    elif r < 0.10:
                        cache_entries += rng.randint(3, 40)
                        lvl, cat, msg = METAL_FILLER[rng.randrange(len(METAL_FILLER))]
                        ms = T_START_MS + 1600 + int(span * min(w.bytes / max(body_end, 1), 1.0))
                        w.line(metal(ms, lvl, cat, msg.format(n=cache_entries, m=rng.randint(1, 40),
                                                              mb=rng.randint(900, 9000))))
        base = w.lines
        for s in tail.buf:
            w.line(s)
        w.op_lines += tail.op_lines
        w.programs += tail.programs
        w.mains += tail.mains
        w.const_evals += tail.const_evals
        w.nested_const_evals += tail.nested_const_evals
        w.flush()
    finally:
        f.close()
    stats = {
        "path": out,
        "bytes": w.bytes,
        "bytes_on_disk": os.path.getsize(out),
        "lines": w.lines,
        "programs": w.programs,
        "main_programs": w.mains,
        "const_eval_programs": w.const_evals,
        "nested_const_eval_programs": w.nested_const_evals,
        "op_lines": w.op_lines,
        "decoder_passes": passes,
        "fail_op_line": base + fail_rel,
        "critical_line": base + crit_rel,
        "gzip": use_gzip,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output log path")
    ap.add_argument("--size-mb", type=float, default=200.0, help="approximate uncompressed size in MiB (default 200)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--gzip", action="store_true", help="write gzip-compressed output")
    args = ap.parse_args(argv)
    if args.size_mb <= 0:
        ap.error("--size-mb must be positive")
    stats = generate(args.out, args.size_mb, args.seed, args.gzip)
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
