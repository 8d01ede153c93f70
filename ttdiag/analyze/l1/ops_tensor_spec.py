"""CB model of ``ttnn.to_tensor_spec``: the composite layout conversion, composed from its steps.

``to_tensor_spec`` never runs as one program. tt-mlir's description of the op (``TTNNOps.td``
``TTNN_ToTensorSpecOp`` @19c86fca) says it "never reaches flatbuffer serialization": the
``--ttnn-decompose-layouts`` pass replaces it with to_device / from_device, typecast, to_layout and
to_memory_config ops (and the runtime has no handler for it: ``runtime/lib/ttnn/operations`` has none).
A ``to_tensor_spec`` seen in a dump is therefore that sequence, each step a separate tt-metal program
whose CBs are released before the next one runs, so the op's CB peak is the largest step's.

Sources:
* tt-mlir ``lib/Dialect/TTNN/Transforms/TTNNDecomposeLayouts.cpp`` @3fff8309 (unchanged to 19c86fca;
  the commit that introduced ``to_tensor_spec``, so every dump with the op post-dates it):
  ``buildLayoutConversion`` (host / device split), ``layoutAndDtypeTransformations`` (order of typecast
  and tilize / untilize, the fused float-family tilize + cast), ``shouldLayoutAndDtypeChangesRunBeforeMemoryMove``
  (memory move first or last), ``hasMemoryChange``, ``createMemoryMove``, ``layoutChangeNeedsHost`` /
  ``canKeepTypecastOnDevice``, ``needsShardedTilizePadWorkaround`` / ``handleShardedTilizeWithPadding``
  (tt-metal#30541: to_memory_config to DRAM, pad, tilize, slice), and the CPU-hoist boundary checks
  ``isOutputFromCPUHoistedFunction`` / ``isInputToCPUHoistedFunction`` (call attribute
  ``ttir.cpu_hoist_call``, include/ttmlir/Utils.h);
* tt-mlir ``lib/Target/TTNN/TTNNToFlatbuffer.cpp`` (``createOp(ToLayoutOp)``: the dtype goes to the runtime
  only when the to_layout changes it) and ``runtime/lib/ttnn/operations/layout/to_layout.cpp``
  (``ttnn::to_layout(input, layout, dtype, memory_config)``);
* tt-metal ``ttnn/cpp/ttnn/operations/core/to_layout/to_layout_op.cpp`` @010ba922 (``to_layout_impl``: on the
  device, tilize / tilize_with_val_padding take the output ``dtype``; on the host, ``Tensor::to_layout``, no
  program) and ``copy/typecast/typecast.cpp`` @040a27c1 (``typecast_impl``: a host tensor goes to
  ``to_dtype``, no program).

Each device step is modelled by the step op's own CB model on the step's tensors (shape, dtype, layout
and memory after the previous step, built the way the pass builds the intermediate types).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...ir.graph import Module, Op
from ...ir.items import Atom, Group, key_values
from ...ir.types import TensorType, TileType, TTNNLayout
from ..layout import ceil_div
from .generic import generic_estimate, no_program
from .model import CoreGroup, CpuHoistBoundary, L1Context, OpL1
from .registry import cb_model, model_for
from .tensors import facts

PASS = "TTNNDecomposeLayouts.cpp @3fff8309"
_HOST = ("system_memory", "system")
CPU_HOIST_ATTR = "ttir.cpu_hoist_call"

# tt-mlir's DataType of a dtype as ttdiag spells it (tile and row-major spellings differ: u16 / ui16)
_CANON = {"ui32": "u32", "ui16": "u16", "ui8": "u8", "i32": "si32", "i1": "bool"}
# isOnDeviceLayoutChangeSupportedForDataType: BFloat16, Float32, UInt32, UInt16, Int32
_DEVICE_LAYOUT_DTYPES = {"bf16", "f32", "u32", "u16", "si32"}
# isFloatFamily is false for UInt32, UInt16, UInt8, Int32, Bool
_NOT_FLOAT = {"u32", "u16", "u8", "si32", "bool"}


def _dt(t: TensorType) -> str:
    d = t.layout.dtype if t.layout is not None else t.dtype
    return _CANON.get(d, d)


def _tiled(t: TensorType) -> bool:
    return t.layout is not None and t.layout.is_tiled


def _on_host(t: TensorType) -> bool:
    return t.layout is not None and t.layout.buffer_type in _HOST


def _sharded(t: TensorType) -> bool:
    return bool(t.layout and t.layout.memory_layout and t.layout.memory_layout.endswith("sharded"))


def has_memory_change(a: TensorType, b: TensorType) -> bool:
    """``hasMemoryChange``: buffer type differs; else (on the device) memory layout differs; else, both
    sharded, the grid or the core range set differs."""
    la, lb = a.layout, b.layout
    if la.buffer_type != lb.buffer_type:
        return True
    if la.buffer_type in _HOST:
        return False
    if la.memory_layout != lb.memory_layout:
        return True
    if _sharded(a) and _sharded(b):
        return la.grid != lb.grid or la.extras.get("core_ranges") != lb.extras.get("core_ranges")
    return False


# -- the intermediate tensor types (RankedTensorTypeFactory / TTNNLayoutAttr::Builder) ---------------------------

def _memref_for(lay: TTNNLayout, tiled: bool) -> tuple[int, ...]:
    """The memref (one shard) in tiles for a tiled layout, in elements for a row-major one, converted from
    ``lay``'s when the layouts differ (tiles = ceil(elements / 32); elements = tiles x 32)."""
    m = lay.memref_shape
    if tiled == lay.is_tiled or len(m) < 2:
        return m
    if tiled:
        return (*m[:-2], ceil_div(m[-2], 32), ceil_div(m[-1], 32))
    return (*m[:-2], m[-2] * 32, m[-1] * 32)


