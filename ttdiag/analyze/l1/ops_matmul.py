"""CB model for ``ttnn.matmul`` / ``ttnn.linear``: program-config choice and the mcast factories' CBs.

Sources (tt-metal ``ttnn/cpp/ttnn/operations/matmul``; ttnn-facts.md §3.11):
* ``device/config/matmul_program_config.cpp`` @001cea9a ``create_simple_matmul_program_config``,
  ``get_mcast_1d_config``; ``device/utilities/matmul_utilities.cpp`` ``get_estimated_size_of_cbs``,
  ``get_per_core_factor``, ``get_multi_dim_per_core_factor``, ``get_matmul_subblock_params``;
* ``device/factory/matmul_multicore_reuse_mcast_2d_program_factory.cpp`` @043b5ac2 (CBs c_0, c_1, [c_5], c_4,
  [c_3]); the 1-D factory uses the same sizes; DRAM-sharded triple-buffers in1.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.graph import Op
from ...ir.items import Atom, Body, as_int, key_values
from ..layout import tile_size_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1
from .registry import cb_model
from .tensors import operand, result
from .work_split import grid_from_attr

_SUBBLOCKS = ((4, 2), (2, 4), (8, 1), (1, 8), (7, 1), (1, 7), (3, 2), (2, 3), (6, 1), (1, 6), (5, 1), (1, 5),
              (2, 2), (4, 1), (1, 4), (3, 1), (1, 3), (2, 1), (1, 2), (1, 1))


@dataclass(slots=True)
class MatmulConfig:
    kind: str  # "2d" | "1d" | "dram_sharded" | "basic"
    grid: tuple[int, int]
    in0_block_w: int
    per_core_m: int
    per_core_n: int
    out_block_h: int
    out_block_w: int
    source: str


def _subblock(m: int, n: int, fp32: bool) -> tuple[int, int]:
    for h, w in _SUBBLOCKS:
        if fp32 and h * w > 4:
            continue
        if m % h == 0 and n % w == 0:
            return h, w
    return 1, 1


class _Est:
    """``get_estimated_size_of_cbs`` for A interleaved: in0/in1 double-buffered, out with A's tile size."""

    def __init__(self, ta: int, tb: int, t_interm: int, bias: int, max_l1: int):
        self.ta, self.tb, self.ti, self.bias, self.max_l1 = ta, tb, t_interm, bias, max_l1

    def fits(self, pm: int, pn: int, kw: int) -> bool:
        size = pm * kw * 2 * self.ta + pn * kw * 2 * self.tb + pm * pn * self.ta + pm * pn * self.ti + pn * self.bias
        return size < self.max_l1

    def per_core_factor(self, kw: int = 2) -> int:
        for f in (16, 8, 4, 2):
            if self.fits(f, f, kw):
                return f
        return 1

    def multi_dim(self, pm: int, pn: int, kw: int, adjust_kw: bool) -> tuple[int, int, int]:
        if self.fits(pm, pn, kw):
            return pm, pn, kw
        ms = [pm, 1] + [d for d in range(pm // 2, 1, -1) if pm % d == 0]
        ns = [pn, 1] + [d for d in range(pn // 2, 1, -1) if pn % d == 0]
        best: dict[int, tuple[int, int]] = {}
        for m in ms:
            for n in ns:
                r = max(m, n) / min(m, n)
                if m * n not in best:
                    best[m * n] = (m, n)
                else:
                    bm, bn = best[m * n]
                    if not (max(bm, bn) / min(bm, bn) < r):
                        best[m * n] = (m, n)
        for k in range(kw, (1 if adjust_kw else kw) - 1, -1):
            if kw % k:
                continue
            for p in sorted(best, reverse=True):
                m, n = best[p]
                if self.fits(m, n, k):
                    return m, n, k
        return 1, 1, 1


def _from_attr(op: Op, ctx: L1Context) -> MatmulConfig | None:
    items = op.attr("matmul_program_config")
    if not items or not isinstance(items[0], Body):
        return None
    body = items[0]
    kv = key_values(body.items)
    name = body.name
    kind = ("dram_sharded" if "dram_sharded" in name else "1d" if "1d" in name
            else "2d" if "multi_cast" in name else "basic")
    pm, pn = as_int(kv.get("per_core_m")) or 1, as_int(kv.get("per_core_n")) or 1
    return MatmulConfig(kind, grid_from_attr(kv.get("compute_with_storage_grid_size"), ctx),
                        as_int(kv.get("in0_block_w")) or 1, pm, pn,
                        as_int(kv.get("out_block_h")) or pm, as_int(kv.get("out_block_w")) or pn, "IR program config")


def _auto(ctx: L1Context, a, b, est: _Est, fp32: bool) -> MatmulConfig:
    """``create_simple_matmul_program_config`` for interleaved inputs (tt-mlir's usual DRAM case)."""
    gx, gy = ctx.grid
    mt, kt, nt = a.padded[-2] // 32, a.padded[-1] // 32, b.padded[-1] // 32
    kw = 2
    all_dram = a.buffer_type == "dram" and b.buffer_type == "dram"
    h, w = a.padded[-2], b.padded[-1]
    narrow = max(h, w) // max(min(h, w), 1) > 8 or (all_dram and (h <= 32 or w <= 32))
    is_wide, is_tall = narrow and w > h, narrow and not w > h
    pm = pn = est.per_core_factor(2)
    nby, nbx = -(-mt // pm), -(-nt // pn)
    if (nby > 1 or nbx > 1) and kt % kw:
        kw = 1

    def mcast_1d(in0: bool) -> MatmulConfig:
        if in0:
            m_, n_ = mt, _ceil(_ceil(b.padded[-1], gx * gy), 32)
        else:
            m_, n_ = _ceil(_ceil(a.padded[-2], gx * gy), 32), nt
        k = 2 if kt % 2 == 0 else 1
        obh, obw, _ = est.multi_dim(m_, n_, k, False)
        return MatmulConfig("1d", (gx, gy), k, m_, n_, obh, obw, f"auto: 1D mcast_in{'0' if in0 else '1'}")

    if all_dram or (nbx * nby <= gx * gy and kt % kw == 0):
        cy = nby if (not (nbx == 1 and nby == 1) and nby <= gy and nbx <= gx) else 0
        cx = nbx if cy else 0
        if cy == 1 or is_wide:
            return mcast_1d(True)
        if cx == 1 or is_tall:
            return mcast_1d(False)
        kw = kt // gx if kt % gx == 0 else 1
        pm, pn = -(-mt // gy), -(-nt // gx)
        obh, obw, kw = est.multi_dim(pm, pn, kw, True)
        return MatmulConfig("2d", (gx, gy), kw, pm, pn, obh, obw, "auto: 2D mcast")
    return MatmulConfig("basic", (gx, gy), 1, 1, 1, 1, 1, "auto: MatmulMultiCore (no mcast)")


def _flag(op: Op, field: str) -> bool:
    items = op.attr("compute_config")
    if not items or not isinstance(items[0], Body):
        return False
    v = key_values(items[0].items).get(field)
    return bool(v) and isinstance(v[0], Atom) and v[0].text == "true"


@cb_model("ttnn.matmul", "ttnn.linear")
def matmul(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.matmul`` / ``ttnn.linear``. CBs of the mcast factories (2-D @043b5ac2; 1-D the same sizes):
    c_0 = out_block_h·in0_block_w tiles of A and c_1 = out_block_w·in0_block_w tiles of B, both x2 when
    batch·(Kt / in0_block_w) > 1 (x3 for in1 on the DRAM-sharded factory); c_4 = out_block_h·out_block_w
    output tiles, sharing its buffer with the intermediate unless their formats differ (then c_5 is
    separate); c_3 = out_block_w bias tiles. Without a program config in the IR the config is derived
    like ``create_simple_matmul_program_config`` (estimate)."""
    a, b, out = operand(op, 0), operand(op, 1), result(op)
    if a is None or b is None or out is None or len(a.shape) < 2 or len(b.shape) < 2:
        return generic_estimate(op, ctx)
    ta, tb, to = a.tile_bytes, b.tile_bytes, out.tile_bytes
    fp32 = _flag(op, "fp32_dest_acc_en")
    packer_l1 = _flag(op, "packer_l1_acc")
    t_interm = tile_size_bytes(32, 32, "f32") if fp32 else max(2048, to)
    has_bias = op.name == "ttnn.linear" and len(op.operands) >= 3
    est = _Est(ta, tb, t_interm, to if has_bias else 0, ctx.max_l1_space)
    cfg = _from_attr(op, ctx)
    from_ir = cfg is not None
    if cfg is None:
        if a.sharded:
            return generic_estimate(op, ctx)
        cfg = _auto(ctx, a, b, est, fp32)
    if cfg.kind == "basic":
        res = generic_estimate(op, ctx)
        res.factory = "MatmulMultiCore (no mcast; CBs not read)"
        return res
    kt = a.padded[-1] // 32
    batch = 1
    for d in a.shape[:-2]:
        batch *= d
    nb = max(1, kt // max(cfg.in0_block_w, 1))
    dbl = 2 if batch * nb > 1 else 1
    in1_buf = 3 if cfg.kind == "dram_sharded" else dbl
    pl1 = packer_l1 and (((has_bias and nb > 1) or nb > 2) if cfg.kind == "2d" else nb > 1)
    interm_fmt_bytes = tile_size_bytes(32, 32, "f32") if fp32 else (2048 if pl1 else to)
    cbs = [CB(0, cfg.out_block_h * cfg.in0_block_w * dbl, ta, "in0 (A) block"),
           CB(1, cfg.out_block_w * cfg.in0_block_w * in1_buf, tb, "in1 (B) block")]
    out_tiles = cfg.out_block_h * cfg.out_block_w
    if interm_fmt_bytes != to:
        cbs.append(CB(5, out_tiles, interm_fmt_bytes, "intermediate"))
    cbs.append(CB(4, out_tiles, to, "output (shared with intermediate)" if interm_fmt_bytes == to else "output"))
    if has_bias:
        cbs.append(CB(3, cfg.out_block_w, to, "bias"))
    mt, nt = a.padded[-2] // 32, b.padded[-1] // 32
    nbx, nby = -(-nt // max(cfg.per_core_n, 1)), -(-mt // max(cfg.per_core_m, 1))
    gx, gy = cfg.grid
    if cfg.kind == "2d":
        cores = [(x, y) for x in range(min(nbx, gx)) for y in range(min(nby, gy))]
    else:
        n = min(nbx * nby, gx * gy)
        cores = [(i % gx, i // gx) for i in range(n)]  # 1-D: row-major from (0, 0)
    factory = {"2d": "MatmulMultiCoreReuseMultiCast (2D)", "1d": "MatmulMultiCoreReuseMultiCast1D",
               "dram_sharded": "MatmulMultiCoreReuseMultiCastDRAMSharded"}[cfg.kind]
    formula = [f"{cfg.source}: per_core_M {cfg.per_core_m}, per_core_N {cfg.per_core_n}, in0_block_w "
               f"{cfg.in0_block_w}, out_block {cfg.out_block_h}x{cfg.out_block_w}; Kt {kt} -> {nb} K blocks",
               f"c_0 = {cfg.out_block_h} x {cfg.in0_block_w} x {dbl} x {ta:,} B = {cbs[0].bytes:,} B; "
               f"c_1 = {cfg.out_block_w} x {cfg.in0_block_w} x {in1_buf} x {tb:,} B = {cbs[1].bytes:,} B"]
    return OpL1(op.id, op.name, op.program, factory, "exact-model" if from_ir else "estimate",
                [CoreGroup(f"{len(cores)} cores", cores, cbs)], formula,
                ["matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2",
                 "matmul_program_config.cpp @001cea9a"])


def _ceil(a: int, b: int) -> int:
    """ceil(a / b) for non-negative integers."""
    return -(-a // b)
