"""``ttdiag diff A B``: compare a passing and a failing run (logs or dumps, any mix)."""

from __future__ import annotations

from enum import Enum

import typer

from ._common import EXIT_CLEAN, EXIT_FAILURES, guarded, stdout


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    diff = "diff"

    def __str__(self) -> str:
        return self.value


def diff_command(
    a: str = typer.Argument(..., help="First log or dump (e.g. the passing run)."),
    b: str = typer.Argument(..., help="Second log or dump (e.g. the failing run)."),
    format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Align two runs op by op (by name, operand structure and types, not SSA numbers); report the first divergence, each side's outcome, and what differs upstream when the IR is identical.

    Exit codes: 0 the IR is identical and the outcomes agree (a dump has no outcome: only its IR counts), 1 they differ, 2 bad usage or input.
    """
    from ..analyze.diff import diff

    r = guarded(lambda: diff(a, b))
    if format is DiffFormat.json:
        from ..report.diff_json import render

        typer.echo(render(r))
    elif format is DiffFormat.diff:
        from ..report.diff_text import render_unified

        typer.echo(render_unified(r), nl=False)
    else:
        from ..report.diff_text import render as render_text

        render_text(r, stdout())
    same = r.ir_identical and r.outcomes_agree and not r.upstream
    raise typer.Exit(EXIT_CLEAN if same else EXIT_FAILURES)
