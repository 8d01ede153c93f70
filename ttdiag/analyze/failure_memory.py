"""What was live in L1 when a CB clash, CB overflow or L1 out-of-memory failure happened, and by how much
the failing op's CB region overlaps the L1 buffers (tt-metal issue #28835 asks exactly this).

Where the figures come from, in order of preference:

* **the error message**: tt-metal's ``ProgramImpl::validate_circular_buffer_region``
  (``tt_metal/impl/program/program.cpp`` @ 001b6f94) prints the CB region end of the first core range
  over the limit (``grow to {cb_region_end} B``), and for a clash also
  ``device->lowest_occupied_compute_l1_address(...)`` (``L1 buffer allocated at {lowest_address}``): it
  throws when ``lowest_address < cb_region_end``, so the overlap is ``cb_region_end - lowest_address``;
* **a memory record**: the last allocator state the runtime logged before the failure (tt-mlir's
  ``Device <KIND> memory state: MemoryView{...}`` DEBUG lines, ``runtime/lib/common/types.cpp``
  ``MemoryView::toString`` @ 0508a83d: bytes per bank / 2^20 with 3 decimals, so within 525 B), or a
  file ``ttdiag memory`` reads (``--memory``): a graph capture gives the running L1 total, the addresses
  of the live L1 buffers (their lowest is the allocator's lowest occupied address: buffer addresses are
  per bank, the banks lockstep) and the CB addresses of the last program; a ttrt memory report or a
  runtime log gives the allocator's per-bank totals after (ttrt) or before (runtime log) each op;
* **the L1 model** (:mod:`ttdiag.analyze.l1`): the failing op's predicted CB region end.

Nothing is guessed: a figure no source gives is left out and the notes say why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record readers (sqlite3, json) load only when a record is read
    from ..parse.memory_records import KindView

# failure kinds whose figures are about L1 (an out-of-memory of a DRAM buffer is not)
L1_KINDS = ("cb-exceeds-l1", "cb-clashes-with-l1-buffer", "out-of-memory")


def applies(failure) -> bool:
    if failure.kind not in L1_KINDS:
        return False
    bt = failure.figures.get("buffer_type")
    return failure.kind != "out-of-memory" or bt is None or str(bt).upper().startswith("L1")


def _fmt(n: int) -> str:
    return f"{n:,}"


class Record:
    """An L1 state read from a memory record: ``live`` (allocated bytes per bank), ``largest_free``,
    ``bank_size``, ``banks``, ``lowest`` (lowest live L1 buffer address), ``cb_end`` (the last program's
    CB region end), ``approx`` (+- bytes of rounding), ``where`` (the source in words), ``at`` (the op
    the state belongs to, in words), ``notes``."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.at: str | None = None
        self.live: int | None = None
        self.largest_free: int | None = None
        self.bank_size: int | None = None
        self.banks: int | None = None
        self.l1_small: int | None = None
        self.lowest: int | None = None
        self.cb_end: int | None = None
        self.approx = 0
        self.line: int | None = None  # the log line of the state (MemoryView lines of the triaged log)
        self.notes: list[str] = []


def _from_view(rec: Record, views: dict[str, KindView]) -> None:
    v = views.get("L1")
    if v is None:
        rec.notes.append("the record has no L1 view")
        return
    rec.live, rec.largest_free, rec.bank_size, rec.banks = (v.allocated_per_bank, v.largest_free_per_bank,
                                                          v.bytes_per_bank, v.num_banks)
    rec.approx = v.approx_bytes
    small = views.get("L1_SMALL")
    if small is not None and small.allocated_per_bank:
        rec.l1_small = small.allocated_per_bank


def record_from_log(memory: dict) -> Record | None:
    """The state of an event's ``memory`` (the last MemoryView lines before the error block)."""
    from ..parse import memory_records as mr

    views = {}
    for kind, (_, text) in memory["views"].items():
        v = mr.memory_view(text)
        if v is not None:
            views[kind] = v
    if not views:
        return None
    first = min(line for line, _ in memory["views"].values())
    rec = Record(f"MemoryView lines of the log (line {_fmt(first)})")
    rec.line = first
    if memory.get("op"):
        rec.at = f"before operation {memory['op']}"
    _from_view(rec, views)
    return rec


