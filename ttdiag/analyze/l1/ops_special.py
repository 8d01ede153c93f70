"""CB models of ops whose program is not a ttnn factory: ``ttnn.generic`` (a custom program whose descriptor,
CBs included, is written in the op's own ``program`` attribute), and ``prepare_conv2d_weights`` /
``prepare_conv2d_bias`` (host-side transforms, no device program).

``ttnn.generic``: tt-mlir's runtime (``runtime/lib/ttnn/operations/generic/generic_op.cpp`` @0cb42fd2,
``createProgramDescriptor`` / ``createCBDescriptor`` / ``createCBFormatDescriptor``) turns every
``#ttnn.kernel_cb`` of the attribute into one tt-metal ``CBDescriptor``, in the attribute's order:
``total_size`` (bytes), ``core_ranges`` (the cores it is created on), and **only the first** entry of
``formats`` (``buffer_index``, ``page_size``, ``dtype``; "metal assumes only one CBFormatDescriptor"); when
``buffer = #ttnn.kernel_cb_global_buffer_address_of_tensor<i>`` is given, the CB is backed by that io
tensor's buffer (``CBDescriptor.buffer``: globally allocated, no static L1). So a core's CBs are the
descriptor's CBs whose core ranges contain it, in descriptor order, each ``total_size`` bytes of
``page_size`` pages. The figures are the IR's own; the attribute forms are those printed by tt-mlir's
``TTNN_ProgramAttr`` / ``KernelCBAttr`` / ``KernelCBFormatAttr`` (tt-mlir tests
``test/ttmlir/Silicon/TTNN/n150/generic_op/generic_op.mlir``, ``Dialect/TTNN/dispatch_d2m/collaspe.mlir``).

The mesh form (``#ttnn.mesh_program_descriptor``, fabric ops) builds the same per-device descriptor but then
adds fabric connection set-up (``appendFabricConfigArgs``), which was not read: its CBs are reported from the
descriptor but labelled ``estimate``.
"""

from __future__ import annotations

from ...ir.graph import Op
from ...ir.items import Atom, Body, Group, Item, as_int, key_values, split_commas, walk
from .generic import generic_estimate, no_program
from .model import CB, CoreGroup, L1Context, OpL1
from .registry import cb_model
from .tensors import operand

_GENERIC_SRC = ("tt-mlir runtime/lib/ttnn/operations/generic/generic_op.cpp @0cb42fd2 createProgramDescriptor / "
                "createCBDescriptor / createCBFormatDescriptor (one CBDescriptor per kernel_cb: total_size, "
                "core_ranges, formats[0], buffer)")


class _Unreadable(ValueError):
    """The descriptor is not in a form read here (the reason is the message)."""


