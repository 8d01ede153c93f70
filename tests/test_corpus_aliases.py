"""Real tt-mlir files that write program / conv configs through attribute aliases (``#matmul_program_config =
#ttnn.matmul_...<...>``) give exactly what the same file with every alias written inline gives, and the
factory named is the one the config selects (issue: typed TTNN ops, "aliased program configs ignored")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

runner = CliRunner()
PERF = "tt-mlir/test/ttmlir/Silicon/TTNN/n150/perf/"
# file -> (op name, the factory its aliased config selects: tt-metal matmul_op.cpp get_program_factory,
# conv3d_device_operation.cpp)
CASES = {
    PERF + "test_perf_matmul_multi_core_reuse_multi_cast_dram_sharded_program_config.mlir":
        ("ttnn.matmul", "MatmulMultiCoreReuseMultiCastDRAMSharded"),
    PERF + "test_perf_matmul_multi_core_reuse_multi_cast_1d_program_config.mlir":
        ("ttnn.matmul", "MatmulMultiCoreReuseMultiCast1D"),
    PERF + "test_perf_matmul_multi_core_reuse_multi_cast_program_config.mlir":
        ("ttnn.matmul", "MatmulMultiCoreReuseMultiCast (2D)"),
    PERF + "test_perf_matmul_multi_core_reuse_program_config.mlir": ("ttnn.matmul", "MatmulMultiCoreReuse"),
    "tt-mlir/test/ttmlir/EmitC/TTNN/conv/conv3d_with_config.mlir": ("ttnn.conv3d", "Conv3dProgramFactory"),
}
_DEF = re.compile(r"^(#[A-Za-z_][\w.$-]*) = (#ttnn\.(?:matmul|conv)[a-z0-9_]*<)", re.M)


def _body_end(text: str, i: int) -> int:
    """Index just past the ``>`` closing the ``<`` at ``i - 1`` (``->`` arrows are not brackets)."""
    depth = 1
    while depth:
        c = text[i]
        if c == "<":
            depth += 1
        elif c == ">" and text[i - 1] != "-":
            depth -= 1
        i += 1
    return i


def _inline(text: str) -> str:
    """``text`` with each top-level matmul / conv config alias definition removed and its uses written
    inline (longest name first, so ``#cfg`` never clobbers ``#cfg2``)."""
    defs = {}
    for m in list(_DEF.finditer(text))[::-1]:
        end = _body_end(text, m.end())
        defs[m.group(1)] = " ".join(text[m.start(2):end].split())
        text = text[:m.start()] + text[end:]
    for name in sorted(defs, key=len, reverse=True):
        text = re.sub(re.escape(name) + r"(?![\w.$-])", lambda _m, n=name: defs[n], text)
    return text


def _op(path: Path, name: str) -> dict:
    r = runner.invoke(app, ["l1", str(path), "--format", "json"])
    assert r.exit_code in (0, 1), r.output
    return next(o for o in json.loads(r.stdout)["ops"] if o["op"]["name"] == name)


@pytest.mark.parametrize("rel", sorted(CASES))
def test_an_aliased_config_in_a_real_file_gives_the_inline_result(corpus, rel, tmp_path):
    src = corpus / rel
    text = src.read_text()
    inline = _inline(text)
    assert inline != text, "the file defines no config alias: the test would prove nothing"
    assert "_program_config<" in inline or "conv3d_config<" in inline
    (tmp_path / "inline.mlir").write_text(inline)
    name, factory = CASES[rel]
    aliased, written = _op(src, name), _op(tmp_path / "inline.mlir", name)
    assert aliased["factory"].startswith(factory)
    for key in ("factory", "confidence", "core_groups", "worst", "formula"):
        assert aliased[key] == written[key], key