def record_from_file(path: str) -> Record:
    """The last L1 state of a memory record file (any input ``ttdiag memory`` reads).

    Raises:
        ttdiag.io.InputError: unreadable, or no memory records in it.
    """
    from ..io import InputError
    from ..parse import memory_records as mr
    from .memory import memory_for_file

    kind = mr.sniff(path) if path != "-" else "unknown"
    if kind == "ttrt-memory" or kind.startswith("runtime-log"):
        snaps = (mr.ttrt_snapshots(path, lambda _: None) if kind == "ttrt-memory"
                 else mr.log_snapshots(path, lambda _: None))
        snaps = [s for s in snaps if "L1" in s.views]
        if not snaps:
            raise InputError(f"{path}: no L1 allocator state in it")
        last = snaps[-1]
        rec = Record(f"{'ttrt memory report' if kind == 'ttrt-memory' else 'MemoryView lines of'} {path}")
        rec.at = (f"after op {last.index}, {last.name} (the last in the record)" if last.when == "after"
                  else f"before operation {last.name}")
        _from_view(rec, last.views)
        return rec
    report = memory_for_file(path)
    rec = Record(f"{'graph capture' if report.source == 'graph-capture' else 'report database'} {path}")
    if not report.ops:
        raise InputError(f"{path}: no op in the memory record")
    last = report.ops[-1]
    rec.at = f"at the end of the record (op {last.index}, {last.name})"
    if report.source == "report-db" and last.per_bank:
        rec.live = last.per_bank.get("L1")
    elif report.l1_basis == "per bank":
        rec.live = last.l1_bytes
    else:
        rec.notes.append("a 2024 capture has no per-bank sizes: the L1 total is not per bank, not shown")
    # the live L1 buffers, replayed by address (graph captures since 2025 carry addresses)
    live: dict[int, int] = {}
    unaddressed = 0
    for op in report.ops:
        for b in op.buffers:
            if b.buffer_type != "L1":
                continue
            if b.address is None:
                unaddressed += 1
                continue
            if b.allocate:
                live[b.address] = b.bytes_per_bank or 0
            else:
                live.pop(b.address, None)
    if live:
        rec.lowest = min(live)
    elif unaddressed:
        rec.notes.append("its L1 buffer records carry no address: the lowest L1 buffer is unknown")
    # the CB region of the last program: the highest CB end (address + size) of the CBs it placed
    prog = last.programs[-1] if last.programs else None
    ends = [c.address + c.bytes_per_core for c in (prog.cbs if prog else []) if c.address and not c.tensor_backed]
    if ends:
        rec.cb_end = max(ends)
    return rec


def memory_section(fr, record: Record | None, model_end: tuple[int, str] | None) -> dict | None:
    """The ``memory`` section of one failure: ``source``, ``live_l1_bytes_per_bank``,
    ``largest_free_block_bytes``, ``cb_region_end_bytes``, ``lowest_l1_buffer_bytes``, ``overlap_bytes``,
    ``sources`` (figure -> where it came from), ``notes``; unknown figures are left out. None when there
    is no record and the message alone says it all (the triage notes already give its overlap)."""
    if record is None:
        return None
    f = fr.failure
    figs = f.figures
    out: dict = {"source": record.where}
    sources: dict[str, str] = {}
    notes = list(record.notes)
    if record.at:
        notes.append(f"the state {record.at}")
    loc = fr.localization
    if record.line is not None and loc is not None:
        # tt-mlir logs an op's state after its "Executing operation:" line, before running it
        op_line = loc.failing.record.line
        notes.append(f"logged after the failing op's line {_fmt(op_line)}: the state it ran in"
                     if record.line > op_line else
                     f"logged before the failing op's line {_fmt(op_line)}: the state of an earlier op")
    if record.live is not None:
        out["live_l1_bytes_per_bank"] = record.live
        sources["live_l1_bytes_per_bank"] = "record"
    else:
        notes.append("the record gives no L1 total")
    if record.largest_free is not None:
        out["largest_free_block_bytes"] = record.largest_free
        sources["largest_free_block_bytes"] = "record"
    else:
        notes.append("the record gives no largest free block")
    if record.approx:
        notes.append(f"MemoryView figures are MB with 3 decimals: each within {record.approx} B of the allocator's")
    if record.live is not None and record.bank_size:
        total = f" ({_fmt(record.live * record.banks)} B on {record.banks} banks)" if record.banks else ""
        notes.append(f"{_fmt(record.live)} B of the {_fmt(record.bank_size)} B L1 bank allocated per bank{total}")
    if record.l1_small:
        notes.append(f"L1_SMALL holds another {_fmt(record.l1_small)} B per bank")
    # the CB region end: the message, else the record's CB addresses, else the L1 model
    if figs.get("cb_region_end_bytes") is not None:
        out["cb_region_end_bytes"] = figs["cb_region_end_bytes"]
        sources["cb_region_end_bytes"] = "message"
    elif record.cb_end is not None:
        out["cb_region_end_bytes"] = record.cb_end
        sources["cb_region_end_bytes"] = "record"
    elif model_end is not None:
        out["cb_region_end_bytes"] = model_end[0]
        sources["cb_region_end_bytes"] = "L1 model"
        notes.append(f"CB region end from the L1 model ({model_end[1]})")
    else:
        notes.append("no CB region end: the message gives none and no L1 model covers the op")
    # the lowest L1 buffer: the clash message, else the record's live buffer addresses
    if figs.get("l1_buffer_address_bytes") is not None:
        out["lowest_l1_buffer_bytes"] = figs["l1_buffer_address_bytes"]
        sources["lowest_l1_buffer_bytes"] = "message"
    elif record.lowest is not None:
        out["lowest_l1_buffer_bytes"] = record.lowest
        sources["lowest_l1_buffer_bytes"] = "record"
    else:
        notes.append("no L1 buffer address: the message gives none and the record has totals only")
    end, low = out.get("cb_region_end_bytes"), out.get("lowest_l1_buffer_bytes")
    if end is not None and low is not None:
        out["overlap_bytes"] = max(0, end - low)
        if end > low:
            notes.append(f"overlap = CB region end {_fmt(end)} B ({sources['cb_region_end_bytes']}) - lowest L1 "
                         f"buffer {_fmt(low)} B ({sources['lowest_l1_buffer_bytes']}) = {_fmt(end - low)} B")
        else:
            notes.append(f"no overlap: the CB region ends {_fmt(low - end)} B below the lowest L1 buffer")
    else:
        notes.append("overlap unknown: it needs both the CB region end and the lowest L1 buffer address")
    out["sources"] = sources
    out["notes"] = notes
    return out
