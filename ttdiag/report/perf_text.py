"""``ttdiag perf`` for the terminal (rich): totals, top ops and op codes, layout conversion, convs, --vs."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze.perf import LAYOUT_LABELS, PerfReport
from .common import print_records
from .perf_plot import op_codes_title


def _us(ns: float | None) -> str:
    return "-" if ns is None or ns != ns else f"{ns / 1000:,.1f} µs"


def _known(v: int | tuple[int, ...] | None) -> str:
    """A conv figure: ``?`` when the CSV does not give it, ``3x3`` for a pair."""
    if v is None:
        return "?"
    return "x".join(map(str, v)) if isinstance(v, tuple) else str(v)


def _pct(x: float | None) -> str:
    return "-" if x is None or x != x else f"{x:.1%}"


def render(r: PerfReport, console: Console, top: int = 20) -> None:
    total = r.total_device_kernel_ns
    head = Text()
    head.append(r.source, style="bold")
    head.append(f": {r.rows:,} rows ({r.device_rows:,} device ops, {r.signposts:,} signposts, "
                f"{r.python_fallback:,} host fallbacks); header {r.csv_variant}")
    console.print(head)
    console.print(f"device kernel time {_us(total)}; device FW time {_us(r.device_fw_ns)}; host time {_us(r.host_ns)}"
                  f" (of which host fallbacks {_us(r.fallback_host_ns)}); op-to-op gaps {_us(r.op_to_op_gap_ns)}"
                  f" (largest {_us(r.max_op_to_op_gap_ns)})", highlight=False)

    codes = r.by_op_code.head(top)
    print_records(console, op_codes_title(len(codes), len(r.by_op_code)),
                  [("op code", "left"), ("count", "right"), ("device kernel", "right"), ("share", "right")],
                  [[Text(x.op_code), f"{x.count:,}", _us(x.device_kernel_ns), _pct(x.share)]
                   for x in codes.itertuples()])

    ops = r.ops.sort_values(["device_kernel_ns", "row"], ascending=[False, True], kind="stable").head(top)
    shown = "all" if len(ops) == len(r.ops) else f"top {len(ops):,} of"
    print_records(console, f"Ops by device kernel time: {shown} {len(r.ops):,}",
                  [("op code", "left"), ("row", "right"), ("line", "right"), ("device", "right"),
                   ("device kernel", "right"), ("share", "right"), ("category", "left")],
                  [[Text(x.op_code), str(x.row), f"{x.line:,}",
                    "-" if x.device_id != x.device_id else str(int(x.device_id)), _us(x.device_kernel_ns),
                    _pct(x.share), LAYOUT_LABELS.get(x.category, x.category)] for x in ops.itertuples()])

    if len(r.devices) > 1:
        t = Table(title="Per device", title_justify="left")
        for c in ("device", "ops", "device kernel", "op-to-op gaps", "share"):
            t.add_column(c, justify="right")
        for x in r.devices.itertuples():
            t.add_row(str(x.device_id) if x.device_id >= 0 else "-", f"{x.ops:,}", _us(x.device_kernel_ns),
                      _us(x.op_to_op_gap_ns), _pct(x.share))
        console.print(t)

    lay = Text()
    lay.append(f"Layout conversion: {_pct(r.layout_conversion_share)} of device time "
               f"({_us(r.layout_conversion_ns)}); compute and other ops {_us(r.compute_ns)}", style="bold")
    console.print(lay)
    parts = [f"{LAYOUT_LABELS[k]} {_us(v)} ({_pct(v / total if total else 0.0)})" for k, v in r.layout_ns.items() if v]
    if parts:
        console.print("  " + "; ".join(parts), highlight=False)

    if r.convs:
        shown = sorted(r.convs, key=lambda c: -c.device_kernel_ns)[:max(top, 1)]
        rows = []
        for c in shown:
            ihw = c.input_hw or (None, None)
            rows.append([Text(f"{c.row}"), Text(c.op_code),
                         "×".join(_known(v) for v in (c.batch, *ihw, c.in_channels)),
                         _known(c.out_channels), "/".join(_known(p) for p in (c.kernel, c.stride, c.dilation)),
                         "-" if c.groups is None else str(c.groups),
                         Text(c.groups_source, style="yellow" if c.groups_source == "suspected" else ""),
                         _us(c.device_kernel_ns),
                         "-" if c.executed_macs is None else f"{c.executed_macs:,}",
                         "-" if c.useful_macs is None else f"{c.useful_macs:,}", _us(c.ideal_ns)])
        print_records(console, f"Convs ({len(r.convs)})",
                      [("row", "right"), ("op code", "left"), ("N×H×W×C_in", "left"), ("C_out", "right"),
                       ("k/s/d", "left"), ("groups", "right"), ("groups from", "left"), ("device kernel", "right"),
                       ("executed MACs", "right"), ("useful MACs", "right"), ("ideal", "right")], rows, head=2)
        if len(r.convs) > len(shown):
            console.print(Text(f"({len(r.convs) - len(shown):,} more convs; use --format json for all)", style="dim"))
        for label, sources in (("confirmed", ("attributes", "ir")), ("suspected", ("suspected",))):
            w = r.waste(sources)
            if w["convs"]:
                style = "bold red" if label == "confirmed" else "yellow"
                extra = ("" if label == "confirmed" else
                         " — an upper bound: dense C→C convs have the same text; pass --ir dump.mlir to confirm")
                console.print(Text(
                    f"Grouped/depthwise convs ({label}): {w['convs']} take {_us(w['device_kernel_ns'])}; at the same "
                    f"MAC rate the useful MACs need {_us(w['ideal_ns'])}, so {_us(w['wasted_ns'])} "
                    f"({_pct(w['wasted_share_of_total'])} of device time) multiply expanded zeros{extra}", style=style))

    if r.vs is not None:
        v = r.vs
        console.print(Text(f"vs {v.other}: {_us(v.total_ns)} here vs {_us(v.other_total_ns)} there; speedup "
                           f"{'-' if v.speedup is None else f'{v.speedup:.3f}x'} (> 1: this run is faster)",
                           style="bold"))
        print_records(console, None,
                      [("op code", "left"), ("count", "right"), ("other count", "right"), ("device kernel", "right"),
                       ("other", "right"), ("speedup", "right")],
                      [[Text(x.op_code), f"{x.count:,}", f"{x.other_count:,}", _us(x.device_kernel_ns),
                        _us(x.other_device_kernel_ns),
                        "-" if x.speedup is None or x.speedup != x.speedup else f"{x.speedup:.3f}x"]
                       for x in v.by_op_code.head(top).itertuples()])
    for w in r.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
