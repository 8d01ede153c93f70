"""``ttdiag memory --plot out.png``: L1 per op over time, stacked (L1 buffers under the op's CBs, at
the moment the op's flat total peaked); for allocator views, L1 and L1_SMALL allocated per bank.

matplotlib is the optional ``plot`` extra, as for ``ttdiag perf --plot``.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from ..analyze.memory import MemoryReport
from .perf_plot import thousands

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_OPS = 2000  # bars drawn at most; longer runs are sampled evenly, peaks kept


def series(r: MemoryReport) -> tuple[list[int], list[str], dict[str, list[int]]]:
    """(op indices, names, stacks by label) as plotted."""
    ops = r.ops
    if len(ops) > MAX_OPS:
        step = len(ops) / MAX_OPS
        keep = {int(i * step) for i in range(MAX_OPS)}
        for p in (r.peaks.at_op, r.peaks_per_core.at_op if r.peaks_per_core else None):
            if p is not None:
                keep.add(p)
        ops = [ops[i] for i in sorted(keep)]
    if any(o.peak_at is not None for o in ops):
        stacks = {"L1 buffers": [o.peak_at[1] if o.peak_at else 0 for o in ops],
                  "CBs (+ dataflow buffers)": [o.peak_at[0] if o.peak_at else 0 for o in ops]}
    else:
        stacks = {"L1": [o.per_bank.get("L1", 0) for o in ops], "L1_SMALL": [o.per_bank.get("L1_SMALL", 0) for o in ops]}
    return [o.index for o in ops], [o.name for o in ops], stacks


def build_figure(r: MemoryReport) -> Figure:
    os.environ.setdefault("MPLBACKEND", "Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    xs, names, stacks = series(r)
    fig = Figure(figsize=(max(6.0, min(18.0, 0.25 * len(xs) + 4)), 4.5))
    ax = fig.add_subplot()
    bottom = [0] * len(xs)
    for (label, ys), color in zip(stacks.items(), ("tab:blue", "tab:orange")):
        ax.bar(xs, ys, bottom=bottom, label=label, color=color, width=0.8)
        bottom = [b + y for b, y in zip(bottom, ys)]
    unit = "bytes per core" if r.peaks_per_core is not None else "bytes per bank"
    ax.set_ylabel(unit)
    ax.set_xlabel("op (execution order)")
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    if len(xs) <= 30:
        ax.set_xticks(xs)
        ax.set_xticklabels([n[:24] for n in names], rotation=45, ha="right", fontsize=7)
    ax.set_title(f"L1 per op: {os.path.basename(r.path)}")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def render_png(r: MemoryReport) -> bytes:
    fig = build_figure(r)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
