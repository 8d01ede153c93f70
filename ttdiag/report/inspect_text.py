"""Inspect report for the terminal (rich): op graph summary and a layouts table."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analyze.inspect import InspectReport, TensorEntry
from .common import fits, fmt_int, fmt_shape


def _layout(e: TensorEntry) -> str:
    lay = e.type.layout
    return "-" if lay is None else " ".join(x for x in (
        "tile" if lay.is_tiled else "rm", lay.dtype, lay.buffer_type or "", lay.memory_layout or "",
        "x".join(map(str, lay.grid))) if x)


def _memref(e: TensorEntry) -> str:
    f = e.figures
    if f is None or f.memref_matches is None:
        return "-"
    if f.memref_matches:
        return "ok"
    older = " (older rule)" if f.memref_note and "older" in f.memref_note else ""
    return (f"[red]declared {'x'.join(map(str, f.memref_declared or ()))} ≠ "
            f"{'x'.join(map(str, f.memref_computed or ()))}{older}[/red]")


def _tensor_table(entries: list[TensorEntry]) -> Table:
    """One line per tensor (the form for wide terminals and pipes)."""
    lt = Table(title="Tensors", title_justify="left")
    for c in ("program", "value", "logical shape", "layout", "padded", "physical 2-D", "logical vol",
              "physical vol", "ratio", "tiles", "bytes", "per bank", "memref"):
        lt.add_column(c, justify="right" if c in ("logical vol", "physical vol", "ratio", "tiles", "bytes",
                                                  "per bank") else "left")
    for e in entries:
        f = e.figures
        if f is None:
            lt.add_row(e.program or "", e.value, fmt_shape(e.type.shape), _layout(e), *["-"] * 9)
            continue
        lt.add_row(e.program or "", e.value, fmt_shape(f.logical_shape), _layout(e), fmt_shape(f.padded_shape),
                   fmt_shape(f.physical_shape), fmt_int(f.logical_volume), fmt_int(f.physical_volume),
                   f"{f.padding_ratio:.3f}", "-" if f.tiles is None else fmt_int(f.tiles), fmt_int(f.bytes),
                   "-" if f.bytes_per_bank is None else fmt_int(f.bytes_per_bank), _memref(e))
    return lt


def _tensor_block(e: TensorEntry) -> Group:
    """One tensor as a heading and indented lines (the form for narrow terminals; the program is a
    heading of its own)."""
    f = e.figures
    head = Text(e.value, style="bold")
    head.append(f"  {fmt_shape(e.type.shape if f is None else f.logical_shape)}  {_layout(e)}")
    if f is None:
        return Group(head)
    tiles = "" if f.tiles is None else f", {fmt_int(f.tiles)} tiles"
    per_bank = "" if f.bytes_per_bank is None else f", {fmt_int(f.bytes_per_bank)} B per bank"
    body = Text(f"padded {fmt_shape(f.padded_shape)}, physical 2-D {fmt_shape(f.physical_shape)}\n"
                f"volume {fmt_int(f.logical_volume)} logical, {fmt_int(f.physical_volume)} physical "
                f"(ratio {f.padding_ratio:.3f}){tiles}\n"
                f"{fmt_int(f.bytes)} B{per_bank}; memref ")
    body.append_text(Text.from_markup(_memref(e)))
    return Group(head, Padding(body, (0, 0, 0, 2), expand=False))


def render(report: InspectReport, console: Console, max_rows: int = 500) -> None:
    """Print the programs, the ops by name and every tensor's layout figures: a table when it fits the
    width, else one block per tensor under its program."""
    m = report.module
    ops = list(m.all_ops())
    names = Counter(op.name for op in ops)
    head = Text()
    head.append(report.source, style="bold")
    head.append(f" ({report.kind}): {len(m.programs):,} programs, {len(ops):,} ops, "
                f"{len(report.tensors):,} tensors, arch {report.arch.name}")
    console.print(head)
    pt = Table(title="Programs", title_justify="left")
    pt.add_column("program", overflow="fold")  # a long name folds, never "…"
    for c in ("line", "ops", "args"):
        pt.add_column(c, justify="right", no_wrap=True)
    for p in m.programs[:max_rows]:
        pt.add_row(p.name, fmt_int(p.line), fmt_int(sum(1 for _ in p.walk())), str(len(p.args)))
    console.print(pt)
    console.print(Text("Ops by name: ", style="bold") + Text(", ".join(f"{n} ×{c}" for n, c in names.most_common(30))))
    entries = report.tensors[:max_rows]
    table = _tensor_table(entries)
    if fits(console, table):
        console.print(table)
    else:
        console.print(Text("Tensors", style="italic"))
        program = None
        for e in entries:
            if e.program and e.program != program:
                console.print(Text(f"program {e.program}", style="dim"))
            program = e.program
            console.print(_tensor_block(e))
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