def _inner(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """The content of a single ``#ttnn.x<...>`` body or ``<...>`` / ``[...]`` group."""
    if len(items) == 1 and isinstance(items[0], (Body, Group)):
        return items[0].items
    raise _Unreadable(f"expected one attribute, got {len(items)} items")


def _list(items: tuple[Item, ...] | None) -> list[tuple[Item, ...]]:
    """``[a, b, ...]`` -> its elements."""
    if not items or len(items) != 1 or not isinstance(items[0], Group) or items[0].open != "[":
        raise _Unreadable("expected a [...] list")
    return [p for p in split_commas(items[0].items) if p]


def _alias_check(items: tuple[Item, ...]) -> None:
    for it in walk(items):
        if isinstance(it, Atom) and it.kind == "HASH_ID" and "." not in it.text:
            raise _Unreadable(f"the descriptor refers to the attribute alias {it.text}, which is not resolved "
                              "inside nested attributes")


def _core_ranges(items: tuple[Item, ...] | None) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """``<[#ttnn.core_range<(x0, y0), (x1, y1)>, ...]>`` (or ``#ttnn.core_range_set<[...]>``) -> inclusive ranges."""
    if not items:
        raise _Unreadable("a kernel_cb without core_ranges")
    out = []
    for it in walk(items):
        if isinstance(it, Body) and it.name.endswith(".core_range"):
            pts = [tuple(as_int(p) for p in split_commas(g.items)) for g in it.items if isinstance(g, Group)]
            if len(pts) != 2 or any(len(p) != 2 or None in p for p in pts):
                raise _Unreadable(f"unreadable core_range {it}")
            (x0, y0), (x1, y1) = pts
            out.append(((x0, y0), (x1, y1)))
    if not out:
        raise _Unreadable("core_ranges holds no core_range")
    return out


def _cbs(program: tuple[Item, ...]) -> list[tuple[CB, list[tuple[int, int]]]]:
    """The CBs of one ``#ttnn.program<...>`` in descriptor order, each with the cores it is created on."""
    fields = key_values(_inner(program))
    _alias_check(fields.get("cbs") or ())
    out = []
    for part in _list(fields.get("cbs")):
        cb = key_values(_inner(part))
        total = as_int(cb.get("total_size"))
        formats = _list(cb.get("formats"))
        if total is None or not formats:
            raise _Unreadable("a kernel_cb without total_size or formats")
        fmt = key_values(_inner(formats[0]))  # the runtime reads formats[0] only
        index, page = as_int(fmt.get("buffer_index")), as_int(fmt.get("page_size"))
        if index is None or not page:
            raise _Unreadable("a kernel_cb format without buffer_index or page_size")
        dtype = render_text(fmt.get("dtype"))
        backed = cb.get("buffer")
        on_tensor = bool(backed) and isinstance(backed[0], Body) and "global_buffer" in backed[0].name
        pages, page_bytes = (total // page, page) if total % page == 0 else (1, total)
        cores = sorted({(x, y) for (x0, y0), (x1, y1) in _core_ranges(cb.get("core_ranges"))
                        for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)}, key=lambda c: (c[1], c[0]))
        name = f"{dtype} pages" + (f" on io tensor {as_int(backed[0].items)}" if on_tensor else "")
        out.append((CB(index, pages, page_bytes, name, globally_allocated=on_tensor), cores))
    return out


def render_text(items: tuple[Item, ...] | None) -> str:
    return items[0].text if items and isinstance(items[0], Atom) else "?"


def _groups(cbs: list[tuple[CB, list[tuple[int, int]]]], prefix: str = "") -> list[CoreGroup]:
    """Cores with the same CB list (descriptor order) form one group."""
    per_core: dict[tuple[int, int], list[CB]] = {}
    for cb, cores in cbs:
        for c in cores:
            per_core.setdefault(c, []).append(cb)
    by_cbs: dict[tuple[CB, ...], list[tuple[int, int]]] = {}
    for core in sorted(per_core, key=lambda c: (c[1], c[0])):
        by_cbs.setdefault(tuple(per_core[core]), []).append(core)
    groups = []
    for cb_list, cores in by_cbs.items():
        span = f"({cores[0][0]},{cores[0][1]})" + (f"..({cores[-1][0]},{cores[-1][1]})" if len(cores) > 1 else "")
        groups.append(CoreGroup(f"{prefix}{len(cores)} core(s) {span}", cores, list(cb_list)))
    return groups


@cb_model("ttnn.generic")
def generic(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.generic``: the CBs written in the op's ``program`` (or ``mesh_program_descriptor``) attribute."""
    prog = op.attr("program")
    try:
        if not prog or not isinstance(prog[0], Body):
            raise _Unreadable("no program attribute")
        mesh = prog[0].name.endswith("mesh_program_descriptor")
        if mesh:
            programs = [key_values(_inner(mp)).get("program") for mp in _list(prog[0].items[:1])]
            if not programs or any(p is None for p in programs):
                raise _Unreadable("a mesh_program without a program")
            groups = []
            for i, p in enumerate(programs):
                groups.extend(_groups(_cbs(p), f"mesh program {i}: " if len(programs) > 1 else ""))
        else:
            groups = _groups(_cbs(prog))
    except _Unreadable as e:
        est = generic_estimate(op, ctx)
        est.factory = "ttnn.generic (descriptor not read; estimate)"
        est.formula.insert(0, f"ttnn.generic: {e}")
        est.sources = [_GENERIC_SRC]
        return est
    n_cbs = len({(cb, tuple(g.cores)) for g in groups for cb in g.cbs})
    formula = [f"{n_cbs} CB(s) from the op's descriptor on {sum(len(g.cores) for g in groups)} core(s): "
               + "; ".join(f"c_{cb.index} = {cb.pages} x {cb.page_bytes:,} B"
                           + (" (on an io tensor)" if cb.globally_allocated else "")
                           for cb in (groups[0].cbs if groups else []))]
    conf = "read-factory"
    factory = "ttnn.generic program descriptor (from the IR)"
    if mesh:
        conf = "estimate"
        factory = "ttnn.generic mesh program descriptor (from the IR)"
        formula.append("mesh program: the fabric connection set-up the runtime adds (appendFabricConfigArgs) "
                       "was not read, so the CB list may be incomplete (estimate)")
    return OpL1(op.id, op.name, op.program, factory, conf, groups, formula, [_GENERIC_SRC])


_PREP_SRC = ("tt-metal ttnn/cpp/ttnn/operations/conv/conv2d/prepare_conv2d_weights.cpp @002a3f41 "
             "prepare_conv_weights_internal (validate_host_conv_weights; host layout helpers via convert_tensor, "
             "which TT_FATALs on non-CPU tensors; then core::to_device) and prepare_conv_bias_internal")
_PREP_RT = "tt-mlir runtime/lib/ttnn/operations/conv/prepare_conv2d_weights.cpp @0028b715 (calls prepare_conv_weights)"
_HOST = ("system_memory", "system")


@cb_model("ttnn.prepare_conv2d_weights", "ttnn.prepare_conv2d_bias")
def prepare_conv2d(op: Op, ctx: L1Context) -> OpL1:
    """``ttnn.prepare_conv2d_weights`` / ``prepare_conv2d_bias`` with a host (system-memory) weight / bias operand:
    tt-metal's ``prepare_conv_weights_internal`` requires host weights (``validate_host_conv_weights``), reorders,
    pads and tilizes them with host helpers (``convert_tensor`` fails on a device tensor, so the ``ttnn::pad``
    before it ran on the host too), casts with ``to_dtype`` and ends with ``core::to_device`` (a transfer);
    ``prepare_conv_bias_internal`` pads / tilizes / casts a host bias the same way and moves it to the device
    (a bias already on the device is returned as is). The CB figure is 0: no device program. A device-resident
    operand is an estimate: this tt-metal rejects device weights, and older ones (which may have prepared
    weights on the device) were not read."""
    src = operand(op)
    if src is not None and src.buffer_type in _HOST:
        r = no_program(op, f"{op.name}: the {'weight' if 'weights' in op.name else 'bias'} tensor is on the host; "
                           "it is reordered, padded, tilized and cast on the host, then copied to the device "
                           "(to_device): no device program, no CBs")
        r.sources = [_PREP_SRC, _PREP_RT]
        return r
    est = generic_estimate(op, ctx)
    est.factory = f"{op.name} with a device-resident operand (not read; estimate)"
    est.sources = [_PREP_SRC]
    return est
