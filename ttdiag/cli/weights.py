"""``ttdiag weights``: expected conv weight layouts (original, grouped, matmul matrix, depthwise sticks)."""

from __future__ import annotations

import json

import typer

from ._common import EXIT_CLEAN, TextOrJson, fail, stdout


def weights_command(
    groups: int = typer.Option(1, "--groups", "-g", help="Conv groups (must divide --in and --out)."),
    in_channels: int = typer.Option(..., "--in", help="Input channels."),
    out_channels: int = typer.Option(..., "--out", help="Output channels."),
    kernel: str = typer.Option("3x3", "--kernel", "-k", help="Kernel size, KHxKW (e.g. 3x3)."),
    dtype: str = typer.Option("bf16", "--dtype", help="Weight dtype for tile bytes: bf16, f32, bfp8, bfp4."),
    format: TextOrJson = typer.Option(TextOrJson.text, "--format", "-f", help="Output format."),
) -> None:
    """Print the weight layouts tt-metal builds for a (grouped / depthwise) conv2d, with shapes, 32x32 tile counts, bytes and zero fractions.

    Exit codes: 0 done, 2 bad usage.
    """
    from ..analyze.weights import parse_kernel, weight_layouts

    try:
        report = weight_layouts(groups, in_channels, out_channels, parse_kernel(kernel), dtype.lower())
    except ValueError as e:
        fail(str(e))
    if format is TextOrJson.json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        _render_text(report)
    raise typer.Exit(EXIT_CLEAN)


def _render_text(report) -> None:
    from rich.table import Table

    kh, kw = report.kernel
    con = stdout()
    kind = "depthwise" if report.depthwise else ("grouped" if report.groups > 1 else "dense")
    con.print(f"conv2d weights: {kind}, groups={report.groups}, in={report.in_channels}, "
              f"out={report.out_channels}, kernel={kh}x{kw}, dtype={report.dtype}", highlight=False)
    table = Table(show_edge=False)
    for col, just in (("layout", "left"), ("shape", "left"), ("elements", "right"), ("nonzero", "right"),
                      ("zero fraction", "right"), ("tiles", "right"), ("bytes", "right")):
        table.add_column(col, justify=just)
    for f in report.layouts:
        table.add_row(f.name, "[" + ", ".join(map(str, f.shape)) + "]", f"{f.elements:,}", f"{f.nonzero:,}",
                      f"{f.zero_fraction:.5f}", f"{f.tiles:,}", f"{f.bytes:,}")
    con.print(table)
    con.print(f"expansion factor (grouped / original elements): {report.expansion_factor:g}", highlight=False)
    if report.depthwise:
        con.print("depthwise_stick: the 2-D stick-by-stick layout of a convert_conv_weight_tensor_to_2d_depthwise_"
                  "tiled_layout prototype (one row per kernel position, one column per channel); UNVERIFIED "
                  "against any tt-metal release.", highlight=False)
