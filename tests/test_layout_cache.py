"""Layout figures are cached per decoded layout, not per type text.

tt-mlir lit tests run with ``-split-input-file``: each ``// -----`` section is parsed on its own, so one
alias name can be bound to a different layout in each section (the corpus has eight such files, e.g.
tt-mlir ``test/ttmlir/Dialect/TTNN/layout_encoding.mlir`` redefines ``#ttnn_layout`` and ``#ttnn_layout1``).
The same text ``tensor<32x1xbf16, #ttnn_layout1>`` then names two different tensors.
"""

from __future__ import annotations

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.gate import _padding_budget
from ttdiag.analyze.inspect import inspect_file
from ttdiag.parse.mlir import parse_mlir

WH = get_arch("wormhole_b0")

SECTION = """#dram = #ttnn.buffer_type<dram>
#ttnn_layout1 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<{memref}, #dram>, <interleaved>>
module {{
  func.func @{name}(%arg0: tensor<32x1xbf16, #ttnn_layout1>) -> tensor<32x1xbf16, #ttnn_layout1> {{
    %0 = "ttnn.abs"(%arg0) : (tensor<32x1xbf16, #ttnn_layout1>) -> tensor<32x1xbf16, #ttnn_layout1>
    return %0 : tensor<32x1xbf16, #ttnn_layout1>
  }}
}}
"""
# section 1: tiled, one 32x32 tile; section 2: the same alias name, row-major
SPLIT = (SECTION.format(name="tiled", memref="1x1x!ttcore.tile<32x32, bf16>") + "\n// -----\n\n"
         + SECTION.format(name="row_major", memref="32x1xbf16"))


def test_second_section_gets_its_own_figures(tmp_path):
    p = tmp_path / "split.mlir"
    p.write_text(SPLIT, encoding="utf-8")
    rep = inspect_file(str(p), arch="wormhole_b0")
    by_prog = {}
    for e in rep.tensors:
        by_prog.setdefault(e.program, []).append(e)
    assert [e.value for e in by_prog["tiled"]] == ["%arg0", "%0"]
    assert [e.value for e in by_prog["row_major"]] == ["%arg0", "%0"]
    for e in by_prog["tiled"]:
        f = e.figures
        # one 32x32 bf16 tile: 2,048 B; physical 32x32 = 1,024 elements for 32 logical
        assert (f.tiled, f.tiles, f.bytes, f.physical_shape) == (True, 1, 2048, (32, 32))
        assert f.padding_ratio == 32.0
        assert f.memref_declared == (1, 1) and f.memref_matches is True
    for e in by_prog["row_major"]:
        f = e.figures
        # 32 rows of one bf16 element: 32 pages of 2 B = 64 B, no padding
        assert (f.tiled, f.tiles, f.bytes, f.physical_shape) == (False, None, 64, (32, 1))
        assert f.padding_ratio == 1.0
        assert f.page_bytes == 2 and f.pages == 32
        # 32 pages over 12 DRAM banks -> 3 per bank, each page rounded up to the 32 B DRAM alignment
        assert f.bytes_per_bank == 3 * 32
        assert f.memref_declared == (32, 1) and f.memref_matches is True


def test_padding_budget_flags_only_the_tiled_section():
    # tiled 32x1: ratio 1,024 / 32 = 32 > 2; wasted 2,048 x (1,024 - 32) / 1,024 = 1,984 B >= 1 B.
    # row-major 32x1: ratio 1, not flagged. Keyed on the text, the row-major section reused the tiled figures.
    module = parse_mlir(SPLIT)
    found = [(key, f) for key, f in _padding_budget(module, WH, 2.0, 1)]
    assert [(f["figures"]["value"], f["figures"]["role"]) for _, f in found] == [("%arg0", "operand"), ("%0", "result")]
    assert all(f["figures"]["tiled"] and f["figures"]["wasted_bytes"] == 1984 for _, f in found)


def test_an_alias_inside_the_layout_counts_too(tmp_path):
    # the layout alias reads the same in both sections; only the buffer-type alias it uses changes
    first = SECTION.format(name="dram", memref="1x1x!ttcore.tile<32x32, bf16>")
    second = first.replace("#ttnn.buffer_type<dram>", "#ttnn.buffer_type<l1>").replace("@dram", "@l1")
    p = tmp_path / "split_buffer.mlir"
    p.write_text(first + "\n// -----\n\n" + second, encoding="utf-8")
    rep = inspect_file(str(p), arch="wormhole_b0")
    banks = {(e.program, e.figures.buffer_type, e.figures.num_banks) for e in rep.tensors}
    # wormhole_b0: 12 DRAM banks; L1 interleaved over the 8x8 = 64 worker cores
    assert banks == {("dram", "dram", 12), ("l1", "l1", 64)}