def _element(dtype: str, tiled: bool, *like: TensorType) -> TileType | str:
    """The layout's element: a 32x32 tile or the scalar type of ``dtype``, spelled as in ``like`` if one of
    them carries it."""
    for t in like:
        if t.layout is not None and t.layout.is_tiled == tiled and _dt(t) == dtype:
            return t.layout.element
    return TileType(32, 32, dtype) if tiled else dtype


def _with(cur: TensorType, *, tiled: bool | None = None, dtype: str | None = None,
          memory: TensorType | None = None, like: tuple[TensorType, ...] = ()) -> TensorType:
    """``cur`` with its layout (tile / row-major), dtype, or memory (buffer type, memory layout, grid, core
    ranges: ``withTargetMemory``) replaced. A result equal in all three to one of ``like`` (the op's own input
    and output) is that type itself."""
    tiled = _tiled(cur) if tiled is None else tiled
    dtype = _dt(cur) if dtype is None else dtype
    mem = memory or cur
    for t in like:
        if _tiled(t) == tiled and _dt(t) == dtype and not has_memory_change(t, mem) and t.shape == cur.shape:
            return t
    base = mem.layout
    memref = base.memref_shape if _tiled(mem) == tiled else _memref_for(base, tiled)
    elem = _element(dtype, tiled, *like, cur)
    lay = replace(base, memref_shape=memref, element=elem, text="")
    scalar = elem.dtype if isinstance(elem, TileType) else elem
    return TensorType(cur.shape, scalar, lay, None, "")


@dataclass(frozen=True, slots=True)
class Step:
    """One op of the decomposition: its name, whether it runs on the host, and its tensors."""

    name: str
    src: TensorType
    dst: TensorType
    host: bool = False
    note: str = ""


