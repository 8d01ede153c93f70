"""``ttdiag diff`` for the terminal (rich, side by side) and as a unified diff of the aligned ops."""

from __future__ import annotations

import difflib

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.diff import AlignedOp, DiffResult
from ..ir.graph import Op
from ..ir.printer import print_op
from .common import fits, label_grid

_STYLE = {"equal": "", "changed": "yellow", "added": "green", "removed": "red", "not-executed": "dim"}


def _op(op: Op | None) -> str:
    return "" if op is None else f"{op.id or ''} {op.name}".strip()


def _line(op: Op | None) -> str:
    return "" if op is None else f"{op.line:,}"


def _status(x: AlignedOp) -> str:
    return x.status + (f": {x.field}: {x.detail}" if x.field else f" ({x.detail})" if x.detail else "")


def render(r: DiffResult, console: Console, context: int = 6) -> None:
    """Print both outcomes, the verdict, and the aligned ops around the first difference."""
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
    title = f"aligned ops ({len(r.aligned):,} in all; around the first difference)"
    table = _table(rows, title)
    if fits(console, table):
        console.print(table)
    else:
        console.print(Text(title, style="italic"))
        console.print(_stacked(rows))


def _table(rows: list[AlignedOp], title: str) -> Table:
    """One line per aligned pair (the form for wide terminals and pipes)."""
    t = Table(title=title, title_justify="left")
    t.add_column("A")
    t.add_column("line", justify="right", style="dim")
    t.add_column("B")
    t.add_column("line", justify="right", style="dim")
    t.add_column("status")
    for x in rows:
        t.add_row(_op(x.a), _line(x.a), _op(x.b), _line(x.b), Text(_status(x), style=_STYLE[x.status]))
    return t


def _stacked(rows: list[AlignedOp]) -> Table:
    """The status, then each side's op on a line of its own (the form for narrow terminals)."""
    out = []
    for x in rows:
        sides = [f"{side} {_op(op)}, line {op.line:,}" for side, op in (("A", x.a), ("B", x.b)) if op is not None]
        detail = f"{x.field}: {x.detail}" if x.field else f"({x.detail})" if x.detail else ""
        out.append((Text(x.status, style=_STYLE[x.status]), Text("\n".join(sides + ([detail] if detail else [])))))
    return label_grid(out, gap=2)


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
