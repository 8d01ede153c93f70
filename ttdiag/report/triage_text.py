"""Triage report for the terminal (rich): the failure, the op, its layouts, the figures behind it."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..analyze.triage import FailureReport, TriageReport
from .common import fmt_figure, fmt_int, fmt_shape

_KIND_STYLE = {"warning": "yellow", "error": "bold red"}


def _layout_table(fr: FailureReport) -> Table | None:
    if not fr.tensors:
        return None
    t = Table(title="Layouts of the failing op", title_justify="left", show_lines=False, expand=False)
    for col, just in (("role", "left"), ("value", "left"), ("logical shape", "left"), ("layout", "left"),
                      ("padded shape", "left"), ("physical 2-D", "left"), ("logical vol", "right"),
                      ("physical vol", "right"), ("ratio", "right"), ("tiles", "right"), ("bytes", "right"),
                      ("per bank", "right"), ("memref", "left")):
        t.add_column(col, justify=just, no_wrap=col in ("value", "ratio"))
    for tr in fr.tensors:
        fig = tr.figures
        lay = tr.type.layout
        layout = "?" if lay is None else " ".join(x for x in (
            "tile" if lay.is_tiled else "row_major", lay.dtype, lay.buffer_type or "", lay.memory_layout or "",
            "x".join(map(str, lay.grid)) if lay.grid else "") if x)
        if fig is None:
            t.add_row(tr.role, tr.value, fmt_shape(tr.type.shape), layout, *["-"] * 9)
            continue
        mem = "-" if fig.memref_matches is None else ("ok " if fig.memref_matches else "MISMATCH ") + \
            "x".join(map(str, fig.memref_declared or ()))
        t.add_row(
            tr.role, tr.value, fmt_shape(fig.logical_shape), layout, fmt_shape(fig.padded_shape),
            fmt_shape(fig.physical_shape), fmt_int(fig.logical_volume), fmt_int(fig.physical_volume),
            f"{fig.padding_ratio:.3f}", "-" if fig.tiles is None else fmt_int(fig.tiles), fmt_int(fig.bytes),
            "-" if fig.bytes_per_bank is None else fmt_int(fig.bytes_per_bank), mem,
        )
    return t


def _advice_text(i: int, a) -> Text:
    v = a.verification
    t = Text(f"\nAdvice {i}: ", style="bold green")
    t.append(a.title, style="bold")
    t.append(f"  [{a.rule}]", style="dim")
    for e in a.evidence:
        t.append("\n  evidence: " + e)
    pred = a.predicted
    if pred.get("worst_cb_region_end_bytes"):
        t.append(f"\n  predicted: CB region up to {pred['worst_cb_region_end_bytes']:,} B of "
                 f"{pred['l1_limit_bytes']:,} B: " + ("fits" if pred.get("fits") else "OVERFLOWS"),
                 style="green" if pred.get("fits") else "red")
        if "chunks" in pred:
            t.append(f" ({pred['chunks']} chunks)")
    verdict = v.status
    if v.status in ("approx", "failed") and v.pcc is not None:
        verdict += f": PCC {v.pcc:.6f}, max abs {v.max_abs_error:.4g}, max rel {v.max_rel_error:.4g}"
    t.append(f"\n  verification: {verdict}" + (f" (seed {v.inputs_seed})" if v.inputs_seed is not None else "")
             + (f" — {v.detail}" if v.detail else ""),
             style="green" if v.status == "exact" else "yellow" if v.status == "approx" else "dim")
    for n in a.notes:
        t.append("\n  note: " + n, style="dim")
    if a.rewrite:
        lines = a.rewrite.splitlines()
        t.append("\n  rewrite:\n    " + "\n    ".join(x[:220] for x in lines[:8]), style="cyan")
    return t


def _failure_panel(i: int, fr: FailureReport) -> Panel:
    f = fr.failure
    parts: list = []
    head = Text()
    head.append(f.message + "\n", style="bold")  # the cause first
    head.append(f"{f.kind}", style=_KIND_STYLE.get(f.severity, "bold"))
    head.append(f"  {f.severity}, line {f.line:,}", style="dim")
    head.append(f"\ncomponent {fr.component}", style="dim")
    if fr.component_evidence:
        where = f", line {fr.component_line:,}" if fr.component_line else ""
        head.append(f" ({fr.component_evidence}{where})", style="dim")
    parts.append(head)
    shown = {k: v for k, v in f.figures.items() if v is not None}  # never print a None figure
    if shown:
        ft = Table(show_header=False, box=None, pad_edge=False)
        ft.add_column(style="cyan", no_wrap=True)
        ft.add_column(overflow="fold")
        for k, v in shown.items():
            ft.add_row(k, fmt_figure(k, v))
        parts.append(ft)
    loc = fr.localization
    if loc is not None:
        rec = loc.failing.record
        op = loc.failing.op
        ot = Text("\nFailing op: ", style="bold")
        if op is not None:
            ot.append(f"{op.id or ''} {op.name}".strip(), style="bold magenta")
        else:
            ot.append(f"{(rec.result_ids or [''])[0]} {rec.name or '?'}".strip(), style="bold magenta")
        ot.append(f"  program {loc.failing.program!r}, line {rec.line:,}")
        if loc.failing.parse_error:
            ot.append(f"\n  ({loc.failing.parse_error})", style="yellow")
        if op is not None and op.loc is not None:
            py = op.loc.py
            if py is not None:
                ot.append("\n  module ", style="dim")
                ot.append(py.module_path or "-")
                if py.source_file:
                    ot.append("\n  source ", style="dim")
                    ot.append(f"{py.source_file}:{py.source_line}")
                ot.append("\n  op     ", style="dim")
                ot.append(f"{py.aten_op or py.op_name}")
                if py.suffix:
                    ot.append(f"  (lowering suffix {py.suffix})", style="yellow")
            else:
                ot.append("\n  loc    ", style="dim")
                ot.append(op.loc.raw[:200])
        parts.append(ot)
        table = _layout_table(fr)
        if table is not None:
            parts.append(table)
        if loc.producers:
            pt = Text("Producers: ", style="bold")
            pt.append(", ".join(
                f"{operand} = {(lo.op.name if lo.op else lo.record.name) or '?'} (line {lo.record.line:,})"
                for operand, lo in loc.producers.items()))
            parts.append(pt)
    elif fr.op_ref is not None:
        r = fr.op_ref
        ot = Text("\nFailing op: ", style="bold")
        ot.append(r.name or f"a {r.family} op", style="bold magenta")
        ot.append(f"  named by a {r.how} ({r.source}), line {r.line:,}")
        if r.factory:
            ot.append("\n  factory ", style="dim")
            ot.append(r.factory)
        ot.append("\n  no 'Executing operation:' line precedes the failure (a release build, or DEBUG logging "
                  "off): the op id is unknown", style="dim")
        parts.append(ot)
        table = _layout_table(fr)
        if table is not None:
            parts.append(table)
    elif f.kind not in ("compile-error",):
        parts.append(Text("\nNo op named: no 'Executing operation:' line, backtrace frame, Python frame or message "
                          "names the failing op.", style="dim"))
    for n in fr.notes:
        parts.append(Text("• " + n))
    for rank, a in enumerate(fr.advice, 1):
        parts.append(_advice_text(rank, a))
    if f.evidence:
        et = Text("Also reported at: ", style="dim")
        et.append(", ".join(f"line {e.line:,} ({e.kind})" for e in f.evidence[:12]), style="dim")
        if len(f.evidence) > 12:
            et.append(f" and {len(f.evidence) - 12:,} more", style="dim")
        parts.append(et)
    return Panel(Group(*parts), title=f"Failure {i}: {f.kind}", title_align="left",
                 border_style="red" if f.severity == "error" else "yellow")


def render(report: TriageReport, console: Console) -> None:
    trace = report.trace

    summary = Text()
    summary.append(f"{report.source}", style="bold")
    summary.append(f": {trace.lines:,} lines, {trace.bytes:,} B, {trace.op_lines:,} op lines, "
                   f"{trace.runs_total:,} program runs ({trace.runs_finished:,} finished)")
    console.print(summary)
    if not report.failures:
        console.print(Text("No failure found.", style="bold green"))
    for i, fr in enumerate(report.failures, 1):
        console.print(_failure_panel(i, fr))
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
