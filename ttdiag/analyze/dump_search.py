"""Which ops of a TTNN MLIR dump could be a failure's op, found by the failure's own figures.

A release build of the tt-mlir runtime logs no ``Executing operation:`` lines (``LOG_DEBUG`` is compiled out
without ``TT_RUNTIME_DEBUG``: tt-mlir ``runtime/include/tt/runtime/detail/common/logger.h``, commit not
recorded), so the log gives the failure's message and figures but not its op. With a dump of the same module,
each figure is an exact check every op of the dump either passes or fails:

- ``cb-exceeds-l1`` / ``cb-clashes-with-l1-buffer``: the op's modelled CB region end (the L1 model of
  :mod:`ttdiag.analyze.l1`, in the context the triage models the failure in) is the logged
  ``cb_region_end_bytes``, on a core group holding the logged core range;
- ``out-of-memory``: a result of the op is a buffer of the logged type whose size is the logged
  ``requested_bytes`` (and whose per-bank size is the logged ``bytes_per_bank`` over ``num_banks``);
- ``reshape-invalid``: a ``ttnn.reshape`` whose IR input and output volumes differ.

Only ops that could raise the failure are checked (CB failures: ops with a device program the L1 model
knows; the model result is memoised by what it reads, so a dump of many equal layers is modelled once per
distinct op).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..ir.graph import Module, Op
from ..ir.items import render
from ..ir.trace import RunTrace
from ..ir.types import TensorType
from .arch import ArchSpec
from .failures import Failure
from .layout import analyze_tensor, figures_key, interleaved_bytes_per_bank, round_up

KINDS = ("cb-exceeds-l1", "cb-clashes-with-l1-buffer", "out-of-memory", "reshape-invalid")
_DEVICE = ("dram", "l1", "l1_small")


@dataclass(slots=True)
class DumpCandidate:
    """An op of the dump that passes the failure's check: ``op`` (its ``program`` and ``line`` in the dump)
    and ``matched``, what it matched (e.g. ``modelled CB region ends at 9,990,400 B on (x=7,y=6)``)."""

    op: Op
    program: str
    line: int
    matched: str


@dataclass(slots=True)
class DumpSearch:
    """The search of a dump for a failure's op. ``path``: the dump; ``criterion``: what an op must show, as a
    relative clause (``whose modelled CB region ends at the logged 9,990,400 B``); ``none``: what it means
    when no op shows it; ``checked``: ops checked; ``candidates`` in dump order."""

    path: str
    criterion: str
    none: str
    checked: int
    candidates: list[DumpCandidate] = field(default_factory=list)

    @property
    def unique(self) -> DumpCandidate | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


def _ops(module: Module) -> Iterator[Op]:
    for p in module.programs:
        for op in p.walk():
            if op.name not in ("return", "func.return"):
                yield op


def _on_device(op: Op) -> bool:
    """At least one tensor in DRAM or L1 (an op on host tensors only runs no device program)."""
    return any(t.layout is not None and t.layout.buffer_type in _DEVICE for _, _, t in op.tensors())


def type_key(t) -> tuple:
    """What two printings of one type share: shape, dtype and the decoded layout (a dump prints layouts as
    aliases, a log inline), never a tensor type's text (other types: their text)."""
    return figures_key(t) if isinstance(t, TensorType) else ("other", getattr(t, "text", str(t)))


def _model_key(op: Op) -> tuple:
    """What an L1 model reads of an op: its name, operand and result types (decoded), properties and
    attributes, and which operands are program arguments (a host input defined by no op is treated apart,
    ``ops_tensor_spec._hoisted``); never SSA names, lines or locs."""
    return (op.name, tuple(type_key(t) for t in op.operand_types), tuple(type_key(t) for t in op.result_types),
            tuple(sorted((k, render(v)) for k, v in op.properties.items())),
            tuple(sorted((k, render(v)) for k, v in op.attributes.items())),
            tuple(o.startswith("%arg") for o in op.operands))


def _core_text(cores) -> str:
    return f"(x={cores[0][0]},y={cores[0][1]})" if len(cores) == 1 else f"{len(cores)} cores"


def _cb_search(module: Module, f: Failure, arch: ArchSpec, trace: RunTrace, era: str | None,
               base: int | None, path: str) -> DumpSearch | None:
    from . import l1
    from .l1 import generic
    from .l1.registry import model_for
    from .triage import failure_l1_context, logged_cores, reported_group, reproduces_log

    end = f.figures.get("cb_region_end_bytes")
    if end is None:
        return None
    ctx = failure_l1_context(f, arch, trace, era, base)
    cores = logged_cores(f)
    on = "" if not cores else f" on {_core_text(sorted(cores))}" if len(cores) == 1 else \
        f" on the logged {len(cores)} cores"
    known = set(l1.registered())
    memo: dict[tuple, tuple] = {}
    out = DumpSearch(path, f"whose modelled CB region ends at the logged {end:,} B{on}",
                     f"no op of the dump models to {end:,} B{on}: the model may not cover the failing op, or the "
                     "dump is not of this run", 0)
    for op in _ops(module):
        if op.name not in known or model_for(op.name) is generic.host_op or not _on_device(op):
            continue
        out.checked += 1
        key = _model_key(op)
        hit = memo.get(key)
        if hit is None:
            try:
                res = l1.analyze_op(op, ctx)
            except Exception:  # noqa: BLE001  a model that breaks on one op must not break the triage
                memo[key] = (False, "")
                continue
            group, got = reported_group(res, ctx, f) if res.core_groups else (None, 0)
            ok = bool(res.core_groups) and reproduces_log(group, got, f)
            hit = memo[key] = (ok, f"modelled CB region ends at {got:,} B on "
                               f"{_core_text(group.cores) if group else 'no core'} ({res.factory})")
        if hit[0]:
            out.candidates.append(DumpCandidate(op, op.program or "", op.line, hit[1]))
    return out


