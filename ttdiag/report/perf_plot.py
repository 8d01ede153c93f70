"""``ttdiag perf --plot out.png``: device time per op code, layout-conversion share, grouped-conv waste.

matplotlib is an optional extra (``pip install ttdiag[plot]``); :func:`have_matplotlib` tells the CLI.
:func:`build_figure` makes the figure (tests look at its axes), :func:`render_png` its PNG bytes.
"""

from __future__ import annotations

import importlib.util
import io
import os
from typing import TYPE_CHECKING

from ..analyze.perf import LAYOUT_LABELS, PerfReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_BARS = 30          # op codes drawn at most, whatever --top says
MAX_LABEL = 40         # op code labels longer than this are cut with an ellipsis
SUSPECTED_HATCH = "//"
USEFUL_COLOR, WASTE_COLOR = "tab:green", "tab:red"
LAYOUT_COLORS = ("tab:orange", "tab:purple", "tab:cyan", "tab:brown", "tab:pink", "tab:olive")  # no green / red
COMPUTE_LABEL = "compute and other ops"


def have_matplotlib() -> bool:
    """True when matplotlib can be imported (the ``plot`` extra)."""
    return importlib.util.find_spec("matplotlib") is not None


def thousands(x: float, _pos: object = None) -> str:
    """An axis tick with thousands separators: ``1234567`` -> ``1,234,567``, ``0.25`` -> ``0.25``."""
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0")


def op_codes_title(shown: int, total: int) -> str:
    """The title of the op-code panel: ``top 5 of 16 op codes``, ``all 3 op codes``, ``1 op code``, ..."""
    if total == 1:
        return "Device kernel time: 1 op code"
    if shown == total == 2:
        return "Device kernel time: both op codes"
    if shown == total:
        return f"Device kernel time: all {total:,} op codes"
    return f"Device kernel time: top {shown:,} of {total:,} op codes"


def figure_title(r: PerfReport) -> str:
    """The input's base name (``stdin`` for ``-``) and its device time."""
    name = "stdin" if r.source == "-" else os.path.basename(r.source) or r.source
    ops = f"{r.device_rows:,} device op{'' if r.device_rows == 1 else 's'}"
    return f"{name}: {r.total_device_kernel_ns / 1e3:,.1f} µs device kernel time, {ops}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _empty(ax: Axes, title: str, text: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _op_codes(ax: Axes, r: PerfReport, top: int) -> None:
    from matplotlib.ticker import FuncFormatter

    total = len(r.by_op_code)
    by = r.by_op_code.head(min(top, MAX_BARS))
    if by.empty:
        _empty(ax, "Device kernel time", "no device ops")
        return
    by = by.iloc[::-1]
    bars = ax.barh([_short(c) for c in by["op_code"]], by["device_kernel_ns"] / 1e3, color="tab:blue")
    ax.bar_label(bars, labels=[f"{s:.1%}" for s in by["share"]], padding=3, fontsize="small")
    ax.set_xlim(0, max(float(by["device_kernel_ns"].max()) / 1e3 * 1.15, 1e-3))  # room for the share labels
    ax.xaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_xlabel("device kernel time [µs]; share of the total at each bar")
    ax.set_title(op_codes_title(len(by), total))


def _layout(ax: Axes, r: PerfReport) -> None:
    total = r.total_device_kernel_ns
    title = f"Layout conversion\n{r.layout_conversion_share:.1%} of device time"
    if total <= 0:
        _empty(ax, title, "no device kernel time")
        return
    parts = [(LAYOUT_LABELS[k], v) for k, v in r.layout_ns.items() if v > 0]
    parts.append((COMPUTE_LABEL, max(r.compute_ns, 0.0)))
    colors = [LAYOUT_COLORS[i % len(LAYOUT_COLORS)] for i in range(len(parts) - 1)] + ["lightgrey"]
    wedges, _ = ax.pie([v for _, v in parts], colors=colors, startangle=90, counterclock=False,
                       wedgeprops={"edgecolor": "white", "linewidth": 1})
    # shares in a legend under the pie: labels on thin wedges overlap each other
    ax.legend(wedges, [f"{name} {v / total:.1%}" for name, v in parts], loc="upper center",
              bbox_to_anchor=(0.5, 0.0), frameon=False, fontsize="small")
    ax.set_title(title)


def _waste(ax: Axes, r: PerfReport) -> None:
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    groups = [(name, w) for name, w in (("confirmed", r.waste(("attributes", "ir"))),
                                        ("suspected", r.waste(("suspected",)))) if w["convs"]]
    names = [f"{name}\n{w['convs']:,} conv{'' if w['convs'] == 1 else 's'}" for name, w in groups]
    ideal = [w["ideal_ns"] / 1e3 for _, w in groups]
    wasted = [w["wasted_ns"] / 1e3 for _, w in groups]
    hatches = [SUSPECTED_HATCH if name == "suspected" else None for name, _ in groups]
    for x, (i, w, h) in enumerate(zip(ideal, wasted, hatches)):
        edge = "white" if h else None
        ax.bar(x, i, color=USEFUL_COLOR, hatch=h, edgecolor=edge)
        bar = ax.bar(x, w, bottom=i, color=WASTE_COLOR, hatch=h, edgecolor=edge)
        ax.bar_label(bar, labels=[f"{w / (i + w):.1%} zeros" if i + w > 0 else ""], padding=3, fontsize="small")
    ax.set_xticks(range(len(names)), names)
    ax.set_xlim(-0.75, len(names) - 0.25)
    # headroom above the bars for the legend, so it never covers one
    ax.set_ylim(0, max(max(i + w for i, w in zip(ideal, wasted)) * 1.6, 1e-3))
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_ylabel("device kernel time [µs]")
    ax.set_title("Grouped-conv waste")
    handles = [Patch(color=USEFUL_COLOR, label="useful MACs (ideal time)"),
               Patch(color=WASTE_COLOR, label="expanded zeros")]
    if any(hatches):
        handles.append(Patch(facecolor="white", edgecolor="black", hatch=SUSPECTED_HATCH,
                             label="suspected: pass --ir to confirm"))
    ax.legend(handles=handles, loc="upper center", fontsize="small")


def build_figure(r: PerfReport, top: int = 20) -> Figure:
    """The figure: top op codes by device time, the layout-conversion share, and the grouped-conv waste
    (a panel only when the CSV has grouped or suspected depthwise convs; suspected bars are hatched)."""
    from matplotlib.figure import Figure

    grouped = bool(r.waste(("attributes", "ir"))["convs"] or r.waste(("suspected",))["convs"])
    bars = min(top, MAX_BARS, len(r.by_op_code))
    height = max(5.0, 1.6 + 0.3 * bars)
    ratios = [3, 2, 1.4] if grouped else [3, 2]
    fig = Figure(figsize=(2.5 * sum(ratios), height), layout="constrained")
    axes = fig.subplots(1, len(ratios), width_ratios=ratios)
    _op_codes(axes[0], r, top)
    _layout(axes[1], r)
    if grouped:
        _waste(axes[2], r)
    fig.suptitle(figure_title(r))
    return fig


def render_png(r: PerfReport, top: int = 20) -> bytes:
    """The figure as PNG bytes (the caller writes them atomically)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = build_figure(r, top)
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