@dataclass(slots=True)
class _Plan:
    """The pass's rewriter, replayed: ``cur`` is the current value's type, ``steps`` the ops created."""

    src: TensorType
    dst: TensorType
    cur: TensorType
    steps: list[Step]

    def emit(self, name: str, new: TensorType, host: bool = False, note: str = "") -> None:
        self.steps.append(Step(name, self.cur, new, host, note))
        self.cur = new

    def w(self, **kw) -> TensorType:
        return _with(self.cur, like=(self.src, self.dst), **kw)

    # createToDeviceOp / createFromDeviceOp / createToLayoutOp / createTypecastOp / createToMemoryConfigOp
    def to_device(self) -> None:
        self.emit("to_device", self.w(memory=self.dst), host=True)

    def from_device(self) -> None:
        if _on_host(self.dst):
            new = self.w(memory=self.dst)
        else:  # a host round trip of a device -> device conversion
            host = replace(self.cur.layout, buffer_type="system_memory", memory_layout=None, grid=(1, 1), text="")
            new = replace(self.cur, layout=host, text="")
        self.emit("from_device", new, host=True)

    def to_layout(self, tiled: bool, dtype: str | None = None) -> None:
        self.emit("to_layout", self.w(tiled=tiled, dtype=dtype), host=_on_host(self.cur))

    def typecast(self) -> None:
        self.emit("typecast", self.w(dtype=_dt(self.dst)), host=_on_host(self.cur))

    def to_memory_config(self) -> None:
        self.emit("to_memory_config", self.w(memory=self.dst))

    def memory_move(self) -> None:
        """``createMemoryMove``: to_device / from_device across the host boundary, else to_memory_config."""
        cur_host, dst_host = _on_host(self.cur), _on_host(self.dst)
        if cur_host and not dst_host:
            self.to_device()
        elif not cur_host and dst_host:
            self.from_device()
        elif not cur_host and not dst_host:
            self.to_memory_config()

    def layout_step(self, pad_workaround: bool) -> None:
        """``createLayoutStep``; the tt-metal#30541 workaround is to_memory_config (DRAM interleaved), pad,
        tilize, slice back (``handleShardedTilizeWithPadding``)."""
        if not pad_workaround:
            self.to_layout(_tiled(self.dst))
            return
        dram = replace(self.cur.layout, buffer_type="dram", memory_layout="interleaved", grid=(1, 1), text="",
                       extras={k: v for k, v in self.cur.layout.extras.items() if k != "core_ranges"})
        self.emit("to_memory_config", replace(self.cur, layout=dram, text=""), note="unshard (tt-metal#30541)")
        shape = self.cur.shape
        padded = (*shape[:-2], ceil_div(shape[-2], 32) * 32, ceil_div(shape[-1], 32) * 32)
        self.emit("pad", replace(self.cur, shape=padded, text=""), note="pad to tile multiples")
        tiled = self.w(tiled=True)
        self.emit("to_layout", tiled)
        self.emit("slice_static", replace(tiled, shape=shape, text=""), note="slice back")


def _needs_pad_workaround(t: TensorType) -> bool:
    """``needsShardedTilizePadWorkaround``: L1 height-sharded with a last-two-dims shape not tile-aligned."""
    lay = t.layout
    if lay.buffer_type != "l1" or lay.memory_layout != "height_sharded" or len(t.shape) < 2:
        return False
    return t.shape[-2] % 32 != 0 or t.shape[-1] % 32 != 0


def _layout_and_dtype(p: _Plan, on_device: bool) -> None:
    """``layoutAndDtypeTransformations``."""
    src, dst = p.src, p.dst
    need_layout, need_dtype = _tiled(src) != _tiled(dst), _dt(src) != _dt(dst)
    if not need_layout and not need_dtype:
        return
    tilizing = need_layout and _tiled(dst)
    pad_wa = on_device and tilizing and _needs_pad_workaround(p.cur)
    if (on_device and need_layout and need_dtype and tilizing and not _tiled(src)
            and _dt(src) not in _NOT_FLOAT and _dt(dst) not in _NOT_FLOAT and not pad_wa):
        p.to_layout(True, _dt(dst))  # one to_layout: tilize to the output dtype
        return
    if need_layout and not need_dtype:
        p.layout_step(pad_wa)
        return
    if not need_layout:
        p.typecast()
        return
    if not on_device:
        p.typecast()
        p.layout_step(pad_wa)
        return
    if _tiled(src):
        if _dt(dst) in _DEVICE_LAYOUT_DTYPES:
            p.typecast()
            p.layout_step(pad_wa)
        else:
            p.layout_step(pad_wa)
            p.typecast()
        return
    if _dt(src) in _DEVICE_LAYOUT_DTYPES:
        p.layout_step(pad_wa)
        p.typecast()
    else:
        p.typecast()
        p.layout_step(pad_wa)


def _layout_first(src: TensorType, dst: TensorType) -> bool:
    """``shouldLayoutAndDtypeChangesRunBeforeMemoryMove``."""
    if _on_host(src) or _on_host(dst):
        return not _on_host(src)
    if _tiled(src) != _tiled(dst):
        if _tiled(dst):
            return True
        deshard_first = (src.layout.buffer_type == "l1" and _sharded(src)) or \
            (src.layout.buffer_type == "l1" and dst.layout.buffer_type == "dram")
        return not deshard_first
    return True


