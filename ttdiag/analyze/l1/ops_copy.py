"""CB model for ``ttnn.copy`` (tt-mlir's ``ttnn.copy(src, dst)`` → runtime ``::ttnn::copy(src, dst)`` → tt-metal's
``CopyDeviceOperation`` with the destination as the preallocated output; no result value).

Sources (tt-metal, ``ttnn/cpp/ttnn/operations/data_movement/copy/device``):

* ``copy_device_operation.cpp`` @3ed4ffc8 (2025, ``ttnn::operations::data_movement::copy``):
  ``select_program_factory`` always returns ``CopyProgramFactory``; dtype conversion only for tiled tensors.
* ``copy_program_factory.cpp`` ``CopyProgramFactory::create`` @043b5ac2 (same CB code as the 2024
  ``copy_multi_core``, which aligned to 32 B instead of the buffer alignment): the unit is a tile of the tensor's
  dtype (tiled) or one padded row, ``W x element size`` (row-major; the shard width when sharded);
  ``split_work_to_cores(grid, num_units)``; on the cores with work (``all_cores``): c_0 = 2 x
  align(input unit, input buffer alignment); c_16 = 2 x align(output unit, output buffer alignment) only when
  the dtypes differ (then a compute kernel converts). Later (2026) copies split this into
  ``DefaultTilized`` / ``DefaultRowMajor`` / ``SameMemoryConfig`` factories; ``DefaultTilized::create_descriptor``
  @04b3405 (2026) keeps c_0 = 2 x the aligned input page and c_16 = 2 x the aligned output page on conversion, over
  ``split_work_to_cores(grid, tiles)``, so tiled figures hold in both eras. The row-major 2026 factories were not read.

``ttnn.assign`` (tt-mlir ``ttnn.assign(input) {memory_config, dtype}``) runs the same device operation with a new
output: ``ttnn/cpp/ttnn/operations/data_movement/copy/copy.cpp`` ``assign`` @06bd3735 (2026) =
``ttnn::prim::copy(input, output_mem_config, output_dtype.value_or(input.dtype()))``; the late-2025 copy
(``AssignOperation::invoke``) runs ``CopyDeviceOperation{output_mem_config, output_dtype.value_or(input.dtype())}``,
the same factory. So c_16 exists only when ``dtype`` differs from the input's.

Labels: tiled interleaved ``read-factory``; row-major interleaved ``read-factory`` in the 2025-12 era only; sharded
tensors ``estimate`` (the factory's shard-width unit is not modelled).
"""

from __future__ import annotations

from ...ir.graph import Op
from .generic import generic_estimate
from .model import CB, CoreGroup, L1Context, OpL1, round_up
from .registry import cb_model
from .tensors import operand, result
from .work_split import split_work_to_cores

COPY_SOURCES = ["copy/device/copy_device_operation.cpp select_program_factory @3ed4ffc8",
                "copy/device/copy_program_factory.cpp CopyProgramFactory::create @043b5ac2",
                "copy/device/copy_default_tilized_program_factory.cpp DefaultTilized::create_descriptor @04b3405"]

ASSIGN_SOURCE = ("copy/copy.cpp assign @06bd3735 (late-2025 AssignOperation::invoke: the same "
                 "CopyDeviceOperation with output_dtype.value_or(input.dtype()))")


@cb_model("ttnn.copy")
def copy(op: Op, ctx: L1Context) -> OpL1:
    """``CopyProgramFactory`` (module docstring): c_0 = 2 aligned input units [+ c_16 = 2 aligned output units
    when the dtype changes] on each core that gets work."""
    return copy_program(op, ctx, operand(op, 0), operand(op, 1), list(COPY_SOURCES))


@cb_model("ttnn.assign")
def assign(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.assign``: the copy device operation from operand 0 to a new result of the requested dtype and
    memory config (module docstring), so the same CBs as ``ttnn.copy`` with the result as the destination."""
    return copy_program(op, ctx, operand(op, 0), result(op, 0), [ASSIGN_SOURCE, *COPY_SOURCES])


def copy_program(op: Op, ctx: L1Context, src, dst, sources: list[str]) -> OpL1:
    """The copy device operation from ``src`` to ``dst`` (TensorFacts): ``CopyProgramFactory``'s CBs on the
    cores ``split_work_to_cores`` gives work (module docstring); bytes per core."""
    if src is None or dst is None or any(t.buffer_type in ("system_memory", "system") for t in (src, dst)):
        return generic_estimate(op, ctx)
    tiled = dst.tiled
    es_in, es_out = max(src.es, 1), max(dst.es, 1)
    if tiled:
        u_in, u_out = src.tile_bytes, dst.tile_bytes
        units = dst.Ht_total * dst.Wt
    else:
        w_in = src.padded[-1] if src.padded else src.width
        w_out = dst.padded[-1] if dst.padded else dst.width
        u_in, u_out = w_in * es_in, w_out * es_out
        units = max(dst.volume // max(dst.width, 1), 1)
    a_in = round_up(u_in, ctx.arch.alignment(src.buffer_type))
    a_out = round_up(u_out, ctx.arch.alignment(dst.buffer_type))
    convert = src.dtype != dst.dtype
    cbs = [CB(0, 2, a_in, "input")] + ([CB(16, 2, a_out, "output (dtype conversion)")] if convert else [])
    word = "tiles" if tiled else "rows"
    groups = [CoreGroup(f"{label} ({n} {word}/core)", cores, cbs) for label, cores, n in split_work_to_cores(ctx, units)]
    formula = [f"{units:,} {word} (split_work_to_cores); c_0 = 2 x {a_in:,} B"
               + (f", c_16 = 2 x {a_out:,} B (dtype conversion)" if convert else "")
               + f" = {sum(cb.bytes for cb in cbs):,} B per core"]
    sharded = src.sharded or dst.sharded
    exact = not sharded and (tiled or ctx.era.copy_rm_factory_read)
    if sharded:
        formula.append("sharded: row unit = shard width in the factory; modelled as the full row (estimate)")
    elif not exact:
        formula.append("row-major copy in the 2026 era: DefaultRowMajor / SameMemoryConfig factories not read (estimate)")
    return OpL1(op.id, op.name, op.program, "CopyProgramFactory", "read-factory" if exact else "estimate",
                groups, formula, sources)
