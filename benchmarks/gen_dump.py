"""Generate a TTNN MLIR dump shaped like a decoder: N ops, aliased layouts, const-eval functions.

    python benchmarks/gen_dump.py OUT.mlir --ops 20000

Stdlib only; streams to the file. Every layout is self-consistent (tile-padded collapse, memref in
tiles), so `ttdiag inspect` agrees with every memref.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys

DTYPE = "bf16"


def tile_layout(shape):
    padded = list(shape[:-2]) + [-(-shape[-2] // 32) * 32, -(-shape[-1] // 32) * 32]
    rows = math.prod(padded[:-1])
    dims = ", ".join(f"d{i}" for i in range(len(shape)))
    strides = []
    acc = 1
    for k in range(len(shape) - 2, -1, -1):
        strides.append((k, acc))
        acc *= padded[k]
    expr = " + ".join(f"d{k} * {s}" if s != 1 else f"d{k}" for k, s in sorted(strides))
    return (f"#ttnn.ttnn_layout<({dims}) -> ({expr}, d{len(shape) - 1}), <1x1>, "
            f"memref<{rows // 32}x{padded[-1] // 32}x!ttcore.tile<32x32, {DTYPE}>, #dram>, <interleaved>>")


def rm_layout(shape):
    rows = math.prod(shape[:-1])
    dims = ", ".join(f"d{i}" for i in range(len(shape)))
    strides = []
    acc = 1
    for k in range(len(shape) - 2, -1, -1):
        strides.append((k, acc))
        acc *= shape[k]
    expr = " + ".join(f"d{k} * {s}" if s != 1 else f"d{k}" for k, s in sorted(strides))
    return (f"#ttnn.ttnn_layout<({dims}) -> ({expr}, d{len(shape) - 1}), <1x1>, "
            f"memref<{rows}x{shape[-1]}x{DTYPE}, #dram>, <interleaved>>")


class Layouts:
    def __init__(self):
        self.aliases: dict[str, str] = {}

    def ty(self, shape, tiled):
        text = tile_layout(shape) if tiled else rm_layout(shape)
        name = self.aliases.setdefault(text, f"#ttnn_layout{len(self.aliases)}")
        return f"tensor<{'x'.join(map(str, shape))}x{DTYPE}, {name}>"


def generate(out, n_ops: int, seed: int = 0) -> dict:
    rnd = random.Random(seed)
    lay = Layouts()
    body: list[str] = []
    ops = 0
    block = 0
    while ops < n_ops:
        c = rnd.choice([128, 256, 512, 768])
        t, h, w = rnd.choice([4, 6]), rnd.choice([60, 120, 240]), rnd.choice([106, 212, 424])
        x = (1, c, t, h, w)
        v = 0
        lines = []

        def emit(name, args, res_shape, tiled, attrs="", in_types=()):
            nonlocal v
            res = f"%{v}"
            v += 1
            loc = f'loc("{v}|MochiResnetBlock3D[decoder.block.{block}]|/x/autoencoder_kl_mochi.py:137|forward|141|aten__{name.split(".")[-1]}")'
            props = f" <{{{attrs}}}>" if attrs else ""
            lines.append(f'    {res} = "{name}"({", ".join(args)}){props} : ({", ".join(in_types)}) -> '
                         f'{lay.ty(res_shape, tiled)} {loc}')
            return res

        a0 = lay.ty(x, False)
        r1 = emit("ttnn.to_layout", ["%arg0"], x, True, "layout = #ttnn.layout<tile>", [a0])
        r2 = emit("ttnn.silu", [r1], x, True, "", [lay.ty(x, True)])
        p = (1, t, c, h, w)
        r3 = emit("ttnn.permute", [r2], p, True, "permutation = array<i64: 0, 2, 1, 3, 4>", [lay.ty(x, True)])
        g = (t, 32, c // 32, h * w)
        r4 = emit("ttnn.reshape", [r3], g, True, f"shape = [{t} : i32, 32 : i32, {c // 32} : i32, {h * w} : i32]",
                  [lay.ty(p, True)])
        r5 = emit("ttnn.to_layout", [r4], g, False, "layout = #ttnn.layout<row_major>", [lay.ty(g, True)])
        r6 = emit("ttnn.to_layout", [r5], g, True, "layout = #ttnn.layout<tile>", [lay.ty(g, False)])
        m = (t * 32, c // 32 * 32)
        r7 = emit("ttnn.reshape", [r6], (t * 32, (c // 32) * h * w), True,
                  f"shape = [{t * 32} : i32, {(c // 32) * h * w} : i32]", [lay.ty(g, True)])
        emit("ttnn.matmul", [r7, "%arg1"], (t * 32, 256), True, "transpose_a = false, transpose_b = false",
             [lay.ty((t * 32, (c // 32) * h * w), True), lay.ty(((c // 32) * h * w, 256), True)])
        del m
        body.append(f"  func.func @block_{block}(%arg0: {a0}, %arg1: {lay.ty(((c // 32) * h * w, 256), True)}) "
                    f"-> {lay.ty((t * 32, 256), True)} {{")
        body.extend(lines)
        body.append(f"    return %{v - 1} : {lay.ty((t * 32, 256), True)}")
        body.append("  }")
        ops += len(lines)
        block += 1
    out.write("#dram = #ttnn.buffer_type<dram>\n")
    for text, name in lay.aliases.items():
        out.write(f"{name} = {text}\n")
    out.write("module {\n")
    out.write("\n".join(body))
    out.write("\n}\n")
    return {"ops": ops, "functions": block, "aliases": len(lay.aliases)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--ops", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        stats = generate(f, args.ops, args.seed)
    print(json.dumps({"path": args.out, **stats}))


if __name__ == "__main__":
    sys.exit(main())
