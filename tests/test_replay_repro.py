"""``ttdiag replay`` and ``ttdiag repro``."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from ttdiag.cli import app
from ttdiag.parse.mlir import parse_mlir

runner = CliRunner()


def test_replay_norm2_sample_slice(sample):
    r = runner.invoke(app, ["replay", sample("mochi_norm2_only_pass.log"), "--ops", "%3..%5", "-f", "json"])
    assert r.exit_code == 0, r.stdout
    obj = json.loads(r.stdout)
    ops = [o for o in obj["ops"] if o["id"]]  # a deallocate (no result) runs in between
    assert [o["id"] for o in ops] == ["%3", "%4", "%5"]
    assert ops[2]["results"][0]["shape"] == [4, 32, 24, 6360]
    assert ops[2]["results"][0]["dtype"] == "bfloat16"


def test_replay_unknown_op_stops_with_its_name(tmp_path):
    p = tmp_path / "d.mlir"
    p.write_text('func.func @main(%a: tensor<2x2xbf16>) -> tensor<2x2xbf16> {\n'
                 '  %0 = "ttnn.relu"(%a) : (tensor<2x2xbf16>) -> tensor<2x2xbf16>\n'
                 '  %1 = "ttnn.frobnicate"(%0) : (tensor<2x2xbf16>) -> tensor<2x2xbf16>\n'
                 '  return %1 : tensor<2x2xbf16>\n}\n')
    r = runner.invoke(app, ["replay", str(p), "-f", "json"])
    assert r.exit_code == 1
    obj = json.loads(r.stdout)
    assert [o["id"] for o in obj["ops"]] == ["%0"]
    assert "ttnn.frobnicate" in obj["stopped"] and "available:" in obj["stopped"]


def test_replay_inputs_npz_and_no_pickles(tmp_path):
    p = tmp_path / "d.mlir"
    p.write_text('func.func @main(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {\n'
                 '  %0 = "ttnn.relu"(%a) : (tensor<2x2xf32>) -> tensor<2x2xf32>\n'
                 '  return %0 : tensor<2x2xf32>\n}\n')
    npz = tmp_path / "x.npz"
    np.savez(npz, a=np.array([[-1.0, 2.0], [3.0, -4.0]], np.float32))
    r = runner.invoke(app, ["replay", str(p), "--inputs", str(npz), "-f", "json"])
    res = json.loads(r.stdout)["ops"][0]["results"][0]
    assert (res["min"], res["max"]) == (0.0, 3.0)
    bad = tmp_path / "bad.npz"
    np.savez(bad, a=np.array([object()], dtype=object))
    r = runner.invoke(app, ["replay", str(p), "--inputs", str(bad)])
    assert r.exit_code == 2 and "not a readable .npz" in r.stderr


def test_replay_bad_range_and_program(sample):
    r = runner.invoke(app, ["replay", sample("mochi_norm2_only_pass.log"), "--ops", "%99..%100"])
    assert r.exit_code == 2 and "no op %99" in r.stderr
    r = runner.invoke(app, ["replay", sample("mochi_norm2_only_pass.log"), "--program", "nope"])
    assert r.exit_code == 2 and "no program named" in r.stderr


def test_repro_module_parses_and_keeps_exact_types(sample, tmp_path):
    out = tmp_path / "repro.mlir"
    r = runner.invoke(app, ["repro", sample("mochi_replicate_pad_cb_overflow.log"), "--depth", "2", "-o", str(out)])
    assert r.exit_code == 0
    m = parse_mlir(out.read_text())
    assert m.diagnostics == []
    (main,) = m.programs
    assert [op.name for op in main.ops] == ["ttnn.permute", "ttnn.reshape", "ttnn.to_layout", "return"]
    assert main.args[0][1].shape == (1, 768, 4, 60, 106)
    assert main.ops[2].operand_types[0].layout.memref_shape == (1, 152_640)
    assert main.ops[2].loc.py.aten_op == "aten::index"


def test_repro_refuses_to_overwrite_its_input(sample, tmp_path):
    import shutil

    log = tmp_path / "run.log"
    shutil.copy(sample("mochi_replicate_pad_cb_overflow.log"), log)
    before = log.read_bytes()
    r = runner.invoke(app, ["repro", str(log), "-o", str(log)])
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert log.read_bytes() == before


def test_repro_without_failure(sample):
    r = runner.invoke(app, ["repro", sample("mochi_norm2_only_pass.log")])
    assert r.exit_code == 1 and "no failure" in r.stderr
