"""CB models for index-returning and running reductions: ``ttnn.argmax``.

Sources (tt-metal):

* ``ttnn/cpp/ttnn/operations/reduction/argmax/argmax.cpp`` @05242750 (``ArgMaxOperation::invoke``: straight to
  ``ttnn::prim::argmax`` with the caller's ``use_multicore``, the output dtype UINT32);
* ``argmax/device/argmax_device_operation.cpp`` @3ed4ffc8 (``select_program_factory``: ``use_multicore`` ->
  the multi-core factory, else the single-core one; ``validate_on_program_cache_miss``: interleaved input and
  output only, a TILE input needs ``dim`` on the last dim; the output is always ROW_MAJOR);
* ``argmax/device/argmax_single_core_program_factory.cpp`` @04cd0dd0 (``ArgMaxSingleCoreProgramFactory::
  create``, ``get_page_sizes_single_core``): one core (``split_work_to_cores(grid, 1)``), c_0 = one input
  page, c_1 = one output page, each CB exactly one page:
  - ROW_MAJOR input: c_0 page = padded W x element size; c_1 page = ``output_last_dim`` x 4 B (UINT32),
    ``output_last_dim`` = 1 when reducing every dim or keeping dims (or rank < 2), else the input's H;
  - TILE input: c_0 page = one tile of the input dtype; c_1 page = the ROW_MAJOR output's page, one output
    row: ``output_last_dim`` x 4 B.

tt-mlir's OpModel (tt-mlir @78b9ce3d, TestOpModelLib.cpp ``ArgMax``) reports 384 / 132 / 384 B for the
row-major cases, which these pages give exactly.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.ttnn import ArgMax, decode
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, grid_cores
from .registry import cb_model
from .tensors import operand, result

_ARGMAX_SOURCES = ["argmax.cpp ArgMaxOperation::invoke @05242750",
                   "argmax_device_operation.cpp select_program_factory / validate @3ed4ffc8",
                   "argmax_single_core_program_factory.cpp ArgMaxSingleCoreProgramFactory::create @04cd0dd0"]
# argmax's output dtype is always UINT32 (ArgMaxOperation::invoke)
_U32_BYTES = 4


def _estimate(op: Op, ctx: L1Context, factory: str, reason: str) -> OpL1:
    est = generic_estimate(op, ctx)
    est.factory = factory
    est.formula.insert(0, reason)
    return est


@cb_model("ttnn.argmax")
def argmax(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.argmax`` on an interleaved tensor without ``use_multicore``: ``ArgMaxSingleCoreProgramFactory``
    on one core, c_0 = one input page (a row of W elements, or one tile) and c_1 = one output row of UINT32
    (see the module docstring). Sharded tensors (rejected by tt-metal's validate), ``use_multicore`` (the
    multi-core factory, not read) and a tiled input reduced along another dim than the last are estimates."""
    src = operand(op)
    typed = decode(op)
    if src is None or not isinstance(typed, ArgMax) or not src.shape or not src.dtype_known:
        return generic_estimate(op, ctx)
    rank = len(src.shape)
    dim = None if typed.dim is None else typed.dim % rank
    dst = result(op)
    if src.sharded or (dst is not None and dst.sharded):
        return _estimate(op, ctx, "argmax (sharded input)",
                         "argmax takes interleaved tensors only (tt-metal's validate rejects sharded ones); estimate")
    if typed.use_multicore:
        return _estimate(op, ctx, "ArgMaxMultiCoreProgramFactory (CBs not read; estimate)",
                         "use_multicore: the multi-core factory's CBs were not read")
    if src.tiled and dim != rank - 1:
        why = "no dim" if dim is None else f"dim {typed.dim}"
        return _estimate(op, ctx, "ArgMaxSingleCoreProgramFactory (tiled input, not the last dim)",
                         f"tiled input with {why}: the copy read takes only the last dim (later copies add H); "
                         "estimate")
    if not src.tiled and not ctx.era.argmax_rm_single_core_read:
        return _estimate(op, ctx, "argmax row-major (factory choice of this era not read)",
                         "later copies choose the multi-core factory for row-major inputs by themselves; estimate")
    out_last = 1 if (dim is None or typed.keep_dim or rank < 2) else src.shape[-2]
    dst_page = out_last * _U32_BYTES
    if src.tiled:
        src_page = src.tile_bytes
        what = f"one {src.dtype} tile"
    else:
        src_page = src.width * src.es
        what = f"{src.width} x {src.es} B row"
    cbs = [CB(0, 1, src_page, "input page"), CB(1, 1, dst_page, "output row (uint32)")]
    formula = [f"one core: c_0 = 1 x {src_page:,} B ({what}) + c_1 = 1 x {dst_page:,} B "
               f"({out_last} uint32) = {src_page + dst_page:,} B"]
    return OpL1(op.id, op.name, op.program, "ArgMaxSingleCoreProgramFactory", "read-factory",
                [CoreGroup("single core", grid_cores(ctx, 1), cbs)], formula, list(_ARGMAX_SOURCES))
