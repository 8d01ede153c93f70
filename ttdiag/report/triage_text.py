"""Triage report for the terminal (rich): the failure, the op, its layouts, the figures behind it.

Every part fits the console's width: key/value grids fold long values (paths, locs) instead of cutting
them, the layout table is transposed (one column per tensor, split into several tables when the tensors
do not fit side by side), and rewrites print in full as MLIR code that wraps at spaces, so what is copied
from the terminal still parses.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..analyze.triage import FailureReport, TensorReport, TriageReport
from .common import dump_search_lines, fmt_figure, fmt_int, fmt_shape, l1_at_failure_rows, label_grid, mlir_syntax

_KIND_STYLE = {"warning": "yellow", "error": "bold red"}
_ROWS = ("logical shape", "layout", "padded shape", "physical 2-D", "logical vol", "physical vol", "ratio",
         "tiles", "bytes", "per bank", "memref")


def _indent(renderable: RenderableType, n: int = 2) -> Padding:
    return Padding(renderable, (0, 0, 0, n), expand=False)


def _grid(rows: list[tuple[str, Text | str]], key_style: str = "dim") -> Table:
    return label_grid(rows, key_style)


def _bullets(items: list[str]) -> Table:
    return label_grid([("•", n) for n in items])


def _tensor_values(tr: TensorReport) -> list[str]:
    """One tensor's values in the order of ``_ROWS``."""
    fig = tr.figures
    lay = tr.type.layout
    layout = "?" if lay is None else " ".join(x for x in (
        "tile" if lay.is_tiled else "row_major", lay.dtype, lay.buffer_type or "", lay.memory_layout or "",
        "x".join(map(str, lay.grid)) if lay.grid else "") if x)
    if fig is None:
        return [fmt_shape(tr.type.shape), layout] + ["-"] * (len(_ROWS) - 2)
    mem = "-" if fig.memref_matches is None else ("ok " if fig.memref_matches else "MISMATCH ") + \
        "x".join(map(str, fig.memref_declared or ()))
    return [fmt_shape(fig.logical_shape), layout, fmt_shape(fig.padded_shape), fmt_shape(fig.physical_shape),
            fmt_int(fig.logical_volume), fmt_int(fig.physical_volume), f"{fig.padding_ratio:.3f}",
            "-" if fig.tiles is None else fmt_int(fig.tiles), fmt_int(fig.bytes) + " B",
            "-" if fig.bytes_per_bank is None else fmt_int(fig.bytes_per_bank) + " B", mem]


def _layout_tables(fr: FailureReport, width: int) -> list[Table]:
    """The failing op's tensors side by side, one column each, as many per table as the width allows.

    rich narrows the widest columns first, evenly, so a table keeps every shape and figure on one line
    when each of its columns can have the longest of them (plus a column of slack for rounding); the
    layout words wrap.
    """
    if not fr.tensors:
        return []
    cols = []
    for tr in fr.tensors:
        values = _tensor_values(tr)
        head = f"{tr.role} {tr.value}"
        need = max(len(head), *(len(v) for i, v in enumerate(values) if i != 1), *map(len, values[1].split()))
        cols.append((head, values, need))
    label = max(map(len, _ROWS))

    def table_width(chunk: list) -> int:  # borders and padding: 1 + 3 per column
        return 1 + label + 3 + len(chunk) * (max(need for *_, need in chunk) + 1 + 3)

    chunks: list[list] = [[]]
    for col in cols:
        if chunks[-1] and table_width(chunks[-1] + [col]) > width:
            chunks.append([])
        chunks[-1].append(col)
    tables = []
    for k, chunk in enumerate(chunks):
        title = "Layouts of the failing op" + (f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else "")
        t = Table(title=title, title_justify="left")
        t.add_column("", style="cyan", no_wrap=True)
        for head, _, _ in chunk:
            t.add_column(head, overflow="fold")
        for i, name in enumerate(_ROWS):
            t.add_row(name, *(values[i] for _, values, _ in chunk))
        tables.append(t)
    return tables


def verdict_text(v) -> str:
    """One line: status, error figures against the threshold, seed, and what was compared."""
    out = v.status
    if v.status in ("approx", "failed") and v.pcc is not None:
        out += (f": PCC {v.pcc:.6f}" + (f" (threshold {v.threshold})" if v.threshold is not None else "")
                + f", max abs {v.max_abs_error:.4g}, max rel {v.max_rel_error:.4g}")
    out += f" (seed {v.inputs_seed})" if v.inputs_seed is not None else ""
    return out + (f" — {v.detail}" if v.detail else "")


def _advice(i: int, a, width: int) -> Group:
    v = a.verification
    head = Text(f"\nAdvice {i}: ", style="bold green")
    head.append(a.title, style="bold")
    head.append(f"  [{a.rule}]", style="dim")
    rows: list[tuple[str, Text | str]] = [("evidence", e) for e in a.evidence]
    for x in a.assumptions:
        t = Text(x.claim)
        t.append(f" [{x.source}]", style="yellow" if x.kind == "guess" else "dim")
        rows.append(("guess" if x.kind == "guess" else "assumes", t))
    pred = a.predicted
    if pred.get("worst_cb_region_end_bytes"):
        p = Text(f"CB region up to {pred['worst_cb_region_end_bytes']:,} B of {pred['l1_limit_bytes']:,} B: "
                 + ("fits" if pred.get("fits") else "OVERFLOWS"), style="green" if pred.get("fits") else "red")
        if "chunks" in pred:
            p.append(f" ({pred['chunks']} chunks)")
        if pred.get("era"):
            p.append(f" (tt-metal era {pred['era']}, CB base {pred['l1_unreserved_base_bytes']:,} B)", style="dim")
        rows.append(("predicted", p))
    rows.append(("verification", Text(verdict_text(v), style="green" if v.status == "exact" else
                                      "yellow" if v.status == "approx" else
                                      "red" if v.status == "failed" else "dim")))
    if v.instance and v.instance.get("reduced"):
        rows.append(("instance", Text(v.instance.get("how", ""), style="dim")))
    rows += [("note", Text(n, style="dim")) for n in a.notes]
    parts: list[RenderableType] = [head, _indent(_grid(rows))]
    if a.rewrite:
        code = a.rewrite
        lines = code.splitlines()
        if max(map(len, lines)) > width - 4:  # ops wrap: a blank line between two shows where each starts
            code = "\n\n".join(lines)
        parts += [_indent(Text("rewrite:", style="dim")), _indent(mlir_syntax(code), 4)]
    return Group(*parts)


