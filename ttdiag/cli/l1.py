"""``ttdiag l1 FILE``: predicted circular-buffer L1 demand of every op, riskiest first."""

from __future__ import annotations

from enum import Enum

import typer

from ._common import EXIT_CLEAN, EXIT_FAILURES, echo_pieces, guarded, stdout


class L1Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"

    def __str__(self) -> str:
        return self.value


def l1_command(
    file: str = typer.Argument(..., help="TTNN MLIR dump or runtime log (plain or .gz); '-' reads stdin."),
    format: L1Format = typer.Option(L1Format.text, "--format", "-f", help="Output format."),
    threshold: float = typer.Option(0.9, "--threshold", min=0.0, max=10.0,
                                    help="Flag ops whose CB region reaches this fraction of the L1 limit."),
    arch: str = typer.Option(None, "--arch", help="Override the arch (default: the dump's system_desc, else the arch a ttdiag "
                                                  "repro recorded, else wormhole_b0)."),
    era: str = typer.Option(None, "--era", help="tt-metal era: 2025-12 or 2026-02 (default: from the input, else latest)."),
    l1_unreserved_base: int = typer.Option(None, "--l1-unreserved-base", min=0,
                                           help="Where the CB region starts, in bytes (default: system_desc, else arch)."),
    against: str = typer.Option(None, "--against", metavar="CAPTURE",
                                help="A graph capture or TT-NN report db.sqlite of a run of this module: compare each "
                                     "captured device program's CBs with the prediction; agreeing ops are validated."),
) -> None:
    """Predict every op's per-core circular-buffer region and whether it fits in L1.

    Exit codes: 0 no op predicted to overflow, 1 at least one op predicted to overflow, 2 bad usage or unreadable input.
    """
    from ..analyze.l1.run import l1_for_file

    report = guarded(lambda: l1_for_file(file, arch, era, l1_unreserved_base, against=against))
    if format is L1Format.json:
        from ..report.l1_json import render_pieces

        echo_pieces(render_pieces(report, threshold))
    elif format is L1Format.csv:
        from ..report.l1_text import render_csv

        typer.echo(render_csv(report, threshold), nl=False)
    else:
        from ..report.l1_text import render as render_text

        render_text(report, stdout(), threshold)
    overflow = any(not r.fits(report.ctx) for r in report.ops)
    raise typer.Exit(EXIT_FAILURES if overflow else EXIT_CLEAN)
