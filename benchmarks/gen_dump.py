"""Generate a TTNN MLIR dump shaped like a decoder: N ops in many functions, aliased layouts.

    python benchmarks/gen_dump.py OUT.mlir --ops 20000 [--locs top|bottom|inline]

Locations: `loc(#locN)` on each op and one distinct `#locN = loc("...")` definition per op. tt-mlir
prints the definitions after the module (`--locs bottom`); MLIR accepts them before it too, and the
default `top` is what xDSL's parser accepts (it does not resolve forward alias references), so both
parsers read the same text. `--locs inline` puts `loc("...")` on the op line, as the runtime's
`Executing operation:` lines do.

Every layout is self-consistent (tile-padded collapse, memref in
tiles), so `ttdiag inspect` agrees with every memref.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ttdiag.ir.printer import layout_text  # noqa: E402

DTYPE = "bf16"


def _layout(shape, tiled):
    # the same layout text tt-mlir prints (ttdiag's printer implements tt-mlir's collapse rule)
    return layout_text(tuple(shape), DTYPE, tiled)


class Layouts:
    def __init__(self):
        self.aliases: dict[str, str] = {}

    def ty(self, shape, tiled):
        text = _layout(shape, tiled)
        name = self.aliases.setdefault(text, f"#ttnn_layout{len(self.aliases)}")
        return f"tensor<{'x'.join(map(str, shape))}x{DTYPE}, {name}>"


def generate(out, n_ops: int, seed: int = 0, locs: str = "top") -> dict:
    if locs not in ("top", "bottom", "inline"):
        raise ValueError(f"locs: {locs!r}")
    inline_locs = locs == "inline"
    rnd = random.Random(seed)
    lay = Layouts()
    body: list[str] = []
    loc_defs: list[str] = []
    ops = 0
    block = 0
    while ops < n_ops:
        c = rnd.choice([128, 256, 512, 768])
        t, h, w = rnd.choice([4, 6]), rnd.choice([60, 120, 240]), rnd.choice([106, 212, 424])
        x = (1, c, t, h, w)
        v = 0
        lines = []

        def emit(name, args, res_shape, tiled, attrs="", in_types=(), block=block, lines=lines):
            nonlocal v
            res = f"%{v}"
            v += 1
            loc = f'loc("{v}|MochiResnetBlock3D[decoder.block.{block}]|/x/autoencoder_kl_mochi.py:137|forward|141|aten__{name.split(".")[-1]}")'
            if not inline_locs:
                loc_defs.append(f"#loc{len(loc_defs) + 1} = {loc}")
                loc = f"loc(#loc{len(loc_defs)})"
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
    if loc_defs and locs == "top":
        out.write("\n".join(loc_defs))
        out.write("\n")
    out.write("#dram = #ttnn.buffer_type<dram>\n")
    for text, name in lay.aliases.items():
        out.write(f"{name} = {text}\n")
    out.write("module {\n")
    out.write("\n".join(body))
    out.write("\n}\n")
    if loc_defs and locs == "bottom":
        out.write("\n".join(loc_defs))
        out.write("\n")
    return {"ops": ops, "functions": block, "aliases": len(lay.aliases), "loc_aliases": len(loc_defs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--ops", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--locs", choices=("top", "bottom", "inline"), default="top",
                    help="#loc definitions before the module (default), after it (tt-mlir's order), or inline locs")
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        stats = generate(f, args.ops, args.seed, args.locs)
    print(json.dumps({"path": args.out, **stats}))


if __name__ == "__main__":
    sys.exit(main())
