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
