"""``ttdiag replay FILE``: run a program or a slice of one on the numpy reference executor."""

from __future__ import annotations

import json

import typer
from rich.table import Table
from rich.text import Text

from ._common import EXIT_CLEAN, EXIT_FAILURES, TextOrJson, fail, guarded, stdout


def replay_command(
    file: str = typer.Argument(..., help="TTNN MLIR dump or runtime log."),
    program: str = typer.Option(None, "--program", help="Program to run (default: the last 'main', else the first)."),
    ops: str = typer.Option(None, "--ops", help="Inclusive slice of ops by result id, e.g. %5..%12."),
    inputs: str = typer.Option(None, "--inputs", help=".npz of input arrays keyed by SSA name (no pickles)."),
    seed: int = typer.Option(0, "--seed", help="Seed for the random inputs of operands without a value."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="Output format."),
) -> None:
    """Replay ops on the reference executor (bf16 storage, fp32 arithmetic) and report each result's shape, dtype and value statistics.

    Exit codes: 0 every op ran, 1 the replay stopped at an op (unknown or failing), 2 bad usage or input.
    """
    from ..io import check_readable

    guarded(lambda: [check_readable(p) for p in (file, inputs) if p])  # numpy and ml_dtypes take ~1 s to load
    from ..analyze.replay import ReplayError, replay

    def run():
        try:
            return replay(file, program, ops, inputs, seed)
        except ReplayError as e:
            fail(str(e))

    result = guarded(run)
    if format is TextOrJson.json:
        typer.echo(json.dumps({
            "schema": "ttdiag.replay/1", "source": result.source, "program": result.program, "seed": seed,
            "inputs": result.inputs, "stopped": result.stopped,
            "ops": [{"id": s.op_id, "name": s.name, "line": s.line, "results": s.results} for s in result.stats],
        }, indent=2, sort_keys=True))
    else:
        con = stdout()
        con.print(Text(f"{result.source}: program {result.program!r}, {len(result.ops)} ops, seed {seed}", style="bold"))
        t = Table()
        for c in ("op", "name", "line", "shape", "dtype", "min", "max", "mean", "std"):
            t.add_column(c, justify="right" if c in ("line", "min", "max", "mean", "std") else "left")
        for s in result.stats:
            for r in s.results or [{}]:
                stats = ["-" if r.get(k) is None else f"{r[k]:.4g}" for k in ("min", "max", "mean", "std")]
                t.add_row(s.op_id or "", s.name, str(s.line), str(r.get("shape", "")), str(r.get("dtype", "")),
                          *stats)
        con.print(t)
        if result.stopped:
            con.print(Text(f"stopped: {result.stopped}", style="bold red"))
    raise typer.Exit(EXIT_FAILURES if result.stopped else EXIT_CLEAN)
