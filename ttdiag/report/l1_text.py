"""``ttdiag l1`` for the terminal (rich) and as CSV: every op's CB demand, riskiest first."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analyze.l1.run import L1Report
from .common import fits, print_records
from .l1_common import l1_frame


def render_csv(report: L1Report, threshold: float) -> str:
    """The L1 table as CSV, one row per op, riskiest first."""
    df = l1_frame(report.ops, report.ctx, threshold)
    return df.to_csv(index=False)


def _verdict(row) -> Text:
    if not row["fits"]:
        return Text("OVERFLOW" + ("" if row["confidence"] == "read-factory" else " (estimate)"), style="red")
    return Text("at risk", style="yellow") if row["at_risk"] else Text("fits")


def confidence_label(row) -> str:
    """The three states: ``validated`` (agrees with a record of a real run), ``read-factory`` (transcribed
    from tt-metal's source, not checked against a run), ``estimate``."""
    if row["validated"]:
        return "validated"
    return "read-factory" if row["confidence"] == "read-factory" else "estimate"


def _figures(row) -> dict[str, str]:
    core = row["worst_core"]
    no_cbs = row["cores"] == 0
    return {
        "op": f"{row['op']} {row['name']}".strip(),
        "conf": confidence_label(row),
        "core": f"({core[0]},{core[1]})" if core else "-",
        "cores": f"{row['cores']:,}",
        "end": "no CBs" if no_cbs else f"{row['cb_region_end_bytes']:,} B",
        "of_limit": "-" if no_cbs else f"{row['fraction_of_limit']:.1%}",
        "tensors": f"{row['l1_tensor_bytes_per_bank']:,} B",
        "headroom": f"{row['headroom_bytes']:,} B",
    }


def _table(rows) -> Table:
    """One line per op (the form for wide terminals and pipes)."""
    t = Table(title_justify="left")
    for c, j in (("op", "left"), ("name", "left"), ("program", "left"), ("line", "right"), ("factory", "left"),
                 ("conf.", "left"), ("worst core", "left"), ("cores", "right"), ("CB region end", "right"),
                 ("of limit", "right"), ("L1 tensors/bank", "right"), ("headroom", "right"), ("verdict", "left")):
        t.add_column(c, justify=j)
    for row in rows:
        f = _figures(row)
        t.add_row(str(row["op"]), row["name"], str(row["program"]), f"{row['line']:,}", row["factory"], f["conf"],
                  f["core"], f["cores"], f["end"], f["of_limit"], f["tensors"], f["headroom"], _verdict(row))
    return t


def _stacked(row) -> Group:
    """One op as a heading and indented lines (the form for narrow terminals)."""
    f = _figures(row)
    head = Text(f["op"] + "  ", style="bold")
    head.append_text(_verdict(row))  # the verdict before the place: a long program name wraps after it
    where = f"{row['program']}, line {row['line']:,}" if row["program"] else f"line {row['line']:,}"
    head.append(f"  {where}", style="dim")
    if row["cores"] == 0:
        body = Text(f"no CBs; L1 tensors/bank {f['tensors']}, headroom {f['headroom']}")
    else:
        conf = f["conf"]
        cores = f"{f['cores']} core{'' if row['cores'] == 1 else 's'}"
        body = Text(f"CB region end {f['end']}, {f['of_limit']} of the limit; worst core {f['core']}, {cores}\n"
                    f"L1 tensors/bank {f['tensors']}, headroom {f['headroom']}\n"
                    f"factory {row['factory']} ({conf})")
    return Group(head, Padding(body, (0, 0, 0, 2), expand=False))


def render(report: L1Report, console: Console, threshold: float, max_rows: int = 200) -> None:
    """Print the L1 prediction of every op, riskiest first: a table when it fits the width, else one
    block per op."""
    ctx = report.ctx
    df = l1_frame(report.ops, ctx, threshold)
    head = Text()
    head.append(report.source, style="bold")
    head.append(f": {len(df):,} ops; {ctx.arch.name}, L1 limit {ctx.l1_limit:,} B, CB region from "
                f"{ctx.l1_unreserved_base:,} B; tt-metal era {ctx.era.name} ({report.era_reason})")
    console.print(head)
    rows = [row for _, row in df.head(max_rows).iterrows()]
    table = _table(rows)
    if fits(console, table):
        console.print(table)
    else:
        for row in rows:
            console.print(_stacked(row))
    over = int((~df["fits"]).sum()) if not df.empty else 0
    risk = int(df["at_risk"].sum()) if not df.empty else 0
    console.print(Text(f"{over:,} op(s) predicted to overflow L1; {risk:,} at or above {threshold:.0%} of the limit.",
                       style="bold red" if over else "bold green"))
    if len(df) > max_rows:
        console.print(Text(f"({len(df) - max_rows:,} more ops; use --format json or csv for all)", style="dim"))
    if report.against is not None:
        render_against(report.against, console)
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))


