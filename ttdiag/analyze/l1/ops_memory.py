"""CB models for memory / data-movement ops: ``to_memory_config`` (interleaved <-> sharded), and the ops
that run no device program in tt-mlir's runtime (``write_tensor``, ``constant``, ``full``, ``arange``,
``zeros``, ``ones``).

Sources:
* tt-mlir runtime ``runtime/lib/ttnn/operations/data_movement/write_tensor.cpp`` (``copy_to_device``:
  a host-to-device transfer, no program); ``creation/constant.cpp`` @020a0042 (``toTTNNTensor``: a host
  tensor built from the op's data); ``layout/to_memory_config.cpp`` @020a0042 (``ttnn::to_memory_config``);
* tt-mlir ``test/unittests/OpModel/TTNN/Lib/TestOpModelLib.cpp`` (copy in the corpus): tt-metal's own
  CB figure is 0 for ``FullOp``, ``ArangeOp``, ``ZerosOp``, ``OnesOp`` and ``ConstantOp`` (no CBs);
* tt-metal ``ttnn/cpp/ttnn/operations/data_movement/sharded/interleaved_to_sharded/device/
  interleaved_to_sharded_program_factory.cpp`` (``create`` / ``create_descriptor``; read @019b681e and the
  earlier copy shared with ``interleaved_to_sharded_partial``) and
  ``sharded/sharded_to_interleaved/device/sharded_to_interleaved_program_factory.cpp`` @04661bb0;
  ``concat/device/concat_program_factory.cpp`` @00342c1c (``concat_multi_core``);
  ``slice/device/slice_device_operation.cpp`` @019b681e (``select_program_factory``) and
  ``slice/device/slice_program_factory_tile.cpp`` @01c8afed (``SliceTileProgramFactory::create_descriptor``);
* tt-metal ``ttnn/cpp/ttnn/operations/rand/rand.cpp`` (``Rand::invoke``: ``prim::uniform`` in FLOAT32 tiles, then
  typecast / to_layout) and ``rand/device/rand_program_factory.cpp`` (c_24 / c_0, read in several 2025-26 copies);
(``ttnn.to_tensor_spec``, the composite layout conversion, is modelled in ops_tensor_spec.py.)
"""

from __future__ import annotations

import math
from dataclasses import replace

from ...ir.graph import Op
from ...ir.ttnn import Concat, Slice, decode
from .generic import generic_estimate, no_program
from .model import CB, CoreGroup, L1Context, OpL1, grid_cores, round_up
from .ops_copy import COPY_SOURCES, copy_program
from .ops_layout import _needs_padding, tilize_model, untilize_model
from .registry import cb_model
from .tensors import facts, operand, result
from .work_split import split_work_to_cores

_I2S_SOURCE = ("interleaved_to_sharded_program_factory.cpp InterleavedToShardedProgramFactory::create "
               "(CB code read @019b681e and in the earlier copy shared with the partial factory)")
# scratch CB c_1: num_trids pages (4 in every copy read)
_SCRATCH_PAGES = 4


@cb_model("ttnn.write_tensor")
def write_tensor(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.write_tensor``: tt-mlir's runtime calls ``tensor_impl::copy_to_device`` (a host -> device
    buffer write through the command queue; write_tensor.cpp), no program: no CBs."""
    r = no_program(op, "write_tensor copies a host tensor into a device buffer (copy_to_device): no program, no CBs")
    r.sources = ["tt-mlir runtime/lib/ttnn/operations/data_movement/write_tensor.cpp"]
    return r


@cb_model("ttnn.constant")
def constant(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.constant``: a host tensor made from the op's data (constant.cpp ``toTTNNTensor``); OpModel's
    tt-metal figure is cbSize 0."""
    r = no_program(op, "constant builds a host tensor from its data: no program, no CBs")
    r.sources = ["tt-mlir runtime/lib/ttnn/operations/creation/constant.cpp @020a0042",
                 "TestOpModelLib.cpp ConstantOp* (cbSize 0)"]
    return r


