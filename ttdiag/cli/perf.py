"""``ttdiag perf CSV``: where device time goes in a tt-metal ops perf CSV."""

from __future__ import annotations

import typer

from ._common import EXIT_CLEAN, TextOrJson, fail, guarded, stdout, write_atomic


def perf_command(
    csv_file: str = typer.Argument(..., metavar="CSV", help="ops_perf_results*.csv (plain or .gz); '-' reads stdin."),
    vs: str = typer.Option(None, "--vs", help="Another run's CSV: speedup per op code (>1: CSV is faster)."),
    ir: str = typer.Option(None, "--ir", help="TTNN MLIR dump: groups of ttnn.conv2d ops, joined by shape."),
    top: int = typer.Option(20, "--top", min=1, max=100000, help="How many ops / op codes to list."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="Output format."),
    plot: str = typer.Option(None, "--plot", help="Also write a PNG (needs matplotlib: pip install ttdiag\\[plot])."),
) -> None:
    """Per-op and per-op-code device time, layout-conversion share, op-to-op gaps, per device, and the MAC waste of grouped / depthwise convs.

    Exit codes: 0 done, 2 bad usage or unreadable input.
    """
    from ..analyze.perf import analyze_perf

    if plot:
        from ..report.perf_plot import have_matplotlib

        if not have_matplotlib():
            fail("--plot needs matplotlib: pip install ttdiag[plot]")
    report = guarded(lambda: analyze_perf(csv_file, ir=ir, vs=vs))
    if plot:
        from ..report.perf_plot import render_png

        write_atomic(plot, guarded(lambda: render_png(report, top)), [csv_file, vs, ir])
    if format is TextOrJson.json:
        from ..report.perf_json import render

        typer.echo(guarded(lambda: render(report, top)))
    else:
        from ..report.perf_text import render as render_text

        guarded(lambda: render_text(report, stdout(), top))
    raise typer.Exit(EXIT_CLEAN)
