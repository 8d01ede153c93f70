"""``ttdiag gate`` for the terminal (rich): one status line per log, its failures, the aggregate table
by kind, op and source location, and the verdict."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..analyze.gate import GateResult
from .common import print_records
from .gate_common import aggregate_frame, op_text, verdict

_STATUS = {"passed": ("passed", "green"), "warning": ("WARN  ", "yellow"), "failed": ("FAILED", "bold red"),
           "error": ("ERROR ", "bold yellow")}


def _failure_line(f: dict) -> Text:
    style = "dim" if f["suppressed"] else "red" if f["gating"] else "yellow"
    t = Text("    ")
    t.append(f"line {f['line']:>6}  ", style="dim")
    t.append(f["kind"], style=style)
    if f["suppressed"]:
        t.append(" (suppressed)", style="dim")
    elif not f["gating"]:
        t.append(f" ({f['severity']})", style="yellow")
    t.append(f"  {f['message']}")
    op = op_text(f["op"])
    if op:
        t.append(f"  [op {op}]", style="cyan")
    return t


def _log_line(log: dict) -> Text:
    word, style = _STATUS[log["status"]]
    t = Text()
    t.append(word, style=style)
    t.append(f"  {log['path']}")
    if log["status"] == "error":
        error = log["error"].removeprefix(f"{log['path']}: ")  # errors name their input; say it once
        t.append(f": {error}", style="yellow")
    elif log["failures"]:
        n = len(log["failures"])
        sup = sum(f["suppressed"] for f in log["failures"])
        t.append(f"  ({n} failure{'s' if n != 1 else ''}" + (f", {sup} suppressed" if sup else "") + ")", style="dim")
    return t


def _aggregate(result: GateResult, console: Console, max_rows: int) -> None:
    agg = aggregate_frame(result)
    columns = [(c, "right" if c in ("failures", "suppressed", "logs") else "left") for c in agg.columns]
    rows = [[Text(str(v)) for v in row] for row in agg.head(max_rows).itertuples(index=False)]
    print_records(console, "Failures by kind, op and source location", columns, rows)


def render(result: GateResult, console: Console, max_rows: int = 50) -> None:
    for log in result.logs:
        console.print(_log_line(log))
        for f in log["failures"]:
            console.print(_failure_line(f))
    if any(True for _ in result.failures()):
        _aggregate(result, console, max_rows)
    s = result.summary
    v = verdict(result)
    style = {"passed": "bold green", "failed": "bold red", "error": "bold yellow"}[v]
    warned = f"{s['warnings']:,} with warnings, " if s["warnings"] else ""
    console.print(Text(f"{s['logs']:,} log(s): {s['passed']:,} passed, {warned}{s['failed']:,} failed, {s['errors']:,} "
                       f"unreadable; {s['failures']:,} failure(s), {s['suppressed']:,} suppressed. Gate {v} "
                       f"(fails on {result.fail_on}).", style=style))