def _op_label(r) -> str:
    return f"{r.op_id} {r.op_name}".strip() if r.op_id else f"{r.op_name} (line {r.line:,})"


def _rec_label(r) -> str:
    oid = f" (operation {r.operation_id})" if r.operation_id is not None else ""
    return f"#{r.index} {r.name}{oid}"


def _verdict_text(p) -> Text:
    if p.agree:
        return Text("validated", style="green")
    return Text(p.reason, style="yellow" if p.program is None or p.shapes_agree is False else "red")


def render_against(a, console: Console, max_pairs: int = 20) -> None:
    """``--against``: one line per matched op (predicted vs recorded static CB bytes per core), then each
    op's CBs, disagreements first; what is matched on neither side is listed."""
    head = Text(f"Against {a.kind} {a.source}: ", style="bold")
    head.append(f"{a.agree:,} of {a.total:,} matched op(s) agree (static CBs per core)",
                style="bold green" if a.total and a.agree == a.total else "bold red" if a.total else "bold")
    console.print(head)
    if a.matched:
        rows = [[_op_label(p.op), _rec_label(p.record),
                 f"{p.program.name} node {p.program.node}" if p.program else "-",
                 f"{p.predicted_static:,} B", "-" if p.program is None else f"{p.recorded_static:,} B",
                 "-" if p.program is None else f"{p.delta:+,} B", _verdict_text(p)] for p in a.matched]
        print_records(console, None, [("op", "left"), ("recorded", "left"), ("device program", "left"),
                                      ("predicted", "right"), ("recorded", "right"), ("delta", "right"),
                                      ("verdict", "left")], rows, head=2)
    shown = sorted(a.matched, key=lambda p: p.agree)[:max_pairs]
    for p in shown:
        console.print(Text(f"{_op_label(p.op)} vs {_rec_label(p.record)}", style="bold"))
        how = f"matched by {p.matched_by}; program: {p.program_choice}"
        if p.program is not None:
            rc = "?" if p.recorded_cores is None else f"{p.recorded_cores:,}"
            how += f"; cores {p.predicted_cores:,} predicted, {rc} recorded"
        console.print(Padding(Text(how, style="dim"), (0, 0, 0, 2), expand=False))
        if p.program is None or not p.cbs:
            continue
        rows = []
        for c in p.cbs:
            name = f"c_{c.predicted.index} {c.predicted.name}".strip() if c.predicted else "(none predicted)"
            if c.tensor_backed:
                name += " *"
            rows.append([name, f"{c.predicted.bytes:,} B" if c.predicted else "-",
                         str(c.recorded.node) if c.recorded else "-",
                         f"{c.recorded.bytes:,} B" if c.recorded else "-",
                         Text(f"{c.delta:+,} B", style="" if c.delta == 0 else "red")])
        print_records(console, None, [("CB", "left"), ("predicted", "right"), ("node", "right"),
                                      ("recorded", "right"), ("delta", "right")], rows)
        if any(c.tensor_backed for c in p.cbs):
            console.print(Padding(Text("* tensor-backed: in a tensor's buffer, not the static CB region",
                                       style="dim"), (0, 0, 0, 2), expand=False))
    if len(a.matched) > len(shown):
        console.print(Text(f"({len(a.matched) - len(shown):,} more matched ops; --format json lists every CB)",
                           style="dim"))
    if a.unmatched_ir:
        console.print(Text(f"Not in the {a.kind} ({len(a.unmatched_ir):,}): "
                           + ", ".join(_op_label(r) for r in a.unmatched_ir[:30])
                           + (" ..." if len(a.unmatched_ir) > 30 else ""), style="yellow"))
    if a.unmatched_records:
        console.print(Text(f"Recorded, not in the IR ({len(a.unmatched_records):,}): "
                           + ", ".join(_rec_label(r) for r in a.unmatched_records[:30])
                           + (" ..." if len(a.unmatched_records) > 30 else ""), style="yellow"))
    if a.ir_without_program or a.records_without_program:
        console.print(Text(f"Not compared: {a.ir_without_program:,} IR op(s) predicted to run no device program, "
                           f"{a.records_without_program:,} recorded op(s) that ran none.", style="dim"))
    for w in a.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