# tt-mlir runtime/include/tt/runtime/detail/common/logger.h: LOG_DEBUG is compiled out unless the runtime is
# built with TT_RUNTIME_DEBUG; program_executor.cpp logs each op before it runs (ttnn-facts.md, tt-mlir logger)
_NAME_THE_OP = (". To name it, re-run with a tt-mlir runtime built with TT_RUNTIME_DEBUG=ON and "
                "TTMLIR_RUNTIME_LOGGER_LEVEL=DEBUG: the last op logged before the failure is the failing op.")


def _name_the_op(fr: FailureReport, trace) -> str:
    """How to get op lines, when the log comes from the tt-mlir runtime (program markers, or tt-mlir / tt-xla /
    tt-torch in the failure's source path); "." otherwise (a ttnn program logs no op lines)."""
    where = f"{fr.failure.figures.get('source_file', '')} {fr.component_evidence}"
    if (trace is not None and trace.programs) or any(s in where for s in ("tt-mlir", "tt-xla", "tt-torch")):
        return _NAME_THE_OP
    return "."


def _failure(i: int, fr: FailureReport, width: int, trace=None) -> list[RenderableType]:
    f = fr.failure
    border = "red" if f.severity == "error" else "yellow"
    parts: list[RenderableType] = [Rule(Text(f"Failure {i}: {f.kind}", style=border), align="left", style=border)]
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
        parts.append(_grid([(k, fmt_figure(k, v)) for k, v in shown.items()], key_style="cyan"))
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
        parts.append(ot)
        if loc.failing.parse_error:
            parts.append(_indent(Text(f"({loc.failing.parse_error})", style="yellow")))
        if op is not None and op.loc is not None:
            py = op.loc.py
            rows: list[tuple[str, Text | str]] = []
            if py is not None:
                rows.append(("module", py.module_path or "-"))
                if py.source_file:
                    rows.append(("source", f"{py.source_file}:{py.source_line}"))
                what = Text(f"{py.aten_op or py.op_name}")
                if py.suffix:
                    what.append(f"  (lowering suffix {py.suffix})", style="yellow")
                rows.append(("op", what))
            else:
                rows.append(("loc", op.loc.raw))
            parts.append(_indent(_grid(rows)))
        parts += _layout_tables(fr, width)
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
        parts.append(ot)
        rows = [("factory", r.factory)] if r.factory else []
        parts.append(_indent(Group(
            *([_grid(rows)] if rows else []),
            Text("no 'Executing operation:' line precedes the failure (a release build, or DEBUG logging off): "
                 "the op id is unknown" + _name_the_op(fr, trace), style="dim"))))
        parts += _layout_tables(fr, width)
    elif f.kind not in ("compile-error",):
        parts.append(Text("\nNo op named: no 'Executing operation:' line, backtrace frame, Python frame or message "
                          "names the failing op" + _name_the_op(fr, trace), style="dim"))
    if fr.dump_search is not None:
        head, lines = dump_search_lines(fr.dump_search)
        parts.append(Text("\n" + head, style="bold" if lines else "yellow"))
        if lines:
            parts.append(_indent(_bullets(lines)))
    if fr.notes:
        parts.append(_bullets(fr.notes))
    if fr.memory is not None:
        parts.append(Text("\nL1 at the failure", style="bold"))
        parts.append(_indent(_grid(l1_at_failure_rows(fr.memory), key_style="cyan")))
        parts.append(_indent(label_grid([("•", Text(n, style="dim")) for n in fr.memory["notes"]])))
    for rank, a in enumerate(fr.advice, 1):
        parts.append(_advice(rank, a, width))
    if f.evidence:
        et = Text("\nAlso reported at: ", style="dim")
        et.append(", ".join(f"line {e.line:,} ({e.kind})" for e in f.evidence[:12]), style="dim")
        if len(f.evidence) > 12:
            et.append(f" and {len(f.evidence) - 12:,} more", style="dim")
        parts.append(et)
    return parts


def render(report: TriageReport, console: Console) -> None:
    """Print the triage report: a summary line, then each failure under a rule of its own."""
    trace = report.trace

    summary = Text()
    summary.append(f"{report.source}", style="bold")
    summary.append(f": {trace.lines:,} lines, {trace.bytes:,} B, {trace.op_lines:,} op lines, "
                   f"{trace.runs_total:,} program runs ({trace.runs_finished:,} finished)")
    console.print(summary)
    if not report.failures:
        console.print(Text("No failure found.", style="bold green"))
    for i, fr in enumerate(report.failures, 1):
        for part in _failure(i, fr, console.width, report.trace):
            console.print(part)
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
