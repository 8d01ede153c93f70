"""``ttdiag memory FILE``: per-op L1 accounting (CBs, L1 / L1_SMALL / DRAM buffers, running totals, peaks)."""

from __future__ import annotations

from enum import Enum

import typer

from ._common import EXIT_CLEAN, TextOrJson, echo_pieces, fail, guarded, stdout, write_atomic


class Detail(str, Enum):
    peak = "peak"
    all = "all"
    none = "none"

    def __str__(self) -> str:
        return self.value


def memory_command(
    file: str = typer.Argument(..., help="Graph-capture JSON, ttrt memory_report.json, TT-NN report db.sqlite or a "
                                         "runtime DEBUG log (plain or .gz); '-' reads stdin."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="Output format."),
    top: int = typer.Option(40, "--top", min=1, max=1_000_000, help="Text: how many ops to list (the highest peaks)."),
    detail: Detail = typer.Option(Detail.peak, "--detail",
                                  help="Text: CBs and buffers of the peak op, of every listed op, or none."),
    plot: str = typer.Option(None, "--plot", help="Also write a PNG of L1 per op, stacked (needs matplotlib: "
                                                  "pip install ttdiag\\[plot])."),
) -> None:
    """Per-op CBs and L1 / L1_SMALL / DRAM buffers, running totals, and the peaks by tt-metal's flat accounting and per core.

    Exit codes: 0 done (warnings about malformed records included), 2 bad usage or unreadable input.
    """
    from ..io import check_readable

    guarded(lambda: check_readable(file))
    if plot:
        from ..report.perf_plot import have_matplotlib

        if not have_matplotlib():
            fail("--plot needs matplotlib: pip install ttdiag[plot]")
    if format is TextOrJson.json and not plot:
        from ..report.memory_json import stream_pieces

        guarded(lambda: echo_pieces(stream_pieces(file)))  # ops are written as the input is read
        raise typer.Exit(EXIT_CLEAN)
    from ..analyze.memory import memory_for_file

    report = guarded(lambda: memory_for_file(file, top=None if format is TextOrJson.json else top,
                                             keep_all=bool(plot) or format is TextOrJson.json))
    if plot:
        from ..report.memory_plot import render_png

        write_atomic(plot, guarded(lambda: render_png(report)), [file])
    if format is TextOrJson.json:
        from ..report.memory_json import render_pieces

        echo_pieces(render_pieces(report))
    else:
        from ..report.memory_text import render

        guarded(lambda: render(report, stdout(), top, detail.value))
    raise typer.Exit(EXIT_CLEAN)
