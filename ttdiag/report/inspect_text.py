"""Inspect report for the terminal (rich): op graph summary and a layouts table."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.inspect import InspectReport
from .common import fmt_int, fmt_shape


def render(report: InspectReport, console: Console, max_rows: int = 500) -> None:
    m = report.module
    ops = list(m.all_ops())
    names = Counter(op.name for op in ops)
    head = Text()
    head.append(report.source, style="bold")
    head.append(f" ({report.kind}): {len(m.programs):,} programs, {len(ops):,} ops, "
                f"{len(report.tensors):,} tensors, arch {report.arch.name}")
    console.print(head)
    pt = Table(title="Programs", title_justify="left")
    for c in ("program", "line", "ops", "args"):
        pt.add_column(c, justify="right" if c in ("line", "ops", "args") else "left")
    for p in m.programs[:max_rows]:
        pt.add_row(p.name, fmt_int(p.line), fmt_int(sum(1 for _ in p.walk())), str(len(p.args)))
    console.print(pt)
    console.print(Text("Ops by name: ", style="bold") + Text(", ".join(f"{n} ×{c}" for n, c in names.most_common(30))))
    lt = Table(title="Tensors", title_justify="left")
    for c in ("program", "value", "logical shape", "layout", "padded", "physical 2-D", "logical vol",
              "physical vol", "ratio", "tiles", "bytes", "per bank", "memref"):
        lt.add_column(c, justify="right" if c in ("logical vol", "physical vol", "ratio", "tiles", "bytes",
                                                  "per bank") else "left")
    mismatches = 0
    for e in report.tensors[:max_rows]:
        f = e.figures
        lay = e.type.layout
        layout = "-" if lay is None else " ".join(x for x in (
            "tile" if lay.is_tiled else "rm", lay.dtype, lay.buffer_type or "", lay.memory_layout or "",
            "x".join(map(str, lay.grid))) if x)
        if f is None:
            lt.add_row(e.program or "", e.value, fmt_shape(e.type.shape), layout, *["-"] * 9)
            continue
        if f.memref_matches is False:
            mismatches += 1
        mem = "-" if f.memref_matches is None else (
            "ok" if f.memref_matches else
            f"[red]declared {'x'.join(map(str, f.memref_declared or ()))} ≠ {'x'.join(map(str, f.memref_computed or ()))}"
            f"{' (older rule)' if f.memref_note and 'older' in f.memref_note else ''}[/red]")
        lt.add_row(e.program or "", e.value, fmt_shape(f.logical_shape), layout, fmt_shape(f.padded_shape),
                   fmt_shape(f.physical_shape), fmt_int(f.logical_volume), fmt_int(f.physical_volume),
                   f"{f.padding_ratio:.3f}", "-" if f.tiles is None else fmt_int(f.tiles), fmt_int(f.bytes),
                   "-" if f.bytes_per_bank is None else fmt_int(f.bytes_per_bank), mem)
    console.print(lt)
    if len(report.tensors) > max_rows:
        console.print(Text(f"({len(report.tensors) - max_rows:,} more tensors; use --format json for all)", style="dim"))
    total_mm = sum(1 for e in report.tensors if e.figures and e.figures.memref_matches is False)
    if total_mm:
        console.print(Text(f"{total_mm:,} tensor(s) whose declared memref differs from the computed one", style="yellow"))
        if any(e.figures and e.figures.memref_note and "older" in e.figures.memref_note for e in report.tensors):
            console.print(Text("(older rule): the dump's memref collapses the logical shape before tiling, leaving out "
                               "the dim -2 padding that tt-metal allocates", style="dim"))
    for d in m.diagnostics[:50]:
        console.print(Text(f"line {d.line:,}: {d.message}", style="yellow"))
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
