"""Knobs for a matmul / linear whose CBs overflow L1 or clash with an L1 buffer (then sized to end below the
lowest L1 buffer): the K block (``in0_block_w`` of its program config), the per-core output block
(``per_core_M`` / ``per_core_N``), the program config kind (2-D <-> 1-D mcast, the whole config re-derived with
tt-metal's recipe) and the DRAM-sharded config's prerequisites (stated, no rewrite). How a knob is sized and
checked: :mod:`ttdiag.advise.knobs`.
"""

from __future__ import annotations

from ..ir.items import render
from .context import AdviceContext
from .knobs import BLOCKING, edit_op, knob_target
from .model import Advice, from_ir
from .registry import advice_rule

_MATMULS = ("ttnn.matmul", "ttnn.linear")


def _config_with(cfg, **changes: int) -> str:
    """The IR's ``#ttnn.<kind><...>`` matmul program config with the integer fields ``changes`` set (other
    fields as the IR has them, in its order)."""
    fields = {k: render(v) for k, v in cfg.fields.items()}
    fields.update((k, str(v)) for k, v in changes.items())
    return f"#ttnn.{cfg.kind}<" + ", ".join(f"{k} = {v}" for k, v in fields.items()) + ">"


@advice_rule("matmul-in0-block-w")
def matmul_in0_block_w(ctx: AdviceContext) -> list[Advice]:
    """A matmul with an IR program config whose CBs overflow L1: a narrower K block (``in0_block_w``, tiles).
    c_0 and c_1 hold ``out_block_h`` / ``out_block_w`` x ``in0_block_w`` tiles (double-buffered with more than
    one K block), so they shrink with it; the largest divisor of the IR's value that fits is kept."""
    from ..ir.ttnn import Matmul
    from .model import Verification, fact

    t = knob_target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    if pc is None or pc.kind not in ("2d", "1d", "dram_sharded") or pc.in0_block_w <= 1:
        return []
    end0 = ctx.predict([op])["worst_cb_region_end_bytes"]
    cfg = mm.matmul_program_config
    best = None
    for w in sorted((d for d in range(1, pc.in0_block_w) if pc.in0_block_w % d == 0), reverse=True):
        built = edit_op(ctx, op, matmul_program_config=_config_with(cfg, in0_block_w=w))
        if built is None:
            continue
        pred = ctx.predict(built.ops)
        if best is None or pred["worst_cb_region_end_bytes"] < best[2]["worst_cb_region_end_bytes"]:
            best = (w, built, pred)
        if pred["fits"]:
            best = (w, built, pred)
            break
    if best is None or best[2]["worst_cb_region_end_bytes"] >= end0:
        return []
    w, built, pred = best
    return [Advice("matmul-in0-block-w",
                   f"Set in0_block_w = {w} (from {pc.in0_block_w}) in {op.id}'s matmul_program_config",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail="a blocking knob: the executor does not model blocking "
                                                              "(each output is the same sum; the accumulation order "
                                                              "may differ)"),
                   score=65.0, notes=[] if pred["fits"] else ["no in0_block_w fits: also reduce per_core_M / "
                                                              "per_core_N or use more cores"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: in0_block_w {pc.in0_block_w}, per_core_M {pc.per_core_m}, "
                               f"per_core_N {pc.per_core_n}, out_block {pc.out_block_h}x{pc.out_block_w}", op.line,
                               f"{op.id} {op.name}", ctx.where(op)),
                       fact("c_0 = out_block_h x in0_block_w and c_1 = out_block_w x in0_block_w tiles, x2 with more "
                            "than one K block; c_4 = out_block_h x out_block_w tiles",
                            "tt-metal matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2"),
                       fact(f"in0_block_w {w} divides {pc.in0_block_w}, so it divides K as the IR's value does",
                            "arithmetic on the IR's program config"),
                   ])]


def _divisor_at_most(n: int, cap: int) -> int:
    return max(d for d in range(1, max(1, min(n, cap)) + 1) if n % d == 0)


