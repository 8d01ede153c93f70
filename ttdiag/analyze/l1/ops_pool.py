"""CB models for pooling-family ops: ``ttnn.upsample`` (nearest, integer scales, interleaved input).

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/pool/upsample/device/``; commits as ``read_file`` returned):

* ``upsample_device_operation.cpp`` @003a5610 ``select_program_factory`` / ``validate_on_program_cache_miss``:
  bilinear runs ``UpsampleBilinearProgramFactory``; nearest takes the integer path when
  ``select_upsample_path`` says so, the interleaved factory for an interleaved input; a tiled input must be
  tile-aligned (``padded_shape == logical_shape``);
* ``upsample_common.cpp`` @5acdb73a ``select_upsample_path``: integer scales with a tiled interleaved input, or
  a row-major interleaved / height- / block-sharded one, take the integer path; else the float path;
* ``upsample_program_factory_multicore_interleaved.cpp`` @003a5610
  ``UpsampleMultiCoreInterleavedProgramFactory::create``.

The bilinear, sharded and float-scale factories were not read (estimates), nor was the Dec-2025 copy (era switch
``upsample_2026_factory``). All byte figures are per core.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import Upsample, decode
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import operand, result
from .work_split import split_work_to_cores

_UP = "ttnn/cpp/ttnn/operations/pool/upsample/device/"
UPSAMPLE_SOURCES = [
    _UP + "upsample_program_factory_multicore_interleaved.cpp UpsampleMultiCoreInterleavedProgramFactory::create "
          "@003a5610",
    _UP + "upsample_device_operation.cpp select_program_factory @003a5610; upsample_common.cpp "
          "select_upsample_path @5acdb73a",
]


def _estimate(op: Op, ctx: L1Context, reason: str) -> OpL1:
    res = generic_estimate(op, ctx)
    res.formula.insert(0, reason)
    return res


@cb_model("ttnn.upsample")
def upsample(op: Op, ctx: L1Context) -> OpL1:
    """Nearest ``ttnn.upsample`` of an interleaved NHWC input (``UpsampleMultiCoreInterleavedProgramFactory``),
    work split column-major with ``split_work_to_cores``:

    * row-major: a unit is one input stick; c_0 = 1 page of ``align(W·element size, DRAM alignment)`` bytes, 2
      when the first core group does more than one stick (the writer reads the same CB);
    * tiled: a unit is one row of tiles (Wt tiles); c_0 = Wt input tiles and c_1 = Wt output-dtype tiles (the
      untilized rows), each doubled when the first core group does more than one row of tiles.
    """
    typed = decode(op)
    src, dst = operand(op), result(op)
    if not isinstance(typed, Upsample) or src is None or dst is None or len(src.shape) != 4:
        return generic_estimate(op, ctx)
    if typed.mode != "nearest":
        return _estimate(op, ctx, f"{typed.mode} upsample runs the bilinear factory (not read)")
    if src.sharded:
        return _estimate(op, ctx, "sharded input: the sharded upsample factory (not read)")
    sh, sw = typed.scales()
    if src.tiled:
        wt = src.Wt
        units = src.Ht_total
        split = split_work_to_cores(ctx, units)
        pages = wt * (2 if split and split[0][2] != 1 else 1)
        out_tile = dst.tile_bytes
        cbs = [CB(0, pages, src.tile_bytes, "input tiles"), CB(1, pages, out_tile, "untilized output")]
        formula = [f"tiled input {list(src.shape)}: {units:,} rows of {wt} tiles; scale {sh} x {sw}",
                   f"c_0 {pages} x {src.tile_bytes:,} + c_1 {pages} x {out_tile:,} = "
                   f"{pages * (src.tile_bytes + out_tile):,} B per core"]
        if src.padded != src.shape:
            formula.append("ttnn rejects this input: a tiled input must be tile-aligned (its logical shape "
                           f"{list(src.shape)} is padded to {list(src.padded)})")
    else:
        units = src.volume // max(src.width, 1)
        split = split_work_to_cores(ctx, units)
        pages = 2 if split and split[0][2] != 1 else 1
        stick = round_up(src.width * (src.es or 2), ctx.arch.dram_alignment)
        cbs = [CB(0, pages, stick, "input stick (read and written)")]
        formula = [f"row-major input {list(src.shape)}: {units:,} sticks of {src.width * (src.es or 2):,} B "
                   f"(aligned {stick:,}); scale {sh} x {sw}", f"c_0 {pages} x {stick:,} = {pages * stick:,} B per core"]
    groups = [CoreGroup(f"{label} ({n} units/core)", cores, list(cbs)) for label, cores, n in split]
    why = []
    if not ctx.era.upsample_2026_factory:
        why.append("the Dec-2025 upsample factory was not read (2026 copy used)")
    if not src.dtype_known:
        why.append(f"{src.dtype} input: element size assumed")
    formula += [f"estimate: {w}" for w in why]
    return OpL1(op.id, op.name, op.program, "UpsampleMultiCoreInterleavedProgramFactory",
                "estimate" if why else "read-factory", groups, formula, list(UPSAMPLE_SOURCES))
