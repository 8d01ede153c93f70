"""``ttdiag replay`` and ``ttdiag repro``."""

from __future__ import annotations

import json
import re

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


def _l1_json(*args):
    r = runner.invoke(app, ["l1", *args, "--format", "json"])
    return r.exit_code, json.loads(r.stdout)


def _overflowing(report):
    return [(o["op"]["id"], o["op"]["name"], o["worst"]["cb_region_end_bytes"]) for o in report["ops"] if not o["fits"]]


def test_repro_keeps_the_logs_era_and_arch_so_l1_still_flags_the_overflow(sample, tmp_path):
    # The log is dated 2025-12-31: tt-metal dcae048e, whose untilize block factory gives the 62 full
    # cores 2 CBs of 2423 tiles x 2048 B from the 102,656 B base: 102,656 + 2 * 2423 * 2048 = 10,027,264 B
    # (ttnn-facts.md §0, case 1), over the 1,499,136 B Wormhole L1.
    log = sample("mochi_replicate_pad_cb_overflow.log")
    out = tmp_path / "repro.mlir"
    assert runner.invoke(app, ["repro", log, "-o", str(out)]).exit_code == 0
    assert ('module attributes {ttdiag.tt_metal_era = "2025-12", ttdiag.log_date = "2025-12-31", '
            'ttdiag.arch = "wormhole_b0"} {') in out.read_text().splitlines()
    assert parse_mlir(out.read_text()).diagnostics == []
    code_log, by_log = _l1_json(log)
    code_repro, by_repro = _l1_json(str(out))
    assert code_log == code_repro == 1
    assert _overflowing(by_log) == _overflowing(by_repro) == [("%9", "ttnn.to_layout", 10_027_264)]
    assert (by_repro["era"], by_repro["arch"], by_repro["l1_limit_bytes"]) == ("2025-12", "wormhole_b0", 1_499_136)
    assert by_repro["era_reason"] == "recorded by ttdiag repro from the log's date 2025-12-31"
    # an explicit --era still wins: after PR #35806 the sub-blocks of 269 tiles end at 1,204,480 B and fit
    code, later = _l1_json(str(out), "--era", "2026-02")
    assert code == 0 and later["era_reason"] == "chosen with --era"
    assert [o["worst"]["cb_region_end_bytes"] for o in later["ops"]] == [1_204_480]
    r = runner.invoke(app, ["l1", str(out), "--arch", "blackhole", "--format", "json"])
    assert json.loads(r.stdout)["arch"] == "blackhole"


def test_l1_on_a_module_with_an_unknown_recorded_era_warns_and_takes_the_latest(sample, tmp_path):
    out = tmp_path / "repro.mlir"
    runner.invoke(app, ["repro", sample("mochi_replicate_pad_cb_overflow.log"), "-o", str(out)])
    text = out.read_text().replace('"2025-12"', '"1999-01"').replace('"2025-12-31"', '"someday"')
    out.write_text(text.replace('"wormhole_b0"', '"quasar"'))
    code, d = _l1_json(str(out))
    assert (d["era"], d["era_reason"], d["arch"]) == ("2026-02", "latest (nothing in the input dates it)", "wormhole_b0")
    assert d["warnings"] == ["the module records arch 'quasar', which ttdiag does not know; using wormhole_b0",
                             "the module records tt-metal era '1999-01', which ttdiag does not know "
                             "(known: 2025-12, 2026-02)"]


def test_repro_of_an_undated_log_records_no_era(sample, tmp_path):
    text = open(sample("mochi_replicate_pad_cb_overflow.log"), encoding="utf-8").read()
    log = tmp_path / "undated.log"
    log.write_text(re.sub(r"\d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2})", r"\1", text), encoding="utf-8")
    r = runner.invoke(app, ["repro", str(log)])
    assert 'module attributes {ttdiag.arch = "wormhole_b0"} {' in r.stdout.splitlines()
    assert "// arch wormhole_b0 (the logged L1 limit 1,499,136 B): kept as module attributes for ttdiag l1" \
        in r.stdout.splitlines()