@cb_model("ttnn.full", "ttnn.arange", "ttnn.zeros", "ttnn.ones")
def creation(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.full`` / ``arange`` / ``zeros`` / ``ones``: tt-metal reports no CBs for them (OpModel
    ``FullOp``, ``ArangeOp``, ``ZerosOp``, ``OnesOp``: cbSize 0). The label rests on that tt-metal-computed
    figure (tt-mlir @78b9ce3d, 2025-11-27) and tt-mlir's runtime call (full.cpp ``ttnn::full``); tt-metal's
    own fill code was not read, so a later tt-metal that fills on the device would make this wrong."""
    r = no_program(op, f"{op.name} fills the tensor without a CB program (tt-metal figure: 0 B of CBs)")
    r.sources = ["tt-mlir runtime/lib/ttnn/operations/creation/full.cpp, arange.cpp",
                 "TestOpModelLib.cpp FullOp / ArangeOp / CreationOps (cbSize 0)"]
    return r


def _shard_units(t, tiled: bool) -> tuple[int, int, int] | None:
    """(units per shard, shard width in elements, cores) of a sharded tensor type from its layout: the
    memref is one shard, in tiles for tiled tensors (units = tiles) and in elements for row-major ones
    (units = shard rows)."""
    lay = getattr(t, "layout", None)
    if lay is None or not lay.memref_shape or len(lay.memref_shape) < 2:
        return None
    h, w = lay.memref_shape[-2], lay.memref_shape[-1]
    cores = math.prod(lay.grid) if lay.grid else 0
    if tiled:
        return h * w, w * 32, cores
    return h, w, cores


def interleaved_to_sharded(op: Op, ctx: L1Context) -> OpL1:
    """``InterleavedToShardedProgramFactory`` (Wormhole), per shard core:

    * units per shard: shard tiles (tiled) or shard rows (row-major); unit bytes: a tile of the dtype, or
      ``shard_width x element size``;
    * output CB (c_0, or c_16 when the dtype changes) = units x align(output unit, destination
      alignment), **globally allocated** on the output shard when the destination is L1;
    * c_0 input CB (only when the dtype changes) = units x align(input unit, source alignment);
    * c_1 scratch = 4 x align(input unit, DRAM alignment) when the source is DRAM and the unit is not
      DRAM-aligned, or always (``keep_l1_aligned`` is hard-coded true). The 2026 copy @019b681e sizes the
      page ``align(unit + DRAM alignment, DRAM alignment)``; the earlier copy (the one tt-mlir's OpModel
      figure of 8,192 B matches) ``align(unit, DRAM alignment)``, which this model uses.
    """
    src, dst = operand(op), result(op)
    shard = _shard_units(op.result_types[0], dst.tiled)
    if shard is None or not shard[2]:
        return generic_estimate(op, ctx)
    units, shard_w, ncores = shard
    convert = src.dtype != dst.dtype
    if dst.tiled:
        in_unit, out_unit = src.tile_bytes, dst.tile_bytes
    else:
        in_unit, out_unit = shard_w * (src.es or 2), shard_w * (dst.es or 2)
    dram_a = ctx.arch.dram_alignment
    dst_a = ctx.arch.alignment(dst.buffer_type)
    src_a = ctx.arch.alignment(src.buffer_type)
    out_page = round_up(out_unit, dst_a)
    cbs = []
    if convert:
        cbs.append(CB(0, units, round_up(in_unit, src_a), "input (dtype conversion)"))
    cbs.append(CB(16 if convert else 0, units, out_page, "output shard", globally_allocated=dst.buffer_type == "l1"))
    scratch = round_up(in_unit, dram_a)
    cbs.append(CB(1, _SCRATCH_PAGES, scratch, "alignment scratch"))
    formula = [f"{units:,} units per shard on {ncores} cores; output CB c_{cbs[-2].index} = {units:,} x {out_page:,} B"
               + (" (on the output shard)" if dst.buffer_type == "l1" else ""),
               f"c_1 scratch = {_SCRATCH_PAGES} x align({in_unit:,} B, {dram_a}) = {_SCRATCH_PAGES * scratch:,} B"]
    if convert:
        formula.append(f"c_0 input = {units:,} x {cbs[0].page_bytes:,} B ({src.dtype} -> {dst.dtype})")
    group = CoreGroup(f"shard cores ({ncores})", grid_cores(ctx, ncores, row_wise=True), cbs)
    conf = "read-factory"
    if dst.buffer_type != "l1":
        # a DRAM-sharded destination: the CB sizes follow the factory, the worker cores that run it were not read
        conf = "estimate"
        formula.append("DRAM-sharded destination: which worker cores run the program was not read (estimate)")
    return OpL1(op.id, op.name, op.program, "InterleavedToShardedProgramFactory", conf, [group],
                formula, [_I2S_SOURCE])


def sharded_to_interleaved(op: Op, ctx: L1Context) -> OpL1:
    """``sharded_to_interleaved_multi_core`` (sharded_to_interleaved_program_factory.cpp @04661bb0), per
    shard core: c_0 = units per shard x align(input unit, input alignment), **globally allocated** on the
    input shard; when the dtype changes, c_16 = units x align(output unit, output alignment) (static).
    Units are shard tiles (tiled) or shard rows of ``shard_width x element size`` bytes (row-major)."""
    src, dst = operand(op), result(op)
    shard = _shard_units(op.operand_types[0], src.tiled)
    if shard is None or not shard[2]:
        return generic_estimate(op, ctx)
    units, shard_w, ncores = shard
    if src.tiled:
        in_unit, out_unit = src.tile_bytes, dst.tile_bytes
    else:
        in_unit, out_unit = shard_w * (src.es or 2), shard_w * (dst.es or 2)
    in_page = round_up(in_unit, ctx.arch.alignment(src.buffer_type))
    cbs = [CB(0, units, in_page, "input shard", globally_allocated=True)]
    formula = [f"{units:,} units per shard on {ncores} cores; c_0 = {units:,} x {in_page:,} B on the input shard "
               "(no static L1)"]
    if src.dtype != dst.dtype:
        out_page = round_up(out_unit, ctx.arch.alignment(dst.buffer_type))
        cbs.append(CB(16, units, out_page, "output (dtype conversion)"))
        formula.append(f"c_16 = {units:,} x {out_page:,} B ({src.dtype} -> {dst.dtype})")
    group = CoreGroup(f"shard cores ({ncores})", grid_cores(ctx, ncores, row_wise=True), cbs)
    return OpL1(op.id, op.name, op.program, "ShardedToInterleavedProgramFactory", "read-factory", [group], formula,
                ["sharded_to_interleaved_program_factory.cpp sharded_to_interleaved_multi_core @04661bb0"])


TO_MEMORY_CONFIG_SOURCE = ("core/to_memory_config ToMemoryConfig::invoke @03262d9c / to_memory_config_op.cpp "
                           "@040a27c1: interleaved -> interleaved falls back to CopyDeviceOperation")


@cb_model("ttnn.to_memory_config")
def to_memory_config(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.to_memory_config`` (ttnn ``ToMemoryConfig::invoke``): same memory config -> no op;
    interleaved -> sharded runs ``interleaved_to_sharded``, L1-sharded -> interleaved
    ``sharded_to_interleaved`` (both modelled), interleaved -> interleaved the copy device operation
    (``CopyDeviceOperation{memory_config, dtype}``: the fallback of ``to_memory_config`` in the 2025 copy
    ``ToMemoryConfig::invoke`` @03262d9c and the 2026 ``to_memory_config_op.cpp`` @040a27c1; modelled in
    ops_copy); DRAM-sharded -> interleaved and sharded -> sharded (reshard) are estimates here."""
    src, dst = operand(op), result(op)
    if src is None or dst is None:
        return generic_estimate(op, ctx)
    if src.buffer_type in ("system_memory", "system"):
        return no_program(op, "input on the host: no device program")
    if (src.buffer_type, src.memory_layout, src.dtype) == (dst.buffer_type, dst.memory_layout, dst.dtype) \
            and not src.sharded and op.operand_types[0] == op.result_types[0]:
        return no_program(op, "memory config unchanged: to_memory_config returns its input (no program)")
    if not src.sharded and dst.sharded:
        return interleaved_to_sharded(op, ctx)
    if src.sharded and not dst.sharded and src.buffer_type == "l1":
        return sharded_to_interleaved(op, ctx)
    if not src.sharded and not dst.sharded:
        # interleaved -> interleaved (L1 <-> DRAM, or a dtype change): ttnn's fallback, the copy device operation
        res = copy_program(op, ctx, src, dst, [TO_MEMORY_CONFIG_SOURCE, *COPY_SOURCES])
        res.factory = "to_memory_config -> copy: " + res.factory
        return res
    est = generic_estimate(op, ctx)
    kind = "sharded_to_interleaved" if not dst.sharded else "reshard"
    est.factory = f"to_memory_config -> {kind} (CBs not read; estimate)"
    return est




@cb_model("ttnn.concat")
def concat(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.concat`` on interleaved tensors: ``concat_multi_core`` (concat_program_factory.cpp @00342c1c):
    output pages (tiles, or rows for row-major) split with ``split_work_to_cores`` (column-major); one CB
    c_0 = 2 pages of the output (a tile of the output dtype, or align(W x element size, output alignment))
    on every core that gets work. Sharded tensors and tiled concats along a dim whose input sizes are not
    multiples of 32 are estimates: unaligned widths go to other factories in later tt-metal
    (``ConcatTiledUnalignedProgramFactory``), unaligned heights get the CBs above as an assumption."""
    dst = result(op)
    typed = decode(op)
    ins = [facts(t) for t in op.operand_types]
    if dst is None or not ins or any(t is None for t in ins) or not isinstance(typed, Concat) or typed.dim is None:
        return generic_estimate(op, ctx)
    rank = len(dst.shape)
    dim = typed.dim % rank if rank else 0
    if dst.sharded or any(t.sharded for t in ins):
        est = generic_estimate(op, ctx)
        est.factory = "concat sharded factories (CBs not read; estimate)"
        return est
    unaligned = dst.tiled and dim >= rank - 2 and any(t.shape[dim] % 32 for t in ins)
    if unaligned and dim == rank - 1:
        est = generic_estimate(op, ctx)
        est.factory = "concat of widths not tile-aligned (ConcatTiledUnaligned or untilize route; estimate)"
        return est
    if dst.tiled:
        page = dst.tile_bytes
        pages = dst.Ht_total * dst.Wt
        what = f"tile of {dst.dtype}"
    else:
        align = ctx.arch.alignment(dst.buffer_type)
        page = round_up(dst.width * (dst.es or 2), align)
        pages = dst.volume // max(dst.width, 1)
        what = f"align({dst.width} x {dst.es or 2} B, {align})"
    cbs = [CB(0, 2, page, "pages in flight")]
    groups = [CoreGroup(f"{label} ({units} pages/core)", cores, list(cbs))
              for label, cores, units in split_work_to_cores(ctx, pages)]
    formula = [f"{pages:,} output pages over {sum(len(g.cores) for g in groups)} cores; c_0 = 2 x {page:,} B ({what})"]
    if unaligned:
        formula.append("heights not tile-aligned: the route ttnn takes was not read; the concat_multi_core CBs are "
                       "assumed (tt-mlir's OpModel reports 4,096 B = 2 bf16 tiles for two [56, 1024] inputs on dim 0)")
    return OpL1(op.id, op.name, op.program, "ConcatProgramFactory (concat_multi_core)",
                "estimate" if unaligned else "read-factory", groups, formula,
                ["concat_program_factory.cpp concat_multi_core @00342c1c"])


_SLICE_SELECT = "slice_device_operation.cpp select_program_factory @019b681e"
_SLICE_TTNN = "slice.cpp SliceOperation::invoke @81b4b136 (rm_only; same rule in later copies)"
_SLICE_TILE = "slice_program_factory_tile.cpp SliceTileProgramFactory::create_descriptor @01c8afed"
_SLICE_RM = ("slice_program_factory_rm.cpp SliceRmProgramFactory::create_descriptor / compute_cb_size @04d7c1a1 "
             "(the late-2025 CreateCircularBuffer copy calls the same compute_cb_size)")
_MERGE = "work_split.cpp merge_num_sticks_to_read"
# slice_program_factory_rm.cpp MAX_READ_SIZE
_SLICE_MAX_READ = 4096


def merge_num_sticks_to_read(num_sticks: int, stick_bytes: int, max_read: int) -> int:
    """``merge_num_sticks_to_read``: the number of reads after merging whole sticks into reads of at most
    ``max_read`` bytes that divide the total (unchanged when one stick is larger than ``max_read``)."""
    total = num_sticks * stick_bytes
    new = num_sticks
    size = stick_bytes
    while 0 < size <= max_read:
        if total % size == 0:
            new = total // size
        size += stick_bytes
    return new


def slice_rm_program(ctx: L1Context, out_shape: tuple[int, ...], es: int, begin_w: int, in_bt: str | None,
                     out_bt: str | None, label: str = "") -> tuple[list[CoreGroup], str]:
    """``SliceRmProgramFactory`` (interleaved row-major, unit steps): output sticks (rows) split with
    ``split_work_to_cores``; one CB c_0 on every core that gets work (``compute_cb_size``):

    * alignment = max(source, destination buffer alignment), doubled when the first sliced byte of a row
      (``begins[-1] x element size``) is not aligned to the source alignment;
    * page = round_up(output row bytes, alignment);
    * pages = 2 x ``num_read_per_barrier`` = 2 x pad32 / ``merge_num_sticks_to_read(pad32, round_up(row,
      single alignment), 4,096)``, pad32 = the larger group's sticks per core rounded up to 32.
    """
    out_w = out_shape[-1] if out_shape else 1
    sticks = math.prod(out_shape) // max(out_w, 1) if out_shape else 1
    src_a, dst_a = ctx.arch.alignment(in_bt), ctx.arch.alignment(out_bt)
    single = max(src_a, dst_a)
    misaligned = (begin_w * es) % src_a != 0
    align = single * 2 if misaligned else single
    row = out_w * es
    page = round_up(row, align)
    split = split_work_to_cores(ctx, sticks)
    per_core = max((units for _, _, units in split), default=0)
    pad32 = round_up(per_core, 32)
    merged = merge_num_sticks_to_read(pad32, round_up(row, single), _SLICE_MAX_READ) if per_core else 0
    per_barrier = pad32 // merged if merged else 0
    cbs = [CB(0, 2 * per_barrier, page, "output sticks")]
    groups = [CoreGroup(f"{label}{g} ({units} sticks/core)", cores, list(cbs)) for g, cores, units in split]
    line = (f"{label}{sticks:,} sticks over {sum(len(g.cores) for g in groups)} cores; c_0 = 2 x {per_barrier} "
            f"x round_up({row:,} B, {align}) = {2 * per_barrier * page:,} B"
            + (" (alignment doubled: begin not aligned)" if misaligned else ""))
    return groups, line


@cb_model("ttnn.slice_static", "ttnn.slice")
def slice_static(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.slice_static``. ttnn (slice.cpp ``SliceOperation::invoke``) keeps a tiled input tiled when the
    steps are 1, the tensor has rank > 1, it is interleaved and the **begins** of the last two dims are
    tile-aligned (the ends are rounded up to tiles); that runs ``SliceTileProgramFactory``: output tiles split
    with ``split_work_to_cores``, one CB c_0 = 2 tiles of the input dtype on every core that gets work.
    Otherwise (``rm_only``) it converts the input to row-major (``to_layout``: untilize), runs the row-major
    slice and converts the result back to tiles (tilize): three programs, each reported (the peak is the
    op's). A row-major interleaved input with unit steps runs ``SliceRmProgramFactory`` alone
    (:func:`slice_rm_program`). Strided and sharded slices are estimates."""
    src, dst = operand(op), result(op)
    typed = decode(op)
    if src is None or dst is None or not isinstance(typed, Slice) or typed.begins is None:
        return generic_estimate(op, ctx)
    steps = typed.steps
    rank = len(src.shape)
    strided = any(st != 1 for st in steps)
    if strided or src.sharded or dst.sharded or len(typed.begins) != rank or rank == 0:
        est = generic_estimate(op, ctx)
        why = ("strided (SliceRmStride / strided factories)" if strided else "sharded" if src.sharded or dst.sharded
               else "begins do not match the rank")
        est.factory = f"slice {why}: factory CBs not read (estimate)"
        return est
    begins = [b % d if d else 0 for b, d in zip(typed.begins, src.shape, strict=True)]
    if src.tiled and rank >= 2 and begins[-1] % 32 == 0 and begins[-2] % 32 == 0:
        tiles = dst.Ht_total * dst.Wt
        cbs = [CB(0, 2, src.tile_bytes, "tiles in flight")]
        groups = [CoreGroup(f"{label} ({units} tiles/core)", cores, list(cbs))
                  for label, cores, units in split_work_to_cores(ctx, tiles)]
        formula = [f"{tiles:,} output tiles over {sum(len(g.cores) for g in groups)} cores; c_0 = 2 x "
                   f"{src.tile_bytes:,} B ({src.dtype} tiles)"]
        if dst.padded != dst.shape:
            formula.append(f"begins tile-aligned; ends rounded up to tiles ({list(dst.shape)} -> {list(dst.padded)})")
        return OpL1(op.id, op.name, op.program, "SliceTileProgramFactory", "read-factory", groups, formula,
                    [_SLICE_TTNN, _SLICE_SELECT, _SLICE_TILE])
    es = src.es
    if not es:
        est = generic_estimate(op, ctx)
        est.factory = f"slice of {src.dtype} through row-major: element size unknown (estimate)"
        return est
    if not src.tiled:
        groups, line = slice_rm_program(ctx, dst.shape, es, begins[-1], src.buffer_type, dst.buffer_type)
        return OpL1(op.id, op.name, op.program, "SliceRmProgramFactory", "read-factory", groups, [line],
                    [_SLICE_SELECT, _SLICE_RM, _MERGE])
    # rm_only: to_layout(ROW_MAJOR, memory_config) -> row-major slice -> to_layout(TILE)
    why = ("1-D" if rank == 1 else f"begins {begins[-2:]} of the last two dims are not tile-aligned")
    mid_in = replace(src, tiled=False, buffer_type=dst.buffer_type)
    mid_out = replace(dst, tiled=False)
    unt = untilize_model(op, ctx, src, mid_in, _needs_padding(src))
    s_groups, s_line = slice_rm_program(ctx, dst.shape, es, begins[-1], dst.buffer_type, dst.buffer_type,
                                        "slice: ")
    til = tilize_model(op, ctx, mid_out, dst, _needs_padding(dst))
    groups = ([CoreGroup("untilize: " + g.label, g.cores, g.cbs) for g in unt.core_groups] + s_groups
              + [CoreGroup("tilize: " + g.label, g.cores, g.cbs) for g in til.core_groups])
    formula = [f"tiled input, {why}: ttnn untilizes, slices row-major, tilizes (three programs)",
               f"untilize: {unt.factory}; " + "; ".join(unt.formula[-1:]), s_line,
               f"tilize: {til.factory}; " + "; ".join(til.formula[-1:])]
    conf = "read-factory" if unt.confidence == til.confidence == "read-factory" else "estimate"
    return OpL1(op.id, op.name, op.program, "untilize -> SliceRmProgramFactory -> tilize", conf,
                groups, formula, [_SLICE_TTNN, _SLICE_SELECT, _SLICE_RM, _MERGE] + unt.sources + til.sources)


@cb_model("ttnn.rand")
def rand(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.rand``: ``Rand::invoke`` (rand.cpp) runs the uniform program with a FLOAT32 tiled output, then
    typecasts to the requested dtype and converts the layout if needed. The uniform program
    (rand_program_factory.cpp) splits the output tiles with ``split_work_to_cores`` and gives every core
    c_24 = 2 float32 tiles (intermediate) and c_0 = 1 tile of its (float32) output: 3 x 4,096 B. The
    typecast / to_layout that follow are separate programs, not counted here."""
    dst = result(op)
    if dst is None:
        return generic_estimate(op, ctx)
    f32_tile = 4096
    cbs = [CB(24, 2, f32_tile, "random tiles (float32)"), CB(0, 1, f32_tile, "output tile (float32)")]
    tiles = dst.Ht_total * dst.Wt
    groups = [CoreGroup(f"{label} ({units} tiles/core)", cores, list(cbs))
              for label, cores, units in split_work_to_cores(ctx, tiles)]
    formula = [f"{tiles:,} output tiles over {sum(len(g.cores) for g in groups)} cores; c_24 = 2 x 4,096 B, "
               "c_0 = 1 x 4,096 B (float32) = 12,288 B"]
    if dst.dtype != "f32" or not dst.tiled:
        formula.append(f"then {'typecast to ' + dst.dtype if dst.dtype != 'f32' else ''}"
                       f"{' and ' if dst.dtype != 'f32' and not dst.tiled else ''}"
                       f"{'to_layout row-major' if not dst.tiled else ''}: separate programs, not counted")
    return OpL1(op.id, op.name, op.program, "RandDeviceOperation::RandProgramFactory", "read-factory", groups,
                formula, ["rand.cpp Rand::invoke (FLOAT32 uniform, then typecast)",
                          "rand_program_factory.cpp RandProgramFactory::create (c_24, c_0)"])
