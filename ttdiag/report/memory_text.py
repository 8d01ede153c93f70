"""``ttdiag memory`` for the terminal (rich): peaks, one row per op, and the CBs and buffers of the op
holding the peak (or of every op, ``--detail all``)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..analyze.memory import MemoryReport, OpMem
from .common import print_records

SOURCE_LABELS = {"graph-capture": "graph capture", "ttrt-memory": "ttrt memory report",
                 "report-db": "TT-NN report database", "runtime-log": "runtime log"}
KINDS = ("DRAM", "L1", "L1_SMALL", "TRACE")


def _b(v: int | None) -> str:
    return "n/a" if v is None else f"{v:,} B"


def _kb(v: int | None) -> str:
    return "n/a" if v is None else f"{v:,} B ({v / 1024:,.2f} KiB)"


def _graph_ops(r: MemoryReport) -> bool:
    return r.peaks_per_core is not None and any(op.node is not None for op in r.ops)


def _shown(r: MemoryReport, top: int) -> list[OpMem]:
    if len(r.ops) <= top:
        return r.ops
    key = (lambda o: (o.peak_total, o.peak_l1)) if _graph_ops(r) else (lambda o: sum(o.per_bank.values()))
    keep = sorted(r.ops, key=key, reverse=True)[:top]
    return sorted(keep, key=lambda o: o.index)


def render(r: MemoryReport, console: Console, top: int = 40, detail: str = "peak") -> None:
    head = Text()
    head.append(r.path, style="bold")
    what = f": {SOURCE_LABELS.get(r.source, r.source)} ({r.detail})"
    if r.nodes:
        what += f", {r.nodes:,} nodes"
    what += f", {r.n_ops:,} op{'s' if r.n_ops != 1 else ''}"
    head.append(what)
    console.print(head)
    for w in r.warnings:
        console.print(Text("warning: ", style="yellow") + Text(w), highlight=False)

    whole = r.l1_basis == "whole buffer"
    unit = "whole buffer" if whole else "per bank"
    p = r.peaks
    by_index = {o.index: o for o in r.ops}
    at = by_index[p.at_op].name if p.at_op in by_index else None
    rows = []
    if r.peaks_per_core is not None:
        c = r.peaks_per_core
        rows.append(["flat (tt-metal)", _b(p.cb_bytes), _b(p.l1_bytes), _b(p.total_bytes),
                     f"#{p.at_op} {at}" if at else "-"])
        at_c = by_index[c.at_op].name if c.at_op in by_index else None
        rows.append(["per core", _b(c.cb_bytes), _b(c.l1_bytes), _b(c.total_bytes),
                     f"#{c.at_op} {at_c}" if at_c else "-"])
        print_records(console, "Peaks (CB: bytes per core; L1: " + unit + ")",
                      [("accounting", "left"), ("CB", "right"), ("L1", "right"), ("total", "right"), ("at op", "left")],
                      rows)
    else:
        print_records(console, "Peaks (allocated bytes per bank)",
                      [("memory", "left"), ("peak", "right")],
                      [[k, _kb(v)] for k, v in r.peaks_by_kind.items()]
                      + [["L1 + L1_SMALL", _kb(p.l1_bytes) + (f" at #{p.at_op} {at}" if at else "")]])

    ops = _shown(r, top)
    title = f"Ops: {'all' if len(ops) == r.n_ops else f'the {len(ops):,} highest of'} {r.n_ops:,}"
    if _graph_ops(r):
        print_records(console, title + " (CB B/core, L1 B/" + ("buffer" if whole else "bank") + ")",
                      [("#", "right"), ("op", "left"), ("programs", "right"), ("CBs", "right"),
                       ("peak CB", "right"), ("CB per core", "right"), ("peak L1", "right"),
                       ("peak total", "right"), ("L1 after", "right")],
                      [[str(o.index), Text(o.name), str(max(len(o.programs), o.n_programs)),
                        str(max(sum(len(pr.cbs) for pr in o.programs), o.n_cbs)), _b(o.peak_cb), _b(o.peak_core_program),
                        _b(o.peak_l1), "n/a" if whole else _b(o.peak_total), _b(o.l1_bytes)] for o in ops], head=2)
    else:
        kinds = [k for k in KINDS if any(k in o.per_bank for o in r.ops)]
        print_records(console, title + " (allocated bytes per bank" + (
            f", +-{max(o.approx_bytes for o in r.ops):,} B" if any(o.approx_bytes for o in r.ops) else "") + ")",
                      [("#", "right"), ("op", "left")] + [(k, "right") for k in kinds],
                      [[str(o.index), Text(o.name)] + [_b(o.per_bank.get(k)) if k in o.per_bank else "-"
                                                        for k in kinds] for o in ops], head=2)
        return
    if detail == "none":
        return
    if detail == "all":
        chosen = ops
    else:
        chosen = [by_index[p.at_op]] if p.at_op in by_index else []
    for o in chosen:
        _op_detail(o, console, whole)


def _op_detail(o: OpMem, console: Console, whole: bool) -> None:
    for pr in o.programs:
        busiest = f", busiest core {pr.cb_bytes_per_core:,} B" if pr.cb_bytes_per_core != pr.cb_bytes else ""
        print_records(console, f"#{o.index} › {pr.name}: {pr.cb_bytes:,} B/core{busiest}",
                      [("node", "right"), ("kind", "left"), ("bytes/core", "right"), ("core ranges", "left"),
                       ("cores", "right"), ("globally allocated", "left")],
                      [[str(c.node), c.kind.upper(), f"{c.bytes_per_core:,}", Text(c.core_ranges or "?"),
                        "?" if c.cores is None else str(c.cores), "yes: tensor-backed, not counted" if c.tensor_backed else "no"]
                       for c in pr.cbs], head=2)
    if o.buffers:
        print_records(console, f"#{o.index} {o.name}: buffers (bytes per {'buffer' if whole else 'bank'})",
                      [("node", "right"), ("event", "left"), ("type", "left"), ("bytes/bank", "right"),
                       ("size", "right"), ("layout", "left"), ("cores", "right"), ("in", "left")],
                      [[str(b.node), "allocate" if b.allocate else "deallocate", b.buffer_type,
                        "?" if b.bytes_per_bank is None else f"{b.bytes_per_bank:,}",
                        "?" if b.size is None else f"{b.size:,}", b.layout or "-",
                        str(b.num_cores) if b.num_cores else "-", Text(b.frame)] for b in o.buffers], head=2)
