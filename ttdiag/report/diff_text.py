"""``ttdiag diff`` for the terminal (rich, side by side) and as a unified diff of the aligned ops."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.diff import AlignedOp, DiffResult
from ..ir.graph import Op
from ..ir.printer import print_op

_STYLE = {"equal": "", "changed": "yellow", "added": "green", "removed": "red", "not-executed": "dim"}


def _cell(op: Op | None) -> str:
    return "" if op is None else f"{op.id or ''} {op.name}  [dim](line {op.line})[/dim]".strip()


def render(r: DiffResult, console: Console, context: int = 6) -> None:
    for label, s in (("A", r.a), ("B", r.b)):
        outcome = (Text("n/a (a dump never ran)", style="dim") if s.outcome is None else
                   Text(s.outcome, style="green" if s.outcome == "passed" else "bold red"))
        console.print(Text(f"{label}: {s.path} ({s.kind}): ", style="bold") + outcome)
    console.print(Text(r.verdict, style="bold"))
    for u in r.upstream:
        console.print(Text("upstream: " + u, style="cyan"))
    rows = r.aligned
    if r.first_divergence is not None:
        k = rows.index(r.first_divergence)
        rows = rows[max(0, k - context):k + context + 1]
    else:
        # identical where both ran: centre on the op where one side stopped
        interesting = [i for i, x in enumerate(rows) if x.status == "not-executed"] or \
            [i for i, x in enumerate(rows) if x.status != "equal"]
        if interesting:
            k = interesting[0]
            rows = rows[max(0, k - context):k + context]
        else:
            rows = rows[-2 * context:]
    t = Table(title=f"aligned ops ({len(r.aligned):,} in all; around the first difference)", title_justify="left")
    t.add_column("A")
    t.add_column("B")
    t.add_column("status")
    for x in rows:
        st = _STYLE[x.status]
        status = x.status + (f": {x.field}: {x.detail}" if x.field else f" ({x.detail})" if x.detail else "")
        t.add_row(_cell(x.a), _cell(x.b), f"[{st}]{status}[/{st}]" if st else status)
    console.print(t)


def _text(x: AlignedOp, side: str) -> str | None:
    op = x.a if side == "a" else x.b
    if op is None:
        return None
    line = print_op(op)
    return line.split(" loc(")[0] + "\n"


def render_unified(r: DiffResult) -> str:
    """A unified diff of the aligned ops (locations dropped), A as ``---`` and B as ``+++``."""
    a_lines = [t for t in (_text(x, "a") for x in r.aligned) if t]
    b_lines = [t for t in (_text(x, "b") for x in r.aligned) if t]
    return "".join(difflib.unified_diff(a_lines, b_lines, fromfile=r.a.path, tofile=r.b.path))
