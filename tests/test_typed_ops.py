"""Attributes written through aliases read like the same attribute written inline (issue: typed TTNN ops)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ttdiag.analyze.inspect import load_module
from ttdiag.cli import app

DATA = Path(__file__).parent / "data" / "typed"
runner = CliRunner()


def _matmul_l1(path: Path) -> dict:
    r = runner.invoke(app, ["l1", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    return next(o for o in json.loads(r.stdout)["ops"] if o["op"]["name"] == "ttnn.matmul")


def test_an_aliased_matmul_program_config_gives_the_inline_result():
    # 256x256 @ 256x512 bf16, 2-D mcast config in0_block_w 2, out_block 1x2 tiles (tt-metal
    # matmul_op_multi_core_reuse_mcast_2d_program_factory.cpp): Kt / in0_block_w = 8 / 2 > 1 so in0 and in1
    # are double-buffered: c_0 = 2 x (1 x 2) = 4 tiles, c_1 = 2 x (2 x 2) = 8 tiles, c_4 = 1 x 2 = 2 tiles,
    # 2,048 B each: 14 x 2,048 = 28,672 B above the wormhole_b0 Dec 2025 base of 102,656 B = 131,328 B.
    inline, aliased = _matmul_l1(DATA / "matmul_config_inline.mlir"), _matmul_l1(DATA / "matmul_config_alias.mlir")
    assert inline["factory"] == aliased["factory"] == "MatmulMultiCoreReuseMultiCast (2D)"
    assert inline["worst"]["cb_region_end_bytes"] == aliased["worst"]["cb_region_end_bytes"] == 131_328
    assert inline["core_groups"] == aliased["core_groups"]


def test_an_alias_the_module_does_not_define_is_a_diagnostic(tmp_path):
    text = (DATA / "matmul_config_alias.mlir").read_text().replace("#mm = #mm_config\n", "")
    path = tmp_path / "undefined.mlir"
    path.write_text(text)
    module, _, _ = load_module(str(path))
    assert [d.message for d in module.diagnostics] == [
        "attribute matmul_program_config = #mm: the module does not define #mm; left unresolved"]
    op = next(o for o in module.all_ops() if o.name == "ttnn.matmul")
    assert op.attr_text("matmul_program_config") == "#mm"


# -- the typed op layer ---------------------------------------------------------------------------------------
def _op(line: str):
    from ttdiag.parse.mlir import OpLineParser

    return OpLineParser().parse(line, 1, "main")


_T = "tensor<{}xbf16>"


def test_conv2d_decodes_its_attributes_and_output_size():
    from ttdiag.ir.ttnn import Conv2d, decode

    op = _op('%2 = "ttnn.conv2d"(%0, %1) <{in_channels = 64 : i32, out_channels = 128 : i32, batch_size = 2 : i32, '
             'input_height = 32 : i32, input_width = 30 : i32, kernel_size = array<i32: 3, 3>, stride = array<i32: 2, 2>, '
             'padding = array<i32: 1, 1>, dilation = array<i32: 1, 1>, groups = 1 : i32}> : '
             f'({_T.format("1x1x1920x64")}, {_T.format("128x64x3x3")}) -> {_T.format("1x1x480x128")}')
    c = decode(op)
    assert isinstance(c, Conv2d)
    assert (c.in_channels, c.out_channels, c.batch_size, c.groups) == (64, 128, 2, 1)
    assert (c.kernel, c.strides, c.pads, c.dilations) == ((3, 3), (2, 2), (1, 1, 1, 1), (1, 1))
    # Ho = (32 + 2 - 2 - 1) // 2 + 1 = 16, Wo = (30 + 2 - 2 - 1) // 2 + 1 = 15; 2 x 16 x 15 = 480 pixels
    assert c.output_hw() == (16, 15) and c.verify() == [] and not c.has_bias


def test_conv2d_verify_names_what_is_wrong():
    from ttdiag.ir.ttnn import decode

    op = _op('%2 = "ttnn.conv2d"(%0, %1) <{in_channels = 64 : i32, out_channels = 96 : i32, batch_size = 1 : i32, '
             'input_height = 8 : i32, input_width = 8 : i32, kernel_size = array<i32: 3, 3>, groups = 64 : i32}> : '
             f'({_T.format("1x1x64x64")}, {_T.format("96x1x3x3")}) -> {_T.format("1x1x36x96")}')
    # groups 64 does not divide 96; no padding: Ho = Wo = 8 - 3 + 1 = 6, 36 pixels: that part is fine
    assert decode(op).verify() == ["out_channels 96 is not divisible by groups 64"]


def test_reshape_verify_compares_volumes():
    from ttdiag.ir.ttnn import decode

    ok = _op(f'%1 = "ttnn.reshape"(%0) <{{shape = [4 : i32, -1 : i32]}}> : ({_T.format("2x3x4")}) -> {_T.format("4x6")}')
    bad = _op(f'%1 = "ttnn.reshape"(%0) <{{shape = [5 : i32, 5 : i32]}}> : ({_T.format("2x3x4")}) -> {_T.format("5x5")}')
    assert decode(ok).verify() == []
    assert decode(bad).verify() == ["volume 24 of [2, 3, 4] != 25 of [5, 5]"]


def test_matmul_program_config_decodes_through_an_alias():
    from ttdiag.ir.ttnn import Matmul, decode

    module, _, _ = load_module(str(DATA / "matmul_config_alias.mlir"))
    mm = decode(next(o for o in module.all_ops() if o.name == "ttnn.matmul"))
    assert isinstance(mm, Matmul) and mm.verify() == []
    pc = mm.program_config
    assert (pc.kind, pc.grid, pc.in0_block_w, pc.per_core_m, pc.per_core_n) == ("2d", (8, 8), 2, 1, 2)
    assert (pc.out_block_h, pc.out_block_w, pc.transpose_mcast, pc.fuse_batch) == (1, 2, False, True)


def test_an_unknown_op_stays_generic():
    from ttdiag.ir.ttnn import decode

    assert decode(_op(f'%1 = "ttnn.frobnicate"(%0) : ({_T.format("4")}) -> {_T.format("4")}')) is None


# -- confidence: read-factory, validated, estimate -------------------------------------------------------------
def test_only_the_op_a_logged_overflow_checks_is_validated(tmp_path):
    # the sample log's overflow: 9,990,400 B on core (7,6) for %9 ttnn.to_layout at line 42, which the
    # untilize model reproduces byte for byte; the other ops' factories are read, not checked by any run
    log = Path(__file__).parent.parent / "sample_logs" / "mochi_replicate_pad_cb_overflow.log"
    r = runner.invoke(app, ["l1", str(log), "--format", "json"])
    ops = {o["op"]["line"]: o for o in json.loads(r.stdout)["ops"]}
    assert [(line, o["confidence"]) for line, o in ops.items() if o["validated"]] == [(42, "read-factory")]
    assert ops[42]["validated_by"] == "the log's overflow at line 43 (9,990,400 B on its core) is the model's figure"
    assert all(o["validated_by"] is None for line, o in ops.items() if line != 42)
    # a dump carries no record of a run: nothing in it is validated
    r = runner.invoke(app, ["l1", str(DATA / "matmul_config_inline.mlir"), "--format", "json"])
    assert not any(o["validated"] for o in json.loads(r.stdout)["ops"])
    text = runner.invoke(app, ["l1", str(log)], env={"COLUMNS": "240"}).stdout
    assert "│ validated    │" in text and "│ read-factory │" in text


def test_aliases_inside_an_attribute_are_inlined(tmp_path):
    # lit files write nested attributes through aliases: a list of CB descriptors, a buffer type
    path = tmp_path / "nested.mlir"
    path.write_text(
        "#dram = #ttnn.buffer_type<dram>\n#cb_a = #ttnn.kernel_cb<total_size = 4096>\n"
        "#cb_b = #ttnn.kernel_cb<total_size = 8192>\n#cbs = [#cb_a, #cb_b]\n"
        "module {\n  func.func @main(%arg0: tensor<32x32xbf16>) -> tensor<32x32xbf16> {\n"
        '    %0 = "ttnn.foo"(%arg0) <{memory_config = #ttnn.memory_config<#dram, <interleaved>>, '
        "cbs = #cbs}> : (tensor<32x32xbf16>) -> tensor<32x32xbf16>\n"
        "    return %0 : tensor<32x32xbf16>\n  }\n}\n")
    module, _, _ = load_module(str(path))
    op = next(o for o in module.all_ops() if o.name == "ttnn.foo")
    assert op.attr_text("memory_config") == "#ttnn.memory_config<#ttnn.buffer_type<dram>, <interleaved>>"
    assert op.attr_text("cbs") == "[#ttnn.kernel_cb<total_size = 4096>, #ttnn.kernel_cb<total_size = 8192>]"
    assert module.diagnostics == []