def plan_steps(src: TensorType, dst: TensorType, cpu_hoisted: bool = False) -> list[Step] | None:
    """The ops ``buildLayoutConversion`` creates for ``src -> dst``, in order; None when nothing changes
    (the pass rejects the op: "Redundant ttnn::ToLayoutOp"). ``cpu_hoisted``: the input comes from, or the
    result goes only to, a CPU-hoisted function."""
    need_layout, need_dtype = _tiled(src) != _tiled(dst), _dt(src) != _dt(dst)
    if not need_layout and not need_dtype and not has_memory_change(src, dst):
        return None
    p = _Plan(src, dst, src, [])
    both_host = _on_host(src) and _on_host(dst)
    layout_needs_host = need_layout and _dt(src) not in _DEVICE_LAYOUT_DTYPES and _dt(dst) not in _DEVICE_LAYOUT_DTYPES
    keep_typecast_on_device = not _on_host(src) if _tiled(src) else not _on_host(dst)
    if both_host or cpu_hoisted or (layout_needs_host and not keep_typecast_on_device):
        if not _on_host(src):
            p.from_device()
        _layout_and_dtype(p, on_device=False)
        if not _on_host(dst):
            p.to_device()
        return p.steps
    if layout_needs_host:
        if _tiled(src):
            if need_dtype:
                p.typecast()
            p.from_device()
            p.layout_step(False)
            if not _on_host(dst):
                p.to_device()
            return p.steps
        if not _on_host(src):
            p.from_device()
        p.layout_step(False)
        p.to_device()
        if need_dtype:
            p.typecast()
        return p.steps
    if _layout_first(src, dst):
        _layout_and_dtype(p, on_device=True)
        if has_memory_change(p.cur, dst):
            p.memory_move()
        return p.steps
    p.memory_move()
    _layout_and_dtype(p, on_device=True)
    return p.steps


# -- the CPU-hoist boundary (isOutputFromCPUHoistedFunction / isInputToCPUHoistedFunction) -----------------------

def _hoisted_call_operands(op: Op) -> list[str] | None:
    """The operands of a ``func.call`` carrying ``ttir.cpu_hoist_call``; None for any other op."""
    if op.name not in ("func.call", "call"):
        return None
    if not op.custom:
        return list(op.operands) if op.attr(CPU_HOIST_ATTR) is not None else None
    groups = [it for it in op.body if isinstance(it, Group)]
    attrs = next((g for g in groups if g.open == "{"), None)
    if attrs is None or CPU_HOIST_ATTR not in key_values(attrs.items) and not any(
            isinstance(a, Atom) and a.text == CPU_HOIST_ATTR for a in attrs.items):
        return None
    args = next((g for g in groups if g.open == "("), None)
    return [a.text for a in (args.items if args else ()) if isinstance(a, Atom) and a.kind == "VALUE_ID"]


def cpu_hoist_boundary(module: Module) -> CpuHoistBoundary:
    """The values (program, SSA name) a CPU-hoisted call defines, and those whose only use is one."""
    outputs: set[tuple[str | None, str]] = set()
    uses: dict[tuple[str | None, str], int] = {}
    hoisted_uses: set[tuple[str | None, str]] = set()
    for op in module.all_ops():
        args = _hoisted_call_operands(op)
        operands = args if args is not None else op.operands
        for v in operands:
            uses[(op.program, v)] = uses.get((op.program, v), 0) + 1
        if args is not None:
            outputs.update((op.program, r) for r in op.results)
            hoisted_uses.update((op.program, v) for v in args)
    inputs = {k for k in hoisted_uses if uses.get(k) == 1}
    return CpuHoistBoundary(frozenset(outputs), frozenset(inputs))


def _hoisted(op: Op, ctx: L1Context, src: TensorType, dst: TensorType) -> bool | None:
    """Whether the op sits on a CPU-hoist boundary; None when that is unknown (no graph in the context)
    and it could be: a host input defined by an op, or a host result."""
    operand = op.operands[0] if op.operands else ""
    result = op.results[0] if op.results else ""
    if ctx.cpu_hoist is not None:
        return ((op.program, operand) in ctx.cpu_hoist.outputs) or ((op.program, result) in ctx.cpu_hoist.inputs)
    maybe = (_on_host(src) and not operand.startswith("%arg")) or _on_host(dst)
    return None if maybe else False


