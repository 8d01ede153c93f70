"""CB model for ``ttnn.matmul`` / ``ttnn.linear``: the program config (the IR's, else tt-metal's automatic
choice) and the CBs of the factory it selects.

Sources (tt-metal ``ttnn/cpp/ttnn/operations/matmul``; ttnn-facts.md §3.11):

* ``device/config/matmul_program_config.cpp`` ``create_simple_matmul_program_config``, ``get_mcast_1d_config``,
  ``get_per_core_factor``, ``get_multi_dim_per_core_factor``, ``is_narrow_shape``: the Dec-2025 copy (library
  id 143544816; dated by content between PR #32173, 2025-11-10, and PR #37236, 2026-02-05) and @001cea9a
  (2026), which adds two routes ttdiag does not model (block-sharded output on a one-row/column grid, PR
  #37236; A batch 1 with B batched, PR #47640, 2026-06);
* ``device/utilities/matmul_utilities.cpp`` ``get_estimated_size_of_cbs``, ``estimate_interm_tile_size``,
  ``get_max_l1_space`` (library id 7289870898, Dec 2025; @001cea9a after PR #38309);
* ``matmul.cpp`` ``bound_matmul`` / ``get_post_process_bias`` (library id 1003329183; dated by content between
  PR #34466, 2025-12-15, and PR #49825, 2026-07; the DRAM-interleaved rule is PR #31649, 2025-11-03);
* ``device/factory/matmul_multicore_reuse_mcast_2d_program_factory.cpp`` @043b5ac2 (CBs c_0, c_1, [c_5], c_4,
  [c_3]); the 1-D factory uses the same sizes; DRAM-sharded triple-buffers in1;
* ``device/factory/matmul_multicore_program_factory.cpp`` (library id 972683247, 2025; @01502698, 2026): c_0,
  c_1, c_16 of 2 tiles each on the cores of ``split_work_to_cores``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.graph import Op
from ...ir.ttnn import Matmul, decode
from ..layout import ceil_div, tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import split_work_to_cores

TILE = 32
# MCAST_INPUT_BUFFERING_DEPTH (matmul_utilities.hpp): in0 / in1 blocks are double-buffered
_BUFFERING = 2
_FACTORY = {"2d": "MatmulMultiCoreReuseMultiCast (2D)", "1d": "MatmulMultiCoreReuseMultiCast1D",
            "dram_sharded": "MatmulMultiCoreReuseMultiCastDRAMSharded", "multicore": "MatmulMultiCore (no mcast)",
            "reuse": "MatmulMultiCoreReuse"}


@dataclass(slots=True)
class MatmulConfig:
    """A program config in tiles. ``kind``: 2d | 1d | dram_sharded | reuse | multicore; ``grid`` (x, y);
    ``source`` says where it came from (the IR, or the automatic choice and its branch)."""

    kind: str
    grid: tuple[int, int]
    in0_block_w: int
    per_core_m: int
    per_core_n: int
    out_block_h: int
    out_block_w: int
    source: str


@dataclass(frozen=True, slots=True)
class MatmulShape:
    """``Mt``, ``Kt``, ``Nt``: tiles of the product's M, K, N after the transposes
    (``get_matmul_tensor_padded_shape`` swaps the last two dims of a transposed operand); ``batch`` = the
    product of A's outer dims."""

    mt: int
    kt: int
    nt: int
    batch: int
    b_batch: int