@advice_rule("matmul-per-core-block")
def matmul_per_core_block(ctx: AdviceContext) -> list[Advice]:
    """A matmul with a 2-D / 1-D mcast program config whose CBs overflow L1: smaller ``per_core_M`` /
    ``per_core_N`` (out_block_h / _w set to them; out subblocks the largest divisors within the IR's, at most
    the dest registers), within the compute grid: 2-D ceil(Mt / per_core_M) ≤ grid rows and ceil(Nt /
    per_core_N) ≤ grid columns (swapped with transpose_mcast); 1-D their product ≤ grid cores. The largest
    per-core block (fewest cores) that fits is kept."""
    from ..analyze.l1.tensors import result
    from ..analyze.layout import ceil_div
    from ..ir.ttnn import Matmul
    from .model import Verification, fact

    t = knob_target(ctx, _MATMULS, Matmul)
    if t is None:
        return []
    ctx, limit_facts, op, mm = t
    pc = mm.program_config
    out = result(op)
    if pc is None or pc.kind not in ("2d", "1d") or out is None or len(out.shape) < 2:
        return []
    base = ctx.predict([op])
    end0 = base["worst_cb_region_end_bytes"]
    if base["fits"]:
        return []  # the model does not reproduce the overflow
    nt = ceil_div(out.shape[-1], 32)
    # get_M_dim: batch folded into M with fuse_batch, else one batch's rows
    mt = ceil_div(out.volume // out.shape[-1] if pc.fuse_batch else out.shape[-2], 32)
    gx, gy = pc.grid or ctx.l1.grid
    if pc.kind == "2d" and pc.transpose_mcast:
        gx, gy = gy, gx
    dest = 4 if mm.fp32_dest_acc() else 8
    cands: dict[int, list[tuple[int, int]]] = {}
    for m in (d for d in range(1, pc.per_core_m + 1) if pc.per_core_m % d == 0):
        for n in (d for d in range(1, pc.per_core_n + 1) if pc.per_core_n % d == 0):
            if (m, n) == (pc.per_core_m, pc.per_core_n):
                continue
            by, bx = ceil_div(mt, m), ceil_div(nt, n)
            if (by > gy or bx > gx) if pc.kind == "2d" else by * bx > gx * gy:
                continue
            if pc.kind == "1d" and pc.mcast_in0 and by != 1:
                continue
            cands.setdefault(m * n, []).append((m, n))
    cfg = mm.matmul_program_config
    best = None
    for size in sorted(cands, reverse=True):  # the largest per-core block that fits; ties: the smallest region
        for m, n in cands[size]:
            sh = _divisor_at_most(m, pc.out_subblock_h)
            sw = _divisor_at_most(n, max(1, min(pc.out_subblock_w, dest // sh)))
            blocks = {k: v for k, v in (("out_block_h", m), ("out_block_w", n)) if k in cfg.fields}
            built = edit_op(ctx, op, matmul_program_config=_config_with(
                cfg, per_core_m=m, per_core_n=n, out_subblock_h=sh, out_subblock_w=sw, **blocks))
            if built is None:
                continue
            pred = ctx.predict(built.ops)
            if pred["fits"] and (best is None or pred["worst_cb_region_end_bytes"]
                                 < best[5]["worst_cb_region_end_bytes"]):
                best = (m, n, sh, sw, built, pred)
        if best is not None:
            break
    if best is None:
        return []
    m, n, sh, sw, built, pred = best
    by, bx = ceil_div(mt, m), ceil_div(nt, n)
    return [Advice("matmul-per-core-block",
                   f"Set per_core_M = {m}, per_core_N = {n} (from {pc.per_core_m}, {pc.per_core_n}) in {op.id}'s "
                   f"matmul_program_config ({by} x {bx} output blocks)",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail=BLOCKING), score=60.0,
                   notes=[f"fewer tiles per core: {by * bx} cores instead of "
                          f"{ceil_div(mt, pc.per_core_m) * ceil_div(nt, pc.per_core_n)}"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: per_core_M {pc.per_core_m}, per_core_N {pc.per_core_n}, "
                               f"out_subblock {pc.out_subblock_h}x{pc.out_subblock_w}, in0_block_w {pc.in0_block_w}, "
                               f"grid {pc.grid or ctx.l1.grid}; output {mt} x {nt} tiles", op.line,
                               f"{op.id} {op.name}", ctx.where(op)),
                       fact("per_core_M divisible by out_block_h and out_subblock_h, per_core_N by out_block_w and "
                            "out_subblock_w; out_subblock_h·w ≤ the dest registers (8 tiles, 4 with fp32 dest acc); "
                            "2-D: ceil(Mt/per_core_M) ≤ grid rows, ceil(Nt/per_core_N) ≤ grid columns; 1-D: their "
                            "product ≤ grid cores (mcast_in0: one block of rows)",
                            "tt-metal matmul_device_operation.cpp @001cea9a (program config validation; "
                            "get_dest_reg_count)"),
                       fact("c_0 = out_block_h x in0_block_w, c_1 = out_block_w x in0_block_w, c_4 = out_block_h x "
                            "out_block_w tiles", "tt-metal matmul_multicore_reuse_mcast_2d_program_factory.cpp "
                                                 "@043b5ac2"),
                       fact(f"out_subblock {sh}x{sw}: the largest divisors of the new block within the IR's subblock "
                            f"and {dest} dest tiles", "arithmetic on the IR's program config"),
                   ])]


# ---------------------------------------------------------------------------------------------------------------
# matmul: the program config kind (2-D mcast <-> 1-D mcast), DRAM-sharded prerequisites

# (h, w) pairs in tt-metal's SUBBLOCK_HW_CHOICES order (matmul_program_config.cpp @001cea9a)
_SUBBLOCK_CHOICES = ((4, 2), (2, 4), (8, 1), (1, 8), (7, 1), (1, 7), (3, 2), (2, 3), (6, 1), (1, 6), (5, 1), (1, 5),
                     (2, 2), (4, 1), (1, 4), (3, 1), (1, 3), (2, 1), (1, 2), (1, 1))
_MM_CONFIG_SRC = "tt-metal matmul_program_config.cpp @001cea9a"
_MM_VALIDATE_SRC = "tt-metal matmul_device_operation.cpp @001cea9a (MatmulDeviceOperation validate)"


def _subblock_1d(bh: int, bw: int, fp32: bool) -> tuple[int, int]:
    """``bmm_op_utils::get_matmul_subblock_params(out_block_h, out_block_w, false, false, fp32)``: the first
    (h, w) of SUBBLOCK_HW_CHOICES (h = first element) dividing the block, h·w ≤ 4 with fp32 dest acc."""
    for h, w in _SUBBLOCK_CHOICES:
        if (not fp32 or h * w <= 4) and bh % h == 0 and bw % w == 0:
            return h, w
    return 1, 1


def _subblock_2d(bh: int, bw: int, fp32: bool, per_core_n: int) -> tuple[int, int]:
    """``get_subblock_sizes`` (w = the first element of each SUBBLOCK_HW_CHOICES pair, h the second), then
    ``out_subblock_h = 1`` when ``out_subblock_w != per_core_N`` (create_matmul_program_config)."""
    sh, sw = 1, 1
    for w, h in _SUBBLOCK_CHOICES:
        if (not fp32 or h * w <= 4) and bh % h == 0 and bw % w == 0:
            sh, sw = h, w
            break
    return (1 if sw != per_core_n else sh), sw


def _config_1d(mt: int, nt: int, kt: int, grid: tuple[int, int], mcast_in0: bool, est, fp32: bool) -> dict:
    """``get_mcast_1d_config`` (no user shard spec, interleaved output) in tiles: mcast_in0 → per_core_M = Mt,
    per_core_N = ceil(ceil(N / cores) / 32); mcast_in1 → per_core_M = ceil(ceil(M / cores) / 32), per_core_N =
    Nt; in0_block_w 2 when Kt is even, else 1; out block ``get_multi_dim_per_core_factor(..., false)``;
    subblock ``get_matmul_subblock_params`` of the out block."""
    from ..analyze.layout import ceil_div

    cores = grid[0] * grid[1]
    if mcast_in0:
        pm, pn = mt, ceil_div(ceil_div(nt * 32, cores), 32)
    else:
        pm, pn = ceil_div(ceil_div(mt * 32, cores), 32), nt
    kw = 2 if kt % 2 == 0 else 1
    bh, bw, _ = est.multi_dim(pm, pn, kw, False)
    sh, sw = _subblock_1d(bh, bw, fp32)
    return {"kind": "1d", "mcast_in0": mcast_in0, "grid": grid, "in0_block_w": kw, "out_subblock_h": sh,
            "out_subblock_w": sw, "out_block_h": bh, "out_block_w": bw, "per_core_m": pm, "per_core_n": pn,
            "blocks": ceil_div(mt, pm) * ceil_div(nt, pn)}


def _config_2d(mt: int, nt: int, kt: int, grid: tuple[int, int], est, fp32: bool) -> dict:
    """``create_matmul_program_config``'s 2-D branch for an interleaved A in tiles: per_core_M = ceil(Mt /
    grid_y) (batch folded into M), per_core_N = max(1, ceil(Nt / grid_x)); in0_block_w 4, lowered until it
    divides Kt; out block ``get_multi_dim_per_core_factor(..., false)``; subblock :func:`_subblock_2d`;
    transpose_mcast false."""
    from ..analyze.layout import ceil_div

    gx, gy = grid
    pm, pn = ceil_div(mt, gy), max(1, ceil_div(nt, gx))
    kw = 4
    while kt % kw:
        kw -= 1
    bh, bw, _ = est.multi_dim(pm, pn, kw, False)
    sh, sw = _subblock_2d(bh, bw, fp32, pn)
    return {"kind": "2d", "mcast_in0": None, "grid": grid, "in0_block_w": kw, "out_subblock_h": sh,
            "out_subblock_w": sw, "out_block_h": bh, "out_block_w": bw, "per_core_m": pm, "per_core_n": pn,
            "blocks": ceil_div(mt, pm) * ceil_div(nt, pn)}


def _config_attr(c: dict, fuse_batch: bool, activation: str | None) -> str:
    """The config as tt-mlir prints it (field order of tt-mlir's Silicon perf tests
    ``test_perf_matmul_multi_core_reuse_multi_cast[_1d]_program_config.mlir`` @19c86fca)."""
    act = [f"fused_activation = {activation}"] if activation else []
    common = [f"compute_with_storage_grid_size = #ttnn.core_coord<{c['grid'][0]}, {c['grid'][1]}>"] + [
        f"{k} = {c[k]}" for k in ("in0_block_w", "out_subblock_h", "out_subblock_w", "out_block_h", "out_block_w",
                                  "per_core_m", "per_core_n")]
    if c["kind"] == "2d":
        fields = common + ["transpose_mcast = false"] + act + [f"fuse_batch = {str(fuse_batch).lower()}"]
        return "#ttnn.matmul_multi_core_reuse_multi_cast_program_config<" + ", ".join(fields) + ">"
    fields = common + [f"fuse_batch = {str(fuse_batch).lower()}"] + act + [
        f"mcast_in0 = {str(c['mcast_in0']).lower()}", "gather_in0 = false", "hop_cores = #ttnn.core_range_set<>",
        "num_global_cb_receivers = 0", "untilize_out = false"]
    return "#ttnn.matmul_multi_core_reuse_multi_cast_1d_program_config<" + ", ".join(fields) + ">"


def _kind_name(c: dict) -> str:
    if c["kind"] == "2d":
        return "2-D mcast"
    return f"1-D mcast ({'mcast_in0' if c['mcast_in0'] else 'mcast_in1'})"


def _matmul_failure(ctx: AdviceContext):
    """(sizing context, limit facts, op, typed matmul, A, B, output facts, the L1 model's prediction for the IR's
    config) for a matmul CB overflow / clash the L1 model reproduces, with A and B of rank 2 or more; None
    otherwise."""
    from ..analyze.l1.tensors import operand, result
    from ..ir.ttnn import Matmul

    t = knob_target(ctx, _MATMULS, Matmul)
    if t is None:
        return None
    sctx, limit_facts, op, mm = t
    a, b, out = operand(op, 0), operand(op, 1), result(op)
    if a is None or b is None or out is None or len(a.shape) < 2 or len(b.shape) < 2:
        return None
    base = sctx.predict([op])
    if base["fits"]:
        return None  # the model does not reproduce the overflow
    return sctx, limit_facts, op, mm, a, b, out, base


@advice_rule("matmul-mcast-kind")
def matmul_mcast_kind(ctx: AdviceContext) -> list[Advice]:
    """A matmul whose IR program config (2-D or 1-D mcast) overflows L1 (or clashes with an L1 buffer): another
    config kind, every field derived with tt-metal's own recipe on the IR's grid — from 2-D: the 1-D config
    mcast_in0 and mcast_in1 (``get_mcast_1d_config``); from 1-D: the 2-D config (``create_matmul_program_config``)
    and the 1-D config of the other mcast direction. Each candidate is built as an op (checked) and predicted with
    the L1 model; the one that fits with the smallest CB region is kept.

    Only when A, B and the output are interleaved (sharded operands pin the kind to their layout in tt-metal's
    validate), B is not batched when the batch is fused (fuse_batch needs B of batch 1), and neither input is
    transposed (the model leaves the transpose CB out). The IR's fuse_batch and fused activation are kept."""
    from ..analyze.l1.ops_matmul import cb_estimate, matmul_shape
    from ..analyze.l1.tensors import operand
    from .model import Verification, fact, guess

    got = _matmul_failure(ctx)
    if got is None:
        return []
    ctx, limit_facts, op, mm, a, b, out, base = got
    pc = mm.program_config
    if pc is None or pc.kind not in ("2d", "1d") or mm.transpose_a or mm.transpose_b:
        return []
    if any(x.sharded for x in (a, b, out)):
        return []
    end0 = base["worst_cb_region_end_bytes"]
    s = matmul_shape(a, b, False, False)
    if pc.fuse_batch and s.b_batch > 1:
        return []
    mt = s.mt * (s.batch if pc.fuse_batch else 1)  # get_M_dim(fuse_batch)
    grid = pc.grid or ctx.l1.grid
    bias = operand(op, 2) if mm.bias is not None else None
    est = cb_estimate(mm, a, b, out, bias, ctx.l1)
    fp32 = mm.fp32_dest_acc()
    if pc.kind == "2d":
        cands = [_config_1d(mt, s.nt, s.kt, grid, True, est, fp32), _config_1d(mt, s.nt, s.kt, grid, False, est, fp32)]
    else:
        cands = [_config_2d(mt, s.nt, s.kt, grid, est, fp32),
                 _config_1d(mt, s.nt, s.kt, grid, not pc.mcast_in0, est, fp32)]
    cfg = mm.matmul_program_config
    act = render(cfg.fields["fused_activation"]) if "fused_activation" in cfg.fields else None
    best = None
    cores = grid[0] * grid[1]
    for c in cands:
        if c["kind"] == "1d" and c["blocks"] > cores:
            continue  # validate: num_blocks_y·num_blocks_x ≤ grid cores
        built = edit_op(ctx, op, matmul_program_config=_config_attr(c, pc.fuse_batch, act))
        if built is None:
            continue  # the typed op rejects it
        pred = ctx.predict(built.ops)
        if pred["fits"] and (best is None or pred["worst_cb_region_end_bytes"] < best[2]["worst_cb_region_end_bytes"]):
            best = (c, built, pred)
    if best is None:
        return []
    c, built, pred = best
    was = "2-D mcast" if pc.kind == "2d" else f"1-D mcast ({'mcast_in0' if pc.mcast_in0 else 'mcast_in1'})"
    recipe = ("get_mcast_1d_config: mcast_in0 per_core_M = M tiles, per_core_N = ceil(ceil(N / cores) / 32); "
              "mcast_in1 per_core_M = ceil(ceil(M / cores) / 32), per_core_N = N tiles; in0_block_w 2 (1 for an odd "
              "K tile count); out block get_multi_dim_per_core_factor; subblock get_matmul_subblock_params"
              if c["kind"] == "1d" else
              "create_matmul_program_config (interleaved A): per_core_M = ceil(M tiles / grid rows), per_core_N = "
              "ceil(N tiles / grid columns), in0_block_w the largest of 4, 3, 2, 1 dividing K tiles; out block "
              "get_multi_dim_per_core_factor; subblock get_subblock_sizes, height 1 unless its width is per_core_N")
    return [Advice("matmul-mcast-kind",
                   f"Use a {_kind_name(c)} program config on {op.id} (from {was}): per_core_M = {c['per_core_m']}, "
                   f"per_core_N = {c['per_core_n']}, out block {c['out_block_h']}x{c['out_block_w']}",
                   [f"{op.id} {op.name} (line {op.line}): CB region {end0:,} B predicted for the IR's program config"],
                   built, pred, Verification("not-run", detail=BLOCKING), score=58.0,
                   notes=[f"{c['blocks']} output blocks on the {grid[0]} x {grid[1]} grid"],
                   assumptions=limit_facts + [
                       from_ir(f"program config {cfg.kind}: per_core_M {pc.per_core_m}, per_core_N {pc.per_core_n}, "
                               f"in0_block_w {pc.in0_block_w}, grid {grid}; output {mt} x {s.nt} tiles, K {s.kt} "
                               "tiles; A, B and the output interleaved", op.line, f"{op.id} {op.name}", ctx.where(op)),
                       fact("matmul program configs use different sized CBs: when one runs out of L1, another "
                            "kind may fit", "tt-metal#10515 (maintainer comment, 2024-07-24)"),
                       fact(f"the new config follows tt-metal's own recipe on the IR's grid: {recipe}",
                            f"{_MM_CONFIG_SRC} (get_mcast_1d_config, create_matmul_program_config)"),
                       fact("1-D: ceil(M/per_core_M)·ceil(N/per_core_N) ≤ grid cores, mcast_in0 needs one block of "
                            "rows; 2-D: blocks ≤ grid columns x rows", _MM_VALIDATE_SRC),
                       fact("the 1-D factory sizes its CBs as the 2-D one: c_0 = out_block_h x in0_block_w and c_1 = "
                            "out_block_w x in0_block_w tiles (x2 with more than one K block), c_4 = out_block_h x "
                            "out_block_w tiles", "tt-metal matmul_multicore_reuse_mcast_1d_program_factory.cpp "
                                                 "@00629f0f; matmul_multicore_reuse_mcast_2d_program_factory.cpp "
                                                 "@043b5ac2"),
                       guess("the device's compute grid is at least the IR's grid", "the log names no device grid; "
                             "tt-metal uses the config's grid as given"),
                   ])]


@advice_rule("matmul-dram-sharded")
def matmul_dram_sharded(ctx: AdviceContext) -> list[Advice]:
    """A matmul whose CBs overflow L1 (or clash) with one tile row of A (M = 32 rows, no batch folding): the
    DRAM-sharded program config streams B from DRAM banks. Its prerequisites come from tt-metal's validate; the
    rule states them and which the IR's operands miss. No rewrite: changing the memory configs is a graph change
    (to_memory_config ops, a DRAM-sharded B), and the L1 model does not size the DRAM-sharded factory's sharded
    CBs, so the predicted figure is unknown (said so). Not offered for M above one tile: tt-metal rejects it."""
    from ..analyze.l1.ops_matmul import matmul_shape
    from .model import Verification, fact

    got = _matmul_failure(ctx)
    if got is None:
        return []
    ctx, limit_facts, op, mm, a, b, out, base = got
    pc = mm.program_config
    if pc is not None and pc.kind == "dram_sharded":
        return []
    s = matmul_shape(a, b, mm.transpose_a, mm.transpose_b)
    if s.mt != 1:
        return []  # validate: M == 1 tile ("currently only support in0 tensor height of tile height")
    missing = []
    if not (a.memory_layout == "width_sharded" and a.buffer_type == "l1"):
        missing.append(f"A is {a.buffer_type or 'unknown'} {a.memory_layout or 'unknown'} (needs L1 width-sharded)")
    if b.memory_layout != "width_sharded" or b.buffer_type != "dram":
        missing.append(f"B is {b.buffer_type or 'unknown'} {b.memory_layout or 'unknown'} (needs DRAM width-sharded)")
    if out.memory_layout != "width_sharded" or out.buffer_type != a.buffer_type:
        missing.append(f"the output is {out.buffer_type or 'unknown'} {out.memory_layout or 'unknown'} (needs "
                       "width-sharded in A's buffer type)")
    title = (f"Consider the DRAM-sharded matmul for {op.id} (one tile row of A)"
             + (": its operands must be width-sharded first" if missing else ""))
    return [Advice("matmul-dram-sharded", title,
                   [f"{op.id} {op.name} (line {op.line}): CB region {base['worst_cb_region_end_bytes']:,} B predicted "
                    + ("for the IR's program config" if pc is not None else "for tt-metal's automatic config")]
                   + [f"{op.id}: {m}" for m in missing],
                   "", {}, Verification("not-run", detail="no rewrite: the operands' memory configs would change"),
                   score=30.0,
                   notes=["predicted CB region unknown: the L1 model does not size the DRAM-sharded factory's CBs "
                          "on sharded operands"],
                   assumptions=limit_facts + [
                       from_ir(f"A {list(a.shape)} {a.buffer_type} {a.memory_layout}, B {list(b.shape)} "
                               f"{b.buffer_type} {b.memory_layout}, output {out.buffer_type} {out.memory_layout}; "
                               f"M {s.mt} tile, K {s.kt} tiles, N {s.nt} tiles", op.line, f"{op.id} {op.name}",
                               ctx.where(op)),
                       fact("the DRAM-sharded config needs A width-sharded (row-major orientation), a sharded output "
                            "with A's buffer type and layout, B width-sharded, per_core_M = M = 1 tile, and "
                            "in0_block_w dividing K and A's shard width in tiles", _MM_VALIDATE_SRC),
                       fact("the DRAM-sharded factory gives each DRAM bank a reader core and takes B's shard width "
                            "x the bank count as B's width (B width-sharded over the DRAM banks, row-major); its B "
                            "CB is triple-buffered", "tt-metal matmul_multicore_reuse_mcast_dram_sharded_program_"
                            "factory.cpp @01502698 create_program_dram_sharded_descriptor"),
                   ])]
