"""``ttdiag perf --plot``: the figure's structure (panels, titles, tick labels, hatching, legends)."""

from __future__ import annotations

import pytest

from ttdiag.analyze.perf import analyze_perf

pytest.importorskip("matplotlib")

from test_perf import CONV_HEADER, CONV_ROWS, PLAIN_HEADER, SAMPLE, SMALL_ROWS, _write  # noqa: E402

from ttdiag.report.perf_plot import build_figure, op_codes_title, thousands  # noqa: E402


def _drawn(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def test_thousands_separators():
    assert thousands(1_234_567) == "1,234,567"
    assert thousands(867_708.0) == "867,708"
    assert thousands(0) == "0" and thousands(2.5) == "2.5" and thousands(0.25) == "0.25"


def test_op_code_titles_are_worded_for_the_count():
    assert op_codes_title(1, 1) == "Device kernel time: 1 op code"
    assert op_codes_title(2, 2) == "Device kernel time: both op codes"
    assert op_codes_title(16, 16) == "Device kernel time: all 16 op codes"
    assert op_codes_title(3, 16) == "Device kernel time: top 3 of 16 op codes"
    assert op_codes_title(30, 1_200) == "Device kernel time: top 30 of 1,200 op codes"


def test_no_grouped_convs_no_waste_panel(tmp_path):
    # SMALL_ROWS: Matmul 3000, Tilize 500, InterleavedToSharded 250, Transpose 250 ns = 4 µs, 5 device ops
    fig = build_figure(analyze_perf(_write(tmp_path, "small.csv", PLAIN_HEADER, SMALL_ROWS)), top=20)
    assert fig.get_suptitle() == "small.csv: 4.0 µs device kernel time, 5 device ops"
    bars, pie = fig.axes  # no third, empty grouped-conv panel
    assert bars.get_title() == "Device kernel time: all 4 op codes"
    assert pie.get_title() == "Layout conversion\n25.0% of device time"
    assert not any("Grouped" in ax.get_title() for ax in fig.axes)
    assert bars.xaxis.get_major_formatter()(1_234_567, 0) == "1,234,567"
    assert [t.get_text() for t in bars.get_yticklabels()][-1] == "Matmul"  # the largest on top
    # the pie's wedges carry no labels (they overlapped); its legend names each part with its share
    assert all(not t.get_text() for t in pie.texts)
    legend = [t.get_text() for t in pie.get_legend().get_texts()]
    assert legend[0] == "tilize 12.5%" and legend[-1] == "compute and other ops 75.0%"
    assert len(legend) == 4 and "interleaved ↔ sharded" in legend[1] and "transpose / permute" in legend[2]


def test_title_is_the_base_name_and_one_op_code_is_singular():
    fig = build_figure(analyze_perf(str(SAMPLE)), top=20)
    # 171,009 + 137,788 + 126,492 + 18,451 + 232,140 + 181,828 µs over six Conv2dDeviceOperation rows
    assert fig.get_suptitle() == "ops_perf_depthwise_seed004.csv: 867,708.0 µs device kernel time, 6 device ops"
    assert str(SAMPLE.parent) not in fig.get_suptitle()
    assert fig.axes[0].get_title() == "Device kernel time: 1 op code"
    waste = fig.axes[2]
    assert waste.get_title() == "Grouped-conv waste"
    assert [t.get_text() for t in waste.get_xticklabels()] == ["confirmed\n6 convs"]
    assert waste.yaxis.get_major_formatter()(800_000, 0) == "800,000"


def test_suspected_bars_are_hatched_and_the_legend_covers_no_bar(tmp_path):
    r = analyze_perf(_write(tmp_path, "convs.csv", CONV_HEADER, CONV_ROWS))
    fig = build_figure(r, top=20)
    waste = fig.axes[2]
    assert [t.get_text() for t in waste.get_xticklabels()] == ["confirmed\n1 conv", "suspected\n1 conv"]
    bars = [p for p in waste.patches if p.get_height() > 0]
    # confirmed: 9 µs, groups 32 -> useful 9/32 = 0.28125 µs; suspected: 6.4 µs, groups 64 -> useful 0.1 µs
    heights = [round(p.get_height(), 5) for p in bars]
    assert heights == [0.28125, 8.71875, 0.1, 6.3]
    assert [p.get_hatch() for p in bars] == [None, None, "//", "//"]
    legend = waste.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "useful MACs (ideal time)", "expanded zeros", "suspected: pass --ir to confirm"]
    renderer = _drawn(fig)
    box = legend.get_window_extent(renderer)
    assert not any(box.overlaps(p.get_window_extent(renderer)) for p in bars)


def test_bars_are_capped(tmp_path):
    rows = [f"Op{i:02d},tt_dnn_device,{i},0,{{}},,1,1,1,1,{1000 + i},,,,,,,," for i in range(35)]
    fig = build_figure(analyze_perf(_write(tmp_path, "many.csv", PLAIN_HEADER, rows)), top=100)
    bars = fig.axes[0]
    assert bars.get_title() == "Device kernel time: top 30 of 35 op codes"
    assert len(bars.get_yticklabels()) == 30
    assert [t.get_text() for t in bars.get_yticklabels()][-1] == "Op34"  # 1,034 ns, the largest