def matmul_shape(a: TensorFacts, b: TensorFacts, transpose_a: bool, transpose_b: bool) -> MatmulShape:
    """The tile counts of ``a @ b`` (both tiled, padded to 32). Raises IndexError for a rank below 2."""
    pa, pb = a.padded, b.padded
    m, k = (pa[-1], pa[-2]) if transpose_a else (pa[-2], pa[-1])
    n = pb[-2] if transpose_b else pb[-1]
    batch = 1
    for d in a.shape[:-2]:
        batch *= d
    b_batch = 1
    for d in b.shape[:-2]:
        b_batch *= d
    return MatmulShape(m // TILE, k // TILE, n // TILE, batch, b_batch)


class CbEstimate:
    """``get_estimated_size_of_cbs(per_core_M, per_core_N, in0_block_w)`` for an interleaved A (bytes):
    ``pM·kw·2·T_A + pN·kw·2·T_B + pM·pN·T_A`` (A's tile stands for the output's) ``+ pM·pN·T_interm + bias``,
    where ``bias = kw·T_bias`` in the Dec-2025 code and ``pN·T_bias`` after tt-metal PR #38309 (Feb 2026,
    "Fix bias CB size estimation": ``in0_block_w`` → ``per_core_N``). A config fits when the sum is strictly
    below ``max_l1`` (``get_max_l1_space``: l1_size − the L1 base − the context's live L1 buffers, none
    by default).
    ``T_interm`` is ``estimate_interm_tile_size``: 4,096 B with fp32 accumulation, else max(2,048, T_out)."""

    def __init__(self, ta: int, tb: int, t_interm: int, t_bias: int, max_l1: int, bias_by_in0_block_w: bool):
        self.ta, self.tb, self.ti, self.tbias, self.max_l1 = ta, tb, t_interm, t_bias, max_l1
        self.bias_by_kw = bias_by_in0_block_w

    def size(self, pm: int, pn: int, kw: int) -> int:
        bias = (kw if self.bias_by_kw else pn) * self.tbias
        return (pm * kw * _BUFFERING * self.ta + pn * kw * _BUFFERING * self.tb + pm * pn * self.ta
                + pm * pn * self.ti + bias)

    def fits(self, pm: int, pn: int, kw: int) -> bool:
        return self.size(pm, pn, kw) < self.max_l1

    def per_core_factor(self, kw: int) -> int:
        """``get_per_core_factor``: the first of 16, 8, 4, 2 whose square block fits, else 1."""
        for f in (16, 8, 4, 2):
            if self.fits(f, f, kw):
                return f
        return 1

    def multi_dim(self, pm: int, pn: int, kw: int, adjust_kw: bool) -> tuple[int, int, int]:
        """``get_multi_dim_per_core_factor``: (pM, pN, kw) when it fits; else the largest m·n (m | pM or 1,
        n | pN or 1; per product the most square pair, a later equal ratio replacing an earlier one) that
        fits, trying kw and, with ``adjust_kw``, its divisors downwards in the outer loop; else (1, 1, 1)."""
        if self.fits(pm, pn, kw):
            return pm, pn, kw
        ms = [pm, 1] + [d for d in range(pm // 2, 1, -1) if pm % d == 0]
        ns = [pn, 1] + [d for d in range(pn // 2, 1, -1) if pn % d == 0]
        best: dict[int, tuple[int, int]] = {}
        for m in ms:
            for n in ns:
                r = max(m, n) / min(m, n)
                if m * n in best:
                    bm, bn = best[m * n]
                    if max(bm, bn) / min(bm, bn) < r:
                        continue
                best[m * n] = (m, n)
        for k in range(kw, (1 if adjust_kw else kw) - 1, -1):
            if kw % k:
                continue
            for p in sorted(best, reverse=True):
                m, n = best[p]
                if self.fits(m, n, k):
                    return m, n, k
        return 1, 1, 1


def cb_estimate(mm: Matmul, a: TensorFacts, b: TensorFacts, out: TensorFacts, bias: TensorFacts | None,
                ctx: L1Context) -> CbEstimate:
    """tt-metal's CB estimate for this matmul's tiles (A, B, ``estimate_interm_tile_size``: 4,096 B with fp32
    dest accumulation, else max(2,048, output tile), the bias tile or 0) against ``ctx.max_l1_space``, with the
    era's bias term."""
    t_interm = tile_bytes("f32") if mm.fp32_dest_acc() else max(tile_bytes("bf16"), out.tile_bytes)
    return CbEstimate(a.tile_bytes, b.tile_bytes, t_interm, bias.tile_bytes if bias is not None else 0,
                      ctx.max_l1_space, not ctx.era.matmul_bias_estimate_per_core_n)


def _interleaved(t: TensorFacts) -> bool:
    return t.memory_layout in (None, "interleaved")


def is_narrow_shape(height: int, width: int, all_dram: bool) -> bool:
    """``is_narrow_shape`` (elements): the longer side over the shorter (integer division) above 8, or,
    with everything in DRAM, a side of at most one tile."""
    ratio = height // width if height > width else width // height
    if ratio > 8:
        return True
    return all_dram and (height <= TILE or width <= TILE)


def simple_config(ctx: L1Context, a: TensorFacts, b: TensorFacts, out: TensorFacts, s: MatmulShape,
                  est: CbEstimate) -> MatmulConfig:
    """``create_simple_matmul_program_config`` on the device grid (gx, gy), Dec-2025 logic:

    1. ``all_interleaved`` = A, B and the output interleaved; ``all_dram`` = all three in DRAM;
       narrow shapes (:func:`is_narrow_shape` of A's height and B's width) are wide / tall only when
       ``all_interleaved``.
    2. ``per_core_M = per_core_N = get_per_core_factor(in0_block_w = 2)``; blocks ``nby = ceil(Mt / pf)``,
       ``nbx = ceil(Nt / pf)``; ``in0_block_w = 1`` when Kt is odd and (output sharded or more than one block).
    3. Only when all three are DRAM-interleaved, or ``nbx·nby ≤ gx·gy`` and ``in0_block_w | Kt``: the block grid
       (nbx, nby) is used when it is not 1x1 and fits the device grid (else (0, 0)); one row of blocks or a
       wide shape → 1-D mcast in0; one column or tall → 1-D mcast in1; a fitting grid (or all
       DRAM-interleaved) → 2-D mcast. With all DRAM-interleaved the 2-D config is re-derived:
       ``per_core_M = ceil(Mt / gy)``, ``per_core_N = ceil(Nt / gx)``, ``in0_block_w = Kt / gx`` (1 when gx ∤ Kt),
       then ``get_multi_dim_per_core_factor(..., adjust_in0_block_w = true)``; otherwise the 2-D config keeps
       ``per_core = out_block = pf`` and ``in0_block_w`` 2 (or 1).
    4. Everything else: ``MatmulMultiCoreProgramConfig`` (no mcast).
    """
    gx, gy = ctx.grid
    all_interleaved = _interleaved(a) and _interleaved(b) and _interleaved(out)
    all_dram = a.buffer_type == "dram" and b.buffer_type == "dram" and out.buffer_type == "dram"
    adi = all_dram and all_interleaved
    narrow = is_narrow_shape(s.mt * TILE, s.nt * TILE, all_dram)
    wide = all_interleaved and narrow and s.nt > s.mt
    tall = all_interleaved and narrow and not s.nt > s.mt
    kw = 2
    pf = est.per_core_factor(kw)
    nby, nbx = ceil_div(s.mt, pf), ceil_div(s.nt, pf)
    if (out.sharded or nby > 1 or nbx > 1) and s.kt % kw:
        kw = 1
    if adi or (nbx * nby <= gx * gy and s.kt % kw == 0):
        fits = not (nby == 1 and nbx == 1) and nby <= gy and nbx <= gx
        cx, cy = (nbx, nby) if fits else (0, 0)
        layout = out.memory_layout if out.sharded else None
        in0_1d = wide or (cy == 0 and layout == "width_sharded")
        in1_1d = tall or (cy == 0 and layout == "height_sharded")
        mcast_2d = adi or (cy == 0 and layout == "block_sharded")
        if cy == 1 or in0_1d:
            return mcast_1d_config(ctx, s, est, mcast_in0=True, why="one row of blocks" if cy == 1 else "wide")
        if cx == 1 or in1_1d:
            return mcast_1d_config(ctx, s, est, mcast_in0=False, why="one column of blocks" if cx == 1 else "tall")
        if (cy > 0 and nbx <= gx and nby <= gy) or mcast_2d:
            if adi:
                kw = s.kt // gx if s.kt % gx == 0 else 1
                pm, pn = ceil_div(s.mt, gy), ceil_div(s.nt, gx)
                obh, obw, kw = est.multi_dim(pm, pn, kw, True)
                return MatmulConfig("2d", (gx, gy), kw, pm, pn, obh, obw,
                                    "auto (all DRAM-interleaved): 2D mcast, per_core_M = ceil(Mt / grid_y)")
            return MatmulConfig("2d", (gx, gy), kw, pf, pf, pf, pf,
                                f"auto: 2D mcast, per_core = get_per_core_factor = {pf}")
    return MatmulConfig("multicore", (gx, gy), kw, 1, 1, 1, 1,
                        f"auto: MatmulMultiCoreProgramConfig ({nbx} x {nby} blocks of {pf} tiles do not map to "
                        f"the {gx} x {gy} grid)")


def mcast_1d_config(ctx: L1Context, s: MatmulShape, est: CbEstimate, mcast_in0: bool, why: str) -> MatmulConfig:
    """``get_mcast_1d_config`` (fuse_batch false, the device grid): mcast_in0 → ``per_core_M = Mt``,
    ``per_core_N = ceil(ceil(N / cores) / 32)``; mcast_in1 → ``per_core_M = ceil(ceil(M / cores) / 32)``,
    ``per_core_N = Nt``; ``in0_block_w`` 2 when Kt is even, else 1; the out block from
    ``get_multi_dim_per_core_factor(..., adjust_in0_block_w = false)``."""
    gx, gy = ctx.grid
    cores = gx * gy
    if mcast_in0:
        pm, pn = s.mt, ceil_div(ceil_div(s.nt * TILE, cores), TILE)
    else:
        pm, pn = ceil_div(ceil_div(s.mt * TILE, cores), TILE), s.nt
    kw = 2 if s.kt % 2 == 0 else 1
    obh, obw, _ = est.multi_dim(pm, pn, kw, False)
    return MatmulConfig("1d", (gx, gy), kw, pm, pn, obh, obw,
                        f"auto: 1D mcast_in{'0' if mcast_in0 else '1'} ({why})")


def from_ir(mm: Matmul, ctx: L1Context) -> MatmulConfig | None:
    """The IR's ``matmul_program_config`` (its grid, else the device grid), or None."""
    pc = mm.program_config
    if pc is None:
        return None
    return MatmulConfig(pc.kind, pc.grid or ctx.grid, pc.in0_block_w, pc.per_core_m, pc.per_core_n,
                        pc.out_block_h, pc.out_block_w, "IR program config")


def bias_is_fused(bias: TensorFacts, cfg: MatmulConfig, auto: bool, a: TensorFacts, b: TensorFacts,
                  out: TensorFacts) -> bool:
    """``get_post_process_bias`` negated: the bias goes into the matmul program (CB c_3) unless its padded
    second-to-last dim is not one tile, the config is ``MatmulMultiCoreProgramConfig``, or (automatic config)
    the output is not in DRAM, or A is interleaved and not all of A, B, output are DRAM-interleaved; then
    ``ttnn.linear`` adds the bias with a separate ``ttnn.add`` after the matmul."""
    if (bias.padded[-2] if len(bias.padded) >= 2 else TILE) != TILE or cfg.kind == "multicore":
        return False
    if not auto:
        return True
    if out.buffer_type != "dram":
        return False
    if a.sharded:
        return True
    return (all(_interleaved(t) for t in (a, b, out)) and a.buffer_type == "dram" and b.buffer_type == "dram")


def _multicore(op: Op, ctx: L1Context, cfg: MatmulConfig, a: TensorFacts, b: TensorFacts, out: TensorFacts,
               s: MatmulShape, confidence: str, notes: list[str]) -> OpL1:
    """``MatmulMultiCoreProgramFactory``: c_0 = 2 A tiles, c_1 = 2 B tiles, c_16 = 2 output tiles on the
    ``split_work_to_cores(grid, B·Mt·Nt)`` cores (column-major)."""
    tiles = s.batch * s.mt * s.nt
    cbs = [CB(0, 2, a.tile_bytes, "in0 (A)"), CB(1, 2, b.tile_bytes, "in1 (B)"), CB(16, 2, out.tile_bytes, "output")]
    groups = [CoreGroup(f"{label}: {n} output tiles per core", cores, cbs)
              for label, cores, n in split_work_to_cores(ctx, tiles)]
    formula = [f"{cfg.source}",
               f"c_0 = 2 x {a.tile_bytes:,} B, c_1 = 2 x {b.tile_bytes:,} B, c_16 = 2 x {out.tile_bytes:,} B on "
               f"the cores of {tiles:,} output tiles (B x Mt x Nt = {s.batch} x {s.mt} x {s.nt})", *notes]
    return OpL1(op.id, op.name, op.program, _FACTORY["multicore"], confidence, groups, formula,
                ["matmul_multicore_program_factory.cpp (2025 copy; @01502698)", "matmul_program_config.cpp"])


@cb_model("ttnn.matmul", "ttnn.linear")
def matmul(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.matmul`` / ``ttnn.linear``. The config is the IR's, else :func:`simple_config` (A interleaved,
    no core grid: tt-mlir passes none). CBs of the mcast factories (2-D @043b5ac2; 1-D the same sizes):
    c_0 = out_block_h·in0_block_w tiles of A and c_1 = out_block_w·in0_block_w tiles of B, both x2 when
    batch·(Kt / in0_block_w) > 1 (x3 for in1 on the DRAM-sharded factory); c_4 = out_block_h·out_block_w
    output tiles, sharing its buffer with the intermediate unless their formats differ (then c_5 is separate);
    c_3 = out_block_w tiles of the bias dtype when the bias is fused (:func:`bias_is_fused`).
    ``MatmulMultiCoreProgramConfig`` → :func:`_multicore`. An IR ``MatmulMultiCoreReuseProgramConfig`` and a
    sharded A without a config are not modelled (labelled estimate)."""
    mm = decode(op)
    a, b, out = operand(op, 0), operand(op, 1), result(op)
    if not isinstance(mm, Matmul) or a is None or b is None or out is None or len(a.shape) < 2 or len(b.shape) < 2:
        return generic_estimate(op, ctx)
    s = matmul_shape(a, b, mm.transpose_a, mm.transpose_b)
    packer_l1 = mm.packer_l1_acc()
    bias = operand(op, 2) if mm.bias is not None else None
    t_bias = bias.tile_bytes if bias is not None else 0
    est = cb_estimate(mm, a, b, out, bias, ctx)
    notes: list[str] = []
    cfg = from_ir(mm, ctx)
    auto = cfg is None
    if cfg is None:
        if a.sharded:
            res = generic_estimate(op, ctx)
            res.factory = "matmul with sharded A, no program config (not modelled)"
            res.formula.insert(0, "A is sharded: tt-metal derives the config from its shard spec "
                                  "(get_matmul_program_config), which ttdiag does not model")
            return res
        cfg = simple_config(ctx, a, b, out, s, est)
    exact = not mm.transpose_a
    if mm.transpose_a:
        notes.append("transpose_a: the factory's in0 transpose CB is not modelled")
    if auto and s.b_batch > 1:
        exact = False
        notes.append("B is batched: a later tt-metal (PR #47640, June 2026) routes A-batch-1 cases to a 1D config")
    if cfg.kind == "reuse":
        res = generic_estimate(op, ctx)
        res.factory = f"{_FACTORY['reuse']} (CBs not modelled)"
        return res
    fused = bias is not None and bias_is_fused(bias, cfg, auto, a, b, out)
    if bias is not None and not fused:
        notes.append("the bias is added by a separate ttnn.add after the matmul (get_post_process_bias): no c_3")
    if cfg.kind == "multicore":
        return _multicore(op, ctx, cfg, a, b, out, s, "read-factory" if exact else "estimate", notes)
    nb = max(1, s.kt // max(cfg.in0_block_w, 1))
    dbl = _BUFFERING if s.batch * nb > 1 else 1
    in1_buf = 3 if cfg.kind == "dram_sharded" else dbl
    pl1 = packer_l1 and (((fused and nb > 1) or nb > 2) if cfg.kind == "2d" else nb > 1)
    interm_dtype = "f32" if mm.fp32_dest_acc() else ("bf16" if pl1 else out.dtype)
    ta, tb, to = a.tile_bytes, b.tile_bytes, out.tile_bytes
    cbs = [CB(0, cfg.out_block_h * cfg.in0_block_w * dbl, ta, "in0 (A) block"),
           CB(1, cfg.out_block_w * cfg.in0_block_w * in1_buf, tb, "in1 (B) block")]
    out_tiles = cfg.out_block_h * cfg.out_block_w
    if interm_dtype != out.dtype:
        cbs.append(CB(5, out_tiles, tile_bytes(interm_dtype), "intermediate"))
    cbs.append(CB(4, out_tiles, to, "output" if interm_dtype != out.dtype else "output (shared with intermediate)"))
    if fused and bias is not None:
        cbs.append(CB(3, cfg.out_block_w, bias.tile_bytes, "bias"))
    nbx, nby = ceil_div(s.nt, max(cfg.per_core_n, 1)), ceil_div(s.mt, max(cfg.per_core_m, 1))
    gx, gy = cfg.grid
    if cfg.kind == "2d":
        cores = [(x, y) for x in range(min(nbx, gx)) for y in range(min(nby, gy))]
    else:
        n = min(nbx * nby, gx * gy)
        cores = [(i % gx, i // gx) for i in range(n)]  # 1-D: row-major from (0, 0)
    formula = [f"{cfg.source}: per_core_M {cfg.per_core_m}, per_core_N {cfg.per_core_n}, in0_block_w "
               f"{cfg.in0_block_w}, out_block {cfg.out_block_h}x{cfg.out_block_w}; Kt {s.kt} -> {nb} K blocks",
               f"c_0 = {cfg.out_block_h} x {cfg.in0_block_w} x {dbl} x {ta:,} B = {cbs[0].bytes:,} B; "
               f"c_1 = {cfg.out_block_w} x {cfg.in0_block_w} x {in1_buf} x {tb:,} B = {cbs[1].bytes:,} B"]
    if auto:
        bias_term = (f"; bias term {'in0_block_w' if est.bias_by_kw else 'per_core_N'} x {t_bias:,} B"
                     if t_bias else "")
        held = (f"{ctx.l1_buffers_bytes:,} B of L1 buffers per bank below the top" if ctx.l1_buffers_bytes
                else "no L1 buffers assumed")
        formula.insert(0, f"config chosen with the CB estimate strictly below {ctx.max_l1_space:,} B "
                          f"({held}){bias_term}")
    return OpL1(op.id, op.name, op.program, _FACTORY[cfg.kind], "read-factory" if exact else "estimate",
                [CoreGroup(f"{len(cores)} cores", cores, cbs)], formula + notes,
                ["matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2",
                 "matmul_program_config.cpp create_simple_matmul_program_config (Dec 2025 copy; @001cea9a)",
                 "matmul_utilities.cpp get_estimated_size_of_cbs", "matmul.cpp get_post_process_bias"])
