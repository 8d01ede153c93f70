"""``ttdiag l1`` for the terminal (rich) and as CSV: every op's CB demand, riskiest first."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.l1.run import L1Report
from .l1_common import l1_frame


def render_csv(report: L1Report, threshold: float) -> str:
    df = l1_frame(report.ops, report.ctx, threshold)
    return df.to_csv(index=False)


def render(report: L1Report, console: Console, threshold: float, max_rows: int = 200) -> None:
    ctx = report.ctx
    df = l1_frame(report.ops, ctx, threshold)
    head = Text()
    head.append(report.source, style="bold")
    head.append(f": {len(df):,} ops; {ctx.arch.name}, L1 limit {ctx.l1_limit:,} B, CB region from "
                f"{ctx.l1_unreserved_base:,} B; tt-metal era {ctx.era.name} ({report.era_reason})")
    console.print(head)
    t = Table(title_justify="left")
    for c, j in (("op", "left"), ("name", "left"), ("program", "left"), ("line", "right"), ("factory", "left"),
                 ("conf.", "left"), ("worst core", "left"), ("cores", "right"), ("CB region end", "right"),
                 ("of limit", "right"), ("L1 tensors/bank", "right"), ("headroom", "right"), ("", "left")):
        t.add_column(c, justify=j)
    for _, row in df.head(max_rows).iterrows():
        est = row["confidence"] != "exact-model"
        flag = (f"[red]OVERFLOW{' (estimate)' if est else ''}[/red]" if not row["fits"]
                else "[yellow]at risk[/yellow]" if row["at_risk"] else "")
        core = row["worst_core"]
        no_cbs = row["cores"] == 0
        t.add_row(str(row["op"]), row["name"], str(row["program"]), f"{row['line']:,}", row["factory"],
                  "exact" if row["confidence"] == "exact-model" else "est.",
                  f"({core[0]},{core[1]})" if core else "-", f"{row['cores']:,}",
                  "no CBs" if no_cbs else f"{row['cb_region_end_bytes']:,} B",
                  "-" if no_cbs else f"{row['fraction_of_limit']:.1%}",
                  f"{row['l1_tensor_bytes_per_bank']:,} B", f"{row['headroom_bytes']:,} B", flag)
    console.print(t)
    over = int((~df["fits"]).sum()) if not df.empty else 0
    risk = int(df["at_risk"].sum()) if not df.empty else 0
    console.print(Text(f"{over:,} op(s) predicted to overflow L1; {risk:,} at or above {threshold:.0%} of the limit.",
                       style="bold red" if over else "bold green"))
    if len(df) > max_rows:
        console.print(Text(f"({len(df) - max_rows:,} more ops; use --format json or csv for all)", style="dim"))
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
