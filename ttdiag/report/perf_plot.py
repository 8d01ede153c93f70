"""``ttdiag perf --plot out.png``: device time per op code, layout-conversion share, depthwise waste.

matplotlib is an optional extra (``pip install ttdiag[plot]``); :func:`have_matplotlib` tells the CLI.
"""

from __future__ import annotations

import importlib.util
import io

from ..analyze.perf import PerfReport


def have_matplotlib() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def render_png(r: PerfReport, top: int = 20) -> bytes:
    """The figure as PNG bytes (the caller writes them atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 6), gridspec_kw={"width_ratios": [3, 1, 1]})
    by = r.by_op_code.head(top).iloc[::-1]
    ax = axes[0]
    ax.barh(by["op_code"], by["device_kernel_ns"] / 1e3)
    ax.set_xlabel("device kernel time [µs]")
    ax.set_title(f"Top {min(top, len(r.by_op_code))} op codes")

    ax = axes[1]
    total = r.total_device_kernel_ns
    labels = [k for k, v in r.layout_ns.items() if v] + ["compute/other"]
    values = [v for v in r.layout_ns.values() if v] + [r.compute_ns]
    if total > 0:
        ax.pie(values, labels=labels, autopct="%1.1f%%")
    ax.set_title(f"Layout conversion: {r.layout_conversion_share:.1%}")

    ax = axes[2]
    conf, susp = r.waste(("attributes", "ir")), r.waste(("suspected",))
    names = ["confirmed", "suspected"]
    ideal = [conf["ideal_ns"] / 1e3, susp["ideal_ns"] / 1e3]
    wasted = [conf["wasted_ns"] / 1e3, susp["wasted_ns"] / 1e3]
    ax.bar(names, ideal, label="useful (ideal)")
    ax.bar(names, wasted, bottom=ideal, label="expanded zeros")
    ax.set_ylabel("device kernel time [µs]")
    ax.set_title("Grouped-conv waste")
    ax.legend()
    fig.suptitle(r.source)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()
