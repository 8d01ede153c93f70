"""``ttdiag gate --format markdown``: a summary for ``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured markdown).

Title with the verdict, pass / fail counts, a table of failures (kind, severity, op, ``log:line``,
message), unreadable logs, and the aggregate by kind, op and source location. Tables are rendered by
rich with its ``MARKDOWN`` box; cell text is escaped (``|``, ``<``, ``*`` ... get a backslash).
"""

from __future__ import annotations

import io
import re

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.gate import GateResult
from .gate_common import aggregate_frame, op_text, verdict

MAX_ROWS = 200  # the step summary is capped at 1 MiB
MAX_CELL = 300
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def escape(text: object) -> str:
    """One table cell: markdown punctuation backslash-escaped, newlines as spaces, at most MAX_CELL chars."""
    s = " ".join(str(text).split())
    if len(s) > MAX_CELL:
        s = s[:MAX_CELL - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", s)


def table(columns: list[str], rows: list[list[object]], right: frozenset[str] = frozenset()) -> str:
    """A GitHub markdown table (rich ``box.MARKDOWN``)."""
    t = Table(box=box.MARKDOWN, show_edge=True, pad_edge=True)
    for c in columns:
        t.add_column(c, justify="right" if c in right else "left", no_wrap=True, overflow="ignore")
    for row in rows:
        t.add_row(*(Text(escape(v)) for v in row))
    console = Console(file=io.StringIO(), width=1_000_000, color_system=None, force_terminal=False,
                      highlight=False, emoji=False, markup=False)
    console.print(t)
    lines = [ln.rstrip() for ln in console.file.getvalue().splitlines()]
    return "\n".join(ln for ln in lines if ln)


def _status(f: dict) -> str:
    return f"{f['severity']} (suppressed)" if f["suppressed"] else f["severity"]


def render(result: GateResult) -> str:
    s = result.summary
    warned = f"**{s['warnings']}** with warnings, " if s["warnings"] else ""
    counts = (f"**{s['logs']}** log(s): **{s['passed']}** passed, {warned}**{s['failed']}** failed, **{s['errors']}** "
              f"unreadable. **{s['failures']}** failure(s), **{s['suppressed']}** suppressed by the baseline; "
              f"the gate fails on `{result.fail_on}` and above.")
    out = [f"## ttdiag gate: {verdict(result)}", "", counts, ""]
    rows = [[f["kind"], _status(f), op_text(f["op"]), f"{log['path']}:{f['line']}", f["message"]]
            for log, f in result.failures()]
    if rows:
        out += ["### Failures", "", table(["kind", "severity", "op", "log:line", "message"], rows[:MAX_ROWS]), ""]
        if len(rows) > MAX_ROWS:
            out += [f"{len(rows) - MAX_ROWS} more failure(s) not listed (see `--format json` or `--export`).", ""]
    errors = [log for log in result.logs if log["status"] == "error"]
    if errors:
        out += ["### Unreadable logs", "", table(["log", "error"], [[log["path"], log["error"]] for log in errors]), ""]
    agg = aggregate_frame(result)
    if not agg.empty:
        cols = list(agg.columns)
        out += ["### Failures by kind, op and source location", "",
                table(cols, agg.head(MAX_ROWS).values.tolist(), frozenset({"failures", "suppressed", "logs"})), ""]
    return "\n".join(out)
