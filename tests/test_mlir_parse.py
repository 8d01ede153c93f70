"""MLIR grammar and scanner: syntax eras, aliases, system_desc, custom forms, the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttdiag.ir import Body, TensorType, TileType
from ttdiag.ir.items import find_body
from ttdiag.parse.mlir import MLIRSyntaxError, OpLineParser, parse_mlir, parse_statement

DUMP = '''\
#dram = #ttnn.buffer_type<dram>
#system_desc = #ttcore.system_desc<[{role = host, target_triple = "x86_64-pc-linux"}], [{arch = <wormhole_b0>, grid = 8x8, coord_translation_offsets = 18x18, l1_size = 1499136, num_dram_channels = 12, dram_channel_size = 1073741824, noc_l1_address_align_bytes = 16, pcie_address_align_bytes = 32, noc_dram_address_align_bytes = 32, l1_unreserved_base = 102656, erisc_l1_unreserved_base = 98304, dram_unreserved_base = 32, dram_unreserved_end = 1073741824, supported_data_types = [<f32>, <bf16>], supported_tile_sizes = [ 4x16, 32x32], dst_physical_size_tiles = 16, num_cbs = 32, num_compute_threads = 1, num_datamovement_threads = 2}], [0], [1 : i32], [ 0x0x0x0]>
#ttnn_layout = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x152640x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>
#ttnn_layout1 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<4x4884480xbf16, #dram>, <interleaved>>
module attributes {ttcore.system_desc = #system_desc} {
  ttcore.device_module {
    builtin.module attributes {ttcore.system_desc = #system_desc} {
      func.func private @main_const_eval_0(%arg0: tensor<4x4884480xbf16, #ttnn_layout>) -> tensor<4x4884480xbf16, #ttnn_layout1> attributes {const_eval} {
        %0 = "ttnn.to_layout"(%arg0) <{layout = #ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #ttnn_layout>) -> tensor<4x4884480xbf16, #ttnn_layout1> loc(#loc2)
        return %0 : tensor<4x4884480xbf16, #ttnn_layout1> loc(#loc1)
      } loc(#loc1)
      func.func @main(%arg0: tensor<4x4884480xbf16, #ttnn_layout> {ttcore.argument_type = #ttcore.argument_type<input>} loc("x")) -> tensor<4x4884480xbf16, #ttnn_layout1> {
        %0 = "ttnn.get_device"() <{mesh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = #ttnn<mesh_shape 1x1>}> : () -> !ttnn.device loc(#loc1)
        %1:2 = "test.two"(%arg0) : (tensor<4x4884480xbf16, #ttnn_layout>) -> (tensor<4x4884480xbf16, #ttnn_layout>, tensor<4x4884480xbf16, #ttnn_layout>) loc(#loc1)
        %2 = "ttnn.to_layout"(%1#1) <{layout = #ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #ttnn_layout>) -> tensor<4x4884480xbf16, #ttnn_layout1> loc(#loc2)
        "ttnn.deallocate"(%1) <{force = false}> : (tensor<4x4884480xbf16, #ttnn_layout>) -> () loc(#loc1)
        return %2 : tensor<4x4884480xbf16, #ttnn_layout1> loc(#loc1)
      } loc(#loc1)
    }
  }
}
#loc1 = loc(unknown)
#loc2 = loc("5|MochiResnetBlock3D[decoder.block_in.resnets.0]|/x/autoencoder_kl_mochi.py:137|forward|141|aten__index_workaround"(#loc1))
'''


def test_dump_structure_programs_aliases_and_locs():
    m = parse_mlir(DUMP)
    assert m.diagnostics == []
    assert [p.name for p in m.programs] == ["main_const_eval_0", "main"]
    const, main = m.programs
    assert const.is_const_eval and not main.is_const_eval
    assert [op.name for op in main.ops] == ["ttnn.get_device", "test.two", "ttnn.to_layout", "ttnn.deallocate", "return"]
    two = main.ops[1]
    assert two.results == ["%1", "%1#1"] and len(two.result_types) == 2
    to_layout = main.ops[2]
    assert to_layout.id == "%2" and to_layout.operands == ["%1#1"] and to_layout.program == "main"
    assert main.ops[3].id is None and main.ops[3].result_types == []
    # the #loc2 alias is printed after its use and still resolves
    assert to_layout.loc.py.aten_op == "aten::index" and to_layout.loc.py.suffix == "_workaround"
    assert to_layout.loc.py.module_path == "decoder.block_in.resnets.0"
    # operand types decode through the #ttnn_layout alias, whose memref uses the #dram alias
    t = to_layout.operand_types[0]
    assert isinstance(t, TensorType) and t.shape == (4, 4_884_480)
    assert t.layout.memref_shape == (1, 152_640) and t.layout.buffer_type == "dram"
    assert t.layout.element == TileType(32, 32, "bf16") and t.layout.memory_layout == "interleaved"
    assert main.args[0][0] == "%arg0" and isinstance(main.args[0][1], TensorType)
    assert main.producers()["%1#1"] is two


def test_system_desc_is_decoded_from_the_module_attribute():
    m = parse_mlir(DUMP)
    chip = m.system_desc.chips[0]
    assert chip.arch == "wormhole_b0" and chip.grid == (8, 8)
    assert chip.get("l1_size") == 1_499_136
    assert chip.get("l1_unreserved_base") == 102_656
    assert chip.get("num_dram_channels") == 12


@pytest.mark.parametrize("layout,expect", [
    # Dec-2025 form with exactGrid
    ("#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, memref<1x1x!ttcore.tile<32x32, f32>, #ttnn.buffer_type<l1>>, "
     "<block_sharded>, exactGrid = true>", ((8, 8), "l1", "block_sharded", {"exactGrid": "true"})),
    # 2026 form with core_ranges
    ("#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <8x8>, memref<1x1x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, "
     "<height_sharded>, core_ranges = <[#ttnn.core_range<(0, 0), (7, 1)>]>>", ((8, 8), "l1", "height_sharded", None)),
    # grid with a mapping (early 2025)
    ("#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1, (d0, d1) -> (0, d0, d1)>, memref<2x2x!tt.tile<32x32, f32>, "
     "#ttnn.buffer_type<dram>>, <interleaved>>", ((1, 1), "dram", "interleaved", None)),
    # Dec-2024 bare memory layout
    ("#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<2x4x!tt.tile<32x32, f32>, #ttnn.buffer_type<dram>>, "
     "interleaved>", ((1, 1), "dram", "interleaved", None)),
    # 2024 #tt.layout with undef and spaced tile dims
    ("#tt.layout<(d0, d1) -> (d0, d1), undef, <1x1>, memref<2x4x!tt.tile<32 x 32, f32>, #tt.memory_space<l1>>, "
     "interleaved>", ((1, 1), "l1", "interleaved", None)),
    # host tensor: no memory layout
    ("#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<64x128xf32, #ttnn.buffer_type<system_memory>>>",
     ((1, 1), "system_memory", None, None)),
])
def test_layout_eras(layout, expect):
    raw = parse_statement(f'"t.op"() : () -> tensor<64x128xf32, {layout}>')
    from ttdiag.ir.types import decode_type

    t = decode_type(raw.type_items[2:])
    grid, buf, ml, extras = expect
    assert t.layout is not None
    assert t.layout.grid == grid and t.layout.buffer_type == buf and t.layout.memory_layout == ml
    if extras:
        assert dict(t.layout.extras).items() >= extras.items()
    if "core_ranges" in layout:
        assert "core_ranges" in t.layout.extras


def test_unknown_dialect_attribute_parses_into_a_structured_tree():
    op = OpLineParser().parse(
        '%3 = "acme.frob"(%1) <{mode = #acme.weird<knob = [1, 2], (x) -> y, "s">, n = 7 : i64}> '
        ': (!acme.thing<3>) -> !acme.thing<4> loc("a")')
    assert op.name == "acme.frob" and op.id == "%3"
    node = op.attr("mode")[0]
    assert isinstance(node, Body) and node.name == "#acme.weird"
    assert find_body(op.attr("mode"), ".weird") is node
    assert op.attr_text("n") == "7 : i64"
    assert op.operand_types[0].text == "!acme.thing<3>"


def test_custom_form_op_is_kept_with_its_items():
    m = parse_mlir("func.func @f(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
                   "  %0 = ttnn.add %a, %a : tensor<2x2xf32>\n  return %0 : tensor<2x2xf32>\n}\n")
    assert m.diagnostics == []
    op = m.programs[0].ops[0]
    assert op.custom and op.name == "ttnn.add" and op.operands == ["%a", "%a"]
    assert op.result_types[0].shape == (2, 2)


def test_statement_syntax_error_names_the_column():
    with pytest.raises(MLIRSyntaxError) as e:
        parse_statement('%1 = "ttnn.add"(%0 : ( -> ')
    assert "column" in str(e.value)


def test_bad_statement_becomes_a_diagnostic_not_an_exception():
    m = parse_mlir('func.func @f() {\n  %0 = "ttnn.ok"() : () -> ()\n  %1 = "ttnn.bad"(%0 ~ ) : () -> ()\n}\n')
    assert len(m.diagnostics) == 1 and m.diagnostics[0].line == 3
    assert [op.name for op in m.programs[0].ops] == ["ttnn.ok"]


def test_truncated_dump_reports_unclosed_region():
    m = parse_mlir('module {\n  func.func @f() {\n    %0 = "ttnn.ok"() : () -> ()\n')
    assert any("not closed" in d.message for d in m.diagnostics)
    assert m.programs[0].ops[0].name == "ttnn.ok"


def _corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.mlir"))


def test_every_corpus_mlir_file_parses(corpus):
    files = _corpus_files(corpus)
    assert len(files) == 181
    failures = {}
    ops = 0
    for f in files:
        m = parse_mlir(f.read_text(encoding="utf-8"))
        ops += sum(1 for _ in m.all_ops())
        if m.diagnostics:
            failures[str(f.relative_to(corpus))] = [d.message for d in m.diagnostics]
    # No corpus file holds syntactically invalid IR: the negative (-verify-diagnostics) tests
    # are semantically invalid but well-formed, so all of them parse.
    assert failures == {}
    assert ops > 2400


def test_corpus_layouts_decode(corpus):
    decoded = undecoded = 0
    for f in _corpus_files(corpus):
        m = parse_mlir(f.read_text(encoding="utf-8"))
        for op in m.all_ops():
            for _, _, t in op.tensors():
                if t.layout is not None:
                    decoded += 1
                elif t.encoding_text and "layout" in t.encoding_text and "#ttnn.trace_id" not in t.encoding_text:
                    # only #ttcore.metal_layout (D2M) encodings remain, which are not TTNN layouts
                    undecoded += 1
    assert decoded > 2900
    assert undecoded <= 25
