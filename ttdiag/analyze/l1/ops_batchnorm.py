"""CB models for ``ttnn.batch_norm_inference`` and ``ttnn.batch_norm_training`` (tt-metal ``ttnn::batch_norm``).

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/normalization/batch_norm``):

* ``batch_norm.cpp`` ``batch_norm`` @050f24fa (the same composition as the late-2025 ``BatchNorm::invoke``):
  inference runs the ``batch_norm`` device op on (input, running_mean, running_var, weight, bias); training first
  computes ``batch_mean = mean_NHW(input)`` (``ttnn::mean`` over dims 2, 3, then over dim 0),
  ``batch_var = mean_NHW(square(input)) - square(batch_mean)``, then runs the ``running_statistics`` device op
  (always, also without running_mean / running_var) and the ``batch_norm`` device op. Each program's CBs are
  freed before the next one's are made, so the op's figure is the largest program's.
* ``device/batch_norm_program_factory.cpp`` ``BatchNormFactory``: on every core of the compute grid, nine CBs of
  two pages each: c_0 input (input dtype), c_1 batch_mean, c_2 output, c_3 batch_var, c_4 eps, c_5 weight, c_6
  bias (weight / bias: their dtype, bfloat16 when absent), c_7 1/sqrt(var + eps), c_8 a temporary; c_4 / c_7 /
  c_8 hold the intermediate format (float32 when any tensor is float32, else the input's), and when that is
  float32 but the output is not, c_2 holds float32 and c_9 (two output-dtype pages) feeds the writer. Read in
  the 2026 ``ProgramDescriptor`` copy (code index, no commit); the early-2025 copy @026aac04 had a tenth CB
  (c_8 = input - batch_mean) and sized c_4 / c_7 / c_9 with the input / batch_var tiles. The late-2025 count of
  nine is what tt-metal computed for tt-mlir @78b9ce3d's OpModel tests (36,864 B = 9 x 2 x 2,048 for bf16).
* ``device/running_statistics_program_factory.cpp`` ``RunningStatistics...ProgramFactory::create``: on every
  core of the compute grid, twelve CBs of two pages: c_0 batch_mean, c_1 batch_var, c_2 output, c_3 / c_4 old
  running mean / var (their dtype, bfloat16 when absent), c_5 momentum, c_6 ones, c_7 / c_8 updated running
  mean / var, c_9..c_11 temporaries; c_12 / c_13 (two running-stat pages) when float32 intermediates must be
  typecast to non-float32 running stats. Read at @0640bf7f (early 2025: momentum, ones and temporaries in
  batch_var's dtype) and in a 2026 copy (code index, no commit: in the intermediate format, float32 when any
  tensor is float32). Both give 12 x 2 pages for one dtype: 49,152 B for bf16, tt-mlir's OpModel figure.

Labels: one dtype for every tensor is ``read-factory``; mixed dtypes (where the copies differ) are estimates.
The training composite's reductions and element-wise programs are reported too (reduce: c_0 2 + c_2 2 bf16 +
c_3 2 tiles; square: unary 2 + 2 tiles; subtract: binary_ng 3 x 2 tiles); the N-dim mean of the [N, C, 1, 1]
per-channel sums (transposes and an H reduce of a few tiles) is not listed.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import BatchNorm, decode
from ..layout import tile_bytes
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1
from .ops_reduce import reduce_cbs
from .registry import cb_model
from .tensors import TensorFacts, operand, result
from .work_split import all_grid_cores, split_work_to_cores

_DIR = "ttnn/cpp/ttnn/operations/normalization/batch_norm/"
SOURCES = {
    "compose": _DIR + "batch_norm.cpp batch_norm @050f24fa (mean_NHW, square, subtract, running_statistics, "
                      "batch_norm)",
    "bn": _DIR + "device/batch_norm_program_factory.cpp BatchNormFactory (2026 descriptor copy; @026aac04 "
                 "early 2025)",
    "rs": _DIR + "device/running_statistics_program_factory.cpp RunningStatisticsFactory::create @0640bf7f "
                 "(and the 2026 copy)",
}
BF16_TILE = tile_bytes("bf16")
F32_TILE = tile_bytes("f32")
_F32 = ("f32", "float32")


def _tile(t: TensorFacts | None, absent: int = BF16_TILE) -> int:
    return t.tile_bytes if t is not None else absent


def batch_norm_cbs(a: TensorFacts, b: TensorFacts, c: TensorFacts, d: TensorFacts,
                   e: TensorFacts | None, f: TensorFacts | None) -> list[CB]:
    """``BatchNormFactory``'s CBs (two pages each; bytes per page) for input a, batch_mean b, output c,
    batch_var d, weight e, bias f (None: absent, a bfloat16 page)."""
    dtypes = [t.dtype for t in (a, b, c, d, e, f) if t is not None]
    any_f32 = any(dt in _F32 for dt in dtypes)
    interm = F32_TILE if any_f32 else a.tile_bytes
    typecast_out = any_f32 and c.dtype not in _F32
    cbs = [CB(0, 2, a.tile_bytes, "input"), CB(1, 2, b.tile_bytes, "batch_mean"),
           CB(2, 2, interm if typecast_out else c.tile_bytes, "output (float32 staging)" if typecast_out else "output")]
    if typecast_out:
        cbs.append(CB(9, 2, c.tile_bytes, "output for the writer"))
    cbs += [CB(3, 2, d.tile_bytes, "batch_var"), CB(4, 2, interm, "eps"), CB(5, 2, _tile(e), "weight"),
            CB(6, 2, _tile(f), "bias"), CB(7, 2, interm, "1/sqrt(batch_var + eps)"), CB(8, 2, interm, "temporary")]
    return cbs


def running_statistics_cbs(mean: TensorFacts, var: TensorFacts, out: TensorFacts, rm: TensorFacts | None,
                           rv: TensorFacts | None) -> list[CB]:
    """``RunningStatistics`` factory CBs (two pages each) for batch_mean, batch_var, output, running mean / var
    (None: absent, a bfloat16 page). Intermediates in float32 when any tensor is float32 (2026 copy)."""
    dtypes = [t.dtype for t in (mean, var, out, rm, rv) if t is not None]
    any_f32 = any(dt in _F32 for dt in dtypes)
    interm = F32_TILE if any_f32 else mean.tile_bytes
    stat = rm or rv
    stat_f32 = stat is not None and stat.dtype in _F32
    cast_m = rm is not None and any_f32 and not stat_f32
    cast_v = rv is not None and any_f32 and not stat_f32
    cbs = [CB(0, 2, mean.tile_bytes, "batch_mean"), CB(1, 2, var.tile_bytes, "batch_var"),
           CB(2, 2, out.tile_bytes, "output"), CB(3, 2, _tile(rm), "old running mean"),
           CB(4, 2, _tile(rv), "old running var"), CB(5, 2, interm, "momentum"), CB(6, 2, interm, "ones"),
           CB(7, 2, interm if cast_m else _tile(rm), "updated running mean"),
           CB(8, 2, interm if cast_v else _tile(rv), "updated running var")]
    if cast_m:
        cbs.append(CB(12, 2, _tile(rm), "updated running mean for the writer"))
    if cast_v:
        cbs.append(CB(13, 2, _tile(rv), "updated running var for the writer"))
    cbs += [CB(9, 2, interm, "temporary 1"), CB(10, 2, interm, "temporary 2"), CB(11, 2, interm, "temporary 3")]
    return cbs


def _total(cbs: list[CB]) -> int:
    return sum(cb.bytes for cb in cbs)


@cb_model("ttnn.batch_norm_inference", "ttnn.batch_norm_training")
def batch_norm(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn::batch_norm`` (module docstring). Inference: the ``batch_norm`` program; training: the mean /
    variance programs, ``running_statistics`` and ``batch_norm``, reported as one core group each."""
    typed = decode(op)
    x, y = operand(op, 0), result(op, 0)
    if not isinstance(typed, BatchNorm) or x is None or y is None:
        return generic_estimate(op, ctx)
    if len(x.shape) < 4 or not x.tiled or x.sharded or y.sharded or x.buffer_type in ("system_memory", "system"):
        res = generic_estimate(op, ctx)
        res.formula.insert(0, "batch_norm: only rank >= 4 tiled interleaved inputs are modelled")
        return res

    def arg(name: str) -> TensorFacts | None:
        i = typed.slot(name)
        return operand(op, i) if i is not None else None

    rm, rv, w, b = arg("running_mean"), arg("running_var"), arg("weight"), arg("bias")
    grid = all_grid_cores(ctx)
    groups: list[CoreGroup] = []
    formula: list[str] = []
    sources = [SOURCES["compose"], SOURCES["bn"]]
    if typed.training:
        # batch_mean / batch_var: [N, C, 1, 1] tensors of the input dtype (ttnn::mean keeps it)
        stat = x
        nc_rows = x.Ht_total
        w_pass = reduce_cbs("W", x.tile_bytes, x.tile_bytes)
        groups += [CoreGroup(f"mean over H, W: reduce W pass ({n} tile rows/core)", cores, list(w_pass))
                   for _, cores, n in split_work_to_cores(ctx, nc_rows)[:1]]
        sq = [CB(0, 2, x.tile_bytes, "input"), CB(2, 2, x.tile_bytes, "output")]
        groups += [CoreGroup(f"square (unary, {n} tiles/core)", cores, sq)
                   for _, cores, n in split_work_to_cores(ctx, x.Ht_total * x.Wt)[:1]]
        sub = [CB(0, 2, x.tile_bytes, "mean of squares"), CB(1, 2, x.tile_bytes, "square of the mean"),
               CB(2, 2, x.tile_bytes, "batch_var")]
        groups.append(CoreGroup("batch_var = E[x^2] - E[x]^2 (binary_ng subtract)", grid, sub))
        rs = running_statistics_cbs(stat, stat, stat, rm, rv)
        groups.append(CoreGroup("running_statistics", grid, rs))
        formula.append(f"training: running_statistics {len(rs)} CBs x 2 pages = {_total(rs):,} B per core "
                       "(runs with or without running mean / var)")
        formula.append(f"mean / square / subtract programs: at most {max(_total(w_pass), _total(sub)):,} B per core")
        sources.append(SOURCES["rs"])
        mean = var = stat
    else:
        if rm is None or rv is None:
            return generic_estimate(op, ctx)
        mean, var = rm, rv
    bn = batch_norm_cbs(x, mean, y, var, w, b)
    groups.append(CoreGroup("batch_norm", grid, bn))
    formula.append(f"batch_norm: {len(bn)} CBs x 2 pages = {_total(bn):,} B per core on every core"
                   + ("" if w is not None or b is not None else " (weight / bias absent: bf16 pages)"))
    dtypes = {t.dtype for t in (x, y, mean, var, w, b, rm, rv) if t is not None}
    confidence = "read-factory" if len(dtypes) == 1 else "estimate"
    if confidence == "estimate":
        formula.append(f"estimate: mixed dtypes {sorted(dtypes)}: the late-2025 intermediate formats were not read")
    peak = max(groups, key=lambda g: g.static_bytes)
    formula.insert(0, f"peak program: {peak.label}, {peak.static_bytes:,} B per core")
    return OpL1(op.id, op.name, op.program, "BatchNormFactory" + (" + RunningStatistics" if typed.training else ""),
                confidence, groups, formula, sources)