def _buffer_bytes(t: TensorType, arch: ArchSpec, num_banks: int | None) -> tuple[str, int, int | None] | None:
    """(buffer type, size, per-bank size) in bytes of a device tensor, as tt-metal allocates it: the size is
    ``Buffer::aligned_size()`` = pages x aligned page size (tt-metal ``tt_metal/impl/allocator/allocator.cpp``
    ``Allocator::allocate_buffer`` and ``buffer.cpp``, commit not recorded); interleaved per bank over
    ``num_banks`` (the message's, else the arch's), sharded one shard per core."""
    fig = analyze_tensor(t, arch)
    if fig is None or fig.buffer_type not in _DEVICE:
        return None
    aligned_page = round_up(fig.page_bytes, arch.alignment(fig.buffer_type))
    if fig.memory_layout in (None, "interleaved"):
        banks = num_banks or fig.num_banks
        per_bank = interleaved_bytes_per_bank(fig, arch, banks) if banks else None
        return fig.buffer_type, fig.pages * aligned_page, per_bank
    if fig.bytes_per_bank is None or not fig.num_banks:
        return None
    return fig.buffer_type, fig.bytes_per_bank * fig.num_banks, fig.bytes_per_bank


def _oom_search(module: Module, f: Failure, arch: ArchSpec, path: str) -> DumpSearch | None:
    figs = f.figures
    size, btype = figs.get("requested_bytes"), str(figs.get("buffer_type") or "").lower()
    if size is None or btype not in _DEVICE:
        return None
    per_bank, banks = figs.get("bytes_per_bank"), figs.get("num_banks")
    kind = btype.upper()
    an = "an" if kind.startswith("L") else "a"  # an L1 / a DRAM
    bank = f" ({per_bank:,} B per bank over {banks} banks)" if per_bank is not None and banks else ""
    out = DumpSearch(path, f"with a result that is {an} {kind} buffer of the logged {size:,} B{bank}",
                     f"no op of the dump has {an} {kind} result of {size:,} B{bank}: the failing buffer may be one "
                     "the op allocates for itself, or the dump is not of this run", 0)
    cache: dict[tuple, tuple | None] = {}
    for op in _ops(module):
        out.checked += 1
        for name, t in zip(op.results, op.result_types):
            if not isinstance(t, TensorType):
                continue
            key = figures_key(t)
            if key not in cache:
                cache[key] = _buffer_bytes(t, arch, banks)
            got = cache[key]
            if got is None or got[0] != btype or got[1] != size:
                continue
            if per_bank is not None and banks and got[2] != per_bank:
                continue
            shape = "x".join(map(str, t.shape or ()))
            what = f"{name} is {an} {kind} buffer of {size:,} B" + (f", {per_bank:,} B per bank" if bank else "")
            out.candidates.append(DumpCandidate(op, op.program or "", op.line, f"{what} ({shape} {t.dtype})"))
            break
    return out


def _reshape_search(module: Module, path: str) -> DumpSearch:
    from .triage import reshape_volumes

    out = DumpSearch(path, "whose IR input and output volumes differ",
                     "no ttnn.reshape of the dump has input and output volumes that differ: the runtime tensor "
                     "may not be the IR's, or the dump is not of this run", 0)
    for op in _ops(module):
        if op.name != "ttnn.reshape":
            continue
        out.checked += 1
        vols = reshape_volumes(op)
        if vols is not None and not vols[2]:
            out.candidates.append(DumpCandidate(op, op.program or "", op.line,
                                                f"input holds {vols[0]:,} elements, result {vols[1]:,}"))
    return out


def search_dump(module: Module, f: Failure, arch: ArchSpec, trace: RunTrace, path: str, era: str | None = None,
                base: int | None = None) -> DumpSearch | None:
    """The ops of ``module`` (every program) that pass failure ``f``'s check (see the module docstring);
    None when the failure's kind or figures give nothing to check. ``era`` / ``base``: the triage's L1
    overrides; ``arch``: the triage's arch (CB failures use the arch the logged L1 limit names).

    Raises:
        KeyError: unknown era.
    """
    if f.kind in ("cb-exceeds-l1", "cb-clashes-with-l1-buffer"):
        return _cb_search(module, f, arch, trace, era, base, path)
    if f.kind == "out-of-memory":
        return _oom_search(module, f, arch, path)
    if f.kind == "reshape-invalid":
        return _reshape_search(module, path)
    return None