# -- the model ---------------------------------------------------------------------------------------------------

def _step_op(op: Op, step: Step) -> Op:
    return Op(f"ttnn.{step.name}", list(op.results), list(op.operands), [step.src], [step.dst], {}, {}, None,
              op.line, op.program)


def _describe(t: TensorType) -> str:
    lay = t.layout
    where = "host" if lay.buffer_type in _HOST else f"{lay.buffer_type} {lay.memory_layout or ''}".strip()
    return f"{where} {'tile' if lay.is_tiled else 'row-major'} {_dt(t)}"


@cb_model("ttnn.to_tensor_spec")
def to_tensor_spec(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.to_tensor_spec``: the steps ``--ttnn-decompose-layouts`` replaces it with (see the module
    docstring), each modelled by its own CB model on the intermediate tensors; host steps (to_device,
    from_device, a typecast or to_layout of a host tensor) run no program. Core groups are labelled by step;
    the op's peak is the largest step's region (the programs run one after another). ``read-factory`` only
    when every device step's model is."""
    src_t = op.operand_types[0] if op.operand_types else None
    dst_t = op.result_types[0] if op.result_types else None
    if facts(src_t) is None or facts(dst_t) is None or src_t.layout is None or dst_t.layout is None:
        return generic_estimate(op, ctx)
    hoisted = _hoisted(op, ctx, src_t, dst_t)
    steps = plan_steps(src_t, dst_t, bool(hoisted))
    if hoisted is None and steps == plan_steps(src_t, dst_t, True):
        hoisted = False  # the same ops either way
    if steps is None:
        r = no_program(op, "input and result specs are equal: tt-mlir's pass rejects the op (redundant)")
        r.sources = [PASS + " createLayoutConversionOps"]
        return r
    names = " -> ".join(f"{s.name}{' (host)' if s.host and s.name not in ('to_device', 'from_device') else ''}"
                        for s in steps)
    formula = [f"to_tensor_spec {_describe(src_t)} -> {_describe(dst_t)} runs {names}"]
    sources = [PASS + " buildLayoutConversion"]
    groups: list[CoreGroup] = []
    confident = hoisted is not None
    factories: list[str] = []
    guessed: list[str] = []
    for i, s in enumerate(steps, 1):
        tag = f"{i}. {s.name}"
        if s.host:
            what = "a host transfer" if s.name in ("to_device", "from_device") else "done on the host"
            formula.append(f"{tag}: {what}, no program")
            continue
        r = model_for(f"ttnn.{s.name}")(_step_op(op, s), ctx)
        if s.name == "slice_static":
            # the slice back to a shape that is not tile-aligned: no slice factory read for it
            r.confidence = "estimate"
        # (the workaround's pad only pads at the end of H and W: no front padding, which is what the pad
        # model assumes without a padding attribute)
        if not r.core_groups and r.factory == "none":
            formula.append(f"{tag}: {r.formula[0] if r.formula else 'no program'}")
            continue
        confident = confident and r.confidence == "read-factory"
        if r.confidence != "read-factory":
            guessed.append(f"step {i} ({s.name})")
        factories.append(r.factory)
        groups.extend(CoreGroup(f"{tag}: {g.label}", g.cores, g.cbs) for g in r.core_groups)
        peak = max((g.static_bytes for g in r.core_groups), default=0)
        formula.append(f"{tag}{' (' + s.note + ')' if s.note else ''}: {r.factory}, peak {peak:,} B per core"
                       + (" (estimate)" if r.confidence != "read-factory" else ""))
        formula.extend(f"   {line}" for line in r.formula)
        sources.extend(x for x in r.sources if x not in sources)
    if hoisted is None:
        formula.append("host side: whether the tensor crosses a CPU-hoisted call is not known here; "
                       "assumed not (estimate)")
    if guessed:
        formula.append(f"estimate: {', '.join(guessed)} not read from a factory")
    factory = " + ".join(factories) if factories else "none"
    if not groups:
        r = no_program(op, formula[0])
        r.formula = formula
        r.sources = sources
        r.confidence = "read-factory" if confident else "estimate"
        return r
    return OpL1(op.id, op.name, op.program, f"to_tensor_spec: {factory}",
                "read-factory" if confident else "estimate", groups, formula, sources)
