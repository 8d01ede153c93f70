"""``ttdiag repro LOG -o repro.mlir``: a minimal module reproducing the failing op, for bug reports."""

from __future__ import annotations

import typer

from ._common import EXIT_CLEAN, guarded, stderr, write_atomic


def repro_command(
    log: str = typer.Argument(..., help="Runtime log with a failure ('-' for stdin)."),
    output: str = typer.Option(None, "--output", "-o", help="Write the module here (default: stdout)."),
    depth: int = typer.Option(0, "--depth", min=0, max=64, help="Also keep this many levels of producer ops."),
    failure: int = typer.Option(0, "--failure", min=0, help="Which failure (0 = the first)."),
) -> None:
    """Write a minimal TTNN module that reproduces the failing op with its exact types and layouts.

    Exit codes: 0 written, 1 nothing to reproduce (no failure or no executing op), 2 bad usage or input.
    """
    from ..analyze.arch import get_arch
    from ..analyze.repro import ReproError, build_repro
    from ..analyze.triage import triage_trace
    from ..parse.log import read_log

    report = guarded(lambda: triage_trace(read_log(log), get_arch("wormhole_b0")))
    try:
        repro = build_repro(report, depth, failure)
    except ReproError as e:
        stderr().print(f"ttdiag: {e}")
        raise typer.Exit(1) from None
    if output:
        write_atomic(output, repro.text, [log])
        stderr().print(f"wrote {output}: {repro.ops} op(s), failing op {repro.failing_op}")
    else:
        typer.echo(repro.text, nl=False)
    raise typer.Exit(EXIT_CLEAN)
