"""``ttdiag inspect FILE``: the op graph and every tensor's layout figures, from a dump or a log."""

from __future__ import annotations

from enum import Enum

import typer

from ._common import EXIT_CLEAN, TextOrJson, echo_pieces, guarded, stdout


class InputKind(str, Enum):
    auto = "auto"
    dump = "dump"
    log = "log"


def inspect_command(
    file: str = typer.Argument(..., help="TTNN MLIR dump or runtime log (plain or .gz); '-' reads stdin."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="Output format."),
    arch: str = typer.Option(None, "--arch", help="Override the arch (default: the dump's system_desc, else wormhole_b0)."),
    kind: InputKind = typer.Option(InputKind.auto, "--kind", help="Treat the input as a dump or a log."),
) -> None:
    """Print the op graph summary and every tensor's logical vs physical layout, with memref checks.

    Exit codes: 0 done (also when memrefs mismatch), 2 bad usage or unreadable input.
    """
    from ..analyze.inspect import inspect_file

    report = guarded(lambda: inspect_file(file, arch, None if kind is InputKind.auto else kind.value))
    if format is TextOrJson.json:
        from ..report.inspect_json import render_pieces

        echo_pieces(render_pieces(report))
    else:
        from ..report.inspect_text import render as render_text

        render_text(report, stdout())
    raise typer.Exit(EXIT_CLEAN)
