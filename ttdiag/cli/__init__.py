"""The ``ttdiag`` command line (typer). Each command is a thin module: options → analysis → renderer.

Exit codes (README, "Exit codes"): 0 no failure found, 1 failure found, 2 bad usage or an
unreadable input.
"""

from __future__ import annotations

import sys

import typer

from . import diff as _diff
from . import gate as _gate
from . import inspect as _inspect
from . import l1 as _l1
from . import memory as _memory
from . import perf as _perf
from . import replay as _replay
from . import repro as _repro
from . import triage as _triage
from . import weights as _weights

app = typer.Typer(
    name="ttdiag",
    help="Offline diagnostics for Tenstorrent TT-MLIR / TT-NN runtime failures.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("triage")(_triage.triage_command)
app.command("inspect")(_inspect.inspect_command)
app.command("diff")(_diff.diff_command)
app.command("l1")(_l1.l1_command)
app.command("replay")(_replay.replay_command)
app.command("repro")(_repro.repro_command)
app.command("gate")(_gate.gate_command)
app.command("perf")(_perf.perf_command)
app.command("weights")(_weights.weights_command)
app.command("memory")(_memory.memory_command)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True),
) -> None:
    if version:
        from .. import __version__

        typer.echo(f"ttdiag {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)


def main() -> None:
    """Console-script entry point. Click's usage errors exit with 2, as documented."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("interrupted\n")
        sys.exit(130)
